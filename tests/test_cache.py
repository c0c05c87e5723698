"""The record cache and the remembered answers never change an answer: every case gives exactly the
findings of an uncached run, through the memo and through the per-file records alike."""

from __future__ import annotations

import json
import marshal
import os
import pickle
import shutil
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from conftest import UNITS, git, make_repo, write_files

from gongkai_cli.check import incremental
from gongkai_cli.check.validate import validate
from gongkai_cli.load import cache, journal, memo
from gongkai_cli.load import view as view_module
from gongkai_cli.load.load import RECIPE
from gongkai_cli.load.view import load_view
from gongkai_cli.load.repo import GitError
from gongkai_cli.model.findings import Finding

GOOD = """\
id: 2024-zonghe-a1
title: 关于印发某某办法的通知
category: policy-docs
unit: zonghe
formed: 2024-09-02
disclosed: 2024-09-05
"""
ITEM = "items/2024/zonghe/2024-zonghe-a1.yaml"
OTHER = "items/2024/zonghe/2024-zonghe-b2.yaml"
BROKEN_YAML = GOOD + "title: [unclosed\n"
BAD_VALUE = GOOD.replace("formed: 2024-09-02", "formed: 2024-02-30")


@contextmanager
def caching(cached: bool) -> Iterator[None]:
    """With the cache (whatever GONGKAI_NO_CACHE says outside), or without it."""
    previous = os.environ.pop("GONGKAI_NO_CACHE", None)
    if not cached:
        os.environ["GONGKAI_NO_CACHE"] = "1"
    try:
        yield
    finally:
        os.environ.pop("GONGKAI_NO_CACHE", None)
        if previous is not None:
            os.environ["GONGKAI_NO_CACHE"] = previous


def findings(root: Path, cached: bool) -> list:
    with caching(cached):
        return validate(root).findings


def drop_memos(root: Path) -> None:
    try:
        folder = cache.cache_path(root).parent
    except GitError:  # outside git: nothing is cached
        return
    for stored in folder.glob("*.memo"):
        stored.unlink()


def assert_same(root: Path, probe: Callable[[Path, bool], Any] | None = None) -> Any:
    """Cached (filling, then the remembered answer, then from the per-file cache alone) and uncached
    must agree; returns the answer (`probe`: the findings of check, or the scheduling view)."""
    probe = probe or findings
    expected = probe(root, False)
    assert probe(root, True) == expected
    assert probe(root, True) == expected
    drop_memos(root)
    assert probe(root, True) == expected
    return expected


@pytest.fixture(autouse=True)
def cache_small_reads(monkeypatch):
    """These repositories are small; the cache must still be used for them here."""
    monkeypatch.setattr(cache, "SMALL_READ", 2)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "office", {ITEM: GOOD, OTHER: GOOD.replace("a1", "b2")})
    assert assert_same(root) == []
    assert checks_store(root).is_file()
    return root


def checks_store(root: Path) -> Path:
    """The per-file summaries check keeps (check/incremental.py)."""
    return cache.cache_path(root).with_name(incremental.STORE)


def rows_store(root: Path) -> Path:
    """The rows one check leaves the next (check/incremental.py)."""
    return cache.cache_path(root).with_name(incremental.ROWS_FILE)


def rewrite_checks(root: Path, change: Callable[[Any], Any]) -> None:
    """Every summary of the check store replaced by `change(summary)`, under the stamp it was made
    under; the memo and the rows the last check left are dropped, so the store is read."""
    drop_memos(root)
    rows_store(root).unlink()
    path = checks_store(root)
    with path.open("rb") as stream:
        stamp = marshal.load(stream)[1]
    entries = journal.open_journal(path, stamp).entries
    assert entries
    cache.write_checked(path, journal.MAGIC, stamp,
                        marshal.dumps({key: (blob, change(summary)) for key, (blob, summary) in entries.items()}))
    path.with_name(path.name + ".log").unlink(missing_ok=True)


EMPTY_FILE = (pickle.dumps([Finding(ITEM, 1, 1, "empty-file")]), True, None, None, None, ())


def test_edit_then_revert(repo: Path):
    for text, code in ((BROKEN_YAML, "yaml-syntax"), (BAD_VALUE, "invalid-date")):
        write_files(repo, {ITEM: text})
        assert [f.code for f in assert_same(repo)] == [code]
    git(repo, "checkout", "--", ITEM)
    assert assert_same(repo) == []


def test_staged_then_changed_again_without_staging(repo: Path):
    write_files(repo, {ITEM: BAD_VALUE})
    git(repo, "add", ITEM)
    assert [f.code for f in assert_same(repo)] == ["invalid-date"]
    write_files(repo, {ITEM: BROKEN_YAML})  # the index holds BAD_VALUE, the file says otherwise
    assert [f.code for f in assert_same(repo)] == ["yaml-syntax"]


