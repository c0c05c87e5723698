"""`check` of the whole working tree from per-file summaries: an edit costs the files it touches.

What checking one item file finds (reading it, and every check of check.ITEM_CHECKS) depends only on
its bytes, its path, the context (gongkai.yaml, the catalog, the rules, the reports) and this code.
So it is kept per file, keyed by path and blob id, in .git/gongkai-cache/checks.marshal (journal.py)
under a stamp of the context and the code, with the few values the checks across items read (id,
index_no, of, evidence). Each run also leaves the next every file's summary as columns (Rows, in
rows.marshal): a run loads the context, takes the rows whose file has the blob it had, looks the
others up in the store when there are more than a few, checks only the files neither knows (on
every core when there are many, each worker sending back summaries, never models) and runs the
context and across-item checks over the rows: untouched files are neither read nor unpickled, and
one edit appends one entry.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
from bisect import bisect_left
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from functools import partial
from itertools import compress, count, repeat
from operator import is_not, ne
from pathlib import Path
from typing import Any, Iterator, NamedTuple, Sequence

from ..load import progress
from ..load.cache import (
    PARALLEL_FROM,
    Spool,
    add_summary_frames,
    cache_store,
    dict_piece,
    digests_of,
    fingerprint,
    keep_marshalled,
    kept_marshalled,
    record_key,
    stamp_of,
    summary_frame,
)
from ..load.journal import Journal, add, append, logged, open_journal, save, save_pieces
from ..load.load import (
    RECIPE,
    Loaded,
    Snapshot,
    Source,
    load_records,
    note_unread,
    reader,
)
from ..load.repo import split_items
from ..load.view import item_facts
from ..model.facts import Decoder
from ..model.findings import Finding
from .check import ACROSS_CHECKS, CONTEXT_CHECKS, ITEM_CHECKS, run_checks
from .reports_check import check_report_files

STORE = "checks.marshal"
CHUNK = 500

Summary = tuple  # (findings pickled or b"", broken, id, index_no, of, evidence) of one item file


class ItemKeys(NamedTuple):
    """What the checks across items read of an item (the same names as Item's fields), and its file."""

    path: str
    id: str
    index_no: str | None
    of: str | None
    evidence: tuple


class KeysSnapshot(Snapshot):
    """A snapshot whose items are ItemKeys (KeyRows): each knows its own file."""

    def source(self, obj: Any) -> Source:
        return Source(obj.path) if type(obj) is ItemKeys else super().source(obj)

    def item_values(self, name: str) -> list:
        items = self.items
        return items.column(name) if isinstance(items, KeyRows) else super().item_values(name)


def check_tree(root: Path, files: list[str], unread: list[str],
               blobs: dict[str, str]) -> tuple[list[Finding], Snapshot, dict[str, str]]:
    """The findings of every file (`files`, `unread`: repo.scan(root); `blobs`: cache.clean_blobs),
    the snapshot the across-item checks ran on (its items are ItemKeys) and the blob id of each file
    read that `blobs` does not give ("unreadable" for one that could not be, as memo.state_of names it)."""
    items, context_files = split_items(files)
    context, stamp, read = _context(root, context_files, unread)
    snapshot, findings = load_records(context, root=root, read=reader(root), files=len(files))
    snapshot = KeysSnapshot(**{name: getattr(snapshot, name) for name in Snapshot.__dataclass_fields__})
    findings = note_unread(root, snapshot, unread) + findings
    store = cache_store(root)
    last, logged_rows = _last_rows(store, stamp)
    rows, stale = _carried(last, items, list(map(blobs.get, items)))
    del last
    many = store is not None and len(stale) * SHARE > len(items)
    journal = open_journal(store.with_name(STORE), stamp) if many else None
    changed = stale  # those filled from the store too: the rows the next run is left
    if journal is not None:
        stale = _from_journal(rows, stale, journal.entries, blobs)
    pieces, new, positions = Pieces(Spool(), Spool()), {}, iter(stale)
    for checked, elsewhere in _check_files(root, [items[at] for at in stale], context, unread, pieces):
        findings += elsewhere
        for (path, blob, summary), at in zip(checked, positions):  # checked first: zip takes no position past it
            listed = blobs.get(path)
            if blob != listed:
                read[path] = blob or "unreadable"
            _put(rows, at, listed if blob == listed else blob, summary)  # the listing's string: not a copy of it
            if blob and not pieces.checks.written:  # checked here, not by worker processes sending pieces
                new[path] = (blob, summary)
    if store is not None:
        _store(store, stamp, journal, new, len(stale), pieces, items)
        _keep_rows(store, stamp, rows, changed, logged_rows, rows.paths is items)
    pieces.checks.close()
    pieces.views.close()
    del pieces, journal  # stored: the entries go before the across-item checks run
    for found in rows.found.values():
        findings += pickle.loads(found)
    if rows.broken:
        snapshot.broken.add("item")
    snapshot.items = KeyRows(rows)
    findings += run_checks(snapshot, CONTEXT_CHECKS + ACROSS_CHECKS)
    findings += run_checks(_with_facts(root, snapshot, items, blobs), [check_report_files])
    return findings, snapshot, read


# The item files' summaries as the last run left them ------------------------------------

ROWS_FILE = "rows.marshal"
ROWS_MAGIC = "gongkai-rows/1"  # to be raised with any change to what a row's id, index_no or of mean:
# check --since reads rows under any stamp (kept_rows)
SHARE = 1000  # opening the store costs about what checking one file in this many does


class Rows(NamedTuple):
    """Every item file's summary as columns, one row a file in the order of `paths`: what a run
    leaves the next (ROWS_FILE), so that an edit costs its own rows, not a loop over every file."""

    paths: list[str]
    blobs: list[str]  # the blob each row was made from; "" for none (an unreadable file)
    ids: list[str | None]  # None: the file holds no item
    index_nos: list[str | None]
    ofs: list[str | None]
    evidence: list[tuple]
    found: dict[str, bytes]  # {path: its findings pickled} of the files with any
    broken: set[str]  # the files that do not read as an item


ROWS_LOG = ROWS_FILE + ".log"
LOGGED_ROWS = 1000  # rows changed since the rows were written whole, appended beside them (journal.append)


def _last_rows(store: Path | None, stamp: str) -> tuple[Rows | None, int]:
    """The rows the last run left (None when there are none under `stamp`), with the rows changed
    since appended to them, and how many those were."""
    kept = kept_marshalled(store.with_name(ROWS_FILE), ROWS_MAGIC, stamp) if store is not None else None
    try:
        rows = Rows(*kept)
    except Exception:  # noqa: BLE001 - none, or damaged: every row is made anew
        return None, 0
    columns = rows[:6]
    sound = all(type(column) is list and len(column) == len(rows.paths) for column in columns)
    if not (sound and type(rows.found) is dict and type(rows.broken) is set):
        return None, 0
    batches, _ = logged(store.with_name(ROWS_LOG), stamp)
    try:
        for batch in batches:
            for path, (blob, summary) in batch.items():
                at = bisect_left(rows.paths, path)
                if at < len(rows.paths) and rows.paths[at] == path:  # a row is true of its blob: any order will do
                    _put(rows, at, blob, summary)
    except Exception:  # noqa: BLE001 - damaged: every row is made anew
        return None, 0
    return rows, sum(map(len, batches))


def kept_rows(root: Path) -> Rows | None:
    """The rows the last full check left, whatever its stamp: what a row says of its file's item (the
    id, 索引号, `of` and evidence, with the blob id they were read from) depends on the file alone."""
    store = cache_store(root)
    stamp = stamp_of(store.with_name(ROWS_FILE), ROWS_MAGIC) if store is not None else None
    return _last_rows(store, stamp)[0] if stamp is not None else None


def _keep_rows(store: Path, stamp: str, rows: Rows, changed: list[int], logged_rows: int, anew: bool) -> None:
    """Leave the next run the rows: the `changed` ones appended beside the last rows written whole
    (which `logged_rows` already were) while few; written whole when many, or made `anew`."""
    if not changed and not anew:
        return
    log = store.with_name(ROWS_LOG)
    if anew or logged_rows + len(changed) > LOGGED_ROWS:
        keep_marshalled(store.with_name(ROWS_FILE), ROWS_MAGIC, stamp, tuple(rows))
        log.unlink(missing_ok=True)
        return
    append(log, stamp, {rows.paths[at]: (rows.blobs[at], _summary(rows, at)) for at in changed})


def _summary(rows: Rows, at: int) -> Summary:
    """The summary of the file at row `at`, as _put takes it."""
    path = rows.paths[at]
    return (rows.found.get(path, b""), path in rows.broken, rows.ids[at], rows.index_nos[at], rows.ofs[at],
            rows.evidence[at])


def _carried(last: Rows | None, items: list[str], now: list[str | None]) -> tuple[Rows, list[int]]:
    """Rows for `items` holding what `last` knew of each path, and the positions of the rows to make
    anew: those whose file is not clean (`now`: each file's clean blob or None) or not as it was."""
    if last is None:
        empty = len(items)
        last = Rows(items, [""] * empty, [None] * empty, [None] * empty, [None] * empty, [()] * empty, {}, set())
    elif last.paths != items:  # files added or removed: each row is looked up by its path
        position = dict(zip(last.paths, range(len(last.paths))))
        where = [position.get(path, -1) for path in items]  # -1: the default put last in each column
        padded = [column + [default] for column, default in zip(last[1:6], ("", None, None, None, ()))]
        columns = [[column[at] for at in where] for column in padded]
        kept = set(items)
        last = Rows(items, *columns, {path: found for path, found in last.found.items() if path in kept},
                    last.broken & kept)
    return last, list(compress(count(), map(ne, now, last.blobs)))


def _put(rows: Rows, at: int, blob: str | None, summary: Summary) -> None:
    found, broken, rows.ids[at], rows.index_nos[at], rows.ofs[at], evidence = summary
    rows.evidence[at] = evidence if type(evidence) is tuple else tuple(evidence)
    rows.blobs[at] = blob or ""
    path = rows.paths[at]
    if found:
        rows.found[path] = found
    else:
        rows.found.pop(path, None)
    (rows.broken.add if broken is True else rows.broken.discard)(path)


def _from_journal(rows: Rows, stale: list[int], entries: dict[str, Any], blobs: dict[str, str]) -> list[int]:
    """The rows of `stale` whose clean blob the store has an entry for filled in from it; the rest."""
    left = []
    for at in stale:
        path = rows.paths[at]
        entry = entries.get(path)
        if not (type(entry) is tuple and len(entry) == 2 and entry[0] == blobs.get(path) and _sound(entry[1])):
            left.append(at)
            continue
        _put(rows, at, *entry)
    return left


def _sound(summary: Summary) -> bool:
    """Whether an entry reads back (not damaged, nor from other code): else its file is checked again."""
    try:
        found, broken, id_, index_no, of, evidence = summary
        if found:
            pickle.loads(found)
        return all(value is None or type(value) is str for value in (id_, index_no, of)) and \
            isinstance(evidence, (tuple, list))
    except Exception:  # noqa: BLE001 - any damage at all
        return False


# Rows' fields by ItemKeys' names
COLUMNS = dict(zip(ItemKeys._fields, ("paths", "ids", "index_nos", "ofs", "evidence")))


class KeyRows(Sequence):
    """The items of the rows (those whose file holds one) as ItemKeys, each made only when asked
    for: the checks across items read whole columns (`column`), not a hundred thousand keys."""

    def __init__(self, rows: Rows) -> None:
        self.rows = rows
        self.where = list(compress(count(), map(is_not, rows.ids, repeat(None)))) if None in rows.ids else None

    def __len__(self) -> int:
        return len(self.rows.paths) if self.where is None else len(self.where)

    def __getitem__(self, index: int) -> ItemKeys:
        at = index if self.where is None else self.where[index]
        return ItemKeys(*(getattr(self.rows, column)[at] for column in COLUMNS.values()))

    def __iter__(self) -> Iterator[ItemKeys]:
        # tuple.__new__: a NamedTuple's own constructor is Python code, run a hundred thousand times here
        return map(partial(tuple.__new__, ItemKeys), zip(*map(self.column, ItemKeys._fields)))

    def column(self, name: str) -> list:
        """Each item's field `name` (one of ItemKeys'), in order."""
        column = getattr(self.rows, COLUMNS[name])
        return column if self.where is None else [column[at] for at in self.where]


def _store(store: Path, stamp: str, journal: Journal | None, new: dict[str, tuple], count: int, pieces: Pieces,
           items: list[str]) -> None:
    """The entries of the `count` files checked added to the store: `new` when this process checked
    them, else as worker processes sent them (`pieces`, with the views' summaries for theirs);
    `items`: the files of this run, kept when the store is rewritten."""
    if pieces.checks.written:
        save_pieces(journal or open_journal(store.with_name(STORE), stamp), pieces.checks, count, items)
        add_summary_frames(store, pieces.views, count)  # a cold check leaves overdue, due and audit the view
        return
    if journal is not None:
        save(journal, new, items)
    elif new:
        add(store.with_name(STORE), stamp, new, items)


def _context(root: Path, paths: list[str], unread: list[str]) -> tuple[dict[str, Loaded], str, dict[str, str]]:
    """The context files loaded, and the stamp of what an item's checks depend on: the code, the
    context's bytes as they were read and the paths not read (an unread catalog breaks references)."""
    digest = hashlib.sha1(f"{fingerprint()}\0{chr(0).join(unread)}\0".encode())
    loaded, read = {}, {}
    for path in paths:
        blob, record = RECIPE.read_and_build(root, path)
        loaded[path], read[path] = RECIPE.tidy(record), blob or "unreadable"
        digest.update(f"{path}\0{read[path]}\0".encode())
    return loaded, digest.hexdigest(), read


def _with_facts(root: Path, snapshot: Snapshot, items: list[str], blobs: dict[str, str]) -> Snapshot:
    """The snapshot with every item's facts in place of its keys when a report states cells (which
    check_report_files compares with what the items give); otherwise as it is."""
    if not any(figures.cells for figures in snapshot.reports):
        return snapshot
    made = item_facts(root, items, digests_of([blobs.get(path, "") for path in items]), Decoder())
    return replace(snapshot, items=[fact for index in range(len(items)) for fact in made.taken(index)])


# Checking the files the store does not know ----------------------------------------------

_CONTEXT: dict[str, Any] = {}  # in a worker process: the root and the context's records


class Pieces(NamedTuple):
    """What worker processes marshalled, one piece a chunk, kept on disk as it comes: the check
    summaries ({path: (blob, summary)} as cache.dict_piece) and the view's summaries ({record key:
    RECIPE.summarise} as cache.summary_frame). Empty when the files were checked in this process:
    those few are stored by journal.save."""

    checks: Spool
    views: Spool


Row = tuple  # (path, blob id or "" for an unreadable file, summary)


def _start(root: Path, context: dict[str, Loaded], unread: list[str], pieces: bool) -> None:
    _CONTEXT.update(root=root, context=context, unread=unread, pieces=pieces)


def _start_worker(root: Path, context: dict[str, Loaded], unread: list[str]) -> None:
    # A worker's objects live for one chunk and form no cycles: collecting costs, and would touch
    # (so copy) every page it shares with the parent.
    gc.disable()
    _start(root, context, unread, True)


def _check_chunk(paths: list[str]) -> tuple[list[Row], bytes, bytes, list[Finding]]:
    """The rows of `paths`, their check summaries and view's summaries as pieces (when run in a
    worker), and the findings that belong to no one file (a check that crashed): never stored."""
    root, context = _CONTEXT["root"], _CONTEXT["context"]
    blobs, loaded = {}, dict(context)
    for path in paths:
        blobs[path], loaded[path] = RECIPE.read_and_build(root, path)
    snapshot, _ = load_records(loaded, root=root, read=reader(root))
    note_unread(root, snapshot, _CONTEXT["unread"])
    by_path: dict[str, list[Finding]] = {path: list(loaded[path].findings) for path in paths}
    elsewhere = []
    for finding in run_checks(snapshot, ITEM_CHECKS):
        by_path.get(finding.path, elsewhere).append(finding)
    rows = []
    for path in paths:
        record = loaded[path]
        item = record.objects[0][0] if record.objects else None
        found = by_path[path]
        rows.append((path, blobs[path] or "", (
            pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL) if found else b"", record.broken,
            *((item.id, item.index_no, item.of, tuple(item.evidence)) if item is not None else (None, None, None, ())),
        )))
    if not _CONTEXT["pieces"]:
        return rows, b"", b"", elsewhere
    stored = [(path, blob, summary) for path, blob, summary in rows if blob]
    return rows, dict_piece({path: (blob, summary) for path, blob, summary in stored}), summary_frame(
        {record_key(path, blob): RECIPE.summarise(loaded[path]) for path, blob, _ in stored}), elsewhere


def _check_files(root: Path, paths: list[str], context: dict[str, Loaded], unread: list[str],
                 pieces: Pieces) -> Iterator[tuple[list[Row], list[Finding]]]:
    """(the rows, the findings of no one file) of each chunk of `paths` in turn, as soon as it is
    checked (what worker processes marshalled put in `pieces` first)."""
    chunks = [paths[start:start + CHUNK] for start in range(0, len(paths), CHUNK)]
    workers = min(os.cpu_count() or 1, 8)
    with progress.bar(len(paths)) as advance, contextlib.ExitStack() as stack:
        if len(paths) < PARALLEL_FROM or workers < 2:
            _start(root, context, unread, False)
            results = map(_check_chunk, chunks)
        else:
            gc.freeze()  # the parent's objects out of the collector's reach: a forked worker never writes to their pages
            pool = stack.enter_context(ProcessPoolExecutor(
                max_workers=workers, initializer=_start_worker, initargs=(root, context, unread)))
            results = pool.map(_check_chunk, chunks)
        for rows, checks, views, elsewhere in results:
            if checks:
                pieces.checks.write(checks)
                pieces.views.write(views)
            advance(len(rows))
            yield rows, elsewhere
