"""`gongkai log`: the audit trail read back from the trailers of gongkai's commits."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from conftest import git, write_files

from gongkai_cli.report.tables import cell_width
from gongkai_cli.write import history, store

FORMED = date(2024, 9, 23)


@pytest.fixture
def trail(repo, monkeypatch):
    """Two clerks: 王 registers and discloses for 综合处, 李 registers for 某村 (under 某乡)."""
    monkeypatch.setenv("GIT_AUTHOR_NAME", "王某")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "wang@example.gov.cn")
    policy = store.add_item(repo, {"title": "关于加强扶贫资金管理的意见", "category": "policy-docs", "unit": "zonghe",
                                   "formed": FORMED})
    store.disclose_item(repo, policy.item_id, date(2024, 10, 10))
    monkeypatch.setenv("GIT_AUTHOR_NAME", "李某")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "li@example.gov.cn")
    village = store.add_item(repo, {"title": "某村2024年第三季度工作动态", "category": "work-news", "unit": "cun",
                                    "formed": FORMED})
    git(repo, "commit", "-q", "--allow-empty", "-m", "a commit made without gongkai")
    return repo, policy.item_id, village.item_id


def test_the_trail_names_who_did_what_newest_first(trail):
    repo, policy, village = trail
    changes = history.read_trail(repo)
    assert [(c.action, c.item, c.unit, c.author, c.email, c.title) for c in changes] == [
        ("add", village, "cun", "李某", "li@example.gov.cn", "某村2024年第三季度工作动态"),
        ("disclose", policy, "zonghe", "王某", "wang@example.gov.cn", "关于加强扶贫资金管理的意见"),
        ("add", policy, "zonghe", "王某", "wang@example.gov.cn", "关于加强扶贫资金管理的意见"),
    ]
    assert changes[0].commit == git(repo, "rev-parse", "HEAD~1").strip()
    assert changes[0].when[:4].isdigit() and "T" in changes[0].when


def test_the_trail_of_one_item_and_of_one_unit(trail):
    repo, policy, village = trail
    assert [c.action for c in history.read_trail(repo, item_id=policy)] == ["disclose", "add"]
    assert [c.item for c in history.read_trail(repo, units={"zonghe"})] == [policy, policy]


def test_log_json_through_the_cli(cli, trail):
    repo, policy, village = trail
    result = cli(repo, "log", policy, "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert [entry["action"] for entry in document] == ["disclose", "add"]
    assert set(document[0]) == {"commit", "when", "authored", "author", "email", "action", "item", "unit", "unit_name",
                                "title", "effect", "changes"}
    assert document[0]["commit"] == git(repo, "rev-parse", "HEAD~2").strip()


def test_log_of_a_township_includes_its_villages(cli, trail):
    repo, policy, village = trail
    document = json.loads(cli(repo, "log", "--unit", "xiang", "--format", "json").stdout)
    assert [entry["item"] for entry in document] == [village]


def test_log_table_in_chinese_by_default_and_english_on_request(cli, trail):
    repo, policy, village = trail
    chinese = cli(repo, "log")
    assert chinese.exit_code == 0
    for word in ("时间", "操作人", "登记", "公开", "李某 <li@example.gov.cn>", village, "某村2024年第三季度工作动态"):
        assert word in chinese.stdout
    english = cli(repo, "log", "--lang", "en")
    for word in ("When", "Who", "Action", "disclose", policy):
        assert word in english.stdout


def test_log_refuses_an_unknown_unit_and_format(cli, trail):
    repo, _, _ = trail
    assert cli(repo, "log", "--unit", "nobody").exit_code == 2
    assert cli(repo, "log", "--format", "xml").exit_code == 2


def test_an_empty_trail(cli, repo):
    assert history.read_trail(repo) == []
    assert cli(repo, "log").stdout.strip() == "没有变更记录"


def test_an_item_committed_by_hand_has_its_trail(cli, trail):
    """Every commit touching the item's file counts, renamed files followed; action `commit` without trailers."""
    repo, policy, _ = trail
    path = f"items/2024/zonghe/{policy}.yaml"
    hand = "2024-zonghe-hand"
    write_files(repo, {f"items/2024/zonghe/{hand}.yaml": f"id: {hand}\ntitle: 手工登记的条目\ncategory: work-news\n"
                                                         f"unit: zonghe\nformed: 2024-09-23\n"})
    text = (repo / path).read_text(encoding="utf-8")
    (repo / path).write_text(text + "note: 手工补充\n", encoding="utf-8")
    git(repo, "add", "items")
    git(repo, "commit", "-q", "-m", "plain commit by hand")

    changes = history.read_trail(repo, item_id=hand)
    assert [(c.action, c.item, c.unit, c.title) for c in changes] == [("commit", hand, "zonghe", "手工登记的条目")]
    assert [c.action for c in history.read_trail(repo, item_id=policy)] == ["commit", "disclose", "add"]
    everything = history.read_trail(repo)
    assert {(c.action, c.item, c.unit) for c in everything[:2]} == {("commit", policy, "zonghe"), ("commit", hand, "zonghe")}
    assert [c.action for c in everything[2:]] == ["add", "disclose", "add"]

    table = cli(repo, "log", hand)
    assert table.exit_code == 0 and "手工提交" in table.stdout and "手工登记的条目" in table.stdout
    assert "没有变更记录" not in table.stdout
    document = json.loads(cli(repo, "log", "--unit", "zonghe", "--format", "json").stdout)
    assert hand in [change["item"] for change in document]


