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

from dataclasses import replace
from pathlib import Path
from typing import Iterator, NamedTuple

from ..model.facts import Decoder, ItemFacts, summary_of
from ..model.findings import Finding
from ..model.where import extra_keys
from .cache import (
    DIGEST,
    cache_store,
    digests_of,
    fingerprint,
    item_summaries,
    keep_marshalled,
    kept_marshalled,
    scan_listed,
)
from .load import RECIPE, Snapshot, note_skipped, broken_kinds, load_repository
from .memo import recall, remember, state_of
from .repo import split_items

FILES_NAME = "view-files.marshal"
FILES_MAGIC = "gongkai-view-files/3"
FEW = 1000  # at most this many changed item files are read one by one; more are summarised in bulk


class Files(NamedTuple):
    """What a view was made from: its state; each item file's path, blob (the binary ids one after
    another, DIGEST bytes each: a few bytes a file, not a string) and number of items, in the view's
    order; the other data files' {path: blob}; the paths leading outside."""

    state: str
    paths: list[str]
    digests: bytes
    counts: list[int]
    others: dict[str, str]
    escaping: list[str]


class Built(NamedTuple):
    snapshot: Snapshot
    findings: list[Finding]
    digests: bytes  # of the blob each item file was read as (Files.digests)
    counts: list[int]


def load_view(root: Path) -> tuple[Snapshot, list[Finding]]:
    """The view of the working tree at `root`, with the findings of reading it."""
    (files, escaping), blobs, listing = scan_listed(root)
    items, others = split_items(files)
    if blobs is None:  # outside git: every file is read
        built = _built(root, items, [*escaping, *others], {}, None)
        return built.snapshot, built.findings
    hashed: dict[str, str] = {}
    state = state_of(root, files, blobs, "view", *escaping, hashed=hashed, listing=listing)
    remembered = recall(root, "view", state, _facts)
    if remembered is not None:
        return _snapshot(root, state, len(files), *remembered)
    others_now = {path: blobs.get(path) or hashed[path] for path in others}
    clean_others = {path: blobs[path] for path in others if path in blobs}
    now = digests_of([blobs.get(path) or hashed[path] for path in items])
    del files, blobs, listing, hashed  # 300,000 names and ids: the digests say as much
    built = _updated(root, Files(state, [], now, [], others_now, escaping), items, others)
    if built is None:
        built = _built(root, items, [*escaping, *others], clean_others, now)
        _keep_files(root, Files(state, items, built.digests, built.counts, others_now, escaping))
    del now
    snapshot = built.snapshot
    snapshot.state = state
    remember(root, "view", state, (snapshot.config, snapshot.units, snapshot.categories, snapshot.rules,
                                   built.findings, snapshot.skipped, snapshot.reports), map(_row, snapshot.items))
    return snapshot, built.findings


def _row(item: ItemFacts) -> tuple:
    """An item's facts as the view memo keeps them: the title as UTF-8 bytes (pickling the text itself
    would leave its UTF-8 copy cached in every title string: 18 MB at 300,000 items)."""
    return (item[0], item[1].encode(), *item[2:])


def _facts(row: tuple) -> ItemFacts:
    return ItemFacts(row[0], row[1].decode(), *row[2:])


def _snapshot(root: Path, state: str, files: int, answer: tuple, items: list) -> tuple[Snapshot, list[Finding]]:
    """A remembered view as a Snapshot, with its findings."""
    config, units, categories, rules, findings, skipped, reports = answer
    return Snapshot(root, config, units, categories, rules, items, reports=reports, files=files, state=state,
                    skipped=skipped, broken=broken_kinds(skipped)), findings


def _built(root: Path, items: list[str], others: list[str], blobs: dict[str, str], digests: bytes | None) -> Built:
    """The view made from the catalog, the rules (`blobs`: the clean ids of those files, as
    cache.records takes them) and every item file's summary (`digests`: of each one's blob, as
    cache.item_summaries takes them)."""
    snapshot, findings = load_repository(root, others, blobs=blobs)
    made = item_facts(root, items, digests, Decoder(wanted=extra_keys(snapshot.rules)))
    counts = []
    for index, path in enumerate(items):
        counts.append(_add(snapshot, path, made.taken(index), made.findings.pop(index, []), findings))
    snapshot.files = len(items) + len(others)
    return Built(snapshot, findings, made.digests, counts)


class Made(NamedTuple):
    """What the item files gave, in their order: each one's facts (an ItemFacts for a file of one
    item, the most: not a list of one, 80 bytes a file), the findings of those with any, and the
    digests of the blobs they were read as."""

    facts: list[ItemFacts | list[ItemFacts]]
    findings: dict[int, list[Finding]]
    digests: bytes

    def taken(self, index: int) -> list[ItemFacts]:
        """The facts of the file at `index`, let go of here."""
        facts, self.facts[index] = self.facts[index], None
        return [facts] if type(facts) is ItemFacts else facts


def item_facts(root: Path, items: list[str], digests: bytes | None, decoder: Decoder) -> Made:
    """What the item files at `items` give (`digests`: as cache.item_summaries takes them), each
    summary decoded as it comes and let go."""
    made = Made([None] * len(items), {}, bytearray(digests or bytes(DIGEST * len(items))))
    for index, blob, summary in item_summaries(root, items, RECIPE, digests):
        try:
            facts, found = decoder.facts(summary), decoder.findings(summary) if summary[1] else []
        except Exception:  # noqa: BLE001 - a summary that does not read back: read the file
            blob, facts, found = _read(root, items[index], decoder)
        made.facts[index] = facts[0] if len(facts) == 1 else facts
        if found:
            made.findings[index] = found
        if blob is not None:
            made.digests[DIGEST * index:DIGEST * (index + 1)] = digests_of([blob])
    return made._replace(digests=bytes(made.digests))


