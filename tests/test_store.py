"""store: validate in memory → atomic write → one commit of that file alone, over real git repositories."""

from __future__ import annotations

import os
import re
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from conftest import git, item, write_files
from gitstate import (
    author_of,
    commit_count,
    files_of,
    head,
    item_files,
    message_of,
    stage_unrelated_work,
    status,
)
from gongkai_cli.load.repo import GitError

from gongkai_cli.errors import UsageProblem
from gongkai_cli.write import gitwrite, store

FIELDS = {"title": "关于进一步加强扶贫资金使用管理的意见", "category": "policy-docs", "unit": "zonghe",
          "formed": date(2024, 9, 23)}

COMMENTED = """\
# 综合处 2024 年规范性文件
id: 2024-zonghe-a1b2
title: 测试条目  # 与正式文件一致
category: policy-docs
unit: zonghe
formed: 2024-09-23
disclosed: null   # 待公开
channels: [政府网]
details:
  资金来源: 财政专项
note: 由王某登记
"""


@pytest.fixture
def commented(repo):
    write_files(repo, {"items/2024/zonghe/2024-zonghe-a1b2.yaml": COMMENTED})
    git(repo, "add", "items")
    git(repo, "commit", "-q", "-m", "item")
    return repo


def committed_diff(root) -> list[str]:
    """The changed lines of HEAD's commit, without the diff headers."""
    lines = git(root, "show", "--format=", "--unified=0", "HEAD").splitlines()
    return [line for line in lines if line[:1] in "+-" and not line.startswith(("+++", "---"))]


# add -------------------------------------------------------------------------------------------


def test_add_writes_the_item_and_commits_it_alone(repo):
    before = commit_count(repo)
    written = store.add_item(repo, {**FIELDS, "doc_number": "内扶办发[2018]70号", "channels": ["政府网"]},
                             ["details.资金来源=财政专项", "extended=false"])
    assert re.fullmatch(r"2024-zonghe-[a-z0-9]{4}", written.item_id)
    assert written.path == f"items/2024/zonghe/{written.item_id}.yaml"
    assert (repo / written.path).read_text(encoding="utf-8") == (
        f"id: {written.item_id}\n"
        "title: 关于进一步加强扶贫资金使用管理的意见\n"
        "category: policy-docs\n"
        "unit: zonghe\n"
        "doc_number: 内扶办发〔2018〕70号\n"
        "formed: 2024-09-23\n"
        "channels: [政府网]\n"
        "details:\n"
        "  资金来源: 财政专项\n"
        "extended: false\n"
    )
    assert commit_count(repo) == before + 1
    assert written.commit == head(repo)
    assert files_of(repo) == [written.path]
    assert message_of(repo) == (
        f"add {written.item_id}: 关于进一步加强扶贫资金使用管理的意见\n\n"
        f"Gongkai-Action: add\nGongkai-Item: {written.item_id}\nGongkai-Unit: zonghe\n\n"
    )
    assert author_of(repo) == "测试员 <tester@example.gov.cn>"
    assert status(repo) == []


def test_add_by_names_and_with_a_time_of_day(repo):
    fields = {**FIELDS, "unit": "综合处", "category": "规范性文件类", "formed": datetime(2024, 9, 23, 14, 30)}
    written = store.add_item(repo, fields)
    content = (repo / written.path).read_text(encoding="utf-8")
    assert "unit: zonghe\n" in content and "category: policy-docs\n" in content
    assert "formed: 2024-09-23T14:30\n" in content


def test_add_leaves_the_users_own_work_alone(repo):
    work = stage_unrelated_work(repo)
    written = store.add_item(repo, FIELDS)
    assert files_of(repo) == [written.path]
    assert status(repo) == work
    assert git(repo, "diff", "--cached", "--name-only").split() == ["notes.txt"]


