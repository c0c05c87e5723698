"""`deadline`, `overdue`, `due` and `init` through the CLI over real temporary repositories."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from conftest import git, item, make_repo
from gongkai_cli.load.load import load_repository
from gongkai_cli.schedule.schedule import occurrences
from gongkai_cli.schedule.settings import calendar_of

RULES = """\
- id: monthly-5th
  name: 每月5日前公开工作动态
  category: work-news
  units: [zonghe]
  every: month
  due: {from: end, months: 0, day: 5}
  active: {from: 2024-07-01, until: 2024-09-30}
- id: press-quarterly
  name: 每季度至少两次发布会
  category: work-news
  units: [xiang]
  every: quarter
  min_items: 2
  due: {from: start, months: 2, day: last}
  roll: none
  active: {from: 2024-07-01, until: 2024-09-30}
- id: proactive-20wd
  name: 20个工作日内主动公开
  category: policy-docs
  within: {workdays: 20}
- id: interpretation
  name: 政策文件同步解读
  category: policy-docs
  companion: {category: interpretations, within: {days: 0}}
- id: submit
  name: 4月20日前报送
  category: work-news
  unit_kinds: [township]
  once: 2024-04-20
"""


def overdue_json(cli, root, *args):
    result = cli(root, "overdue", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def office(tmp_path):
    files = {"rules/rules.yaml": RULES}
    files.update([
        item("2024-zonghe-jul1", category="work-news", formed="2024-07-20", disclosed="2024-08-05"),
        item("2024-zonghe-aug1", category="work-news", formed="2024-08-20", disclosed="2024-09-10"),
        item("2024-zonghe-pol1", formed="2024-09-23", disclosed="2024-10-24"),
        item("2024-zonghe-pol2", formed="2024-09-23"),
        item("2024-zonghe-int1", category="interpretations", formed="2024-10-24", disclosed="2024-10-25", of="2024-zonghe-pol1"),
        item("2024-xiang-pr01", unit="xiang", category="work-news", formed="2024-07-10", disclosed="2024-07-10"),
        item("2024-cun-pr01", unit="cun", category="work-news", formed="2024-07-11", disclosed="2024-07-11"),
    ])
    return make_repo(tmp_path / "office", files)


def test_deadline_counts_national_day(cli):
    result = cli(None, "deadline", "2024-09-23", "--workdays", "20")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "2024-10-24"


def test_deadline_explain_names_holidays_and_makeup_days(cli):
    result = cli(None, "deadline", "2024-09-23", "--workdays", "20", "--explain")
    assert "国庆节" in result.stdout and "调休" in result.stdout
    assert result.stdout.splitlines()[1].startswith("2024-09-23")


@pytest.mark.parametrize("args, expected", [
    (("2024-03-01", "--days", "5"), "2024-03-06"),
    (("2024-09-27", "--days", "1"), "2024-09-29"),   # a 调休 Sunday is a working day
    (("2024-09-30", "--days", "1"), "2024-10-08"),   # National Day rolls to the first working day
    (("2024-09-30", "--days", "1", "--no-roll"), "2024-10-01"),
    (("2024-09-30T10:00", "--hours", "5"), "2024-09-30T15:00"),
    (("2024-09-30T22:00", "--hours", "24"), "2024-10-01T22:00"),  # hours never roll
])
def test_deadline_arithmetic(cli, args, expected):
    result = cli(None, "deadline", *args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == expected


def test_deadline_without_calendar_data_warns_and_answers(cli):
    result = cli(None, "deadline", "2031-01-03", "--workdays", "1")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "2031-01-06"
    assert "2031" in result.stderr and "暂定" in result.stderr


@pytest.mark.parametrize("args", [("2024-02-30", "--days", "1"), ("2024-09-30", "--hours", "5"), ("2024-09-30",)])
def test_deadline_bad_input_exits_2(cli, args):
    result = cli(None, "deadline", *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


def test_overdue_json_shape_and_statuses(cli, office):
    rows = overdue_json(cli, office, "--as-of", "2024-11-01")
    assert rows == sorted(rows, key=lambda r: (r["due"], r["unit"]))
    keys = {"rule", "unit", "period", "item", "due", "status", "days_overdue"}
    assert all(keys <= row.keys() and row["status"] == "overdue" for row in rows)
    found = {(r["rule"], r["unit"], r["period"], r["item"], r["due"], r["days_overdue"]) for r in rows}
    assert found == {
        ("monthly-5th", "zonghe", "2024-09", None, "2024-10-08", 24),
        ("press-quarterly", "xiang", "2024Q3", None, "2024-09-30", 32),
        ("proactive-20wd", "zonghe", None, "2024-zonghe-pol2", "2024-10-24", 8),
    }


def test_once_rule_rolls_and_is_met_late_by_a_later_item(cli, office):
    rows = overdue_json(cli, office, "--as-of", "2024-07-01")
    assert ("submit", "xiang", "2024-04-22", 70) in {(r["rule"], r["unit"], r["due"], r["days_overdue"]) for r in rows}
    assert "submit" not in {r["rule"] for r in overdue_json(cli, office, "--as-of", "2024-11-01")}


def test_late_and_done_are_not_overdue(cli, office):
    rows = overdue_json(cli, office, "--as-of", "2024-11-01")
    assert not any(r["period"] in ("2024-07", "2024-08") for r in rows)  # met (one late)
    assert not any(r["item"] == "2024-zonghe-pol1" for r in rows)        # done on its due day
    assert not any(r["rule"] == "interpretation" for r in rows)          # late interpretation is met


def test_unit_includes_descendants(cli, office):
    rows = overdue_json(cli, office, "--as-of", "2024-11-01", "--unit", "xiang")
    assert {r["unit"] for r in rows} == {"xiang"}
    assert overdue_json(cli, office, "--as-of", "2024-11-01", "--unit", "cun") == []


def test_unknown_unit_and_bad_date_exit_2(cli, office):
    assert cli(office, "overdue", "--unit", "nobody").exit_code == 2
    assert cli(office, "overdue", "--as-of", "2024-13-01").exit_code == 2


def test_fail_flag(cli, office):
    assert cli(office, "overdue", "--as-of", "2024-11-01", "--fail").exit_code == 1
    assert cli(office, "overdue", "--as-of", "2024-07-01", "--fail", "--unit", "zonghe").exit_code == 0


def test_as_of_ignores_later_disclosures(cli, office):
    rows = overdue_json(cli, office, "--as-of", "2024-08-31")
    assert ("monthly-5th", "2024-07") not in {(r["rule"], r["period"]) for r in rows}
    rows = overdue_json(cli, office, "--as-of", "2024-09-09")
    assert ("monthly-5th", "2024-08") in {(r["rule"], r["period"]) for r in rows}


def test_due_within(cli, office):
    result = cli(office, "due", "--as-of", "2024-10-01", "--within", "10", "--format", "json")
    rows = json.loads(result.stdout)
    assert {(r["rule"], r["period"], r["due"], r["status"]) for r in rows} == {("monthly-5th", "2024-09", "2024-10-08", "pending")}


def test_csv_reads_back_with_the_csv_module(cli, office):
    import csv
    import io

    result = cli(office, "--lang", "en", "overdue", "--as-of", "2024-11-01", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {row["rule"] for row in rows} == {"monthly-5th", "press-quarterly", "proactive-20wd"}
    assert len(result.stdout.strip().splitlines()) == 4


def test_table_groups_by_unit_in_chinese(cli, office):
    result = cli(office, "overdue", "--as-of", "2024-11-01")
    assert "综合处" in result.stdout and "每月5日前公开工作动态" in result.stdout and "逾期天数" in result.stdout
    english = cli(office, "overdue", "--as-of", "2024-11-01", "--lang", "en")
    assert "days overdue" in english.stdout


def test_explain_one_occurrence(cli, office):
    result = cli(office, "overdue", "--as-of", "2024-11-01", "--explain", "2024-zonghe-pol2")
    assert result.exit_code == 0
    assert "国庆节" in result.stdout and "2024-10-24" in result.stdout


def test_on_request_clock(cli, tmp_path):
    request = item("2024-zonghe-req1", category="work-news", formed="2024-09-20", mode="on-request",
                   received="2024-09-20", corrected="2024-09-23", extended="true")
    request = (request[0], request[1] + "paused:\n  - {from: 2024-09-27, to: 2024-09-30, reason: 征求第三方意见}\n")
    root = make_repo(tmp_path / "o", dict([request]))
    rows = json.loads(cli(root, "due", "--as-of", "2024-09-23", "--within", "90", "--format", "json").stdout)
    # corrected 09-23, 40 working days, 09-27..09-30 not counted
    assert [(r["rule"], r["item"], r["due"]) for r in rows] == [("law-request-20wd", "2024-zonghe-req1", "2024-11-26")]


def test_hours_rule_overdue_by_instant(cli, tmp_path):
    rules = "- id: major-5h\n  name: 5小时内发布\n  category: work-news\n  within: {hours: 5}\n"
    late = item("2024-zonghe-evt1", category="work-news", formed="2024-09-30T10:00", disclosed="2024-09-30T15:30")
    root = make_repo(tmp_path / "o", {"rules/r.yaml": rules, **dict([late])})
    assert overdue_json(cli, root, "--as-of", "2024-10-08") == []
    snapshot, _ = load_repository(root)
    [occurrence] = occurrences(snapshot, calendar_of(snapshot.config), date(2024, 10, 8))
    assert (occurrence.due, occurrence.status) == (datetime(2024, 9, 30, 15, 0), "late")


def test_init_creates_a_committed_repository(cli, tmp_path):
    result = cli(None, "init", str(tmp_path / "new"))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "new/gongkai.yaml").is_file()
    assert git(tmp_path / "new", "status", "--porcelain") == ""
    assert cli(tmp_path / "new", "check").exit_code == 0


@pytest.mark.parametrize("name", ["nmg-fupin", "nmg-gov", "xian-fupin", "hohhot-minzheng", "xichuan"])
def test_init_example_copies_a_valid_office(cli, tmp_path, name):
    target = tmp_path / name
    assert cli(None, "init", str(target), "--example", name).exit_code == 0
    assert cli(target, "check").exit_code == 0
    assert list(target.glob("items/*/*/*.yaml"))


def test_init_without_an_identity_writes_nothing(cli, tmp_path, monkeypatch, isolated_git):
    empty = tmp_path / "empty.gitconfig"
    empty.write_text("[init]\n\tdefaultBranch = main\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.delenv("EMAIL", raising=False)
    target = tmp_path / "new"
    result = cli(None, "init", str(target))
    assert result.exit_code == 2 and "git config --global user.name" in result.stderr
    assert not target.exists()
    existing = tmp_path / "existing"
    existing.mkdir()
    (existing / "README.md").write_text("ours\n")
    assert cli(None, "init", str(existing)).exit_code == 2
    assert sorted(p.name for p in existing.iterdir()) == ["README.md"]
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(isolated_git))
    result = cli(None, "init", str(target))  # no "already a gongkai repository"
    assert result.exit_code == 0, result.stderr
    assert git(target, "status", "--porcelain") == ""


def test_a_failed_init_commit_takes_back_only_what_init_wrote(cli, tmp_path):
    """A pre-existing .git whose pre-commit hook refuses: the .git and the office's own files stay."""
    target = tmp_path / "office"
    target.mkdir()
    git(target, "init", "-q")
    (target / "notes.txt").write_text("ours\n")
    (target / ".gitlab-ci.yml").write_text("ours: true\n")
    hook = target / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)
    result = cli(None, "init", str(target))
    assert result.exit_code == 2
    assert sorted(p.name for p in target.iterdir()) == [".git", ".gitlab-ci.yml", "notes.txt"]
    assert (target / ".gitlab-ci.yml").read_text() == "ours: true\n"
    assert git(target, "status", "--porcelain") == "?? .gitlab-ci.yml\n?? notes.txt\n"
    hook.unlink()
    result = cli(None, "init", str(target))
    assert result.exit_code == 0, result.stderr
    assert (target / "gongkai.yaml").is_file()


