import os
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai_cli.schedule.calendar import DayInfo, WorkCalendar

CN = WorkCalendar("cn")
WEEKDAYS = WorkCalendar("weekdays")
SRC = Path(__file__).resolve().parents[1] / "src"

# cn data runs 2004–2026; starts stop early enough that n + m working days stay inside it.
cn_days = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 6, 30))
fallback_days = st.dates(min_value=date(2027, 1, 1), max_value=date(2060, 12, 31))
counts = st.integers(min_value=0, max_value=40)
PROPERTY = settings(max_examples=200, deadline=None)


def naive_workdays(is_workday, start, n):
    """Reference model: walk day by day, counting working days after the start."""
    day = start
    while n:
        day += timedelta(days=1)
        n -= is_workday(day)
    return day


@st.composite
def paused_windows(draw, start):
    windows = []
    for _ in range(draw(st.integers(0, 3))):
        first = start + timedelta(days=draw(st.integers(-5, 40)))
        windows.append((first, first + timedelta(days=draw(st.integers(0, 10)))))
    return windows


# -- known answers ---------------------------------------------------------------------------


def test_twenty_workdays_over_national_day_2024():
    assert CN.add_workdays(date(2024, 9, 23), 20) == date(2024, 10, 24)


def test_twenty_workdays_count_the_makeup_weekends_and_skip_the_holiday():
    steps = CN.explain_workdays(date(2024, 9, 23), 20)
    by_day = {step.day: step for step in steps}
    assert by_day[date(2024, 9, 29)].counted is not None
    assert by_day[date(2024, 9, 29)].info.reason == "makeup-workday"
    assert by_day[date(2024, 9, 29)].info.holiday == "国庆节"
    assert by_day[date(2024, 10, 12)].counted is not None
    for day in range(1, 8):
        step = by_day[date(2024, 10, day)]
        assert (step.note, step.counted, step.info.holiday) == ("skipped", None, "国庆节")
    assert steps[0].note == "start" and steps[0].counted is None
    assert (steps[-1].day, steps[-1].note, steps[-1].counted) == (date(2024, 10, 24), "due", 20)


def test_five_days_from_first_of_march():
    assert CN.add_days(date(2024, 3, 1), 5) == date(2024, 3, 6)


def test_days_ending_on_saturday_roll_to_monday_unless_told_not_to():
    assert CN.add_days(date(2024, 3, 4), 5) == date(2024, 3, 11)
    assert CN.add_days(date(2024, 3, 4), 5, roll=False) == date(2024, 3, 9)


def test_days_ending_in_national_day_roll_past_the_holiday():
    assert CN.add_days(date(2024, 9, 26), 5) == date(2024, 10, 8)
    steps = CN.explain_days(date(2024, 9, 26), 5)
    assert [s.note for s in steps] == ["start"] + ["counted"] * 5 + ["roll"] * 6 + ["due"]
    assert steps[-1].day == date(2024, 10, 8) and steps[-1].counted is None


def test_zero_days_is_the_start_rolled():
    assert CN.add_days(date(2024, 3, 1), 0) == date(2024, 3, 1)
    assert CN.add_days(date(2024, 3, 2), 0) == date(2024, 3, 4)
    assert CN.add_days(date(2024, 3, 2), 0, roll=False) == date(2024, 3, 2)
    assert CN.add_workdays(date(2024, 3, 2), 0) == date(2024, 3, 2)


def test_makeup_sunday_2018_is_a_working_day():
    assert CN.is_workday(date(2018, 9, 30))
    assert CN.info(date(2018, 9, 30)).reason == "makeup-workday"
    assert not WEEKDAYS.is_workday(date(2018, 9, 30))


@pytest.mark.parametrize(
    "day, name",
    [
        (date(2024, 1, 1), "元旦"),
        (date(2024, 2, 12), "春节"),
        (date(2024, 4, 4), "清明节"),
        (date(2024, 5, 1), "劳动节"),
        (date(2024, 6, 10), "端午节"),
        (date(2024, 9, 17), "中秋节"),
        (date(2024, 10, 1), "国庆节"),
        (date(2015, 9, 3), "抗战胜利70周年纪念日"),
    ],
)
def test_holidays_carry_their_chinese_name(day, name):
    assert CN.info(day) == DayInfo(day, False, "holiday", name)


def test_plain_days_have_plain_reasons():
    assert CN.info(date(2024, 9, 23)).reason == "workday"
    assert CN.info(date(2024, 9, 28)).reason == "weekend"
    assert CN.info(date(2024, 9, 28)).holiday is None
    assert WEEKDAYS.info(date(2024, 10, 1)).reason == "workday"


