"""Parsed YAML documents, cached by content under .git/gongkai-cache/, and parsing spread over cores.

A file's parse result (its document, or the YAML problem that stopped it) depends only on its
bytes and on the loader, so it is keyed by the file's git blob id: from `git ls-files -s` for
tracked files git reports clean, and hashed here (the same way git does) for every other file.
Validation and every check still run on each call, so the cache can only save parsing time;
any doubt about it (another version, a bad checksum, git unavailable) means parsing again.
Set GONGKAI_NO_CACHE=1 to bypass it.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
import zlib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Iterable

from . import __version__, progress, yamlio
from .repo import DATA_DIRS, GitError, git

Entry = tuple  # ("doc", document) | ("problem", code, line, col, args)

MAGIC = "gongkai-cache/1"
CACHE_FILE = "documents.marshal"
PARALLEL_FROM = 3000  # below this, starting worker processes costs more than it saves
CHUNK = 1000
CONVERTING_ATTRIBUTES = (b"filter", b"working-tree-encoding", b"ident")


def parse_bytes(data: bytes) -> Entry:
    try:
        return ("doc", yamlio.load(yamlio.decode(data)))
    except yamlio.YamlProblem as problem:
        return ("problem", problem.code, problem.line, problem.col, problem.args_)


def open_entry(entry: Entry) -> Any:
    """The document of an entry, or the YamlProblem it recorded."""
    if entry[0] == "doc":
        return entry[1]
    _, code, line, col, args = entry
    raise yamlio.YamlProblem(code, line, col, **args)


def blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


# Parsing, in this process or spread over the cores ---------------------------------------


def _read(root: Path, path: str) -> bytes:
    try:
        return (root / path).read_bytes()
    except OSError:
        return b""


def _parse_chunk(root: Path, paths: list[str]) -> list[tuple[str, str, Entry]]:
    results = []
    for path in paths:
        data = _read(root, path)
        results.append((path, blob_id(data), parse_bytes(data)))
    return results


def _chunks(items: list, size: int) -> Iterable[list]:
    return (items[start:start + size] for start in range(0, len(items), size))


def parse_files(root: Path, paths: list[str]) -> list[tuple[str, str, Entry]]:
    """(path, blob id, entry) of each file, on several cores when there are many."""
    workers = min(os.cpu_count() or 1, 8)
    with progress.bar(len(paths)) as advance:
        if len(paths) < PARALLEL_FROM or workers < 2:
            return [row for chunk in _chunks(paths, CHUNK) for row in _counted(_parse_chunk(root, chunk), advance)]
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_parse_chunk, root, chunk) for chunk in _chunks(paths, CHUNK)]
            return [row for future in futures for row in _counted(future.result(), advance)]


def _counted(rows: list, advance) -> list:
    advance(len(rows))
    return rows


def parse_contents(contents: dict[str, bytes]) -> dict[str, Entry]:
    return {path: parse_bytes(data) for path, data in contents.items()}


# Which files are unchanged since git last hashed them ------------------------------------


def clean_blobs(root: Path) -> dict[str, str]:
    """{path: blob id} of tracked files whose working copy is exactly that blob."""
    listing = git(root, "ls-files", "-s", "-v", "-z")
    blobs: dict[str, str] = {}
    trusted = True
    for record in filter(None, listing.split("\0")):
        meta, path = record.split("\t", 1)
        tag, _mode, blob, stage = meta.split()
        if path.endswith(".gitattributes"):
            trusted = trusted and not _converts(root / path)
        if tag == "H" and stage == "0":  # not assume-unchanged, skip-worktree nor conflicted
            blobs[path] = blob
    if not trusted or _converts_elsewhere(root):
        return {}
    for path in _changed(root):
        blobs.pop(path, None)
    return blobs


def _changed(root: Path) -> list[str]:
    output = git(root, "--no-optional-locks", "status", "--porcelain", "-z", "--untracked-files=no")
    records = output.split("\0")
    changed = []
    for record in records:
        if len(record) > 3:
            changed.append(record[3:])
        elif record:  # the source path of a rename stands alone
            changed.append(record)
    return changed


def _converts(path: Path) -> bool:
    """Whether an attributes file may make the working copy differ from the blob git hashes."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return any(word in data for word in CONVERTING_ATTRIBUTES)


