"""Files → Snapshot: typed models, each remembering its file and place, plus the findings of reading them."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel, ValidationError

from . import yamlio
from .cache import Entry, documents, open_entry, parse_contents
from .findings import Finding
from .messages import Phrase
from .models import ELEMENT_ADAPTERS, Category, Config, Item, Unit, kind_of
from .repo import MARKER, data_files, leaves, outside_links

LIST_KINDS = ("units", "categories", "rules")


@dataclass(frozen=True)
class Source:
    """Where an object came from: its file and its place inside the file's document."""

    path: str
    prefix: tuple = ()


@dataclass
class Snapshot:
    root: Path | None
    config: Config
    units: list[Unit] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    rules: list[Any] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    files: int = 0
    broken: set[str] = field(default_factory=set)  # file kinds with a file that did not load
    read: Callable[[str], str] = field(default=lambda path: "", repr=False)
    _texts: dict[str, str] = field(default_factory=dict, repr=False)

    def text(self, path: str) -> str:
        if path not in self._texts:
            self._texts[path] = self.read(path)
        return self._texts[path]

    def finding(self, obj: BaseModel, field_path: tuple, code: str, severity: str = "error",
                key: bool = False, **args: Any) -> Finding:
        """A finding pointing at `field_path` inside `obj` (at its key when `key`)."""
        source: Source = obj._source
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

    @property
    def item_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}


def load_repository(root: Path, paths: list[str] | None = None) -> tuple[Snapshot, list[Finding]]:
    """Read the working tree at `root` (all data files, or the given relative paths).

    A file or folder that links outside the repository is a finding and is never read.
    """
    if paths is None:
        relpaths, escaping = data_files(root), outside_links(root)
    else:
        escaping = [path for path in paths if leaves(root, path)]
        relpaths = sorted(set(paths) - set(escaping))

    def read(path: str) -> str:
        return yamlio.decode((root / path).read_bytes())

    snapshot, findings = load_entries(documents(root, relpaths), root=root, read=read)
    return snapshot, [Finding(path, 1, 1, "path-escape", "error", {"value": path}) for path in escaping] + findings


def load_contents(contents: dict[str, bytes], root: Path | None = None,
                  read: Callable[[str], str] | None = None) -> tuple[Snapshot, list[Finding]]:
    """Build a Snapshot from {relative path: bytes} (the working tree, or a commit's tree)."""
    return load_entries(parse_contents(contents), root, read or (lambda path: yamlio.decode(contents[path])))


def load_entries(entries: dict[str, Entry], root: Path | None,
                 read: Callable[[str], str]) -> tuple[Snapshot, list[Finding]]:
    """Build a Snapshot from {relative path: parsed entry} (cache.py parses, or remembers)."""
    snapshot = Snapshot(root=root, config=Config(), files=len(entries))
    snapshot.read = read
    findings: list[Finding] = []
    if MARKER not in entries and root is not None:
        findings.append(Finding(MARKER, 1, 1, "no-config"))
    for path in sorted(entries, key=_load_order):
        kind = kind_of(path)
        if kind is None:
            continue
        findings.extend(_load_file(snapshot, path, kind, entries[path]))
    return snapshot, findings


def _load_order(path: str) -> tuple[int, str]:
    order = {"config": 0, "units": 1, "categories": 2, "rules": 3, "item": 4}
    return order.get(kind_of(path) or "", 9), path


def _load_file(snapshot: Snapshot, path: str, kind: str, entry: Entry) -> list[Finding]:
    try:
        document = open_entry(entry)
    except yamlio.YamlProblem as problem:
        snapshot.broken.add(kind)
        return [Finding(path, problem.line, problem.col, problem.code, "error", problem.args_)]
    if document is None:
        if kind in LIST_KINDS:
            return []
        snapshot.broken.add(kind)
        return [Finding(path, 1, 1, "empty-file")]
    if kind in LIST_KINDS:
        elements = document if isinstance(document, list) else [document] if kind == "rules" else None
        if elements is None:
            snapshot.broken.add(kind)
            return [Finding(path, 1, 1, "invalid-value", "error", {"field": kind, "detail": "should be a list"})]
        prefix = (lambda index: (index,)) if isinstance(document, list) else (lambda index: ())
        findings = []
        for index, element in enumerate(elements):
            findings.extend(_load_object(snapshot, path, kind, element, prefix(index)))
        return findings
    return _load_object(snapshot, path, kind, document, ())


