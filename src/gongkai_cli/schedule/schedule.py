"""Rules × units × periods (or items) → occurrences, each with its deadline and status as of a day."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import Iterable, Iterator
from zoneinfo import ZoneInfo

from ..load.cache import collection_paused
from ..load.load import Snapshot
from ..model.models import (
    CompanionRule,
    EventRule,
    Item,
    OnceRule,
    PeriodicRule,
    RequestRule,
    Unit,
    Within,
    day_of,
)
from ..model.where import matches
from .calendar import WorkCalendar
from .deadlines import Deadline, compute_deadline, iso, untimed_hours
from .periods import Period, due_date, periods_between
from .requests import builtins_kept, owed_by, received_day, repository_requests, rule_name

STATUSES = ("done", "late", "overdue", "pending", "exempt")
EXEMPT_MODES = ("nil", "not-disclosed")
# Without an active window, periodic rules are owed from the first item's year to a year past as-of.
HORIZON = timedelta(days=366)


@dataclass(frozen=True, slots=True)  # slots: 130 bytes each, not 530 (150,000 a day at 300,000 items)
class Occurrence:
    rule: str
    rule_name: str
    unit: str
    period: str | None
    item: str | None
    due: date | datetime
    status: str
    met_on: date | datetime | None = None
    provisional: bool = False
    met_by: str = "disclosed"  # which date of the item meets it: disclosed | filed | formed | replied
    untimed: bool = False  # an hours deadline counted from a day without a time of day (judged at its last day)
    deadline: Deadline | None = field(default=None, compare=False, repr=False)

    @property
    def due_day(self) -> date:
        return day_of(self.due)

    @property
    def quarter(self) -> Period:
        return Period.of("quarter", self.due_day)

    def days_overdue(self, as_of: date | datetime) -> int:
        """Days past the deadline: until as-of when unmet, until the disclosure when late."""
        if self.status == "overdue":
            return (day_of(as_of) - self.due_day).days
        if self.status == "late" and self.met_on is not None:
            return (day_of(self.met_on) - self.due_day).days
        return 0

    def as_json(self, as_of: date | datetime) -> dict:
        return {
            "rule": self.rule,
            "unit": self.unit,
            "period": self.period,
            "item": self.item,
            "due": iso(self.due),
            "status": self.status,
            "days_overdue": self.days_overdue(as_of),
            "rule_name": self.rule_name,
            "met_on": iso(self.met_on) if self.met_on is not None else None,
            "met_by": self.met_by,
            "provisional": self.provisional,
            "untimed": self.untimed,
        }


@dataclass
class Scheduler:
    """Computes every occurrence of a snapshot's rules as of one day (or one instant: `hours`
    deadlines are then judged at it, and only what happened by then counts)."""

    snapshot: Snapshot
    calendar: WorkCalendar
    as_of: date | datetime
    zone: ZoneInfo = field(init=False)
    at: datetime | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        try:
            self.zone = ZoneInfo(self.snapshot.config.timezone)
        except Exception:  # noqa: BLE001 - an unknown zone name: the office default
            self.zone = ZoneInfo("Asia/Shanghai")
        if isinstance(self.as_of, datetime):
            self.at = self.local(self.as_of)
            self.as_of = self.at.date()
        self.missing_years = self.calendar.missing_years
        self.deadlines: dict[tuple, Deadline] = {}  # one Deadline per (start, unit, amount, roll, pauses)
        self.names: dict[tuple, tuple[str, str]] = {}  # (id(rule), lang) → (its name, met_by)
        self.periods_of: dict[tuple, Period] = {}  # (kind, item.period or formed day) → the item's period
        self.by_category: dict[str, list[Item]] = defaultdict(list)
        self.companions_of: dict[str, list[Item]] = defaultdict(list)
        for item in self.snapshot.items:
            self.by_category[item.category].append(item)
            if item.of is not None:
                self.companions_of[item.of].append(item)

    # -- who owes what ---------------------------------------------------------------------

    def owing_units(self, rule) -> list[Unit]:
        return owing_units(self.snapshot, rule)

    def items_of(self, rule) -> Iterator[Item]:
        """The items of the rule's categories that its `where` covers."""
        for category in rule.categories:
            if rule.where:
                yield from (item for item in self.by_category.get(category, ()) if matches(rule.where, item))
            else:
                yield from self.by_category.get(category, ())

    # -- statuses ----------------------------------------------------------------------------

    def visible(self, moment: date | datetime | None) -> date | datetime | None:
        """A disclosure counts only if it happened on or before as-of (reports are reproducible)."""
        if moment is None:
            return None
        if type(moment) is date:
            return None if moment > self.as_of else moment
        if isinstance(moment, datetime):
            moment = self.local(moment)
            if self.at is not None:
                return None if moment > self.at else moment
            return None if moment.date() > self.as_of else moment
        return None if moment > self.as_of else moment

    def met(self, item: Item, met_by: str) -> date | datetime | None:
        """The item's date that meets a rule (`met_by`), once it is on or before as-of."""
        return self.visible(getattr(item, met_by))

    def local(self, moment: date | datetime) -> date | datetime:
        if type(moment) is date:
            return moment
        if isinstance(moment, datetime) and moment.tzinfo is not None:
            return moment.astimezone(self.zone).replace(tzinfo=None)
        return moment

    def status(self, due: date | datetime, met_on: date | datetime | None, exempt: bool = False) -> str:
        if exempt:
            return "exempt"
        if met_on is not None:
            if type(met_on) is date and type(due) is date:
                return "done" if met_on <= due else "late"
            return "done" if _on_time(met_on, due) else "late"
        if type(due) is date:
            return "overdue" if self.as_of > due else "pending"
        if isinstance(due, datetime) and self.at is not None:
            return "overdue" if self.at > due else "pending"
        return "overdue" if self.as_of > day_of(due) else "pending"

    def occurrence(self, rule, unit: str, due: date | datetime, met_on, period: str | None = None,
                   item: str | None = None, exempt: bool = False, deadline: Deadline | None = None,
                   lang: str = "zh") -> Occurrence:
        named = self.names.get((id(rule), lang))
        if named is None:
            named = self.names[(id(rule), lang)] = (rule_name(rule, lang), "replied" if isinstance(rule, RequestRule)
                                                    else rule.met_by)
        return made((rule.id, named[0], unit, period, item, due, self.status(due, met_on, exempt), met_on,
                     (due.year if type(due) is date else day_of(due).year) in self.missing_years,
                     named[1], deadline is not None and deadline.untimed, deadline))

    # -- the four shapes --------------------------------------------------------------------

    def periodic(self, rule: PeriodicRule) -> Iterator[Occurrence]:
        first, last = self.window(rule)
        counted: dict[tuple[str, Period], list] = defaultdict(list)
        exempted: set[tuple[str, Period]] = set()
        for item in self.items_of(rule):
            key = (item.unit, self.item_period(item, rule.every))
            met_on = self.met(item, rule.met_by)
            if exempts(item):
                exempted.add(key)
            elif met_on is not None:
                counted[key].append(met_on)
        # the periods and their deadlines are the same for every unit: worked out once per rule
        dated = [(period, str(period), self.fixed(due_date(period, rule.due.from_, rule.due.months, rule.due.day), rule.roll))
                 for period in periods_between(rule.every, first, last)]
        for unit in self.owing_units(rule):
            for period, period_text, deadline in dated:
                met = sorted(counted.get((unit.id, period), []), key=_sort_key)
                met_on = met[rule.min_items - 1] if len(met) >= rule.min_items else None
                yield self.occurrence(rule, unit.id, deadline.due, met_on, period=period_text,
                                      exempt=(unit.id, period) in exempted, deadline=deadline)

    def window(self, rule: PeriodicRule) -> tuple[date, date]:
        active = rule.active
        if active is not None and active.from_ is not None and active.until is not None:
            return active.from_, active.until
        formed = [day_of(item.formed) for item in self.items_of(rule)]
        first = active.from_ if active and active.from_ else date(min(formed + [self.as_of]).year, 1, 1)
        last = active.until if active and active.until else self.as_of + HORIZON
        return first, last

    def item_period(self, item: Item, kind: str) -> Period:
        key = (kind, item.period, None if item.period is not None else day_of(item.formed))
        found = self.periods_of.get(key)
        if found is None:
            if item.period is not None:
                found = Period.of(kind, Period.parse(item.period).start)
            else:
                found = Period.of(kind, day_of(item.formed))
            self.periods_of[key] = found
        return found

    def event(self, rule: EventRule) -> Iterator[Occurrence]:
        owing = {unit.id for unit in self.owing_units(rule)}
        within_unit, amount, roll = rule.within.unit, rule.within.amount, rule.roll != "none"
        for item in self.items_of(rule):
            if item.unit not in owing or item.mode in ("nil", "on-request"):
                continue
            formed = self.local(item.formed)
            if rule.active is not None and not rule.active.contains(day_of(formed)):
                continue
            deadline = self.deadline_after(formed, within_unit, amount, roll)
            # a decision not to disclose waives a disclosure, not a filing (报备) or the event itself
            exempt = exempts(item) if rule.met_by == "disclosed" else False
            yield self.occurrence(rule, item.unit, deadline.due, self.met(item, rule.met_by),
                                  item=item.id, exempt=exempt, deadline=deadline)

    def companion(self, rule: CompanionRule) -> Iterator[Occurrence]:
        owing = {unit.id for unit in self.owing_units(rule)}
        within = rule.companion.within
        within_unit, amount, roll = within.unit, within.amount, rule.roll != "none"
        for item in self.items_of(rule):
            disclosed = self.visible(item.disclosed)
            if item.unit not in owing or item.mode != "proactive" or disclosed is None:
                continue
            if rule.active is not None and not rule.active.contains(day_of(self.local(item.formed))):
                continue
            deadline = self.deadline_after(disclosed, within_unit, amount, roll)
            partners = [c for c in self.companions_of.get(item.id, ()) if c.category == rule.companion.category
                        and (not rule.companion.same_unit or c.unit == item.unit) and matches(rule.where, c)]
            met = sorted(filter(None, (self.met(c, rule.met_by) for c in partners if c.mode not in EXEMPT_MODES)),
                         key=_sort_key)
            exempt = any(exempts(c) for c in partners)
            yield self.occurrence(rule, item.unit, deadline.due, met[0] if met else None,
                                  item=item.id, exempt=exempt, deadline=deadline)

    def once(self, rule: OnceRule) -> Iterator[Occurrence]:
        if rule.active is not None and not rule.active.contains(rule.once):
            return
        deadline = self.fixed(rule.once, rule.roll)
        due = deadline.due
        for unit in self.owing_units(rule):
            items = [item for item in self.items_of(rule)
                     if item.unit == unit.id and day_of(item.formed).year == rule.once.year]
            met = sorted(filter(None, (self.met(i, rule.met_by) for i in items if i.mode not in EXEMPT_MODES)),
                         key=_sort_key)
            exempt = any(exempts(item) for item in items)
            yield self.occurrence(rule, unit.id, due, met[0] if met else None,
                                  period=str(rule.once.year), exempt=exempt, deadline=deadline)

    def requests(self, lang: str = "zh") -> Iterator[Occurrence]:
        """依申请公开: each on-request item under the one request rule that owes it (requests.py),
        from received (or corrected, 条例 art. 30) + within, + extension when extended, pauses not counted."""
        own, kept = repository_requests(self.snapshot.rules), builtins_kept(self.snapshot.rules)
        owing_of: dict[int, set[str]] = {}

        def owing(rule) -> set[str]:
            if id(rule) not in owing_of:
                owing_of[id(rule)] = owing_unit_ids(self.snapshot, rule)
            return owing_of[id(rule)]

        for item in self.snapshot.items:
            if item.mode != "on-request":
                continue
            rule = owed_by(item, own, kept, owing)
            deadline = self.request_deadline(rule, item)
            yield self.occurrence(rule, item.unit, deadline.due, self.visible(item.replied), item=item.id,
                                  deadline=deadline, lang=lang)

    def request_deadline(self, rule: RequestRule, item: Item) -> Deadline:
        start = item.corrected or received_day(item)
        paused = tuple((pause.from_, pause.to) for pause in item.paused)
        within, extension = rule.request.within, rule.request.extension
        if not item.extended or extension is None:
            return self.deadline(start, within.unit, within.amount, rule.roll != "none", paused)
        if extension.unit == within.unit:
            return self.deadline(start, within.unit, within.amount + extension.amount, rule.roll != "none", paused)
        first = self.deadline(start, within.unit, within.amount, rule.roll != "none", paused)
        return self.deadline(first.due, extension.unit, extension.amount, rule.roll != "none", paused)

    def fixed(self, day: date, roll: str) -> Deadline:
        """A deadline on a set date, moved to the next working day unless `roll: none`."""
        return self.deadline(day, "date", 0, roll != "none")

    def deadline_from(self, start: date | datetime, within: Within, roll: str) -> Deadline:
        return self.deadline_after(start, within.unit, within.amount, roll != "none")

    def deadline_after(self, start: date | datetime, unit: str, amount: int, roll: bool) -> Deadline:
        if unit == "hours" and not isinstance(start, datetime):
            return untimed_hours(start, amount)  # never a silent midnight: the last day it can fall on
        return self.deadline(start, unit, amount, roll)

    def deadline(self, start: date | datetime, unit: str, amount: int, roll: bool, paused: tuple = ()) -> Deadline:
        """compute_deadline, once for each distinct start (many items share a day); Deadlines are not changed after."""
        if isinstance(start, datetime) and start.tzinfo is not None:  # equal instants, other clocks: not shared
            return compute_deadline(self.calendar, start, unit, amount, roll=roll, paused=paused)
        key = (type(start), start, unit, amount, roll, paused)
        found = self.deadlines.get(key)
        if found is None:
            found = self.deadlines[key] = compute_deadline(self.calendar, start, unit, amount, roll=roll, paused=paused)
        return found

    def all(self, lang: str = "zh") -> list[Occurrence]:
        shapes = {PeriodicRule: self.periodic, EventRule: self.event, CompanionRule: self.companion, OnceRule: self.once}
        found: list[Occurrence] = []
        for rule in self.snapshot.rules:
            if type(rule) in shapes:
                found.extend(shapes[type(rule)](rule))
        found.extend(self.requests(lang))
        moments: dict = {}  # due → its sort key: a few hundred distinct days among fifty thousand occurrences

        def order(o: Occurrence) -> tuple:
            due = o.due
            moment = moments.get(due)
            if moment is None:
                moment = moments[due] = _sort_key(due)
            return moment, o.unit, o.rule, o.period or "", o.item or ""

        return sorted(found, key=order)


