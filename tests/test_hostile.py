"""Hostile and broken input that a stored corpus file cannot carry: links, pipes, huge files,
a pull request that tries to run a command, and a repository left in the middle of a git operation."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import git, item, make_repo, write_files

from gongkai_cli.check.check import run_checks
from gongkai_cli.load import yamlio
from gongkai_cli.load.load import load_repository
from gongkai_cli.load.repo import data_files, repository_state
from gongkai_cli.load.yamlio import MAX_BYTES
from gongkai_cli.messages import text
from gongkai_cli.model.findings import Finding

GONGKAI = str(Path(sys.executable).with_name("gongkai"))
HANG_GUARD = 120  # seconds: only so that a regression fails instead of hanging the suite
ITEM_PATH, ITEM_TEXT = item()


def check_json(cli, root: Path, *args: str):
    result = cli(root, "check", "--format", "json", *args)
    return result, json.loads(result.stdout)


def places(document: dict) -> set[tuple]:
    return {(f["code"], f["path"], f["line"], f["col"]) for f in document["findings"]}


def run_gongkai(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([GONGKAI, "--repo", str(root), *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=HANG_GUARD, env={**os.environ, "PYTHONUTF8": "1"})


# A pull request that tries to run something ------------------------------------------------------


@pytest.mark.parametrize("tag", [
    '!!python/object/apply:os.system ["touch {marker}"]',
    '!!python/object/apply:subprocess.call [["touch", "{marker}"]]',
    '!!python/object/new:subprocess.Popen [["touch", "{marker}"]]',
])
def test_a_pull_request_whose_item_would_run_a_command_runs_nothing(tmp_path, tag):
    marker = tmp_path / "pwned"
    origin = make_repo(tmp_path / "origin", dict([item()]))
    checkout = tmp_path / "pr"
    git(tmp_path, "clone", "-q", str(origin), str(checkout))
    write_files(checkout, {"items/2024/zonghe/2024-zonghe-e5f6.yaml":
                           item("2024-zonghe-e5f6")[1] + "note: " + tag.format(marker=marker) + "\n"})
    git(checkout, "add", "-A")
    git(checkout, "commit", "-q", "-m", "新增条目")
    git(checkout, "checkout", "-q", "--detach")  # how CI checks a pull request out

    result = run_gongkai(checkout, "check", "--format", "json", "--since", "origin/main")

    assert not marker.exists()
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert ("yaml-tag", "items/2024/zonghe/2024-zonghe-e5f6.yaml", 6, 7) in places(json.loads(result.stdout))


# Links and files that are not files -----------------------------------------------------------------


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder beside the repository holding an item that would give its own findings if read."""
    folder = tmp_path / "outside"
    write_files(folder, {"x.yaml": "id: OUTSIDE\n", "items/x.yaml": "id: OUTSIDE\n"})
    return folder


@pytest.mark.parametrize("link, target", [
    ("items/2024/zonghe/2024-zonghe-c3d4.yaml", "x.yaml"),
    ("items/2025", "items"),
    ("rules", "items"),
])
def test_a_link_leading_outside_is_a_finding_and_is_not_read(cli, repo, outside, link, target):
    (repo / link).parent.mkdir(parents=True, exist_ok=True)
    (repo / link).symlink_to(outside / target)
    result, document = check_json(cli, repo)
    assert result.exit_code == 1
    assert places(document) == {("path-escape", link, 1, 1)}
    assert "OUTSIDE" not in result.stdout


def test_a_link_that_stays_inside_is_read(cli, repo):
    write_files(repo, {"shared/2024-zonghe-a1b2.yaml": ITEM_TEXT})
    (repo / ITEM_PATH).parent.mkdir(parents=True)
    (repo / ITEM_PATH).symlink_to(repo / "shared/2024-zonghe-a1b2.yaml")
    result, document = check_json(cli, repo)
    assert (result.exit_code, document["files"]) == (0, 4)