def test_untracked_and_deleted_files(repo: Path):
    write_files(repo, {"items/2024/zonghe/2024-zonghe-c3.yaml": BROKEN_YAML.replace("a1", "c3")})
    assert [f.code for f in assert_same(repo)] == ["yaml-syntax"]
    (repo / OTHER).unlink()
    assert len(assert_same(repo)) == 1


def test_branch_switch(repo: Path):
    git(repo, "checkout", "-q", "-b", "broken")
    write_files(repo, {ITEM: BAD_VALUE})
    git(repo, "commit", "-q", "-am", "break it")
    assert [f.code for f in assert_same(repo)] == ["invalid-date"]
    git(repo, "checkout", "-q", "main")
    assert assert_same(repo) == []
    git(repo, "checkout", "-q", "broken")
    assert [f.code for f in assert_same(repo)] == ["invalid-date"]


def test_assume_unchanged_file_is_read_anyway(repo: Path):
    git(repo, "update-index", "--assume-unchanged", ITEM)
    write_files(repo, {ITEM: BAD_VALUE})
    assert [f.code for f in assert_same(repo)] == ["invalid-date"]


@pytest.mark.parametrize("keep", [0, 7, 0.5, -3])
def test_truncated_cache(repo: Path, keep):
    write_files(repo, {ITEM: BAD_VALUE})
    expected = assert_same(repo)
    for store in (cache.cache_path(repo), checks_store(repo), rows_store(repo)):
        if store.is_file():
            data = store.read_bytes()
            store.write_bytes(data[: int(len(data) * keep) if isinstance(keep, float) else keep])
    drop_memos(repo)
    assert findings(repo, cached=True) == expected


def test_truncated_log_of_the_check_store(repo: Path):
    write_files(repo, {ITEM: BAD_VALUE})
    git(repo, "add", ITEM)  # staged: its summary is appended to the log under its blob id
    expected = assert_same(repo)
    log = checks_store(repo).with_name(incremental.STORE + ".log")
    data = log.read_bytes()
    for keep in (len(data) - 1, 5):
        log.write_bytes(data[:keep])
        drop_memos(repo)
        assert findings(repo, cached=True) == expected


def test_poisoned_cache_is_used_so_the_other_tests_mean_something(repo: Path):
    rewrite_checks(repo, lambda summary: EMPTY_FILE)
    assert "empty-file" in [f.code for f in findings(repo, cached=True)]


def rewrite_rows(root: Path, change: Callable[[incremental.Rows], Any]) -> None:
    """The rows the last check left replaced by `change(rows)`, under their stamp; the memo dropped."""
    drop_memos(root)
    path = rows_store(root)
    with path.open("rb") as stream:
        stamp = marshal.load(stream)[1]
    rows = incremental.Rows(*marshal.loads(cache.read_checked(path, incremental.ROWS_MAGIC, stamp)))
    cache.write_checked(path, incremental.ROWS_MAGIC, stamp, marshal.dumps(tuple(change(rows))))


def test_poisoned_rows_are_used_so_the_rows_tests_mean_something(repo: Path):
    def poisoned(rows):
        rows.found[rows.paths[0]] = EMPTY_FILE[0]
        return rows
    rewrite_rows(repo, poisoned)
    assert "empty-file" in [f.code for f in findings(repo, cached=True)]


def test_rows_of_one_file_are_made_anew_when_it_changes(repo: Path):
    def poisoned(rows):
        rows.found.update((path, pickle.dumps([Finding(path, 1, 1, "empty-file")])) for path in rows.paths)
        return rows
    rewrite_rows(repo, poisoned)
    write_files(repo, {ITEM: BAD_VALUE})
    assert [(f.path, f.code) for f in findings(repo, cached=True)] == [(ITEM, "invalid-date"), (OTHER, "empty-file")]


@pytest.mark.parametrize("damage", [
    lambda rows: rows[:5],
    lambda rows: rows._replace(ids=rows.ids[:-1]),
    lambda rows: rows._replace(found=list(rows.found)),
    lambda rows: "not rows",
])
def test_rows_that_do_not_read_back(repo: Path, damage):
    write_files(repo, {ITEM: BAD_VALUE})
    expected = assert_same(repo)
    rewrite_rows(repo, damage)
    assert findings(repo, cached=True) == expected


def test_rows_follow_files_added_and_removed(repo: Path):
    expected = assert_same(repo)
    moved = OTHER.replace("b2", "b2-moved")
    git(repo, "mv", OTHER, moved)
    write_files(repo, {ITEM: BAD_VALUE})
    assert (ITEM, "invalid-date") in [(f.path, f.code) for f in assert_same(repo)]
    git(repo, "mv", moved, OTHER)
    git(repo, "checkout", "--", ITEM)
    assert assert_same(repo) == expected


