"""Loaded files (validated objects and the findings of reading them), cached by content under
.git/gongkai-cache/, and loading spread over cores.

Each file's entry is its record pickled plus a summary of plain values (facts.py): commands that
need only the summaries read them without unpickling a single model.

What loading a file gives depends only on its bytes, its kind and this code, so it is keyed by
kind and the file's git blob id: from `git ls-files -s` for tracked files git reports clean, and
hashed here (the same way git does) for every other file. What the checks across files find is
remembered by memo.py, not here. Any doubt about the cache (another version or models, a bad checksum, a record that
does not unpickle, git unavailable) means loading the file again. Set GONGKAI_NO_CACHE=1 to
bypass it.
"""

from __future__ import annotations

import bisect
import functools
import gc
import hashlib
import itertools
import marshal
import os
import pickle
import re
import struct
import sys
import tempfile
import time
import zlib
from array import array
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator

from .. import __version__
from ..model.kinds import kind_of
from . import fastyaml, progress, yamlio
from .repo import (
    DATA_DIRS,
    DIFF_FILES,
    INDEX_PATH,
    LS_FILES,
    RACY_NS,
    GitError,
    IndexListing,
    asked_early,
    git,
    index_listing,
    scan,
    scan_folders,
)

Build = Callable[[str, bytes], Any]  # (path, bytes) → the loaded record of the file
Summarise = Callable[[Any], Any]  # a record → plain values marshal can hold, stored beside its pickle
Tidy = Callable[[Any], Any]  # a record → the same record, made smaller (shared values), as soon as it exists
Stored = tuple  # (pickled record, summary) of one file: the first goes to records.marshal, the other beside it


def _same(record: Any) -> Any:
    return record


@dataclass(frozen=True)
class Recipe:
    """How a file becomes its record and its summary (module-level functions: sent to worker processes)."""

    build: Build
    summarise: Summarise
    tidy: Tidy = _same
    unreadable: Callable[[str, OSError], Any] | None = None  # (path, error) → the record of a file that cannot be read

    def read_and_build(self, root: Path, path: str) -> tuple[str | None, Any]:
        """(blob id, record) of the working-tree file at `path`; a file that cannot be read has no blob id
        (it is never cached) and, given `unreadable`, a record that says why."""
        try:
            data = yamlio.read_bounded(f"{root}/{path}")  # text, not root / path: pathlib costs more than the read
        except OSError as error:
            return None, self.unreadable(path, error) if self.unreadable else self.build(path, b"")
        return blob_id(data), self.build(path, data)

MAGIC = "gongkai-cache/3"
CACHE_FILE = "records.marshal"
SUMMARY_FILE = "summaries.marshal"
SUMMARY_MAGIC = "gongkai-summaries/1"
PARALLEL_FROM = 3000  # below this, starting worker processes costs more than it saves
CHUNK = 1000
CONVERTING_ATTRIBUTES = (b"filter", b"working-tree-encoding", b"ident")


def blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


# Parsing, in this process or spread over the cores ---------------------------------------


def _build_chunk(root: Path, paths: list[str], recipe: Recipe,
                 pickled: bool = True) -> list[tuple[str, str, Stored | None]]:
    """(path, blob id, stored entry) of each file; None when the record cannot be pickled (without
    `pickled`, the entry's record is b"": only its summary is wanted)."""
    results = []
    for path in paths:
        blob, record = recipe.read_and_build(root, path)
        results.append((path, blob or "", _stored(recipe, record, pickled) if blob is not None else None))
    return results


def _stored(recipe: Recipe, record: Any, pickled: bool = True) -> Stored | None:
    try:
        return pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL) if pickled else b"", recipe.summarise(record)
    except Exception:  # noqa: BLE001 - loaded again next time, and now without the pickle
        return None


def _chunks(items: list, size: int) -> Iterable[list]:
    return (items[start:start + size] for start in range(0, len(items), size))


def build_files(root: Path, paths: list[str], recipe: Recipe,
                pickled: bool = True) -> list[tuple[str, str, Stored | None]]:
    """(path, blob id, stored entry) of each file, on several cores when there are many."""
    return [row for rows in built_chunks(root, paths, recipe, pickled) for row in rows]


