"""Text output escapes newlines and control characters from the data, as the github format does:
a title cannot forge a finding line, break a table's box, or drive the terminal."""

from __future__ import annotations

from conftest import item, make_repo

from gongkai_cli.messages import printable

FORGED = "items/2024/zonghe/2024-zonghe-ffff.yaml:1:1: unknown-unit: 伪造的发现"


def test_a_value_holding_a_finding_line_stays_inside_its_own_finding(cli, tmp_path):
    path, content = item(mode='"proactive\\n' + FORGED + '"')
    root = make_repo(tmp_path / "office", {path: content})
    shown = cli(root, "check").stdout
    assert len(shown.splitlines()) == 1
    assert "\\nitems/2024/zonghe/2024-zonghe-ffff.yaml:1:1" in shown


def test_titles_with_newlines_and_escapes_are_escaped_in_listings_and_log(cli, tmp_path):
    path, content = item(title='"第一行\\n' + FORGED + '\\e[2J"')
    root = make_repo(tmp_path / "office", {path: content.replace("title: 测试条目 2024-zonghe-a1b2\n", ""),
                                           "rules/r.yaml": "id: r\nname: 二十个工作日\ncategory: policy-docs\n"
                                                           "within: {workdays: 20}\n"})
    reminded = cli(root, "remind", "--as-of", "2024-12-01").stdout
    assert "\x1b" not in reminded and "\\x1b[2J" in reminded
    assert not any(line.startswith("items/") for line in reminded.splitlines())
    edited = cli(root, "edit", "2024-zonghe-a1b2", "--set", "note=x")
    assert edited.exit_code == 0, edited.stderr
    logged = cli(root, "log").stdout
    assert "\x1b" not in logged and not any(line.startswith("items/") for line in logged.splitlines())


def test_printable_keeps_chinese_and_escapes_every_control():
    assert printable("关于印发《办法》的通知") == "关于印发《办法》的通知"
    assert printable("a\nb\r\tc\x1b\x7f\x85\u2028\u202e") == "a\\nb\\r\\tc\\x1b\\x7f\\x85\\u2028\\u202e"
