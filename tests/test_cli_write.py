"""`add`, `disclose`, `edit`, `withdraw` through the CLI over real temporary repositories."""

from __future__ import annotations

import os
import re
from datetime import date

import pexpect
import pytest
from conftest import CATEGORIES, CONFIG, UNITS, git, item, write_files
from gitstate import (
    GONGKAI,
    files_of,
    head,
    item_files,
    message_of,
    stage_unrelated_work,
    status,
)
from gongkai_cli.schedule.settings import today

from gongkai_cli.model.models import Config

ITEM_ID = "2024-zonghe-a1b2"
ADD = ("add", "--category", "policy-docs", "--unit", "zonghe", "--title", "关于进一步加强扶贫资金使用管理的意见",
       "--formed", "2024-09-23")


@pytest.fixture
def with_item(repo):
    path, content = item(id=ITEM_ID)
    write_files(repo, {path: content})
    git(repo, "add", "items")
    git(repo, "commit", "-q", "-m", "item")
    return repo


def test_add_prints_the_new_id_alone_and_commits(cli, repo):
    result = cli(repo, *ADD, "--disclosed", "2024-10-10", "--doc-number", "内扶办发(2018)70号", "--period", "2024Q3",
                 "--url", "https://x.gov.cn/1", "--channel", "政府网", "--channel", "公报",
                 "--set", "details.资金来源=财政专项")
    assert result.exit_code == 0, result.stderr
    item_id = result.stdout.strip()
    assert re.fullmatch(r"2024-zonghe-[a-z0-9]{4}", item_id) and result.stdout == item_id + "\n"
    path = f"items/2024/zonghe/{item_id}.yaml"
    assert (repo / path).read_text(encoding="utf-8") == (
        f"id: {item_id}\ntitle: 关于进一步加强扶贫资金使用管理的意见\ncategory: policy-docs\nunit: zonghe\n"
        "doc_number: 内扶办发〔2018〕70号\nformed: 2024-09-23\ndisclosed: 2024-10-10\nperiod: 2024Q3\n"
        "channels: [政府网, 公报]\nurl: https://x.gov.cn/1\ndetails:\n  资金来源: 财政专项\n"
    )
    assert files_of(repo) == [path]
    assert f"Gongkai-Action: add\nGongkai-Item: {item_id}\nGongkai-Unit: zonghe" in message_of(repo)
    assert result.output == item_id + "\n"  # the confirmation is for terminals only
    assert cli(repo, "check").exit_code == 0


def test_add_without_formed_means_today(cli, repo):
    result = cli(repo, "add", "--category", "policy-docs", "--unit", "zonghe", "--title", "今日动态")
    assert result.exit_code == 0, result.stderr
    formed = today(Config())
    assert f"formed: {formed.isoformat()}\n" in (repo / f"items/{formed.year}/zonghe/{result.stdout.strip()}.yaml").read_text()


def test_add_no_commit(cli, repo):
    before = head(repo)
    result = cli(repo, *ADD, "--no-commit")
    assert result.exit_code == 0
    assert head(repo) == before and status(repo) == [f"?? items/2024/zonghe/{result.stdout.strip()}.yaml"]


def test_disclose_edit_withdraw_each_make_one_commit(cli, with_item):
    path = f"items/2024/zonghe/{ITEM_ID}.yaml"
    steps = [
        (("disclose", ITEM_ID, "--on", "2024-10-10", "--url", "https://x.gov.cn/1", "--channel", "公报"), "disclose"),
        (("edit", ITEM_ID, "--set", "period=2024Q3", "--set", "doc_number=内扶办发【2018】70号"), "edit"),
        (("withdraw", ITEM_ID, "--reason", "已废止", "--on", "2024-12-01"), "withdraw"),
    ]
    for args, action in steps:
        before = head(with_item)
        result = cli(with_item, *args)
        assert result.exit_code == 0, result.stderr
        assert git(with_item, "rev-parse", "HEAD~1").strip() == before
        assert files_of(with_item) == [path]
        assert message_of(with_item).startswith(f"{action} {ITEM_ID}: 测试条目 {ITEM_ID}\n")
    assert (with_item / path).read_text(encoding="utf-8") == (
        f"id: {ITEM_ID}\ntitle: 测试条目 {ITEM_ID}\ncategory: policy-docs\nunit: zonghe\n"
        "doc_number: 内扶办发〔2018〕70号\nformed: 2024-09-23\ndisclosed: 2024-10-10\nperiod: 2024Q3\n"
        "channels: [公报]\nurl: https://x.gov.cn/1\nwithdrawn:\n  on: 2024-12-01\n  reason: 已废止\n"
    )
    assert status(with_item) == []


