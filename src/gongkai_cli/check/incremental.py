"""`check` of the whole working tree from per-file summaries: an edit costs the files it touches.

What checking one item file finds (reading it, and every check of check.ITEM_CHECKS) depends only on
its bytes, its path, the context (gongkai.yaml, the catalog, the rules, the reports) and this code.
So it is kept per file, keyed by path and blob id, in .git/gongkai-cache/checks.marshal (journal.py)
under a stamp of the context and the code, with the few values the checks across items read (id,
index_no, of, evidence). A run loads the context, checks only the files the store does not know (on
every core when there are many, each worker sending back summaries, never models) and runs the
context and across-item checks over the summaries: untouched files are neither read nor unpickled,
and one edit appends one entry.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from ..load import progress
from ..load.cache import (
    PARALLEL_FROM,
    Spool,
    add_summary_pieces,
    cache_store,
    dict_piece,
    fingerprint,
    record_key,
    summaries,
)
from ..load.journal import open_journal, save, save_pieces
from ..load.load import (
    RECIPE,
    Loaded,
    Snapshot,
    Source,
    load_records,
    note_unread,
    reader,
)
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
    """A snapshot whose items are ItemKeys: each knows its own file."""

    def source(self, obj: Any) -> Source:
        return Source(obj.path) if type(obj) is ItemKeys else super().source(obj)


def check_tree(root: Path, files: list[str], unread: list[str],
               blobs: dict[str, str]) -> tuple[list[Finding], Snapshot, dict[str, str]]:
    """The findings of every file (`files`, `unread`: repo.scan(root); `blobs`: cache.clean_blobs),
    the snapshot the across-item checks ran on (its items are ItemKeys) and the blob id of each file
    read ("unreadable" for one that could not be, as memo.state_of names it)."""
    items, context_files = [], []
    for path in files:  # each of `files` has a kind: an item's is its folder's
        (items if path.startswith("items/") else context_files).append(path)
    context, stamp, read = _context(root, context_files, unread)
    snapshot, findings = load_records(context, root=root, read=reader(root), files=len(files))
    snapshot = KeysSnapshot(**{name: getattr(snapshot, name) for name in Snapshot.__dataclass_fields__})
    findings = note_unread(root, snapshot, unread) + findings
    store = cache_store(root)
    journal = open_journal(store.with_name(STORE), stamp) if store is not None else None
    known = journal.entries if journal is not None else {}
    opened = {}
    stored_entry, clean_blob = known.get, blobs.get
    for path in items:
        entry = stored_entry(path)
        if type(entry) is tuple and len(entry) == 2 and entry[0] == clean_blob(path) \
                and (summary := _opened(path, entry[1])) is not None:
            opened[path] = summary
    checked, pieces, unstored = _check_files(root, [path for path in items if path not in opened], context, unread)
    findings += unstored
    if journal is not None and pieces.checks:  # worker processes marshalled what is stored
        save_pieces(journal, pieces.checks, len(checked), opened)
        add_summary_pieces(store, pieces.views, len(checked))  # a cold check leaves overdue, due and audit the view
    elif journal is not None:
        save(journal, {path: (blob, summary) for path, blob, summary in checked if blob}, opened)
    pieces.views.close()
    del pieces, journal, known, stored_entry  # stored: the entries go before the across-item checks run
    opened.update((path, _opened(path, summary)) for path, _, summary in checked)
    broken = False
    for path in items:
        found, keys_of_item, file_broken = opened[path]
        findings += found
        broken = broken or file_broken
        if keys_of_item is not None:
            snapshot.items.append(keys_of_item)
    if broken:
        snapshot.broken.add("item")
    findings += run_checks(snapshot, CONTEXT_CHECKS + ACROSS_CHECKS)
    findings += run_checks(_with_facts(root, snapshot, items, blobs), [check_report_files])
    read.update((path, blob or "unreadable") for path, blob, _ in checked)
    return findings, snapshot, read


def _opened(path: str, summary: Summary) -> tuple[list[Finding], ItemKeys | None, bool] | None:
    """(findings, keys of the item or None, whether the file is broken) of a summary; None when it
    does not read back (damaged, or from other code): the file is checked again."""
    try:
        stored, broken, id_, index_no, of, evidence = summary
        found = pickle.loads(stored) if stored else _NONE
        if type(evidence) is not tuple:
            evidence = tuple(evidence)
        # tuple.__new__: a NamedTuple's own constructor is Python code, run a hundred thousand times here
        keys = tuple.__new__(ItemKeys, (path, id_, index_no, of, evidence)) if id_ is not None else None
        return found, keys, broken is True
    except Exception:  # noqa: BLE001 - any damage at all
        return None


_NONE: list = []  # the findings of a file without any (read only)


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
    decoder = Decoder()
    facts = [fact for summary in summaries(root, items, RECIPE, blobs).values() for fact in decoder.facts(summary)]
    return replace(snapshot, items=facts)


# Checking the files the store does not know ----------------------------------------------

_CONTEXT: dict[str, Any] = {}  # in a worker process: the root and the context's records


class Pieces(NamedTuple):
    """What worker processes marshalled (cache.dict_piece), one piece a chunk: the check summaries
    ({path: (blob, summary)}) and the view's summaries ({record key: RECIPE.summarise}, the larger:
    kept on disk as they come). Empty when the files were checked in this process: those few are
    stored by journal.save."""

    checks: list[bytes]
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
    return rows, dict_piece({path: (blob, summary) for path, blob, summary in stored}), dict_piece(
        {record_key(path, blob): RECIPE.summarise(loaded[path]) for path, blob, _ in stored}), elsewhere


def _check_files(root: Path, paths: list[str], context: dict[str, Loaded],
                 unread: list[str]) -> tuple[list[Row], Pieces, list[Finding]]:
    chunks = [paths[start:start + CHUNK] for start in range(0, len(paths), CHUNK)]
    workers = min(os.cpu_count() or 1, 8)
    rows: list[Row] = []
    pieces = Pieces([], Spool())
    elsewhere: list[Finding] = []
    with progress.bar(len(paths)) as advance, contextlib.ExitStack() as stack:
        if len(paths) < PARALLEL_FROM or workers < 2:
            _start(root, context, unread, False)
            results = map(_check_chunk, chunks)
        else:
            gc.freeze()  # the parent's objects out of the collector's reach: a forked worker never writes to their pages
            pool = stack.enter_context(ProcessPoolExecutor(
                max_workers=workers, initializer=_start_worker, initargs=(root, context, unread)))
            results = pool.map(_check_chunk, chunks)
        for chunk_rows, checks, views, chunk_elsewhere in results:
            rows += chunk_rows
            if checks:
                pieces.checks.append(checks)
                pieces.views.write(views)
            elsewhere += chunk_elsewhere
            advance(len(chunk_rows))
    return rows, pieces, elsewhere