def test_a_config_linked_outside_is_not_read(cli, repo, outside):
    (repo / "gongkai.yaml").unlink()
    (repo / "gongkai.yaml").symlink_to(outside / "x.yaml")
    result, document = check_json(cli, repo)
    assert result.exit_code == 1
    assert places(document) == {("path-escape", "gongkai.yaml", 1, 1), ("no-config", "gongkai.yaml", 1, 1)}


def test_evidence_linked_outside_is_a_finding(cli, repo, outside):
    (repo / "evidence").mkdir()
    (repo / "evidence/photo.jpg").symlink_to(outside / "x.yaml")
    write_files(repo, {ITEM_PATH: ITEM_TEXT + "evidence: [evidence/photo.jpg]\n"})
    result, document = check_json(cli, repo)
    assert places(document) == {("path-escape", ITEM_PATH, 6, 12)}


def test_a_pipe_named_like_an_item_is_never_opened(repo):
    pipe = repo / "items/2024/zonghe/2024-zonghe-ffff.yaml"
    pipe.parent.mkdir(parents=True)
    os.mkfifo(pipe)
    assert "items/2024/zonghe/2024-zonghe-ffff.yaml" not in data_files(repo)
    result = run_gongkai(repo, "check")
    assert result.returncode == 1 and "not-a-file" in result.stdout


def test_a_file_over_the_size_limit_is_a_finding(cli, repo):
    write_files(repo, {ITEM_PATH: ITEM_TEXT + "#" * MAX_BYTES + "\n"})
    result, document = check_json(cli, repo)
    assert result.exit_code == 1
    assert places(document) == {("file-too-large", ITEM_PATH, 1, 1)}


def test_a_check_that_crashes_is_one_more_finding(repo):
    def crashing(snapshot):
        raise ZeroDivisionError("planted")

    snapshot, _ = load_repository(repo)
    assert run_checks(snapshot, [crashing]) == [Finding("gongkai.yaml", 1, 1, "check-crashed")]


# A repository left in the middle of a git operation ---------------------------------------------


def conflicting_branches(root: Path) -> None:
    """main and `clerk` each disclosed the same item on another day."""
    write_files(root, {ITEM_PATH: ITEM_TEXT})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "条目")
    git(root, "checkout", "-q", "-b", "clerk")
    write_files(root, {ITEM_PATH: ITEM_TEXT + "disclosed: 2024-10-12\n"})
    git(root, "commit", "-q", "-am", "clerk")
    git(root, "checkout", "-q", "main")
    write_files(root, {ITEM_PATH: ITEM_TEXT + "disclosed: 2024-10-10\n"})
    git(root, "commit", "-q", "-am", "main")


def test_a_clean_repository_has_no_state(repo):
    assert repository_state(repo) == []


def test_a_folder_outside_git_has_no_state(tmp_path):
    write_files(tmp_path / "plain", {"gongkai.yaml": "office: 某办\n"})
    assert repository_state(tmp_path / "plain") == []


def test_a_stale_index_lock_is_told_once_and_check_still_reads(cli, repo):
    (repo / ".git/index.lock").touch()
    result = cli(repo, "check")
    assert result.exit_code == 0
    assert result.stderr.count(text("state.index-locked")) == 1
    assert (repo / ".git/index.lock").exists()  # not ours to remove


def test_a_half_finished_merge_is_told_and_its_markers_are_a_finding(cli, repo):
    conflicting_branches(repo)
    assert subprocess.run(["git", "merge", "-q", "clerk"], cwd=repo, capture_output=True).returncode != 0
    assert repository_state(repo) == ["merging"]
    result, document = check_json(cli, repo)
    assert result.exit_code == 1
    assert result.stderr.count(text("state.merging")) == 1
    assert ("merge-conflict", ITEM_PATH, 6, 1) in places(document)


def test_a_half_finished_rebase_is_told_without_calling_head_detached(repo):
    conflicting_branches(repo)
    assert subprocess.run(["git", "rebase", "clerk"], cwd=repo, capture_output=True).returncode != 0
    assert repository_state(repo) == ["rebasing"]


