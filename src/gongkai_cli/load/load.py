"""Files → Snapshot: typed models, each remembering its file and place, plus the findings of reading them."""

from __future__ import annotations

import copy
import difflib
import functools
import operator
import os
import sys
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, NamedTuple

from pydantic import BaseModel, ValidationError

from ..messages import MESSAGES, Phrase
from ..model.facts import summary_of
from ..model.findings import FINDINGS_PER_FILE, Finding, more_findings
from ..model.models import ELEMENT_ADAPTERS, Category, Config, Item, Unit, kind_of
from ..model.privacy import no_numbers_in, privacy_marks
from . import fastyaml, yamlio
from .cache import (
    Recipe,
    collection_paused,
    records,
    records_of_contents,
)
from .repo import MARKER, leaves, scan

LIST_KINDS = ("units", "categories", "rules")


class Source(NamedTuple):
    """Where an object came from: its file and its place inside the file's document."""

    path: str
    prefix: tuple = ()


class Loaded(NamedTuple):
    """What one file gives, whatever else is in the repository (so it can be cached by content)."""

    objects: list[tuple[BaseModel, tuple]]  # (object, its place in the document)
    findings: list[Finding]
    broken: bool = False  # a part of the file did not load
    marks: tuple = ()  # (index in objects, privacy marks) of each item with numbers to hide


@dataclass
class Snapshot:
    root: Path | None
    config: Config
    units: list[Unit] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    rules: list[Any] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    reports: list = field(default_factory=list)  # reports/*.yaml: the annual report's figures files
    files: int = 0
    state: str | None = None  # a view's digest of the working tree (memo.state_of), under which answers are kept
    broken: set[str] = field(default_factory=set)  # file kinds with a file that did not load
    skipped: dict[str, Finding] = field(default_factory=dict)  # path → why (a part of) that file was not read
    read: Callable[[str], str] = field(default=lambda path: "", repr=False)
    sources: dict[int, Source] = field(default_factory=dict, repr=False)  # id(object) → Source
    marks: dict[int, tuple] = field(default_factory=dict, repr=False)  # id(item) → privacy marks
    _texts: dict[str, str] = field(default_factory=dict, repr=False)

    def text(self, path: str) -> str:
        if path not in self._texts:
            self._texts[path] = self.read(path)
        return self._texts[path]

    def source(self, obj: BaseModel) -> Source:
        """Where an object of this snapshot came from."""
        return self.sources[id(obj)]

    def privacy_marks(self, item: Item) -> tuple:
        """The numbers to hide in an item of this snapshot (privacy.py)."""
        return self.marks.get(id(item), ())

    def finding(self, obj: BaseModel, field_path: tuple, code: str, severity: str = "error",
                key: bool = False, **args: Any) -> Finding:
        """A finding pointing at `field_path` inside `obj` (at its key when `key`)."""
        source = self.source(obj)
        locate = yamlio.key_position if key else yamlio.position_of
        try:
            position = locate(self.text(source.path), source.prefix + field_path)
        except Exception:
            position = yamlio.Position(1, 1)
        return Finding(source.path, position.line, position.col, code, severity, args)

    @property
    def unit_by_id(self) -> dict[str, Unit]:
        return {unit.id: unit for unit in self.units}

    @property
    def category_by_id(self) -> dict[str, Category]:
        return {category.id: category for category in self.categories}

    def item_values(self, name: str) -> list:
        """Each item's field `name`, in the items' order (what the checks across items read)."""
        return list(map(operator.attrgetter(name), self.items))

    @property
    def item_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    def titles(self, ids: Iterable[str | None]) -> dict[str, str]:
        """{item id: title} of the items `ids` name (the rows to show), not a map of every item."""
        wanted = set(ids)
        return {item.id: item.title for item in self.items if item.id in wanted}


