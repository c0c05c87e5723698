"""git asked early (repo.asked_early): a full check starts its listing's git commands before its
imports; the answers are git's at that moment, taken once, and never outlive the block."""

from __future__ import annotations

import json
import os
import time

import pytest
from conftest import git, item, make_repo, write_files

from gongkai_cli.load import repo as repo_module
from gongkai_cli.load.repo import GitError, asked_early, git_bytes


def test_an_answer_asked_early_is_gits_when_started_and_is_taken_once(tmp_path):
    root = make_repo(tmp_path / "r")
    before = git(root, "rev-parse", "HEAD")
    with asked_early(root, [("rev-parse", "HEAD")]):
        repo_module._EARLY[(str(root), ("rev-parse", "HEAD"))][0].wait()  # answered before the commit
        git(root, "commit", "-q", "--allow-empty", "-m", "later")
        assert git_bytes(root, "rev-parse", "HEAD").decode() == before  # what git said when started
        assert git_bytes(root, "rev-parse", "HEAD").decode() != before  # asked again: asked of git now
    assert not repo_module._EARLY


def test_an_answer_not_taken_is_dropped_on_leaving(tmp_path):
    root = make_repo(tmp_path / "r")
    with asked_early(root, [("rev-parse", "HEAD")]):
        pass
    assert not repo_module._EARLY
    git(root, "commit", "-q", "--allow-empty", "-m", "later")
    assert git_bytes(root, "rev-parse", "HEAD").decode() == git(root, "rev-parse", "HEAD")


def test_a_failing_command_asked_early_fails_as_it_would_have(tmp_path):
    root = make_repo(tmp_path / "r")
    asked = ("rev-parse", "--verify", "no-such-rev")
    with pytest.raises(GitError) as directly:
        git_bytes(root, *asked)
    with asked_early(root, [asked]), pytest.raises(GitError) as early:
        git_bytes(root, *asked)
    assert str(early.value) == str(directly.value)


def test_a_full_check_takes_every_answer_it_asked_early(tmp_path, cli, monkeypatch):
    root = make_repo(tmp_path / "r", dict([item()]))
    past = time.time() - 60  # folders this old let the listing be kept (a racy one is not)
    for folder in [root, *(path for path in root.rglob("*") if path.is_dir() and ".git" not in path.parts)]:
        os.utime(folder, (past, past))
    os.utime(root / ".git" / "index", (past, past))  # an index written just now: the early listing is asked again
    started, real_start = [], repo_module._start
    monkeypatch.setattr(repo_module, "_start", lambda where, args: started.append(args) or real_start(where, args))
    run, real_run = [], repo_module.subprocess.run
    monkeypatch.setattr(repo_module.subprocess, "run", lambda argv, **kw: run.append(tuple(argv[1:])) or real_run(argv, **kw))
    for _ in range(2):  # without a kept listing, then with one (whose text is then not asked for)
        result = cli(root, "check", "--format", "json")
        assert (result.exit_code, json.loads(result.stdout)) == (0, {"ok": True, "files": 4, "findings": []})
        assert not repo_module._EARLY
    early = [repo_module.DIFF_FILES, repo_module.INDEX_PATH]
    assert started == [*early, repo_module.LS_FILES, *early]
    assert not set(started) & set(run)  # each answered from what was started early


def test_a_check_since_asks_nothing_early(tmp_path, cli, monkeypatch):
    root = make_repo(tmp_path / "r", dict([item()]))
    started = []
    monkeypatch.setattr(repo_module, "_start", lambda where, args: started.append(args))
    assert cli(root, "check", "--since", "HEAD").exit_code == 0
    assert cli(root, "check", "--fail-overdue").exit_code in (0, 1)
    assert started == []


def test_a_full_check_finds_what_changed_since_the_last_commit(tmp_path, cli):
    root = make_repo(tmp_path / "r", dict([item()]))
    cli(root, "check")  # leaves a kept listing
    write_files(root, dict([item(formed="2024-13-01")]))  # the same file, changed, not committed
    write_files(root, dict([item("2024-zonghe-c3d4")]))  # a new file, untracked
    result = cli(root, "check", "--format", "json")
    document = json.loads(result.stdout)
    assert document["files"] == 5
    assert [finding["code"] for finding in document["findings"]] == ["invalid-date"]


def test_a_listing_asked_early_is_not_kept_under_an_index_written_since(tmp_path, cli):
    """The index changed between the early ls-files and the reading of its checksum: the listing is
    asked again, so the one kept is never the older index's under the newer checksum."""
    from gongkai_cli.check.validate import validate
    from gongkai_cli.load import cache

    root = make_repo(tmp_path / "r", dict([item()]))
    past = time.time() - 60
    for folder in [root, *(path for path in root.rglob("*") if path.is_dir() and ".git" not in path.parts)]:
        os.utime(folder, (past, past))
    os.utime(root / ".git" / "index", (past, past))
    assert validate(root).findings == []  # what the old blob gives is remembered
    (cache.cache_store(root).with_name(cache.LISTING_FILE)).unlink()
    with cache.listed_early(root):
        repo_module._EARLY[(str(root), repo_module.LS_FILES)][0].wait()  # the old index listed
        write_files(root, dict([item(formed="2024-13-01")]))
        git(root, "add", "-A")  # a new index: same paths, another blob
        assert [f.code for f in validate(root).findings] == ["invalid-date"]
    for _ in range(2):  # and every run after, from the listing kept
        assert [f.code for f in validate(root).findings] == ["invalid-date"]