def test_ids_are_retried_on_collision(repo, monkeypatch):
    taken, _ = item(id="2024-zonghe-aaaa")
    write_files(repo, {taken: "x"})
    letters = iter("aaaa" + "bbbb")
    monkeypatch.setattr(store.secrets, "choice", lambda alphabet: next(letters))
    assert store.new_item_id(repo, 2024, "zonghe") == "2024-zonghe-bbbb"


@pytest.mark.parametrize("fields, problem", [
    ({"unit": "nobody"}, "error.unknown-unit"),
    ({"category": "nothing"}, "error.unknown-category"),
    ({"formed": "2024-02-30"}, "error.bad-date"),
])
def test_add_refuses_unknown_names_and_impossible_dates(repo, fields, problem):
    before = head(repo)
    with pytest.raises(UsageProblem) as raised:
        store.add_item(repo, {**FIELDS, **fields})
    assert raised.value.key == problem
    assert head(repo) == before and item_files(repo) == [] and status(repo) == []


def test_add_refuses_what_check_would_refuse(repo):
    before = head(repo)
    with pytest.raises(store.InvalidItem) as raised:
        store.add_item(repo, {**FIELDS, "disclosed": date(2024, 9, 1), "of": "2024-zonghe-zzzz"})
    assert sorted(f.code for f in raised.value.findings) == ["disclosed-before-formed", "unknown-item"]
    assert all(f.line > 1 for f in raised.value.findings)
    assert head(repo) == before and item_files(repo) == []


def test_a_duplicate_index_number_in_another_file_is_caught(repo):
    path, content = item(id="2024-zonghe-zzzz", index_no="XC-1")
    write_files(repo, {path: content})
    with pytest.raises(store.InvalidItem) as raised:
        store.add_item(repo, FIELDS, ["index_no=XC-1"])
    assert [f.code for f in raised.value.findings] == ["duplicate-index-no"]


def test_no_commit_writes_the_file_only(repo):
    before = head(repo)
    written = store.add_item(repo, FIELDS, commit=False)
    assert written.commit is None and head(repo) == before
    assert status(repo) == [f"?? {written.path}"]


# edits keep the file as it was -----------------------------------------------------------------


def test_disclose_changes_only_the_values_it_records(commented):
    written = store.disclose_item(commented, "2024-zonghe-a1b2", date(2024, 10, 10), "https://x.gov.cn/1", ["公报"])
    assert committed_diff(commented) == [
        "-disclosed: null   # 待公开",
        "-channels: [政府网]",
        "+disclosed: 2024-10-10 # 待公开",
        "+channels: [政府网, 公报]",
        "+url: https://x.gov.cn/1",
    ]
    assert files_of(commented) == [written.path]
    assert "Gongkai-Action: disclose\nGongkai-Item: 2024-zonghe-a1b2\nGongkai-Unit: zonghe" in message_of(commented)


def test_edit_sets_typed_and_dotted_values(commented):
    store.edit_item(commented, "2024-zonghe-a1b2", ["period=2024Q3", "details.资金来源=地方配套", "extended=true"])
    assert committed_diff(commented) == [
        "+period: 2024Q3",
        "-  资金来源: 财政专项",
        "+  资金来源: 地方配套",
        "+extended: true",
    ]
    assert message_of(commented).startswith("edit 2024-zonghe-a1b2: 测试条目\n")


def test_withdraw_records_the_withdrawal_and_keeps_the_file(commented):
    store.disclose_item(commented, "2024-zonghe-a1b2", date(2024, 10, 10))
    store.withdraw_item(commented, "2024-zonghe-a1b2", "已被新文件替代", date(2024, 12, 1))
    assert committed_diff(commented) == ["+withdrawn:", "+  on: 2024-12-01", "+  reason: 已被新文件替代"]
    assert (commented / "items/2024/zonghe/2024-zonghe-a1b2.yaml").read_text(encoding="utf-8").startswith("# 综合处")


