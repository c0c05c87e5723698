"""The working tree as scheduling and reports read it: the view.

gongkai.yaml, the catalog and the rules as models, each item as its ItemFacts (from the cache's
summaries: no item model is built). The whole view is remembered under the working tree's state
(memo.py), and beside it which blob each item file had and how many items it gave (FILES_NAME).
After an edit the next view takes the last one's items of every unchanged item file and reads only
the changed files: one edit costs one file, not every summary in the repository. A change to any
other file (the config, the catalog, a rule) builds the view anew. A view has no sources: its
findings are to count, not to locate anew.
"""

from __future__ import annotations

import bisect
import itertools
import marshal
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, NamedTuple

from ..model.facts import Decoder, ItemFacts, summary_of
from ..model.findings import Finding
from ..model.where import extra_keys
from .cache import cache_store, fingerprint, read_checked, scan_listed, summaries, write_checked
from .load import RECIPE, Snapshot, note_skipped, broken_kinds, load_repository
from .memo import recall, remember, state_of

FILES_NAME = "view-files.marshal"
FILES_MAGIC = "gongkai-view-files/1"
ITEMS, AFTER_ITEMS = "items/", "items0"  # "0" sorts just after "/"
FEW = 1000  # at most this many changed item files are read one by one; more are summarised in bulk


class Files(NamedTuple):
    """What a view was made from: its state, each item file's path, blob and number of items (in the
    view's order), the other data files' {path: blob}, and the paths leading outside."""

    state: str
    paths: list[str]
    blobs: list[str]
    counts: list[int]
    others: dict[str, str]
    escaping: list[str]


class Built(NamedTuple):
    snapshot: Snapshot
    findings: list[Finding]
    paths: list[str]
    blobs: list[str]
    counts: list[int]


def load_view(root: Path) -> tuple[Snapshot, list[Finding]]:
    """The view of the working tree at `root`, with the findings of reading it."""
    (files, escaping), blobs, listing = scan_listed(root)
    items, others = _split(files)
    if blobs is None:  # outside git: every file is read
        built = _built(root, items, [*escaping, *others], {}, lambda path: "")
        return built.snapshot, built.findings
    hashed: dict[str, str] = {}
    state = state_of(root, files, blobs, "view", *escaping, hashed=hashed, listing=listing)
    remembered = recall(root, "view", state, ItemFacts._make)
    if remembered is not None:
        return _snapshot(root, state, len(files), *remembered)

    def blob_of(path: str) -> str:
        return blobs.get(path) or hashed[path]

    built = _updated(root, items, others, escaping, blob_of) or _built(root, items, [*escaping, *others], blobs, blob_of)
    snapshot = built.snapshot
    snapshot.state = state
    remember(root, "view", state, (snapshot.config, snapshot.units, snapshot.categories, snapshot.rules,
                                   built.findings, snapshot.skipped, snapshot.reports), map(tuple, snapshot.items))
    _keep_files(root, Files(state, built.paths, built.blobs, built.counts,
                            {path: blob_of(path) for path in others}, escaping))
    return snapshot, built.findings


def _split(files: list[str]) -> tuple[list[str], list[str]]:
    """(the item files, the other data files) of scan's sorted list of data files, in which the item
    files are those under items/: one run, found by bisection (at 300,000 files, asking each path's
    kind took 0.6 s)."""
    first, end = bisect.bisect_left(files, ITEMS), bisect.bisect_left(files, AFTER_ITEMS)
    return files[first:end], files[:first] + files[end:]


def _snapshot(root: Path, state: str, files: int, answer: tuple, items: list) -> tuple[Snapshot, list[Finding]]:
    """A remembered view as a Snapshot, with its findings."""
    config, units, categories, rules, findings, skipped, reports = answer
    return Snapshot(root, config, units, categories, rules, items, reports=reports, files=files, state=state,
                    skipped=skipped, broken=broken_kinds(skipped)), findings


def _built(root: Path, items: list[str], others: list[str], blobs: dict[str, str],
           blob_of: Callable[[str], str]) -> Built:
    """The view made from the catalog, the rules and every item file's summary."""
    snapshot, findings = load_repository(root, others, blobs=blobs)
    decoder = Decoder(wanted=extra_keys(snapshot.rules))
    found_summaries = summaries(root, items, RECIPE, blobs)
    made_from, counts = [], []
    for path in items:
        summary = found_summaries.pop(path)  # let go once decoded: its facts take its place
        blob = blob_of(path)
        try:
            facts, found = decoder.facts(summary), decoder.findings(summary) if summary[1] else []
        except Exception:  # noqa: BLE001 - a summary that does not read back: read the file
            blob, facts, found = _read(root, path, decoder)
        made_from.append(blob)
        counts.append(_add(snapshot, path, facts, found, findings))
    snapshot.files = len(items) + len(others)
    return Built(snapshot, findings, items, made_from, counts)