def rows_log(root: Path) -> Path:
    return cache.cache_path(root).with_name(incremental.ROWS_LOG)


def test_a_few_changed_rows_are_appended_beside_the_rows_not_written_whole(repo: Path):
    before = rows_store(repo).read_bytes()
    write_files(repo, {ITEM: BAD_VALUE})
    expected = assert_same(repo)
    assert [(f.path, f.code) for f in expected] == [(ITEM, "invalid-date")]
    assert rows_store(repo).read_bytes() == before and rows_log(repo).stat().st_size > 0
    git(repo, "checkout", "--", ITEM)
    assert assert_same(repo) == []
    assert rows_store(repo).read_bytes() == before


def test_appended_rows_are_read_so_the_log_tests_mean_something(repo: Path):
    write_files(repo, {ITEM: BAD_VALUE})
    findings(repo, cached=True)
    drop_memos(repo)
    with rows_store(repo).open("rb") as stream:
        stamp = marshal.load(stream)[1]
    blob = cache.clean_blobs(repo)[OTHER]
    journal.append(rows_log(repo), stamp, {OTHER: (blob, EMPTY_FILE[:1] + (False, "2024-zonghe-b2", None, None, ()))})
    assert sorted((f.path, f.code) for f in findings(repo, cached=True)) == [(ITEM, "empty-file"), (ITEM, "invalid-date")]


def test_rows_filled_from_the_store_are_appended_too(repo: Path, monkeypatch):
    monkeypatch.setattr(incremental, "SHARE", 10 ** 9)  # every changed file is looked up in the store
    write_files(repo, {ITEM: BAD_VALUE})
    git(repo, "add", ITEM)  # clean: its blob is the index's (a file git does not call clean is always checked again)
    expected = findings(repo, cached=True)
    rows_log(repo).unlink()  # the rows say the file is as it was; the store knows it as it is
    drop_memos(repo)
    assert findings(repo, cached=True) == expected
    assert rows_log(repo).exists()
    drop_memos(repo)
    opened = []
    monkeypatch.setattr(incremental, "open_journal", lambda *args: opened.append(args))
    assert findings(repo, cached=True) == expected and opened == []  # nothing stale: the store is not opened


def test_many_changed_rows_write_the_rows_whole(repo: Path, monkeypatch):
    monkeypatch.setattr(incremental, "LOGGED_ROWS", 0)
    before = rows_store(repo).read_bytes()
    write_files(repo, {ITEM: BAD_VALUE})
    assert [f.code for f in assert_same(repo)] == ["invalid-date"]
    assert rows_store(repo).read_bytes() != before and not rows_log(repo).exists()


@pytest.mark.parametrize("damage", [b"torn", b"\xff" * 40])
def test_a_damaged_log_of_rows_is_not_read_past(repo: Path, damage):
    write_files(repo, {ITEM: BAD_VALUE})
    expected = assert_same(repo)
    with rows_log(repo).open("ab") as stream:
        stream.write(damage)
    write_files(repo, {OTHER: BROKEN_YAML.replace("a1", "b2")})
    expected = findings(repo, cached=False)
    drop_memos(repo)
    assert findings(repo, cached=True) == expected
    drop_memos(repo)
    assert findings(repo, cached=True) == expected


def test_summaries_are_read_a_frame_at_a_time_up_to_a_damaged_one(repo: Path, monkeypatch):
    monkeypatch.setattr(cache, "CHUNK", 1)
    expected = assert_same_view(repo)
    path = cache.cache_path(repo).with_name(cache.SUMMARY_FILE)
    entries = cache.read_summaries(path)
    cache.write_summaries(path, entries)
    assert len(list(cache.summary_frames(path))) == len(entries) > 2
    data = bytearray(path.read_bytes())
    data[-3] ^= 0xFF  # in the last frame: those before it still read
    path.write_bytes(bytes(data))
    assert [len(frame) for frame in cache.summary_frames(path)] == [1] * (len(entries) - 1)
    drop_memos(repo)
    (path.parent / view_module.FILES_NAME).unlink(missing_ok=True)
    assert view(repo, cached=True) == expected


def test_the_summaries_file_keeps_older_frames_while_there_is_room(repo: Path, monkeypatch):
    monkeypatch.setattr(cache, "CHUNK", 1)
    store = cache.cache_path(repo)
    path = store.with_name(cache.SUMMARY_FILE)
    older = {f"item:{index:040x}": ((), b"") for index in range(5)}
    cache.write_summaries(path, older)
    frames = cache.Spool()
    frames.write(cache.summary_frame({"item:" + "f" * 40: ((), b"")}))
    monkeypatch.setattr(cache, "_room", lambda used, cached: 4)
    cache.add_summary_frames(store, frames, 1)
    assert list(cache.read_summaries(path)) == ["item:" + "f" * 40, *list(older)[:3]]


