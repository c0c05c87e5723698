"""What a report cannot count is named where the report is shown, and `--fail` fails on it."""

from __future__ import annotations

import json
import pathlib

import pytest
from conftest import item, make_repo
from gongkai_cli.load import yamlio

RULE = ("rules/proactive.yaml",
        "- id: proactive-20wd\n  name: 二十个工作日内公开\n  category: policy-docs\n  within: {workdays: 20}\n")
AS_OF = ("--as-of", "2024-12-01")


def office(tmp_path, *files: tuple[str, str]) -> pathlib.Path:
    return make_repo(tmp_path / "office", dict([RULE, item("2024-zonghe-0001"), *files]))


def typo_office(tmp_path):
    return office(tmp_path, item("2024-zonghe-0002", category="policy-doc"), item("2024-zonghe-0003", unit="zonge"))


def test_items_of_an_unknown_category_or_unit_are_named_under_the_table_and_on_stderr(cli, tmp_path):
    root = typo_office(tmp_path)
    result = cli(root, "overdue", *AS_OF)
    assert result.exit_code == 0
    assert "2024-zonghe-0001" in result.stdout
    footer = result.stdout.split("未计入 2 项")[1]
    assert "2024-zonghe-0002" in footer and "unknown-category policy-doc" in footer
    assert "2024-zonghe-0003" in footer and "unknown-unit zonge" in footer
    assert "未计入 2 项" in result.stderr


def test_fail_fails_on_what_is_not_counted_even_with_nothing_overdue(cli, tmp_path):
    root = typo_office(tmp_path)
    assert cli(root, "overdue", "--as-of", "2024-09-24", "--fail").exit_code == 1
    clean = office(tmp_path / "clean")
    assert cli(clean, "overdue", "--as-of", "2024-09-24", "--fail").exit_code == 0


def test_json_listing_keeps_its_list_and_names_the_uncounted_on_stderr(cli, tmp_path):
    root = typo_office(tmp_path)
    for command in ("overdue", "due"):
        result = cli(root, command, *AS_OF, "--format", "json")
        assert isinstance(json.loads(result.stdout), list)
        assert "2024-zonghe-0002" in result.stderr and "2024-zonghe-0003" in result.stderr


def test_a_rule_of_an_unknown_category_is_named(cli, tmp_path):
    root = office(tmp_path, ("rules/typo.yaml", "id: monthly\nname: 每月\ncategory: work-new\nevery: month\n"
                                                "due: {from: end, months: 0, day: 5}\n"))
    result = cli(root, "--lang", "en", "overdue", *AS_OF)
    assert "rule monthly: unknown-category work-new" in result.stdout


def test_audit_json_carries_not_counted_and_the_table_a_footer(cli, tmp_path):
    root = typo_office(tmp_path)
    document = json.loads(cli(root, "audit", "--quarter", "2024Q4", *AS_OF, "--format", "json").stdout)
    assert {(entry["name"], entry["reason"], entry["value"]) for entry in document["not_counted"]} == {
        ("2024-zonghe-0002", "unknown-category", "policy-doc"), ("2024-zonghe-0003", "unknown-unit", "zonge")}
    assert document["totals"]["due"] == 1
    for output_format in ("table", "md"):
        shown = cli(root, "audit", "--quarter", "2024Q4", *AS_OF, "--format", output_format).stdout
        assert "未计入 2 项" in shown and "2024-zonghe-0003" in shown


def test_an_unknown_key_is_a_finding_but_the_item_is_counted_and_not_said_to_be_left_out(cli, tmp_path):
    path, content = item("2024-zonghe-0002")
    root = office(tmp_path, (path, content + "notes: 拼错的键\n"))
    result = cli(root, "--lang", "en", "audit", "--quarter", "2024Q4", *AS_OF, "--format", "json")
    document = json.loads(result.stdout)
    assert document["totals"]["due"] == 2 and document["not_counted"] == []
    result = cli(root, "--lang", "en", "audit", "--quarter", "2024Q4", *AS_OF, "--format", "table")
    assert "1 file errors" in result.stderr and "left out" not in result.stderr and "not counted" not in result.stderr


@pytest.fixture
def unreadable(monkeypatch):
    """Files named here cannot be read (as a file without read permission, which root always reads)."""
    names: set[str] = set()
    real = yamlio.read_bounded

    def read_bounded(path, *args):
        if pathlib.Path(path).name in names:  # a Path or its text (the loader passes text)
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args)

    monkeypatch.setattr(yamlio, "read_bounded", read_bounded)
    return names


def test_an_unreadable_rules_file_is_a_finding_and_named_by_the_listing(cli, tmp_path, unreadable):
    root = office(tmp_path)
    unreadable.add("proactive.yaml")
    checked = json.loads(cli(root, "check", "--format", "json").stdout)
    assert ("unreadable-file", "rules/proactive.yaml") in {(f["code"], f["path"]) for f in checked["findings"]}
    result = cli(root, "--lang", "en", "overdue", *AS_OF, "--fail")
    assert result.exit_code == 1
    assert "file rules/proactive.yaml not read (unreadable-file" in result.stdout


def test_an_unreadable_item_is_not_called_empty(cli, tmp_path, unreadable):
    root = office(tmp_path)
    unreadable.add("2024-zonghe-0001.yaml")
    result = cli(root, "check", "--format", "json")
    codes = {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert "unreadable-file" in codes and "empty-file" not in codes
    assert result.exit_code == 1


@pytest.mark.parametrize("broken", ["catalog/units.yaml", "catalog/categories.yaml"])
@pytest.mark.parametrize("command", [("overdue", *AS_OF), ("due", *AS_OF, "--format", "json"),
                                     ("audit", "--quarter", "2024Q4", *AS_OF, "--format", "json")])
def test_a_catalog_that_did_not_load_makes_every_report_exit_1(cli, tmp_path, broken, command):
    """Not some items uncounted: every unit's figures are wrong. The report is still printed."""
    root = office(tmp_path)
    with open(root / broken, "a", encoding="utf-8") as file:
        file.write("- id: x\n  name: [oops\n")
    result = cli(root, *command)
    assert result.exit_code == 1, result.output
    assert f"错误：{broken} 未能读取" in result.stderr and result.stdout


def test_an_item_that_did_not_load_is_uncounted_and_the_report_exits_0(cli, tmp_path):
    root = office(tmp_path, ("items/2024/zonghe/2024-zonghe-0002.yaml", "id: [oops\n"))
    result = cli(root, "audit", "--quarter", "2024Q4", *AS_OF)
    assert result.exit_code == 0 and "未计入 1 项" in result.stderr and "未能读取，本报告" not in result.stderr
