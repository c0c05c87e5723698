"""`annual-report YEAR`: the whole 政府信息公开工作年度报告 — tables from the items (schedule/annual.py),
the office's text from reports/YEAR.yaml, the checks, and the report read back from a file."""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import UsageProblem
from ..load.load import Snapshot
from ..schedule.annual import Tables, compute_tables, figures_for
from .annual_checks import ReportFinding, check_report


@dataclass
class AnnualReport:
    document: dict[str, Any]  # the JSON shape of annual-report.md (with its findings)
    findings: list[ReportFinding]
    as_of: date | None = None
    dirty: bool = False
    unit_name: str | None = None
    text: dict[str, str | None] = field(default_factory=dict)
    counted: dict[str, int] = field(default_factory=dict)  # proactive items disclosed in the year, by category name
    compared: bool = False  # checked against last year's report

    @property
    def year(self) -> int:
        return self.document["year"]

    @property
    def format(self) -> str:
        return self.document["format"]

    @property
    def failed(self) -> bool:
        return any(finding.severity == "error" for finding in self.findings)


def document_of(tables: Tables, office: str, unit: str | None, commit: str | None) -> dict[str, Any]:
    return {"year": tables.year, "format": tables.format, "office": office, "unit": unit, "commit": commit,
            "table2": tables.table2, "table3": tables.table3, "table4": tables.table4}


def annual_report(snapshot: Snapshot, year: int, as_of: date, unit: str | None = None, commit: str | None = None,
                  dirty: bool = False, previous: dict[str, Any] | None = None) -> AnnualReport:
    """The report on `year` for `unit` (None: the office); checked against `previous` (last year's
    report document), or else against last year's report computed from the same items."""
    figures = figures_for(snapshot, year, unit)
    tables = compute_tables(snapshot, year, as_of, unit, figures)
    office = snapshot.config.office or ""
    document = document_of(tables, office, unit, commit)
    if previous is None:
        last = compute_tables(snapshot, year - 1, as_of, unit, figures_for(snapshot, year - 1, unit),
                              report_format=tables.format)
        previous = document_of(last, office, unit, commit)
    findings = [ReportFinding(note.code, note.severity, note.table, note.row, note.column,
                              {"item": note.item, "column": _column(note.column)}) for note in tables.notes]
    findings += check_report(document, previous)
    names = {category.id: category.name for category in snapshot.categories}
    counted = {names.get(category, category): count for category, count in sorted(tables.counted.items())}
    unit_name = snapshot.unit_by_id[unit].name if unit else None
    text = figures.text.model_dump() if figures else {}
    return AnnualReport(document, findings, as_of, dirty, unit_name, text, counted, compared=True)


def _column(column: str | None):
    from .annual_checks import column_phrase

    return column_phrase(column) if column else ""


def checked_file(path: Path, previous: Path | None = None) -> AnnualReport:
    """A filled-in report read from `path` (its JSON, or the xlsx gongkai writes), checked."""
    document = read_report(path)
    findings = check_report(document, read_report(previous) if previous else None)
    return AnnualReport(document, findings, compared=previous is not None)


def read_report(path: Path) -> dict[str, Any]:
    try:
        if path.suffix.lower() == ".xlsx":
            from .annual_xlsx import read_xlsx

            document = read_xlsx(path)
        else:
            document = json.loads(path.read_text(encoding="utf-8-sig"))
    except UsageProblem:
        raise
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:  # BadZipFile: an .xlsx that is no workbook
        raise UsageProblem("error.annual-bad-file", path=path, detail=str(error)) from None
    if not isinstance(document, dict):
        raise UsageProblem("error.annual-bad-file", path=path, detail="not a JSON object")
    return document


def as_json(report: AnnualReport, lang: str) -> dict[str, Any]:
    return report.document | {"findings": [finding.as_json(lang) for finding in report.findings]}


def parse_year(value: str | None) -> int:
    if value is None:
        raise UsageProblem("error.annual-needs-year")
    if not value.strip().isdigit() or not 1990 <= int(value) <= 2200:
        raise UsageProblem("error.annual-bad-year", value=value)
    return int(value)