def test_cache_from_another_version(repo: Path, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr(cache, "__version__", "0.0.0-other")
        drop_memos(repo)
        findings(repo, cached=True)
        rewrite_checks(repo, lambda summary: EMPTY_FILE)
    assert findings(repo, cached=True) == []


def test_validated_records_from_other_models(repo: Path, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr(cache, "source_digest", lambda: "models before a change")
        drop_memos(repo)
        findings(repo, cached=True)
        rewrite_checks(repo, lambda summary: EMPTY_FILE)
    assert findings(repo, cached=True) == []


@pytest.mark.parametrize("damaged", [(b"not a pickle", False, "x", None, None, ()), ("short",), None, 7])
def test_summary_that_does_not_read_back(repo: Path, damaged):
    rewrite_checks(repo, lambda summary: damaged)
    assert findings(repo, cached=True) == []


def test_catalog_change_checks_every_item_again(repo: Path):
    write_files(repo, {"catalog/units.yaml": (repo / "catalog/units.yaml").read_text(encoding="utf-8")
                       .replace("id: zonghe", "id: zonghe-renamed")})
    assert {f.code for f in assert_same(repo)} >= {"unknown-unit"}


def test_a_file_met_twice_gets_objects_of_its_own(repo: Path):
    write_files(repo, {"items/2024/zonghe/copy.yaml": GOOD})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "copy")
    expected = assert_same(repo)
    assert {f.code for f in expected} == {"duplicate-id", "misplaced-file"}
    assert {f.path for f in expected} == {"items/2024/zonghe/copy.yaml"}


def test_check_since_keeps_the_full_checks_records(repo: Path):
    from gongkai_cli.load.load import load_repository

    for n in range(3, 40):
        write_files(repo, {f"items/2024/zonghe/2024-zonghe-x{n}.yaml": GOOD.replace("a1", f"x{n}")})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "more")
    assert_same(repo)
    load_repository(repo)
    before = set(cache.read_cache(cache.cache_path(repo)))
    assert before
    write_files(repo, {ITEM: BAD_VALUE})
    validate(repo, since="HEAD")
    assert before <= set(cache.read_cache(cache.cache_path(repo)))


def test_corrupt_body_with_intact_header(repo: Path):
    store = checks_store(repo)
    data = bytearray(store.read_bytes())
    data[-5] ^= 0xFF
    store.write_bytes(bytes(data))
    drop_memos(repo)
    assert findings(repo, cached=True) == []


def test_parallel_check_gives_the_same_findings(repo: Path, monkeypatch):
    write_files(repo, {ITEM: BROKEN_YAML, "items/2024/zonghe/copy.yaml": GOOD.replace("a1", "b2"),
                       "items/2024/zonghe/2024-zonghe-c3.yaml": GOOD.replace("a1", "c3") + "of: 2024-zonghe-zz\n"})
    serial = findings(repo, cached=False)
    assert {f.code for f in serial} >= {"yaml-syntax", "duplicate-id"}
    monkeypatch.setattr(incremental, "PARALLEL_FROM", 2)
    monkeypatch.setattr(incremental, "CHUNK", 1)
    assert findings(repo, cached=False) == serial
    assert findings(repo, cached=True) == serial


def test_files_with_conversion_attributes_are_not_trusted(repo: Path):
    write_files(repo, {".gitattributes": "*.yaml working-tree-encoding=UTF-8\n"})
    assert cache.clean_blobs(repo) == {}
    assert assert_same(repo) == []


def test_parallel_parse_gives_the_same_entries(repo: Path, monkeypatch):
    write_files(repo, {ITEM: BROKEN_YAML})
    paths = ["gongkai.yaml", ITEM, OTHER]
    serial = [(path, blob, pickle.loads(entry[0])) for path, blob, entry in cache.build_files(repo, paths, RECIPE)]
    monkeypatch.setattr(cache, "PARALLEL_FROM", 2)
    monkeypatch.setattr(cache, "CHUNK", 1)
    parallel = [(path, blob, pickle.loads(entry[0])) for path, blob, entry in cache.build_files(repo, paths, RECIPE)]
    assert [(path, blob, record.findings) for path, blob, record in parallel] == \
        [(path, blob, record.findings) for path, blob, record in serial]
    assert [[obj for obj, _ in record.objects] for _, _, record in parallel] == \
        [[obj for obj, _ in record.objects] for _, _, record in serial]


