"""The validations over a Snapshot: each a small function returning findings."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime
from itertools import compress, count, repeat
from operator import is_not
from typing import Callable, Iterator, Sequence

from ..load.load import Snapshot
from ..load.repo import evidence_state
from ..model.findings import Finding
from ..model.kinds import item_path
from ..model.models import Category, CompanionRule, EventRule, Item, day_of
from ..model.where import matches
from ..schedule.settings import local_day, office_zone
from .reports_check import check_report_files, check_request_fields
from .rule_keys import CONTEXT_RULE_KEY_CHECKS, ITEM_RULE_KEY_CHECKS

Check = Callable[[Snapshot], list[Finding]]

# Document numbers --------------------------------------------------------------------------

_YEAR_BRACKETS = re.compile(r"[\[\(（【]\s*(\d{4})\s*[\]\)）】]")


def normalise_doc_number(value: str) -> str:
    """内扶办发[2018]70号, (2018), （2018）, 【2018】 → 内扶办发〔2018〕70号."""
    return _YEAR_BRACKETS.sub(r"〔\1〕", value.strip())


# Privacy -----------------------------------------------------------------------------------


def check_privacy(snapshot: Snapshot) -> list[Finding]:
    """Identity and mobile numbers in items the public (or a group) sees (found when each file was
    loaded: privacy.py), but for the kinds the item's category allows (`privacy: {allow: [mobile]}`)."""
    categories = snapshot.category_by_id
    findings = []
    for item in snapshot.items:
        category = categories.get(item.category)
        if item.mode == "not-disclosed" or (category and category.scope not in ("public", "group")):
            continue
        allowed = {f"privacy-{kind}" for kind in category.privacy.allow} if category and category.privacy else set()
        for path, code, masked in snapshot.privacy_marks(item):
            if code not in allowed:
                findings.append(snapshot.finding(item, path, code, masked=masked))
    return findings


# Identity and references ---------------------------------------------------------------


def _duplicates(snapshot: Snapshot, objects: Sequence, values: list, kind: str, code: str, field: str) -> list[Finding]:
    """A finding at each of `objects` whose value (`values`, in the same order) an earlier one has."""
    present = [value for value in values if value is not None] if None in values else values
    if len(set(present)) == len(present):  # the usual case, told in one pass over a hundred thousand items
        return []
    first: dict = {}
    findings = []
    for index, value in enumerate(values):
        if value is None:
            continue
        if value in first:
            other = snapshot.source(objects[first[value]]).path
            args = {"kind": kind, "id": value} if code == "duplicate-id" else {"value": value}
            findings.append(snapshot.finding(objects[index], (field,), code, other=other, **args))
        else:
            first[value] = index
    return findings


def check_unique_ids(snapshot: Snapshot) -> list[Finding]:
    findings = []
    for kind, objects in (("unit", snapshot.units), ("category", snapshot.categories), ("rule", snapshot.rules)):
        findings += _duplicates(snapshot, objects, [obj.id for obj in objects], kind, "duplicate-id", "id")
    return findings


def check_item_ids(snapshot: Snapshot) -> list[Finding]:
    """Item ids and index numbers, each used once in the repository."""
    items = snapshot.items
    return (_duplicates(snapshot, items, snapshot.item_values("id"), "item", "duplicate-id", "id")
            + _duplicates(snapshot, items, snapshot.item_values("index_no"), "item", "duplicate-index-no", "index_no"))


def check_unit_tree(snapshot: Snapshot) -> list[Finding]:
    units = snapshot.unit_by_id
    findings = []
    for unit in snapshot.units:
        if unit.parent is not None and unit.parent not in units:
            findings.append(snapshot.finding(unit, ("parent",), "unknown-parent", value=unit.parent))
    order = {unit.id: index for index, unit in reversed(list(enumerate(snapshot.units)))}
    for cycle in _parent_cycles(units):
        first = min(range(len(cycle)), key=lambda index: order[cycle[index]])  # told at its first unit in the file
        chain = cycle[first:] + cycle[:first]
        findings.append(snapshot.finding(units[chain[0]], ("parent",), "parent-cycle", cycle=" → ".join(chain + [chain[0]])))
    return findings