def test_datetimes_are_looked_up_as_their_date():
    assert not CN.is_workday(datetime(2024, 10, 1, 9, 30))
    assert CN.add_workdays(datetime(2024, 9, 23, 14, 0), 20) == date(2024, 10, 24)


def test_year_without_data_falls_back_to_weekdays():
    calendar = WorkCalendar("cn")
    assert calendar.missing_years == set()
    assert calendar.info(date(2027, 1, 4)) == DayInfo(date(2027, 1, 4), True, "fallback", None)
    assert not calendar.is_workday(date(2027, 1, 2))
    assert calendar.missing_years == {2027}
    assert WorkCalendar("weekdays").is_workday(date(2027, 1, 4))
    assert WorkCalendar("weekdays").missing_years == set()


def test_overrides_fix_a_fallback_year():
    calendar = WorkCalendar("cn", workdays=[date(2027, 1, 9)], holidays=[date(2027, 1, 4)])
    assert calendar.info(date(2027, 1, 4)).reason == "override-holiday"
    assert not calendar.is_workday(date(2027, 1, 4))
    assert calendar.info(date(2027, 1, 9)).reason == "override-workday"
    assert calendar.is_workday(date(2027, 1, 9))
    assert calendar.add_workdays(date(2027, 1, 1), 1) == date(2027, 1, 5)
    assert calendar.add_workdays(date(2027, 1, 8), 1) == date(2027, 1, 9)
    assert calendar.missing_years == {2027}


def test_overrides_win_over_statutory_data():
    calendar = WorkCalendar("cn", workdays=[date(2024, 10, 1)], holidays=[date(2024, 9, 29)])
    assert calendar.is_workday(date(2024, 10, 1))
    assert not calendar.is_workday(date(2024, 9, 29))
    assert calendar.add_workdays(date(2024, 9, 23), 20) == date(2024, 10, 24)


def test_paused_working_days_are_not_counted():
    # 09-27 (Fri), 09-29 (调休 Sun) and 09-30 (Mon) are paused: three more working days.
    paused = [(date(2024, 9, 27), date(2024, 9, 30))]
    assert CN.add_workdays(date(2024, 9, 23), 20, paused) == date(2024, 10, 29)
    notes = {s.day: s.note for s in CN.explain_workdays(date(2024, 9, 23), 20, paused)}
    assert [notes[date(2024, 9, d)] for d in (27, 28, 29, 30)] == ["paused"] * 4


def test_overlapping_paused_windows_count_once():
    paused = [(date(2024, 9, 27), date(2024, 9, 29)), (date(2024, 9, 29), date(2024, 9, 30))]
    assert CN.add_workdays(date(2024, 9, 23), 20, paused) == date(2024, 10, 29)


def test_hours_never_roll_and_keep_the_timezone():
    shanghai = timezone(timedelta(hours=8))
    formed = datetime(2024, 9, 30, 20, 0, tzinfo=shanghai)
    assert CN.add_hours(formed, 5) == datetime(2024, 10, 1, 1, 0, tzinfo=shanghai)
    assert CN.add_hours(formed, 5).tzinfo is shanghai
    assert CN.add_hours(datetime(2024, 9, 30, 20, 0), 1.5) == datetime(2024, 9, 30, 21, 30)


@pytest.mark.parametrize(
    "call",
    [
        lambda: WorkCalendar("lunar"),
        lambda: WorkCalendar(workdays=[date(2024, 1, 1)], holidays=[date(2024, 1, 1)]),
        lambda: CN.add_days(date(2024, 1, 1), -1),
        lambda: CN.add_workdays(date(2024, 1, 1), -1),
        lambda: CN.add_workdays(date(2024, 1, 1), 3, [(date(2024, 1, 5), date(2024, 1, 2))]),
    ],
)
def test_bad_input_is_a_value_error(call):
    with pytest.raises(ValueError):
        call()


def test_importing_the_module_does_not_load_the_holiday_library():
    code = "import sys, gongkai_cli.schedule.calendar; sys.exit('chinese_calendar' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    assert subprocess.run([sys.executable, "-c", code], env=env).returncode == 0


# -- properties ------------------------------------------------------------------------------


@PROPERTY
@given(cn_days, st.integers(1, 40))
def test_workdays_land_on_a_working_day(start, n):
    assert CN.is_workday(CN.add_workdays(start, n))


@PROPERTY
@given(cn_days, counts)
def test_workdays_match_the_library_day_by_day(start, n):
    assert CN.add_workdays(start, n) == naive_workdays(chinese_calendar.is_workday, start, n)