def test_outside_git_parses_everything(tmp_path: Path):
    root = make_repo(tmp_path / "office", {ITEM: BAD_VALUE})
    shutil.rmtree(root / ".git")
    assert [f.code for f in assert_same(root)] == ["invalid-date"]


# The remembered answer ------------------------------------------------------------------------

POISON = Finding(ITEM, 9, 9, "empty-file")


def memo_file(root: Path) -> Path:
    return cache.cache_path(root).with_name("check.memo")


def poison_memo(root: Path) -> None:
    """The stored answer replaced by a made-up finding, under the same state."""
    with memo_file(root).open("rb") as stream:
        state = marshal.load(stream)[1]
    memo.remember(root, "check", state, ([POISON], {}))


def test_poisoned_memo_is_used_so_the_memo_tests_mean_something(repo: Path):
    poison_memo(repo)
    assert findings(repo, cached=True) == [POISON]


def test_memo_from_other_code_is_not_used(repo: Path, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr(cache, "source_digest", lambda: "a check before a change")
        assert findings(repo, cached=True) == []
        poison_memo(repo)
    assert findings(repo, cached=True) == []


@pytest.mark.parametrize("keep", [0, 5, 0.5, -1])
def test_damaged_memo(repo: Path, keep):
    write_files(repo, {ITEM: BAD_VALUE})
    expected = assert_same(repo)
    findings(repo, cached=True)
    store = memo_file(repo)
    data = store.read_bytes()
    store.write_bytes(data[: int(len(data) * keep) if isinstance(keep, float) else keep])
    assert findings(repo, cached=True) == expected


def test_evidence_file_appearing_and_going(repo: Path):
    write_files(repo, {ITEM: GOOD + "evidence: [evidence/a1.pdf]\n"})
    assert [f.code for f in assert_same(repo)] == ["evidence-not-found"]
    write_files(repo, {"evidence/a1.pdf": b"%PDF"})
    assert assert_same(repo) == []
    (repo / "evidence/a1.pdf").unlink()
    assert [f.code for f in assert_same(repo)] == ["evidence-not-found"]


def test_repository_in_a_folder_of_a_larger_git_repository(tmp_path: Path):
    outer = make_repo(tmp_path / "outer", base=False)
    root = outer / "offices" / "zonghe"
    make_repo(root, {ITEM: GOOD})
    shutil.rmtree(root / ".git")
    git(outer, "add", "-A")
    git(outer, "commit", "-qm", "office")
    assert assert_same(root) == []
    write_files(root, {ITEM: BAD_VALUE})  # not staged: git reports it relative to the outer root
    assert [f.code for f in assert_same(root)] == ["invalid-date"]


def test_linked_item_follows_what_it_points_at(repo: Path):
    write_files(repo, {"drafts/a1.yaml": GOOD})
    (repo / ITEM).unlink()
    (repo / ITEM).symlink_to(Path("../../../drafts/a1.yaml"))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "link")
    assert assert_same(repo) == []
    write_files(repo, {"drafts/a1.yaml": BAD_VALUE})
    git(repo, "commit", "-qam", "change the target")
    assert [f.code for f in assert_same(repo)] == ["invalid-date"]


# The view overdue, due and audit read ----------------------------------------------------------


def view(root: Path, cached: bool) -> tuple:
    from gongkai_cli.load.view import load_view

    with caching(cached):
        snapshot, found = load_view(root)
    return sorted(snapshot.items), sorted(found), [unit.id for unit in snapshot.units]


def assert_same_view(root: Path) -> tuple:
    return assert_same(root, view)


def test_view_follows_edits_and_reverts(repo: Path):
    items, found, _ = assert_same_view(repo)
    assert [item.disclosed for item in items] == [date(2024, 9, 5)] * 2 and found == []
    write_files(repo, {ITEM: GOOD.replace("disclosed: 2024-09-05", "disclosed: 2024-09-20T10:30:00+08:00")})
    items, _, _ = assert_same_view(repo)
    assert datetime(2024, 9, 20, 10, 30, tzinfo=timezone(timedelta(hours=8))) in [i.disclosed for i in items]
    write_files(repo, {ITEM: BROKEN_YAML})
    items, found, _ = assert_same_view(repo)
    assert len(items) == 1 and [f.code for f in found] == ["yaml-syntax"]
    git(repo, "checkout", "--", ITEM)
    assert len(assert_same_view(repo)[0]) == 2


def test_request_items_keep_their_pauses(repo: Path):
    request = GOOD.replace("disclosed: 2024-09-05", "mode: on-request\nreceived: 2024-09-02\n"
                           "paused:\n  - {from: 2024-09-03, to: 2024-09-06}\nreplied: 2024-10-08")
    write_files(repo, {OTHER: request.replace("a1", "b2")})
    items, _, _ = assert_same_view(repo)
    asked = next(item for item in items if item.mode == "on-request")
    assert (asked.received, asked.replied) == (date(2024, 9, 2), date(2024, 10, 8))
    assert [(pause.from_, pause.to) for pause in asked.paused] == [(date(2024, 9, 3), date(2024, 9, 6))]