def test_disclose_defaults_to_today(cli, with_item):
    assert cli(with_item, "disclose", ITEM_ID).exit_code == 0
    content = (with_item / f"items/2024/zonghe/{ITEM_ID}.yaml").read_text(encoding="utf-8")
    assert f"disclosed: {today(Config()).isoformat()}\n" in content


BAD_INPUT = [
    (("add", "--category", "policy-docs", "--unit", "nobody", "--title", "T"), "未知的单位：nobody"),
    (("add", "--category", "nothing", "--unit", "zonghe", "--title", "T"), "未知的公开事项分类：nothing"),
    (("add", "--category", "policy-docs", "--unit", "zonghe", "--title", "T", "--formed", "2024-02-30"), "2024-02-30"),
    (ADD + ("--disclosed", "2024-09-01"), ": disclosed-before-formed: 公开日期 2024-09-01 早于形成日期 2024-09-23"),
    (ADD + ("--set", "mode=secret"), ": invalid-choice: "),
    (ADD + ("--of", "2024-zonghe-zzzz"), ": unknown-item: "),
    (("add", "--unit", "zonghe", "--title", "T"), "缺少 --category"),
    (("add", "--category", "policy-docs", "--title", "T"), "缺少 --unit"),
    (("add", "--category", "policy-docs", "--unit", "zonghe"), "缺少 --title"),
    (("disclose", "2024-zonghe-zzzz"), "没有编号为 2024-zonghe-zzzz 的条目"),
    (("disclose", ITEM_ID, "--on", "2024-09-31"), "2024-09-31"),
    (("disclose", ITEM_ID, "--on", "2024-09-01"), f"items/2024/zonghe/{ITEM_ID}.yaml:6:12: disclosed-before-formed"),
    (("edit", "2024-zonghe-zzzz", "--set", "period=2024"), "没有编号为 2024-zonghe-zzzz 的条目"),
    (("edit", ITEM_ID, "--set", "unit=nobody"), ": unknown-unit: "),
    (("edit", ITEM_ID, "--set", "formed=2024-02-30"), ": invalid-date: "),
    (("edit", ITEM_ID, "--set", "period"), "--set 应写成 字段=值：period"),
    (("withdraw", "2024-zonghe-zzzz", "--reason", "R"), "没有编号为 2024-zonghe-zzzz 的条目"),
    (("withdraw", ITEM_ID, "--reason", "R", "--on", "2024-13-01"), "日期无效：2024-13-01"),
]


@pytest.mark.parametrize("args, says", BAD_INPUT, ids=[" ".join(args[:2]) + f"-{n}" for n, (args, _) in enumerate(BAD_INPUT)])
def test_bad_input_exits_2_and_writes_nothing(cli, with_item, args, says):
    work = stage_unrelated_work(with_item)
    before, files = head(with_item), item_files(with_item)
    result = cli(with_item, *args)
    assert result.exit_code == 2
    assert says in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert head(with_item) == before and item_files(with_item) == files and status(with_item) == work


@pytest.mark.parametrize("typed", ["No. 5 #1", "123", "关于: 测试", "yes", "on", "2024-01-01", "~", "- 第一", "x: y #z"])
def test_set_keeps_a_title_as_typed(cli, with_item, typed):
    """Text fields are not YAML: what was typed is what is committed, quoted where YAML would misread it."""
    result = cli(with_item, "edit", ITEM_ID, "--set", f"title={typed}", "--set", "details.金额=100")
    assert result.exit_code == 0, result.stderr
    text = (with_item / f"items/2024/zonghe/{ITEM_ID}.yaml").read_text(encoding="utf-8")
    import yaml
    document = yaml.safe_load(text)  # a YAML 1.1 reader too reads the same text back
    assert document["title"] == typed and document["details"] == {"金额": "100"}
    assert message_of(with_item).startswith(f"edit {ITEM_ID}: {typed}\n")
    assert cli(with_item, "check").exit_code == 0


def test_findings_speak_english_with_lang_en(cli, repo):
    result = cli(repo, "--lang", "en", *ADD, "--disclosed", "2024-09-01")
    assert result.exit_code == 2
    assert "disclosed-before-formed: disclosed on 2024-09-01, before it was formed on 2024-09-23" in result.stderr
    assert "nothing was written or committed" in result.stderr


