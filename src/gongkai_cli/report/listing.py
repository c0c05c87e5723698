"""`overdue` and `due`: which occurrences to list, and the list as a table, JSON or CSV."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ..load.load import Snapshot
from ..messages import text
from ..model.models import day_of
from ..schedule.deadlines import iso
from ..schedule.requests import received_day, request_basis, request_rule
from ..schedule.schedule import Occurrence, descendants
from .uncounted import Uncounted, footer, not_counted


@dataclass
class Listing:
    occurrences: list[Occurrence]
    snapshot: Snapshot
    as_of: date | datetime
    kind: str  # overdue | due
    uncounted: list[Uncounted] = field(default_factory=list)  # what the listing could not count


def overdue(found: list[Occurrence], snapshot: Snapshot, as_of: date | datetime, unit: str | None) -> Listing:
    units = descendants(snapshot, unit) if unit else None
    chosen = [o for o in found if o.status == "overdue" and (units is None or o.unit in units)]
    return Listing(chosen, snapshot, as_of, "overdue", not_counted(snapshot))


def due_within(found: list[Occurrence], snapshot: Snapshot, as_of: date | datetime, days: int,
               unit: str | None) -> Listing:
    units = descendants(snapshot, unit) if unit else None
    horizon = day_of(as_of) + timedelta(days=days)
    chosen = [o for o in found if o.status == "pending" and o.due_day <= horizon and (units is None or o.unit in units)]
    return Listing(chosen, snapshot, as_of, "due", not_counted(snapshot))


def find(found: list[Occurrence], key: str) -> list[Occurrence]:
    """Occurrences named by an item id or a rule id (for --explain)."""
    return [o for o in found if key in (o.item, o.rule)]


def explain(chosen: list[Occurrence], snapshot: Snapshot, as_of: date, lang: str, key: str) -> str:
    """Each chosen occurrence, then its deadline counted day by day."""
    if not chosen:
        return text("listing.explain-none", lang, key=key)
    blocks = []
    items = snapshot.item_by_id
    for o in chosen:
        header = text("listing.explain-header", lang, rule=o.rule, rule_name=o.rule_name, unit=o.unit,
                      what=o.period or o.item or "", due=due_cell(o, lang),
                      status=text(f"status.{o.status}", lang))
        lines = _request_lines(o, snapshot, items.get(o.item), lang) if o.met_by == "replied" else []
        lines.append(text("listing.explain-met-by", lang, met_by=text(f"met-by.{o.met_by}", lang),
                          met=iso(o.met_on) if o.met_on is not None else "—"))
        lines += o.deadline.explain(lang) if o.deadline is not None else []
        blocks.append("\n".join([header, *("  " + line for line in lines)]))
    return "\n\n".join(blocks)


def _request_lines(o: Occurrence, snapshot: Snapshot, item, lang: str) -> list[str]:
    """The law (or the repository's rule) a request is owed under, and the day it was received."""
    rule = request_rule(snapshot.rules, o.rule)
    lines = [text("listing.explain-basis", lang, basis=request_basis(rule, lang))] if rule is not None else []
    if item is not None:
        corrected = text("listing.explain-corrected", lang, day=iso(item.corrected)) if item.corrected else ""
        lines.append(text("listing.explain-received", lang, day=iso(received_day(item)), corrected=corrected))
    return lines


def due_cell(o: Occurrence, lang: str) -> str:
    """The due day as a person reads it: marked when the holiday data was missing (*) or when an
    hours deadline had no time of day to count from."""
    shown = iso(o.due) + (" *" if o.provisional else "")
    return shown + text("listing.untimed", lang) if o.untimed else shown


def met_cell(o: Occurrence, lang: str) -> str:
    """Which date met the occurrence (`报备 2018-07-25`), or is to meet it (`待报备`)."""
    verb = text(f"met-by.{o.met_by}", lang)
    return f"{verb} {iso(o.met_on)}" if o.met_on is not None else text("listing.met-pending", lang, met_by=verb)


def render_json(listing: Listing, lang: str) -> str:
    return json.dumps([o.as_json(listing.as_of) for o in listing.occurrences], ensure_ascii=False, indent=2)


COLUMNS = ("rule", "rule_name", "unit", "unit_name", "period", "item", "due", "status", "days_overdue", "met_by", "met_on",
           "untimed", "title")


def render_csv(listing: Listing, lang: str) -> str:
    from .csvtable import csv_text

    names = {unit.id: unit.name for unit in listing.snapshot.units}
    titles = listing.snapshot.titles(o.item for o in listing.occurrences)
    rows = []
    for o in listing.occurrences:
        row = o.as_json(listing.as_of) | {"unit_name": names.get(o.unit, o.unit), "title": titles.get(o.item or "")}
        rows.append([row[column] for column in COLUMNS])
    return csv_text(COLUMNS, rows, lang)


def render_table(listing: Listing, lang: str) -> str:
    """Grouped by unit, most overdue first within each, then what was not counted."""
    return "\n".join(filter(None, [_table(listing, lang), footer(listing.uncounted, lang)]))


def _table(listing: Listing, lang: str) -> str:
    """Soonest deadline first (for `overdue`, the longest overdue first), the item by its title."""
    from .tables import Table

    if not listing.occurrences:
        return text(f"listing.none-{listing.kind}", lang, as_of=iso(listing.as_of))
    names = {unit.id: unit.name for unit in listing.snapshot.units}
    titles = listing.snapshot.titles(o.item for o in listing.occurrences)
    headings = [text(f"listing.column.{key}", lang) for key in ("unit", "rule", "what", "due", "met-by")]
    table = Table([*headings, text(f"listing.column.days-{listing.kind}", lang)], right={5},
                  title=text(f"listing.title-{listing.kind}", lang, as_of=iso(listing.as_of), count=len(listing.occurrences)))
    for o in sorted(listing.occurrences, key=lambda o: (o.due_day, iso(o.due), names.get(o.unit, o.unit), o.rule)):
        days = o.days_overdue(listing.as_of) if listing.kind == "overdue" else (o.due_day - day_of(listing.as_of)).days
        what = o.period or (f"{titles[o.item]} ({o.item})" if o.item in titles else o.item or "")
        table.add_row(names.get(o.unit, o.unit), o.rule_name, what, due_cell(o, lang), met_cell(o, lang), str(days))
    return table.render()


RENDERERS = {"table": render_table, "json": render_json, "csv": render_csv}