def _converts_elsewhere(root: Path) -> bool:
    git_dir = Path(git(root, "rev-parse", "--git-common-dir").strip())
    untracked = [root / top / ".gitattributes" for top in ("", *DATA_DIRS)]
    global_file = git(root, "config", "--get", "core.attributesFile", check=False).strip()
    config_home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    candidates = [*untracked, (root / git_dir) / "info" / "attributes", config_home / "git" / "attributes"]
    if global_file:
        candidates.append(Path(os.path.expanduser(global_file)))
    return any(_converts(candidate) for candidate in candidates)


# The cache file --------------------------------------------------------------------------


def fingerprint() -> str:
    """What the cached entries depend on: this code, the loader, PyYAML and marshal's format."""
    import yaml

    digest = hashlib.sha1(f"{__version__}|{yaml.__version__}|{sys.version}".encode())
    for module in (yamlio, sys.modules[__name__]):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()


def cache_path(root: Path) -> Path:
    git_dir = Path(git(root, "rev-parse", "--git-common-dir").strip())
    return (root / git_dir) / "gongkai-cache" / CACHE_FILE


def read_cache(path: Path) -> dict[str, Entry]:
    """The stored entries, or nothing when the file is missing, from another version, or damaged."""
    try:
        with path.open("rb") as stream:
            magic, stamp, checksum, length = marshal.load(stream)
            body = stream.read()
        if magic != MAGIC or stamp != fingerprint() or len(body) != length or zlib.crc32(body) != checksum:
            return {}
        entries = marshal.loads(body)
        return entries if isinstance(entries, dict) else {}
    except Exception:  # noqa: BLE001 - any damage at all: parse again
        return {}


def write_cache(path: Path, entries: dict[str, Entry]) -> None:
    """Write atomically; a cache that cannot be written is simply not there next time."""
    try:
        body = marshal.dumps(entries)
        header = marshal.dumps((MAGIC, fingerprint(), zlib.crc32(body), len(body)))
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".documents.", suffix=".tmp", dir=path.parent)
        with os.fdopen(handle, "wb") as stream:
            stream.write(header + body)
        os.replace(temporary, path)
    except Exception:  # noqa: BLE001 - read-only .git, full disk, unmarshallable value
        try:
            Path(temporary).unlink(missing_ok=True)  # type: ignore[possibly-undefined]
        except Exception:  # noqa: BLE001
            pass


def _usable(entry: Any) -> bool:
    return isinstance(entry, tuple) and (
        (len(entry) == 2 and entry[0] == "doc") or (len(entry) == 5 and entry[0] == "problem" and isinstance(entry[4], dict))
    )


# Putting it together ---------------------------------------------------------------------


def documents(root: Path, paths: list[str]) -> dict[str, Entry]:
    """{path: entry} of the working-tree files at `paths`, from the cache where it can be trusted."""
    if os.environ.get("GONGKAI_NO_CACHE") or len(paths) < 2:
        return {path: entry for path, _, entry in parse_files(root, paths)}
    try:
        blobs, store = clean_blobs(root), cache_path(root)
    except (GitError, OSError, ValueError):
        return {path: entry for path, _, entry in parse_files(root, paths)}
    cached = read_cache(store)
    result: dict[str, Entry] = {}
    used: dict[str, Entry] = {}
    missing = []
    for path in paths:
        entry = cached.get(blobs.get(path, ""))
        if _usable(entry):
            result[path] = used[blobs[path]] = entry
        else:
            missing.append(path)
    for path, blob, entry in parse_files(root, missing):
        result[path] = used[blob] = entry
    if missing or len(cached) > _room(used):
        write_cache(store, _kept(used, cached))
    return result


def _kept(used: dict[str, Entry], cached: dict[str, Entry]) -> dict[str, Entry]:
    """This run's entries, plus older ones up to as many again (so switching branches back stays warm)."""
    kept = dict(used)
    for blob, entry in cached.items():
        if len(kept) >= _room(used):
            break
        kept.setdefault(blob, entry)
    return kept


def _room(used: dict) -> int:
    return 2 * len(used) + 1000
