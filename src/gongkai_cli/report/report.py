"""`audit`: the quarterly per-unit report (通报) — figures counted from occurrences, and one renderer per format.

Statuses come from the schedule; this module only counts them, per unit and rolled up the unit tree.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from dataclasses import asdict, astuple, dataclass, field, fields
from datetime import date, datetime
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

from ..errors import UsageProblem
from ..load.load import Snapshot
from ..messages import text
from ..model.models import Unit, day_of
from ..schedule.deadlines import iso
from ..schedule.periods import Period
from ..schedule.schedule import Occurrence, below, child_ids
from .listing import due_cell, met_cell
from ..schedule.settings import office_zone
from .uncounted import Uncounted, footer, not_counted

CHASED = ("late", "overdue")
SORTS = ("tree", "rate")


@dataclass(frozen=True)
class Figures:
    due: int = 0
    done: int = 0
    late: int = 0
    overdue: int = 0
    pending: int = 0
    exempt: int = 0
    disclosed: int = 0

    @property
    def on_time_rate(self) -> float | None:
        counted = self.due - self.exempt - self.pending
        return round(self.done / counted, 3) if counted else None

    def __add__(self, other: Figures) -> Figures:
        return Figures(*(mine + theirs for mine, theirs in zip(astuple(self), astuple(other))))

    def as_json(self) -> dict:
        return asdict(self) | {"on_time_rate": self.on_time_rate}


COUNTS = tuple(f.name for f in fields(Figures))
COLUMNS = (*COUNTS, "on_time_rate")


@dataclass
class UnitRow:
    unit: Unit
    depth: int
    own: Figures
    rollup: Figures
    chase: list[Occurrence] = field(default_factory=list)

    def shown(self, rolled: bool) -> Figures:
        return self.rollup if rolled else self.own


@dataclass
class Audit:
    office: str
    quarter: Period
    as_of: date
    commit: str | None
    dirty: bool
    rows: list[UnitRow]
    totals: Figures
    rolled: bool
    titles: dict[str, str]  # item id → title, for the list of what to chase
    uncounted: list[Uncounted] = field(default_factory=list)  # what the figures could not count


def parse_quarter(value: str) -> Period:
    try:
        quarter = Period.parse(value)
    except ValueError:
        quarter = None
    if quarter is None or quarter.kind != "quarter":
        raise UsageProblem("error.bad-quarter", value=value)
    return quarter


# figures -------------------------------------------------------------------------------------


def audit(snapshot: Snapshot, found: list[Occurrence], quarter: Period, as_of: date, *, commit: str | None = None,
          dirty: bool = False, unit: str | None = None, rolled: bool = True, sort: str = "tree") -> Audit:
    """Per-unit figures for the occurrences due in `quarter` (of `unit` and its descendants, or of all units)."""
    children = child_ids(snapshot)
    chosen = below(children, unit) if unit else {u.id for u in snapshot.units}
    units = [u for u in snapshot.units if u.id in chosen]
    first, last = quarter.start, quarter.end
    in_quarter = [o for o in found if o.unit in chosen and first <= day_of(o.due) <= last]
    own = own_figures(in_quarter, disclosed_per_unit(snapshot, quarter, as_of))
    rollup = {u.id: sum((own[d] for d in below(children, u.id) & chosen), Figures()) for u in units}
    chase: defaultdict[str, list[Occurrence]] = defaultdict(list)
    for o in in_quarter:
        if o.status in CHASED:
            chase[o.unit].append(o)

    def rate_first(u: Unit) -> tuple:
        rate = (rollup if rolled else own)[u.id].on_time_rate
        return (rate is None, rate or 0.0)

    rows = [UnitRow(u, depth, own[u.id], rollup[u.id], list(chase.get(u.id, ())))
            for u, depth in tree_order(units, rate_first if sort == "rate" else None)]
    totals = sum((own[u.id] for u in units), Figures())
    titles = {i.id: i.title for i in snapshot.items}
    return Audit(snapshot.config.office or "", quarter, as_of, commit, dirty, rows, totals, rolled, titles,
                 not_counted(snapshot))


def own_figures(in_quarter: list[Occurrence], disclosed: Counter) -> defaultdict[str, Figures]:
    counted: defaultdict[str, Counter] = defaultdict(Counter)
    for o in in_quarter:
        counted[o.unit][o.status] += 1
        counted[o.unit]["due"] += 1
    units = set(counted) | set(disclosed)
    figures = defaultdict(Figures)
    figures.update({u: Figures(**{**counted[u], "disclosed": disclosed[u]}) for u in units})
    return figures


def disclosed_per_unit(snapshot: Snapshot, quarter: Period, as_of: date) -> Counter:
    """Items disclosed in the quarter, up to as-of (a later disclosure is not yet known on that day)."""
    zone = office_zone(snapshot.config)
    first, last = quarter.start, min(quarter.end, day_of(as_of))
    counted: Counter = Counter()
    for i in snapshot.items:
        if i.disclosed is not None and first <= local_day(i.disclosed, zone) <= last:
            counted[i.unit] += 1
    return counted


def local_day(moment: date | datetime, zone: ZoneInfo) -> date:
    if type(moment) is date:
        return moment
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        return moment.astimezone(zone).date()
    return day_of(moment)


def tree_order(units: list[Unit], key: Callable | None = None) -> list[tuple[Unit, int]]:
    """Units depth-first, each followed by its children; siblings in catalog order or by `key`."""
    ids = {u.id for u in units}
    children: defaultdict[str | None, list[Unit]] = defaultdict(list)
    for u in units:
        children[u.parent if u.parent in ids and u.parent != u.id else None].append(u)
    ordered: list[tuple[Unit, int]] = []
    seen: set[str] = set()

    def walk(parent: str | None, depth: int) -> None:
        for child in sorted(children[parent], key=key) if key else children[parent]:
            if child.id not in seen:
                seen.add(child.id)
                ordered.append((child, depth))
                walk(child.id, depth + 1)

    walk(None, 0)
    for u in units:  # units in a parent cycle have no root above them: show them at the top
        if u.id not in seen:
            seen.add(u.id)
            ordered.append((u, 0))
            walk(u.id, 1)
    return ordered


# shared pieces of every view -------------------------------------------------------------------


def title(report: Audit, lang: str) -> str:
    return text("audit.title", lang, office=report.office, quarter=report.quarter)


def commit_text(report: Audit, lang: str) -> str:
    shown = report.commit or text("audit.no-commit", lang)
    return shown + (" " + text("audit.uncommitted", lang) if report.dirty else "")


def header_lines(report: Audit, lang: str) -> list[str]:
    return [text("audit.as-of", lang, as_of=iso(report.as_of)), text("audit.commit", lang, commit=commit_text(report, lang)),
            text("audit.scope-rollup" if report.rolled else "audit.scope-own", lang)]


def headings(lang: str) -> list[str]:
    return [text(f"audit.column.{key}", lang) for key in ("unit", *COLUMNS)]


def rate_text(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def figure_cells(figures: Figures) -> list[str]:
    return [*(str(getattr(figures, key)) for key in COUNTS), rate_text(figures.on_time_rate)]


def tree_name(row: UnitRow) -> str:
    return row.unit.name if row.depth == 0 else "\u3000" * (row.depth - 1) + "└ " + row.unit.name


def chase_headings(lang: str) -> list[str]:
    return [text(key, lang) for key in ("listing.column.rule", "listing.column.what", "listing.column.due",
                                        "audit.column.status", "listing.column.days-overdue")]


def chase_cells(report: Audit, o: Occurrence, lang: str) -> list[str]:
    what = o.period or f"{o.item} {report.titles.get(o.item, '')}".strip()
    status = text("listing.status-met", lang, status=text(f"status.{o.status}", lang), met=met_cell(o, lang))
    return [o.rule_name, what, due_cell(o, lang), status, str(o.days_overdue(report.as_of))]


def chased_rows(report: Audit) -> list[UnitRow]:
    return [row for row in report.rows if row.chase]


# renderers ---------------------------------------------------------------------------------------


def render_json(report: Audit, lang: str) -> str:
    document = {
        "quarter": str(report.quarter),
        "as_of": iso(report.as_of),
        "commit": report.commit,
        "office": report.office,
        "units": [{"unit": row.unit.id, "name": row.unit.name, "parent": row.unit.parent,
                   "own": row.own.as_json(), "rollup": row.rollup.as_json(),
                   "chase": [o.as_json(report.as_of) for o in row.chase]} for row in report.rows],
        "totals": report.totals.as_json(),
        "uncommitted_changes": report.dirty,
        "not_counted": [u.as_json() for u in report.uncounted],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render_csv(report: Audit, lang: str) -> str:
    """The figures the table shows (rolled up unless --no-rollup), one row per unit, then the totals."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["unit", "name", "parent", *COLUMNS])
    for row in report.rows:
        writer.writerow([row.unit.id, row.unit.name, row.unit.parent or "", *csv_figures(row.shown(report.rolled))])
    writer.writerow(["", text("audit.totals", lang), "", *csv_figures(report.totals)])
    return "\ufeff" + stream.getvalue()


