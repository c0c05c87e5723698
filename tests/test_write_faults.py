"""Writes under faults leave the repository as it was, or say exactly how far they got.

git's locks left behind by a killed process, a disk that fills midway (injected, and a real
nearly full tmpfs where one can be mounted), and a git directory on another file system.
"""

from __future__ import annotations

import errno
import os
import subprocess
import threading
import time
import uuid
from datetime import date
from pathlib import Path

import pytest
from conftest import git, make_repo
from gitstate import commit_count, head, item_files, run_gongkai, status

from gongkai_cli.errors import UsageProblem
from gongkai_cli.load.repo import GitError
from gongkai_cli.write import gitwrite, store

FIELDS = {"title": "关于进一步加强扶贫资金使用管理的意见", "category": "policy-docs", "unit": "zonghe",
          "formed": date(2024, 9, 23)}
ITEM = "items/2024/zonghe/2024-zonghe-a1b2.yaml"
TEXT = "id: 2024-zonghe-a1b2\ntitle: 测试条目\ncategory: policy-docs\nunit: zonghe\nformed: 2024-09-23\n"
HANG_GUARD = 120  # seconds: only so that a regression fails instead of hanging the suite
NO_SPACE = "error: unable to write file: No space left on device"


@pytest.fixture
def office(tmp_path) -> Path:
    return make_repo(tmp_path / "office", {ITEM: TEXT})


def left_by_a_killed_process(lock: Path) -> Path:
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.write_text("")
    long_ago = time.time() - 3600
    os.utime(lock, (long_ago, long_ago))
    return lock


def edit_on_a_full_disk_changes_nothing(office: Path, monkeypatch) -> None:
    before = head(office)
    with pytest.raises(UsageProblem) as raised:
        store.edit_item(office, "2024-zonghe-a1b2", ["note=x"])
    assert raised.value.key == "error.disk-full"
    monkeypatch.undo()
    assert_as_it_was(office, before)


def assert_as_it_was(root: Path, before: str) -> None:
    assert head(root) == before
    assert (root / ITEM).read_text(encoding="utf-8") == TEXT
    assert status(root) == [] and item_files(root) == [ITEM]


# git's locks ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lock", ["HEAD.lock", "refs/heads/main.lock", "index.lock"])
def test_every_git_lock_left_behind_is_explained_and_writing_resumes_once_it_is_gone(cli, office, lock):
    stale = left_by_a_killed_process(office / ".git" / lock)
    before = head(office)
    result = cli(office, "--lang", "en", "edit", "2024-zonghe-a1b2", "--set", "note=x")
    assert result.exit_code == 2
    assert f"{stale} stays in place" in result.stderr and "remove that file" in result.stderr
    assert "fatal" not in result.stderr
    assert_as_it_was(office, before)
    stale.unlink()
    assert cli(office, "edit", "2024-zonghe-a1b2", "--set", "note=x").exit_code == 0
    assert status(office) == [] and commit_count(office) == 2


def test_a_head_lock_held_for_a_moment_is_waited_for(office):
    lock = office / ".git" / "HEAD.lock"
    lock.write_text("")
    threading.Timer(0.5, lock.unlink).start()
    store.edit_item(office, "2024-zonghe-a1b2", ["note=x"])
    assert commit_count(office) == 2 and status(office) == []


def test_a_head_lock_taken_between_the_check_and_the_commit_is_explained(office, monkeypatch):
    real = gitwrite.git

    def git_then_lock(root, *args, **kwargs):
        if args[:1] == ("update-ref",):
            left_by_a_killed_process(office / ".git" / "HEAD.lock")
        return real(root, *args, **kwargs)

    monkeypatch.setattr(gitwrite, "git", git_then_lock)
    before = head(office)
    with pytest.raises(UsageProblem) as raised:
        store.edit_item(office, "2024-zonghe-a1b2", ["note=x"])
    assert raised.value.key == "error.stale-git-lock"
    (office / ".git" / "HEAD.lock").unlink()
    assert_as_it_was(office, before)


# A full disk (injected) -----------------------------------------------------------------------


def failing_git(monkeypatch, command: str, stderr: str = NO_SPACE) -> list[int]:
    """git fails `command` as on a full disk; returns the list of attempts."""
    real = gitwrite.git
    attempts: list[int] = []

    def git(root, *args, **kwargs):
        if args[:1] == (command,):
            attempts.append(1)
            if len(attempts) > 50:
                pytest.fail(f"git {command} retried without end")
            raise GitError(args, stderr)
        return real(root, *args, **kwargs)

    monkeypatch.setattr(gitwrite, "git", git)
    return attempts


