"""The repository on disk and in git: its root, its data files, and the tree at a commit."""

from __future__ import annotations

import bisect
import contextlib
import functools
import os
import re
import stat
import subprocess
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

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


def scan(root: Path, listing: IndexListing | None = None) -> tuple[list[str], list[str]]:
    """(data files, paths not read), each sorted: from git's index (`listing`, or asked here) and one
    `listdir` per folder, or from a walk of the data folders outside git or where the index does not
    describe the folders (a data folder or a folder in them that is a link, a submodule).

    Regular files only, and a symbolic link only when it stays inside the repository: a checkout
    cannot make gongkai read elsewhere, or wait forever on a pipe. Linked folders are not entered,
    unless a data folder itself is a link that stays inside. Paths not read are links leading
    outside and everything else the data folders hold but gongkai does not read (a data folder
    that is a file, a pipe, a name of no data kind: `.YAML`, a newline, a folder under rules/),
    each a finding (load.unread_finding); only hidden files (.gitkeep) that are not YAML are passed over.
    """
    if listing is None:
        listing = index_listing(root)
    return scan_folders(root, listing)[0]


def scan_folders(root: Path, listing: IndexListing | None) -> tuple[tuple[list[str], list[str]], list[str] | None]:
    """(`scan`, the folders whose listing it rests on: every one listed, "" the root's; None when it
    walked a folder or the whole tree, which no folder's time then vouches for)."""
    try:
        found = _listed(root, listing) if listing is not None else None
    except (GitError, OSError):  # git could not list the index after all: walk
        found = None
    if found is None:
        return _sorted_out(root, *_walked(root)), None
    regular, links, others, folders = found
    return _sorted_out(root, regular, links, others), folders


def _walked(root: Path) -> tuple[list[str], list[str], list[str]]:
    """(regular files, links, anything else) of the data folders, by walking them."""
    regular, links, others = _marker(root)
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
    return regular, links, others


def _marker(root: Path) -> tuple[list[str], list[str], list[str]]:
    marker = root / MARKER
    if marker.is_symlink():
        return [], [MARKER], []
    return ([MARKER] if marker.is_file() else []), [], []


def _sorted_out(root: Path, regular: list[str], links: list[str], others: list[str]) -> tuple[list[str], list[str]]:
    files, rest = [], []
    for path in regular:
        (files if _is_item(path) else rest).append(path)
    files += [path for path in rest if kind_of(path)]
    others += [path for path in rest if not kind_of(path) and not _hidden(path)]
    escaping = [path for path in links if leaves(root, path)]
    inside = [path for path in links if path not in escaping and path not in DATA_DIRS]
    read = [path for path in inside if kind_of(path)]  # reading says what a link to a pipe or a folder is
    return sorted(files + read), sorted(escaping + others + [path for path in inside if path not in read])


# The data files from git's index ----------------------------------------------------------


@dataclass
class IndexListing:
    """The tracked files `git diff-files` says may differ from the index, the index's own checksum
    (b"" when git writes none: index.skipHash), and, asked of git when first wanted (a listing kept
    from an earlier run under the same checksum needs none), `git ls-files -s -v` of the data
    folders (NUL-separated, names as the file system spells them)."""

    root: Path
    changed: list[str]
    checksum: bytes

    @functools.cached_property
    def text(self) -> str:
        return _index_text(self.root)

    @functools.cached_property
    def plain(self) -> list[tuple[str, str]]:
        """(blob id, path) of each entry PLAIN_ENTRY matches, in the index's order."""
        return PLAIN_ENTRY.findall(self.text)

    def release(self) -> None:
        """Let go of the text and the entries (as large as every name and id together) once what they
        give is taken; asked of git again if wanted."""
        self.__dict__.pop("text", None)
        self.__dict__.pop("plain", None)


# A tracked regular file git hashed, of stage 0, neither assume-unchanged nor skip-worktree; only at
# the start of an entry (a name may hold text that looks like an entry).
PLAIN_ENTRY = re.compile(r"(?<![^\0])H 100(?:644|755) ([0-9a-f]{40,64}) 0\t([^\0]*)\0")


def index_listing(root: Path, listed: bool = False) -> IndexListing | None:
    """The index of the repository holding `root` as `scan` and the cache read it, or None outside git.
    With `listed`, its text and entries are asked of git at once, while diff-files compares every
    file with the index (when no kept listing can serve: they would be asked for next)."""
    try:
        index = root / _names(git_bytes(root, *INDEX_PATH)).strip()
        checksum = _checksum(index)  # before the listing: a listing is never older than its checksum
        with ThreadPoolExecutor(max_workers=1) as pool:
            changed = pool.submit(_asked_since, root, DIFF_FILES, index)
            text = _names(_asked_since(root, LS_FILES, index)) if listed else None
            entries = PLAIN_ENTRY.findall(text) if listed else None
            changed_names = [name for name in _names(changed.result()).split("\0") if name]
    except (GitError, OSError):
        return None
    listing = IndexListing(root, changed_names, checksum)
    if listed:
        listing.__dict__.update(text=text, plain=entries)  # the cached properties, already known
    return listing


