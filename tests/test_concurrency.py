"""Many clerks at once, and clerks whose gongkai is killed mid-write: the repository stays whole."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from datetime import date, timedelta

import pytest
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


def kill_during(repo, args: list[str], after: float, once_writing: bool) -> None:
    """SIGKILL `gongkai ARGS` `after` seconds from its start, or from the moment it starts writing
    (its journal appears)."""
    process = subprocess.Popen([*GONGKAI, "--repo", str(repo), *args],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                               start_new_session=True)
    journal = repo / ".git" / "gongkai-journal.json"
    left_behind = journal_id(journal)  # by an earlier killed write: this one will undo it first
    while once_writing and process.poll() is None and journal_id(journal) in (None, left_behind):
        time.sleep(0.001)
    time.sleep(after)
    process.send_signal(signal.SIGKILL)
    wait_for_group(process)


def kill_during_add(repo, after: float, once_writing: bool) -> None:
    kill_during(repo, [*ADD, "--title", "被中断的登记"], after, once_writing)


def journal_id(journal) -> tuple | None:
    try:
        stat = journal.stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def leftovers(repo) -> list[str]:
    """Files under items/ that are not items: what a killed write may leave until the next one."""
    return [path for path in item_files(repo) if not path.endswith(".yaml") or "/." in path]


def assert_whole(repo) -> None:
    """git's objects and refs sound, and check clean; a killed write's hidden temporary files
    (beside their target) are all gongkai may have left, and no scan reads them."""
    fsck = subprocess.run(["git", "fsck", "--no-dangling"], cwd=repo, capture_output=True, text=True)
    assert fsck.returncode == 0 and "error" not in fsck.stderr, fsck.stderr
    assert all(path.rpartition("/")[2].startswith(".") and path.endswith(TEMPORARY) for path in leftovers(repo))
    check = run_gongkai(repo, "check")
    assert check.returncode == 0, check.stdout


TEMPORARY = (".tmp", ".gongkai-old", ".gongkai-new")


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
    assert status(repo) == [] and leftovers(repo) == []
    tracked = git(repo, "ls-files", "items").split()
    assert item_files(repo) == sorted(tracked)
    assert_whole(repo)


KILLED_ITEM = "2024-zonghe-k1ll"
TRIALS = 56  # per write: 224 in all


def each_write(action: str, trial: int) -> list[str]:
    """The arguments of a write that changes something every time it runs."""
    day = (date(2024, 10, 1) + timedelta(days=trial)).isoformat()  # a new day each trial, all after formed
    return {
        "add": [*ADD, "--title", f"第{trial}次登记"],
        "disclose": ["disclose", KILLED_ITEM, "--on", day, "--url", f"https://example.gov.cn/{trial}"],
        "edit": ["edit", KILLED_ITEM, "--set", f"note=第{trial}次修改", "--set", f"details.次数={trial}"],
        "withdraw": ["withdraw", KILLED_ITEM, "--reason", f"第{trial}次撤回", "--on", day],
    }[action]


@pytest.mark.slow
@pytest.mark.parametrize("action", ["add", "disclose", "edit", "withdraw"])
def test_every_write_killed_at_random_points_leaves_the_repository_whole(repo, action):
    """SIGKILL at a random moment of each write (anywhere in its run, or just after its journal
    appears, where the file and the commit are written); after each: git fsck, check, and the
    same write again, which must succeed and leave nothing behind."""
    (repo / "items/2024/zonghe").mkdir(parents=True, exist_ok=True)
    (repo / f"items/2024/zonghe/{KILLED_ITEM}.yaml").write_text(
        f"id: {KILLED_ITEM}\ntitle: 会被中断的条目\ncategory: policy-docs\nunit: zonghe\nformed: 2024-09-23\n",
        encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "被中断的条目")
    started = time.monotonic()
    assert run_gongkai(repo, *each_write(action, 0)).returncode == 0
    duration = time.monotonic() - started
    randomness = random.Random(f"{action}-20240923")
    for trial in range(1, TRIALS + 1):
        once_writing = trial % 2 == 1
        after = randomness.uniform(0, 0.1 * duration) if once_writing else randomness.uniform(0, 1.1 * duration)
        kill_during(repo, each_write(action, 2 * trial), after, once_writing)
        assert_whole(repo)
        committed = commit_count(repo)
        result = run_gongkai(repo, *each_write(action, 2 * trial + 1))
        assert result.returncode == 0, result.stderr
        assert commit_count(repo) == committed + 1
        assert status(repo) == [] and leftovers(repo) == []
