"""`calendar`: the open deadlines as an iCalendar feed, parsed back with icalendar."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from notify_office import AS_OF, notify_office


@pytest.fixture
def office(tmp_path):
    return notify_office(tmp_path / "office")


def events(path_or_text) -> list:
    data = path_or_text.read_bytes() if hasattr(path_or_text, "read_bytes") else path_or_text.encode("utf-8")
    return Calendar.from_ical(data).walk("VEVENT")


def open_occurrences(cli, root, *args) -> list[dict]:
    listed = []
    for command in ("overdue", "due"):
        extra = ["--within", "100000"] if command == "due" else []
        result = cli(root, command, "--as-of", AS_OF, "--format", "json", *extra, *args)
        assert result.exit_code == 0, result.stderr
        listed += json.loads(result.stdout)
    return listed


def test_one_event_per_open_occurrence_with_stable_uids(cli, office, tmp_path):
    target = tmp_path / "deadlines.ics"
    first = cli(office, "calendar", "--as-of", AS_OF, "-o", str(target))
    assert first.exit_code == 0, first.stderr
    parsed = events(target)
    expected = open_occurrences(cli, office)
    assert len(parsed) == len(expected) == 7
    assert {(str(e["UID"]).split("/")[0], str(e["UID"]).split("/")[1]) for e in parsed} == \
        {(o["rule"], o["unit"]) for o in expected}
    uids = [str(e["UID"]) for e in parsed]
    assert len(set(uids)) == len(uids)
    again = cli(office, "calendar", "--as-of", "2024-10-12", "-o", str(target))
    assert again.exit_code == 0
    assert sorted(str(e["UID"]) for e in events(target)) == sorted(uids)


def test_dates_are_all_day_and_hours_rules_are_timed_in_the_office_zone(cli, office):
    result = cli(office, "calendar", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    by_rule = {str(e["UID"]).split("/")[0]: e for e in events(result.stdout)}
    monthly = by_rule["monthly-5th"].decoded("DTSTART")
    assert type(monthly) is date
    assert (by_rule["monthly-5th"].decoded("DTEND") - monthly).days == 1
    timed = by_rule["news-24h"].decoded("DTSTART")
    assert isinstance(timed, datetime) and timed.utcoffset() == ZoneInfo("Asia/Shanghai").utcoffset(timed)
    assert timed.replace(tzinfo=None) == datetime(2024, 10, 12, 9, 0)
    for event in by_rule.values():
        alarms = event.walk("VALARM")
        assert len(alarms) == 1 and alarms[0].decoded("TRIGGER").total_seconds() < 0


def test_summary_names_unit_rule_and_item_and_marks_overdue(cli, office):
    result = cli(office, "calendar", "--as-of", AS_OF)
    summaries = {str(e["UID"]): str(e["SUMMARY"]) for e in events(result.stdout)}
    assert summaries["policy-5d/xiang/2024-xiang-pol1@gongkai"].startswith("【逾期】某乡：5日内公开规范性文件")
    assert "测试条目 2024-zonghe-pol1" in summaries["policy-5d/zonghe/2024-zonghe-pol1@gongkai"]
    assert not summaries["policy-5d/zonghe/2024-zonghe-pol1@gongkai"].startswith("【逾期】")
    english = cli(office, "--lang", "en", "calendar", "--as-of", AS_OF)
    assert any(str(e["SUMMARY"]).startswith("[OVERDUE] ") for e in events(english.stdout))


def test_unit_takes_its_descendants_and_met_deadlines_are_left_out(cli, office):
    result = cli(office, "calendar", "--as-of", AS_OF, "--unit", "xiang")
    units = {str(e["UID"]).split("/")[1] for e in events(result.stdout)}
    assert units == {"xiang", "cun"}
    everything = cli(office, "calendar", "--as-of", AS_OF).stdout
    assert "2024-zonghe-done" not in everything


def test_unknown_unit_is_a_usage_error(cli, office):
    result = cli(office, "calendar", "--unit", "nowhere")
    assert result.exit_code == 2
    assert "nowhere" in result.stderr and "Traceback" not in result.stderr
