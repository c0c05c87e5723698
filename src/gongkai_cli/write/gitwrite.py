"""One file (or one import's files), one commit: the repository lock, the write-ahead journal, and a
commit of those files alone.

The commit is built in a temporary index from HEAD plus the one file, so the user's own staged
and unstaged work is never part of it. The lock is filelock's: an flock where there is fcntl, which the OS
drops when a process dies, so a killed gongkai never leaves a stale lock; a Windows lock on Windows. Until the commit is in place a journal in
the git directory says what is being written; whoever takes the lock next finishes or undoes
a write that a killed process left half done.

Temporary files lie next to their target (hidden, never read as data), so every rename stays on
one file system whatever the git directory's (`--separate-git-dir`, worktrees); the old file is
kept as a hard link beside it until the commit is in, so undoing needs no free space. A lock git
left behind (index.lock, HEAD.lock, a branch's lock) is waited for a few seconds, then explained;
nothing else is retried but a HEAD that moved meanwhile.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from ..errors import UsageProblem
from ..load import yamlio
from ..load.repo import GitError, git, git_bytes, head_commit, repository_state

LOCK_FILE = "gongkai.lock"
JOURNAL_FILE = "gongkai-journal.json"
SCRATCH_DIR = "gongkai-tmp"  # the temporary index of an import
KEPT = ".gongkai-old"  # `.<name>.gongkai-old`: the old file, hard-linked, until the commit is in
STAGED = ".gongkai-new"  # `.<name>.gongkai-new`: an import's new file before it takes its place
LOCK_WAIT = 5.0  # seconds to wait for another git to finish with a lock (index.lock, HEAD.lock, …)
STALE_AFTER = 2.0  # a lock this old, with no git running here, was left by a killed process
HEAD_ATTEMPTS = 3  # times to rebuild the commit when someone else moves HEAD meanwhile

T = TypeVar("T")


@dataclass(frozen=True)
class Journal:
    """What a write in progress changes: `path` from `old_blob` (None: absent) to `new_blob`."""

    path: str
    new_blob: str
    old_blob: str | None


def git_dir(root: Path) -> Path:
    """The git directory; a gongkai repository that is not (yet) in git is told how to fix that."""
    try:
        return Path(git(root, "rev-parse", "--absolute-git-dir").strip())
    except GitError as error:
        if "not a git repository" in error.stderr:
            raise UsageProblem("error.not-a-git-repository", path=root) from None
        raise


@contextmanager
def repository_lock(root: Path) -> Iterator[Path]:
    """Hold gongkai's write lock on the repository; yields the git directory."""
    directory = git_dir(root)
    with _portable_lock(directory / LOCK_FILE):
        recover(root, directory)
        yield directory


def _portable_lock(path: Path):
    """filelock's lock: an flock where fcntl exists (the OS drops it when a process dies), a Windows
    lock on Windows, else a lock file (filelock warns that it is only that; gongkai needs no warning)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from filelock import FileLock

    return FileLock(path)


def write_file(directory: Path, root: Path, path: str, text: str) -> None:
    """Atomic write through a hidden temporary file next to the target (one file system)."""
    yamlio.atomic_write(root / path, text)


def _scratch(directory: Path) -> Path:
    """The folder of an import's temporary index, inside the git directory."""
    scratch = directory / SCRATCH_DIR
    scratch.mkdir(exist_ok=True)
    return scratch


def write_and_commit(directory: Path, root: Path, path: str, text: str, message: str) -> str:
    """Write `path` and commit it alone; if anything fails, the file is put back as it was."""
    identity_check(root)
    refuse_unfinished(root)
    wait_for_locks(directory, root)
    with _explained_failures(root, directory, [path]):
        journal = Journal(path, _hash(root, path, text.encode("utf-8")), _blob_at_head(root, path))
        _write_journal(directory, [journal])
        with _undone_on_failure(root, directory):
            _keep_old(root, [path])
            write_file(directory, root, path, text)
            commit = _commit(directory, root, journal, message)
    _finish(root, directory, [path])
    return commit


def write_and_commit_files(directory: Path, root: Path, files: dict[str, str], message: str) -> str:
    """Write every file of `files` ({path: text}) and commit them together: all of them or none.

    The new blobs are hashed from scratch copies before any target is touched, so the journal
    knows them; a failure anywhere puts every file back as it was and leaves no commit.
    """
    identity_check(root)
    refuse_unfinished(root)
    wait_for_locks(directory, root)
    paths = list(files)
    with _explained_failures(root, directory, paths):
        with _undone_on_failure(root, directory):  # the staged copies are removed, should hashing fail
            staged = {path: _beside(root / path, STAGED) for path in paths}
            for path, text in files.items():
                staged[path].parent.mkdir(parents=True, exist_ok=True)
                staged[path].write_bytes(text.encode("utf-8"))
            blobs = git(root, "hash-object", "-w", "--no-filters", "--stdin-paths",
                        input="".join(f"{copy}\n" for copy in staged.values()).encode()).split()
            old = _blobs_at_head(root, paths)
            journals = [Journal(path, blob, old.get(path)) for path, blob in zip(paths, blobs)]
            _write_journal(directory, journals)
            _keep_old(root, paths)
            for path, copy in staged.items():
                os.replace(copy, root / path)
            commit = _commit_many(directory, root, journals, message)
    _finish(root, directory, paths)
    shutil.rmtree(directory / SCRATCH_DIR, ignore_errors=True)
    return commit