def test_a_detached_head_is_told(cli, repo, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    git(repo, "checkout", "-q", "--detach")
    assert repository_state(repo) == ["detached-head"]
    assert cli(repo, "check", "--lang", "en").stderr.count(text("state.detached-head", "en")) == 1


def test_a_detached_head_is_no_news_in_ci(cli, repo, monkeypatch):
    monkeypatch.setenv("CI", "true")
    git(repo, "checkout", "-q", "--detach")
    result = cli(repo, "check", "--lang", "en")
    assert result.exit_code == 0
    assert text("state.detached-head", "en") not in result.stderr


def test_a_worktree_is_read_through_its_git_file(repo, tmp_path):
    git(repo, "worktree", "add", "-q", str(tmp_path / "second"), "-b", "second")
    worktree = tmp_path / "second"
    assert repository_state(worktree) == []
    git_dir = Path(git(worktree, "rev-parse", "--absolute-git-dir").strip())
    (git_dir / "index.lock").touch()
    assert repository_state(worktree) == ["index-locked"]
    assert repository_state(repo) == []


# Reading is bounded: regular files only, the size known before a byte is read ---------------------


def test_the_reader_refuses_a_pipe_without_waiting_on_it(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")  # opening it for reading would wait for a writer forever
    with pytest.raises(yamlio.NotAFile):
        yamlio.read_bounded(tmp_path / "pipe.yaml")


def test_the_reader_refuses_a_device_and_a_link_to_one(tmp_path):
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    for path in (Path("/dev/zero"), tmp_path / "zero.yaml"):
        with pytest.raises(yamlio.NotAFile):
            yamlio.read_bounded(path)


def test_a_link_to_a_device_is_refused_before_the_device_is_opened(tmp_path, monkeypatch):
    link = tmp_path / "watchdog.yaml"
    link.symlink_to("/dev/zero")  # a watchdog acts on being opened
    opened, real = [], os.open
    monkeypatch.setattr(yamlio.os, "open", lambda path, flags, *rest: opened.append((path, flags)) or real(path, flags, *rest))
    with pytest.raises(yamlio.NotAFile):
        yamlio.read_bounded(link)
    assert [(path, bool(flags & os.O_NOFOLLOW)) for path, flags in opened] == [(link, True)]  # and that one failed
    (tmp_path / "plain.yaml").write_bytes(b"id: x\n")
    (tmp_path / "to-plain.yaml").symlink_to("plain.yaml")
    assert yamlio.read_bounded(tmp_path / "to-plain.yaml") == b"id: x\n"  # a link to a file is read


def test_the_reader_refuses_a_large_file_by_its_size(tmp_path):
    big = tmp_path / "big.yaml"
    with big.open("wb") as stream:
        stream.truncate(MAX_BYTES + 1)  # sparse: its size says enough
    with pytest.raises(yamlio.TooLarge) as refused:
        yamlio.read_bounded(big)
    assert (refused.value.size, refused.value.limit) == (MAX_BYTES + 1, MAX_BYTES)
    big.write_bytes(b"id: x\n")
    assert yamlio.read_bounded(big) == b"id: x\n"


def test_the_reader_refuses_a_socket(tmp_path):
    import socket

    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "s.yaml"))
        (tmp_path / "to-s.yaml").symlink_to("s.yaml")
        for path in (tmp_path / "s.yaml", tmp_path / "to-s.yaml"):
            with pytest.raises(yamlio.NotAFile):
                yamlio.read_bounded(path)


def test_the_reader_reads_on_after_a_short_read(tmp_path, monkeypatch):
    whole = tmp_path / "whole.yaml"
    whole.write_bytes(b"id: x\ntitle: t\n")
    real = os.read
    monkeypatch.setattr(yamlio.os, "read", lambda handle, size: real(handle, min(size, 4)))  # as FUSE may
    assert yamlio.read_bounded(whole) == b"id: x\ntitle: t\n"


