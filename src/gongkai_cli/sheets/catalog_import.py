"""`import catalog`: a 基层政务公开标准目录 workbook → categories (catalog/categories.yaml) and the
rules its 公开时限 set (rules/catalog.yaml), checked as `gongkai check` would, in one commit.

Each row's category is merged into the file by id: the keys a row sets are written, every other
key of the category (reviews, fields …, added by hand) is kept, and a category the workbook does
not name is left alone. rules/catalog.yaml holds the imported rules; a rule of an imported
category that its row no longer sets is removed. Nothing changed, nothing written: no commit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..check.check import run_checks
from ..check.since import catalog_files
from ..errors import UsageProblem
from ..load import yamlio
from ..load.load import load_replaced
from ..load.repo import git
from ..model.findings import Finding
from ..model.models import SLUG, Category, PeriodicRule, Unit
from ..write.gitwrite import repository_lock, write_and_commit_files, write_file
from ..write.store import catalog
from .catalog_ids import category_id, rule_ids
from .catalog_layout import SheetRecord, find_layout, records
from .subjects import match_subject
from .time_limit import describe_rule, read_time_limit
from .workbook import read_grids

CATEGORIES = "catalog/categories.yaml"
RULES = "rules/catalog.yaml"
DEFAULT_SHEET = "目录"  # the sheet `export catalog` puts categories on that came from no sheet
RULE_KEYS = ("id", "name", "category", "basis", "every", "due", "min_items", "within", "once", "request")
CATEGORY_ORDER = [name for name in Category.model_fields if name != "note"]
# A value the row leaves to the default (None) keeps a key that states the default: `scope: public`.
CATEGORY_DEFAULTS = {name: field.default for name, field in Category.model_fields.items() if not field.is_required()}
RULE_DEFAULTS = {name: field.default for name, field in PeriodicRule.model_fields.items() if not field.is_required()}


@dataclass
class RowPlan:
    """One data row: the category keys it sets (None: the key goes), its rules, its problems."""

    record: SheetRecord
    category: dict[str, Any]
    rules: list[dict] = field(default_factory=list)
    problems: list[tuple[str, dict]] = field(default_factory=list)
    status: str = "unchanged"  # new | changed | unchanged | skipped

    @property
    def id(self) -> str:
        return self.category["id"]


@dataclass
class CatalogImport:
    name: str
    rows: list[RowPlan]
    files: dict[str, str] = field(default_factory=dict)  # path → new text, only the files that change
    removed_rules: list[str] = field(default_factory=list)
    commit: str | None = None

    def count(self, status: str) -> int:
        return sum(row.status == status for row in self.rows)

    @property
    def rule_count(self) -> int:
        return sum(len(row.rules) for row in self.rows if row.status != "skipped")


class CatalogRejected(Exception):
    """The new catalog does not pass `gongkai check`; nothing was written. `places`: where each
    finding is, as the person knows it — `FILE:SHEET!ROW` for an entry a row made, the file's own
    `path:line:col` for the rest."""

    def __init__(self, findings: list[Finding], places: list[str]):
        super().__init__(f"{len(findings)} findings")
        self.findings, self.places = findings, places


def import_catalog(root: Path, source: Path, sheet: str | None = None, dry_run: bool = False,
                   commit: bool = True) -> CatalogImport:
    with repository_lock(root) as directory:
        known = catalog(root)
        result = CatalogImport(source.name, plan_rows(read_records(source, sheet), known.units, known.categories))
        result.files = _merged_files(root, result)
        if not result.files or dry_run:
            return result
        if commit:
            _refuse_local_changes(root, list(result.files))
        _check(root, result)
        if commit:
            result.commit = write_and_commit_files(directory, root, result.files, commit_message(result))
        else:
            for path, text in result.files.items():
                write_file(directory, root, path, text)
        return result


def read_records(source: Path, sheet: str | None) -> list[SheetRecord]:
    """The data rows of every sheet that has a catalog header (or of `sheet`)."""
    found: list[SheetRecord] = []
    laid_out = False
    for grid in read_grids(source, sheet):
        layout = find_layout(grid)
        if layout is not None:
            laid_out = True
            found += records(grid, layout)
    if not laid_out:
        raise UsageProblem("catalog.no-header", path=source)
    return found


# Rows → categories and rules ---------------------------------------------------------------


def plan_rows(found: list[SheetRecord], units: list[Unit], categories: list[Category] = ()) -> list[RowPlan]:
    ids = _ids(found, categories)
    plans: list[RowPlan] = []
    seen: dict[str, RowPlan] = {}
    for record, cid in zip(found, ids):
        plan = plan_row(record, cid, units)
        if cid in seen:
            plan.status = "skipped"
            plan.problems.append(("duplicate-row", {"other": seen[cid].record.where}))
        else:
            seen[cid] = plan
        plans.append(plan)
    return plans


def _ids(found: list[SheetRecord], categories: list[Category]) -> list[str]:
    """The id column's where it holds one; else the id of the one category imported before from a
    row of that name on that sheet (so importing one sheet, then the workbook, names it alike);
    else from 一级/二级事项, with the sheet's initials where the same pair is on more than one sheet."""
    sheets: dict[tuple[str, str], set[str]] = {}
    for record in found:
        sheets.setdefault(_pair(record), set()).add(record.sheet)
    before: dict[tuple[str, str], list[str]] = {}
    for category in categories:
        sheet = category.sheet.name if category.sheet is not None and category.sheet.name else DEFAULT_SHEET
        before.setdefault((sheet, category.name), []).append(category.id)
    ids = []
    for record in found:
        given = record.values.get("id", "")
        group, name = _pair(record)
        known = before.get((record.sheet, name), [])
        ids.append(given if re.fullmatch(SLUG, given) else known[0] if len(known) == 1 else
                   category_id(group, name, record.sheet if len(sheets[(group, name)]) > 1 else None))
    return ids


