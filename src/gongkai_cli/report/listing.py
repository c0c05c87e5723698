"""`overdue` and `due`: which occurrences to list, and the list as a table, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..load.load import Snapshot
from ..messages import text
from ..schedule.deadlines import iso
from ..schedule.schedule import Occurrence, descendants
from .uncounted import Uncounted, footer, not_counted


@dataclass
class Listing:
    occurrences: list[Occurrence]
    snapshot: Snapshot
    as_of: date
    kind: str  # overdue | due
    uncounted: list[Uncounted] = field(default_factory=list)  # what the listing could not count


def overdue(found: list[Occurrence], snapshot: Snapshot, as_of: date, unit: str | None) -> Listing:
    units = descendants(snapshot, unit) if unit else None
    chosen = [o for o in found if o.status == "overdue" and (units is None or o.unit in units)]
    return Listing(chosen, snapshot, as_of, "overdue", not_counted(snapshot))


def due_within(found: list[Occurrence], snapshot: Snapshot, as_of: date, days: int, unit: str | None) -> Listing:
    units = descendants(snapshot, unit) if unit else None
    horizon = as_of + timedelta(days=days)
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
    for o in chosen:
        header = text("listing.explain-header", lang, rule=o.rule, rule_name=o.rule_name, unit=o.unit,
                      what=o.period or o.item or "", due=o.as_json(as_of)["due"],
                      status=text(f"status.{o.status}", lang))
        lines = o.deadline.explain(lang) if o.deadline is not None else []
        blocks.append("\n".join([header, *("  " + line for line in lines)]))
    return "\n\n".join(blocks)


def render_json(listing: Listing, lang: str) -> str:
    return json.dumps([o.as_json(listing.as_of) for o in listing.occurrences], ensure_ascii=False, indent=2)


COLUMNS = ("rule", "rule_name", "unit", "unit_name", "period", "item", "due", "status", "days_overdue")


def render_csv(listing: Listing, lang: str) -> str:
    names = {unit.id: unit.name for unit in listing.snapshot.units}
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    for o in listing.occurrences:
        row = o.as_json(listing.as_of) | {"unit_name": names.get(o.unit, o.unit)}
        writer.writerow([row[column] if row[column] is not None else "" for column in COLUMNS])
    return stream.getvalue()


def render_table(listing: Listing, lang: str) -> str:
    """Grouped by unit, most overdue first within each, then what was not counted."""
    return "\n".join(filter(None, [_table(listing, lang), footer(listing.uncounted, lang)]))


def _table(listing: Listing, lang: str) -> str:
    from .tables import Table

    if not listing.occurrences:
        return text(f"listing.none-{listing.kind}", lang, as_of=listing.as_of)
    names = {unit.id: unit.name for unit in listing.snapshot.units}
    titles = {"overdue": "listing.title-overdue", "due": "listing.title-due"}
    headings = [text(f"listing.column.{key}", lang) for key in ("unit", "rule", "what", "due")]
    table = Table([*headings, text(f"listing.column.days-{listing.kind}", lang)], right={4},
                  title=text(titles[listing.kind], lang, as_of=listing.as_of, count=len(listing.occurrences)))
    previous = None
    for o in sorted(listing.occurrences, key=lambda o: (names.get(o.unit, o.unit), o.unit, o.due_day)):
        unit_cell = "" if o.unit == previous else f"{names.get(o.unit, o.unit)} ({o.unit})"
        previous = o.unit
        days = o.days_overdue(listing.as_of) if listing.kind == "overdue" else (o.due_day - listing.as_of).days
        due_text = iso(o.due) + (" *" if o.provisional else "")
        table.add_row(unit_cell, o.rule_name, o.period or o.item or "", due_text, str(days))
    return table.render()


RENDERERS = {"table": render_table, "json": render_json, "csv": render_csv}
