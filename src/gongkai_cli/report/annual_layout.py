"""The official layout of tables 二, 三 and 四: header rows with merged cells, the printed row labels,
and which JSON cell each number cell shows. md, html, docx and xlsx all render these grids."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from ..messages import text
from ..model.reports import (
    APPEAL_GROUPS,
    COLUMNS3,
    COLUMNS4,
    DOCUMENT_COLUMNS,
    DOCUMENT_KINDS,
    REQUESTERS,
    TRIAL_DOCUMENT_COLUMNS,
    TRIAL_MATTER_COLUMNS,
)
from ..schedule.annual import is_trial
from .annual_checks import rows_of

Key = tuple[str, str, "str | None"]  # (table2|table3|table4, row, column or None)


@dataclass
class Cell:
    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    key: Key | None = None  # a number cell: which cell of the document it shows
    value: Any = None
    header: bool = False


@dataclass
class Grid:
    """One table: `rows` hold the cells starting in each row (as HTML does); the first `head` rows
    are the header, repeated on every printed page."""

    key: str
    title: str
    columns: int
    head: int
    rows: list[list[Cell]] = field(default_factory=list)
    label_columns: int = 1

    def placed(self) -> Iterator[tuple[int, int, Cell]]:
        """(row, column, cell) of every cell, spans taken into account."""
        taken: set[tuple[int, int]] = set()
        for row_index, row in enumerate(self.rows):
            column = 0
            for cell in row:
                while (row_index, column) in taken:
                    column += 1
                yield row_index, column, cell
                taken.update((row_index + down, column + across)
                             for down in range(cell.rowspan) for across in range(cell.colspan))
                column += cell.colspan

    def values(self) -> dict[Key, Any]:
        return {cell.key: cell.value for _, _, cell in self.placed() if cell.key is not None}


def grids(document: dict[str, Any], lang: str) -> list[Grid]:
    """Every table of the report, in order: table 二's sub-tables, then 三 and 四."""
    return [*table2_grids(document, lang), table3_grid(document, lang), table4_grid(document, lang)]


def _get(document: dict[str, Any], key: Key) -> Any:
    table, row, column = key
    found = (document.get(table) or {}).get(row)
    return found.get(column) if column is not None and isinstance(found, dict) else found


def _value(document: dict[str, Any], key: Key) -> Cell:
    return Cell(key=key, value=_get(document, key))


def _head(label: str, **spans: int) -> Cell:
    return Cell(label, header=True, **spans)


# Table 二 -------------------------------------------------------------------------------------


def table2_grids(document: dict[str, Any], lang: str) -> list[Grid]:
    t = lambda key: text(f"annual.t2.{key}", lang)  # noqa: E731
    trial = is_trial(str(document.get("format")))
    title = text("annual.section.proactive", lang)
    columns = TRIAL_DOCUMENT_COLUMNS if trial else DOCUMENT_COLUMNS
    documents = [[_head(t("trial.normative-documents" if trial and kind != "regulations" else kind)),
                  *(_value(document, ("table2", kind, column)) for column in columns)] for kind in DOCUMENT_KINDS]
    found = [_sub_table("item-1", [t(column) for column in columns], documents, title, lang)]
    if trial:
        matters = [t(column) for column in TRIAL_MATTER_COLUMNS]
        found += [
            _sub_table("item-5", matters, [_matter_row(document, t, name) for name in ("licensing", "other-services")],
                       title, lang),
            _sub_table("item-6", matters, [_matter_row(document, t, name) for name in ("penalties", "enforcement")],
                       title, lang),
            _sub_table("item-8", [t("previous"), t("change")], [_matter_row(document, t, "fees", ("previous", "change"))],
                       title, lang),
            _sub_table("item-9", [t("projects"), t("amount_wan")],
                       [_matter_row(document, t, "procurement", ("projects", "amount_wan"))], title, lang),
        ]
        return found
    decisions = [t("decisions-2021")]
    found += [
        _sub_table("item-5", decisions, [[_head(t("licensing")), _value(document, ("table2", "licensing", None))]],
                   title, lang),
        _sub_table("item-6", decisions, [[_head(t(name)), _value(document, ("table2", name, None))]
                                         for name in ("penalties", "enforcement")], title, lang),
        _sub_table("item-8", [t("amount-2021")], [[_head(t("fees_wan")), _value(document, ("table2", "fees_wan", None))]],
                   title, lang),
    ]
    return found