def test_a_full_disk_before_the_commit_restores_the_file_without_writing(office, monkeypatch):
    failing_git(monkeypatch, "update-ref")
    monkeypatch.setattr(gitwrite, "write_file", lambda *args: _fill_after_first_write(*args))
    edit_on_a_full_disk_changes_nothing(office, monkeypatch)
    assert not (office / ".git" / gitwrite.JOURNAL_FILE).exists()


_WRITES: list[str] = []


def _fill_after_first_write(directory, root, path, text):
    """The edit's own write goes through; every write after it (the undoing one) finds the disk full."""
    if _WRITES:
        raise OSError(errno.ENOSPC, "No space left on device")
    _WRITES.append(path)
    gitwrite.yamlio.atomic_write(root / path, text)


@pytest.fixture(autouse=True)
def _forget_writes():
    _WRITES.clear()


def test_a_full_disk_when_writing_the_file_changes_nothing(office, monkeypatch):
    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(gitwrite.yamlio, "atomic_write", full)
    edit_on_a_full_disk_changes_nothing(office, monkeypatch)


def test_a_full_disk_after_the_commit_landed_stops_at_once_and_the_next_write_catches_up(office, monkeypatch):
    attempts = failing_git(monkeypatch, "update-index", "fatal: Unable to create '.git/index.lock': "
                                                         "No space left on device")
    with pytest.raises(UsageProblem) as raised:
        store.edit_item(office, "2024-zonghe-a1b2", ["note=x"])
    assert raised.value.key in ("error.index-behind", "error.disk-full")
    assert len(attempts) == 1
    assert commit_count(office) == 2  # the commit is in
    monkeypatch.undo()
    store.edit_item(office, "2024-zonghe-a1b2", ["note=y"])
    assert commit_count(office) == 3 and status(office) == []


def test_a_failure_that_is_not_a_lock_is_never_retried(office, monkeypatch):
    attempts = failing_git(monkeypatch, "update-ref", "fatal: index.lock: some other trouble")
    with pytest.raises(GitError):
        store.edit_item(office, "2024-zonghe-a1b2", ["note=x"])
    assert len(attempts) == 1


# A real nearly full file system ----------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MiB tmpfs (needs the right to mount: root in a container; skipped elsewhere)."""
    mount = tmp_path / "small"
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Fill `disk` until about `leave` bytes are free."""
    filler = disk / "filler"
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with open(filler, "wb") as stream:
        stream.write(b"\0" * max(free - leave, 0))
    return filler


@pytest.mark.parametrize("leave", [0, 4096, 8192, 12288, 16384, 24576])
def test_a_write_on_a_nearly_full_disk_ends_and_leaves_the_repository_whole(small_disk, leave):
    office = make_repo(small_disk / "office", {ITEM: TEXT})
    git(office, "gc", "-q")
    before = commit_count(office)
    filler = fill(small_disk, leave)
    result = run_gongkai(office, "--lang", "en", "edit", "2024-zonghe-a1b2", "--set", "note=" + "x" * 3000,
                         timeout=HANG_GUARD)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    after = commit_count(office)
    if result.returncode != 0:
        assert "the disk is full" in result.stderr or "could not update its index" in result.stderr, result.stderr
    if after == before:
        assert (office / ITEM).read_text(encoding="utf-8") == TEXT
    filler.unlink()
    assert run_gongkai(office, "edit", "2024-zonghe-a1b2", "--set", f"note={uuid.uuid4().hex}").returncode == 0
    assert status(office) == [] and item_files(office) == [ITEM]
    fsck = subprocess.run(["git", "fsck", "--no-dangling"], cwd=office, capture_output=True, text=True)
    assert fsck.returncode == 0, fsck.stderr


# A git directory on another file system --------------------------------------------------------


def test_a_git_directory_on_another_file_system_takes_every_write(cli, tmp_path):
    elsewhere = Path("/dev/shm")
    if not elsewhere.is_dir() or os.stat(elsewhere).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("no second file system to put the git directory on")
    git_directory = elsewhere / f"gongkai-test-{uuid.uuid4().hex}"
    try:
        root = tmp_path / "office"
        root.mkdir()
        git(root, "init", "-q", f"--separate-git-dir={git_directory}")
        make_repo(root, {ITEM: TEXT})
        added = cli(root, "add", "--category", "policy-docs", "--unit", "zonghe", "--title", "另一块盘")
        assert added.exit_code == 0, added.stderr
        assert cli(root, "edit", "2024-zonghe-a1b2", "--set", "note=x").exit_code == 0
        assert cli(root, "disclose", "2024-zonghe-a1b2", "--on", "2024-10-01").exit_code == 0
        assert status(root) == [] and commit_count(root) == 4
    finally:
        subprocess.run(["rm", "-rf", str(git_directory)], check=False)