def built_chunks(root: Path, paths: list[str], recipe: Recipe,
                 pickled: bool = True) -> Iterator[list[tuple[str, str, Stored | None]]]:
    """build_files' rows a chunk at a time, in the order of `paths`, each as soon as it is made."""
    workers = min(os.cpu_count() or 1, 8)
    with progress.bar(len(paths)) as advance:
        if len(paths) < PARALLEL_FROM or workers < 2:
            for chunk in _chunks(paths, CHUNK):
                yield _counted(_build_chunk(root, chunk, recipe, pickled), advance)
            return
        with ProcessPoolExecutor(max_workers=workers) as pool:  # map lets go of each result once given
            for rows in pool.map(functools.partial(_build_chunk, root, recipe=recipe, pickled=pickled),
                                 _chunks(paths, CHUNK)):
                yield _counted(rows, advance)


def _counted(rows: list, advance) -> list:
    advance(len(rows))
    return rows


# Which files are unchanged since git last hashed them ------------------------------------


_ATTRIBUTES_ENTRY = re.compile(r"\t([^\0]*\.gitattributes)\0")


def clean_blobs(root: Path, listing: IndexListing | None = None) -> dict[str, str]:
    """{path: blob id} of tracked files whose working copy is exactly that blob (not assume-unchanged,
    skip-worktree, conflicted nor a link: a link's blob is its text, not what it points at).

    Paths are relative to `root`, which may be a folder inside the git repository. The listing
    (`listing`, or asked of git here) is read with one pattern (no Python loop over a hundred
    thousand entries); the attributes outside it are asked of git meanwhile.
    """
    listing = index_listing(root) if listing is None else listing
    if listing is None:
        raise GitError(("ls-files",), "no index")
    return _unconverted(root, _attribute_files(listing), lambda: _indexed_blobs(listing))


def _attribute_files(listing: IndexListing) -> list[str]:
    return _ATTRIBUTES_ENTRY.findall(listing.text)


def _indexed_blobs(listing: IndexListing) -> dict[str, str]:
    return _unchanged(_all_indexed(listing), listing)


def _all_indexed(listing: IndexListing) -> dict[str, str]:
    return {path: blob for blob, path in listing.plain}


def _unchanged(blobs: dict[str, str], listing: IndexListing) -> dict[str, str]:
    """`blobs` (changed in place) without the files diff-files says may differ from the index."""
    for path in listing.changed:
        blobs.pop(path, None)
    return blobs


def _unconverted(root: Path, attributes: list[str], blobs: Callable[[], dict[str, str]]) -> dict[str, str]:
    """`blobs()`, or nothing when an attributes file (the tracked ones: `attributes`) may make a
    working copy differ from its blob."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        converting = pool.submit(_converts_elsewhere, root)
        found = blobs()
        if converting.result() or any(_converts(root / path) for path in attributes):
            return {}
    return found


def scan_listed(root: Path) -> tuple[tuple[list[str], list[str]], dict[str, str] | None, IndexListing | None]:
    """(repo.scan(root), clean_blobs(root), the index listing both came from), from one listing of the
    index; (repo.scan(root), None, None) outside git.

    What the listing gives is kept (LISTING_FILE) under the index's checksum, with the time of each
    folder it listed: while none of those changed, no folder is listed and the index is not parsed
    again. An edit in place changes neither (diff-files names the file, whose blob is then not
    clean); a file removed, added or made into anything else changes its folder's time."""
    path = _listing_file(root)
    listing = index_listing(root, listed=_unlisted(path))
    if listing is None:
        return scan(root, None), None, None
    if not listing.checksum:
        path = None
    key = marshal.dumps(listing.checksum)
    kept = _kept_listing(root, path, key) if path is not None else None
    try:
        if kept is not None:
            scanned, indexed, attributes = kept
            return scanned, _clean_of(root, listing, indexed, attributes), listing
        started = time.time_ns()
        scanned, folders = scan_folders(root, listing)
        indexed, attributes, plain = _index_of(listing)
        listing.release()
        if path is not None and folders is not None:
            _keep_listing(root, path, key, started, folders, (scanned, indexed, attributes, plain))
        return scanned, _clean_of(root, listing, indexed, attributes), listing
    except (GitError, OSError, ValueError):
        return scan(root, listing), None, None


def _listing_file(root: Path) -> Path | None:
    store = cache_store(root)
    return store.with_name(LISTING_FILE) if store is not None else None


def _unlisted(path: Path | None) -> bool:
    """Whether no kept listing can serve: its text will be asked of git."""
    return path is None or not path.exists()


