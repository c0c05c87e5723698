"""`gongkai check --since REV`: what a pull request changed, what references it, and nothing else.

A full check validates every item; on a repository of 20,000 items that is most of the time.
Here only the changed files, the catalog and rules (always small), the files that reference a
changed thing and the files those reference are read. Which unchanged items reference what is
found with `git grep` and file names (an item lives at items/<year>/<unit>/<id>.yaml), or from the
rows the last full check left (each file's id, 索引号 and `of`, by blob id), never by validating
them.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from ..load import yamlio
from ..load.load import load_repository
from ..load.repo import MARKER, GitError, data_files, git, leaves
from ..model.findings import Finding
from ..model.models import SLUG, kind_of
from ..schedule.settings import today
from .changes import Changes, changed_entries, changes_since
from .check import run_checks
from .overdue_check import overdue_findings
from .ownership import ownership_findings

UNITS, CATEGORIES = "catalog/units.yaml", "catalog/categories.yaml"
ITEM_SUFFIXES = (".yaml", ".yml")


@dataclass
class Scope:
    checked: set[str]  # files whose findings are reported
    context: set[str] = field(default_factory=set)  # read only so that references resolve
    changed_items: set[str] = field(default_factory=set)  # ids
    changed_units: set[str] | None = field(default_factory=set)  # ids; None: all of them
    deleted_items: set[str] = field(default_factory=set)  # paths withdrawn by deletion


def check_since(root: Path, rev: str, fail_overdue: bool = False, actor: str | None = None) -> tuple[list[Finding], int]:
    """Findings of the pull request REV..working tree, and how many files were checked; `actor`: the
    pull request's author as the CI platform authenticated them (ownership_findings)."""
    changes = changes_since(root, rev)
    scope = plan(root, changes)
    snapshot, findings = load_repository(root, sorted(scope.checked | scope.context | catalog_files(root)))
    findings = [f for f in findings + run_checks(snapshot) if f.path in scope.checked]
    findings += deleted_item_findings(scope)
    findings += ownership_findings(root, rev, changes, snapshot, actor)
    findings += overdue_findings(snapshot, today(snapshot.config), scope.changed_items, scope.changed_units,
                                 "error" if fail_overdue else "warning")
    return findings, len(scope.checked)


def plan(root: Path, changes: Changes) -> Scope:
    """Which files to check, and which to read besides, for the changes since the base."""
    data = {path for path in changes.changed if kind_of(path)}
    item_paths = {path for path in data if kind_of(path) == "item"}
    gone = {path for path in changes.deleted if kind_of(path) == "item"}
    units = _changed_ids(root, changes, UNITS)
    categories = _union(_changed_ids(root, changes, CATEGORIES), _rule_bound_categories(root, changes))
    item_ids = {Path(path).stem for path in item_paths | gone} | {_value(root, path, "id") for path in item_paths}
    item_ids.discard(None)

    checked = set(data)
    if any(kind_of(path) in ("units", "categories", "rules") for path in data | changes.deleted):
        checked |= catalog_files(root) - {MARKER}  # the catalog and rules reference one another
    checked |= items_of_units(root, units)
    checked |= grep_items(root, "category", categories)
    checked |= files_of_ids(root, item_ids)
    checked |= referring_items(root, item_ids, {_value(root, path, "index_no") for path in item_paths})
    checked |= items_mentioning(root, {path for path in changes.changed | changes.deleted if not kind_of(path)})
    targets = {_value(root, path, "of") for path in checked if kind_of(path) == "item"} - {None}
    return Scope(
        checked=checked,
        context=files_of_ids(root, targets) - checked,
        changed_items={_value(root, path, "id") or Path(path).stem for path in item_paths},
        changed_units=units,
        deleted_items={path for path in gone if not files_of_ids(root, {Path(path).stem})},
    )


# What changed in the catalog and rules ---------------------------------------------------------


def _changed_ids(root: Path, changes: Changes, path: str) -> set[str] | None:
    """Ids of the changed entries of a catalog file; None for "all" (the file does not parse)."""
    if path not in changes.changed and path not in changes.deleted:
        return set()
    entries = changed_entries(root, changes.base, path)
    return None if entries is None else {str(entry.get("id")) for entry in entries}


def _rule_bound_categories(root: Path, changes: Changes) -> set[str] | None:
    """Categories whose items a changed rule judges: check_hours_rules and check_companions read rules."""
    found: set[str] = set()
    for path in sorted(changes.changed | changes.deleted):
        if kind_of(path) != "rules":
            continue
        entries = changed_entries(root, changes.base, path)
        if entries is None:
            return None
        for rule in entries:
            found |= _bound_categories(rule)
    return found


