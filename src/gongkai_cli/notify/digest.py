"""`remind`: who is told what. Each clerk gets the open occurrences of their units (and the units
below them), overdue first; the admins get one summary of every unit."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from ..load.load import Snapshot
from ..report import listing
from ..schedule.deadlines import iso
from ..schedule.schedule import Occurrence, below, child_ids


@dataclass(frozen=True)
class Line:
    """One thing owed: an overdue or soon-due occurrence, with the names a person reads."""

    unit: str
    unit_name: str
    rule: str
    rule_name: str
    period: str | None
    item: str | None
    title: str | None  # the triggering item's title (event and companion rules)
    due: date | datetime
    status: str  # overdue | pending
    days: int  # days overdue (overdue), days left (pending)
    provisional: bool = False

    @property
    def what(self) -> str:
        return self.title or self.period or self.item or ""

    def as_json(self) -> dict:
        return {"unit": self.unit, "unit_name": self.unit_name, "rule": self.rule, "rule_name": self.rule_name,
                "period": self.period, "item": self.item, "title": self.title, "due": iso(self.due),
                "status": self.status, "days": self.days, "provisional": self.provisional}


@dataclass
class Digest:
    """What one recipient is sent: a clerk's own units' lines, or the admins' summary of all."""

    to: str
    role: str  # clerk | admin
    units: list[str]  # the units the clerk is named for (admin: every unit with a line)
    lines: list[Line]

    @property
    def overdue(self) -> list[Line]:
        return [line for line in self.lines if line.status == "overdue"]

    @property
    def pending(self) -> list[Line]:
        return [line for line in self.lines if line.status == "pending"]


@dataclass
class Reminders:
    office: str
    as_of: date
    within: int
    digests: list[Digest] = field(default_factory=list)
    unit_names: dict[str, str] = field(default_factory=dict)
    clerks_of: dict[str, list[str]] = field(default_factory=dict)  # unit → the clerks told about it


def open_lines(found: list[Occurrence], snapshot: Snapshot, as_of: date, within: int, unit: str | None) -> list[Line]:
    """Overdue (most overdue first), then pending due within `within` days (soonest first)."""
    late = listing.overdue(found, snapshot, as_of, unit).occurrences
    soon = listing.due_within(found, snapshot, as_of, within, unit).occurrences
    names = {u.id: u.name for u in snapshot.units}
    titles = snapshot.titles(o.item for o in [*late, *soon])
    lines = [_line(o, names, titles, o.days_overdue(as_of)) for o in late]
    lines.sort(key=lambda line: (-line.days, line.unit_name, line.rule))
    lines += [_line(o, names, titles, (o.due_day - as_of).days) for o in soon]
    return lines


def _line(o: Occurrence, names: dict[str, str], titles: dict[str, str], days: int) -> Line:
    return Line(o.unit, names.get(o.unit, o.unit), o.rule, o.rule_name, o.period, o.item,
                titles.get(o.item) if o.item else None, o.due, o.status, days, o.provisional)


def clerk_units(snapshot: Snapshot) -> tuple[dict[str, list[str]], dict[str, set[str]]]:
    """({clerk: units they are named for}, {clerk: those units and every unit below them}).
    Addresses are compared without case; the first spelling is kept."""
    children = child_ids(snapshot)
    named: dict[str, list[str]] = defaultdict(list)
    covered: dict[str, set[str]] = defaultdict(set)
    spelling: dict[str, str] = {}
    for unit in snapshot.units:
        for clerk in unit.clerks:
            address = spelling.setdefault(clerk.strip().lower(), clerk.strip())
            named[address].append(unit.id)
            covered[address] |= below(children, unit.id)
    return dict(named), dict(covered)


def reminders(found: list[Occurrence], snapshot: Snapshot, as_of: date, within: int, unit: str | None) -> Reminders:
    """Every clerk's digest (those with something to tell), then the admins' summary."""
    lines = open_lines(found, snapshot, as_of, within, unit)
    named, covered = clerk_units(snapshot)
    result = Reminders(snapshot.config.office, as_of, within, unit_names={u.id: u.name for u in snapshot.units})
    for clerk in sorted(named, key=str.lower):
        theirs = [line for line in lines if line.unit in covered[clerk]]
        if theirs:
            result.digests.append(Digest(clerk, "clerk", named[clerk], theirs))
        for unit_id in {line.unit for line in theirs}:
            result.clerks_of.setdefault(unit_id, []).append(clerk)
    if lines:
        units = sorted({line.unit for line in lines}, key=lambda u: (result.unit_names.get(u, u), u))
        result.digests += [Digest(admin.strip(), "admin", units, lines) for admin in snapshot.config.admins]
    return result