def test_an_edit_that_breaks_the_item_writes_nothing(commented):
    before = head(commented)
    with pytest.raises(store.InvalidItem) as raised:
        store.edit_item(commented, "2024-zonghe-a1b2", ["disclosed=2024-01-01"])
    assert [(f.code, f.line) for f in raised.value.findings] == [("disclosed-before-formed", 7)]
    assert head(commented) == before and status(commented) == []


@pytest.mark.parametrize("call, problem", [
    (lambda root: store.edit_item(root, "2024-zonghe-zzzz", ["period=2024"]), "error.unknown-item"),
    (lambda root: store.edit_item(root, "../../etc", ["period=2024"]), "error.unknown-item"),
    (lambda root: store.edit_item(root, "2024-zonghe-a1b2", ["period"]), "error.bad-set"),
    (lambda root: store.edit_item(root, "2024-zonghe-a1b2", ["channels=[政府网]"]), "error.no-change"),
])
def test_edits_refuse_bad_input(commented, call, problem):
    before = head(commented)
    with pytest.raises(UsageProblem) as raised:
        call(commented)
    assert raised.value.key == problem
    assert head(commented) == before and status(commented) == []


def test_an_item_with_uncommitted_changes_is_not_committed_over(commented):
    path = commented / "items/2024/zonghe/2024-zonghe-a1b2.yaml"
    path.write_text(COMMENTED.replace("测试条目", "草稿"), encoding="utf-8")
    with pytest.raises(UsageProblem) as raised:
        store.disclose_item(commented, "2024-zonghe-a1b2", date(2024, 10, 10))
    assert raised.value.key == "error.item-has-changes"
    assert "草稿" in path.read_text(encoding="utf-8")


# failures leave nothing behind ---------------------------------------------------------------


def refuse_to_move_head(monkeypatch):
    def fail(*args):
        raise GitError(("update-ref",), "cannot lock ref 'HEAD'")

    monkeypatch.setattr(gitwrite, "_move_head", fail)


def test_a_failed_commit_removes_the_new_file(repo, monkeypatch):
    before = head(repo)
    refuse_to_move_head(monkeypatch)
    with pytest.raises(GitError):
        store.add_item(repo, FIELDS)
    assert head(repo) == before and item_files(repo) == [] and status(repo) == []


def test_a_failed_commit_puts_the_old_bytes_back(commented, monkeypatch):
    path = commented / "items/2024/zonghe/2024-zonghe-a1b2.yaml"
    refuse_to_move_head(monkeypatch)
    with pytest.raises(GitError):
        store.disclose_item(commented, "2024-zonghe-a1b2", date(2024, 10, 10))
    assert path.read_text(encoding="utf-8") == COMMENTED
    assert status(commented) == []


def test_a_half_done_write_is_undone_by_the_next_one(repo, monkeypatch):
    """A process that dies between writing the file and committing it (the journal stays behind)."""
    monkeypatch.setattr(gitwrite, "recover", lambda root, directory: None)
    refuse_to_move_head(monkeypatch)
    with pytest.raises(GitError):
        store.add_item(repo, FIELDS)
    assert len(item_files(repo)) == 1
    monkeypatch.undo()
    store.add_item(repo, FIELDS)
    assert len(item_files(repo)) == 1 and status(repo) == []


def test_no_identity_says_how_to_set_one(repo, tmp_path, monkeypatch):
    empty = tmp_path / "empty.gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    with pytest.raises(UsageProblem) as raised:
        store.add_item(repo, FIELDS)
    assert raised.value.key == "error.no-identity"
    assert item_files(repo) == []


@pytest.mark.parametrize("leave_unfinished, problem", [
    (lambda root: (root / ".git" / "MERGE_HEAD").write_text(head(root) + "\n"), "state.merging"),
    (lambda root: git(root, "checkout", "-q", "--detach"), "state.detached-head"),
])
def test_no_commit_in_the_middle_of_a_git_operation(repo, leave_unfinished, problem):
    leave_unfinished(repo)
    before = head(repo)
    with pytest.raises(UsageProblem) as raised:
        store.add_item(repo, FIELDS)
    assert raised.value.key == problem
    assert head(repo) == before and item_files(repo) == []


