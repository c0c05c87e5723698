"""Which files a report reads: the working tree or one commit's tree, and the commit to name in its header."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import UsageProblem
from .findings import Finding
from .load import Snapshot, load_contents
from .repo import GitError, data_files, git, head_commit, tree_files


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
    contents = {path: _read(root / path) for path in data_files(root)}
    commit = head_commit(root)
    committed = tree_files(root, commit) if commit else {}
    snapshot, findings = load_contents(contents, root=root)
    return Revision(snapshot, findings, commit, dirty=contents != committed)


def resolve(root: Path, rev: str) -> str:
    try:
        return git(root, "rev-parse", "--verify", "-q", "--end-of-options", f"{rev}^{{commit}}").strip()
    except GitError:
        raise UsageProblem("error.unknown-revision", value=rev) from None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""