def test_init_refuses_an_existing_repository_and_unknown_examples(cli, repo, tmp_path):
    assert cli(None, "init", str(repo)).exit_code == 2
    result = cli(None, "init", str(tmp_path / "x"), "--example", "atlantis")
    assert result.exit_code == 2 and "nmg-fupin" in result.stderr


@pytest.mark.parametrize("start, args, expected", [
    ("2024-09-02T20:00-08:00", ("--days", "1"), "2024-09-04"),        # 12:00 on 09-03 in Beijing
    ("2024-09-30T15:00+00:00", ("--hours", "1"), "2024-10-01T00:00"),  # 23:00 Beijing + 1 hour
])
def test_deadline_reads_offsets_in_the_office_timezone(cli, start, args, expected):
    result = cli(None, "deadline", start, *args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == expected


@pytest.mark.parametrize("value", ["20241015", "2024-W42-2", "2024-10-15x"])
def test_only_iso_dates_are_dates(cli, office, value):
    result = cli(office, "overdue", "--as-of", value)
    assert result.exit_code == 2
    assert value in result.stderr


def test_a_decision_without_its_reason_exempts_nothing(cli, tmp_path):
    rules = "- id: proactive-20wd\n  name: 20个工作日内主动公开\n  category: policy-docs\n  within: {workdays: 20}\n"
    with_reason = item("2024-zonghe-nd01", mode="not-disclosed", reason="涉及国家秘密（条例第十四条）")
    without = item("2024-zonghe-nd02", mode="not-disclosed")
    root = make_repo(tmp_path / "o", {"rules/r.yaml": rules, **dict([with_reason, without])})
    snapshot, _ = load_repository(root)
    statuses = {o.item: o.status for o in occurrences(snapshot, calendar_of(snapshot.config), date(2024, 11, 1))}
    assert statuses == {"2024-zonghe-nd01": "exempt", "2024-zonghe-nd02": "overdue"}