def _index_text(root: Path) -> str:
    return _names(git_bytes(root, *LS_FILES))


def _asked_since(root: Path, args: tuple[str, ...], index: Path) -> bytes:
    """git_bytes(root, *args), of the index as it is: an answer asked early is taken only when the
    index has not been written since it was asked (nor just before: a file system's times may be
    coarse); otherwise git is asked again."""
    early = _taken(root, args)
    if early is not None and early[0] == 0:
        try:
            if os.stat(index).st_mtime_ns < early[3] - RACY_NS:
                return early[1]
        except OSError:
            pass
    return git_bytes(root, *args)


RACY_NS = 2_000_000_000  # a file changed this close to a reading may change again within the same time stamp


# What index_listing asks of git (cache.listed_early starts them sooner)
DIFF_FILES = ("diff-files", "--name-only", "-z", "--relative")
INDEX_PATH = ("rev-parse", "--git-path", "index")
LS_FILES = ("ls-files", "-s", "-v", "-z", "--", MARKER, *DATA_DIRS)


def _names(output: bytes) -> str:
    """Git's output with names as os.listdir gives them (undecodable bytes kept, as surrogates)."""
    return output.decode("utf-8", "surrogateescape")


def _checksum(index: Path) -> bytes:
    """The trailing hash of an index file (a different index: a different hash), or b"" without one."""
    try:
        with index.open("rb") as stream:
            size = stream.seek(0, os.SEEK_END)
            stream.seek(max(0, size - 32))
            tail = stream.read()
    except OSError:
        return b""
    return tail if tail.strip(b"\0") and size > 32 else b""


def _listed(root: Path, listing: IndexListing) -> tuple[list[str], list[str], list[str], list[str] | None] | None:
    """(regular files, links, anything else, the folders listed or None) from the index, each folder's listing compared with it:
    a name the index does not account for (untracked, ignored, a pipe, a new folder) is looked at
    alone (lstat), a new folder walked. None when the index does not describe the folders."""
    text = listing.text
    changed = set(listing.changed)
    if len(listing.plain) == text.count("\0"):
        entries, odd = listing.plain, list(changed)
    else:
        entries, odd = _entries(text)
        if entries is None:
            return None
        odd = list(dict.fromkeys([*odd, *changed]))
    regular, links, others = _marker(root)
    tops = []
    for top in DATA_DIRS:
        folder = root / top
        if folder.is_symlink():
            return None
        if folder.is_dir():
            tops.append(top)
        elif os.path.lexists(folder):
            others.append(top)
    kept = tuple(f"{top}/" for top in tops)
    apart: dict[str, str | None] = {}  # path → what it is, for the tracked paths that are not a regular file
    new_folders: list[str] = []
    for path in odd:
        if path.startswith(kept) and (kind := _lstat_kind(root / path)) != "file":
            apart[path] = kind
            if kind == "folder":
                new_folders.append(path)
            elif kind is not None:
                (links if kind == "link" else others).append(path)
    every = len(tops) == len(DATA_DIRS)
    outside = {MARKER, *DATA_DIRS} if every else {path for _, path in entries if not path.startswith(kept)}
    gone = outside | {path for path, kind in apart.items() if kind is None}
    present = [path for _, path in entries if path not in gone and path not in apart] if apart \
        else [path for _, path in entries if path not in gone]
    accounted = present + [path for path, kind in apart.items() if kind] if apart else present
    counts = Counter([path.rpartition("/")[0] for path in accounted])
    counts = {folder: count for folder, count in counts.items() if folder and (every or folder.partition("/")[0] in tops)}
    folders: dict[str, set[str]] = {top: set() for top in tops}
    for folder in list(counts):
        folders.setdefault(folder, set())
        while "/" in folder:
            parent, _, name = folder.rpartition("/")
            names = folders.setdefault(parent, set())
            if name in names:
                break
            names.add(name)
            folder = parent
    extra: list[str] = []
    listed = [""]
    for folder, subfolders in folders.items():
        if _excluded(folder):
            continue
        listed.append(folder)
        try:
            if os.path.islink(root / folder):
                return None
            names = os.listdir(root / folder)
        except OSError:
            if os.path.lexists(root / folder):
                return None
            continue  # every file in it deleted, and the folder too
        if len(names) != counts.get(folder, 0) + len(subfolders):
            known = subfolders | {path.rpartition("/")[2] for path in accounted if path.rpartition("/")[0] == folder}
            extra += [f"{folder}/{name}" for name in names if name not in known]
    for path in extra:
        kind = _lstat_kind(root / path)
        if kind == "folder":
            new_folders.append(path)
        elif kind == "file":
            present.append(path)
        elif kind is not None:
            (links if kind == "link" else others).append(path)
    if any(_excluded(folder) for folder in folders):
        present = [path for path in present if not _excluded(path.rpartition("/")[0])]
    regular += present
    others += [path for path in folders if "/" in path and kind_of(path) and not _excluded(path.rpartition("/")[0])]
    for path in new_folders:
        if _excluded(path.rpartition("/")[0]) or path.rpartition("/")[2].startswith("."):
            continue
        if kind_of(path):
            others.append(path)
        else:
            _walk(root, path, regular, links, others)
            listed = None
    return regular, links, others, listed