def owing_units(snapshot: Snapshot, rule) -> list[Unit]:
    """The units that owe a rule: its `units` and `unit_kinds`, else its categories' units, else every unit."""
    units = snapshot.units
    if rule.units is not None:
        chosen = set(rule.units)
        units = [unit for unit in units if unit.id in chosen]
    if rule.unit_kinds is not None:
        units = [unit for unit in units if unit.kind in rule.unit_kinds]
    if rule.units is None and rule.unit_kinds is None:
        categories = snapshot.category_by_id
        listed = [categories[c].units for c in rule.categories if c in categories]
        if listed and all(entry is not None for entry in listed):
            chosen = {unit for entry in listed for unit in entry}
            units = [unit for unit in units if unit.id in chosen]
    return units


def owing_unit_ids(snapshot: Snapshot, rule) -> set[str]:
    return {unit.id for unit in owing_units(snapshot, rule)}


def exempts(item: Item) -> bool:
    """A decision not to disclose (or that there is nothing to) counts only with its reason."""
    return item.mode in EXEMPT_MODES and bool((item.reason or "").strip())


_new_occurrence = object.__new__
_PUT_FIELD = tuple(getattr(Occurrence, name).__set__ for name in Occurrence.__slots__)  # in the fields' order
_DEFAULTS = tuple(each.default for each in fields(Occurrence))