def csv_figures(figures: Figures) -> list:
    rate = figures.on_time_rate
    return [*(getattr(figures, key) for key in COUNTS), "" if rate is None else rate]


def render_md(report: Audit, lang: str) -> str:
    lines = [f"# {title(report, lang)}", "", *(f"- {line}" for line in header_lines(report, lang)), ""]
    lines += md_table(headings(lang), [[tree_name(row), *figure_cells(row.shown(report.rolled))] for row in report.rows],
                      right=set(range(1, len(COLUMNS) + 1)), footer=[text("audit.totals", lang), *figure_cells(report.totals)])
    lines += ["", text("audit.rate-note", lang), "", f"## {text('audit.chase-title', lang)}", ""]
    for row in chased_rows(report):
        lines += [f"### {row.unit.name}（{row.unit.id}）", ""]
        lines += md_table(chase_headings(lang), [chase_cells(report, o, lang) for o in row.chase], right={4}) + [""]
    if not chased_rows(report):
        lines += [text("audit.chase-none", lang), ""]
    if report.uncounted:
        lines += [footer(report.uncounted, lang).replace("\n  ", "\n- "), ""]
    return "\n".join(lines)


def md_table(head: list[str], body: list[list[str]], right: set[int], footer: list[str] | None = None) -> list[str]:
    """A pipe table, the `right` columns right-aligned, the footer (totals) in bold."""
    aligns = ["---:" if index in right else "---" for index in range(len(head))]
    rows = [head, aligns, *body] + ([[f"**{cell}**" for cell in footer]] if footer else [])
    return ["| " + " | ".join(_md_cell(cell) for cell in row) + " |" for row in rows]