def _summarised(root: Path, path: str) -> tuple[str, tuple, list[Finding]]:
    """(the blob read, the summary, the findings) of one item file, read and loaded here."""
    blob, loaded = RECIPE.read_and_build(root, path)
    return blob or "unreadable", summary_of(loaded), loaded.findings


def _read(root: Path, path: str, decoder: Decoder) -> tuple[str, list[ItemFacts], list[Finding]]:
    """(the blob read, the facts, the findings) of one item file, read and loaded here."""
    blob, summary, found = _summarised(root, path)
    return blob, decoder.facts(summary), found


def _add(snapshot: Snapshot, path: str, facts: list[ItemFacts], found: list[Finding], findings: list[Finding]) -> int:
    """Put one item file's facts and findings into the view; how many items it gave."""
    snapshot.items += facts
    # a summary is stored by content: the file it was made from may have had another name
    found = [finding if finding.path == path else replace(finding, path=path) for finding in found]
    note_skipped(snapshot, path, found, read=bool(facts))
    findings += found
    return len(facts)


def _updated(root: Path, now: Files, items: list[str], others: list[str]) -> Built | None:
    """The last view with the item files changed since read anew (`now`: the state, the digests of
    the item files' blobs, the other files' blobs and the paths leading outside, as they are now);
    None when there is no last view to start from, another file changed, or too many item files did.
    What the new view is made from is kept before the last view is read (so that writing it costs no
    memory beside the view)."""
    last = _last_files(root)
    if last is None or last.escaping != now.escaping or last.others != now.others:
        return None
    state, counts, was = last.state, last.counts, last.digests
    last_paths = items if last.paths == items else last.paths
    del last
    if len(last_paths) != len(counts) or len(was) != DIGEST * len(counts):
        return None
    made = [span and span[1] - span[0] for span in _spans(last_paths, counts, was, items, now.digests)]
    fresh = [index for index, count in enumerate(made) if count is None]
    if len(fresh) > FEW:
        return None
    read = {index: _summarised(root, items[index]) for index in fresh}
    digests = bytearray(now.digests)
    for index, (blob, summary, _) in read.items():
        digests[DIGEST * index:DIGEST * (index + 1)] = digests_of([blob])
        made[index] = len(summary[0])
    _keep_files(root, now._replace(paths=items, digests=bytes(digests), counts=made))
    remembered = recall(root, "view", state, _facts)
    if remembered is None or len(remembered[1]) != sum(counts):
        return None
    (config, units, categories, rules, last_findings, skipped, reports), rows = remembered
    item_paths = set(last_paths) if last_findings or skipped else set()
    by_path: dict[str, list[Finding]] = {}
    findings = []
    for finding in last_findings:
        (by_path.setdefault(finding.path, []) if finding.path in item_paths else findings).append(finding)
    snapshot = Snapshot(root, config, units, categories, rules, reports=reports, files=len(items) + len(others),
                        skipped={path: why for path, why in skipped.items() if path not in item_paths})
    decoder = Decoder(wanted=extra_keys(rules))
    for index, (path, span) in enumerate(zip(items, _spans(last_paths, counts, was, items, now.digests))):
        if span is not None:
            facts, found = rows[span[0]:span[1]], by_path.get(path, [])
        else:
            _, summary, found = read[index]
            facts = decoder.facts(summary)
        _add(snapshot, path, facts, found, findings)
    snapshot.broken = broken_kinds(snapshot.skipped)
    return Built(snapshot, findings, bytes(digests), made)


def _spans(last_paths: list[str], counts: list[int], was: bytes, items: list[str],
           now: bytes) -> Iterator[tuple[int, int] | None]:
    """For each item file, the span of the last view's rows it gave when unchanged since (the last
    view's files, their item counts and digests beside the files and digests now); None when it
    changed or is new. Both lists of paths are in scan's sorted order, so one walk pairs them (a
    pair missed would only be read again)."""
    start, at = 0, 0
    for index, path in enumerate(items):
        while at < len(last_paths) and last_paths[at] < path:
            start, at = start + counts[at], at + 1
        if at < len(last_paths) and last_paths[at] == path:
            end = start + counts[at]
            same = now[DIGEST * index:DIGEST * (index + 1)] == was[DIGEST * at:DIGEST * (at + 1)]
            yield (start, end) if same else None
            start, at = end, at + 1
        else:
            yield None


def _last_files(root: Path) -> Files | None:
    path = _files_path(root)
    try:
        files = Files(*kept_marshalled(path, FILES_MAGIC, fingerprint())) if path is not None else None
    except Exception:  # noqa: BLE001 - none, or damaged: build anew
        return None
    shapes = (str, list, bytes, list, dict, list)
    sound = files is not None and all(map(isinstance, files, shapes))
    return files if sound and all(type(path) is str for path in files.paths) else None


def _keep_files(root: Path, files: Files) -> None:
    path = _files_path(root)
    if path is not None:
        keep_marshalled(path, FILES_MAGIC, fingerprint(), tuple(files))


def _files_path(root: Path) -> Path | None:
    store = cache_store(root)
    return store.with_name(FILES_NAME) if store is not None else None