def _parent_cycles(units: dict) -> list[list[str]]:
    """Each cycle of parent links once, in the order the links run: every unit is walked up from
    at most once, so a 2,400-unit chain costs 2,400 steps, not millions."""
    settled: set[str] = set()
    cycles = []
    for start in units:
        path: dict[str, int] = {}  # the units of this walk, in order
        current = start
        while current in units and current not in settled and current not in path:
            path[current] = len(path)
            current = units[current].parent
        if current in path:
            cycles.append(list(path)[path[current]:])
        settled.update(path)
    return cycles


def _reference(snapshot: Snapshot, obj, path: tuple, value: str, known, code: str, broken: str) -> list[Finding]:
    if value in known or broken in snapshot.broken:
        return []
    return [snapshot.finding(obj, path, code, value=value)]


def check_catalog_references(snapshot: Snapshot) -> list[Finding]:
    units = snapshot.unit_by_id
    findings = []
    for category in snapshot.categories:
        for index, unit in enumerate(category.units or []):
            findings += _reference(snapshot, category, ("units", index), unit, units, "unknown-unit", "units")
    return findings


def check_rule_references(snapshot: Snapshot) -> list[Finding]:
    units, categories = snapshot.unit_by_id, snapshot.category_by_id
    kinds = {unit.kind for unit in snapshot.units}
    findings = []
    for rule in snapshot.rules:
        category_path = (lambda index: ("category",)) if isinstance(rule.category, str) else (lambda index: ("category", index))
        for index, category in enumerate(rule.categories):
            findings += _reference(snapshot, rule, category_path(index), category, categories, "unknown-category", "categories")
        for index, unit in enumerate(rule.units or []):
            findings += _reference(snapshot, rule, ("units", index), unit, units, "unknown-unit", "units")
        for index, kind in enumerate(rule.unit_kinds or []):
            if kind not in kinds and "units" not in snapshot.broken:
                findings.append(snapshot.finding(rule, ("unit_kinds", index), "unknown-rule-unit-kind", "warning", value=kind))
        if isinstance(rule, CompanionRule):
            findings += _reference(snapshot, rule, ("companion", "category"), rule.companion.category, categories,
                                   "unknown-category", "categories")
    return findings


def check_item_references(snapshot: Snapshot) -> list[Finding]:
    units, categories = snapshot.unit_by_id, snapshot.category_by_id
    findings = []
    for item in snapshot.items:
        findings += _reference(snapshot, item, ("unit",), item.unit, units, "unknown-unit", "units")
        findings += _reference(snapshot, item, ("category",), item.category, categories, "unknown-category", "categories")
    return findings


def check_item_of(snapshot: Snapshot) -> list[Finding]:
    ofs = snapshot.item_values("of")
    if ofs.count(None) == len(ofs):
        return []
    ids = set(snapshot.item_values("id"))
    return [finding for index in compress(count(), map(is_not, ofs, repeat(None)))
            for finding in _reference(snapshot, snapshot.items[index], ("of",), ofs[index], ids, "unknown-item", "item")]


def check_item_place(snapshot: Snapshot) -> list[Finding]:
    findings = []
    for item in snapshot.items:
        path = snapshot.source(item).path
        expected = item_path(day_of(item.formed).year, item.unit, f"{item.id}{path[path.rindex('.'):]}")  # .yaml or .yml
        if path != expected:
            findings.append(snapshot.finding(item, ("id",), "misplaced-file", expected=expected))
    return findings


# Item content --------------------------------------------------------------------------


def check_reasons(snapshot: Snapshot) -> list[Finding]:
    return [
        snapshot.finding(item, ("mode",), "missing-reason", mode=item.mode)
        for item in snapshot.items
        if item.mode in ("not-disclosed", "nil") and not (item.reason or "").strip()
    ]


def check_dates(snapshot: Snapshot) -> list[Finding]:
    """Days as the office's clock shows them: two offsets may put the same day on different dates."""
    findings = []
    zone = office_zone(snapshot.config)
    for item in snapshot.items:
        if item.disclosed is not None and local_day(item.disclosed, zone) < local_day(item.formed, zone):
            findings.append(snapshot.finding(item, ("disclosed",), "disclosed-before-formed",
                                             disclosed=item.disclosed, formed=item.formed))
        if item.withdrawn and item.disclosed is not None and item.withdrawn.on < local_day(item.disclosed, zone):
            findings.append(snapshot.finding(item, ("withdrawn", "on"), "withdrawn-before-disclosed"))
    return findings