def test_no_identity_exits_2_with_advice(cli, repo, tmp_path, monkeypatch):
    empty = tmp_path / "empty.gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.delenv("EMAIL", raising=False)
    result = cli(repo, *ADD)
    assert result.exit_code == 2
    assert "git config --global user.name" in result.stderr
    assert item_files(repo) == []


ENV_IDENTITIES = [
    {"GIT_AUTHOR_NAME": "李四", "GIT_AUTHOR_EMAIL": "li@example.gov.cn",
     "GIT_COMMITTER_NAME": "李四", "GIT_COMMITTER_EMAIL": "li@example.gov.cn"},
    {"GIT_AUTHOR_NAME": "李四", "GIT_COMMITTER_NAME": "李四", "EMAIL": "li@example.gov.cn"},
]


@pytest.mark.parametrize("variables", ENV_IDENTITIES, ids=["git-variables", "EMAIL"])
def test_an_identity_from_the_environment_is_enough(cli, repo, tmp_path, monkeypatch, variables):
    """git takes its identity from these variables as well as from its configuration; so does gongkai."""
    empty = tmp_path / "empty.gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.delenv("EMAIL", raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    result = cli(repo, *ADD)
    assert result.exit_code == 0, result.stderr
    assert git(repo, "log", "-1", "--format=%an <%ae> / %cn <%ce>") == "李四 <li@example.gov.cn> / 李四 <li@example.gov.cn>\n"


def test_a_prompt_session_on_a_terminal_registers_an_item(repo):
    """Units and categories are offered by name; the formed date defaults to today."""
    session = pexpect.spawn(GONGKAI[0], [*GONGKAI[1:], "--repo", str(repo), "add"], encoding="utf-8", timeout=60,
                            env={**os.environ, "PYTHONUTF8": "1", "COLUMNS": "120"})
    session.expect("公开主体")
    session.expect(r"1\) 综合处 \(zonghe\)")
    session.expect("请输入序号或名称")
    session.sendline("综合处")
    session.expect(r"规范性文件类 \(policy-docs\)")
    session.expect("请输入序号或名称")
    session.sendline("9")
    session.expect("Error")
    session.sendline("1")
    session.expect("标题")
    session.sendline("关于公布2024年扶贫项目的通知")
    session.expect(r"形成日期 \[(\d{4}-\d{2}-\d{2})\]")
    formed = date.fromisoformat(session.match.group(1))
    session.sendline("")
    session.expect(r"\r\n(\d{4}-zonghe-[a-z0-9]{4})\r\n")
    item_id = session.match.group(1)
    session.expect(pexpect.EOF)
    session.close()
    assert session.exitstatus == 0
    path = f"items/{formed.year}/zonghe/{item_id}.yaml"
    assert files_of(repo) == [path]
    content = (repo / path).read_text(encoding="utf-8")
    assert "title: 关于公布2024年扶贫项目的通知\ncategory: policy-docs\nunit: zonghe\n" in content
    assert f"formed: {formed.isoformat()}\n" in content


def test_a_file_saved_by_a_chinese_editor_can_be_edited(cli, repo):
    """A BOM, CRLF line ends and full-width spaces pass check, so they must not stop a write."""
    path = "items/2024/zonghe/2024-zonghe-bom1.yaml"
    text = "\ufeffid: 2024-zonghe-bom1\r\ntitle:\u3000关于某事的通知\r\ncategory: policy-docs\r\nunit: zonghe\r\nformed: 2024-09-23\r\n"
    write_files(repo, {path: text.encode("utf-8")})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "editor file")
    assert cli(repo, "check").exit_code == 0
    result = cli(repo, "disclose", "2024-zonghe-bom1", "--on", "2024-09-25")
    assert result.exit_code == 0, result.stderr
    assert "disclosed: 2024-09-25" in (repo / path).read_text(encoding="utf-8-sig")
    assert files_of(repo) == [path]


def test_a_gbk_file_is_refused_with_the_encoding_named(cli, repo):
    path = "items/2024/zonghe/2024-zonghe-gbk1.yaml"
    text = "id: 2024-zonghe-gbk1\ntitle: 关于某事的通知\ncategory: policy-docs\nunit: zonghe\nformed: 2024-09-23\n"
    write_files(repo, {path: text.encode("gbk")})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "gbk file")
    before = head(repo)
    result = cli(repo, "disclose", "2024-zonghe-gbk1", "--on", "2024-09-25")
    assert result.exit_code == 2
    assert "not-utf8" in result.stderr and "GBK" in result.stderr
    assert head(repo) == before


