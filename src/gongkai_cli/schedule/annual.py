"""The annual report's tables 二, 三 and 四, counted from items (annual-report.md).

Pure counting over item facts, here below `check` (which warns where a figures file states a
cell the items do not give) and `report` (which renders the whole report). The tables are
plain dicts in the JSON shape of annual-report.md, so a computed report and a filled-in one
read from a file are checked by the same code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable

from ..model.facts import ItemFacts, facts_of
from ..model.models import day_of
from ..model.reports import (
    APPEAL_GROUPS,
    COLUMNS3,
    COLUMNS4,
    DOCUMENT_KINDS,
    FIGURES,
    OTHER_OUTCOMES,
    REQUESTERS,
    RESULTS,
    ROWS3_2021,
    ROWS3_TRIAL,
    TRIAL_MATTER_COLUMNS,
    TRIAL_MATTERS,
    ReportFigures,
)
from .schedule import below, child_ids

OUTCOME_ROWS_2021 = ROWS3_2021[2:-2]
OUTCOME_ROWS_TRIAL = ROWS3_TRIAL[2:-2]


def format_of(year: int) -> str:
    """"2021" (国办公开办函〔2021〕30号) from reports on 2021, "2019" (the trial format) for 2019
    and 2020, "pre-2019" before: no national format then, the trial layout is used."""
    return "2021" if year >= 2021 else "2019" if year >= 2019 else "pre-2019"


def is_trial(report_format: str) -> bool:
    return report_format != "2021"


@dataclass
class ItemNote:
    """Something about one item that the tables met (a replied request without outcome, …)."""

    code: str
    severity: str
    item: str
    table: str
    row: str | None = None
    column: str | None = None


@dataclass
class Tables:
    year: int
    format: str
    table2: dict[str, Any]
    table3: dict[str, dict[str, int | None]]
    table4: dict[str, dict[str, int | None]]
    notes: list[ItemNote] = field(default_factory=list)
    counted: dict[str, int] = field(default_factory=dict)  # proactive items disclosed in the year, by category


def figures_for(snapshot: Any, year: int, unit: str | None) -> ReportFigures | None:
    """The figures file of `year` for `unit` (None: the whole repository's), if the repository has one."""
    return next((figures for figures in snapshot.reports if figures.year == year and figures.unit == unit), None)


def compute_tables(snapshot: Any, year: int, as_of: date, unit: str | None = None,
                   figures: ReportFigures | None = None, stated: bool = True,
                   report_format: str | None = None) -> Tables:
    """Tables 二–四 of `year` as known on `as_of`, for `unit` and its descendants (None: every unit).

    `stated`: apply the figures file's `cells` (False gives what the items alone give);
    `report_format`: another year's layout (last year's figures to compare with this year's)."""
    chosen = below(child_ids(snapshot), unit) if unit else None
    items = [facts for facts in map(facts_of, snapshot.items)
             if facts.withdrawn is None and (chosen is None or facts.unit in chosen)]
    report_format = report_format or format_of(year)
    kinds = {category.id: category.annual_report for category in snapshot.categories if category.annual_report}
    tables = Tables(year, report_format, {}, {}, {})
    tables.table2 = table2(items, kinds, year, as_of, report_format, figures)
    tables.table3 = table3(items, year, as_of, report_format, tables.notes)
    tables.table4 = table4(items, year, as_of)
    tables.counted = disclosed_by_category(items, year, as_of)
    if figures is not None and stated:
        apply_cells(tables, figures.cells)
    return tables


def _known(day: date | None, as_of: date) -> date | None:
    """A day after as-of has not happened yet as far as the report knows."""
    return day if day is not None and day <= as_of else None


# Table 二 ---------------------------------------------------------------------------------


def table2(items: list[ItemFacts], kinds: dict[str, str], year: int, as_of: date, report_format: str,
           figures: ReportFigures | None) -> dict[str, Any]:
    end = date(year, 12, 31)
    documents: dict[str, list[ItemFacts]] = {kind: [] for kind in DOCUMENT_KINDS}
    for facts in items:
        kind = kinds.get(facts.category)
        if kind is not None and facts.mode != "nil" and day_of(facts.formed) <= as_of:
            documents[kind].append(facts)
    table: dict[str, Any] = {}
    for kind, found in documents.items():
        formed = [day_of(facts.formed) for facts in found]
        repealed = [_known(facts.repealed, as_of) for facts in found]
        in_force = sum(1 for made, gone in zip(formed, repealed) if made <= end and (gone is None or gone > end))
        if is_trial(report_format):
            disclosed = [_known(day_of(facts.disclosed), as_of) for facts in found]
            table[kind] = {
                "made": sum(1 for made in formed if made.year == year),
                "disclosed": sum(1 for shown in disclosed if shown is not None and shown.year == year),
                "total_disclosed": sum(1 for shown, gone in zip(disclosed, repealed)
                                       if shown is not None and shown <= end and (gone is None or gone > end)),
            }
        else:
            table[kind] = {"issued": sum(1 for made in formed if made.year == year),
                           "repealed": sum(1 for gone in repealed if gone is not None and gone.year == year),
                           "in_force": in_force}
    if is_trial(report_format):
        table.update(trial_figures(figures))
    else:
        table.update({name: getattr(figures, name) if figures else None for name in FIGURES})
    return table


def trial_figures(figures: ReportFigures | None) -> dict[str, Any]:
    trial = figures.trial if figures else None
    table: dict[str, Any] = {}
    for matter in TRIAL_MATTERS:
        row = getattr(trial, matter.replace("-", "_")) if trial else None
        table[matter] = {column: getattr(row, column) if row else None for column in TRIAL_MATTER_COLUMNS}
    table["fees"] = {"previous": trial.fees.previous if trial else None, "change": trial.fees.change if trial else None}
    table["procurement"] = {"projects": trial.procurement.projects if trial else None,
                            "amount_wan": trial.procurement.amount_wan if trial else None}
    return table


def disclosed_by_category(items: list[ItemFacts], year: int, as_of: date) -> dict[str, int]:
    counted: dict[str, int] = {}
    for facts in items:
        shown = _known(day_of(facts.disclosed), as_of)
        if facts.mode == "proactive" and shown is not None and shown.year == year:
            counted[facts.category] = counted.get(facts.category, 0) + 1
    return counted


# Table 三 ---------------------------------------------------------------------------------


def rows3(report_format: str) -> tuple[str, ...]:
    return ROWS3_TRIAL if is_trial(report_format) else ROWS3_2021


def outcome_rows(report_format: str) -> tuple[str, ...]:
    return OUTCOME_ROWS_TRIAL if is_trial(report_format) else OUTCOME_ROWS_2021


def empty3(report_format: str) -> dict[str, dict[str, int | None]]:
    return {row: {column: 0 for column in COLUMNS3} for row in rows3(report_format)}


def table3(items: list[ItemFacts], year: int, as_of: date, report_format: str,
           notes: list[ItemNote]) -> dict[str, dict[str, int | None]]:
    first, end = date(year, 1, 1), date(year, 12, 31)
    table = empty3(report_format)
    for facts in items:
        if facts.mode != "on-request":
            continue
        received = facts.received or day_of(facts.formed)
        replied = _known(facts.replied, as_of)
        if received > as_of or received > end or (replied is not None and replied < first):
            continue  # not in this year's table
        column, row = facts.requester or "other", "new_received" if received >= first else "carried_over"
        if facts.requester is None:
            notes.append(ItemNote("annual-no-requester", "warning", facts.id, "三", row, "other"))
        table[row][column] += 1
        if replied is not None and replied <= end:
            if facts.outcome is None:
                notes.append(ItemNote("annual-no-outcome", "error", facts.id, "三", "total", column))
            else:
                table[_row_of(facts.outcome, report_format)][column] += 1
        else:
            table["carried_forward"][column] += 1
    add_totals3(table, report_format, set())
    return table


def _row_of(outcome: str, report_format: str) -> str:
    return "other" if is_trial(report_format) and outcome in OTHER_OUTCOMES else outcome


def add_totals3(table: dict[str, dict[str, int | None]], report_format: str, stated: set[str]) -> None:
    """The 总计 column of every row, then the （七）总计 row; cells in `stated` ("row.column") are kept."""
    for row, cells in table.items():
        if row != "total" and f"{row}.total" not in stated:
            cells["total"] = sum(cells[column] or 0 for column in REQUESTERS)
    for column in COLUMNS3:
        if f"total.{column}" not in stated:
            table["total"][column] = sum(table[row][column] or 0 for row in outcome_rows(report_format))


# Table 四 ---------------------------------------------------------------------------------


def table4(items: Iterable[ItemFacts], year: int, as_of: date) -> dict[str, dict[str, int | None]]:
    end = min(date(year, 12, 31), as_of)
    table = {group: {column: 0 for column in COLUMNS4} for group in APPEAL_GROUPS}
    for facts in items:
        for appeal in facts.appeals:
            if appeal.filed.year != year or appeal.filed > as_of:
                continue
            decided = appeal.decided is not None and appeal.decided <= end
            table[appeal.kind][appeal.result if decided else "pending"] += 1
    add_totals4(table)
    return table


def add_totals4(table: dict[str, dict[str, int | None]]) -> None:
    for cells in table.values():
        cells["total"] = sum(cells[result] or 0 for result in RESULTS)


# Stated cells -----------------------------------------------------------------------------


def apply_cells(tables: Tables, cells: dict[str, int | float]) -> None:
    """A figures file's `cells`: in tables 二 and 三 a stated cell wins (totals not stated follow
    it); in table 四 it is added to what the items give (appeals not recorded on an item)."""
    stated3: set[str] = set()
    for key, value in cells.items():
        table, _, rest = key.partition(".")
        row, _, column = rest.rpartition(".")
        if table == "table2" and isinstance(tables.table2.get(row), dict) and column in tables.table2[row]:
            tables.table2[row][column] = value
        elif table == "table3" and column in tables.table3.get(row, {}):
            tables.table3[row][column] = value
            stated3.add(rest)
        elif table == "table4" and column in tables.table4.get(row, {}):
            tables.table4[row][column] = (tables.table4[row][column] or 0) + value
    add_totals3(tables.table3, tables.format, stated3)
    add_totals4(tables.table4)


def cell_value(tables: Tables, key: str) -> Any:
    """The value of `table3.carried_over.natural-person` (and the like) in `tables`, None if no such cell."""
    table, _, rest = key.partition(".")
    row, _, column = rest.rpartition(".")
    found = {"table2": tables.table2, "table3": tables.table3, "table4": tables.table4}.get(table, {}).get(row)
    return found.get(column) if isinstance(found, dict) else None
