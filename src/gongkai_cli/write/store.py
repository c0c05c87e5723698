"""add / disclose / edit / withdraw: change an item in memory, check it as `gongkai check` would,
then write it atomically and commit it alone, with trailers naming the action, item and unit."""

from __future__ import annotations

import re
import secrets
import shlex
import string
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Sequence

import yaml
from pydantic import TypeAdapter, ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import ScalarString, SingleQuotedScalarString

from ..check.check import normalise_doc_number, run_checks
from ..errors import UsageProblem
from ..load import yamlio
from ..load.load import Snapshot, load_replaced, load_repository
from ..load.repo import MARKER, git, leaves
from ..model.findings import Finding
from ..model.kinds import item_path
from ..model.models import SLUG, DateOrTime, Item, day_of, kind_of
from .gitwrite import repository_lock, write_and_commit, write_file

ID_ALPHABET = string.ascii_lowercase + string.digits
_SAFE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # what most YAML readers make of plain text
CATALOG_FILES = [MARKER, "catalog/units.yaml", "catalog/categories.yaml"]
# What a write checks an item against and a clone must have the same of: the catalog and the rules.
CHECKED_AGAINST = ("catalog/units.yaml", "catalog/categories.yaml", "rules")
# Where a new key goes: after the keys that come before it in the format (`note` last).
FIELD_ORDER = [name for name in Item.model_fields if name != "note"] + ["note"]


@dataclass(frozen=True)
class Written:
    action: str
    item_id: str
    path: str
    commit: str | None  # None with --no-commit
    replaced: tuple[tuple[str, str, str], ...] = ()  # (field, old, new) of a disclosure or withdrawal set again


REPLACED_FIELDS = ("disclosed", "withdrawn")  # set again by disclose / withdraw: said, as it replaces a record


class InvalidItem(Exception):
    """The new or changed item does not pass `gongkai check`; nothing was written."""

    def __init__(self, findings: list[Finding]):
        super().__init__(f"{len(findings)} findings")
        self.findings = findings


def catalog(root: Path) -> Snapshot:
    """gongkai.yaml and the catalog alone: enough to offer units and categories."""
    return load_repository(root, CATALOG_FILES)[0]


# The four writes ---------------------------------------------------------------------------


def add_item(root: Path, fields: dict[str, Any], sets: Sequence[str] = (), commit: bool = True) -> Written:
    """A new item from `fields` (unit and category by id or name) and `--set key=value` texts."""
    with repository_lock(root) as directory:
        known = catalog(root)
        document = CommentedMap()
        for key, value in fields.items():
            if value not in (None, "", []):
                set_field(document, key, value)
        for key, value in map(parse_set, sets):
            set_field(document, key, value)
        set_field(document, "unit", resolve(known.units, document.get("unit"), "error.unknown-unit"))
        set_field(document, "category", resolve(known.categories, document.get("category"), "error.unknown-category"))
        year = _formed_year(document.get("formed"))
        set_field(document, "id", new_item_id(root, year, document["unit"]))
        path = item_path(year, document["unit"], f"{document['id']}.yaml")
        return _save(directory, root, "add", path, document, commit)


def disclose_item(root: Path, item_id: str, on: date | datetime, url: str | None = None,
                  channels: Sequence[str] = (), commit: bool = True) -> Written:
    def change(document: CommentedMap) -> None:
        set_field(document, "disclosed", on)
        if url:
            set_field(document, "url", url)
        if channels:
            _add_channels(document, channels)

    return _update(root, item_id, "disclose", change, commit, ("disclosed", "url", "channels"))


def edit_item(root: Path, item_id: str, sets: Sequence[str], commit: bool = True) -> Written:
    changes = [parse_set(text) for text in sets]

    def change(document: CommentedMap) -> None:
        for key, value in changes:
            set_field(document, key, value)

    return _update(root, item_id, "edit", change, commit, tuple(key for key, _ in changes))


def withdraw_item(root: Path, item_id: str, reason: str, on: date, commit: bool = True) -> Written:
    def change(document: CommentedMap) -> None:
        set_field(document, "withdrawn", CommentedMap([("on", on), ("reason", reason)]))

    return _update(root, item_id, "withdraw", change, commit, ("withdrawn",))


