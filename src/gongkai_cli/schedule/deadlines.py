"""One deadline from a start and an amount, and the day-by-day account of how it was counted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Sequence

from ..errors import UsageProblem
from ..messages import WEEKDAYS, text
from .calendar import DayInfo, Step, WorkCalendar


@dataclass
class Deadline:
    """A computed deadline; the day-by-day walk behind it is worked out only when asked for."""

    start: date | datetime
    unit: str  # workdays | days | hours | date (a set date: periodic and once rules)
    amount: int
    due: date | datetime
    calendar: WorkCalendar | None = field(default=None, repr=False, compare=False)
    roll: bool = True
    paused: Sequence[tuple[date, date]] = ()

    @property
    def due_text(self) -> str:
        return iso(self.due)

    @property
    def untimed(self) -> bool:
        """An hours deadline counted from a day with no time of day (see untimed_hours)."""
        return self.unit == "hours" and not isinstance(self.start, datetime)

    def steps(self) -> list[Step]:
        if self.calendar is None or self.unit == "hours":
            return []
        if self.unit == "workdays":
            return self.calendar.explain_workdays(self.start, self.amount, self.paused)
        return self.calendar.explain_days(self.start, self.amount, roll=self.roll)

    def explain(self, lang: str) -> list[str]:
        if self.untimed:
            return [text("explain.hours-untimed", lang, start=iso(self.start), hours=self.amount, due=iso(self.due))]
        if self.unit == "hours":
            return [text("explain.hours", lang, start=iso(self.start), hours=self.amount, due=iso(self.due))]
        steps = self.steps()
        if self.unit == "date":
            return [text("explain.fixed", lang, day=steps[0].day.isoformat(), weekday=weekday(steps[0].day, lang))] + [
                explain_step(step, lang) for step in steps[1:]]
        return [explain_step(step, lang) for step in steps]


def weekday(day: date, lang: str) -> str:
    return WEEKDAYS[lang if lang in WEEKDAYS else "zh"][day.weekday()]


def iso(value: date | datetime) -> str:
    """2024-10-24, or 2024-10-01T15:00 for an instant (seconds only when there are any)."""
    if isinstance(value, datetime):
        shown = value.replace(tzinfo=None)
        return shown.isoformat(timespec="seconds" if shown.second else "minutes")
    return value.isoformat()


def compute_deadline(calendar: WorkCalendar, start: date | datetime, unit: str, amount: int,
                     roll: bool = True, paused: Sequence[tuple[date, date]] = ()) -> Deadline:
    if unit == "hours":
        if not isinstance(start, datetime):
            raise UsageProblem("error.hours-needs-time", value=iso(start))
        return Deadline(start, unit, amount, calendar.add_hours(start, amount))
    day = start.date() if isinstance(start, datetime) else start
    if unit == "workdays":
        due = calendar.add_workdays(day, amount, paused)
    elif unit == "date":
        due = calendar.roll(day) if roll else day
    else:
        due = calendar.add_days(day, amount, roll=roll)
    return Deadline(day, unit, amount, due, calendar, roll, tuple(paused))


def untimed_hours(day: date, hours: int) -> Deadline:
    """An hours deadline from a day without a time of day: the last day it can fall on (counted from
    that day's last minute), judged at that day's end — never a silent midnight start."""
    latest = datetime.combine(day, time(23, 59)) + timedelta(hours=hours)
    return Deadline(day, "hours", hours, latest.date())


def describe_day(info: DayInfo, lang: str) -> str:
    return text(f"day.{info.reason}", lang, holiday=info.holiday or "")


def explain_step(step: Step, lang: str) -> str:
    day, named = step.day.isoformat(), weekday(step.day, lang)
    why = describe_day(step.info, lang)
    if step.note == "start":
        return text("explain.start", lang, day=day, weekday=named)
    if step.note == "due":
        counted = "" if step.counted is None else text("explain.nth", lang, count=step.counted)
        return text("explain.due", lang, day=day, weekday=named) + counted
    if step.note == "counted":
        special = step.info.reason not in ("workday", "weekend")
        return text("explain.counted", lang, day=day, weekday=named, count=step.counted,
                    why=f"（{why}）" if special and lang != "en" else (f" ({why})" if special else ""))
    if step.note == "paused":
        return text("explain.paused", lang, day=day, weekday=named)
    if step.note == "roll":
        return text("explain.roll", lang, day=day, weekday=named, why=why)
    return text("explain.skipped", lang, day=day, weekday=named, why=why)
