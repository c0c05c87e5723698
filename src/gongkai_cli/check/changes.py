"""What a pull request changed, read from git: paths since a base, catalog entries, commits and their authors."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageProblem
from ..load import yamlio
from ..load.repo import GitError, git, git_bytes, leaves


@dataclass(frozen=True)
class Changes:
    base: str  # the merge base of REV and HEAD: what the pull request started from
    changed: frozenset[str]  # existing paths that differ from the base (committed, staged, unstaged, untracked)
    deleted: frozenset[str]  # paths in the base that are gone from the working tree


@dataclass(frozen=True)
class Commit:
    sha: str
    short: str
    author: str
    email: str
    paths: tuple[str, ...]


def merge_base(root: Path, rev: str) -> str:
    """The commit REV and HEAD share; REV itself when they share none."""
    resolved = resolve(root, rev)
    found = git(root, "merge-base", resolved, "HEAD", check=False).strip()
    return found or resolved


def changes_since(root: Path, rev: str) -> Changes:
    base = merge_base(root, rev)
    changed, deleted = set(), set()
    with ThreadPoolExecutor(max_workers=1) as pool:  # both walk the working tree: side by side
        untracked = pool.submit(git, root, "ls-files", "--others", "--exclude-standard", "-z")
        fields = git(root, "diff", "--name-status", "-z", "--no-renames", "--relative", base).split("\0")
        for status, path in zip(fields[0::2], fields[1::2]):
            (deleted if status == "D" else changed).add(path)
        changed.update(filter(None, untracked.result().split("\0")))
    return Changes(base, frozenset(changed), frozenset(deleted))


def file_at(root: Path, rev: str, path: str) -> bytes | None:
    """A file's bytes at commit `rev`, or None when it did not exist there (or is not a file);
    TooLarge for a blob over the size limit, told by its size before it is read."""
    name = f"{rev}:./{path}"
    header = git(root, "cat-file", "--batch-check=%(objecttype) %(objectsize)", input=f"{name}\n".encode(), check=False)
    kind, _, size = header.strip().partition(" ")
    if kind != "blob":
        return None
    if int(size) > yamlio.MAX_BYTES:
        raise yamlio.TooLarge(int(size), yamlio.MAX_BYTES)
    try:
        return git_bytes(root, "cat-file", "blob", name)
    except GitError:
        return None


def entries_by_id(data: bytes | None) -> dict[str, Any] | None:
    """A catalog or rules file's raw entries by id ({} when absent); None when it cannot be read."""
    if data is None:
        return {}
    try:
        document = yamlio.load(yamlio.decode(data))
    except yamlio.YamlProblem:
        return None
    if document is None:
        return {}
    entries = [document] if isinstance(document, dict) else document
    if not isinstance(entries, list):
        return None
    return {str(entry.get("id")): entry for entry in entries if isinstance(entry, dict)}


def changed_entries(root: Path, base: str, path: str) -> list[dict] | None:
    """The entries of a catalog or rules file that differ between the base and the working tree,
    each in its old and its new version.

    None means "cannot tell" (one side does not parse): the caller treats everything as changed.
    """
    try:
        before = entries_by_id(file_at(root, base, path))
        after = entries_by_id(_working_copy(root, path))
    except OSError:  # too large, not a file, a link leading out: the check of the file says so
        return None
    if before is None or after is None:
        return None
    differing = [key for key in before.keys() | after.keys() if before.get(key) != after.get(key)]
    return [side[key] for key in differing for side in (before, after) if key in side]


def _working_copy(root: Path, path: str) -> bytes | None:
    if not os.path.lexists(root / path):
        return None
    if leaves(root, path):
        raise yamlio.NotAFile(root / path)
    return yamlio.read_bounded(root / path)


COMMIT_MARK = "\x1e"


def resolve(root: Path, rev: str) -> str:
    """The commit REV names; a usage problem when it names none."""
    try:
        return git(root, "rev-parse", "--verify", "-q", f"{rev}^{{commit}}").strip()
    except GitError:
        raise UsageProblem("error.bad-rev", value=rev) from None


def commits_since(root: Path, rev: str) -> list[Commit]:
    """Every commit in REV..HEAD, merges included, oldest first, with the paths it changed (relative
    to `root`; a path outside it starts with `../`).

    A merge's paths are those it changed from every parent (`-c`): a file taken as one parent had it
    is that parent's change, which is a commit of its own (in the range, or the target's); a file
    that differs from all of them is what the merge's author wrote.
    """
    output = git(root, "log", "-c", "--reverse", "--no-renames", "--no-show-signature", "-z", "--name-only",
                 f"--format={COMMIT_MARK}%H%x1f%h%x1f%an%x1f%ae", f"{rev}..HEAD")
    prefix = git(root, "rev-parse", "--show-prefix").strip()
    commits = []
    for chunk in filter(None, output.split(COMMIT_MARK)):
        header, _, names = chunk.partition("\0")
        sha, short, author, email = header.split("\x1f")
        paths = tuple(dict.fromkeys(_below(prefix, name.strip("\n")) for name in names.split("\0") if name.strip("\n")))
        commits.append(Commit(sha, short, author, email, paths))
    return commits


def _below(prefix: str, path: str) -> str:
    """A path from the top of the git repository, relative to the folder `prefix` names."""
    if path.startswith(prefix):
        return path[len(prefix):]
    return "../" * prefix.count("/") + path