def _bound_categories(rule: dict) -> set[str]:
    within, companion = rule.get("within"), rule.get("companion")
    found = set()
    if isinstance(within, dict) and "hours" in within:
        category = rule.get("category")
        found |= set(category) if isinstance(category, list) else {category}
    if isinstance(companion, dict):
        found.add(companion.get("category"))
    return {str(value) for value in found if value is not None}


def _union(first: set[str] | None, second: set[str] | None) -> set[str] | None:
    return None if first is None or second is None else first | second


# Finding files without validating them ---------------------------------------------------------


def catalog_files(root: Path) -> set[str]:
    rules = {f"rules/{path.name}" for path in (root / "rules").glob("*") if kind_of(f"rules/{path.name}")}
    return {path for path in (MARKER, UNITS, CATEGORIES) if (root / path).is_file()} | rules


def _all_items(root: Path) -> set[str]:
    return {path for path in data_files(root) if kind_of(path) == "item"}


def _item_files(root: Path, pattern: str) -> set[str]:
    return {path.relative_to(root).as_posix() for path in (root / "items").glob(pattern)
            if path.is_file() and path.suffix in ITEM_SUFFIXES}


def items_of_units(root: Path, units: set[str] | None) -> set[str]:
    """Item files of the units (None: all), by the folder layout items/<year>/<unit>/."""
    if units is None:
        return _all_items(root)
    return {path for unit in units if re.fullmatch(SLUG, unit) for path in _item_files(root, f"*/{unit}/*")}


def files_of_ids(root: Path, ids: set[str]) -> set[str]:
    """Item files named <id>.yaml for any of `ids` (ids are unique, so the name is the index)."""
    names = [f"{item_id}{suffix}" for item_id in ids if re.fullmatch(SLUG, item_id) for suffix in ITEM_SUFFIXES]
    if not names:
        return set()
    return {f"items/{folder}/{name}" for folder in _unit_folders(root) for name in names
            if os.path.isfile(f"{root}/items/{folder}/{name}")}  # text, not pathlib: 1,200 paths at 600 folders


def _unit_folders(root: Path) -> list[str]:
    """`<year>/<unit>` of every folder two levels under items/ (where items are filed)."""
    return [f"{year.name}/{unit.name}" for year in _folders(root / "items") for unit in _folders(Path(year.path))]


def _folders(path: Path) -> list[os.DirEntry]:
    try:
        return [entry for entry in os.scandir(path) if entry.is_dir() and not entry.name.startswith(".")]
    except OSError:
        return []


def grep_items(root: Path, key: str, values: set[str] | None) -> set[str]:
    """Item files with a top-level `key` whose value is one of `values` (None: every item file)."""
    if values is None:
        return _all_items(root)
    slugs = {value for value in values if re.fullmatch(SLUG, value)}
    if not slugs:
        return set()
    return {path for path in _candidates(root, {key: slugs}) if _value(root, path, key) in slugs}


def referring_items(root: Path, ids: set[str | None], numbers: set[str | None]) -> set[str]:
    """Item files whose `of:` names one of `ids` or whose 索引号 is one of `numbers`: one search of
    the items for all of them, each file found confirmed by parsing it."""
    slugs = {value for value in ids if value and re.fullmatch(SLUG, value)}
    wanted = {number for number in numbers if number}
    if not slugs | wanted:
        return set()
    candidates = _remembered_referrers(root, slugs, wanted)
    if candidates is None:
        candidates = _candidates(root, {"of": slugs, "index_no": wanted})
    return {path for path in candidates
            if _value(root, path, "of") in slugs or _value(root, path, "index_no") in wanted}


KEPT_ROWS_AT_MOST = 1000  # more item files than this unknown to the rows: one git grep reads fewer
UNTRACKED_ITEMS = ("ls-files", "--others", "--exclude-standard", "-z", "--", "items")