def _read(root: Path, path: str, decoder: Decoder) -> tuple[str, list[ItemFacts], list[Finding]]:
    """(the blob read, the facts, the findings) of one item file, read and loaded here."""
    blob, loaded = RECIPE.read_and_build(root, path)
    return blob or "unreadable", decoder.facts(summary_of(loaded)), loaded.findings


def _add(snapshot: Snapshot, path: str, facts: list[ItemFacts], found: list[Finding], findings: list[Finding]) -> int:
    """Put one item file's facts and findings into the view; how many items it gave."""
    snapshot.items += facts
    # a summary is stored by content: the file it was made from may have had another name
    found = [finding if finding.path == path else replace(finding, path=path) for finding in found]
    note_skipped(snapshot, path, found, read=bool(facts))
    findings += found
    return len(facts)


def _updated(root: Path, items: list[str], others: list[str], escaping: list[str],
             blob_of: Callable[[str], str]) -> Built | None:
    """The last view with the item files changed since read anew; None when there is no last view to
    start from, another file changed, or too many item files did."""
    last = _last_files(root)
    if last is None or last.escaping != escaping or last.others != {path: blob_of(path) for path in others}:
        return None
    blobs = list(map(blob_of, items))
    if sum(span is None for span in _spans(last, items, blobs)) > FEW:
        return None
    remembered = recall(root, "view", last.state, ItemFacts._make)
    if remembered is None or len(remembered[1]) != sum(last.counts):
        return None
    (config, units, categories, rules, last_findings, skipped, reports), rows = remembered
    item_paths = set(last.paths) if last_findings or skipped else set()
    by_path: dict[str, list[Finding]] = {}
    findings = []
    for finding in last_findings:
        (by_path.setdefault(finding.path, []) if finding.path in item_paths else findings).append(finding)
    snapshot = Snapshot(root, config, units, categories, rules, reports=reports, files=len(items) + len(others),
                        skipped={path: why for path, why in skipped.items() if path not in item_paths})
    decoder, made = Decoder(wanted=extra_keys(rules)), []
    for index, (path, span) in enumerate(zip(items, _spans(last, items, blobs))):
        if span is not None:
            facts, found = rows[span[0]:span[1]], by_path.get(path, [])
        else:
            blobs[index], facts, found = _read(root, path, decoder)
        made.append(_add(snapshot, path, facts, found, findings))
    snapshot.broken = broken_kinds(snapshot.skipped)
    return Built(snapshot, findings, items, blobs, made)


def _spans(last: Files, items: list[str], blobs: list[str]) -> Iterator[tuple[int, int] | None]:
    """For each item file, the span of the last view's rows it gave when unchanged since; None when it
    changed or is new."""
    bounds = list(itertools.accumulate(last.counts, initial=0))
    spans: Iterable[Any] = zip(last.blobs, bounds, bounds[1:])
    if last.paths != items:  # files added or removed: found by path (an edit in place lines them up)
        spans = map(dict(zip(last.paths, spans)).get, items)
    for was, blob in zip(spans, blobs):
        yield (was[1], was[2]) if was is not None and was[0] == blob else None


def _last_files(root: Path) -> Files | None:
    path = _files_path(root)
    body = read_checked(path, FILES_MAGIC, fingerprint()) if path is not None else None
    try:
        files = Files(*marshal.loads(body)) if body is not None else None
    except Exception:  # noqa: BLE001 - damaged: build anew
        return None
    return files if files is not None and len(files.paths) == len(files.blobs) == len(files.counts) else None


def _keep_files(root: Path, files: Files) -> None:
    path = _files_path(root)
    if path is None:
        return
    try:
        write_checked(path, FILES_MAGIC, fingerprint(), marshal.dumps(tuple(files), 2))
    except (OSError, ValueError):  # read-only .git, a full disk: the next view is built whole
        pass


def _files_path(root: Path) -> Path | None:
    store = cache_store(root)
    return store.with_name(FILES_NAME) if store is not None else None