def _pair(record: SheetRecord) -> tuple[str, str]:
    group = record.values.get("group", "")
    return group, record.values.get("name") or group


def plan_row(record: SheetRecord, cid: str, units: list[Unit]) -> RowPlan:
    values, ticked = record.values, record.ticked
    name = _pair(record)[1]
    text = values.get("time_limit", "")
    reading = read_time_limit(text) if text else None
    modes = _ordered(ticked.get("modes", []), ("proactive", "on-request"))
    category: dict[str, Any] = {"id": cid, "name": name, "content": values.get("content") or None,
                                "channels": record.channels or None, "basis": values.get("basis") or None,
                                "time_limit_text": text or None}
    plan = RowPlan(record, category)
    if modes == ["on-request"]:
        category["time_limit"] = "on-request"
    elif reading is not None:
        category["time_limit"] = "standing" if reading.standing else None  # None: the default, timely
    audience = _ordered(ticked.get("audience", []), ("public", "group"))
    if audience:
        category["scope"] = None if "public" in audience else "group"
    _plan_units(plan, units, _ordered(ticked.get("levels", []), ("county", "township")))
    category["sheet"] = _sheet_row(record, category, units, audience, modes) or None
    if reading is not None:
        if not (reading.computable or reading.standing):  # 及时公开 too: timely, with no deadline to count
            plan.problems.append(("time-limit-unread", {"text": text}))
        extension = next((note["within"] for note in reading.notes if note["code"] == "extension"), None)
        shapes = [_as_request(shape, extension) if modes == ["on-request"] else shape for shape in reading.rules]
        plan.rules = [_rule(rule_id, name, cid, values.get("basis"), shape)
                      for rule_id, shape in zip(rule_ids(cid, shapes), shapes)]
    return plan


def _ordered(options: list[str], order: tuple[str, ...]) -> list[str]:
    return [option for option in order if option in options]


def _plan_units(plan: RowPlan, units: list[Unit], levels: list[str]) -> None:
    """units: the matched 公开主体, narrowed by 县级/乡级; a subject naming no unit leaves the key as it is."""
    subject = plan.record.values.get("subject", "")
    if not (subject or levels):
        return
    found, unmatched = match_subject(subject, units, levels)
    for part in unmatched:
        plan.problems.append(("unit-unmatched", {"text": part}))
    if found is not None or not unmatched:
        plan.category["units"] = found


def _sheet_row(record: SheetRecord, category: dict, units: list[Unit], audience: list[str],
               modes: list[str]) -> dict:
    """What the row says that the category's keys do not: each key only where it is not implied."""
    names = {unit.id: unit.name for unit in units}
    group, name = _pair(record)
    subject = record.values.get("subject", "")
    implied_subject = "、".join(names[unit_id] for unit_id in category.get("units") or [])
    scope = category.get("scope", "public") or "public"
    implied_modes = ["on-request"] if category.get("time_limit") == "on-request" else ["proactive"]
    row = {"name": record.sheet if record.sheet != DEFAULT_SHEET else None,
           "group": group if group and group != name else None,
           "subject": subject if subject and subject != implied_subject else None,
           "audience": audience if audience and audience != [scope] else None,
           "modes": modes if modes and modes != implied_modes else None,
           "levels": _ordered(record.ticked.get("levels", []), ("county", "township")) or None}
    return {key: value for key, value in row.items() if value is not None}