def test_a_stale_index_lock_is_explained(repo):
    lock = repo / ".git" / "index.lock"
    lock.write_text("")
    long_ago = time.time() - 3600
    os.utime(lock, (long_ago, long_ago))
    with pytest.raises(UsageProblem) as raised:
        store.add_item(repo, FIELDS)
    assert raised.value.key == "error.stale-git-lock"
    assert raised.value.params["path"] == lock and item_files(repo) == []
    lock.unlink()
    store.add_item(repo, FIELDS)
    assert status(repo) == []


def test_temporary_files_lie_hidden_beside_their_target_and_are_never_read(repo, monkeypatch):
    """Next to the target, so the rename never crosses file systems; hidden, so no scan reads one."""
    seen = []
    real_mkstemp = gitwrite.yamlio.tempfile.mkstemp

    def spy(*args, **kwargs):
        handle, name = real_mkstemp(*args, **kwargs)
        seen.append(Path(name))
        return handle, name

    monkeypatch.setattr(gitwrite.yamlio.tempfile, "mkstemp", spy)
    written = store.add_item(repo, FIELDS)
    target = repo / written.path
    assert target.parent in {path.parent for path in seen}
    assert all(path.name.startswith(".") and path.name.endswith(".tmp") for path in seen)
    assert all(path.parent in (target.parent, repo / ".git") for path in seen)
    assert item_files(repo) == [written.path] and status(repo) == []


def test_parse_set_reads_yaml_types():
    assert store.parse_set("extended=true") == ("extended", True)
    assert store.parse_set("disclosed=2024-10-01") == ("disclosed", date(2024, 10, 1))
    assert store.parse_set("channels=[政府网, 公报]") == ("channels", ["政府网", "公报"])
    assert store.parse_set("formed=2024-02-30") == ("formed", "2024-02-30")
    assert store.parse_set(" title = 关于…的通知") == ("title", "关于…的通知")


@pytest.mark.parametrize("typed", ["No. 5 #1", "123", "关于: 测试", "yes", "2024-01-01", "null", "[a]", "'quoted'"])
def test_parse_set_keeps_text_fields_as_typed(typed):
    assert store.parse_set(f"title={typed}") == ("title", typed)
    assert store.parse_set(f"doc_number={typed}") == ("doc_number", typed)
    assert store.parse_set(f"details.金额={typed}") == ("details.金额", typed)
    assert store.parse_set(f"withdrawn.reason={typed}") == ("withdrawn.reason", typed)


@pytest.mark.parametrize("content", ["- a list\n- not an item\n", "id: [2024-zonghe-a1b2\n"])
def test_an_unreadable_item_is_reported_not_edited(repo, content):
    write_files(repo, {"items/2024/zonghe/2024-zonghe-a1b2.yaml": content})
    with pytest.raises(store.InvalidItem) as raised:
        store.edit_item(repo, "2024-zonghe-a1b2", ["period=2024"], commit=False)
    assert raised.value.findings and raised.value.findings[0].path == "items/2024/zonghe/2024-zonghe-a1b2.yaml"
    assert (repo / "items/2024/zonghe/2024-zonghe-a1b2.yaml").read_text() == content


def test_of_is_checked_against_the_items_on_disk(repo):
    """A write reads only the files it needs; the item `of:` names must be among them."""
    path, content = item(id="2024-zonghe-aaaa")
    write_files(repo, {path: content})
    with pytest.raises(store.InvalidItem) as raised:
        store.add_item(repo, FIELDS, ["of=2024-zonghe-none"])
    assert [f.code for f in raised.value.findings] == ["unknown-item"]
    assert store.add_item(repo, FIELDS, ["of=2024-zonghe-aaaa"], commit=False).item_id


