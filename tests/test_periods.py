from datetime import date, timedelta

import pytest
from gongkai_cli.schedule.periods import (
    PERIOD_KINDS,
    Period,
    due_date,
    periods_between,
)
from hypothesis import given, settings
from hypothesis import strategies as st

PROPERTY = settings(max_examples=200, deadline=None)
PERIODS_PER_YEAR = {"month": 12, "quarter": 4, "half-year": 2, "year": 1}
any_day = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
due_days = st.one_of(st.integers(1, 31), st.just("last"))


@st.composite
def periods(draw):
    kind = draw(st.sampled_from(PERIOD_KINDS))
    return Period(kind, draw(st.integers(1900, 2200)), draw(st.integers(1, PERIODS_PER_YEAR[kind])))


def month_length(year, month):
    return ((date(year + month // 12, month % 12 + 1, 1)) - date(year, month, 1)).days


# -- known answers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "period, from_, months, day, due",
    [
        ("2024-09", "end", 0, 5, date(2024, 10, 5)),  # S2 monthly by the 5th
        ("2023Q4", "end", 1, "last", date(2024, 2, 29)),  # S3 relief, Q4 → end of Feb (leap)
        ("2024Q1", "end", 1, "last", date(2024, 5, 31)),
        ("2024Q2", "end", 1, "last", date(2024, 8, 31)),
        ("2024Q3", "end", 1, "last", date(2024, 11, 30)),
        ("2024Q4", "end", 1, "last", date(2025, 2, 28)),
        ("2024Q3", "start", 0, 10, date(2024, 7, 10)),  # S4 by the 10th of the quarter's first month
        ("2024Q1", "start", 0, 10, date(2024, 1, 10)),
        ("2024Q4", "start", 0, 10, date(2024, 10, 10)),
        ("2018", "start", 4, 31, date(2018, 5, 31)),  # S3 budget
        ("2017", "end", 8, 30, date(2018, 9, 30)),  # S3 final accounts
        ("2018H1", "end", 1, "last", date(2018, 8, 31)),  # S3 disaster relief
        ("2018H2", "end", 1, "last", date(2019, 2, 28)),
        ("2018", "end", 0, 31, date(2019, 1, 31)),  # S1 annual report, departments
        ("2018", "end", 2, 31, date(2019, 3, 31)),  # S1 annual report, governments
        ("2024-09", "end", 0, 31, date(2024, 10, 31)),
        ("2024-08", "end", 0, 31, date(2024, 9, 30)),  # 31 in a 30-day month clamps
        ("2023-12", "end", 1, 31, date(2024, 2, 29)),  # 31 in February clamps
        ("2024-09", "end", 0, "last", date(2024, 10, 31)),  # S3 stats: during the next month
    ],
)
def test_due_dates(period, from_, months, day, due):
    assert due_date(Period.parse(period), from_, months, day) == due


@pytest.mark.parametrize(
    "text, period",
    [
        ("2024-09", Period("month", 2024, 9)),
        ("2024-9", Period("month", 2024, 9)),
        ("2024Q3", Period("quarter", 2024, 3)),
        ("2024q3", Period("quarter", 2024, 3)),
        ("2024H2", Period("half-year", 2024, 2)),
        ("2024h1", Period("half-year", 2024, 1)),
        ("2024", Period("year", 2024, 1)),
        (2024, Period("year", 2024, 1)),
        (" 2024Q1 ", Period("quarter", 2024, 1)),
    ],
)
def test_parse(text, period):
    assert Period.parse(text) == period


@pytest.mark.parametrize(
    "text",
    ["2024-13", "2024-00", "2024Q5", "2024Q0", "2024H3", "24Q1", "2024-09-01", "", "Q3", "2024 Q3", True, None],
)
def test_parse_rejects_with_a_clear_message(text):
    with pytest.raises(ValueError, match="not a period"):
        Period.parse(text)


def test_canonical_text():
    texts = [str(Period.parse(t)) for t in ("2024-9", "2024q3", "2024h2", 2024)]
    assert texts == ["2024-09", "2024Q3", "2024H2", "2024"]


def test_bounds_and_next():
    q1 = Period.parse("2024Q1")
    assert (q1.start, q1.end) == (date(2024, 1, 1), date(2024, 3, 31))
    assert Period.parse("2024-02").end == date(2024, 2, 29)
    assert Period.parse("2024H2").start == date(2024, 7, 1)
    assert Period.parse("2024").end == date(2024, 12, 31)
    assert Period.parse("2024-12").next() == Period.parse("2025-01")
    assert Period.parse("2024Q4").next() == Period.parse("2025Q1")
    assert Period.parse("2024H1").next() == Period.parse("2024H2")
    assert Period.parse("2024").next() == Period.parse("2025")


def test_of_and_contains():
    assert Period.of("quarter", date(2024, 9, 30)) == Period.parse("2024Q3")
    assert Period.of("half-year", date(2024, 7, 1)) == Period.parse("2024H2")
    assert Period.parse("2024Q3").contains(date(2024, 7, 1))
    assert not Period.parse("2024Q3").contains(date(2024, 10, 1))


def test_periods_between():
    assert [str(p) for p in periods_between("quarter", date(2024, 2, 15), date(2024, 8, 1))] == [
        "2024Q1",
        "2024Q2",
        "2024Q3",
    ]
    assert periods_between("month", date(2024, 3, 1), date(2024, 2, 1)) == []


@pytest.mark.parametrize(
    "args",
    [
        ("middle", 0, 5),
        ("end", -1, 5),
        ("end", 0, 0),
        ("end", 0, 32),
        ("end", 0, "first"),
        ("end", 0, True),
    ],
)
def test_due_date_rejects_bad_rules(args):
    with pytest.raises(ValueError):
        due_date(Period.parse("2024Q1"), *args)


@pytest.mark.parametrize("args", [("week", 2024, 1), ("month", 2024, 13), ("quarter", 2024, 0)])
def test_periods_are_validated(args):
    with pytest.raises(ValueError):
        Period(*args)


# -- properties ------------------------------------------------------------------------------


@PROPERTY
@given(periods())
def test_text_round_trips(period):
    assert Period.parse(str(period)) == period
    assert Period.parse(str(period).lower()) == period


@PROPERTY
@given(periods())
def test_periods_tile_time(period):
    following = period.next()
    assert following.start == period.end + timedelta(days=1)
    assert period.start <= period.end
    assert Period.of(period.kind, period.start) == Period.of(period.kind, period.end) == period


@PROPERTY
@given(st.sampled_from(PERIOD_KINDS), any_day)
def test_a_day_lies_in_its_period(kind, day):
    assert Period.of(kind, day).contains(day)


@PROPERTY
@given(st.sampled_from(PERIOD_KINDS), any_day, st.integers(0, 800))
def test_periods_between_covers_the_range_without_gaps(kind, first, length):
    last = first + timedelta(days=length)
    found = periods_between(kind, first, last)
    assert found[0].contains(first) and found[-1].contains(last)
    assert all(a.next() == b for a, b in zip(found, found[1:]))


@PROPERTY
@given(periods(), st.integers(0, 24), due_days)
def test_due_from_end_is_after_the_period(period, months, day):
    assert due_date(period, "end", months, day) > period.end


@PROPERTY
@given(periods(), st.integers(0, 24), due_days)
def test_due_from_start_is_in_or_after_the_period(period, months, day):
    assert due_date(period, "start", months, day) >= period.start


@PROPERTY
@given(periods(), st.sampled_from(("end", "start")), st.integers(0, 24), due_days)
def test_due_day_is_the_day_asked_for_clamped_to_the_month(period, from_, months, day):
    due = due_date(period, from_, months, day)
    anchor = period.end if from_ == "end" else period.start - timedelta(days=1)
    assert due.year * 12 + due.month == anchor.year * 12 + anchor.month + 1 + months
    length = month_length(due.year, due.month)
    assert due.day == (length if day == "last" else min(day, length))
    assert due_date(period, from_, months + 1, day) > due