def _update(root: Path, item_id: str, action: str, change: Callable[[CommentedMap], None], commit: bool,
            keys: Sequence[str]) -> Written:
    """Edit an existing item in place, keeping its comments, key order and formatting; `keys`
    (dotted for nested ones) are the fields `change` sets, and nothing else may change."""
    with repository_lock(root) as directory:
        path = find_item(root, item_id)
        if commit and git(root, "--no-optional-locks", "status", "--porcelain", "--", path).strip():
            raise UsageProblem("error.item-has-changes", path=path)
        document = _load_document(root, path)
        before, old = yamlio.dump(document), {key: _shown(document.get(key)) for key in REPLACED_FIELDS if document.get(key)}
        change(document)
        if yamlio.dump(document) == before:
            raise UsageProblem("error.no-change", id=item_id)
        _refuse_collateral(path, _read(root, path), yamlio.dump(document), keys)
        _refuse_moving(root, path, document, keys)
        replaced = tuple((key, old[key], _shown(document.get(key))) for key in old if old[key] != _shown(document.get(key)))
        return replace(_save(directory, root, action, path, document, commit), replaced=replaced)


def _shown(value: Any) -> str:
    """A date, or a withdrawal by its day and reason, as the note of its replacement shows it."""
    if isinstance(value, dict):
        return " ".join(str(value[key]) for key in ("on", "reason") if value.get(key))
    return "" if value is None else str(value)


def _refuse_moving(root: Path, path: str, document: CommentedMap, keys: Sequence[str]) -> None:
    """An item's id, unit and year of formed say where its file is (items/<year>/<unit>/<id>.yaml);
    a write changes one file in place, so a change that would move it is refused, saying how (an
    unknown unit is left to the check, which names it)."""
    if "id" in keys:
        raise UsageProblem("error.id-fixed", path=path)
    if not {"unit", "formed"} & set(keys) or str(document.get("unit")) not in catalog(root).unit_by_id:
        return
    try:
        year = _formed_year(document.get("formed"))
    except UsageProblem:
        return  # the check says what is wrong with the date
    expected = item_path(year, document["unit"], path.rpartition("/")[2])
    if expected != path:
        raise UsageProblem("error.edit-moves", path=path, expected=expected)


def _refuse_collateral(path: str, old_text: str, new_text: str, keys: Sequence[str]) -> None:
    """A write touches only what it changes: every value it does not set reads back (as `check`
    reads it) exactly as before. A file check cannot read is refused with check's own finding."""
    try:
        old = yamlio.load(old_text)
    except yamlio.YamlProblem as problem:
        raise InvalidItem([Finding(path, problem.line, problem.col, problem.code, "error", problem.args_)]) from None
    try:
        new = yamlio.load(new_text)
    except yamlio.YamlProblem:
        return  # the new text's own check says what is wrong with it
    for key in keys:
        _drop(old, key)
        _drop(new, key)
    changed = sorted(str(key) for key in set(old) | set(new) if old.get(key) != new.get(key))
    if changed:
        raise UsageProblem("error.collateral-change", path=path, field=changed[0])


def _drop(document: dict, dotted: str) -> None:
    """Forget the field `dotted` names, and a mapping it leaves empty (which the write may have made)."""
    first, _, rest = dotted.partition(".")
    if rest and isinstance(document.get(first), dict):
        _drop(document[first], rest)
        if document[first]:
            return
    document.pop(first, None)


def _load_document(root: Path, path: str) -> CommentedMap:
    try:
        text = _read(root, path)
    except yamlio.YamlProblem as problem:
        raise InvalidItem([Finding(path, problem.line, problem.col, problem.code, "error", problem.args_)]) from None
    try:
        document = yamlio.load_round_trip(text)
    except Exception:  # noqa: BLE001 - the check below says what is wrong, and where
        document = None
    if not isinstance(document, CommentedMap):
        check_change(root, path, text)
        raise InvalidItem([Finding(path, 1, 1, "invalid-value", "error", {"field": "-", "detail": "not a mapping"})])
    return document


def _save(directory: Path, root: Path, action: str, path: str, document: CommentedMap, commit: bool) -> Written:
    """Check the new text against the whole repository, then write it (and commit it)."""
    if commit:
        refuse_uncommitted_catalog(root)
    text = yamlio.dump(document)
    check_change(root, path, text)
    item_id = str(document["id"])
    if not commit:
        write_file(directory, root, path, text)
        return Written(action, item_id, path, None)
    sha = write_and_commit(directory, root, path, text, commit_message(action, document))
    return Written(action, item_id, path, sha)