def _write_journal(directory: Path, journals: list[Journal]) -> None:
    body = json.dumps([asdict(journal) for journal in journals])
    yamlio.atomic_write(directory / JOURNAL_FILE, body)


def _beside(target: Path, suffix: str) -> Path:
    """A hidden file next to `target` (`.<name><suffix>`): the scan passes hidden non-YAML files over."""
    return target.with_name(f".{target.name}{suffix}")


def _keep_old(root: Path, paths: list[str]) -> None:
    """Keep each existing file as a hard link beside it, so undoing is a rename that needs no free
    space (where the file system has no hard links, undoing writes the old blob back instead)."""
    for path in paths:
        target, kept = root / path, _beside(root / path, KEPT)
        kept.unlink(missing_ok=True)
        if target.is_file():
            try:
                os.link(target, kept)
            except OSError:
                pass


def _finish(root: Path, directory: Path, paths: list[str]) -> None:
    """The write is committed: the old copies go, then the journal."""
    for path in paths:
        _beside(root / path, KEPT).unlink(missing_ok=True)
    (directory / JOURNAL_FILE).unlink(missing_ok=True)


@contextmanager
def _undone_on_failure(root: Path, directory: Path) -> Iterator[None]:
    """Whatever fails (or interrupts) inside is undone by the journal before it is passed on; if the
    undoing fails too (the disk is full), the journal stays for the next write to finish."""
    try:
        yield
    except BaseException:
        try:
            recover(root, directory)
        except Exception:  # noqa: BLE001 - the first failure is the one to tell
            pass
        raise


@contextmanager
def _explained_failures(root: Path, directory: Path, paths: list[str]) -> Iterator[None]:
    """A full disk is told as such, and whether the commit went in before it filled."""
    try:
        yield
    except (GitError, OSError) as error:
        if not no_space(error):
            raise
        detail = error.stderr if isinstance(error, GitError) else error.strerror
        if (directory / JOURNAL_FILE).exists() and _committed(root, directory):
            raise UsageProblem("error.index-behind", commit=head_commit(root), path=paths[0], detail=detail) from None
        raise UsageProblem("error.disk-full", detail=detail) from None


FULL_DISK = ("No space left on device", "Disk quota exceeded", "Out of diskspace")  # git's words for it


def no_space(error: Exception) -> bool:
    """Whether `error` (git's, or the system's) says the disk is full."""
    if isinstance(error, GitError):
        return any(words in error.stderr for words in FULL_DISK)
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)


def _committed(root: Path, directory: Path) -> bool:
    """Whether every file the journal names is at HEAD as the journal would have it."""
    journals = _read_journal(directory / JOURNAL_FILE)
    heads = _blobs_at_head(root, [journal.path for journal in journals])
    return all(heads.get(journal.path) == journal.new_blob for journal in journals)


def _read_journal(path: Path) -> list[Journal]:
    """The journal's entries: a list (an import), or one entry (a single write)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Journal(**entry) for entry in (data if isinstance(data, list) else [data])]


def refuse_unfinished(root: Path) -> None:
    """A commit in the middle of a merge, rebase or bisect, or on no branch, would go astray."""
    unfinished = [code for code in repository_state(root) if code != "index-locked"]  # that one is waited for
    if unfinished:
        raise UsageProblem(f"state.{unfinished[0]}")


def recover(root: Path, directory: Path) -> None:
    """Finish or undo the write a journal describes, then forget it (safe to repeat)."""
    shutil.rmtree(directory / SCRATCH_DIR, ignore_errors=True)
    journal_path = directory / JOURNAL_FILE
    for leftover in yamlio.temporary_files(journal_path):  # a journal killed while it was written
        leftover.unlink(missing_ok=True)
    if not journal_path.exists():
        return
    journals = _read_journal(journal_path)
    paths = [journal.path for journal in journals]
    if _committed(root, directory):
        _with_locks(root, lambda: git(root, "reset", "-q", "--", *paths))
    else:
        for journal in journals:
            if _worktree_blob(root, journal.path) == journal.new_blob:
                _restore(directory, root, journal)
    for path in paths:
        _remove_leftovers(root / path)
    journal_path.unlink()


def _restore(directory: Path, root: Path, journal: Journal) -> None:
    target, kept = root / journal.path, _beside(root / journal.path, KEPT)
    if journal.old_blob is None:
        target.unlink()
    elif kept.is_file() and _worktree_blob(root, kept.relative_to(root).as_posix()) == journal.old_blob:
        os.replace(kept, target)
    else:
        old = git(root, "cat-file", "blob", journal.old_blob)
        write_file(directory, root, journal.path, old)


def _remove_leftovers(target: Path) -> None:
    """The kept old copy, an import's staged copy, and temporary files a killed write left beside `target`."""
    for leftover in (_beside(target, KEPT), _beside(target, STAGED), *yamlio.temporary_files(target)):
        leftover.unlink(missing_ok=True)