def test_log_of_an_unknown_item_is_a_usage_error(cli, trail):
    repo, *_ = trail
    result = cli(repo, "log", "2024-zonghe-none")
    assert result.exit_code == 2 and "没有编号为 2024-zonghe-none 的条目" in result.stderr


def test_a_deleted_item_keeps_its_trail(cli, trail):
    repo, _, village = trail
    git(repo, "rm", "-q", f"items/2024/cun/{village}.yaml")
    git(repo, "commit", "-q", "-m", "removed by hand")
    assert [c.action for c in history.read_trail(repo, item_id=village)] == ["commit", "add"]


# What changed, by whom, when: names, fields before → after, offsets, --oneline, narrow terminals


def test_log_names_units_not_ids(cli, trail, monkeypatch):
    repo, policy, village = trail
    monkeypatch.setenv("COLUMNS", "200")
    table = cli(repo, "log").stdout
    assert "│ 综合处" in table and "│ 某村" in table
    assert not re.search(r"│ (zonghe|cun) +│", table)
    lines = cli(repo, "log", "--oneline").stdout
    assert f"{village}（某村）" in lines and f"{policy}（综合处）" in lines
    assert "（cun）" not in lines and "（zonghe）" not in lines
    assert f"{policy} (综合处)" in cli(repo, "log", "--oneline", "--lang", "en").stdout
    document = json.loads(cli(repo, "log", "--format", "json").stdout)
    assert {(entry["unit"], entry["unit_name"]) for entry in document if entry["item"]} == {("zonghe", "综合处"), ("cun", "某村")}


def test_log_shows_each_field_before_and_after(cli, trail, monkeypatch):
    repo, policy, _ = trail
    monkeypatch.setenv("COLUMNS", "200")
    edited = cli(repo, "edit", policy, "--set", "url=https://www.example.gov.cn/a.html", "--set", "details.source=办公室",
                 "--set", "title=关于加强扶贫资金管理的通知")
    assert edited.exit_code == 0, edited.stderr
    document = json.loads(cli(repo, "log", policy, "--format", "json").stdout)
    assert [(entry["action"], entry["effect"]) for entry in document] == [("edit", "changed"), ("disclose", "changed"),
                                                                         ("add", "created")]
    assert {(c["field"], c["before"], c["after"]) for c in document[0]["changes"]} == {
        ("url", None, "https://www.example.gov.cn/a.html"), ("details.source", None, "办公室"),
        ("title", "关于加强扶贫资金管理的意见", "关于加强扶贫资金管理的通知")}
    assert document[1]["changes"] == [{"field": "disclosed", "before": None, "after": "2024-10-10"}]
    assert document[2]["changes"] == []
    table = cli(repo, "log", policy).stdout
    for shown in ("disclosed: — → 2024-10-10", "url: — → https://www.example.gov.cn/a.html", "details.source: — → 办公室",
                  "title: 关于加强扶贫资金管理的意见 → 关于加强扶贫资金管理的通知", "新增"):
        assert shown in table
    assert "created" in cli(repo, "log", policy, "--lang", "en").stdout