def test_a_gongkai_folder_outside_git_is_told_to_git_init(cli, tmp_path):
    """gongkai.yaml and the catalog, but no git: writes say how to fix it, and write nothing."""
    folder = tmp_path / "office"
    write_files(folder, {"gongkai.yaml": CONFIG, "catalog/units.yaml": UNITS, "catalog/categories.yaml": CATEGORIES})
    path, content = item(id=ITEM_ID)
    write_files(folder, {path: content})
    before = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
    for args in (ADD, ("disclose", ITEM_ID), ("edit", ITEM_ID, "--set", "period=2024Q3"),
                 ("withdraw", ITEM_ID, "--reason", "R"), ADD + ("--no-commit",)):
        result = cli(folder, *args)
        assert result.exit_code == 2, args
        assert "git init" in result.stderr and "fatal" not in result.stderr and result.stdout == ""
        assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == before


def test_confirmations_only_on_a_terminal(cli, with_item, monkeypatch):
    """Programs (and CliRunner, which mixes stderr into output) see the id alone; a person sees the confirmation."""
    from gongkai_cli.cli import writes as cli_module

    result = cli(with_item, *ADD)
    assert result.exit_code == 0 and result.output == result.stdout and re.fullmatch(r"2024-zonghe-\w{4}\n", result.output)
    assert cli(with_item, "disclose", ITEM_ID, "--on", "2024-10-01").output == ""
    monkeypatch.setattr(cli_module, "_stderr_is_terminal", lambda: True)
    result = cli(with_item, "withdraw", ITEM_ID, "--reason", "已废止", "--on", "2024-10-02")
    assert result.exit_code == 0 and result.stdout == ""
    assert f"撤回 {ITEM_ID}：已提交 " in result.stderr and f"items/2024/zonghe/{ITEM_ID}.yaml" in result.stderr


@pytest.mark.parametrize(("change", "says"), [
    ("unit=xiang", f"git mv items/2024/zonghe/{ITEM_ID}.yaml items/2024/xiang/{ITEM_ID}.yaml"),
    ("formed=2023-12-30", f"git mv items/2024/zonghe/{ITEM_ID}.yaml items/2023/zonghe/{ITEM_ID}.yaml"),
    ("id=2024-zonghe-other", "条目编号不能修改"),
])
def test_an_edit_that_would_move_the_file_says_how_and_writes_nothing(cli, with_item, change, says):
    before = (head(with_item), status(with_item))
    result = cli(with_item, "edit", ITEM_ID, "--set", change)
    assert result.exit_code == 2 and says in result.stderr and "misplaced-file" not in result.stderr
    assert (head(with_item), status(with_item)) == before


def test_after_the_move_is_committed_the_edit_goes_through(cli, with_item):
    (with_item / "items/2024/xiang").mkdir(parents=True)
    git(with_item, "mv", f"items/2024/zonghe/{ITEM_ID}.yaml", "items/2024/xiang/")
    git(with_item, "commit", "-qm", "移到乡")
    result = cli(with_item, "edit", ITEM_ID, "--set", "unit=xiang")
    assert result.exit_code == 0, result.stderr
    assert cli(with_item, "check").exit_code == 0


def test_a_second_disclosure_says_what_it_replaces(cli, with_item):
    first = cli(with_item, "disclose", ITEM_ID, "--on", "2024-09-25")
    assert first.exit_code == 0 and "原为" not in first.stderr
    again = cli(with_item, "disclose", ITEM_ID, "--on", "2024-09-27")
    assert again.exit_code == 0
    assert f"注意：{ITEM_ID} 的 disclosed 原为 2024-09-25，现为 2024-09-27" in again.stderr
    english = cli(with_item, "--lang", "en", "withdraw", ITEM_ID, "--reason", "已废止", "--on", "2024-10-01")
    assert english.exit_code == 0 and "was" not in english.stderr
    twice = cli(with_item, "--lang", "en", "withdraw", ITEM_ID, "--reason", "重复登记", "--on", "2024-10-02")
    assert f"note: {ITEM_ID}'s withdrawn was 2024-10-01 已废止, now 2024-10-02 重复登记" in twice.stderr