def _remembered_referrers(root: Path, slugs: set[str], wanted: set[str]) -> set[str] | None:
    """Item files that may name one of `slugs` as `of` or one of `wanted` as 索引号, by the rows the
    last full check left: each file whose working copy is the blob its row was read from, by its
    row; every other item file (changed since, new, untracked, not read as an item) as it may.
    None when there are no rows, when the index holds entries other than plain files, or when more
    than KEPT_ROWS_AT_MOST item files are unknown to the rows: git grep then searches."""
    from ..load.cache import plain_clean_blobs
    from ..load.repo import asked_early, git_bytes
    from .incremental import kept_rows

    rows = kept_rows(root)
    if rows is None:
        return None
    with asked_early(root, [UNTRACKED_ITEMS]):  # beside diff-files
        indexed = plain_clean_blobs(root)
        try:
            untracked = git_bytes(root, *UNTRACKED_ITEMS).decode("utf-8", "surrogateescape").split("\0")
        except GitError:
            return None
    if indexed is None:
        return None
    clean, tracked = indexed  # clean: {} when an attributes file may convert, so every tracked file is unknown
    known = {path for path, blob in zip(rows.paths, rows.blobs) if blob and clean.get(path) == blob}
    unknown = {path for path in chain(tracked, untracked) if path not in known and kind_of(path) == "item"}
    if len(unknown) > KEPT_ROWS_AT_MOST:
        return None
    unknown |= rows.broken & known
    unknown.update(path for path, of, number in zip(rows.paths, rows.ofs, rows.index_nos)
                   if (of in slugs or number in wanted) and path in known)
    return unknown


def _candidates(root: Path, wanted: dict[str, set[str]]) -> set[str]:
    """Item files that may hold one of the values wanted of each key, however it is written: a file
    holding the value's longest unbroken piece (block style, flow style `{of: …}`, quoted, or
    folded over lines, which breaks a value only at spaces), or one with a line holding both the key
    and a backslash (the value may be written with escapes). Git grep finds them, with fixed strings
    only (a regular expression among them makes it read every line twice as slowly); the caller
    confirms each by parsing it."""
    pieces = sorted({max(value.split(), key=len) for values in wanted.values() for value in values if value.split()})
    expression = [argument for piece in pieces for argument in ("-e", piece)]
    for key in sorted(key for key, values in wanted.items() if values):
        expression += [*(["--or"] if expression else []), "(", "-e", key, "--and", "-e", "\\", ")"]
    return _git_grep(root, "-F", *expression)


def items_with_index_numbers(root: Path, numbers: set[str | None]) -> set[str]:
    """Item files whose 索引号 is one of `numbers`."""
    return referring_items(root, set(), numbers)


def items_mentioning(root: Path, paths: set[str]) -> set[str]:
    """Item files naming one of `paths` (evidence files that were added or removed)."""
    if not paths:
        return set()
    return _git_grep(root, "-F", *(arg for path in sorted(paths) for arg in ("-e", path)))


def _git_grep(root: Path, *pattern: str) -> set[str]:
    """Item files matching `pattern`, each as it is on disk: git grep reads the checked-out files
    (tracked ones whose working copy is the index's and those that differ alike, deleted ones not at
    all) and the untracked ones (--untracked), never the index's copies, which in a fresh clone sit
    packed in the object store and cost twice the reading of the files to inflate."""
    return _grep(root, ["--untracked"], pattern, ["items"])


def _grep(root: Path, mode: list[str], pattern: tuple[str, ...], paths: list[str]) -> set[str]:
    return _items_in(git(root, "grep", *mode, "-l", "-z", "-I", *pattern, "--", *paths, check=False))


def _items_in(listing: str) -> set[str]:
    """The item files among NUL-separated names."""
    return {name for name in listing.split("\0") if kind_of(name) == "item"}


def _value(root: Path, path: str, key: str) -> str | None:
    """A top-level value of an item file, as text (None when the file does not parse or lacks it)."""
    try:
        status = os.stat(root / path)
    except OSError:
        return None
    value = _fields(root, path, (status.st_ino, status.st_mtime_ns, status.st_size)).get(key)
    return None if value is None or isinstance(value, (dict, list)) or value == "" else str(value)


@functools.lru_cache(maxsize=4096)
def _fields(root: Path, path: str, version: tuple) -> dict:
    """An item file's top-level mapping, parsed (flow style, quoting, block and multi-line scalars
    all read alike); remembered by the file's inode, time and size while the planning asks again."""
    if leaves(root, path):
        return {}
    try:
        document = yamlio.load(yamlio.decode(yamlio.read_bounded(root / path)))
    except (OSError, yamlio.YamlProblem):
        return {}
    return document if isinstance(document, dict) else {}


# Findings only a pull request has ----------------------------------------------------------------


def deleted_item_findings(scope: Scope) -> list[Finding]:
    return [Finding(path, 1, 1, "deleted-item") for path in sorted(scope.deleted_items)]
