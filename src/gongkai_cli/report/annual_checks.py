"""The examiner's checks of an annual report (annual-report.md): C1–C4 and the year-to-year checks.

They read the JSON shape (a computed report, or a filled-in one from a file), so they check any
office's report. A blank cell is a warning and counts 0; so is a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..messages import Phrase, text
from ..model.reports import (
    APPEAL_GROUPS,
    COLUMNS3,
    DOCUMENT_COLUMNS,
    DOCUMENT_KINDS,
    FIGURES,
    OTHER_OUTCOMES,
    REQUESTERS,
    RESULTS,
    TRIAL_DOCUMENT_COLUMNS,
    TRIAL_FEE_COLUMNS,
    TRIAL_MATTER_COLUMNS,
    TRIAL_MATTERS,
    TRIAL_PROCUREMENT_COLUMNS,
)
from ..schedule.annual import ROWS3_2021, ROWS3_TRIAL, is_trial

TABLE_KEYS = {"二": "table2", "三": "table3", "四": "table4"}


@dataclass(frozen=True)
class ReportFinding:
    """A finding about a cell of the report: table 二/三/四, the row and column keys of the JSON shape."""

    code: str
    severity: str
    table: str | None
    row: str | None
    column: str | None
    args: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def message(self, lang: str) -> str:
        return text(f"finding.{self.code}", lang, **self.args)

    def as_json(self, lang: str) -> dict[str, Any]:
        shown = {"code": self.code, "severity": self.severity, "table": self.table, "row": self.row,
                 "column": self.column, "message": self.message(lang)}
        return shown | ({"item": self.args["item"]} if "item" in self.args else {})


def row_phrase(row: str) -> Phrase:
    """A table 三 row as printed: 「（三）不予公开 1.属于国家秘密」."""
    group = row.split("/")[0] if "/" in row else None
    if group is None:
        return Phrase(f"annual.row.{row}")
    return Phrase("annual.pair", {"first": Phrase(f"annual.group.{group}"), "second": Phrase(f"annual.row.{row}")})


def column_phrase(column: str) -> Phrase:
    return Phrase(f"annual.column.{column}")


class Reader:
    """Cells of one report document, as numbers; blank and missing cells become findings (and 0)."""

    def __init__(self, document: dict[str, Any], findings: list[ReportFinding]):
        self.document = document
        self.findings = findings
        self.reported: set[tuple] = set()

    def cell(self, table: str, row: str, column: str | None = None) -> float:
        part = self.document.get(TABLE_KEYS[table])
        value = part.get(row) if isinstance(part, dict) else None
        present = isinstance(part, dict) and row in part
        if column is not None:
            present = present and isinstance(value, dict) and column in value
            value = value.get(column) if isinstance(value, dict) else None
        if isinstance(value, bool) or not (value is None or isinstance(value, (int, float))):
            self._note("annual-not-a-number", table, row, column, value=value)
            return 0
        if value is None:
            self._note("annual-blank" if present else "annual-missing", table, row, column)
            return 0
        return value

    def _note(self, code: str, table: str, row: str, column: str | None, **args: Any) -> None:
        if (table, row, column) in self.reported:
            return
        self.reported.add((table, row, column))
        where = self.label(table, row)
        if column:
            where = Phrase("annual.pair", {"first": where, "second": self.label(table, column)})
        args |= {"table": Phrase(f"annual.table.{table}"), "cell": where}
        self.findings.append(ReportFinding(code, "warning", table, row, column, args))

    @staticmethod
    def label(table: str, key: str) -> Phrase:
        if table == "三":
            return column_phrase(key) if key in COLUMNS3 else row_phrase(key)
        if table == "四":
            return Phrase(f"annual.t4.{key}")
        return Phrase(f"annual.t2.{key}")


def rows_of(document: dict[str, Any]) -> tuple[str, ...]:
    """The table 三 rows a document uses: the trial format's, or one that printed （六） as one row."""
    table3 = document.get("table3") if isinstance(document.get("table3"), dict) else {}
    one_other_row = "other" in table3 and not any(row in table3 for row in OTHER_OUTCOMES)
    return ROWS3_TRIAL if is_trial(str(document.get("format", "2021"))) or one_other_row else ROWS3_2021