def _matter_row(document: dict[str, Any], t, name: str, columns: tuple[str, ...] = TRIAL_MATTER_COLUMNS) -> list[Cell]:
    return [_head(t(name)), *(_value(document, ("table2", name, column)) for column in columns)]


def _sub_table(item: str, headings: list[str], body: list[list[Cell]], title: str, lang: str) -> Grid:
    """第二十条第（x）项: one header row naming the article item, one of column names, then the rows."""
    columns = 1 + len(headings)
    article = text("annual.t2.article", lang) + text(f"annual.t2.{item}", lang)
    grid = Grid(f"table2.{item}", title, columns, head=2)
    grid.rows = [[_head(article, colspan=columns)], [_head(text("annual.t2.content", lang)), *map(_head, headings)]]
    grid.rows += body
    return grid


# Table 三 -------------------------------------------------------------------------------------


def table3_grid(document: dict[str, Any], lang: str) -> Grid:
    rows = rows_of(document)
    grid = Grid("table3", text("annual.section.requests", lang), columns=3 + len(COLUMNS3), head=3, label_columns=3)
    column = lambda key: text(f"annual.column.{key}", lang)  # noqa: E731
    grid.rows = [
        [_head(f"{text('annual.rule3', lang)}", colspan=3, rowspan=3),
         _head(text("annual.requester", lang), colspan=len(COLUMNS3))],
        [_head(column("natural-person"), rowspan=2), _head(text("annual.legal-person", lang), colspan=len(REQUESTERS) - 1),
         _head(column("total"), rowspan=2)],
        [_head(column(key)) for key in REQUESTERS[1:]],
    ]
    numbers = lambda row: [_value(document, ("table3", row, key)) for key in COLUMNS3]  # noqa: E731
    label = lambda key, **spans: _head(text(f"annual.row.{key}", lang), **spans)  # noqa: E731
    outcomes = rows[2:-1]  # the outcome rows and （七）总计, all under 三、本年度办理结果
    grid.rows.append([label("new_received", colspan=3), *numbers("new_received")])
    grid.rows.append([label("carried_over", colspan=3), *numbers("carried_over")])
    groups = [_group_of(row) for row in outcomes]
    for index, row in enumerate(outcomes):
        cells = [_head(text("annual.group.results", lang), rowspan=len(outcomes))] if index == 0 else []
        group = groups[index]
        if group is None:
            cells.append(label(row, colspan=2))
        else:
            if index == 0 or groups[index - 1] != group:
                cells.append(_head(text(f"annual.group.{group}", lang), rowspan=groups.count(group)))
            cells.append(label(row))
        grid.rows.append(cells + numbers(row))
    grid.rows.append([label("carried_forward", colspan=3), *numbers("carried_forward")])
    return grid


def _group_of(row: str) -> str | None:
    return row.split("/")[0] if "/" in row else None


# Table 四 -------------------------------------------------------------------------------------


def table4_grid(document: dict[str, Any], lang: str) -> Grid:
    t = lambda key: text(f"annual.t4.{key}", lang)  # noqa: E731
    grid = Grid("table4", text("annual.section.appeals", lang), columns=len(COLUMNS4) * 3, head=3, label_columns=0)
    grid.rows = [
        [_head(t("review"), colspan=len(COLUMNS4)), _head(t("lawsuit-group"), colspan=len(COLUMNS4) * 2)],
        [*(_head(t(key), rowspan=2) for key in COLUMNS4),
         _head(text("annual.t4.without-review", lang), colspan=len(COLUMNS4)),
         _head(text("annual.t4.after-review", lang), colspan=len(COLUMNS4))],
        [_head(t(key)) for _ in APPEAL_GROUPS[1:] for key in COLUMNS4],
        [_value(document, ("table4", group, key)) for group in APPEAL_GROUPS for key in COLUMNS4],
    ]
    return grid


def shown(value: Any) -> str:
    """A number as printed: blank for a blank cell, no trailing .0."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if not value.is_integer() else str(int(value))
    return str(value)
