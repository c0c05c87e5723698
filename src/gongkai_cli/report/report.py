"""`audit`: the quarterly per-unit report (通报) — figures counted from occurrences, and one renderer per format.

Statuses come from the schedule; this module only counts them, per unit and rolled up the unit tree.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import asdict, astuple, dataclass, field, fields
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Callable, Iterable

from ..errors import UsageProblem
from ..load.load import Snapshot
from ..messages import printable, text
from ..model.models import Unit, day_of
from ..schedule.deadlines import iso
from ..schedule.periods import Period
from ..schedule.schedule import Occurrence, below, child_ids
from ..schedule.settings import local_day, office_zone
from .listing import due_cell, met_cell
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
    previous_own: Figures = Figures()  # the same unit in the period before
    previous_rollup: Figures = Figures()
    rank: int | None = None  # among the units of its level, by on-time rate; None when nothing was counted

    def shown(self, rolled: bool) -> Figures:
        return self.rollup if rolled else self.own

    def previous_shown(self, rolled: bool) -> Figures:
        return self.previous_rollup if rolled else self.previous_own


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
    previous_period: Period | None = None
    previous_totals: Figures = Figures()
    templates: Path | None = None  # the repository's templates/ folder: the office's own text of the 通报

    @property
    def nested(self) -> bool:
        """Some unit of the report has subordinates in it (so rolled-up and own figures differ)."""
        return any(row.depth > 0 for row in self.rows)


PERIOD_OPTIONS = {"quarter": "2024Q3", "half-year": "2024H1", "year": "2024", "month": "2024-09"}


def parse_period(value: str, kind: str = "quarter") -> Period:
    """The period an audit covers: `value` must be a period of `kind` (2024Q3, 2024H1, 2024, 2024-09)."""
    try:
        period = Period.parse(value)
    except ValueError:
        period = None
    if period is None or period.kind != kind:
        raise UsageProblem("error.bad-period", value=value, expected=PERIOD_OPTIONS[kind])
    return period


# figures -------------------------------------------------------------------------------------


def audit(snapshot: Snapshot, found: list[Occurrence], quarter: Period, as_of: date, *, commit: str | None = None,
          dirty: bool = False, unit: str | None = None, rolled: bool = True, sort: str = "tree",
          templates: Path | None = None) -> Audit:
    """Per-unit figures for the occurrences due in `quarter` (of `unit` and its descendants, or of all units),
    beside those of the period before (as known on the same as-of day)."""
    children = child_ids(snapshot)
    chosen = below(children, unit) if unit else {u.id for u in snapshot.units}
    units = [u for u in snapshot.units if u.id in chosen]
    in_quarter = in_period(found, chosen, quarter)
    own, rollup = period_figures(snapshot, in_quarter, quarter, as_of, children, units)
    previous = Period.of(quarter.kind, quarter.start - timedelta(days=1))
    previous_own, previous_rollup = period_figures(snapshot, in_period(found, chosen, previous), previous, as_of,
                                                   children, units)
    chase: defaultdict[str, list[Occurrence]] = defaultdict(list)
    for o in in_quarter:
        if o.status in CHASED:
            chase[o.unit].append(o)

    def rate_first(u: Unit) -> tuple:
        rate = (rollup if rolled else own)[u.id].on_time_rate
        return (rate is None, rate or 0.0)

    rows = [UnitRow(u, depth, own[u.id], rollup[u.id], list(chase.get(u.id, ())), previous_own[u.id], previous_rollup[u.id])
            for u, depth in tree_order(units, rate_first if sort == "rate" else None)]
    rank_rows(rows, rolled)
    titles = snapshot.titles(o.item for found in chase.values() for o in found)
    return Audit(snapshot.config.office or "", quarter, as_of, commit, dirty, rows,
                 sum((own[u.id] for u in units), Figures()), rolled, titles, not_counted(snapshot), previous,
                 sum((previous_own[u.id] for u in units), Figures()), templates)


def in_period(found: list[Occurrence], chosen: set[str], period: Period) -> list[Occurrence]:
    first, last = period.start, period.end
    return [o for o in found if o.unit in chosen and first <= day_of(o.due) <= last]


def period_figures(snapshot: Snapshot, in_quarter: list[Occurrence], period: Period, as_of: date,
                   children: dict, units: list[Unit]) -> tuple[dict[str, Figures], dict[str, Figures]]:
    """Each unit's own figures and those rolled up over its descendants among `units`."""
    chosen = {u.id for u in units}
    own = own_figures(in_quarter, disclosed_per_unit(snapshot, period, as_of))
    rollup: dict[str, Figures] = {}
    for unit_id in _children_first(children, chosen):
        rollup[unit_id] = sum((rollup[child] for child in children.get(unit_id, ()) if child in chosen), own[unit_id])
    for u in units:  # in a parent cycle: no root above it, so summed the long way
        if u.id not in rollup:
            rollup[u.id] = sum((own[d] for d in below(children, u.id) & chosen), Figures())
    return own, rollup