def refuse_uncommitted_catalog(root: Path) -> None:
    """A commit of an item checked against a catalog or rules that are not committed (changed, staged,
    deleted or new) would hold an item a clone of it fails to check: refused, naming the fix. Outside
    git nothing is refused here: the write itself says to `git init`."""
    # One `status`, not `ls-files --modified` (which looks at every file of the index: 0.2 s at a
    # hundred thousand items) and `diff --cached`; its paths are from the top of the work tree.
    entries = git(root, "--no-optional-locks", "status", "--porcelain=v1", "-z", "--no-renames",
                  "--untracked-files=all", "--", *CHECKED_AGAINST, check=False).split("\0")
    if not any(entries):
        return
    prefix = git(root, "rev-parse", "--show-prefix").rstrip("\n")
    paths = sorted({path for entry in entries if entry and kind_of(path := entry[3:].removeprefix(prefix))})
    if paths:
        raise UsageProblem("store.uncommitted", paths=" ".join(map(shlex.quote, paths)))


def check_change(root: Path, path: str, text: str) -> None:
    """Run every check over the repository with `text` in place of `path`, in memory.

    Errors that concern the file (in it, or naming it as the other half of a duplicate) stop
    the write; the repository's other problems are not this write's business.
    """
    others = sorted(other for other in _neighbours(root, path, text) - {path} if not leaves(root, other))
    snapshot, findings = load_replaced(root, others, {path: text.encode("utf-8")},
                                       lambda wanted: text if wanted == path else _read(root, wanted))
    concerned = [f for f in findings + run_checks(snapshot)
                 if f.severity == "error" and path in (f.path, f.args.get("other"))]
    if concerned:
        raise InvalidItem(sorted(set(concerned)))


def _neighbours(root: Path, path: str, text: str) -> set[str]:
    """What a check of one item needs besides it: the catalog and rules, the items sharing its id
    or 索引号 (duplicates) and the item its `of:` names. They are found by file name and git grep,
    as `check --since` finds them, so a write costs about the same in a repository of a hundred
    items or of a hundred thousand. (Items naming this one are not needed: their findings would be
    in their own files, which a write does not judge.)"""
    from ..check.since import catalog_files, files_of_ids, items_with_index_numbers

    try:
        document = yamlio.load(text)
    except yamlio.YamlProblem:
        document = None
    fields = document if isinstance(document, dict) else {}
    ids = {str(fields[key]) for key in ("id", "of") if fields.get(key)}
    return catalog_files(root) | files_of_ids(root, ids) | items_with_index_numbers(root, {str(fields.get("index_no") or "")})


def _read(root: Path, path: str) -> str:
    return yamlio.decode(yamlio.read_bounded(root / path))


def commit_message(action: str, document: CommentedMap) -> str:
    title = " ".join(str(document.get("title", "")).split())
    return (f"{action} {document['id']}: {title}\n\n"
            f"Gongkai-Action: {action}\nGongkai-Item: {document['id']}\nGongkai-Unit: {document.get('unit', '')}\n")


# Items, ids and catalog names -------------------------------------------------------------


def find_item(root: Path, item_id: str) -> str:
    """The repository-relative path of the item `item_id` (items/<year>/<unit>/<id>.yaml)."""
    found = [] if not re.fullmatch(SLUG, item_id) else _usual_place(root, item_id) or sorted(
        path for pattern in (f"items/*/*/{item_id}.yaml", f"items/*/*/{item_id}.yml") for path in root.glob(pattern))
    if not found:
        raise UsageProblem("error.unknown-item", value=item_id)
    return found[0].relative_to(root).as_posix()


def _usual_place(root: Path, item_id: str) -> list[Path]:
    """The item's file where gongkai files it (items/<year>/<unit>/ for `<year>-<unit>-…`), found
    without listing every unit's folder."""
    year, _, rest = item_id.partition("-")
    words = rest.split("-")
    for unit in ("-".join(words[:count]) for count in range(1, len(words))):
        for suffix in (".yaml", ".yml"):
            candidate = root / "items" / year / unit / f"{item_id}{suffix}"
            if candidate.is_file():
                return [candidate]
    return []


def new_item_id(root: Path, year: int, unit: str) -> str:
    """`<year>-<unit>-<4 random letters or digits>`: no shared counter, so branches never collide.

    An item with the id would live in items/<year>/<unit>/; one filed elsewhere by hand is still
    found by the duplicate check every write runs.
    """
    while True:
        candidate = f"{year}-{unit}-{''.join(secrets.choice(ID_ALPHABET) for _ in range(4))}"
        folder = root / "items" / str(year) / unit
        if not any((folder / f"{candidate}{suffix}").exists() for suffix in (".yaml", ".yml")):
            return candidate


