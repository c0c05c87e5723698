"""Reporting periods (month, quarter, half-year, year) and the due dates of periodic rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

PERIOD_KINDS = ("month", "quarter", "half-year", "year")
DUE_FROM = ("end", "start")
_MONTHS_IN = {"month": 1, "quarter": 3, "half-year": 6, "year": 12}
_PATTERNS = (
    (re.compile(r"(\d{4})-(\d{1,2})"), "month"),
    (re.compile(r"(\d{4})[Qq](\d)"), "quarter"),
    (re.compile(r"(\d{4})[Hh](\d)"), "half-year"),
    (re.compile(r"(\d{4})()"), "year"),
)
_EXPECTED = "expected 2024-09 (month), 2024Q3 (quarter), 2024H2 (half-year) or 2024 (year)"


@dataclass(frozen=True, order=True)
class Period:
    kind: str
    year: int
    index: int  # month 1–12, quarter 1–4, half 1–2, year 1

    def __post_init__(self) -> None:
        if self.kind not in PERIOD_KINDS:
            raise ValueError(f"unknown period kind {self.kind!r}; expected one of {', '.join(PERIOD_KINDS)}")
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year out of range: {self.year}")
        count = 12 // _MONTHS_IN[self.kind]
        if not 1 <= self.index <= count:
            raise ValueError(f"{self.kind} number must be 1..{count}, got {self.index}")

    @classmethod
    def parse(cls, text: str | int | Period) -> Period:
        if isinstance(text, Period):
            return text
        if isinstance(text, int) and not isinstance(text, bool):
            text = str(text)
        if not isinstance(text, str):
            raise ValueError(f"not a period: {text!r}; {_EXPECTED}")
        for pattern, kind in _PATTERNS:
            match = pattern.fullmatch(text.strip())
            if match:
                year, index = match.groups()
                try:
                    return cls(kind, int(year), int(index or 1))
                except ValueError as error:
                    raise ValueError(f"not a period: {text!r} ({error})") from None
        raise ValueError(f"not a period: {text!r}; {_EXPECTED}")

    def __str__(self) -> str:
        if self.kind == "month":
            return f"{self.year:04d}-{self.index:02d}"
        if self.kind == "quarter":
            return f"{self.year:04d}Q{self.index}"
        if self.kind == "half-year":
            return f"{self.year:04d}H{self.index}"
        return f"{self.year:04d}"

    @property
    def first_month(self) -> int:
        return (self.index - 1) * _MONTHS_IN[self.kind] + 1

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        return _last_day(*_shift_month(self.year, self.first_month, _MONTHS_IN[self.kind] - 1))

    def next(self) -> Period:
        if self.index == 12 // _MONTHS_IN[self.kind]:
            return Period(self.kind, self.year + 1, 1)
        return Period(self.kind, self.year, self.index + 1)

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    @classmethod
    def of(cls, kind: str, d: date) -> Period:
        if kind not in PERIOD_KINDS:
            raise ValueError(f"unknown period kind {kind!r}; expected one of {', '.join(PERIOD_KINDS)}")
        return cls(kind, d.year, (d.month - 1) // _MONTHS_IN[kind] + 1)


def periods_between(kind: str, first: date, last: date) -> list[Period]:
    """Every period of `kind` that overlaps [first, last], in order."""
    periods: list[Period] = []
    if first > last:
        return periods
    period = Period.of(kind, first)
    while period.start <= last:
        periods.append(period)
        period = period.next()
    return periods


def due_date(period: Period, from_: str, months: int, day: int | str) -> date:
    """The due day of a periodic rule `due: {from, months, day}` for `period`, not rolled.

    `from_="end"`: month 0 is the first month after the period; `"start"`: the period's own first
    month. `day` is a day number or "last"; a day past the month's end clamps to its last day.
    """
    if from_ not in DUE_FROM:
        raise ValueError(f"due.from must be 'end' or 'start', got {from_!r}")
    if isinstance(months, bool) or not isinstance(months, int) or months < 0:
        raise ValueError(f"due.months must be a whole number >= 0, got {months!r}")
    if day != "last" and (isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 31):
        raise ValueError(f"due.day must be 1..31 or 'last', got {day!r}")
    offset = months + (_MONTHS_IN[period.kind] if from_ == "end" else 0)
    year, month = _shift_month(period.year, period.first_month, offset)
    last = _last_day(year, month)
    return last if day == "last" else last.replace(day=min(day, last.day))


def _shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    shifted_year, zero_based = divmod(year * 12 + month - 1 + months, 12)
    return shifted_year, zero_based + 1


def _last_day(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    next_year, next_month = _shift_month(year, month, 1)
    return date(next_year, next_month, 1) - timedelta(days=1)