@pytest.mark.parametrize("text", [":0", "?0", "a, b", "[x]", "- a", "a #b", "yes", "2024-09-05", "0"])
def test_list_elements_are_quoted_where_plain_text_would_not_read_back_inside_brackets(text):
    from gongkai_cli.load import yamlio
    from gongkai_cli.write.store import set_field
    from ruamel.yaml.comments import CommentedMap

    document = CommentedMap()
    set_field(document, "channels", [text, "网站"])
    assert yamlio.load(yamlio.dump(document)) == {"channels": [text, "网站"]}


# Writes touch only what they change -------------------------------------------------------------


def test_an_edit_keeps_anchors_and_aliases_it_does_not_touch(commented):
    path = commented / "items/2024/zonghe/2024-zonghe-a1b2.yaml"
    path.write_text(COMMENTED.replace("details:\n  资金来源: 财政专项\n", "details:\n  资金来源: &f [省级, 县级]\n  配套: *f\n"),
                    encoding="utf-8")
    git(commented, "commit", "-qam", "aliases")
    store.edit_item(commented, "2024-zonghe-a1b2", ["url=https://example.gov.cn/1"])
    assert committed_diff(commented) == ["+url: https://example.gov.cn/1"]


def test_an_item_check_cannot_read_is_not_rewritten_by_an_edit(commented):
    path = commented / "items/2024/zonghe/2024-zonghe-a1b2.yaml"
    path.write_text(COMMENTED.replace("details:\n  资金来源: 财政专项\n", "details: &a {x: *a}\n"), encoding="utf-8")
    git(commented, "commit", "-qam", "a cycle")
    before = path.read_bytes()
    with pytest.raises(store.InvalidItem) as raised:
        store.edit_item(commented, "2024-zonghe-a1b2", ["note=x"])
    assert [finding.code for finding in raised.value.findings] == ["yaml-alias-bomb"]
    assert path.read_bytes() == before and status(commented) == []


def test_a_write_that_would_change_an_untouched_value_is_refused(commented, monkeypatch):
    real_dump = store.yamlio.dump
    monkeypatch.setattr(store.yamlio, "dump", lambda document: real_dump(document).replace("财政专项", "财政"))
    with pytest.raises(UsageProblem) as raised:
        store.edit_item(commented, "2024-zonghe-a1b2", ["note=x"])
    assert (raised.value.key, raised.value.params["field"]) == ("error.collateral-change", "details")
    assert status(commented) == []


# One YAML dialect: what check accepts, writes accept and keep ---------------------------------------


def test_tabs_check_accepts_are_accepted_and_kept_by_writes(commented):
    path = commented / "items/2024/zonghe/2024-zonghe-a1b2.yaml"
    path.write_text(COMMENTED.replace("unit: zonghe\n", "unit:\tzonghe\t# 综合处\n").replace(
        "note: 由王某登记\n", 'note: "由王某\t登记"\n'), encoding="utf-8")
    git(commented, "commit", "-qam", "tabs")
    store.edit_item(commented, "2024-zonghe-a1b2", ["url=https://example.gov.cn/1"])
    document = store.yamlio.load(path.read_text(encoding="utf-8"))
    assert (document["unit"], document["note"]) == ("zonghe", "由王某\t登记")


def test_a_tab_inside_an_unquoted_value_is_refused_by_writes_as_check_refuses_it(commented):
    path = commented / "items/2024/zonghe/2024-zonghe-a1b2.yaml"
    path.write_text(COMMENTED.replace("note: 由王某登记\n", "note: 由王某\t登记\n"), encoding="utf-8")
    git(commented, "commit", "-qam", "a tab")
    with pytest.raises(store.InvalidItem) as raised:
        store.edit_item(commented, "2024-zonghe-a1b2", ["url=https://example.gov.cn/1"])
    assert [finding.code for finding in raised.value.findings] == ["yaml-tab-in-value"]