def test_poisoned_summaries_are_used_so_the_view_tests_mean_something(repo: Path):
    assert_same_view(repo)
    drop_memos(repo)
    summaries = cache.cache_path(repo).with_name(cache.SUMMARY_FILE)
    entries = cache.read_summaries(summaries)
    cache.write_summaries(summaries, {key: ((), b"") for key in entries})
    assert view(repo, cached=True)[0] == []


def test_poisoned_view_memo_is_used(repo: Path):
    assert_same_view(repo)
    store = cache.cache_path(repo).with_name("view.memo")
    with store.open("rb") as stream:
        state = marshal.load(stream)[1]
    (config, units, categories, rules, found, skipped, reports), items = memo.recall(repo, "view", state)
    memo.remember(repo, "view", state, (config, [], categories, rules, found, skipped, reports), items)
    assert view(repo, cached=True)[2] == []


def test_rows_are_remembered_in_batches_and_read_back_whole(repo: Path, monkeypatch):
    monkeypatch.setattr(memo, "ROWS_BATCH", 3)
    rows = [(number, f"行{number}", date(2024, 1, 1 + number % 28)) for number in range(10)]
    memo.remember(repo, "rows", "some state", {"head": 1}, iter(rows))
    assert memo.recall(repo, "rows", "some state") == ({"head": 1}, rows)
    assert memo.recall(repo, "rows", "another state") is None
    memo.remember(repo, "rows", "some state", "no rows")
    assert memo.recall(repo, "rows", "some state") == ("no rows", [])


def test_an_item_pickles_to_the_same_item_with_the_same_set_fields():
    from gongkai_cli.model.models import Item

    item = Item(id="2024-zonghe-a1", title="通知", category="policy-docs", unit="zonghe", formed=date(2024, 9, 2),
                disclosed=datetime(2024, 9, 5, 9, 30, tzinfo=timezone(timedelta(hours=8))), channels=["政府网站"],
                reviews=[{"step": "secrecy", "by": "王", "on": date(2024, 9, 3)}])
    back = pickle.loads(pickle.dumps(item))
    assert back == item and back.reviews[0].step == "secrecy"
    assert back.model_dump(exclude_unset=True) == item.model_dump(exclude_unset=True)
    assert list(back.__dict__) == list(item.__dict__)


def test_attributes_above_a_repository_in_a_folder_are_seen(tmp_path: Path):
    outer = make_repo(tmp_path / "outer", {".gitattributes": "*.yaml working-tree-encoding=UTF-8\n"}, base=False)
    root = outer / "offices" / "zonghe"
    make_repo(root, {ITEM: GOOD})
    shutil.rmtree(root / ".git")
    git(outer, "add", "-A")
    git(outer, "commit", "-qm", "office")
    assert cache.clean_blobs(root) == {}
    assert assert_same(root) == []


def poison_view_titles(root: Path) -> None:
    """Every item of the remembered view retitled 毒, under the state it was made under."""
    store = cache.cache_path(root).with_name("view.memo")
    with store.open("rb") as stream:
        state = marshal.load(stream)[1]
    answer, rows = memo.recall(root, "view", state)
    memo.remember(root, "view", state, answer, [(row[0], "毒".encode(), *row[2:]) for row in rows])


def titles(root: Path) -> dict[str, str]:
    with caching(True):
        return {item.id: item.title for item in load_view(root)[0].items}


def test_after_an_edit_the_view_reads_only_the_changed_file(repo: Path, monkeypatch):
    """The last view's items are taken for every unchanged file (so a poisoned one shows), and the
    changed file is read: the same view as one built whole."""
    assert_same_view(repo)
    poison_view_titles(repo)
    write_files(repo, {ITEM: GOOD.replace("title: 关于", "title: 改后关于")})
    assert titles(repo) == {"2024-zonghe-a1": "改后关于印发某某办法的通知", "2024-zonghe-b2": "毒"}
    write_files(repo, {OTHER: GOOD.replace("a1", "b2").replace("formed: 2024-09-02", "formed: 2024-09-01")})
    assert titles(repo) == {"2024-zonghe-a1": "改后关于印发某某办法的通知", "2024-zonghe-b2": "关于印发某某办法的通知"}
    poison_view_titles(repo)
    monkeypatch.setattr(view_module, "FEW", 0)  # more changed files than this: every summary read in bulk
    write_files(repo, {ITEM: GOOD})
    assert set(titles(repo).values()) == {"关于印发某某办法的通知"}