def resolve(objects: list, value: Any, key: str) -> str:
    """The id of the unit or category named by `value`: its id, or its name (综合处)."""
    wanted = str(value or "").strip()
    for obj in objects:
        if wanted in (obj.id, obj.name):
            return obj.id
    raise UsageProblem(key, value=wanted)


def _formed_year(value: Any) -> int:
    try:
        return day_of(TypeAdapter(DateOrTime).validate_python(value)).year
    except ValidationError:
        raise UsageProblem("error.bad-date", value=value) from None


# Setting fields in a round-trip document ---------------------------------------------------


# Fields whose values are text: `--set` keeps what was typed (`title=No. 5 #1`, `title=123`).
TEXT_FIELDS = frozenset({"id", "title", "doc_number", "index_no", "reason", "url", "source_url", "note", "category",
                         "unit", "of", "mode", "requester", "outcome", "period"})


def parse_set(text: str) -> tuple[str, Any]:
    """`key=value` → (key, value): text fields (and every `details.*` value) keep the text as typed;
    other fields are read as YAML: `extended=true` a boolean, `disclosed=2024-10-01` a date,
    `channels=[政府网, 公报]` a list."""
    key, equals, value = text.partition("=")
    key = key.strip()
    if not equals or not key:
        raise UsageProblem("error.bad-set", value=text)
    if is_text_field(key):
        return key, value.strip()
    try:
        return key, yamlio.load_round_trip(value)
    except Exception:  # noqa: BLE001 - not YAML (an impossible date, stray quote): the text itself
        return key, value


def is_text_field(key: str) -> bool:
    parts = key.split(".")
    return parts[0] == "details" or parts[-1] in TEXT_FIELDS


def set_field(document: CommentedMap, key: str, value: Any) -> None:
    """Set `key` (dotted for nested keys: `details.资金来源`), adding it where the format puts it."""
    *parents, last = key.split(".")
    target = document
    for part in parents:
        if not isinstance(target.get(part), dict):
            _put(target, part, CommentedMap())
        target = target[part]
    if last == "doc_number" and isinstance(value, str):
        value = normalise_doc_number(value)
    _put(target, last, _yaml_value(value))


def _put(mapping: CommentedMap, key: str, value: Any) -> None:
    if key in mapping or key not in FIELD_ORDER:
        mapping[key] = value
        return
    earlier = FIELD_ORDER[: FIELD_ORDER.index(key)]
    position = max((index + 1 for index, existing in enumerate(mapping) if existing in earlier), default=0)
    mapping.insert(position, key, value)


def _yaml_value(value: Any, in_flow: bool = False) -> Any:
    """Values as the format writes them: `2024-09-23T14:30` date-times, `[a, b]` lists, and text
    quoted whenever a YAML reader (1.2, or 1.1 with its `yes`/`on`) would take it for something else."""
    if isinstance(value, str) and not isinstance(value, ScalarString) and misread(value, in_flow):
        return SingleQuotedScalarString(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes" if not value.second else "seconds")
    if isinstance(value, dict) and not isinstance(value, CommentedMap):  # keys too: `1:0` would read as 60
        return CommentedMap((_yaml_value(key), _yaml_value(inner)) for key, inner in value.items())
    if isinstance(value, (list, tuple)) and not isinstance(value, CommentedSeq):
        sequence = CommentedSeq(_yaml_value(element, in_flow=True) for element in value)
        sequence.fa.set_flow_style()
        return sequence
    return value


def misread(value: str, in_flow: bool = False) -> bool:
    """Whether `value` written plain would read back as anything but this text — on its own, or as
    an element of a `[…]` list, where plain text obeys stricter rules (`:0`, `?0`, `a, b`)."""
    try:
        return yaml.load(f"[{value}]" if in_flow else value, Loader=_SAFE) != ([value] if in_flow else value)
    except Exception:  # noqa: BLE001 - unreadable (`2024-02-30`, a stray quote): quote it
        return True


def _add_channels(document: CommentedMap, channels: Sequence[str]) -> None:
    existing = document.get("channels")
    if not isinstance(existing, list):
        set_field(document, "channels", list(dict.fromkeys(channels)))
        return
    for channel in channels:
        if channel not in existing:
            existing.append(_yaml_value(channel, in_flow=True))