def check_report(document: dict[str, Any], previous: dict[str, Any] | None = None) -> list[ReportFinding]:
    """Every check of annual-report.md on one report document (and against last year's, if given)."""
    findings: list[ReportFinding] = []
    reader = Reader(document, findings)
    rows = rows_of(document)
    outcomes = rows[2:-2]
    for column in COLUMNS3:
        cell = lambda row: reader.cell("三", row, column)  # noqa: E731
        _equal(findings, "annual-c1", "三", "total", column, cell("new_received") + cell("carried_over"),
               cell("total") + cell("carried_forward"))
        _equal(findings, "annual-c2", "三", "total", column, sum(cell(row) for row in outcomes), cell("total"))
    for row in rows:
        _equal(findings, "annual-c3", "三", row, "total", sum(reader.cell("三", row, c) for c in REQUESTERS),
               reader.cell("三", row, "total"))
    for group in APPEAL_GROUPS:
        _equal(findings, "annual-c4", "四", group, "total", sum(reader.cell("四", group, r) for r in RESULTS),
               reader.cell("四", group, "total"))
    for row, column in table2_cells(str(document.get("format", "2021"))):
        reader.cell("二", row, column)  # a blank one is a warning
    if previous is not None:
        findings += year_to_year(document, previous, reader)
    return findings


def table2_cells(report_format: str) -> list[tuple[str, str | None]]:
    """(row, column) of every cell of table 二 in `report_format`."""
    if not is_trial(report_format):
        return [(kind, column) for kind in DOCUMENT_KINDS for column in DOCUMENT_COLUMNS] + [(name, None) for name in FIGURES]
    cells = [(kind, column) for kind in DOCUMENT_KINDS for column in TRIAL_DOCUMENT_COLUMNS]
    cells += [(matter, column) for matter in TRIAL_MATTERS for column in TRIAL_MATTER_COLUMNS]
    return cells + [("fees", column) for column in TRIAL_FEE_COLUMNS] + [
        ("procurement", column) for column in TRIAL_PROCUREMENT_COLUMNS]


def year_to_year(document: dict[str, Any], previous: dict[str, Any], reader: Reader) -> list[ReportFinding]:
    findings: list[ReportFinding] = []
    before = Reader(previous, [])  # last year's own blanks are last year's findings
    year, last = document.get("year"), previous.get("year")
    if isinstance(year, int) and last != year - 1:
        findings.append(ReportFinding("annual-previous-year", "warning", None, None, None,
                                      {"previous": last, "expected": year - 1}))
    for column in COLUMNS3:
        _equal(findings, "annual-carried", "三", "carried_over", column, reader.cell("三", "carried_over", column),
               before.cell("三", "carried_forward", column))
    current_format, previous_format = str(document.get("format")), str(previous.get("format"))
    if is_trial(current_format) or is_trial(previous_format):
        if current_format != previous_format:
            findings.append(ReportFinding("annual-previous-format", "warning", "二", None, None,
                                          {"previous": previous_format, "current": current_format}))
        return findings
    for kind in DOCUMENT_KINDS:
        issued, repealed = reader.cell("二", kind, "issued"), reader.cell("二", kind, "repealed")
        earlier = before.cell("二", kind, "in_force")
        left, right = reader.cell("二", kind, "in_force"), earlier + issued - repealed
        if left != right:
            findings.append(ReportFinding("annual-in-force", "error", "二", kind, "in_force", {
                "row": Phrase(f"annual.t2.{kind}"), "left": _number(left), "right": _number(right),
                "previous": _number(earlier), "issued": _number(issued), "repealed": _number(repealed)}))
    return findings


def _equal(findings: list[ReportFinding], code: str, table: str, row: str | None, column: str | None,
           left: float, right: float) -> None:
    if left == right:
        return
    args: dict[str, Any] = {"left": _number(left), "right": _number(right)}
    if column is not None:
        args["column"] = Reader.label(table, column)
    if row is not None:
        args["row"] = Reader.label(table, row)
    findings.append(ReportFinding(code, "error", table, row, column, args))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