@pytest.mark.parametrize("change", [
    {"catalog/units.yaml": UNITS + "  - id: xinban\n    name: 新办\n    kind: department\n"},
    {"rules/new.yaml": "- id: r1\n  name: 规则\n  category: policy-docs\n  within: {workdays: 20}\n"},
])
def test_a_change_outside_the_items_builds_the_view_anew(repo: Path, change):
    assert_same_view(repo)
    poison_view_titles(repo)
    write_files(repo, change)
    assert set(titles(repo).values()) == {"关于印发某某办法的通知"}


def test_files_added_removed_and_broken_give_the_view_built_whole_in_its_order(repo: Path):
    assert_same_view(repo)
    third = "items/2024/zonghe/2024-zonghe-c3.yaml"
    write_files(repo, {third: GOOD.replace("a1", "c3"), OTHER: BROKEN_YAML})
    whole = view_in_order(repo, cached=False)
    assert view_in_order(repo, cached=True) == whole and [f.path for f in whole[1]] == [OTHER]
    (repo / ITEM).unlink()
    write_files(repo, {ITEM.replace("a1", "a0"): BROKEN_YAML})
    whole = view_in_order(repo, cached=False)
    assert view_in_order(repo, cached=True) == whole
    assert [f.path for f in whole[1]] == [ITEM.replace("a1", "a0"), OTHER]


def view_in_order(root: Path, cached: bool) -> tuple:
    with caching(cached):
        snapshot, found = load_view(root)
    return snapshot.items, found, snapshot.skipped


@pytest.mark.parametrize("damage, stamped", [
    (b"", False), (b"not a view", False),
    (b"not marshal", True),
    (marshal.dumps(("state", ["p"], ["b"], [5], {}, [])), True),  # reads, but not as a record
    (marshal.dumps(("state", "p", b"b", [5], {}, [])), True),  # a record of another view
])
def test_a_damaged_record_of_the_last_view_builds_it_whole(repo: Path, damage, stamped):
    assert_same_view(repo)
    record = cache.cache_path(repo).with_name(view_module.FILES_NAME)
    if stamped:
        cache.write_checked(record, view_module.FILES_MAGIC, cache.fingerprint(), damage)
    else:
        record.write_bytes(damage)
    write_files(repo, {ITEM: BAD_VALUE})
    assert [f.code for f in assert_same_view(repo)[1]] == ["invalid-date"]


@pytest.mark.parametrize("change", [
    lambda files: files._replace(digests=files.digests[:-1]),
    lambda files: files._replace(counts=[count + 1 for count in files.counts]),
    lambda files: files._replace(paths=[*files.paths, "items/2024/zonghe/2024-zonghe-z9.yaml"]),
    lambda files: files._replace(paths="not a list"),
    lambda files: files._replace(paths=[files.paths[0], 5]),
    lambda files: files._replace(digests=bytes(len(files.digests))),  # every file seen as changed
])
def test_a_record_of_the_last_view_that_does_not_fit_it_gives_the_view_built_whole(repo: Path, change):
    assert_same_view(repo)
    record = cache.cache_path(repo).with_name(view_module.FILES_NAME)
    files = view_module._last_files(repo)
    assert files is not None and len(files.paths) == 2
    cache.write_checked(record, view_module.FILES_MAGIC, cache.fingerprint(), marshal.dumps(tuple(change(files)), 2))
    write_files(repo, {ITEM: BAD_VALUE})
    assert [f.code for f in assert_same_view(repo)[1]] == ["invalid-date"]


def test_view_findings_name_the_file_they_are_in(repo: Path):
    """Summaries are stored by content: two identical broken files share one, each is named."""
    write_files(repo, {ITEM: BROKEN_YAML, OTHER: BROKEN_YAML})
    _, found, _ = assert_same_view(repo)
    assert sorted(f.path for f in found) == [ITEM, OTHER]
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "broken")
    git(repo, "mv", OTHER, "items/2024/zonghe/2024-zonghe-c3.yaml")
    _, found, _ = assert_same_view(repo)
    assert sorted(f.path for f in found) == [ITEM, "items/2024/zonghe/2024-zonghe-c3.yaml"]


def test_a_summary_whose_findings_do_not_read_back_is_read_again(repo: Path):
    write_files(repo, {ITEM: BROKEN_YAML})
    expected = assert_same_view(repo)
    drop_memos(repo)
    summaries = cache.cache_path(repo).with_name(cache.SUMMARY_FILE)
    entries = cache.read_summaries(summaries)
    cache.write_summaries(summaries, {key: (value[0], b"not a pickle" if value[1] else b"") for key, value in entries.items()})
    assert view(repo, cached=True) == expected


