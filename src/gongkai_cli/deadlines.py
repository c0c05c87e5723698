"""One deadline from a start and an amount, and the day-by-day account of how it was counted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Sequence

from .calendar import DayInfo, Step, WorkCalendar
from .errors import UsageProblem
from .messages import WEEKDAYS, text


@dataclass
class Deadline:
    start: date | datetime
    unit: str  # workdays | days | hours
    amount: int
    due: date | datetime
    steps: list[Step] = field(default_factory=list)

    @property
    def due_text(self) -> str:
        return iso(self.due)

    def explain(self, lang: str) -> list[str]:
        if self.unit == "hours":
            return [text("explain.hours", lang, start=iso(self.start), hours=self.amount, due=iso(self.due))]
        return [explain_step(step, lang) for step in self.steps]


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
        steps = calendar.explain_workdays(day, amount, paused)
    else:
        steps = calendar.explain_days(day, amount, roll=roll)
    return Deadline(day, unit, amount, steps[-1].day, steps)


def describe_day(info: DayInfo, lang: str) -> str:
    return text(f"day.{info.reason}", lang, holiday=info.holiday or "")


def explain_step(step: Step, lang: str) -> str:
    day, weekday = step.day.isoformat(), WEEKDAYS[lang if lang in WEEKDAYS else "zh"][step.day.weekday()]
    why = describe_day(step.info, lang)
    if step.note == "start":
        return text("explain.start", lang, day=day, weekday=weekday)
    if step.note == "due":
        counted = "" if step.counted is None else text("explain.nth", lang, count=step.counted)
        return text("explain.due", lang, day=day, weekday=weekday) + counted
    if step.note == "counted":
        special = step.info.reason not in ("workday", "weekend")
        return text("explain.counted", lang, day=day, weekday=weekday, count=step.counted,
                    why=f"（{why}）" if special and lang != "en" else (f" ({why})" if special else ""))
    if step.note == "paused":
        return text("explain.paused", lang, day=day, weekday=weekday)
    if step.note == "roll":
        return text("explain.roll", lang, day=day, weekday=weekday, why=why)
    return text("explain.skipped", lang, day=day, weekday=weekday, why=why)
