"""The repository on disk and in git: its root, its data files, and the tree at a commit."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .models import kind_of

MARKER = "gongkai.yaml"
DATA_DIRS = ("catalog", "rules", "items")


class NotARepository(Exception):
    def __init__(self, path: Path):
        super().__init__(str(path))
        self.path = path


def find_root(start: Path | None = None) -> Path:
    """The nearest directory at or above `start` holding gongkai.yaml."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        if (directory / MARKER).is_file():
            return directory
    raise NotARepository(here)


def data_files(root: Path) -> list[str]:
    """Repository-relative paths of every file gongkai reads, sorted."""
    found = [MARKER] if (root / MARKER).is_file() else []
    for top in DATA_DIRS:
        for directory, subdirs, names in os.walk(root / top):
            subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
            relative = Path(directory).relative_to(root).as_posix()
            found.extend(f"{relative}/{name}" for name in names if kind_of(f"{relative}/{name}"))
    return sorted(found)


def git(root: Path, *args: str, input: bytes | None = None, check: bool = True,
        env: dict[str, str] | None = None) -> str:
    """Run the git binary in `root` (fast, and the same git the user has); `env` adds variables."""
    result = subprocess.run(
        ["git", *args], cwd=root, input=input, capture_output=True, check=False,
        env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", **(env or {})},
    )
    if check and result.returncode != 0:
        raise GitError(args, result.stderr.decode("utf-8", "replace").strip())
    return result.stdout.decode("utf-8", "replace")


class GitError(Exception):
    def __init__(self, args: tuple, stderr: str):
        super().__init__(f"git {' '.join(args)}: {stderr}")
        self.stderr = stderr


def head_commit(root: Path) -> str | None:
    try:
        return git(root, "rev-parse", "--verify", "-q", "HEAD").strip() or None
    except (GitError, OSError):
        return None


def tree_files(root: Path, rev: str) -> dict[str, bytes]:
    """The data files of commit `rev`, as bytes, read straight from git's object store."""
    listing = git(root, "ls-tree", "-r", "-z", "--full-tree", rev)
    wanted = {}
    for entry in filter(None, listing.split("\0")):
        meta, path = entry.split("\t", 1)
        mode, kind, blob = meta.split()
        if kind == "blob" and kind_of(path):
            wanted[path] = blob
    if not wanted:
        return {}
    request = "".join(f"{blob}\n" for blob in wanted.values()).encode()
    output = subprocess.run(["git", "cat-file", "--batch"], cwd=root, input=request, capture_output=True, check=True).stdout
    contents: dict[str, bytes] = {}
    position = 0
    for path in wanted:
        header_end = output.index(b"\n", position)
        size = int(output[position:header_end].split()[2])
        contents[path] = output[header_end + 1 : header_end + 1 + size]
        position = header_end + 1 + size + 1
    return contents
