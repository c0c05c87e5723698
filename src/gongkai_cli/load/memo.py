"""Whole answers remembered under the state of the files they were computed from.

`check` over an unchanged repository gives the findings it gave last time: they depend only on
the code, the data files' bytes (named by git blob ids), the links leading outside and which
evidence files exist. So the answer is stored with a digest of the first three and the evidence
states it saw, and given again only when all of them still agree. The clean files are named by the index's checksum and the
changed ones by `git diff-files` (state_of), so an unchanged repository costs no hashing of its paths. One answer per name is kept, in .git/gongkai-cache/<name>.memo;
any doubt (another state, a damaged file, git unavailable) means computing it again.
"""

from __future__ import annotations

import hashlib
import itertools
import pickle
from pathlib import Path
from collections.abc import Callable, Iterable
from typing import Any

from . import yamlio
from .cache import (
    Spool,
    blob_id,
    cache_store,
    fingerprint,
    open_checked,
    write_checked,
)
from .repo import IndexListing

MAGIC = "gongkai-memo/1"


def state_of(root: Path, paths: list[str], blobs: dict[str, str], *extra: str,
             hashed: dict[str, str] | None = None, listing: IndexListing | None = None) -> str:
    """A digest of the code, `extra`, and each path with its content's blob id (`blobs` for clean
    tracked files, hashed here for the others, which `hashed` receives).

    Given the index `listing` the blobs came from (with a checksum), the clean files are named by the
    index's own checksum and the names `git diff-files` gave, not one by one: only the other files
    (changed, untracked) are named here. Otherwise every path and blob id is joined and hashed once.
    """
    hashed = {} if hashed is None else hashed
    if listing is not None and listing.checksum and blobs:
        digest = hashlib.sha1(f"{fingerprint()}\0{len(paths)}\0{chr(0).join(extra)}\0index\0".encode())
        digest.update(listing.checksum)
        digest.update("\0".join(["", *listing.changed, ""]).encode("utf-8", "surrogateescape"))
        known = blobs.__contains__
        for path in [path for path in paths if not known(path)]:
            digest.update(f"{path}\0{_hashed(root, path, hashed)}\0".encode("utf-8", "surrogateescape"))
        return digest.hexdigest()
    digest = hashlib.sha1(f"{fingerprint()}\0{len(paths)}\0{chr(0).join(extra)}\0".encode())
    known = blobs.get
    digest.update("\0".join(paths).encode("utf-8", "surrogateescape"))
    digest.update("\0".join([known(path) or _hashed(root, path, hashed) for path in paths]).encode())
    return digest.hexdigest()


def _hashed(root: Path, path: str, hashed: dict[str, str]) -> str:
    try:
        blob = blob_id(yamlio.read_bounded(root / path))
    except OSError:
        blob = "unreadable"
    hashed[path] = blob
    return blob


def _memo_path(root: Path, name: str) -> Path | None:
    store = cache_store(root)
    return store.with_name(f"{name}.memo") if store is not None else None


ROWS_BATCH = 5000  # rows pickled at a time: the pickler's memo holds an entry for every object it wrote


def recall(root: Path, name: str, state: str, row: Callable[[Any], Any] | None = None) -> tuple[Any, list] | None:
    """(the answer, its rows) stored under `name` for exactly `state`, or None; `row` makes each row
    into what the caller keeps, batch by batch (the stored rows are let go as they are made)."""
    path = _memo_path(root, name)
    if path is None:
        return None
    with open_checked(path, MAGIC, state) as stream:
        try:
            if stream is None:
                return None
            answer, rows = pickle.load(stream), []
            while stream.left:
                rows += map(row, pickle.load(stream)) if row is not None else pickle.load(stream)
            return (answer, rows) if stream.whole() else None
        except Exception:  # noqa: BLE001 - damaged or from other code: compute again
            return None


def remember(root: Path, name: str, state: str, answer: Any, rows: Iterable[Any] = ()) -> None:
    """Store `answer` and `rows` (a long list that goes with it, pickled in batches so that pickling a
    hundred thousand rows costs no memo of every object in them) for `state`, replacing the previous
    one; a memo that cannot be written is not there."""
    path = _memo_path(root, name)
    if path is None:
        return
    rows, spool = iter(rows), Spool()  # the pickled batches wait on disk, not in memory, for the header
    try:
        spool.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
        while batch := list(itertools.islice(rows, ROWS_BATCH)):
            spool.write(pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL))
        write_checked(path, MAGIC, state, spool)
    except Exception:  # noqa: BLE001 - an answer that does not pickle, a read-only .git: not remembered
        pass
    finally:
        spool.close()
