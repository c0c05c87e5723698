"""The repository on disk and in git: its root, its data files, and the tree at a commit."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from ..model.kinds import kind_of

MARKER = "gongkai.yaml"
DATA_DIRS = ("catalog", "rules", "items", "reports")


class NotARepository(Exception):
    def __init__(self, path: Path):
        super().__init__(str(path))
        self.path = path


class MarkerNotAFile(Exception):
    """A gongkai.yaml that is a folder, a pipe or a dangling link: an error, never a reason to
    look further up (where an enclosing repository would take the writes)."""

    def __init__(self, path: Path):
        super().__init__(str(path))
        self.path = path


def find_root(start: Path | None = None) -> Path:
    """The nearest directory at or above `start` whose gongkai.yaml is a regular file."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        marker = directory / MARKER
        if marker.is_file():
            return directory
        if os.path.lexists(marker):
            raise MarkerNotAFile(marker)
    raise NotARepository(here)


def data_files(root: Path) -> list[str]:
    """Repository-relative paths of every file gongkai reads, sorted."""
    return scan(root)[0]


def scan(root: Path) -> tuple[list[str], list[str]]:
    """(data files, paths not read), each sorted, from one walk of the data folders.

    Regular files only, and a symbolic link only when it stays inside the repository: a checkout
    cannot make gongkai read elsewhere, or wait forever on a pipe. Linked folders are not entered,
    unless a data folder itself is a link that stays inside. Paths not read are links leading
    outside and everything else the data folders hold but gongkai does not read (a data folder
    that is a file, a pipe, a name of no data kind: `.YAML`, a newline, a folder under rules/),
    each a finding (load.unread_finding); only hidden files (.gitkeep) that are not YAML are passed over.
    """
    regular, links, others = [], [], []
    marker = root / MARKER
    if marker.is_symlink():
        links.append(MARKER)
    elif marker.is_file():
        regular.append(MARKER)
    for top in DATA_DIRS:
        folder = root / top
        if folder.is_symlink():
            links.append(top)
            if leaves(root, top):
                continue
        if os.path.lexists(folder) and not folder.is_dir():
            others.append(top)
            continue
        _walk(root, top, regular, links, others)
    files = [path for path in regular if _is_item(path) or kind_of(path)]
    others += [path for path in regular if not kind_of(path) and not _hidden(path)]
    escaping = [path for path in links if leaves(root, path)]
    inside = [path for path in links if path not in escaping and path not in DATA_DIRS]
    read = [path for path in inside if kind_of(path)]  # reading says what a link to a pipe or a folder is
    return sorted(files + read), sorted(escaping + others + [path for path in inside if path not in read])


def _is_item(path: str) -> bool:
    """kind_of(path) == "item", for the common shape without a call through kind_of's cache."""
    return path.startswith("items/") and path.endswith(".yaml") and "\n" not in path and "/.yaml" not in path


def _hidden(path: str) -> bool:
    """A hidden file that is not YAML (.gitkeep, .DS_Store): nobody meant it as data."""
    name = path.rpartition("/")[2]
    return name.startswith(".") and not name.lower().endswith((".yaml", ".yml"))


def leaves(root: Path, relative: str) -> bool:
    """Whether `relative`, links followed, ends outside the repository (unresolvable counts as outside)."""
    try:
        return not (root / relative).resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError):
        return True


def evidence_state(root: Path, relative: str) -> str:
    """"file" when `relative` names a file inside the repository, else "missing" or "outside"."""
    if relative.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", relative) or leaves(root, relative):
        return "outside"
    try:
        return "file" if (root / relative).is_file() else "missing"
    except (OSError, ValueError):  # a name too long for the file system
        return "missing"


def _walk(root: Path, top: str, regular: list[str], links: list[str], others: list[str]) -> None:
    """Add the regular files, the links and anything else (pipes, sockets, folders named like a
    data file) below `top` (folders named .* are skipped)."""
    folders = [top]
    while folders:
        folder = folders.pop()
        try:
            entries = list(os.scandir(root / folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_symlink():
                links.append(f"{folder}/{entry.name}")
            elif entry.is_dir(follow_symlinks=False):
                if kind_of(f"{folder}/{entry.name}"):  # a folder named like a data file (catalog/units.yaml/)
                    others.append(f"{folder}/{entry.name}")
                elif not entry.name.startswith("."):
                    folders.append(f"{folder}/{entry.name}")
            elif entry.is_file(follow_symlinks=False):
                regular.append(f"{folder}/{entry.name}")
            else:
                others.append(f"{folder}/{entry.name}")


def git(root: Path, *args: str, input: bytes | None = None, check: bool = True,
        env: dict[str, str] | None = None) -> str:
    """Run the git binary in `root` (fast, and the same git the user has); `env` adds variables."""
    return git_bytes(root, *args, input=input, check=check, env=env).decode("utf-8", "replace")


def git_bytes(root: Path, *args: str, input: bytes | None = None, check: bool = True,
              env: dict[str, str] | None = None) -> bytes:
    """`git` without decoding: names as git stores them, whatever their encoding."""
    result = subprocess.run(
        ["git", *args], cwd=root, input=input, capture_output=True, check=False,
        env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", **(env or {})},
    )
    if check and result.returncode != 0:
        raise GitError(args, result.stderr.decode("utf-8", "replace").strip())
    return result.stdout


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
    listing = git(root, "ls-tree", "-r", "-z", rev)  # the folder of `root` only, paths relative to it
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


# A repository left mid-operation -------------------------------------------------------------

UNFINISHED = (("MERGE_HEAD", "merging"), ("rebase-merge", "rebasing"), ("rebase-apply", "rebasing"),
              ("CHERRY_PICK_HEAD", "cherry-picking"), ("REVERT_HEAD", "reverting"), ("BISECT_LOG", "bisecting"))


def repository_state(root: Path) -> list[str]:
    """What git left unfinished in the repository holding `root`, as codes of `state.<code>` messages.

    Read from the files in the git directory, never by running git, so it cannot wait on a lock.
    """
    directory = _git_directory(root)
    if directory is None:
        return []
    codes = ["index-locked"] if (directory / "index.lock").exists() else []
    unfinished = list(dict.fromkeys(code for name, code in UNFINISHED if (directory / name).exists()))
    if not unfinished and _detached(directory):  # a rebase or bisect detaches HEAD as a matter of course
        unfinished.append("detached-head")
    return codes + unfinished


def _git_directory(root: Path) -> Path | None:
    """The .git folder of the repository holding `root`, or what a worktree's .git file points at."""
    here = root.resolve()
    for folder in (here, *here.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return dot_git
        if dot_git.is_file():
            pointer = dot_git.read_text(encoding="utf-8", errors="replace").strip()
            return (folder / pointer.removeprefix("gitdir:").strip()) if pointer.startswith("gitdir:") else None
    return None


def _detached(directory: Path) -> bool:
    try:
        return not (directory / "HEAD").read_text(encoding="utf-8", errors="replace").startswith("ref:")
    except OSError:
        return False