def load_repository(root: Path, paths: list[str] | None = None, scanned: tuple[list[str], list[str]] | None = None,
                    blobs: dict[str, str] | None = None) -> tuple[Snapshot, list[Finding]]:
    """Read the working tree at `root`: all data files (`scanned`: repo.scan(root), when the caller
    has it), or the given relative paths; `blobs` as cache.records takes them.

    A file or folder that links outside the repository, or that is not a data file, is a finding
    (unread_finding) and is never read.
    """
    if paths is None:
        relpaths, unread = scanned or scan(root)
    else:
        unread = [path for path in paths if leaves(root, path) or not _data_file(root, path)]
        relpaths = sorted(set(paths) - set(unread))

    loaded = _from_tree(root, relpaths, blobs)
    snapshot, findings = load_records(loaded, root=root, read=reader(root), files=len(relpaths))
    return snapshot, note_unread(root, snapshot, unread) + findings


def note_unread(root: Path, snapshot: Snapshot, unread: list[str]) -> list[Finding]:
    """The findings of the paths not read, each noted as skipped in `snapshot` with what it breaks."""
    not_read = [unread_finding(root, path) for path in unread]
    snapshot.skipped.update((finding.path, finding) for finding in not_read)
    snapshot.broken |= broken_kinds(snapshot.skipped)
    return not_read


FOLDER_KINDS = {"catalog": ("units", "categories"), "rules": ("rules",), "items": ("item",), "reports": ("reports",)}


def broken_kinds(skipped: dict[str, Finding]) -> set[str]:
    """The file kinds of which a file (or a whole data folder) was not read: what references into
    them cannot be judged by."""
    return {kind for path in skipped for kind in FOLDER_KINDS.get(path, (kind_of(path),)) if kind}


def _data_file(root: Path, path: str) -> bool:
    """A path of a data kind that is a file or a link (or is not there): reading it says what is wrong."""
    target = root / path
    return kind_of(path) is not None and (target.is_symlink() or target.is_file() or not os.path.lexists(target))


def unread_finding(root: Path, path: str) -> Finding:
    """Why gongkai does not read `path`: it links outside, it is a data folder that is not a folder,
    it is not a regular file, or its name is of no data kind."""
    if leaves(root, path):
        return Finding(path, 1, 1, "path-escape", "error", {"value": path})
    if path in FOLDER_KINDS:
        return Finding(path, 1, 1, "not-a-folder", "error", {"value": path})
    if not (root / path).is_file():
        return Finding(path, 1, 1, "not-a-file", "error", {"value": path})
    return Finding(path, 1, 1, "unread-file", "error", {"value": path})


def reader(root: Path) -> Callable[[str], str]:
    """The text of a working-tree file (for positions of findings, read only when there are some)."""
    return lambda path: yamlio.decode(yamlio.read_bounded(root / path))


def load_replaced(root: Path, paths: list[str], contents: dict[str, bytes],
                  read: Callable[[str], str]) -> tuple[Snapshot, list[Finding]]:
    """The working-tree files at `paths`, with `contents` ({path: bytes}) in place of theirs or added."""
    loaded = {**_from_tree(root, paths), **_from_contents(contents)}
    return load_records(loaded, root, read, files=len(set(paths) | set(contents)))


def load_contents(contents: dict[str, bytes], root: Path | None = None,
                  read: Callable[[str], str] | None = None) -> tuple[Snapshot, list[Finding]]:
    """Build a Snapshot from {relative path: bytes} (the working tree, or a commit's tree)."""
    read = read or (lambda path: yamlio.decode(contents[path]))
    return load_records(records_of_contents(root, contents, RECIPE), root, read, files=len(contents))


def _from_tree(root: Path, paths: list[str], blobs: dict[str, str] | None = None) -> dict[str, Loaded]:
    return records(root, [path for path in paths if kind_of(path)], RECIPE, blobs)


def _from_contents(contents: dict[str, bytes]) -> dict[str, Loaded]:
    return {path: compact(load_file(path, data)) for path, data in contents.items() if kind_of(path)}


def load_records(loaded: dict[str, Loaded], root: Path | None, read: Callable[[str], str],
                 files: int | None = None) -> tuple[Snapshot, list[Finding]]:
    """Build a Snapshot from {relative path: what loading the file gave} (cache.py remembers those)."""
    snapshot = Snapshot(root=root, config=Config(), files=len(loaded) if files is None else files)
    snapshot.read = read
    findings: list[Finding] = []
    if MARKER not in loaded and root is not None:
        findings.append(Finding(MARKER, 1, 1, "no-config"))
    with collection_paused():
        for _, path, kind in sorted((LOAD_ORDER[kind], path, kind) for path, kind in _kinds(loaded)):
            findings.extend(_take(snapshot, path, kind, loaded[path]))
    return snapshot, findings


