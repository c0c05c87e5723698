"""What a write left behind in a real repository: commits, their files, the index, the work tree."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import git

GONGKAI = [sys.executable, "-m", "gongkai_cli"]


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def commit_count(root: Path) -> int:
    return int(git(root, "rev-list", "--count", "HEAD"))


def files_of(root: Path, rev: str = "HEAD") -> list[str]:
    """The paths one commit changed."""
    return git(root, "show", "--name-only", "--format=", rev).split()


def message_of(root: Path, rev: str = "HEAD") -> str:
    return git(root, "log", "-1", "--format=%B", rev)


def author_of(root: Path, rev: str = "HEAD") -> str:
    return git(root, "log", "-1", "--format=%an <%ae>", rev).strip()


def status(root: Path) -> list[str]:
    return git(root, "status", "--porcelain", "--untracked-files=all").splitlines()


def stage_unrelated_work(root: Path) -> list[str]:
    """A clerk's own work in progress: one staged new file, one unstaged change. Returns `status`."""
    (root / "notes.txt").write_text("staged work\n", encoding="utf-8")
    git(root, "add", "notes.txt")
    with open(root / "gongkai.yaml", "a", encoding="utf-8") as config:
        config.write("note: unstaged work\n")
    return status(root)


def item_files(root: Path) -> list[str]:
    """Every file under items/, hidden ones included (a leftover temporary file would show here)."""
    return sorted(p.relative_to(root).as_posix() for p in (root / "items").rglob("*") if p.is_file())


def run_gongkai(root: Path, *args: str, **options) -> subprocess.CompletedProcess:
    """The real program in a child process, as a clerk would run it."""
    return subprocess.run([*GONGKAI, "--repo", str(root), *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, env={**os.environ, "PYTHONUTF8": "1"}, **options)