def _categorised(snapshot: Snapshot) -> Iterator[tuple[Item, Category]]:
    """Each item with its category, for items whose category is known (the others are findings already)."""
    categories = snapshot.category_by_id
    for item in snapshot.items:
        category = categories.get(item.category)
        if category is not None:
            yield item, category


def check_required_fields(snapshot: Snapshot) -> list[Finding]:
    findings = []
    for item, category in _categorised(snapshot):
        if item.mode in ("nil", "not-disclosed"):
            continue
        for name in category.fields:
            value = item.details.get(name, getattr(item, name, None) if name in Item.model_fields else None)
            if value in (None, "", [], {}):
                findings.append(snapshot.finding(item, ("details",) if name not in Item.model_fields else (),
                                                 "missing-detail", category=category.id, field=name))
    return findings


def check_reviews(snapshot: Snapshot) -> list[Finding]:
    findings = []
    for item, category in _categorised(snapshot):
        steps = {review.step: (index, review) for index, review in enumerate(item.reviews)}
        for index, review in enumerate(item.reviews):
            if review.step not in category.reviews:
                findings.append(snapshot.finding(item, ("reviews", index, "step"), "unknown-review-step",
                                                 category=category.id, step=review.step))
        if item.disclosed is None:
            continue
        disclosed = local_day(item.disclosed, office_zone(snapshot.config))
        previous = None
        for step in category.reviews:
            if step not in steps:
                findings.append(snapshot.finding(item, ("disclosed",), "missing-review", step=step))
                continue
            index, review = steps[step]
            if review.on > disclosed:
                findings.append(snapshot.finding(item, ("reviews", index, "on"), "review-after-disclosure",
                                                 step=step, on=review.on, disclosed=disclosed))
            if previous is not None and review.on < previous.on:
                findings.append(snapshot.finding(item, ("reviews", index, "on"), "review-order",
                                                 step=step, previous=previous.step))
            previous = review
    return findings


def check_evidence(snapshot: Snapshot) -> list[Finding]:
    categories = snapshot.category_by_id
    findings = []
    for item in snapshot.items:
        category = categories.get(item.category)
        if category and category.evidence == "required" and not item.evidence and item.mode not in ("nil", "not-disclosed"):
            findings.append(snapshot.finding(item, ("id",), "missing-evidence", category=category.id))
    return findings


def check_evidence_files(snapshot: Snapshot) -> list[Finding]:
    """Every evidence file an item names exists inside the repository (asked anew each run: no data file says)."""
    if snapshot.root is None:
        return []
    findings = []
    items = snapshot.items
    for item in map(items.__getitem__, compress(count(), snapshot.item_values("evidence"))):  # few have any
        for index, relative in enumerate(item.evidence):
            state = evidence_state(snapshot.root, relative)
            if state != "file":
                code = "path-escape" if state == "outside" else "evidence-not-found"
                findings.append(snapshot.finding(item, ("evidence", index), code, value=relative))
    return findings


def check_doc_numbers(snapshot: Snapshot) -> list[Finding]:
    findings = []
    for item in snapshot.items:
        if item.doc_number and normalise_doc_number(item.doc_number) != item.doc_number.strip():
            findings.append(snapshot.finding(item, ("doc_number",), "doc-number-brackets", "warning",
                                             value=item.doc_number, normalised=normalise_doc_number(item.doc_number)))
    return findings


def check_hours_rules(snapshot: Snapshot) -> list[Finding]:
    """Items an hours rule covers whose `formed` has no time of day (scheduled by the day: untimed)."""
    hours_categories = defaultdict(list)
    for rule in snapshot.rules:
        if isinstance(rule, EventRule) and rule.within.unit == "hours":
            for category in rule.categories:
                hours_categories[category].append(rule)
    findings = []
    for item in snapshot.items:
        if isinstance(item.formed, datetime) or item.mode in ("nil", "on-request"):
            continue
        covering = [rule for rule in hours_categories.get(item.category, ()) if matches(rule.where, item)]
        if covering:
            findings.append(snapshot.finding(item, ("formed",), "hours-needs-time", rule=covering[0].id))
    return findings