# The commit ------------------------------------------------------------------------------


def _commit(directory: Path, root: Path, journal: Journal, message: str) -> str:
    for _ in range(HEAD_ATTEMPTS):
        head = head_commit(root)
        tree = _tree_with(root, head, journal)
        parents = ["-p", head] if head else []
        commit = git(root, "commit-tree", tree, *parents, input=message.encode("utf-8")).strip()
        if _move_head(root, commit, head, message):
            _with_locks(root, lambda: git(root, "update-index", "--add", "--", journal.path))
            return commit
    raise GitError(("update-ref", "HEAD"), "HEAD kept moving while gongkai committed; try again")


def _commit_many(directory: Path, root: Path, journals: list[Journal], message: str) -> str:
    """The commit of several files, built in a temporary index read from HEAD (an import writes
    thousands of files: one tree for all of them, not one walk per file)."""
    prefix = git(root, "rev-parse", "--show-prefix").rstrip("\n")
    entries = "".join(f"100644 {journal.new_blob}\t{prefix}{journal.path}\n" for journal in journals).encode("utf-8")
    paths = "".join(f"{journal.path}\n" for journal in journals).encode("utf-8")
    for _ in range(HEAD_ATTEMPTS):
        head = head_commit(root)
        index = {"GIT_INDEX_FILE": str(_scratch(directory) / "index")}
        git(root, "read-tree", *([head] if head else ["--empty"]), env=index)
        git(root, "update-index", "--index-info", input=entries, env=index)
        tree = git(root, "write-tree", env=index).strip()
        parents = ["-p", head] if head else []
        commit = git(root, "commit-tree", tree, *parents, input=message.encode("utf-8")).strip()
        if _move_head(root, commit, head, message):
            _with_locks(root, lambda: git(root, "update-index", "--add", "--stdin", input=paths))
            return commit
    raise GitError(("update-ref", "HEAD"), "HEAD kept moving while gongkai committed; try again")


def _tree_with(root: Path, head: str | None, journal: Journal) -> str:
    """HEAD's tree with the one file set: only the folders on its path are written again (reading
    HEAD's whole tree into an index costs a tenth of a second per hundred thousand files). Names
    stay bytes, as git stores them: a neighbour named in another encoding is kept as it is."""
    prefix = git_bytes(root, "rev-parse", "--show-prefix").rstrip(b"\n")
    parts = (prefix + journal.path.encode("utf-8")).split(b"/")
    listings: list[dict[bytes, tuple[bytes, bytes, bytes]]] = []
    spec: str | None = f"{head}^{{tree}}" if head else None
    for name in parts[:-1]:  # the top folder first; a folder HEAD lacks is new and empty
        listings.append(_entries(root, spec))
        found = listings[-1].get(name)
        spec = found[2].decode() if found is not None and found[1] == b"tree" else None
    listings.append(_entries(root, spec))  # the file's own folder
    entry = (b"100644", b"blob", journal.new_blob.encode())
    for listing, name in zip(reversed(listings), reversed(parts)):
        listing[name] = entry
        body = b"".join(b"%s %s %s\t%s\0" % (mode, kind, sha, child) for child, (mode, kind, sha) in listing.items())
        entry = (b"040000", b"tree", git_bytes(root, "mktree", "-z", input=body).strip())
    return entry[2].decode()


def _entries(root: Path, tree: str | None) -> dict[bytes, tuple[bytes, bytes, bytes]]:
    """{name: (mode, type, object id)} of a tree (none for a folder that is not there yet)."""
    if tree is None:
        return {}
    found = {}
    for record in filter(None, git_bytes(root, "ls-tree", "-z", "--full-tree", tree).split(b"\0")):
        meta, name = record.split(b"\t", 1)
        mode, kind, sha = meta.split()
        found[name] = (mode, kind, sha)
    return found


