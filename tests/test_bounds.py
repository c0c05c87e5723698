"""Every value `check` accepts computes in every command: years are bounded where the format
defines them (models.FIRST_YEAR–LAST_YEAR), and numbers on the command line are bounded too."""

from __future__ import annotations

import pytest
from conftest import item, make_repo

RULE = ("rules/r.yaml", ("- id: monthly\n  name: 每月\n  category: work-news\n  every: month\n"
                         "  due: {from: end, months: 0, day: 5}\n  active: {until: 9999-12-31}\n"))


@pytest.mark.parametrize("files", [
    [item(period="0000Q1")],
    [RULE],
    [item(disclosed="9999-12-31")],
], ids=["period-0000Q1", "until-9999-12-31", "disclosed-9999-12-31"])
@pytest.mark.parametrize("command", [["overdue"], ["due"], ["audit", "--quarter", "2024Q4"]])
def test_a_year_out_of_range_is_a_finding_and_named_by_every_report_never_a_crash(cli, tmp_path, files, command):
    root = make_repo(tmp_path / "office", dict(files))
    result = cli(root, "--lang", "en", *command, "--as-of", "2024-12-01")
    assert "internal error" not in result.stdout + result.stderr
    assert result.exit_code == 0
    assert "year-out-of-range" in result.stdout + result.stderr


@pytest.mark.parametrize("args", [
    ["deadline", "9999-12-31", "--days", "5"],
    ["deadline", "0001-01-01T00:00", "--hours", "5"],
    ["overdue", "--as-of", "9999-12-31"],
    ["disclose", "2024-zonghe-a1b2", "--on", "9999-12-31"],
])
def test_a_date_out_of_range_on_the_command_line_is_refused_clearly(cli, tmp_path, args):
    root = make_repo(tmp_path / "office", dict([item()]))
    result = cli(root, "--lang", "en", *args)
    assert result.exit_code == 2
    assert "the year is outside 1900–2999" in result.stderr


def test_due_within_too_many_days_is_refused_clearly(cli, repo):
    result = cli(repo, "--lang", "en", "due", "--within", "99999999999")
    assert result.exit_code == 2
    assert "--within" in result.stdout + result.stderr and "internal error" not in result.stdout + result.stderr
