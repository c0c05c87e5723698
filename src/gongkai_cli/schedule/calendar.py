"""Working days: the one place that knows about holidays.

The cn calendar is PRC statutory holidays plus the 调休 make-up working weekends, as published
by the State Council and packaged by `chinese_calendar`. Where the package has no data for a
year the calendar falls back to Mon–Fri and records the year in `missing_years`; the caller
decides how to tell the user. Explicit `workdays`/`holidays` overrides win over everything.

Counting follows 民法典 art. 201/203: the start day is not counted, and a day count that ends
on a non-working day moves to the next working day.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterable, Sequence

CALENDAR_KINDS = ("cn", "weekdays")
STEP_NOTES = ("start", "counted", "skipped", "paused", "roll", "due")
ONE_DAY = timedelta(days=1)

# chinese_calendar's own Chinese names are abbreviated (清明, 端午) or very long (the 2015 day).
HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


class NoCalendarData(UserWarning):
    """The cn calendar has no data for `year`; Mon–Fri was used instead."""

    def __init__(self, year: int):
        super().__init__(f"no statutory holiday data for {year}; Mon–Fri counted as working days")
        self.year = year


@dataclass(frozen=True)
class DayInfo:
    day: date
    workday: bool
    # workday | weekend | holiday | makeup-workday | override-workday | override-holiday | fallback
    reason: str
    holiday: str | None = None  # Chinese festival name for holiday and makeup-workday


@dataclass(frozen=True)
class Step:
    day: date
    info: DayInfo
    counted: int | None  # running count when the day counts, None when it does not
    note: str  # one of STEP_NOTES


@dataclass
class _CnData:
    holidays: dict[date, str]  # day off -> Chinese festival name
    makeup_workdays: dict[date, str]  # 调休 working weekend day -> festival it serves
    years: range

    @functools.cached_property
    def digest(self) -> str:
        return hashlib.sha1(repr((sorted(self.holidays.items()), sorted(self.makeup_workdays.items()))).encode()).hexdigest()


@functools.lru_cache(maxsize=None)
def _cn_data() -> _CnData:
    """Load chinese_calendar once, lazily: importing it costs time `gongkai --help` should not pay."""
    import chinese_calendar

    def in_chinese(name: str) -> str:
        if name in HOLIDAY_NAMES_ZH:
            return HOLIDAY_NAMES_ZH[name]
        try:
            return chinese_calendar.Holiday(name).chinese
        except ValueError:
            return name

    known = [d.year for d in chinese_calendar.holidays]
    return _CnData(
        holidays={d: in_chinese(name) for d, name in chinese_calendar.holidays.items()},
        makeup_workdays={d: in_chinese(name) for d, name in chinese_calendar.workdays.items()},
        years=range(min(known), max(known) + 1),
    )


def _as_date(d: date) -> date:
    # datetime never equals a date, so a datetime would miss every holiday lookup.
    return d.date() if isinstance(d, datetime) else d


def _check_count(n: int) -> None:
    if n < 0:
        raise ValueError(f"a deadline counts forward: n must be >= 0, got {n}")


def _weekday_info(d: date, reason: str | None = None) -> DayInfo:
    workday = d.weekday() < 5
    return DayInfo(d, workday, reason or ("workday" if workday else "weekend"))


class WorkCalendar:
    def __init__(self, kind: str = "cn", workdays: Iterable[date] = (), holidays: Iterable[date] = ()):
        if kind not in CALENDAR_KINDS:
            raise ValueError(f"unknown calendar {kind!r}; expected one of {', '.join(CALENDAR_KINDS)}")
        self.kind = kind
        self.workdays = frozenset(_as_date(d) for d in workdays)
        self.holidays = frozenset(_as_date(d) for d in holidays)
        both = sorted(self.workdays & self.holidays)
        if both:
            listed = ", ".join(d.isoformat() for d in both)
            raise ValueError(f"listed both as workdays and as holidays: {listed}")
        self.missing_years: set[int] = set()
        self._infos: dict[date, DayInfo] = {}
        self._working: list[int] = []  # ordinals of every working day in years _span[0].._span[1]
        self._span: tuple[int, int] | None = None

    def __repr__(self) -> str:
        return f"WorkCalendar({self.kind!r}, workdays={len(self.workdays)}, holidays={len(self.holidays)})"

    @property
    def data_digest(self) -> str:
        """What the days of this calendar are made of: the holiday data in use (not the package's
        version string, which a repackaged or patched copy keeps) and the overrides."""
        source = _cn_data().digest if self.kind == "cn" else self.kind
        overrides = ",".join(sorted(d.isoformat() for d in self.workdays)) + "|" + \
            ",".join(sorted(d.isoformat() for d in self.holidays))
        return hashlib.sha1(f"{source}|{overrides}".encode()).hexdigest()

    # -- single days ---------------------------------------------------------------------

    def info(self, d: date) -> DayInfo:
        d = _as_date(d)
        found = self._infos.get(d)
        if found is None:
            found = self._infos[d] = self._compute_info(d)
        return found

    def _compute_info(self, d: date) -> DayInfo:
        cn = _cn_data() if self.kind == "cn" else None
        if cn is not None and d.year not in cn.years:
            self.missing_years.add(d.year)
        if d in self.workdays:
            return DayInfo(d, True, "override-workday")
        if d in self.holidays:
            return DayInfo(d, False, "override-holiday")
        if cn is None:
            return _weekday_info(d)
        if d.year not in cn.years:
            return _weekday_info(d, "fallback")
        if d in cn.makeup_workdays:
            return DayInfo(d, True, "makeup-workday", cn.makeup_workdays[d])
        if d in cn.holidays:
            return DayInfo(d, False, "holiday", cn.holidays[d])
        return _weekday_info(d)

    def is_workday(self, d: date) -> bool:
        return self.info(d).workday

    def roll(self, d: date) -> date:
        """`d` if it is a working day, else the next working day (民法典 art. 203)."""
        d = _as_date(d)
        while not self.is_workday(d):
            d += ONE_DAY
        return d

    # -- counting ------------------------------------------------------------------------

    def add_days(self, start: date, n: int, roll: bool = True) -> date:
        _check_count(n)
        due = _as_date(start) + timedelta(days=n)
        return self.roll(due) if roll else due

    def add_workdays(self, start: date, n: int, paused: Sequence[tuple[date, date]] = ()) -> date:
        """The n-th working day after `start`; working days inside a paused window do not count."""
        _check_count(n)
        windows = _paused_windows(paused)
        due, remaining = _as_date(start), n
        while remaining:  # the working days that fell in a paused window are owed again
            reached = self._nth_workday_after(due, remaining)
            remaining = sum(self._workdays_between(max(due, first - ONE_DAY), min(reached, last))
                            for first, last in windows)
            due = reached
        return due

    def add_hours(self, start: datetime, n: int | float) -> datetime:
        return start + timedelta(hours=n)

    # -- explanations --------------------------------------------------------------------

    def explain_days(self, start: date, n: int, roll: bool = True) -> list[Step]:
        _check_count(n)
        start = _as_date(start)
        steps = [Step(start, self.info(start), None, "start")]
        for i in range(1, n + 1):
            day = start + timedelta(days=i)
            steps.append(Step(day, self.info(day), i, "counted"))
        end = steps[-1].day
        if not roll or self.is_workday(end):
            if n == 0:
                return steps + [Step(end, self.info(end), None, "due")]
            return steps[:-1] + [Step(end, self.info(end), n, "due")]
        day = end + ONE_DAY
        while not self.is_workday(day):
            steps.append(Step(day, self.info(day), None, "roll"))
            day += ONE_DAY
        return steps + [Step(day, self.info(day), None, "due")]

    def explain_workdays(self, start: date, n: int, paused: Sequence[tuple[date, date]] = ()) -> list[Step]:
        _check_count(n)
        windows = _paused_windows(paused)
        start = _as_date(start)
        steps = [Step(start, self.info(start), None, "start")]
        if n == 0:
            return steps + [Step(start, self.info(start), None, "due")]
        count, day = 0, start
        while count < n:
            day += ONE_DAY
            info = self.info(day)
            if any(first <= day <= last for first, last in windows):
                steps.append(Step(day, info, None, "paused"))
            elif not info.workday:
                steps.append(Step(day, info, None, "skipped"))
            else:
                count += 1
                steps.append(Step(day, info, count, "due" if count == n else "counted"))
        return steps

    # -- the working-day index behind the fast paths ---------------------------------------

    def _nth_workday_after(self, start: date, n: int) -> date:
        self._cover_years(start.year, start.year)
        while True:
            i = bisect.bisect_right(self._working, start.toordinal()) + n - 1
            if i < len(self._working):
                return date.fromordinal(self._working[i])
            self._cover_years(start.year, self._span[1] + 1)

    def _workdays_between(self, after: date, until: date) -> int:
        """Working days d with after < d <= until."""
        if until <= after:
            return 0
        self._cover_years(after.year, until.year)
        return (bisect.bisect_right(self._working, until.toordinal())
                - bisect.bisect_right(self._working, after.toordinal()))

    def _cover_years(self, first: int, last: int) -> None:
        if self._span is None:
            self._working, self._span = self._working_ordinals(first, last), (first, last)
            return
        low, high = self._span
        if first < low:
            self._working = self._working_ordinals(first, low - 1) + self._working
        if last > high:
            self._working += self._working_ordinals(high + 1, last)
        self._span = (min(first, low), max(last, high))

    def _working_ordinals(self, first_year: int, last_year: int) -> list[int]:
        first, last = date(first_year, 1, 1).toordinal(), date(last_year, 12, 31).toordinal()
        return [o for o in range(first, last + 1) if self.is_workday(date.fromordinal(o))]


def _paused_windows(paused: Sequence[tuple[date, date]]) -> list[tuple[date, date]]:
    """The windows as dates, sorted, with overlapping or touching windows merged."""
    merged: list[tuple[date, date]] = []
    for first, last in sorted((_as_date(a), _as_date(b)) for a, b in paused):
        if first > last:
            raise ValueError(f"paused window ends before it starts: {first} .. {last}")
        if merged and first <= merged[-1][1] + ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged
