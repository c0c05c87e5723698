"""`import items`: a 台账 (one item a row) → item files, checked as `gongkai check` checks them,
written all together in one commit, or not at all.

Ids are stable, so importing the same sheet again changes nothing: an `条目编号` (id) column is
taken as it is; otherwise a row is the item already there with its 索引号 (or its unit and 文号);
otherwise the id is `<year>-<unit>-<10 hex digits>` of a digest of what names the
row's item: its 文号 (normalised), else its 索引号, else its title and 成文日期.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..check.check import normalise_doc_number, run_checks
from ..errors import UsageProblem
from ..load import yamlio
from ..load.load import Snapshot, load_replaced, load_repository
from ..load.repo import git, scan
from ..messages import text
from ..model.kinds import item_path
from ..model.models import Item, day_of, kind_of
from ..write.gitwrite import repository_lock, write_and_commit_files, write_file
from ..write.store import set_field
from .ledger_columns import (
    COLUMNS,
    DATE_FIELDS,
    DETAILS,
    IGNORED,
    BadDate,
    cell_text,
    channels_of,
    field_of,
    mode_of,
    normalise_header,
    parse_date,
    shown,
)
from .ledger_yaml import item_text
from .tabular import Table, column_letter, read_table

REQUIRED = ("title", "unit", "category", "formed")
# Fields a --map may name besides the ledger's own columns (dates of requests, plain text fields).
MAPPABLE = frozenset(COLUMNS) | {"received", "corrected", "replied", "requester", "outcome", "of", "source_url"}
DATES = DATE_FIELDS | {"received", "corrected", "replied"}
DUPLICATED = {"duplicate-id": "id", "duplicate-index-no": "index_no"}  # the field a duplicate finding is about


@dataclass(frozen=True, order=True)
class Problem:
    """What is wrong with one cell (or row) of the sheet."""

    row: int
    column: str  # the column's letter; a field's name where the sheet has no column for it
    code: str
    args: dict[str, Any] = field(default_factory=dict, compare=False)
    key: str = field(default="", compare=False)  # the message, when not finding.<code>

    def line(self, name: str, lang: str) -> str:
        message = text(self.key or f"finding.{self.code}", lang, **self.args)
        return f"{name}:{self.row}:{self.column}: {self.code}: {message}"


class LedgerRejected(Exception):
    """Some row does not pass; nothing was written."""

    def __init__(self, name: str, problems: list[Problem]):
        super().__init__(f"{len(problems)} problems")
        self.name, self.problems = name, problems


@dataclass
class Planned:
    row: int
    item_id: str
    path: str
    action: str  # new | changed | unchanged
    text: str | None = None


@dataclass
class Imported:
    name: str
    planned: list[Planned]
    ignored: list[str]  # headers of the columns nothing was read from
    commit: str | None = None
    written: bool = False
    warnings: list[Problem] = field(default_factory=list)  # check's warnings of the rows: they do not stop it

    def count(self, action: str) -> int:
        return sum(1 for plan in self.planned if plan.action == action)


# The columns -------------------------------------------------------------------------------


def parse_maps(maps: Iterable[str]) -> dict[str, str]:
    """`--map 发文机关=unit` → {normalised header: field}."""
    parsed = {}
    for entry in maps:
        header, equals, target = entry.partition("=")
        target = target.strip()
        valid = target in MAPPABLE or (target.startswith(DETAILS) and len(target) > len(DETAILS))
        if not equals or not header.strip() or not valid:
            raise UsageProblem("error.bad-map", value=entry, fields=", ".join(sorted(MAPPABLE)))
        parsed[normalise_header(header)] = target
    return parsed


def _field(header: Any, maps: dict[str, str]) -> str | None:
    return maps.get(normalise_header(header)) or field_of(header)


def _columns(table: Table, maps: dict[str, str]) -> tuple[dict[int, str], list[str]]:
    """{column index: field}, and the headers of the columns left unread."""
    columns: dict[int, str] = {}
    ignored = []
    for index, header in enumerate(table.headers):
        name = _field(header, maps)
        if name is None or name in columns.values():
            if cell_text(header) and normalise_header(header) not in IGNORED:
                ignored.append(cell_text(header))
            continue
        columns[index] = name
    missing = [name for name in REQUIRED if name not in columns.values()]
    if missing:
        raise UsageProblem("error.ledger-columns", fields=", ".join(missing),
                           headers="、".join(cell_text(header) for header in table.headers if cell_text(header)))
    return columns, ignored


# Rows → fields -----------------------------------------------------------------------------


@dataclass
class Row:
    number: int
    fields: dict[str, Any]
    problems: list[Problem]


def _read_row(number: int, cells: list[Any], columns: dict[int, str], known: Snapshot) -> Row:
    row = Row(number, {}, [])
    for index, name in columns.items():
        raw = cells[index]
        if cell_text(raw) == "":
            if name in REQUIRED:
                row.problems.append(Problem(number, column_letter(index), "missing-field", {"field": name}))
            continue
        try:
            value = _value(name, raw, known)
        except BadDate:
            row.problems.append(Problem(number, column_letter(index), "invalid-date", {"field": name, "value": cell_text(raw)},
                                        key="ledger.invalid-date"))
            continue
        except LookupError:
            row.problems.append(Problem(number, column_letter(index), f"unknown-{name}", {"value": cell_text(raw)}))
            continue
        if name.startswith(DETAILS):
            row.fields.setdefault("details", {})[name[len(DETAILS):]] = value
        else:
            row.fields[name] = value
    return row


def _value(name: str, raw: Any, known: Snapshot) -> Any:
    if name in DATES:
        return parse_date(raw)
    if name == "unit":
        return _by_name(known.units, raw)
    if name == "category":
        return _by_name(known.categories, raw)
    if name == "mode":
        return mode_of(raw)
    if name == "channels":
        return channels_of(raw)
    if name == "doc_number":
        return normalise_doc_number(cell_text(raw))
    return cell_text(raw)


def _by_name(objects: list, raw: Any) -> str:
    """The id of the unit or category the cell names by id or by name."""
    wanted = cell_text(raw)
    for obj in objects:
        if wanted in (obj.id, obj.name):
            return obj.id
    raise LookupError(wanted)


def item_id(fields: dict[str, Any]) -> str:
    if fields.get("id"):
        return str(fields["id"])
    if fields.get("doc_number"):
        key = "doc:" + fields["doc_number"]
    elif fields.get("index_no"):
        key = "index:" + fields["index_no"]
    else:
        key = f"title:{fields['title']}|{day_of(fields['formed']).isoformat()}"
    digest = hashlib.sha1(f"{fields['unit']}|{key}".encode()).hexdigest()[:10]
    return f"{day_of(fields['formed']).year}-{fields['unit']}-{digest}"


# The plan ----------------------------------------------------------------------------------


def import_items(root: Path, source: Path, sheet: str | None = None, maps: Iterable[str] = (),
                 dry_run: bool = False, commit: bool = True) -> Imported:
    """Read the ledger, check every row as `gongkai check` would, then write all (one commit) or nothing."""
    mapped = parse_maps(maps)
    table = read_table(source, sheet, lambda cells: sum(1 for cell in cells if _field(cell, mapped)) >= 2)
    columns, ignored = _columns(table, mapped)
    with repository_lock(root) as directory:
        files, _ = scan(root)
        planned, problems = _plan(root, table, columns, files)
        errors, warnings = _checked(root, files, planned, columns)
        problems += errors
        if problems:
            raise LedgerRejected(table.name, sorted(problems))
        result = Imported(table.name, planned, ignored, warnings=sorted(warnings))
        changes = {plan.path: plan.text for plan in planned if plan.text is not None}
        if dry_run or not changes:
            return result
        if not commit:
            for path, content in changes.items():
                write_file(directory, root, path, content)
        else:
            _refuse_local_changes(root, changes)
            result.commit = write_and_commit_files(directory, root, changes, _message(result))
        result.written = True
        return result


@dataclass
class Known:
    """What the repository already has, for reading rows and finding their items."""

    snapshot: Snapshot
    paths: dict[str, str]  # item id → its file (by file name too, for a file that does not load)
    by_index: dict[str, str]  # 索引号 → item id
    by_doc: dict[tuple[str, str], str]  # (unit, 文号) → item id

    @classmethod
    def of(cls, root: Path, files: list[str]) -> Known:
        snapshot, _ = load_repository(root, files)
        paths = {Path(path).stem: path for path in files if kind_of(path) == "item"}
        paths.update({item.id: snapshot.source(item).path for item in snapshot.items})
        by_index = {item.index_no: item.id for item in snapshot.items if item.index_no}
        by_doc = {(item.unit, normalise_doc_number(item.doc_number)): item.id for item in snapshot.items if item.doc_number}
        return cls(snapshot, paths, by_index, by_doc)

    def identity(self, fields: dict[str, Any]) -> str:
        """The row's id: its own, else the item with its 索引号 or its unit's 文号, else derived."""
        found = fields.get("id") or self.by_index.get(fields.get("index_no") or "")
        found = found or self.by_doc.get((fields["unit"], fields.get("doc_number") or ""))
        return str(found) if found else item_id(fields)


def _plan(root: Path, table: Table, columns: dict[int, str], files: list[str]) -> tuple[list[Planned], list[Problem]]:
    known = Known.of(root, files)
    items = known.snapshot.item_by_id
    planned: list[Planned] = []
    problems: list[Problem] = []
    first_row: dict[str, int] = {}
    id_column = next((column_letter(index) for index, name in columns.items() if name == "id"), "id")
    for number, cells in table.rows:
        row = _read_row(number, cells, columns, known.snapshot)
        if row.problems:
            problems += row.problems
            continue
        identity = known.identity(row.fields)
        if identity in first_row:
            problems.append(Problem(number, id_column, "duplicate-row", {"id": identity, "other": first_row[identity]},
                                    key="ledger.duplicate-row"))
            continue
        first_row[identity] = number
        planned.append(_planned(root, row, identity, known.paths.get(identity), items.get(identity)))
    return planned, problems


def _planned(root: Path, row: Row, identity: str, path: str | None, current: Item | None) -> Planned:
    fields = {**row.fields, "id": identity}
    if path is None:
        path = item_path(day_of(fields["formed"]).year, fields["unit"], f"{identity}.yaml")
        return Planned(row.number, identity, path, "new", item_text(fields))
    changed = _changed(current, fields)
    if not changed:
        return Planned(row.number, identity, path, "unchanged")
    document = yamlio.load_round_trip(yamlio.decode(yamlio.read_bounded(root / path)))
    for key, value in changed:
        set_field(document, key, value)
    return Planned(row.number, identity, path, "changed", yamlio.dump(document))


def _changed(current: Item | None, fields: dict[str, Any]) -> list[tuple[str, Any]]:
    """The (dotted) fields whose sheet value differs from the item's, as the sheet shows them (all
    of them for a file that does not load); an empty cell never removes a value."""
    changed = []
    for key, value in fields.items():
        if key == "details":
            details = current.details if current is not None else {}
            changed += [(f"details.{name}", inner) for name, inner in value.items()
                        if current is None or shown(name, details.get(name)) != shown(name, inner)]
        elif current is None or not _same(key, getattr(current, key), value):
            changed.append((key, value))
    return changed


def _same(key: str, old: Any, new: Any) -> bool:
    if key in DATES and old is not None:
        try:
            return parse_date(old) == new
        except BadDate:
            return False
    if key == "doc_number" and isinstance(old, str):
        old = normalise_doc_number(old)
    return shown(key, old) == shown(key, new)


# Checking the plan as `gongkai check` would --------------------------------------------------


def _checked(root: Path, files: list[str], planned: list[Planned],
             columns: dict[int, str]) -> tuple[list[Problem], list[Problem]]:
    """The repository checked with every new and changed item in place; (the errors, the warnings)
    in (or naming) those items, each at its row and column."""
    contents = {plan.path: plan.text.encode("utf-8") for plan in planned if plan.text is not None}
    if not contents:
        return [], []
    others = [path for path in files if path not in contents]
    read = _reader(root, contents)
    snapshot, findings = load_replaced(root, others, contents, read)
    by_path = {plan.path: plan for plan in planned}
    letters = {name: column_letter(index) for index, name in columns.items()}
    problems: dict[str, list[Problem]] = {"error": [], "warning": []}
    for finding in findings + run_checks(snapshot):
        path = finding.path if finding.path in contents else finding.args.get("other")
        if path not in contents:
            continue
        args = dict(finding.args)
        if path == finding.path:
            name = _field_at(read(path), finding.line)
        else:  # a duplicate found in the other file: said of this row, naming that file
            name, args["other"] = DUPLICATED.get(finding.code, "id"), finding.path
        problems[finding.severity].append(Problem(by_path[path].row, letters.get(name, name), finding.code, args))
    return problems["error"], problems["warning"]


def _reader(root: Path, contents: dict[str, bytes]):
    def read(path: str) -> str:
        if path in contents:
            return contents[path].decode("utf-8")
        return yamlio.decode(yamlio.read_bounded(root / path))
    return read


def _field_at(content: str, line: int) -> str:
    """The (dotted, for `details`) key whose value holds `line` of an item's text."""
    lines = content.splitlines()
    inner = None
    for number in range(min(line, len(lines)) - 1, -1, -1):
        text_line = lines[number]
        if text_line.startswith("  ") and inner is None and ":" in text_line:
            inner = text_line.strip().split(":", 1)[0].strip("'\"")
        elif text_line and not text_line[0].isspace() and ":" in text_line:
            key = text_line.split(":", 1)[0]
            return f"details.{inner}" if key == "details" and inner else key
    return "id"


def _refuse_local_changes(root: Path, changes: dict[str, str]) -> None:
    """The commit holds the sheet's version of each file; a file with work not yet committed is refused."""
    prefix = git(root, "rev-parse", "--show-prefix").rstrip("\n")
    listing = git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", "items")
    dirty = {entry[3:] for entry in listing.split("\0") if len(entry) > 3}
    touched = sorted(path for path in changes if prefix + path in dirty)
    if touched:
        raise UsageProblem("error.item-has-changes", path=touched[0])


def _message(result: Imported) -> str:
    return (f"import items {Path(result.name).name}: {result.count('new')} new, {result.count('changed')} changed\n\n"
            "Gongkai-Action: import\n")



# What the person is told ----------------------------------------------------------------------


def dry_run_lines(result: Imported, lang: str) -> list[str]:
    """Row → id → what would happen → file, one line each."""
    return [f"{plan.row}\t{plan.item_id}\t{text(f'ledger.action.{plan.action}', lang)}\t{plan.path}"
            for plan in result.planned]


def summary_key(result: Imported) -> tuple[str, dict[str, Any]]:
    counts = {action: result.count(action) for action in ("new", "changed", "unchanged")}
    if not result.written:
        return ("ledger.nothing" if not counts["new"] + counts["changed"] else "ledger.would-write"), counts
    if result.commit:
        return "ledger.committed", {**counts, "commit": result.commit[:10]}
    return "ledger.written", counts
