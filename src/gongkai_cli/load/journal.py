"""A keyed store of plain values that grows by appending: one changed file adds one entry.

The store is a base file (a marshalled dict, written whole by `cache.write_checked`) and a log beside
it (`<name>.log`) of appended batches, each framed with its length and checksum and stamped with what
its entries were made from. Reading applies the log to the base; a torn or foreign batch ends the log.
Entries are keyed by content, so any whole batch under the right stamp is true, whichever process
wrote it. The base is rewritten (and the log emptied) only when the log has grown large beside it,
the stamp changed, or most entries are stale.
"""

from __future__ import annotations

import io
import marshal
import os
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterable
from typing import Any

from .cache import NO_REFS, Part, dict_parts, dict_piece, framed, read_checked, unframed, write_checked

MAGIC = "gongkai-journal/1"
LOG_SHARE = 4  # the log is folded into the base once it is a quarter of the base's size
LOG_FLOOR = 1 << 16


@dataclass
class Journal:
    path: Path
    stamp: str
    entries: dict[str, Any] = field(default_factory=dict)
    base_size: int = 0  # 0: no base under this stamp
    log_size: int = 0

    @property
    def log(self) -> Path:
        return self.path.with_name(self.path.name + ".log")


def open_journal(path: Path, stamp: str) -> Journal:
    """The store at `path` as made under `stamp` (empty when missing, damaged or made otherwise)."""
    journal = Journal(path, stamp)
    body = read_checked(path, MAGIC, stamp)
    if body is not None:
        try:
            entries = marshal.loads(body)
        except Exception:  # noqa: BLE001 - damaged: start again
            entries = None
        if isinstance(entries, dict):
            journal.entries, journal.base_size = entries, len(body)
    batches, journal.log_size = logged(journal.log, stamp)
    for added in batches:
        journal.entries.update(added)
    return journal


def logged(log: Path, stamp: str) -> tuple[list[dict], int]:
    """The batches appended to `log` under `stamp`, in order, and the log's size."""
    try:
        data = log.read_bytes()
    except OSError:
        data = b""
    return list(_batches(data, stamp)), len(data)


def append(log: Path, stamp: str, entries: dict[str, Any]) -> None:
    """`entries` appended to `log` as one batch under `stamp`; left unwritten when it cannot be."""
    try:
        _append(log, marshal.dumps((stamp, entries), NO_REFS))
    except (OSError, ValueError):  # read-only .git, a full disk, a value marshal cannot hold
        pass


def _batches(data: bytes, stamp: str) -> Iterable[dict]:
    for body, _ in unframed(io.BytesIO(data).read):  # up to a torn one: a writer stopped midway
        try:
            found_stamp, added = marshal.loads(body)
        except Exception:  # noqa: BLE001
            return
        if found_stamp == stamp and isinstance(added, dict):
            yield added


def save(journal: Journal, new: dict[str, Any], used: Iterable[str]) -> None:
    """Add `new`; `used`: the keys this run read, kept when the base is rewritten (with older
    entries while there is room, so switching branches back finds them). Failing to write leaves
    the store as it was: it is only a cache."""
    used = list(used)
    body = marshal.dumps((journal.stamp, new)) if new else b""
    try:
        if _folding(journal, len(used), len(new), len(body)):
            kept = _kept(journal, used, len(new))
            kept.update(new)
            _write_base(journal, [marshal.dumps(kept, NO_REFS)])
        elif new:
            _append(journal.log, body)
    except (OSError, ValueError):  # read-only .git, a full disk, a value marshal cannot hold
        pass


def add(path: Path, stamp: str, new: dict[str, Any], used: Iterable[str]) -> None:
    """`save` for a run that did not open the store: `new` appended while the log has room beside the
    base (known from their sizes alone), else the store opened and saved."""
    body = marshal.dumps((stamp, new))
    try:
        base_size, log = path.stat().st_size, path.with_name(path.name + ".log")
        log_size = log.stat().st_size if log.exists() else 0
    except OSError:
        base_size = log_size = 0
    if base_size and not _log_full(base_size, log_size, len(body)):
        try:
            _append(log, body)
        except OSError:  # as in save
            pass
    else:
        save(open_journal(path, stamp), new, used)


def save_pieces(journal: Journal, pieces: Part, count: int, used: Iterable[str]) -> None:
    """Rewrite the base with `count` new entries given as pieces (cache.dict_piece, made by worker
    processes and never unmarshalled here) after the entries kept as `save` keeps them: a run that
    checked this many files folds the log in."""
    kept = _kept(journal, list(used), count)
    try:
        _write_base(journal, dict_parts([dict_piece(kept), pieces]))
    except (OSError, ValueError):  # as in save
        pass


def _folding(journal: Journal, used: int, adding: int, appending: int) -> bool:
    """Whether to rewrite the base: none yet, the log grown large beside it, or most entries stale."""
    stale = len(journal.entries) - used - adding
    return (not journal.base_size or _log_full(journal.base_size, journal.log_size, appending)
            or stale > max(1000, used + adding))


def _log_full(base_size: int, log_size: int, appending: int) -> bool:
    return log_size + appending > max(LOG_FLOOR, base_size // LOG_SHARE)


def _kept(journal: Journal, used: list[str], adding: int) -> dict[str, Any]:
    """The entries `used`, then older ones while there is room beside them and `adding` new ones."""
    entries = journal.entries
    kept = {key: entries[key] for key in used if key in entries}
    room = 2 * (len(used) + adding) + 1000 - adding
    for key, value in entries.items():
        if len(kept) >= room:
            break
        kept.setdefault(key, value)
    return kept


def _write_base(journal: Journal, parts: list[Part]) -> None:
    write_checked(journal.path, MAGIC, journal.stamp, *parts)
    journal.log.unlink(missing_ok=True)


def _append(path: Path, body: bytes) -> None:
    """`body` framed, in one write in append mode: batches of concurrent writers never interleave."""
    handle = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(handle, framed(body))
    finally:
        os.close(handle)