def made(values: tuple) -> Occurrence:
    """An Occurrence of its fields' values in order (the last ones may be left to their defaults),
    each slot set directly: the dataclass's own __init__ goes through object.__setattr__, twice as slow."""
    occurrence = _new_occurrence(Occurrence)
    for put, value in zip(_PUT_FIELD, values + _DEFAULTS[len(values):]):
        put(occurrence, value)
    return occurrence


def _sort_key(moment: date | datetime) -> datetime:
    return moment if isinstance(moment, datetime) else datetime(moment.year, moment.month, moment.day, 23, 59, 59)


def _on_time(met_on: date | datetime, due: date | datetime) -> bool:
    """Met on or before the due day (end of day), or the due instant for hours rules."""
    if isinstance(due, datetime) and isinstance(met_on, datetime):
        return met_on <= due
    return day_of(met_on) <= day_of(due)


def occurrences(snapshot: Snapshot, calendar: WorkCalendar, as_of: date | datetime, lang: str = "zh") -> list[Occurrence]:
    with collection_paused():  # fifty thousand occurrences, no cycles among them
        return Scheduler(snapshot, calendar, as_of).all(lang)


def remembered_occurrences(snapshot: Snapshot, calendar: WorkCalendar, as_of: date | datetime,
                           lang: str = "zh") -> list[Occurrence]:
    """`occurrences`, remembered for a working-tree view under its state, the day, the language and
    the holiday data (memo.py), without their deadlines' day-by-day explanations; computed as
    usual for any other snapshot."""
    if snapshot.state is None or snapshot.root is None:
        return occurrences(snapshot, calendar, as_of, lang)
    from ..load.memo import recall, remember

    key = f"{snapshot.state}|{as_of.isoformat()}|{lang}|{calendar.data_digest}"
    found = recall(snapshot.root, "occurrences", key)
    if found is not None:
        missing_years, rows = found
        calendar.missing_years.update(missing_years)
        return list(map(made, rows))
    listed = occurrences(snapshot, calendar, as_of, lang)
    rows = ((o.rule, o.rule_name, o.unit, o.period, o.item, o.due, o.status, o.met_on, o.provisional, o.met_by, o.untimed)
            for o in listed)
    remember(snapshot.root, "occurrences", key, sorted(calendar.missing_years), rows)
    return listed


def child_ids(snapshot: Snapshot) -> dict[str | None, list[str]]:
    """{parent id: ids of its children}; build it once when walking the tree for many units."""
    children: dict[str | None, list[str]] = defaultdict(list)
    for unit in snapshot.units:
        children[unit.parent].append(unit.id)
    return children


def below(children: dict[str | None, list[str]], unit_id: str) -> set[str]:
    """The unit and every unit below it, from a `child_ids` map."""
    found, frontier = {unit_id}, [unit_id]
    while frontier:
        for child in children.get(frontier.pop(), ()):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return found


def descendants(snapshot: Snapshot, unit_id: str) -> set[str]:
    """The unit and every unit below it (villages under their township)."""
    return below(child_ids(snapshot), unit_id)


def select(found: Iterable[Occurrence], statuses: Iterable[str] = STATUSES, units: set[str] | None = None) -> list[Occurrence]:
    wanted = set(statuses)
    return [o for o in found if o.status in wanted and (units is None or o.unit in units)]