def _children_first(children: dict, ids: set[str]) -> list[str]:
    """The units of `ids` under a root (a unit whose parent is none of them), each after every
    unit below it: the roll-up sums each unit once, so a 2,400-unit chain is 2,400 sums, not
    2.9 million. `ids` holds every unit below each of its units (the caller's choice is a subtree)."""
    roots = [child for parent, kids in children.items() if parent not in ids for child in kids if child in ids]
    order, seen = [], set()
    stack = [(root, False) for root in roots]
    while stack:
        unit_id, finished = stack.pop()
        if finished:
            order.append(unit_id)
        elif unit_id not in seen:
            seen.add(unit_id)
            stack.append((unit_id, True))
            stack.extend((child, False) for child in children.get(unit_id, ()) if child in ids)
    return order


def rank_rows(rows: list[UnitRow], rolled: bool) -> None:
    """名次: among the units of one level, highest on-time rate first; equal rates share a place (1, 1, 3)."""
    levels: defaultdict[int, list[UnitRow]] = defaultdict(list)
    for row in rows:
        if row.shown(rolled).on_time_rate is not None:
            levels[row.depth].append(row)
    for level in levels.values():
        rates = sorted((row.shown(rolled).on_time_rate for row in level), reverse=True)
        for row in level:
            row.rank = rates.index(row.shown(rolled).on_time_rate) + 1


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


def tree_order(units: list[Unit], key: Callable | None = None) -> list[tuple[Unit, int]]:
    """Units depth-first, each followed by its children; siblings in catalog order or by `key`."""
    ids = {u.id for u in units}
    children: defaultdict[str | None, list[Unit]] = defaultdict(list)
    for u in units:
        children[u.parent if u.parent in ids and u.parent != u.id else None].append(u)
    ordered: list[tuple[Unit, int]] = []
    seen: set[str] = set()

    def walk(parent: str | None, depth: int) -> None:
        """Depth-first without recursion (a 2,400-unit chain is deeper than Python's stack)."""
        siblings = lambda of: iter(sorted(children[of], key=key) if key else children[of])  # noqa: E731
        stack = [(depth, siblings(parent))]
        while stack:
            level, pending = stack[-1]
            child = next(pending, None)
            if child is None:
                stack.pop()
            elif child.id not in seen:
                seen.add(child.id)
                ordered.append((child, level))
                stack.append((level + 1, siblings(child.id)))

    walk(None, 0)
    for u in units:  # units in a parent cycle have no root above them: show them at the top
        if u.id not in seen:
            seen.add(u.id)
            ordered.append((u, 0))
            walk(u.id, 1)
    return ordered


# shared pieces of every view -------------------------------------------------------------------

SHORT_COMMIT = 8  # characters of the commit the leadership views show; JSON keeps all 40


def title(report: Audit, lang: str) -> str:
    return text("audit.title", lang, office=report.office, quarter=report.quarter)