def test_log_shows_withdrawals_and_deletions_as_such(cli, trail, monkeypatch):
    repo, policy, village = trail
    monkeypatch.setenv("COLUMNS", "200")
    assert cli(repo, "withdraw", policy, "--reason", "重复登记", "--on", "2024-10-12").exit_code == 0
    git(repo, "rm", "-q", f"items/2024/cun/{village}.yaml")
    git(repo, "commit", "-q", "-m", "removed by hand")
    document = json.loads(cli(repo, "log", "--format", "json").stdout)
    assert (document[0]["item"], document[0]["effect"], document[0]["changes"]) == (village, "deleted", [])
    assert (document[1]["item"], document[1]["effect"]) == (policy, "withdrawn")
    assert {(c["field"], c["after"]) for c in document[1]["changes"]} == {("withdrawn.on", "2024-10-12"),
                                                                          ("withdrawn.reason", "重复登记")}
    lines = cli(repo, "log", "--oneline").stdout.splitlines()
    assert "删除" in lines[0] and "撤回" in lines[1] and "withdrawn.on: — → 2024-10-12" in lines[1]


def test_log_times_carry_their_offset(cli, repo, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    for number, moment in enumerate(("2024-09-25T10:03:00+08:00", "2024-09-26T21:30:00-05:00")):
        monkeypatch.setenv("GIT_COMMITTER_DATE", moment)
        monkeypatch.setenv("GIT_AUTHOR_DATE", moment)
        store.add_item(repo, {"title": f"条目{number}", "category": "work-news", "unit": "zonghe", "formed": FORMED})
    table = cli(repo, "log").stdout
    assert "2024-09-25 10:03" in table and "+08:00" in table
    assert "2024-09-26 21:30" in table and "-05:00" in table
    lines = cli(repo, "log", "--oneline").stdout.splitlines()
    assert lines[0].startswith("2024-09-26 21:30 -05:00") and lines[1].startswith("2024-09-25 10:03 +08:00")
    document = json.loads(cli(repo, "log", "--format", "json").stdout)
    assert [entry["when"] for entry in document] == ["2024-09-26T21:30:00-05:00", "2024-09-25T10:03:00+08:00"]


def test_log_oneline_is_one_line_per_change(cli, trail):
    repo, policy, _ = trail
    assert cli(repo, "edit", policy, "--set", "url=https://www.example.gov.cn/a.html", "--set", "doc_number=x发〔2024〕1号"
               ).exit_code == 0
    lines = cli(repo, "log", policy, "--oneline").stdout.splitlines()
    assert len(lines) == 4  # edit: two fields; disclose: one; add: created
    assert all(line.startswith("20") and policy in line and "@example.gov.cn>" in line for line in lines)
    assert "李某 <li@example.gov.cn>" in lines[0] and "王某 <wang@example.gov.cn>" in lines[3]
    assert "url: — → https://www.example.gov.cn/a.html" in lines[0] + lines[1]
    assert "disclosed: — → 2024-10-10" in lines[2]
    assert "新增" in lines[3] and "关于加强扶贫资金管理的意见" in lines[3]
    assert cli(repo, "log", "--oneline", "--format", "json").exit_code == 2


@pytest.mark.parametrize("args", [(), ("--unit", "zonghe")], ids=["everything", "one unit"])
def test_log_fits_sixty_columns_without_breaking_an_email(cli, trail, monkeypatch, args):
    repo, policy, _ = trail
    monkeypatch.setenv("COLUMNS", "60")
    for shown in (cli(repo, "log", *args).stdout, cli(repo, "log", policy).stdout):
        boxes = [line for line in shown.splitlines() if line[:1] in "┏┃┡│├└"]
        assert boxes and max(cell_width(line) for line in boxes) <= 60
        assert "<wang@example.gov.cn>" in shown


def test_log_follows_a_moved_file_and_says_when_a_version_does_not_parse(cli, trail):
    """A hand move to another unit's folder is compared across the rename; a broken version is named, not a crash."""
    repo, policy, _ = trail
    old, new = f"items/2024/zonghe/{policy}.yaml", f"items/2024/cun/{policy}.yaml"
    git(repo, "mv", old, new)
    text = (repo / new).read_text(encoding="utf-8")
    (repo / new).write_text(text.replace("unit: zonghe", "unit: cun"), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "moved by hand")
    (repo / new).write_text("title: [unclosed\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "broken by hand")
    document = json.loads(cli(repo, "log", policy, "--format", "json").stdout)
    assert [(entry["action"], entry["effect"]) for entry in document] == [
        ("commit", "unreadable"), ("commit", "changed"), ("disclose", "changed"), ("add", "created")]
    assert document[1]["changes"] == [{"field": "unit", "before": "zonghe", "after": "cun"}]
    shown = cli(repo, "log", policy, "--oneline", "--lang", "en")
    assert shown.exit_code == 0 and "unreadable (not valid YAML)" in shown.stdout and "unit: zonghe → cun" in shown.stdout