def _index_of(listing: IndexListing) -> tuple[dict[str, str], list[str], bool]:
    """(the index's blob ids, its attributes files, whether every entry is a plain file)."""
    return _all_indexed(listing), _attribute_files(listing), len(listing.plain) == listing.text.count("\0")


def _clean_of(root: Path, listing: IndexListing, indexed: dict[str, str], attributes: list[str]) -> dict[str, str]:
    """clean_blobs from the index's blob ids (`indexed`, changed in place) and attributes files."""
    return _unconverted(root, attributes, lambda: _unchanged(indexed, listing))


def listed_early(root: Path) -> AbstractContextManager:
    """A block inside which scan_listed(root) takes the answers of the git commands it starts with,
    started now: they run while the rest of check is imported (0.1–0.2 s at 100,000 items)."""
    cold = _unlisted(_listing_file(root))
    return asked_early(root, [DIFF_FILES, INDEX_PATH, *([LS_FILES] if cold else [])])


LISTING_FILE = "listing.marshal"
LISTING_MAGIC = "gongkai-listing/4"


def _folder_times(root: Path, folders: list[str]) -> list[int] | None:
    times = []
    try:
        for folder in folders:
            status = os.lstat(root / folder)
            times += (status.st_mtime_ns, status.st_ino)
    except OSError:
        return None
    return times


Listed = tuple  # (repo.scan's (files, escaping), the index's blob ids, the tracked attributes files, whether
# every entry is a plain file: neither a link, a submodule, conflicted, assume-unchanged nor skip-worktree)


def _keep_listing(root: Path, path: Path, key: bytes, started: int, folders: list[str], listed: Listed) -> None:
    times = _folder_times(root, folders)
    if times is None or any(stamp > started - RACY_NS for stamp in times[::2]):
        return
    # with references: the names in the scan are the keys of the ids, written (and read back) once
    keep_marshalled(path, LISTING_MAGIC, _listing_stamp(key), (folders, times, *listed), marshal.version)


def _kept_listing(root: Path, path: Path, key: bytes) -> Listed | None:
    """The kept listing for `key`, when every folder it listed has the time and inode it had."""
    kept = _kept_entries(path, key)
    if kept is None:
        return None
    folders, times, scanned, indexed, attributes, _ = kept
    if _folder_times(root, folders) != times:
        return None
    return (scanned[0], scanned[1]), indexed, attributes


def _kept_entries(path: Path, key: bytes) -> tuple | None:
    """What _keep_listing kept for `key` at `path`, when it is whole and of the shape it writes."""
    kept = kept_marshalled(path, LISTING_MAGIC, _listing_stamp(key))
    try:
        folders, times, scanned, indexed, attributes, plain = kept
        sound = (type(folders) is list and all(type(folder) is str for folder in folders) and type(times) is list
                 and type(scanned) in (list, tuple) and len(scanned) == 2 and type(indexed) is dict
                 and type(attributes) is list and plain in (True, False))
    except Exception:  # noqa: BLE001 - none, or damaged: list again
        return None
    return kept if sound else None


def plain_clean_blobs(root: Path) -> tuple[dict[str, str], list[str]] | None:
    """(clean_blobs(root), every path the index holds) when every entry of the index is a plain
    file (so each tracked file is either clean or named by diff-files); None otherwise, or outside
    git. The index's blob ids kept with `root`'s listing serve while the index is the one they were
    read from (its folders' inodes say it was `root`'s: two roots may share one index), however
    the folders changed since; otherwise the index is listed."""
    listing = index_listing(root)
    if listing is None:
        return None
    path = _listing_file(root) if listing.checksum else None
    kept = _kept_entries(path, marshal.dumps(listing.checksum)) if path is not None else None
    try:
        if kept is not None and (_folder_times(root, kept[0]) or [])[1::2] == kept[1][1::2]:
            *_, indexed, attributes, plain = kept
        else:
            indexed, attributes, plain = _index_of(listing)
        tracked = list(indexed)
        return (_clean_of(root, listing, indexed, attributes), tracked) if plain else None
    except (GitError, OSError, ValueError):
        return None


def _listing_stamp(key: bytes) -> str:
    return f"{fingerprint()}:{key.hex()}"

def _converts(path: Path) -> bool:
    """Whether an attributes file may make the working copy differ from the blob git hashes."""
    try:
        data = yamlio.read_bounded(path)
    except OSError:
        return False
    return any(word in data for word in CONVERTING_ATTRIBUTES)