LOAD_ORDER = {"config": 0, "units": 1, "categories": 2, "rules": 3, "item": 4, "reports": 5}


def _kinds(paths: Iterable[str]) -> Iterator[tuple[str, str]]:
    return ((path, kind) for path in paths if (kind := kind_of(path)))


def _take(snapshot: Snapshot, path: str, kind: str, loaded: Loaded) -> list[Finding]:
    """Add a file's objects to the snapshot; its findings, at `path` (the cache may have met it elsewhere)."""
    if loaded.broken:
        snapshot.broken.add(kind)
    found = [finding if finding.path == path else replace(finding, path=path) for finding in loaded.findings]
    note_skipped(snapshot, path, found, read=not loaded.broken)
    target = snapshot.items if kind == "item" else None if kind == "config" else getattr(snapshot, kind)
    for obj, prefix in loaded.objects:
        snapshot.sources[id(obj)] = Source(path, prefix)
        if target is None:
            snapshot.config = obj
        else:
            target.append(obj)
    for index, marks in loaded.marks:
        snapshot.marks[id(loaded.objects[index][0])] = marks
    return found


def note_skipped(snapshot: Snapshot, path: str, findings: list[Finding], read: bool) -> None:
    """Remember a file (or the part of a file) that was not read, with the first error saying why."""
    errors = [finding for finding in findings if finding.severity == "error"]
    if errors and not read:
        snapshot.skipped[path] = errors[0]


SHARED_TEXT = ("category", "unit", "mode", "period")  # the same few values in thousands of items
SHARED_DAYS = ("formed", "disclosed")
EMPTY_LISTS = ("channels", "reviews", "evidence", "paused")
_SHARED: dict = {}  # date → that date; frozenset of set fields → one set of them
_EMPTY_LIST: list = []  # shared by every item without channels, reviews, evidence or pauses
_EMPTY_DICT: dict = {}


def compact(loaded: Loaded) -> Loaded:
    """The same record with its items' repeated values shared (called as each record is unpickled or
    built, so the copies it drops make room for the next record)."""
    for obj, _ in loaded.objects:
        if type(obj) is Item:
            _share_values(obj, _SHARED)
    return loaded


def _share_values(item: BaseModel, shared: dict) -> None:
    """One string object per unit/category/mode/period/channel value, one date object per day, and one
    set of set field names per combination, and one empty list and dict for the empty fields, instead
    of a copy in every item (each unpickled or validated file has its own): the same values, less
    memory. Nothing assigns to a loaded item's fields or changes them in place (which would change
    every item sharing the value)."""
    fields_set = item.__pydantic_fields_set__
    if type(fields_set) is set:
        object.__setattr__(item, "__pydantic_fields_set__", shared.setdefault(frozenset(fields_set), fields_set))
    values = item.__dict__
    for name in SHARED_TEXT:
        value = values.get(name)
        if type(value) is str:
            values[name] = sys.intern(value)
    channels = values.get("channels")
    if type(channels) is list:
        for index, value in enumerate(channels):
            if type(value) is str:
                channels[index] = sys.intern(value)
    for name in SHARED_DAYS:
        value = values.get(name)
        if type(value) is date:
            values[name] = shared.setdefault(value, value)
    for name in EMPTY_LISTS:
        if values.get(name) == []:
            values[name] = _EMPTY_LIST
    if values.get("details") == {}:
        values["details"] = _EMPTY_DICT


def load_file(path: str, data: bytes) -> Loaded:
    """Parse and validate one file of kind `kind_of(path)`."""
    kind = kind_of(path)
    try:
        text = yamlio.decode(data)
        plain, document = fastyaml.read(text)
    except yamlio.YamlProblem as problem:
        return Loaded([], [Finding(path, problem.line, problem.col, problem.code, "error", problem.args_)], True)
    if document is None:
        return Loaded([], []) if kind in LIST_KINDS else Loaded([], [Finding(path, 1, 1, "empty-file")], True)
    if kind not in LIST_KINDS:
        elements = [(document, ())]
    elif isinstance(document, list):
        elements = [(element, (index,)) for index, element in enumerate(document)]
    elif kind == "rules":
        elements = [(document, ())]
    else:
        return Loaded([], [Finding(path, 1, 1, "invalid-value", "error", {"field": kind, "detail": "should be a list"})], True)
    loaded = _validated(path, text, kind, elements)
    if kind == "item" and loaded.objects and not (plain and no_numbers_in(text)):
        return loaded._replace(marks=tuple(_privacy(loaded.objects)))
    return loaded


