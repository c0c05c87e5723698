"""Overdue occurrences as findings: a pull request is told what is already late in what it touches."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..load.load import Snapshot
from ..model.findings import Finding
from ..schedule.deadlines import iso
from ..schedule.schedule import Occurrence, occurrences
from ..schedule.settings import calendar_of


def overdue_findings(snapshot: Snapshot, as_of: date, items: set[str] | None = None, units: set[str] | None = None,
                     severity: str = "warning") -> list[Finding]:
    """`overdue-item` for each overdue occurrence of one of `items` or of `units` (None: every one)."""
    owners = {**{("unit", unit.id): unit for unit in snapshot.units}, **{("item", item.id): item for item in snapshot.items}}
    found = []
    for occurrence in occurrences(_relevant(snapshot, items, units), calendar_of(snapshot.config), as_of):
        if occurrence.status == "overdue" and (_among(occurrence.item, items) or _among(occurrence.unit, units)):
            # at the item that owes the disclosure, else at the unit that does
            owner = owners.get(("item", occurrence.item)) or owners.get(("unit", occurrence.unit))
            if owner is not None:
                found.append(_finding(snapshot, owner, occurrence, as_of, severity))
    return found


def _relevant(snapshot: Snapshot, items: set[str] | None, units: set[str] | None) -> Snapshot:
    """The snapshot with only the units that can owe a wanted occurrence (periodic rules × every unit is costly)."""
    if items is None or units is None:
        return snapshot
    owing = units | {item.unit for item in snapshot.items if item.id in items}
    return replace(snapshot, units=[unit for unit in snapshot.units if unit.id in owing], state=None)  # not the files' answer


def _among(value: str | None, chosen: set[str] | None) -> bool:
    return chosen is None or value in chosen


def _finding(snapshot: Snapshot, owner, occurrence: Occurrence, as_of: date, severity: str) -> Finding:
    return snapshot.finding(owner, ("id",), "overdue-item", severity, rule=occurrence.rule,
                            what=occurrence.item or occurrence.period or "", due=iso(occurrence.due),
                            days=occurrence.days_overdue(as_of))