def _as_request(shape: dict, extension: dict | None) -> dict:
    """On a 依申请-only row, a count of days is a request's: from `received`, met by `replied`,
    with the cell's 延长 as its extension."""
    if "within" not in shape:
        return shape
    terms = {"within": shape["within"], **({"extension": extension} if extension else {})}
    return {"request": terms}


def _rule(rule_id: str, name: str, cid: str, basis: str | None, shape: dict) -> dict:
    rule = {"id": rule_id, "name": f"{name}（{describe_rule(shape, 'zh')}）", "category": cid}
    if basis:
        rule["basis"] = basis
    rule.update(shape)
    if "once" in rule:
        rule["once"] = date.fromisoformat(rule["once"])
    return rule


# Merging into the files ------------------------------------------------------------------------


def _merged_files(root: Path, result: CatalogImport) -> dict[str, str]:
    rows = [row for row in result.rows if row.status != "skipped"]
    files = {}
    categories = _document(root, CATEGORIES)
    if _merge_categories(categories, rows):
        files[CATEGORIES] = yamlio.dump(categories)
    rules = _document(root, RULES)
    imported = {row.id for row in rows}
    produced = [rule for row in rows for rule in row.rules]
    result.removed_rules = _drop_rules(rules, imported, {rule["id"] for rule in produced})
    if _merge_rules(rules, produced) or result.removed_rules:
        files[RULES] = yamlio.dump(rules)
    return files


def _document(root: Path, path: str) -> CommentedSeq:
    target = root / path
    if not target.is_file():
        return CommentedSeq()
    document = yamlio.load_round_trip(yamlio.decode(yamlio.read_bounded(target)))
    if document is None:
        return CommentedSeq()
    if not isinstance(document, CommentedSeq):
        raise UsageProblem("catalog.not-a-list", path=path)
    return document


def _merge_categories(document: CommentedSeq, rows: list[RowPlan]) -> bool:
    by_id = {str(entry.get("id")): entry for entry in document if isinstance(entry, CommentedMap)}
    for row in rows:
        existing = by_id.get(row.id)
        if existing is None:
            document.append(_mapping(row.category, CATEGORY_ORDER))
            row.status = "new"
        elif _update(existing, row.category, CATEGORY_ORDER, CATEGORY_DEFAULTS):
            row.status = "changed"
    return any(row.status != "unchanged" for row in rows)


def _merge_rules(document: CommentedSeq, produced: list[dict]) -> bool:
    by_id = {str(entry.get("id")): entry for entry in document if isinstance(entry, CommentedMap)}
    changed = False
    for rule in produced:
        existing = by_id.get(rule["id"])
        full = {key: rule.get(key) for key in RULE_KEYS}
        if existing is None:
            document.append(_mapping(full, list(RULE_KEYS)))
            changed = True
        else:
            changed |= _update(existing, full, list(RULE_KEYS), RULE_DEFAULTS)
    return changed


def _drop_rules(document: CommentedSeq, categories: set[str], kept: set[str]) -> list[str]:
    """Remove the rules of the imported categories that their rows no longer set; their ids."""
    dropped = [index for index, entry in enumerate(document) if isinstance(entry, CommentedMap)
               and str(entry.get("category")) in categories and str(entry.get("id")) not in kept]
    ids = [str(document[index]["id"]) for index in dropped]
    for index in reversed(dropped):
        del document[index]
    return ids


def _update(mapping: CommentedMap, values: dict[str, Any], order: list[str], defaults: dict[str, Any]) -> bool:
    """Set the keys whose values differ (None removes a key, unless it states the default); whether
    anything changed."""
    changed = False
    for key, value in values.items():
        if value is None:
            if key in mapping and (defaults.get(key) is None or plain(mapping[key]) != defaults[key]):
                del mapping[key]
                changed = True
        elif plain(mapping.get(key)) != plain(value):
            _put(mapping, key, value, order)
            changed = True
    return changed


def _mapping(values: dict[str, Any], order: list[str]) -> CommentedMap:
    mapping = CommentedMap()
    for key in order:
        if values.get(key) is not None:
            mapping[key] = _yaml(key, values[key])
    return mapping


def _put(mapping: CommentedMap, key: str, value: Any, order: list[str]) -> None:
    if key in mapping or key not in order:
        mapping[key] = _yaml(key, value)
        return
    earlier = order[: order.index(key)]
    position = max((index + 1 for index, existing in enumerate(mapping) if existing in earlier), default=0)
    mapping.insert(position, key, _yaml(key, value))


def _yaml(key: str, value: Any) -> Any:
    """Lists and the small mappings of a rule (`within`, `due`) in flow style, as format.md writes them."""
    if isinstance(value, list):
        sequence = CommentedSeq(value)
        sequence.fa.set_flow_style()
        return sequence
    if isinstance(value, dict):
        mapping = CommentedMap((name, _yaml(name, inner)) for name, inner in value.items())
        if key != "sheet":
            mapping.fa.set_flow_style()
        return mapping
    return value


def plain(value: Any) -> Any:
    """A round-trip YAML value as plain Python, to compare with what a row sets."""
    if isinstance(value, dict):
        return {str(key): plain(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [plain(inner) for inner in value]
    if isinstance(value, str):
        return str(value)
    return value


# Checking and committing --------------------------------------------------------------------------


def _check(root: Path, result: CatalogImport) -> None:
    files = result.files
    contents = {path: text.encode("utf-8") for path, text in files.items()}
    others = sorted(catalog_files(root) - set(files))

    def read(path: str) -> str:
        return files[path] if path in files else yamlio.decode(yamlio.read_bounded(root / path))

    snapshot, findings = load_replaced(root, others, contents, read)
    concerned = sorted({finding for finding in findings + run_checks(snapshot)
                        if finding.severity == "error" and (finding.path in files or finding.args.get("other") in files)})
    if concerned:
        raise CatalogRejected(concerned, _places(result, concerned))


def _places(result: CatalogImport, findings: list[Finding]) -> list[str]:
    """Each finding's place: the sheet row whose category or rule holds its line, else the file's line."""
    row_of = {row.id: row for row in result.rows}
    row_of |= {rule["id"]: row for row in result.rows for rule in row.rules}
    starts = {path: _entry_lines(text) for path, text in result.files.items()}
    places = []
    for finding in findings:
        entries = [entry_id for line, entry_id in starts.get(finding.path, []) if line <= finding.line]
        row = row_of.get(entries[-1]) if entries else None
        places.append(f"{result.name}:{row.record.where}" if row is not None else f"{finding.path}:{finding.line}:{finding.col}")
    return places


def _entry_lines(text: str) -> list[tuple[int, str]]:
    """(first line, id) of each entry of a list file, in order."""
    document = yamlio.load_round_trip(text)
    return [(entry.lc.line + 1, str(entry.get("id"))) for entry in document or [] if isinstance(entry, CommentedMap)]


def _refuse_local_changes(root: Path, paths: list[str]) -> None:
    changed = git(root, "status", "--porcelain", "--", *paths).strip()
    if changed:
        raise UsageProblem("catalog.has-changes", path=changed.splitlines()[0][3:])


def commit_message(result: CatalogImport) -> str:
    return (f"import catalog {result.name}: {result.count('new')} new, {result.count('changed')} changed categories, "
            f"{result.rule_count} rules\n\nGongkai-Action: import\n")


# In words --------------------------------------------------------------------------------------


def problem_text(code: str, args: dict, lang: str) -> str:
    from ..messages import text

    return text(f"catalog.problem.{code}", lang, **args)


def render_plan(result: CatalogImport, lang: str) -> str:
    """`--dry-run`: row → category → rules → problems, one line a row."""
    from ..messages import text
    from ..report.tables import Table, terminal_width

    table = Table([text(f"catalog.column.{column}", lang) for column in ("row", "category", "status", "rules", "problems")],
                  title=text("catalog.plan-title", lang, name=result.name))
    for row in result.rows:
        rules = "\n".join(f"{rule['id']}: {describe_rule(rule, lang)}" for rule in row.rules)
        problems = "\n".join(problem_text(code, args, lang) for code, args in row.problems)
        table.add_row(row.record.where, f"{row.id} {row.category['name']}", text(f"catalog.status.{row.status}", lang),
                      rules, problems)
    return table.render(terminal_width(160))


def problem_lines(result: CatalogImport, lang: str) -> list[str]:
    """Every row's problems as `SHEET!ROW: code: message` (rows with no deadline among them)."""
    return [f"{result.name}:{row.record.where}: {code}: {problem_text(code, args, lang)}"
            for row in result.rows for code, args in row.problems]