def commit_text(report: Audit, lang: str) -> str:
    shown = report.commit[:SHORT_COMMIT] if report.commit else text("audit.no-commit", lang)
    return shown + (" " + text("audit.uncommitted", lang) if report.dirty else "")


def header_lines(report: Audit, lang: str) -> list[str]:
    """As-of day and commit; whether subordinates are rolled in only where some unit has them."""
    lines = [text("audit.as-of", lang, as_of=iso(report.as_of)), text("audit.commit", lang, commit=commit_text(report, lang))]
    if report.nested:
        lines.append(text("audit.scope-rollup" if report.rolled else "audit.scope-own", lang))
    return lines


def headings(lang: str) -> list[str]:
    """The summary's columns: rank, unit, the figures, and the previous period's rate with the change."""
    return [text(f"audit.column.{key}", lang) for key in ("rank", "unit", *COLUMNS, "previous_rate", "change")]


RIGHT = {0, *range(2, len(COLUMNS) + 4)}  # the summary's columns but the unit's name: figures, right-aligned


def rate_text(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def change_text(now: Figures, before: Figures) -> str:
    """环比 in percentage points, signed (+4.2 / −3.0); — when either rate is missing."""
    if now.on_time_rate is None or before.on_time_rate is None:
        return "—"
    points = round((exact_rate(now) - exact_rate(before)) * 100, 1)
    return f"+{points:.1f}" if points > 0 else f"−{-points:.1f}" if points < 0 else "0.0"


def exact_rate(figures: Figures) -> float:
    """The on-time rate unrounded (the change is counted from these, not from the three-decimal rates)."""
    return figures.done / (figures.due - figures.exempt - figures.pending)


def figure_cells(figures: Figures) -> list[str]:
    return [*(str(getattr(figures, key)) for key in COUNTS), rate_text(figures.on_time_rate)]


def summary_cells(row: UnitRow, rolled: bool) -> list[str]:
    now, before = row.shown(rolled), row.previous_shown(rolled)
    return ["" if row.rank is None else str(row.rank), tree_name(row), *figure_cells(now),
            rate_text(before.on_time_rate), change_text(now, before)]


def totals_cells(report: Audit, lang: str) -> list[str]:
    return ["", text("audit.totals", lang), *figure_cells(report.totals),
            rate_text(report.previous_totals.on_time_rate), change_text(report.totals, report.previous_totals)]


def tree_name(row: UnitRow) -> str:
    return row.unit.name if row.depth == 0 else "\u3000" * (row.depth - 1) + "└ " + row.unit.name


def chase_headings(lang: str) -> list[str]:
    return [text(key, lang) for key in ("listing.column.rule", "listing.column.what", "listing.column.due",
                                        "audit.column.status", "audit.column.lateness")]


def chase_cells(report: Audit, o: Occurrence, lang: str) -> list[str]:
    what = o.period or report.titles.get(o.item or "", "") or o.item or ""
    status = text("listing.status-met", lang, status=text(f"status.{o.status}", lang), met=met_cell(o, lang))
    return [o.rule_name, what, due_cell(o, lang), status, lateness_text(o, report.as_of, lang)]


def lateness_text(o: Occurrence, as_of: date | datetime, lang: str) -> str:
    """How late: days, or hours for an `hours` deadline missed by less than a day (never "0 天")."""
    until = o.met_on if o.status == "late" and o.met_on is not None else as_of
    if isinstance(o.due, datetime) and isinstance(until, datetime):
        hours = (until.replace(tzinfo=None) - o.due.replace(tzinfo=None)).total_seconds() / 3600
        if hours < 24:
            return text("audit.late-hours", lang, hours=f"{hours:.1f}".removesuffix(".0"))
    return text("audit.late-days", lang, days=max(1, o.days_overdue(as_of)))


def chased_rows(report: Audit) -> list[UnitRow]:
    return [row for row in report.rows if row.chase]


def signature(report: Audit, lang: str) -> list[str]:
    """落款: the office, then the day the figures stand at."""
    day = day_of(report.as_of)
    shown = f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else f"{day.day} {day:%B} {day.year}"
    return [line for line in (report.office, shown) if line]


# renderers ---------------------------------------------------------------------------------------


def render_json(report: Audit, lang: str) -> str:
    document = {
        "period": str(report.quarter),
        **({"quarter": str(report.quarter)} if report.quarter.kind == "quarter" else {}),
        "as_of": iso(report.as_of),
        "commit": report.commit,
        "office": report.office,
        "units": [{"unit": row.unit.id, "name": row.unit.name, "parent": row.unit.parent,
                   "own": row.own.as_json(), "rollup": row.rollup.as_json(), "rank": row.rank,
                   "previous": {"own": row.previous_own.as_json(), "rollup": row.previous_rollup.as_json()},
                   "chase": [o.as_json(report.as_of) for o in row.chase]} for row in report.rows],
        "totals": report.totals.as_json(),
        "previous": {"period": str(report.previous_period), "totals": report.previous_totals.as_json()},
        "uncommitted_changes": report.dirty,
        "not_counted": [u.as_json() for u in report.uncounted],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = ("unit", "name", "parent", *COLUMNS, "rank", "previous_on_time_rate")


def render_csv(report: Audit, lang: str) -> str:
    """The figures the table shows (rolled up unless --no-rollup), one row per unit, then the totals."""
    from .csvtable import csv_text

    rows = [[row.unit.id, row.unit.name, row.unit.parent, *csv_figures(row.shown(report.rolled)), row.rank,
             csv_rate(row.previous_shown(report.rolled))] for row in report.rows]
    rows.append(["", text("audit.totals", lang), "", *csv_figures(report.totals), "", csv_rate(report.previous_totals)])
    return csv_text(CSV_COLUMNS, rows, lang, csv_label)


def csv_label(column: str) -> str:
    """A column's Chinese name: the table's heading for the figures, else the shared CSV names."""
    if column in COLUMNS or column == "rank":
        return f"audit.column.{column}"
    return "audit.column.previous_rate" if column == "previous_on_time_rate" else f"csv.{column}"


def csv_figures(figures: Figures) -> list:
    return [*(getattr(figures, key) for key in COUNTS), csv_rate(figures)]


def csv_rate(figures: Figures):
    return "" if figures.on_time_rate is None else figures.on_time_rate


def render_md(report: Audit, lang: str) -> str:
    from .narrative import sections

    text_sections = sections(report, lang)
    lines = [f"# {title(report, lang)}", "", *(f"- {line}" for line in header_lines(report, lang)), ""]
    for index, section in enumerate(text_sections):
        lines += [f"## {section.heading}", "", *(line for paragraph in section.paragraphs for line in (paragraph, ""))]
        if index == 0:
            lines += [*summary_md(report, lang), ""]
    if not text_sections:
        lines += [*summary_md(report, lang), ""]
    lines += [*signature(report, lang), "", f"## {text('audit.chase-title', lang)}", ""]
    for row in chased_rows(report):
        lines += [f"### {row.unit.name}", ""]
        lines += md_table(chase_headings(lang), [chase_cells(report, o, lang) for o in row.chase], right={4}) + [""]
    if not chased_rows(report):
        lines += [text("audit.chase-none", lang), ""]
    if report.uncounted:
        lines += [footer(report.uncounted, lang).replace("\n  ", "\n- "), ""]
    return "\n".join(lines)


def summary_md(report: Audit, lang: str) -> list[str]:
    body = [summary_cells(row, report.rolled) for row in report.rows]
    return [*md_table(headings(lang), body, right=RIGHT, footer=totals_cells(report, lang)), "", text("audit.rate-note", lang)]


def md_table(head: list[str], body: list[list[str]], right: set[int], footer: list[str] | None = None) -> list[str]:
    """A pipe table, the `right` columns right-aligned, the footer (totals) in bold."""
    aligns = ["---:" if index in right else "---" for index in range(len(head))]
    rows = [head, aligns, *body] + ([[f"**{cell}**" if cell else "" for cell in footer]] if footer else [])
    return ["| " + " | ".join(_md_cell(cell) for cell in row) + " |" for row in rows]


def _md_cell(cell: str) -> str:
    return printable(cell.replace("|", "\\|"))


# what a narrow terminal goes without, first first: the previous rate, exempt, pending, disclosed, late, change
NARROW_DROPS = (10, 7, 6, 8, 4, 11)


def render_table(report: Audit, lang: str) -> str:
    from .tables import Table

    summary = Table(headings(lang), right=RIGHT, title=title(report, lang), caption=" · ".join(header_lines(report, lang)),
                    optional=NARROW_DROPS)
    for row in report.rows:
        summary.add_row(*summary_cells(row, report.rolled), end_section=row is report.rows[-1])
    summary.add_row(*totals_cells(report, lang))
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

    from .narrative import sections

    environment = Environment(loader=PackageLoader("gongkai_cli", "templates"), autoescape=True,
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return environment.get_template("audit.html.j2").render(
        report=report, lang=lang, title=title(report, lang), header_lines=header_lines(report, lang),
        headings=headings(lang), chase_headings=chase_headings(lang), chased=chased_rows(report),
        sections=sections(report, lang), signature=signature(report, lang), totals=totals_cells(report, lang),
        summary_cells=lambda row: summary_cells(row, report.rolled), chase_cells=lambda o: chase_cells(report, o, lang),
        t=lambda key, **args: text(key, lang, **args),
    )


def render_pdf(report: Audit, lang: str) -> bytes:
    """The html page printed by headless Chromium (report/pdf.py says why that route)."""
    from .pdf import html_to_pdf

    return html_to_pdf(render_html(report, lang))


def render_xlsx(report: Audit, lang: str) -> bytes:
    from .audit_xlsx import workbook

    return workbook(report, lang)


RENDERERS: dict[str, Callable[[Audit, str], str | bytes]] = {
    "table": render_table, "md": render_md, "csv": render_csv, "json": render_json, "html": render_html,
    "xlsx": render_xlsx, "pdf": render_pdf,
}
BINARY = ("xlsx", "pdf")
EXTENSIONS = {".md": "md", ".markdown": "md", ".csv": "csv", ".json": "json", ".html": "html", ".htm": "html",
              ".xlsx": "xlsx", ".pdf": "pdf", ".txt": "table"}


def choose_format(given: str | None, output: Path | None, terminal: bool = False,
                  offered: Iterable[str] = tuple(RENDERERS)) -> str:
    """--format when given, else the output file's extension, else the terminal table; an extension
    naming another format than --format is refused (no CSV inside a file called .xlsx).

    xlsx and pdf are bytes: they go to a file, or to a pipe, never onto a terminal."""
    offered = tuple(offered)
    if given is not None and given not in offered:
        raise UsageProblem("error.unknown-format", value=given, choices=" | ".join(offered))
    implied = EXTENSIONS.get(output.suffix.lower()) if output is not None else None
    if given is not None and implied not in (None, "table", given):  # `.txt` takes any text format
        raise UsageProblem("error.format-mismatch", path=output, given=given, implied=implied)
    chosen = given or (implied if output is not None else "table")
    if chosen not in offered:
        extensions = " ".join(suffix for suffix, name in EXTENSIONS.items() if name in offered)
        raise UsageProblem("error.format-from-extension", path=output, choices=extensions)
    if chosen in BINARY and output is None and terminal:
        raise UsageProblem("error.binary-needs-output", format=chosen)
    return chosen


def save(path: Path, content: str | bytes) -> None:
    """Write atomically: a reader sees the old file or the whole new one, never half."""
    from ..load.yamlio import atomic_write

    atomic_write(path, content)