def _converts_elsewhere(root: Path) -> bool:
    """Whether an attributes file `ls-files` does not list may convert: the folders from the top of
    the git repository down to `root` (which ls-files, run in `root`, does not see), the data folders
    (untracked ones), the repository's info/attributes and the user's."""
    git_dir, top = git(root, "rev-parse", "--git-common-dir", "--show-toplevel").splitlines()[:2]
    here, top_folder = root.resolve(), Path(top).resolve()
    above = [folder / ".gitattributes" for folder in (here, *here.parents) if folder.is_relative_to(top_folder)]
    untracked = above + [root / folder / ".gitattributes" for folder in DATA_DIRS]
    global_file = git(root, "config", "--get", "core.attributesFile", check=False).strip()
    config_home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    candidates = [*untracked, (root / git_dir) / "info" / "attributes", config_home / "git" / "attributes"]
    if global_file:
        candidates.append(Path(os.path.expanduser(global_file)))
    return any(_converts(candidate) for candidate in candidates)


# The cache file --------------------------------------------------------------------------


def fingerprint() -> str:
    """What anything cached depends on besides the files: this code and the libraries it reads with."""
    import pydantic
    import yaml

    fast = getattr(fastyaml.yaml_rs, "__version__", None)
    digest = hashlib.sha1(f"{MAGIC}|{__version__}|{yaml.__version__}|{fast}|{pydantic.VERSION}|{sys.version}".encode())
    digest.update(source_digest().encode())
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def source_digest() -> str:
    """Every source file of the package: a change to the models, the loader or a check counts."""
    digest = hashlib.sha1()
    package = Path(__file__).parents[1]
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def cache_path(root: Path) -> Path:
    git_dir = Path(git(root, "rev-parse", "--git-common-dir").strip())
    return (root / git_dir) / "gongkai-cache" / CACHE_FILE


def read_cache(path: Path) -> dict[str, Any]:
    """{key: pickled record} (or {key: summary}, from the summaries file), or nothing when the file
    is missing, from another version, or damaged."""
    entries = kept_marshalled(path, MAGIC, fingerprint())
    return entries if isinstance(entries, dict) else {}


def write_cache(path: Path, entries: dict[str, Any]) -> None:
    """Write atomically; a cache that cannot be written is simply not there next time."""
    keep_marshalled(path, MAGIC, fingerprint(), entries)


def stamp_of(path: Path, magic: str) -> str | None:
    """The stamp the file at `path` was written under by `write_checked` with this magic; None for
    any other file, or none."""
    with open_checked(path, magic, None) as reader:
        return reader.stamp if reader is not None else None


def read_checked(path: Path, magic: str, stamp: str) -> bytes | None:
    """The body of a file written by `write_checked` with this magic and stamp, whole and unchanged;
    None for any other file, or none."""
    with open_checked(path, magic, stamp) as reader:
        try:
            body = reader.read() if reader is not None else None
            return body if body is not None and reader.whole() else None
        except OSError:
            return None


class CheckedReader:
    """The body of a file written by `write_checked`, read in order as pickle.load reads a stream
    (never all of it in memory at once), its checksum taken on the way: what was read from it is
    to be trusted only once `whole()` says the body was all there and unchanged."""

    def __init__(self, stream: BinaryIO, length: int, checksum: int, stamp: str = "") -> None:
        self.stream, self.left, self.checksum, self.crc, self.stamp = stream, length, checksum, 0, stamp

    def read(self, size: int = -1) -> bytes:
        return self._taken(self.stream.read(self._bounded(size)))

    def readline(self, size: int = -1) -> bytes:
        return self._taken(self.stream.readline(self._bounded(size)))

    def _bounded(self, size: int | None) -> int:
        return self.left if size is None or size < 0 else min(size, self.left)

    def _taken(self, data: bytes) -> bytes:
        self.left -= len(data)
        self.crc = zlib.crc32(data, self.crc)
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def whole(self) -> bool:
        return self.left == 0 and self.stream.read(1) == b"" and self.crc == self.checksum


@contextmanager
def open_checked(path: Path, magic: str, stamp: str | None) -> Iterator[CheckedReader | None]:
    """A CheckedReader of the file at `path` when its header names this magic and stamp (None: any
    stamp); None for any other file, or none."""
    try:
        stream = path.open("rb")
    except OSError:
        yield None
        return
    with stream:
        try:
            found_magic, found_stamp, checksum, length = marshal.load(stream)
            ours = (found_magic == magic and (found_stamp == stamp or stamp is None and type(found_stamp) is str)
                    and type(checksum) is type(length) is int)
        except Exception:  # noqa: BLE001 - truncated, not ours
            ours = False
        yield CheckedReader(stream, length, checksum, found_stamp) if ours else None