@PROPERTY
@given(cn_days, counts, counts)
def test_workdays_add_up(start, n, m):
    assert CN.add_workdays(CN.add_workdays(start, n), m) == CN.add_workdays(start, n + m)


@PROPERTY
@given(cn_days, counts)
def test_workdays_strictly_increase_with_n(start, n):
    assert start <= CN.add_workdays(start, n) < CN.add_workdays(start, n + 1)


@PROPERTY
@given(st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 15)))
def test_a_rolled_day_is_the_first_working_day_not_before_it(day):
    rolled = CN.roll(day)
    assert rolled >= day and CN.is_workday(rolled)
    assert all(not CN.is_workday(day + timedelta(days=i)) for i in range((rolled - day).days))
    assert (rolled == day) == CN.is_workday(day)


@PROPERTY
@given(cn_days, st.integers(0, 400))
def test_rolling_days_never_moves_earlier(start, n):
    unrolled = CN.add_days(start, n, roll=False)
    assert unrolled == start + timedelta(days=n)
    assert CN.add_days(start, n) == CN.roll(unrolled) >= unrolled


@PROPERTY
@given(st.data(), cn_days, counts)
def test_explained_workdays_end_where_add_workdays_does(data, start, n):
    paused = data.draw(paused_windows(start))
    steps = CN.explain_workdays(start, n, paused)
    assert steps[0].day == start and steps[0].note == "start"
    assert steps[-1].note == "due" and steps[-1].day == CN.add_workdays(start, n, paused)
    assert [s.counted for s in steps if s.counted is not None] == list(range(1, n + 1))
    if n:
        assert [s.day for s in steps] == [start + timedelta(days=i) for i in range(len(steps))]


@PROPERTY
@given(st.data(), cn_days, counts)
def test_pausing_only_delays(data, start, n):
    paused = data.draw(paused_windows(start))
    due = CN.add_workdays(start, n, paused)
    assert due >= CN.add_workdays(start, n)
    assert n == 0 or not any(first <= due <= last for first, last in paused)


@PROPERTY
@given(cn_days, st.integers(0, 60), st.booleans())
def test_explained_days_end_where_add_days_does(start, n, roll):
    steps = CN.explain_days(start, n, roll)
    assert steps[0].note == "start" and steps[-1].note == "due"
    assert steps[-1].day == CN.add_days(start, n, roll)
    assert sum(s.counted is not None for s in steps) == n


@PROPERTY
@given(fallback_days, counts)
def test_years_without_data_count_monday_to_friday(start, n):
    calendar = WorkCalendar("cn")
    due = calendar.add_workdays(start, n)
    assert due == naive_workdays(lambda d: d.weekday() < 5, start, n)
    assert due == WEEKDAYS.add_workdays(start, n)
    assert calendar.roll(start) == WEEKDAYS.roll(start)
    assert calendar.missing_years and min(calendar.missing_years) >= 2027


@PROPERTY
@given(fallback_days, st.lists(st.integers(0, 60), max_size=8), st.lists(st.integers(0, 60), max_size=8),
       counts)
def test_overrides_are_honoured_when_counting(start, extra, off, n):
    workdays = {start + timedelta(days=i) for i in extra}
    holidays = {start + timedelta(days=i) for i in off} - workdays
    calendar = WorkCalendar("cn", workdays=workdays, holidays=holidays)

    def reference(day):
        return day in workdays or (day not in holidays and day.weekday() < 5)

    due = calendar.add_workdays(start, n)
    assert due == naive_workdays(reference, start, n)
    assert n == 0 or due not in holidays


def test_remembered_deadlines_follow_the_holiday_data_not_the_version_string(cli, tmp_path, monkeypatch):
    """A patched chinese_calendar with the same __version__ (a new 调休 announced, a vendor's copy)
    must not be answered from what was remembered under the old data."""
    import json

    from conftest import item, make_repo

    from gongkai_cli.schedule import calendar as calendar_module

    rules = "- id: r20\n  name: 20个工作日内\n  category: policy-docs\n  within: {workdays: 20}\n"
    root = make_repo(tmp_path / "office", {"rules/r.yaml": rules, **dict([item("2024-zonghe-a1b2", formed="2024-09-23")])})

    def due() -> str:
        result = cli(root, "due", "--within", "60", "--as-of", "2024-09-24", "--format", "json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)[0]["due"]

    assert due() == "2024-10-24"
    before = WorkCalendar().data_digest
    calendar_module._cn_data.cache_clear()
    monkeypatch.setitem(chinese_calendar.holidays, date(2024, 10, 24), "National Day")
    try:
        assert WorkCalendar().data_digest != before
        assert due() == "2024-10-25"
    finally:
        calendar_module._cn_data.cache_clear()