def check_companions(snapshot: Snapshot) -> list[Finding]:
    companion_categories = {rule.companion.category: rule.id for rule in snapshot.rules if isinstance(rule, CompanionRule)}
    return [
        snapshot.finding(item, ("category",), "companion-without-of", "warning", rule=companion_categories[item.category])
        for item in snapshot.items
        if item.category in companion_categories and item.of is None and item.mode not in ("nil", "not-disclosed")
    ]


def check_foreign_companions(snapshot: Snapshot) -> list[Finding]:
    """An item meets or exempts only its own unit's obligations: a companion item whose `of:` names
    another unit's item is a finding when every companion rule asking its category of that item's
    category takes companions of the same unit only (`same_unit: true`, 谁起草谁解读); a rule
    without it lets any unit's companion count."""
    rules = [rule for rule in snapshot.rules if isinstance(rule, CompanionRule)]
    items = snapshot.item_by_id if rules else {}
    findings = []
    for item in snapshot.items:
        target = items.get(item.of) if item.of is not None else None
        if target is None or target.unit == item.unit:
            continue
        asking = [rule for rule in rules if rule.companion.category == item.category and target.category in rule.categories]
        if asking and all(rule.companion.same_unit for rule in asking):
            findings.append(snapshot.finding(item, ("of",), "foreign-companion", value=target.id, unit=target.unit,
                                             rule=asking[0].id))
    return findings


def check_retention(snapshot: Snapshot) -> list[Finding]:
    findings = []
    for item, category in _categorised(snapshot):
        if not (category.retention_years and item.withdrawn and item.disclosed):
            continue
        if (item.withdrawn.on - local_day(item.disclosed, office_zone(snapshot.config))).days < 365 * category.retention_years:
            findings.append(snapshot.finding(item, ("withdrawn", "on"), "retention-too-short", "warning",
                                             category=category.id, years=category.retention_years))
    return findings


def check_config(snapshot: Snapshot) -> list[Finding]:
    from zoneinfo import ZoneInfo

    config = snapshot.config
    if id(config) not in snapshot.sources:
        return []
    try:
        ZoneInfo(config.timezone)
    except (ValueError, KeyError, OSError):
        return [snapshot.finding(config, ("timezone",), "invalid-timezone", value=config.timezone)]
    return []


# What one item file's checks find depends on that file and the context alone (gongkai.yaml, the
# catalog, the rules): check/incremental.py keeps it per file. The context checks read no item; the
# checks across items read only each item's id, index_no, of and evidence, which the per-file
# summaries hold; check_report_files reads every item's facts, and only when a report states cells.
CONTEXT_CHECKS: list[Check] = [
    check_config,
    check_unique_ids,
    check_unit_tree,
    check_catalog_references,
    check_rule_references,
    *CONTEXT_RULE_KEY_CHECKS,
]
ITEM_CHECKS: list[Check] = [
    check_item_references,
    check_item_place,
    check_reasons,
    check_dates,
    check_required_fields,
    check_reviews,
    check_evidence,
    check_doc_numbers,
    check_privacy,
    check_hours_rules,
    check_companions,
    check_foreign_companions,
    check_retention,
    *ITEM_RULE_KEY_CHECKS,
    check_request_fields,
]
ACROSS_CHECKS: list[Check] = [check_item_ids, check_item_of, check_evidence_files]
CHECKS: list[Check] = CONTEXT_CHECKS + ITEM_CHECKS + ACROSS_CHECKS + [check_report_files]


def run_checks(snapshot: Snapshot, checks: list[Check] = CHECKS) -> list[Finding]:
    """Every check over the snapshot; a check that crashes is one more finding, not a dead run."""
    findings: list[Finding] = []
    for check in checks:
        try:
            findings.extend(check(snapshot))
        except Exception as error:  # noqa: BLE001 - reported as a finding by design
            findings.append(Finding("gongkai.yaml", 1, 1, "check-crashed", "error",
                                    {"check": check.__name__, "detail": f"{type(error).__name__}: {error}"}))
    return findings