@functools.lru_cache(maxsize=65536)
def _excluded(folder: str) -> bool:
    """Whether files in `folder` are passed over as the walk passes them: under a folder named .*,
    or under one named like a data file (itself a finding)."""
    if "/" not in folder:
        return False
    parent, _, name = folder.rpartition("/")
    return name.startswith(".") or bool(kind_of(folder)) or _excluded(parent)


def _entries(text: str) -> tuple[list[tuple[str, str]] | None, list[str]]:
    """((blob id, path) of every path, the paths not plainly a regular file git hashed) of an index listing, entry by
    entry; (None, []) when a submodule is listed (the walk describes its folder)."""
    paths, odd = [], []
    for entry in text.split("\0"):
        if not entry:
            continue
        meta, _, path = entry.partition("\t")
        tag, mode, blob, stage = meta.split(" ")
        if mode == "160000":
            return None, []
        if not paths or paths[-1][1] != path:
            paths.append((blob, path))
        if tag != "H" or mode not in ("100644", "100755") or stage != "0":
            odd.append(path)
    return paths, odd


def _lstat_kind(path: Path) -> str | None:
    """"file", "link", "folder", "other" (a pipe, a socket, a device) or None (not there)."""
    try:
        mode = os.lstat(path).st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISLNK(mode):
        return "link"
    return "folder" if stat.S_ISDIR(mode) else "other"


ITEMS, AFTER_ITEMS = "items/", "items0"  # "0" sorts just after "/"


def split_items(files: list[str]) -> tuple[list[str], list[str]]:
    """(the item files, the other data files) of scan's sorted list of data files, in which the item
    files are those under items/: one run, found by bisection (at 300,000 files, asking each path's
    kind took 0.6 s)."""
    first, end = bisect.bisect_left(files, ITEMS), bisect.bisect_left(files, AFTER_ITEMS)
    return files[first:end], files[:first] + files[end:]


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
    answer = _taken(root, args) if input is None and env is None else None
    if answer is None:
        result = subprocess.run(["git", *args], cwd=root, input=input, capture_output=True, check=False,
                                env=_git_env(env))
        answer = result.returncode, result.stdout, result.stderr
    code, stdout, stderr, *_ = answer
    if check and code != 0:
        raise GitError(args, stderr.decode("utf-8", "replace").strip())
    return stdout


def _git_env(env: dict[str, str] | None) -> dict[str, str]:
    return {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", **(env or {})}


# git asked early: started while the rest of gongkai is imported, its answer taken by git_bytes
_EARLY: dict[tuple[str, tuple[str, ...]], tuple[subprocess.Popen, Any, Any, int]] = {}


@contextlib.contextmanager
def asked_early(root: Path, commands: list[tuple[str, ...]]) -> Iterator[None]:
    """Start each of `commands` (git's arguments) in `root` now; inside the block, the first
    git_bytes call asking the same takes its answer: what git said when started. Their output
    goes to temporary files (nothing waits on a pipe meanwhile); an answer not taken is dropped
    on leaving, so no later call is answered from before."""
    try:
        for args in commands:
            _start(root, args)
        yield
    finally:
        for args in commands:
            _taken(root, args)


def _start(root: Path, args: tuple[str, ...]) -> None:
    files = []
    try:
        files += [tempfile.TemporaryFile(), tempfile.TemporaryFile()]
        started = time.time_ns()
        process = subprocess.Popen(["git", *args], cwd=root, stdin=subprocess.DEVNULL, stdout=files[0],
                                   stderr=files[1], env=_git_env(None))
    except OSError:  # no temporary files, no git: asked when wanted, which then says why
        for file in files:
            file.close()
        return
    _EARLY[(str(root), args)] = (process, *files, started)


def _taken(root: Path, args: tuple[str, ...]) -> tuple[int, bytes, bytes, int] | None:
    """(exit code, output, errors, when it was started) of `git ARGS` asked early, taken once."""
    started = _EARLY.pop((str(root), args), None) if _EARLY else None
    if started is None:
        return None
    process, out, err, at = started
    with out, err:
        code = process.wait()
        out.seek(0)
        err.seek(0)
        return code, out.read(), err.read(), at


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