def test_the_reader_reads_on_when_a_file_grows_after_its_size_was_taken(tmp_path, monkeypatch):
    grown = tmp_path / "grown.yaml"
    grown.write_bytes(b"id: x\n" * 20)
    def smaller(real):
        def status_of(file):  # the size taken before the writer appended
            status = list(real(file))
            status[stat.ST_SIZE] = 6
            return os.stat_result(status)
        return status_of

    monkeypatch.setattr(yamlio.os, "stat", smaller(os.stat))
    monkeypatch.setattr(yamlio.os, "fstat", smaller(os.fstat))
    assert yamlio.read_bounded(grown) == b"id: x\n" * 20
    with pytest.raises(yamlio.TooLarge) as refused:
        yamlio.read_bounded(grown, limit=50)
    assert refused.value.size == 51  # no more than one byte past the limit is read


def limited_memory() -> None:
    """A child that reads without a bound dies of MemoryError instead of taking the machine down."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def pull_request(tmp_path: Path) -> Path:
    origin = make_repo(tmp_path / "origin", dict([item()]))
    checkout = tmp_path / "pr"
    git(tmp_path, "clone", "-q", str(origin), str(checkout))
    return checkout


@pytest.mark.parametrize("committed", [True, False])
def test_since_never_reads_an_item_linked_to_dev_zero(tmp_path, committed):
    checkout = pull_request(tmp_path)
    link = "items/2024/zonghe/2024-zonghe-e5f6.yaml"
    (checkout / link).symlink_to("/dev/zero")
    if committed:
        git(checkout, "add", "-A")
        git(checkout, "commit", "-q", "-m", "新增条目")
    result = subprocess.run([GONGKAI, "--repo", str(checkout), "check", "--format", "json", "--since", "origin/main"],
                            capture_output=True, text=True, timeout=HANG_GUARD, preexec_fn=limited_memory)
    assert result.returncode == 1, result.stderr
    assert ("path-escape", link, 1, 1) in places(json.loads(result.stdout))


def test_since_refuses_an_item_linked_to_a_pipe_inside_the_repository(tmp_path):
    checkout = pull_request(tmp_path)
    os.mkfifo(checkout / "items/pipe")
    link = "items/2024/zonghe/2024-zonghe-e5f6.yaml"
    (checkout / link).symlink_to("../../pipe")
    result = run_gongkai(checkout, "check", "--format", "json", "--since", "origin/main")
    assert result.returncode == 1, result.stderr
    assert ("unreadable-file", link, 1, 1) in places(json.loads(result.stdout))


def test_a_catalog_file_too_large_in_a_pull_request_is_a_finding(tmp_path):
    checkout = pull_request(tmp_path)
    write_files(checkout, {"catalog/units.yaml": "#" * (MAX_BYTES + 1) + "\n"})
    result = run_gongkai(checkout, "check", "--format", "json", "--since", "origin/main")
    assert result.returncode == 1, result.stderr
    assert ("file-too-large", "catalog/units.yaml", 1, 1) in places(json.loads(result.stdout))


def test_nested_merge_keys_are_refused_before_they_are_built():
    chain = ["a0: &a0 {x0: 1}"] + [f"a{i}: &a{i}\n  <<: *a{i - 1}\n  x{i}: 1" for i in range(1, 3000)]
    with pytest.raises(yamlio.YamlProblem) as refused:
        yamlio.load("\n".join(chain))
    assert refused.value.code == "yaml-alias-bomb"
    assert yamlio.load("base: &b {x: 1}\nmore:\n  <<: [*b, {y: 2}]\n  z: 3\n")["more"] == {"x": 1, "y": 2, "z": 3}


def test_check_since_in_a_shallow_clone_says_so(cli, tmp_path):
    origin = make_repo(tmp_path / "origin", dict([item()]))
    write_files(origin, dict([item("2024-zonghe-c3d4")]))
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "second")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(shallow))
    result = cli(shallow, "--lang", "en", "check", "--since", "HEAD")
    assert "shallow clone" in result.stderr
    assert "shallow clone" not in cli(origin, "--lang", "en", "check", "--since", "HEAD").stderr
