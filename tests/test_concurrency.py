"""Many clerks at once, and clerks whose gongkai is killed mid-write: the repository stays whole."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time

from conftest import git
from gitstate import GONGKAI, commit_count, files_of, item_files, run_gongkai, status

ADD = ["add", "--category", "policy-docs", "--unit", "zonghe", "--formed", "2024-09-23"]
KILLS = 30


def test_eight_adds_at_once_all_succeed(repo):
    before = commit_count(repo)
    clerks = [subprocess.Popen([*GONGKAI, "--repo", str(repo), *ADD, "--title", f"第{n}号通知"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
              for n in range(8)]
    outputs = [clerk.communicate() for clerk in clerks]
    assert [clerk.returncode for clerk in clerks] == [0] * 8, [err for _, err in outputs]
    ids = {out.strip() for out, _ in outputs}
    assert len(ids) == 8
    assert item_files(repo) == sorted(f"items/2024/zonghe/{item_id}.yaml" for item_id in ids)
    assert commit_count(repo) == before + 8
    for n in range(8):
        assert len(files_of(repo, f"HEAD~{n}")) == 1
    assert status(repo) == []
    assert run_gongkai(repo, "check").returncode == 0


def wait_for_group(process: subprocess.Popen) -> None:
    """After killing the leader, wait until the git commands it started have finished too."""
    process.wait()
    while True:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.01)


def kill_during_add(repo, after: float, once_writing: bool) -> None:
    """SIGKILL an add `after` seconds from its start, or from the moment it starts writing."""
    process = subprocess.Popen([*GONGKAI, "--repo", str(repo), *ADD, "--title", "被中断的登记"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                               start_new_session=True)
    journal = repo / ".git" / "gongkai-journal.json"
    left_behind = journal_id(journal)  # by an earlier killed add: this one will undo it first
    while once_writing and process.poll() is None and journal_id(journal) in (None, left_behind):
        time.sleep(0.001)
    time.sleep(after)
    process.send_signal(signal.SIGKILL)
    wait_for_group(process)


def journal_id(journal) -> tuple | None:
    try:
        stat = journal.stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def assert_whole(repo) -> None:
    fsck = subprocess.run(["git", "fsck", "--no-dangling"], cwd=repo, capture_output=True, text=True)
    assert fsck.returncode == 0 and "error" not in fsck.stderr, fsck.stderr
    leftovers = [path for path in item_files(repo) if not path.endswith(".yaml") or "/." in path]
    assert leftovers == []
    check = run_gongkai(repo, "check")
    assert check.returncode == 0, check.stdout


def test_a_killed_add_leaves_the_repository_whole(repo):
    started = time.monotonic()
    assert run_gongkai(repo, *ADD, "--title", "计时用").returncode == 0
    duration = time.monotonic() - started
    randomness = random.Random(20240923)
    for attempt in range(KILLS):
        once_writing = attempt % 2 == 1  # the write and commit take a few per cent of the run: aim there too
        after = randomness.uniform(0, 0.1 * duration) if once_writing else randomness.uniform(0, 1.1 * duration)
        kill_during_add(repo, after, once_writing)
        assert_whole(repo)
    committed = commit_count(repo)
    result = run_gongkai(repo, *ADD, "--title", "中断之后的登记")
    assert result.returncode == 0, result.stderr
    assert commit_count(repo) == committed + 1
    assert status(repo) == []
    tracked = git(repo, "ls-files", "items").split()
    assert item_files(repo) == sorted(tracked)
    assert_whole(repo)