def _validated(path: str, text: str, kind: str, elements: list[tuple[Any, tuple]]) -> Loaded:
    adapter = ELEMENT_ADAPTERS[kind]
    validate = adapter.validator.validate_python  # not the adapter's own: its handling of options unused here costs 0.4 µs a file
    objects, findings, broken = [], [], False
    for element, prefix in elements:
        try:
            objects.append((validate(element), prefix))
        except ValidationError as error:
            findings += _validation_findings(text, path, kind, element, prefix, error)
            recovered = _without_unknown_keys(adapter, element, error)
            if recovered is None:
                broken = True
            else:
                objects.append((recovered, prefix))
    return Loaded(objects, findings, broken)


def _without_unknown_keys(adapter, element: Any, error: ValidationError) -> BaseModel | None:
    """An object whose only fault is unknown keys is still read (the keys are findings), so one
    typo does not hide an item from `overdue` and `audit`."""
    details = error.errors(include_url=False)
    if any(detail["type"] != "extra_forbidden" for detail in details):
        return None
    cleaned = copy.deepcopy(element)
    for detail in details:
        *parents, key = _real_path(cleaned, detail["loc"], detail["type"])
        node = cleaned
        for part in parents:
            node = node[part]
        node.pop(key, None)
    try:
        return adapter.validate_python(cleaned)
    except ValidationError:
        return None


def _privacy(objects: list[tuple[BaseModel, tuple]]) -> Iterator[tuple[int, tuple]]:
    for index, (obj, _) in enumerate(objects):
        if marks := privacy_marks(obj):
            yield index, marks


# Pydantic errors → findings -------------------------------------------------------------


def _validation_findings(text: str, path: str, kind: str, data: Any, prefix: tuple,
                         error: ValidationError) -> list[Finding]:
    """A finding per fault, up to FINDINGS_PER_FILE of them; the rest are only counted (one
    `more-findings`), so 40,000 unknown keys cost no 40,000 "did you mean"s."""
    findings: dict[tuple, Finding] = {}
    unlisted: set[tuple] = set()
    for detail in error.errors(include_url=False):
        real_path = _real_path(data, detail["loc"], detail["type"])
        dedupe = real_path + ((str(detail["loc"][-1]),) if detail["type"] == "missing" and detail["loc"] else ())
        if dedupe in findings:
            continue
        if len(findings) >= FINDINGS_PER_FILE:
            unlisted.add(dedupe)
            continue
        code, args = _describe(detail, real_path, kind)
        locate = yamlio.key_position if code in ("unknown-field", "fullwidth-colon") else yamlio.position_of
        position = locate(text, prefix + real_path)
        findings[dedupe] = Finding(path, position.line, position.col, code, "error", args)
    return list(findings.values()) + ([more_findings(path, len(unlisted))] if unlisted else [])


def _real_path(data: Any, loc: tuple, error_type: str) -> tuple:
    """The part of pydantic's `loc` that names keys and indices in the data (not union tags)."""
    node, path = data, []
    parts = list(loc)
    if error_type == "missing" and parts:
        parts = parts[:-1]
    for part in parts:
        if isinstance(node, dict) and part in node:
            node = node[part]
            path.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
        elif error_type == "extra_forbidden" and isinstance(node, dict) and part == parts[-1]:
            path.append(part)
    return tuple(path)


DATE_ERRORS = ("date_", "datetime_", "time_")
ID_FIELDS = ("id", "unit", "category", "parent", "of", "units", "step")