class Spool:
    """Bytes kept in a temporary file as they come, not in memory (what worker processes send while
    they run), read back in blocks as often as wanted; a part of what write_checked writes. The
    file is made at the first write: a spool never written to costs nothing."""

    def __init__(self) -> None:
        self.file: BinaryIO | None = None

    @property
    def written(self) -> bool:
        return self.file is not None

    def write(self, data: bytes) -> None:
        if self.file is None:
            self.file = tempfile.TemporaryFile()
        self.file.write(data)

    def __iter__(self) -> Iterator[bytes]:
        if self.file is None:
            return
        self.file.flush()
        self.file.seek(0)
        while block := self.file.read(1 << 20):
            yield block

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


Part = bytes | Spool


def _blocks(parts: Iterable[Part]) -> Iterator[bytes]:
    for part in parts:
        yield from (part,) if isinstance(part, bytes) else part


def write_checked(path: Path, magic: str, stamp: str, *body: Part) -> None:
    """`body` (the parts joined) behind a header naming what it is (magic), what it was made from
    (stamp), its length and checksum; written atomically."""
    checksum = length = 0
    for block in _blocks(body):
        checksum, length = zlib.crc32(block, checksum), length + len(block)
    write_atomically(path, marshal.dumps((magic, stamp, checksum, length)), *body)


# marshal's version without references back: writing a later one keeps a table of every object
# held more than once (140 MB beside check's rows at 300,000 items); each value stands alone.
NO_REFS = 2


def keep_marshalled(path: Path, magic: str, stamp: str, value: Any, version: int = NO_REFS) -> None:
    """`value` marshalled behind write_checked's header; left unwritten when it cannot be (only a cache)."""
    try:
        write_checked(path, magic, stamp, marshal.dumps(value, version))
    except (OSError, ValueError):  # read-only .git, a full disk, a value marshal cannot hold
        pass


def kept_marshalled(path: Path, magic: str, stamp: str) -> Any:
    """What keep_marshalled kept at `path` under this magic and stamp; None when it is missing,
    damaged or was made otherwise."""
    body = read_checked(path, magic, stamp)
    try:
        return marshal.loads(body) if body is not None else None
    except Exception:  # noqa: BLE001 - damaged
        return None


def dict_piece(entries: dict[str, Any]) -> bytes:
    """`entries` marshalled without the dict's opening and closing marks. Pieces made apart (in
    worker processes) join into one dict with dict_parts: marshal's version 2 writes no references
    back into what it wrote before, so each piece stands alone; a later key wins."""
    return marshal.dumps(entries, NO_REFS)[1:-1]


def dict_parts(pieces: Iterable[Part]) -> list[Part]:
    return [b"{", *pieces, b"0"]


FRAME = struct.Struct("<II")  # a frame's length and crc32, before its body


def framed(body: bytes, *fields: int, header: struct.Struct = FRAME) -> bytes:
    """`body` behind a header of its length, its checksum and `fields` (the further ones `header` holds)."""
    return header.pack(len(body), zlib.crc32(body), *fields) + body


def unframed(read: Callable[[int], bytes], header: struct.Struct = FRAME) -> Iterator[tuple[bytes, list[int]]]:
    """(body, the header's further fields) of each frame `read` gives in turn, up to a torn or damaged one."""
    while len(head := read(header.size)) == header.size:
        length, checksum, *fields = header.unpack(head)
        body = read(length)
        if len(body) != length or zlib.crc32(body) != checksum:
            return
        yield body, fields


# The summaries file: frames of at most CHUNK summaries each, read one frame at a time -------

SUMMARY_FRAME = struct.Struct("<III")  # FRAME, and how many summaries the frame holds


def summary_frame(entries: dict[str, Any]) -> bytes:
    """`entries` as one frame of the summaries file (marshalled to stand alone: frames made apart, in
    worker processes, are joined as they are)."""
    return framed(marshal.dumps(entries, NO_REFS), len(entries), header=SUMMARY_FRAME)


def _stored_frames(path: Path) -> Iterator[tuple[bytes, int]]:
    """(body, how many summaries it holds) of each frame of the summaries file at `path`; none when
    the file is missing, damaged or made otherwise."""
    with open_checked(path, SUMMARY_MAGIC, fingerprint()) as reader:
        if reader is not None:
            for body, (count,) in unframed(reader.read, SUMMARY_FRAME):
                yield body, count