def _load_object(snapshot: Snapshot, path: str, kind: str, data: Any, prefix: tuple) -> list[Finding]:
    try:
        obj = ELEMENT_ADAPTERS[kind].validate_python(data)
    except ValidationError as error:
        snapshot.broken.add(kind)
        return _validation_findings(snapshot.text(path), path, data, prefix, error)
    obj._source = Source(path, prefix)
    if kind == "config":
        snapshot.config = obj
    else:
        getattr(snapshot, "items" if kind == "item" else kind).append(obj)
    return []


# Pydantic errors → findings -------------------------------------------------------------


def _validation_findings(text: str, path: str, data: Any, prefix: tuple, error: ValidationError) -> list[Finding]:
    findings: dict[tuple, Finding] = {}
    for detail in error.errors(include_url=False):
        real_path = _real_path(data, detail["loc"], detail["type"])
        code, args = _describe(detail, real_path, data)
        dedupe = real_path if code != "missing-field" else real_path + (args["field"],)
        if dedupe in findings:
            continue
        locate = yamlio.key_position if code in ("unknown-field", "fullwidth-colon") else yamlio.position_of
        position = locate(text, prefix + real_path)
        findings[dedupe] = Finding(path, position.line, position.col, code, "error", args)
    return list(findings.values())


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


def _describe(detail: dict, real_path: tuple, data: Any) -> tuple[str, dict[str, Any]]:
    error_type: str = detail["type"]
    names = [part for part in real_path if isinstance(part, str)]
    field_name = names[-1] if names else str(detail["loc"][-1] if detail["loc"] else "")
    if error_type == "missing":
        return "missing-field", {"field": str(detail["loc"][-1])}
    if error_type == "extra_forbidden" and "：" in field_name:  # `{step：secrecy}` reads as one key
        return "fullwidth-colon", {"key": field_name.split("：")[0]}
    if error_type == "extra_forbidden":
        return "unknown-field", {"field": field_name, "hint": _did_you_mean(field_name)}
    if error_type.startswith(DATE_ERRORS) or (error_type == "value_error" and _looks_like_date(detail)):
        return "invalid-date", {"field": field_name}
    if error_type == "string_pattern_mismatch":
        if field_name == "period":
            return "invalid-period", {"field": field_name}
        if field_name in ID_FIELDS:
            return "invalid-id", {"field": field_name, "value": detail.get("input")}
    if error_type == "literal_error":
        return "invalid-choice", {"field": field_name, "value": detail.get("input"),
                                  "choices": detail.get("ctx", {}).get("expected", "")}
    return "invalid-value", {"field": field_name or "-", "detail": detail["msg"]}


def _looks_like_date(detail: dict) -> bool:
    value = detail.get("input")
    if isinstance(value, (int, float)) and not isinstance(value, bool):  # 20240923
        return True
    return isinstance(value, str) and value[:4].isdigit() and "-" in value


def _known_fields() -> list[str]:
    from . import models

    names: set[str] = set()
    for model in (models.Config, models.Unit, models.Category, models.PeriodicRule, models.EventRule,
                  models.CompanionRule, models.OnceRule, models.Item, models.Review, models.Withdrawal,
                  models.Pause, models.Within, models.Due, models.Companion, models.Window):
        for name, info in model.model_fields.items():
            names.add(info.alias or name)
    return sorted(names)


def _did_you_mean(name: str) -> Phrase | str:
    matches = difflib.get_close_matches(name, _known_fields(), n=1, cutoff=0.6)
    return Phrase("hint.did-you-mean", {"suggestion": matches[0]}) if matches else ""
