"""Checks of the keys that say which items a rule covers and how: `where`, request rules, `mode_required`.

A `where` glob that can never match is judged from the field's type alone (nothing about the
items present): a choice field (mode, requester, outcome) where the glob matches none of the
choices; an id field (category, unit, of, id) where it matches no slug, or — for `category` and
`unit` — none of the rule's categories or the repository's units; a date field where the glob's
plain characters could not appear in an ISO date or time; a flag or a field holding objects
(extended, reviews, paused, withdrawn), which a glob never matches (ask `true`/`false`); and an
empty list of globs.
"""

from __future__ import annotations

import re
import typing
from datetime import date, datetime
from typing import Any, Iterator

from ..load.load import Snapshot
from ..model.findings import Finding
from ..model.models import SLUG, Item, RequestRule
from ..model.where import glob, globs
from ..schedule.requests import covers, repository_requests

ISO_CHARACTERS = set("0123456789-T:+Z. ")


def field_kind(name: str) -> tuple[str, tuple]:
    """(kind, choices) of an item field as `where` sees it: choice | slug | date | text | texts | flag | objects."""
    info = Item.model_fields[name]
    annotation = info.annotation
    if typing.get_origin(annotation) is typing.Literal:
        return "choice", typing.get_args(annotation)
    args = [arg for arg in typing.get_args(annotation) if arg is not type(None)] or [annotation]
    if typing.get_origin(args[0]) is typing.Literal:
        return "choice", typing.get_args(args[0])
    if all(arg in (date, datetime) for arg in args):
        return "date", ()
    if args[0] is bool:
        return "flag", ()
    if args[0] is str:
        patterns = [getattr(meta, "pattern", None) for meta in info.metadata]
        return ("slug" if SLUG in patterns else "text"), ()
    if typing.get_origin(args[0]) is list and typing.get_args(args[0]) == (str,):
        return "texts", ()
    return "objects", ()


def _plain_characters(pattern: str) -> str:
    """The characters of a glob outside its wildcards and brackets."""
    return re.sub(r"\[[^\]]*\]|[*?]", "", pattern)


def never_matches(snapshot: Snapshot, rule: Any, key: str, pattern: str) -> bool:
    """Whether a glob on `key` can never match, by the field's type (see the module's docstring)."""
    if key.startswith("details."):
        return False
    kind, choices = field_kind(key)
    compiled = glob(pattern)
    if kind == "choice":
        return not any(compiled.match(choice) for choice in choices)
    if kind in ("flag", "objects"):
        return True
    if kind == "date":
        return not set(_plain_characters(pattern)) <= ISO_CHARACTERS
    if kind == "slug":
        known = {"category": rule.categories, "unit": [unit.id for unit in snapshot.units]}.get(key)
        if known:
            return not any(compiled.match(value) for value in known)
        return not re.fullmatch(r"[a-z0-9-]*", _plain_characters(pattern))
    return False


def check_where(snapshot: Snapshot) -> list[Finding]:
    findings = []
    for rule in snapshot.rules:
        for key, pattern in (rule.where or {}).items():
            if not key.startswith("details.") and key not in Item.model_fields:
                findings.append(snapshot.finding(rule, ("where", key), "where-unknown-field", key=True, field=key))
                continue
            if isinstance(pattern, bool):
                continue
            if isinstance(pattern, list) and not pattern:
                findings.append(snapshot.finding(rule, ("where", key), "where-never-matches", field=key, pattern="[]"))
            for index, each in enumerate(globs(pattern)):
                if never_matches(snapshot, rule, key, each):
                    place = ("where", key) if isinstance(pattern, str) else ("where", key, index)
                    findings.append(snapshot.finding(rule, place, "where-never-matches", field=key, pattern=each))
    return findings


def check_request_overlap(snapshot: Snapshot) -> list[Finding]:
    """An on-request item that two of the repository's request rules both cover."""
    own = repository_requests(snapshot.rules)
    if len(own) < 2:
        return []
    owing = _owing(snapshot)
    findings = []
    for item in _on_request(snapshot):
        covering = [rule.id for rule in own if covers(rule, item, owing)]
        if len(covering) > 1:
            findings.append(snapshot.finding(item, ("mode",), "request-rules-overlap", rules=", ".join(covering)))
    return findings


def _on_request(snapshot: Snapshot) -> Iterator[Item]:
    return (item for item in snapshot.items if item.mode == "on-request")


def _owing(snapshot: Snapshot):
    from ..schedule.schedule import owing_unit_ids

    return lambda rule: owing_unit_ids(snapshot, rule)


def check_mode_required(snapshot: Snapshot) -> list[Finding]:
    """Items of a `mode_required` category that do not state their `mode` (S0 核稿单"是否公开")."""
    required = {category.id for category in snapshot.categories if category.mode_required}
    return [snapshot.finding(item, ("id",), "mode-required", category=item.category)
            for item in snapshot.items
            if item.category in required and "mode" not in item.model_fields_set]


def check_request_rule_keys(snapshot: Snapshot) -> list[Finding]:
    """A request rule is met by `replied`: a `met_by` on one says something the rule cannot do."""
    return [snapshot.finding(rule, ("met_by",), "request-met-by", "warning", key=True)
            for rule in snapshot.rules
            if isinstance(rule, RequestRule) and "met_by" in rule.model_fields_set]


CONTEXT_RULE_KEY_CHECKS = [check_where, check_request_rule_keys]
ITEM_RULE_KEY_CHECKS = [check_request_overlap, check_mode_required]