def summary_frames(path: Path) -> Iterator[dict[str, Any]]:
    """{key: summary} of each frame of the summaries file at `path`, one at a time (never the whole
    file in memory); up to the first that does not read back."""
    for body, _ in _stored_frames(path):
        try:
            entries = marshal.loads(body)
        except Exception:  # noqa: BLE001 - damaged
            return
        if type(entries) is not dict:
            return
        yield entries


def read_summaries(path: Path) -> dict[str, Any]:
    """Every summary the summaries file at `path` holds (a later one of a key wins)."""
    entries: dict[str, Any] = {}
    for frame in summary_frames(path):
        entries.update(frame)
    return entries


def _frames_of(entries: dict[str, Any]) -> Spool:
    frames, pairs = Spool(), iter(entries.items())
    while chunk := dict(itertools.islice(pairs, CHUNK)):
        frames.write(summary_frame(chunk))
    return frames


def write_summaries(path: Path, entries: dict[str, Any]) -> None:
    _write_summaries(path, _frames_of(entries))


def _write_summaries(path: Path, *frames: Part) -> None:
    try:
        write_checked(path, SUMMARY_MAGIC, fingerprint(), *frames)
    except (OSError, ValueError):  # read-only .git, full disk, a value marshal cannot hold
        pass


def add_summaries(store: Path, new: dict[str, Any], used: int) -> None:
    """Add the `new` summaries to the summaries file beside the records (`used`: how many more this
    run read from it)."""
    if new:
        frames = _frames_of(new)
        add_summary_frames(store, frames, len(new), used)
        frames.close()


def add_summary_frames(store: Path, frames: Spool, count: int, used: int = 0) -> None:
    """Write the summaries file as `frames` (summary_frame of `count` new summaries, as worker processes
    sent them: never unmarshalled here), then the older frames while there is room beside this run's
    (`used`: how many it read from the file), as the records are kept."""
    path = store.with_name(SUMMARY_FILE)
    stored = sum(count for _, count in _stored_frames(path))
    room = _room(count + used, stored) - count
    kept = Spool()
    for body, held in _stored_frames(path):
        if held > room:
            break
        kept.write(framed(body, held, header=SUMMARY_FRAME))
        room -= held
    _write_summaries(path, frames, kept)
    kept.close()


def write_atomically(path: Path, *parts: Part) -> None:
    """All of `parts` at `path`, or (on any error) the file as it was; no temporary file left behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            for block in _blocks(parts):
                stream.write(block)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _unpickled(data: Any) -> tuple[bool, Any]:
    """(True, record) from a stored pickle, or (False, None) when it is not one."""
    if type(data) is not bytes:
        return False, None
    try:
        return True, pickle.loads(data)
    except Exception:  # noqa: BLE001 - a damaged or outdated record: load the file again
        return False, None


@contextmanager
def collection_paused() -> Iterator[None]:
    """Without the cycle collector while a repository's objects are made, and with them left out of
    its later passes: they form no cycles, and scanning millions of them costs seconds."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


# Putting it together ---------------------------------------------------------------------


# Fewer files than this are parsed directly: cheaper than listing a large index and opening the cache.
SMALL_READ = 32


def cache_store(root: Path | None) -> Path | None:
    """The records file of `root`'s cache, or None when there is none to use (GONGKAI_NO_CACHE set,
    no repository, or git unavailable)."""
    if root is None or os.environ.get("GONGKAI_NO_CACHE"):
        return None
    try:
        return cache_path(root)
    except (GitError, OSError, ValueError):
        return None


def _trusted(root: Path, paths: list[str], blobs: dict[str, str] | None) -> tuple[dict[str, str], Path] | None:
    """(clean blob ids, the cache's records file) when the cache serves a read of `paths`; None when
    the files are better read directly (few of them, or no cache)."""
    store = cache_store(root) if len(paths) >= SMALL_READ else None
    if store is None:
        return None
    try:
        return (clean_blobs(root) if blobs is None else blobs), store
    except (GitError, OSError, ValueError):
        return None


def records(root: Path, paths: list[str], recipe: Recipe, blobs: dict[str, str] | None = None) -> dict[str, Any]:
    """{path: record} of the working-tree files at `paths`, from the cache where it can be trusted
    (`blobs`: clean_blobs(root), when the caller has it already)."""
    trusted = _trusted(root, paths, blobs)
    if trusted is None:
        return _built(root, paths, recipe)
    return _cached(root, paths, recipe, *trusted)