def _md_cell(cell: str) -> str:
    return cell.replace("|", "\\|").replace("\n", " ")


def render_table(report: Audit, lang: str) -> str:
    from .tables import Table

    headed = headings(lang)
    summary = Table(headed, right=set(range(1, len(headed))), title=title(report, lang),
                    caption=" · ".join(header_lines(report, lang)))
    for row in report.rows:
        summary.add_row(tree_name(row), *figure_cells(row.shown(report.rolled)), end_section=row is report.rows[-1])
    summary.add_row(text("audit.totals", lang), *figure_cells(report.totals))
    chase = chase_table(report, lang).render() if chased_rows(report) else text("audit.chase-none", lang)
    return "\n".join(filter(None, [summary.render(), text("audit.rate-note", lang), chase, footer(report.uncounted, lang)]))


def chase_table(report: Audit, lang: str):
    from .tables import Table

    headed = [text("audit.column.unit", lang), *chase_headings(lang)]
    table = Table(headed, right={len(headed) - 1}, title=text("audit.chase-title", lang))
    for row in chased_rows(report):
        for index, o in enumerate(row.chase):
            table.add_row(row.unit.name if index == 0 else "", *chase_cells(report, o, lang),
                          end_section=index == len(row.chase) - 1)
    return table


def render_html(report: Audit, lang: str) -> str:
    """One self-contained printable page: inline CSS, no scripts, nothing fetched."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(loader=PackageLoader("gongkai_cli", "templates"), autoescape=True,
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return environment.get_template("audit.html.j2").render(
        report=report, lang=lang, title=title(report, lang), header_lines=header_lines(report, lang),
        headings=headings(lang), chase_headings=chase_headings(lang), chased=chased_rows(report),
        figure_cells=figure_cells, chase_cells=lambda o: chase_cells(report, o, lang),
        t=lambda key, **args: text(key, lang, **args),
    )


def render_xlsx(report: Audit, lang: str) -> bytes:
    """A summary sheet (the table) and a details sheet (what to chase), headers frozen."""
    from openpyxl import Workbook

    book = Workbook()
    summary = book.active
    summary.title = text("audit.sheet-summary", lang)
    _summary_sheet(summary, report, lang)
    _details_sheet(book.create_sheet(text("audit.sheet-details", lang)), report, lang)
    book.properties.title = title(report, lang)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


SUMMARY_HEADER_ROW = 4  # below the title and the as-of/commit line


def _summary_sheet(sheet, report: Audit, lang: str) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.append([title(report, lang)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([" · ".join(header_lines(report, lang))])
    sheet.append([])
    sheet.append([text("audit.column.unit-id", lang), *headings(lang)])
    for row in report.rows:
        sheet.append([row.unit.id, row.unit.name, *xlsx_figures(row.shown(report.rolled))])
        sheet.cell(sheet.max_row, 2).alignment = Alignment(indent=row.depth * 2)
    sheet.append(["", text("audit.totals", lang), *xlsx_figures(report.totals)])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for cell in sheet[SUMMARY_HEADER_ROW]:
        cell.font = Font(bold=True)
    for (cell,) in sheet.iter_rows(min_row=SUMMARY_HEADER_ROW + 1, min_col=len(COLUMNS) + 2, max_col=len(COLUMNS) + 2):
        cell.number_format = "0.0%"
    _finish(sheet, SUMMARY_HEADER_ROW)


def _details_sheet(sheet, report: Audit, lang: str) -> None:
    from openpyxl.styles import Font

    sheet.append([text("audit.column.unit-id", lang), text("audit.column.unit", lang), text("audit.column.rule-id", lang),
                  *chase_headings(lang)])
    for row in chased_rows(report):
        for o in row.chase:
            cells = chase_cells(report, o, lang)
            sheet.append([row.unit.id, row.unit.name, o.rule, *cells[:-1], int(cells[-1])])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.auto_filter.ref = f"A1:{sheet.cell(sheet.max_row, sheet.max_column).coordinate}"
    _finish(sheet, 1)


def xlsx_figures(figures: Figures) -> list:
    return [*(getattr(figures, key) for key in COUNTS), figures.on_time_rate]


def _finish(sheet, header_row: int) -> None:
    """Freeze everything above the first data row and the first column; size columns to their text."""
    sheet.freeze_panes = sheet.cell(header_row + 1, 2).coordinate
    for column in sheet.iter_cols(min_row=header_row):
        widest = max(_display_width(cell.value) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(8, widest + 2))


def _display_width(value) -> int:
    """Columns a value takes: CJK characters are twice as wide as Latin ones."""
    shown = "" if value is None else str(value)
    return sum(2 if ord(char) > 0x2E80 else 1 for char in shown)


RENDERERS: dict[str, Callable[[Audit, str], str | bytes]] = {
    "table": render_table, "md": render_md, "csv": render_csv, "json": render_json, "html": render_html,
    "xlsx": render_xlsx,
}
EXTENSIONS = {".md": "md", ".markdown": "md", ".csv": "csv", ".json": "json", ".html": "html", ".htm": "html",
              ".xlsx": "xlsx", ".txt": "table"}


def choose_format(given: str | None, output: Path | None, terminal: bool = False) -> str:
    """--format when given, else the output file's extension, else the terminal table.

    xlsx is bytes: it goes to a file, or to a pipe, never onto a terminal."""
    if given is not None and given not in RENDERERS:
        raise UsageProblem("error.unknown-format", value=given, choices=" | ".join(RENDERERS))
    chosen = given or (EXTENSIONS.get(output.suffix.lower()) if output is not None else "table")
    if chosen is None:
        raise UsageProblem("error.format-from-extension", path=output, choices=" ".join(EXTENSIONS))
    if chosen == "xlsx" and output is None and terminal:
        raise UsageProblem("error.xlsx-needs-output")
    return chosen


def save(path: Path, content: str | bytes) -> None:
    """Write atomically: a reader sees the old file or the whole new one, never half."""
    from ..load.yamlio import atomic_write

    atomic_write(path, content)
