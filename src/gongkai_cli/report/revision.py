"""Which files a report reads: the working tree or one commit's tree, and the commit to name in its header."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageProblem
from ..load.load import Snapshot, load_contents
from ..load.view import load_view
from ..load.repo import (
    DATA_DIRS,
    MARKER,
    GitError,
    data_files,
    git,
    head_commit,
    tree_files,
)
from ..model.findings import Finding
from ..model.kinds import kind_of


@dataclass
class Revision:
    snapshot: Snapshot
    findings: list[Finding]
    commit: str | None
    dirty: bool  # the working tree's data files differ from `commit`


def read_revision(root: Path, rev: str | None = None) -> Revision:
    """The data files at commit `rev`, or the working tree (compared with HEAD) when `rev` is None."""
    return at_commit(root, rev) if rev is not None else working_tree(root)


def at_commit(root: Path, rev: str) -> Revision:
    commit = resolve(root, rev)
    snapshot, findings = load_contents(tree_files(root, commit), root=root)
    return Revision(snapshot, findings, commit, dirty=False)


def working_tree(root: Path) -> Revision:
    """The working tree, read through the cache's summaries like `overdue` reads it (while git
    tells whether the data files differ from HEAD)."""
    commit = head_commit(root)
    with ThreadPoolExecutor(max_workers=1) as pool:
        dirty = pool.submit(_data_changed, root, commit)
        snapshot, findings = load_view(root)
        return Revision(snapshot, findings, commit, dirty=dirty.result())


def _data_changed(root: Path, commit: str | None) -> bool:
    """Whether the data files differ from `commit`: staged, unstaged or untracked changes."""
    if commit is None:
        return bool(data_files(root))
    tracked = git(root, "diff", "--name-only", "-z", "--relative", commit, "--", MARKER, *DATA_DIRS)
    untracked = git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", MARKER, *DATA_DIRS)
    return any(kind_of(path) for path in (tracked + untracked).split("\0"))


def resolve(root: Path, rev: str) -> str:
    try:
        return git(root, "rev-parse", "--verify", "-q", "--end-of-options", f"{rev}^{{commit}}").strip()
    except GitError:
        raise UsageProblem("error.unknown-revision", value=rev) from None