DIGEST = 20  # bytes of a binary blob id
UNKNOWN = bytes(DIGEST)  # the id of a file whose blob is not known (one that cannot be read)
ITEM_KEY = "item:"  # what record_key gives an item file before its blob id


def digests_of(blobs: list[str]) -> bytes:
    """The blob ids as binary ids one after another, DIGEST bytes each (a few bytes a file, not a
    string); UNKNOWN for a name that is no id ("", "unreadable")."""
    joined = "".join(blobs)
    if len(joined) == 2 * DIGEST * len(blobs):
        try:
            return bytes.fromhex(joined)
        except ValueError:
            pass
    return b"".join(bytes.fromhex(blob) if len(blob) == 2 * DIGEST else UNKNOWN for blob in blobs)


def item_summaries(root: Path, items: list[str], recipe: Recipe,
                   digests: bytes | None) -> Iterator[tuple[int, str | None, Any]]:
    """(position in `items`, the blob read or None for the one asked, summary) of each item file, in
    no set order, each position once (`digests`: digests_of each file's blob id; None outside git).
    Those the summaries file holds come as it is read, a frame at a time: neither the file nor its
    summaries are ever all in memory. The others are then loaded (on every core when many), and
    added to the file."""
    store = cache_store(root) if digests is not None and len(items) >= SMALL_READ else None
    if store is None:
        for index, path in enumerate(items):
            blob, record = recipe.read_and_build(root, path)
            yield index, blob or "unreadable", recipe.summarise(record)
        return
    wanted, found = _Wanted(digests), bytearray(len(items))
    for frame in summary_frames(store.with_name(SUMMARY_FILE)):
        for key, summary in frame.items():
            for index in wanted.positions(_item_digest(key)):
                if not found[index]:
                    found[index] = True
                    yield index, None, summary
    del wanted
    missing = [index for index, done in enumerate(found) if not done]
    frames, count = Spool(), 0
    for index_of, rows in zip(_chunks(missing, CHUNK), built_chunks(root, [items[at] for at in missing], recipe, False)):
        entries = {}
        for index, (path, blob, entry) in zip(index_of, rows):
            summary = entry[1] if entry is not None else recipe.summarise(recipe.read_and_build(root, path)[1])
            if entry is not None:
                entries[record_key(path, blob)] = summary
            yield index, blob or "unreadable", summary
        if entries:
            frames.write(summary_frame(entries))
            count += len(entries)
    if count:
        add_summary_frames(store, frames, count, len(items) - len(missing))
    frames.close()