def _move_head(root: Path, commit: str, head: str | None, message: str) -> bool:
    """Point HEAD's branch at `commit` only if it still is at `head` (compare and swap)."""
    try:
        _with_locks(root, lambda: git(root, "update-ref", "-m", message.splitlines()[0], "HEAD",
                                                      commit, head or ""))
    except GitError:
        if head_commit(root) != head:
            return False
        raise
    return True


def _hash(root: Path, path: str, data: bytes) -> str:
    return git(root, "hash-object", "-w", f"--path={path}", "--stdin", input=data).strip()


def _blob_at_head(root: Path, path: str) -> str | None:
    return git(root, "rev-parse", "-q", "--verify", f"HEAD:./{path}", check=False).strip() or None  # ./: from `root`


def _blobs_at_head(root: Path, paths: list[str]) -> dict[str, str]:
    """{path: blob at HEAD} of those of `paths` that HEAD has, in one git call."""
    if head_commit(root) is None:
        return {}
    wanted = set(paths)
    listing = git(root, "ls-tree", "-r", "-z", "HEAD", "--", *sorted({path.split("/")[0] for path in paths}))
    found = {}
    for record in filter(None, listing.split("\0")):
        meta, name = record.split("\t", 1)
        if name in wanted:
            found[name] = meta.split()[2]
    return found


def _worktree_blob(root: Path, path: str) -> str | None:
    return git(root, "hash-object", "--", path).strip() if (root / path).is_file() else None


# git's own locks ------------------------------------------------------------------------

_HELD_LOCK = re.compile(r"Unable to create '([^']+\.lock)': File exists")


def _with_locks(root: Path, run: Callable[[], T]) -> T:
    """Run a git command that takes a lock, waiting while another git holds that lock; any other
    failure (a full disk among them) is passed on at once."""
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            return run()
        except GitError as error:
            held = _HELD_LOCK.search(error.stderr)
            if held is None:
                raise
            _wait_for(Path(held.group(1)), root, deadline)


def wait_for_locks(directory: Path, root: Path) -> None:
    """Before a write: wait a few seconds for git's locks on the index, HEAD and its branch to go;
    one left by a killed process is explained (error.stale-git-lock)."""
    deadline = time.monotonic() + LOCK_WAIT
    for lock in _locks(directory, root):
        _wait_for(lock, root, deadline)


def _locks(directory: Path, root: Path) -> list[Path]:
    locks = [directory / "index.lock", directory / "HEAD.lock"]
    branch = git(root, "symbolic-ref", "-q", "HEAD", check=False).strip()
    if branch:
        common = Path(git(root, "rev-parse", "--git-common-dir").strip())
        locks.append((common if common.is_absolute() else root / common) / f"{branch}.lock")
    return locks


def _wait_for(lock: Path, root: Path, deadline: float) -> None:
    while lock.exists():
        if time.monotonic() > deadline or (_age(lock) > STALE_AFTER and not _git_running(root)):
            raise UsageProblem("error.stale-git-lock", path=lock)
        time.sleep(0.05)
    if time.monotonic() > deadline:  # a lock that keeps coming back
        raise UsageProblem("error.stale-git-lock", path=lock)


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


def _git_running(root: Path) -> bool:
    """Whether a git process works in this repository (Linux /proc; elsewhere: unknown, say no)."""
    here = root.resolve()
    for process in Path("/proc").glob("[0-9]*"):
        try:
            if (process / "comm").read_text().strip() == "git" and (process / "cwd").resolve().is_relative_to(here):
                return True
        except OSError:
            continue
    return False


ROLES = ("author", "committer")


def identity_check(root: Path) -> None:
    """git refuses to commit without a name and email; say how to set them before it does.

    An identity counts when git would use it without guessing: from the environment
    (GIT_AUTHOR_NAME, GIT_AUTHOR_EMAIL, GIT_COMMITTER_NAME, GIT_COMMITTER_EMAIL, EMAIL) or
    from git's configuration (user.*, author.*, committer.*). git then has the last word.
    """
    here = next((folder for folder in (root, *root.parents) if folder.is_dir()), Path.cwd())
    listing = git(here, "config", "-z", "--get-regexp", r"^(user|author|committer)\.(name|email)$", check=False)
    configured = {}
    for entry in filter(None, listing.split("\0")):
        key, _, value = entry.partition("\n")
        configured[key.lower()] = value.strip()
    for role in ROLES:
        name = os.environ.get(f"GIT_{role.upper()}_NAME") or configured.get(f"{role}.name") or configured.get("user.name")
        email = (os.environ.get(f"GIT_{role.upper()}_EMAIL") or configured.get(f"{role}.email")
                 or configured.get("user.email") or os.environ.get("EMAIL"))
        if not (name or "").strip() or not (email or "").strip():
            raise UsageProblem("error.no-identity")
        try:
            git(here, "var", f"GIT_{role.upper()}_IDENT")
        except GitError:
            raise UsageProblem("error.no-identity") from None