def test_the_view_lists_items_in_path_order_whatever_is_cached(repo: Path):
    from gongkai_cli.load.view import load_view

    cold = [item.id for item in load_view(repo)[0].items]
    write_files(repo, {"items/2024/zonghe/2024-zonghe-0a.yaml": GOOD.replace("a1", "0a")})
    drop_memos(repo)
    assert [item.id for item in load_view(repo)[0].items] == ["2024-zonghe-0a", *cold]


# Remembered occurrences ---------------------------------------------------------------------------

RULES = "- id: policy-20wd\n  name: 规范性文件20个工作日内公开\n  category: policy-docs\n  within: {workdays: 20}\n"


def overdue_json(cli, root: Path, as_of: str, cached: bool) -> tuple[list, str]:
    with caching(cached):
        result = cli(root, "overdue", "--as-of", as_of, "--format", "json")
        table = cli(root, "overdue", "--as-of", as_of)
    return json.loads(result.stdout), table.stderr


@pytest.mark.parametrize("as_of", ["2024-10-15", "2024-12-31", "2031-03-02"])  # 2031: no holiday data yet
def test_remembered_occurrences_agree_with_computed_ones(repo: Path, cli, as_of):
    later = GOOD.replace("2024-zonghe-a1", "2031-zonghe-c3").replace("2024-09-02", "2031-02-03").replace("disclosed: 2024-09-05\n", "")
    write_files(repo, {"rules/policy.yaml": RULES, OTHER: GOOD.replace("a1", "b2").replace("disclosed: 2024-09-05\n", ""),
                       "items/2031/zonghe/2031-zonghe-c3.yaml": later})
    expected = overdue_json(cli, repo, as_of, cached=False)
    assert expected[0], "an overdue occurrence to compare"
    for _ in range(2):  # computed and remembered, then remembered
        assert overdue_json(cli, repo, as_of, cached=True) == expected
    assert "2031" in expected[1]  # the holiday-data warning survives the memo
    write_files(repo, {OTHER: GOOD.replace("a1", "b2").replace("disclosed: 2024-09-05", "disclosed: 2024-10-30")})
    assert overdue_json(cli, repo, as_of, cached=True) == overdue_json(cli, repo, as_of, cached=False)


def test_remembered_occurrences_are_used(repo: Path, cli):
    write_files(repo, {"rules/policy.yaml": RULES})
    overdue_json(cli, repo, "2024-10-15", cached=True)
    store = cache.cache_path(repo).with_name("occurrences.memo")
    with store.open("rb") as stream:
        key = marshal.load(stream)[1]
    memo.remember(repo, "occurrences", key, [], [("made-up", "编造", "zonghe", None, "x", date(2024, 1, 2),
                                                  "overdue", None, False)])
    assert [o["rule"] for o in overdue_json(cli, repo, "2024-10-15", cached=True)[0]] == ["made-up"]


def stored_entries(root: Path) -> dict[str, Any]:
    path = checks_store(root)
    with path.open("rb") as stream:
        stamp = marshal.load(stream)[1]
    return journal.open_journal(path, stamp).entries


def test_worker_pieces_store_what_one_process_stores(repo: Path, monkeypatch):
    """A cold check on many files stores the marshalled pieces its workers sent, joined unread:
    the same entries and view summaries as a check in one process, and read back warm."""
    write_files(repo, {ITEM: BROKEN_YAML, "items/2024/zonghe/2024-zonghe-c3.yaml": GOOD.replace("a1", "c3")})
    folder = cache.cache_path(repo).parent
    shutil.rmtree(folder, ignore_errors=True)
    serial = findings(repo, cached=True)
    one_process = stored_entries(repo)
    shutil.rmtree(folder)
    monkeypatch.setattr(incremental, "PARALLEL_FROM", 2)
    monkeypatch.setattr(incremental, "CHUNK", 1)
    assert findings(repo, cached=True) == serial
    assert stored_entries(repo) == one_process and len(one_process) == 3
    drop_memos(repo)
    assert findings(repo, cached=True) == serial
    views = cache.read_summaries(folder / cache.SUMMARY_FILE)
    assert len(views) == 3 and all(key.startswith("item:") for key in views)


def test_a_cold_check_leaves_the_view_its_summaries(repo: Path, monkeypatch):
    shutil.rmtree(cache.cache_path(repo).parent)
    monkeypatch.setattr(incremental, "PARALLEL_FROM", 2)
    findings(repo, cached=True)
    summaries = cache.read_summaries(cache.cache_path(repo).with_name(cache.SUMMARY_FILE))
    blobs = cache.clean_blobs(repo)
    assert {cache.record_key(path, blobs[path]) for path in (ITEM, OTHER)} <= set(summaries)
    assert assert_same_view(repo)[0]