class _Wanted:
    """The positions of the blob ids among `digests` (digests_of), found by the first 8 bytes of an id
    in two arrays sorted by them: a few MB for 300,000 files, where a dict of the ids took 37."""

    def __init__(self, digests: bytes) -> None:
        def head(index: int) -> int:
            return int.from_bytes(digests[DIGEST * index:DIGEST * index + 8], "big")

        order = sorted(range(len(digests) // DIGEST), key=head)
        self.digests, self.heads, self.order = digests, array("Q", map(head, order)), array("q", order)

    def positions(self, digest: bytes) -> list[int]:
        """Where `digest` is among the digests (none for UNKNOWN, or for no digest at all: None)."""
        if digest is None or digest == UNKNOWN:
            return []
        head, heads = int.from_bytes(digest[:8], "big"), self.heads
        at, found = bisect.bisect_left(heads, head), []
        while at < len(heads) and heads[at] == head:
            index = self.order[at]
            if self.digests[DIGEST * index:DIGEST * (index + 1)] == digest:
                found.append(index)
            at += 1
        return found


def _item_digest(key: str) -> bytes | None:
    """The binary blob id of an item file's record key; None for any other key."""
    if not key.startswith(ITEM_KEY) or len(key) != len(ITEM_KEY) + 2 * DIGEST:
        return None
    try:
        return bytes.fromhex(key[len(ITEM_KEY):])
    except ValueError:
        return None


def records_of_contents(root: Path | None, contents: dict[str, bytes], recipe: Recipe) -> dict[str, Any]:
    """{path: record} of files given as bytes (a commit's tree, the working tree read whole), from the
    same cache: a record is keyed by the file's kind and blob id, which the bytes give here."""
    paths = [path for path in contents if kind_of(path)]
    store = cache_store(root) if len(paths) >= 2 else None
    if store is None:
        return {path: recipe.tidy(recipe.build(path, contents[path])) for path in paths}
    cached = read_cache(store)
    blobs = {path: blob_id(contents[path]) for path in paths}
    hits = _hits(paths, blobs, cached)
    missing = [path for path in paths if path not in hits]
    writing = bool(missing) or len(cached) > _room(len(hits), len(cached))
    with collection_paused():
        result, used = _unstored(hits, cached, writing, recipe.tidy)
    new: dict[str, Any] = {}
    for path in paths:
        if path not in result:
            record = recipe.build(path, contents[path])
            entry = _stored(recipe, record) if writing else None
            result[path] = recipe.tidy(record)
            if entry is not None:
                used[record_key(path, blobs[path])], new[record_key(path, blobs[path])] = entry
    if writing:
        write_cache(store, _kept(used, cached))
        add_summaries(store, new, len(used))
    return result


def _built(root: Path, paths: list[str], recipe: Recipe) -> dict[str, Any]:
    return {path: recipe.tidy(recipe.read_and_build(root, path)[1]) for path in paths}


def record_key(path: str, blob: str) -> str:
    return f"{kind_of(path)}:{blob}"


def _cached(root: Path, paths: list[str], recipe: Recipe, blobs: dict[str, str], store: Path) -> dict[str, Any]:
    """The cache is written (when it changes) before any record is unpickled, and each pickle is let go
    as soon as its record exists: the pickles, the written file and the records are never all in memory
    at once."""
    cached = read_cache(store)
    hits = _hits(paths, blobs, cached)
    missing = [path for path in paths if path not in hits]
    writing = bool(missing) or len(cached) > _room(len(hits), len(cached))
    built = build_files(root, missing, recipe)
    if writing:
        add_summaries(store, {record_key(path, blob): entry[1] for path, blob, entry in built if entry is not None},
                      len(hits))
    rows = [(path, blob, entry[0] if entry is not None else None) for path, blob, entry in built]
    del built  # the summaries are written: let them go before the records are made
    if writing:
        used = {key: cached[key] for key in hits.values()}
        used.update((record_key(path, blob), data) for path, blob, data in rows if data is not None)
        write_cache(store, _kept(used, cached))
        del used
    result: dict[str, Any] = {}
    with collection_paused():
        for path, key in hits.items():
            found, record = _unpickled(cached.pop(key))
            result[path] = recipe.tidy(record if found else recipe.read_and_build(root, path)[1])
        cached.clear()
        for index, (path, _blob, data) in enumerate(rows):
            rows[index] = None
            found, record = _unpickled(data)
            result[path] = recipe.tidy(record if found else recipe.read_and_build(root, path)[1])
    return result


def _unstored(hits: dict[str, str], cached: dict[str, bytes], writing: bool,
              tidy: Tidy) -> tuple[dict[str, Any], dict[str, bytes]]:
    """({path: record}, {key: pickle}) of the hits that unpickle; without a write to come, each pickle
    is dropped as soon as it is used."""
    result: dict[str, Any] = {}
    used: dict[str, bytes] = {}
    for path, key in hits.items():
        data = cached[key] if writing else cached.pop(key)
        found, record = _unpickled(data)
        if found:
            result[path] = tidy(record)
            if writing:
                used[key] = data
    return result, used


def _hits(paths: list[str], blobs: dict[str, str], cached: dict[str, Any]) -> dict[str, str]:
    """{path: key} of the files with a stored record; a record serves one file (each gets its own objects)."""
    hits: dict[str, str] = {}
    taken = set()
    for path in paths:
        key = record_key(path, blobs.get(path, ""))
        if key in cached and key not in taken:
            hits[path] = key
            taken.add(key)
    return hits


def _kept(used: dict[str, Any], cached: dict[str, Any]) -> dict[str, Any]:
    """This run's records, plus older ones while there is room (so switching branches back stays warm)."""
    kept = dict(used)
    room = _room(len(used), len(cached))
    for key, entry in cached.items():
        if len(kept) >= room:
            break
        kept.setdefault(key, entry)
    return kept


def _room(used: int, cached: int) -> int:
    """As many again as this run used, plus 1000; all of them after a run that read only a few
    files (check --since), which must not throw away what a full check cached."""
    if 2 * used < cached:
        return cached + used
    return 2 * used + 1000