def _describe(detail: dict, real_path: tuple, kind: str) -> tuple[str, dict[str, Any]]:
    error_type: str = detail["type"]
    names = [part for part in real_path if isinstance(part, str)]
    field_name = names[-1] if names else KIND_NAMES[kind]
    if error_type == "missing":
        return "missing-field", {"field": str(detail["loc"][-1])}
    if error_type == "extra_forbidden" and "：" in field_name:  # `{step：secrecy}` reads as one key
        return "fullwidth-colon", {"key": field_name.split("：")[0]}
    if error_type == "extra_forbidden":
        return "unknown-field", {"field": field_name, "hint": _did_you_mean(field_name, kind)}
    if error_type == "year_out_of_range":
        return "year-out-of-range", {"field": field_name, **detail.get("ctx", {})}
    if error_type == "invalid_date" or error_type.startswith(DATE_ERRORS) or (
            error_type == "value_error" and _looks_like_date(detail)):
        return "invalid-date", {"field": field_name}
    if error_type == "string_pattern_mismatch":
        if field_name == "period":
            return "invalid-period", {"field": field_name}
        if field_name in ID_FIELDS:
            return "invalid-id", {"field": field_name, "value": detail.get("input")}
    if error_type == "literal_error":
        return "invalid-choice", {"field": field_name, "value": detail.get("input"),
                                  "choices": detail.get("ctx", {}).get("expected", "")}
    return "invalid-value", {"field": field_name or "-", "detail": _value_problem(detail)}


# gongkai's own ValueErrors (models.py), by their text, as messages ("value.<name>")
VALUE_ERRORS = {"within needs exactly one of workdays, days, hours": "within-one", "day must be 1–31 or last": "due-day",
                "paused: to is before from": "paused-order"}


def _value_problem(detail: dict) -> Phrase | str:
    """What pydantic found wrong with a value, in the person's language where gongkai words it
    ("value.<error type>" in messages), else in pydantic's own English."""
    kind = detail["type"]
    if kind == "value_error":
        kind = VALUE_ERRORS.get(str((detail.get("ctx") or {}).get("error", "")), kind)
    key = f"value.{kind}"
    if key not in MESSAGES:
        return detail["msg"]
    return Phrase(key, {name: value for name, value in (detail.get("ctx") or {}).items() if isinstance(value, (int, float, str))})


def _looks_like_date(detail: dict) -> bool:
    value = detail.get("input")
    if isinstance(value, (int, float)) and not isinstance(value, bool):  # 20240923
        return True
    return isinstance(value, str) and value[:4].isdigit() and "-" in value


KIND_NAMES = {"config": "gongkai.yaml", "units": "unit", "categories": "category", "rules": "rule", "item": "item",
              "reports": "report"}


@functools.lru_cache(maxsize=None)
def _known_fields(kind: str) -> list[str]:
    """Field names a file of `kind` may hold, at any depth (for "did you mean")."""
    from ..model import models, reports

    per_kind = {
        "config": (models.Config,),
        "units": (models.Unit,),
        "categories": (models.Category,),
        "rules": (models.PeriodicRule, models.EventRule, models.CompanionRule, models.OnceRule,
                  models.Within, models.Due, models.Companion, models.Window),
        "item": (models.Item, models.Review, models.Withdrawal, models.Pause, models.Appeal),
        "reports": (reports.ReportFigures, reports.ReportText, reports.TrialFigures, reports.TrialMatter,
                    reports.TrialFees, reports.TrialProcurement),
    }
    return sorted({info.alias or name for model in per_kind[kind] for name, info in model.model_fields.items()})


def _did_you_mean(name: str, kind: str) -> Phrase | str:
    matches = difflib.get_close_matches(name, _known_fields(kind), n=1, cutoff=0.6)
    return Phrase("hint.did-you-mean", {"suggestion": matches[0]}) if matches else ""


def unreadable_file(path: str, error: OSError) -> Loaded:
    """A file the system would not let gongkai read, or one too large to: a finding, never an empty file."""
    if isinstance(error, yamlio.TooLarge):
        return Loaded([], [Finding(path, 1, 1, "file-too-large", "error", {"size": error.size, "limit": error.limit})], True)
    detail = error.strerror or type(error).__name__
    return Loaded([], [Finding(path, 1, 1, "unreadable-file", "error", {"detail": detail})], True)


RECIPE = Recipe(load_file, summary_of, compact, unreadable_file)
