"""依申请公开: which request rule owes each on-request item, and the two laws built in.

The 条例 of 2007 (art. 24) gave 15 working days + 15 when extended; the revised 条例 (art. 33)
20 + 20, for requests received from 2019-05-15, the day it took effect. Both are built in; a
repository rule with the same id replaces one. Every on-request item is owed by exactly one
request rule: the first of the repository's that covers it, else the built-in in force on the
day it was received — also when the repository replaced that built-in by a rule that does not
cover the item (so an item never vanishes); `check` reports items two repository rules cover.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable, Iterable

from ..model.models import RequestRule, day_of
from ..model.where import matches

REVISED_LAW_FROM = date(2019, 5, 15)

BUILTIN_REQUESTS = (
    RequestRule.model_validate({
        "id": "law-request-15wd", "name": "依申请公开15个工作日内答复",
        "basis": "《中华人民共和国政府信息公开条例》（2007年，国务院令第492号）第二十四条",
        "request": {"within": {"workdays": 15}, "extension": {"workdays": 15}},
        "active": {"until": date(2019, 5, 14)},
    }),
    RequestRule.model_validate({
        "id": "law-request-20wd", "name": "依申请公开20个工作日内答复",
        "basis": "《中华人民共和国政府信息公开条例》（2019年修订，国务院令第711号）第三十三条",
        "request": {"within": {"workdays": 20}, "extension": {"workdays": 20}},
        "active": {"from": REVISED_LAW_FROM},
    }),
)
BUILTIN_IDS = {rule.id for rule in BUILTIN_REQUESTS}
BUILTIN_NAMES = {
    "law-request-15wd": {"zh": "依申请公开15个工作日内答复", "en": "Reply to a disclosure request within 15 working days"},
    "law-request-20wd": {"zh": "依申请公开20个工作日内答复", "en": "Reply to a disclosure request within 20 working days"},
}
BUILTIN_BASIS_EN = {
    "law-request-15wd": "Regulations on the Disclosure of Government Information (2007), art. 24",
    "law-request-20wd": "Regulations on the Disclosure of Government Information (revised 2019), art. 33",
}


def received_day(item: Any) -> date:
    """The day a request arrived: `received`, else `formed`."""
    return item.received or day_of(item.formed)


def statutory(item: Any) -> RequestRule:
    """The built-in law in force on the day the request was received."""
    return BUILTIN_REQUESTS[0 if received_day(item) < REVISED_LAW_FROM else 1]


def covers(rule: RequestRule, item: Any, owing: Callable[[Any], set[str]]) -> bool:
    """Whether a request rule covers an on-request item (category, units, `where`, `active` on the received day)."""
    if rule.category is not None and item.category not in rule.categories:
        return False
    if rule.active is not None and not rule.active.contains(received_day(item)):
        return False
    if (rule.units is not None or rule.unit_kinds is not None) and item.unit not in owing(rule):
        return False
    return matches(rule.where, item)


def repository_requests(rules: Iterable[Any]) -> list[RequestRule]:
    return [rule for rule in rules if isinstance(rule, RequestRule)]


def builtins_kept(rules: Iterable[Any]) -> list[RequestRule]:
    """The built-in request rules the repository has not replaced (a rule of the same id replaces one)."""
    taken = {rule.id for rule in rules}
    return [rule for rule in BUILTIN_REQUESTS if rule.id not in taken]


def owed_by(item: Any, own: list[RequestRule], kept: list[RequestRule],
            owing: Callable[[Any], set[str]]) -> RequestRule:
    """The one request rule that owes an on-request item."""
    for rule in own:
        if covers(rule, item, owing):
            return rule
    for rule in kept:
        if covers(rule, item, owing):
            return rule
    return statutory(item)


def request_rule(rules: Iterable[Any], rule_id: str) -> RequestRule | None:
    """The request rule of that id: the repository's, else the built-in one."""
    own = [rule for rule in repository_requests(rules) if rule.id == rule_id]
    return next(iter(own + [rule for rule in BUILTIN_REQUESTS if rule.id == rule_id]), None)


def rule_name(rule: Any, lang: str) -> str:
    """A rule's name; a request rule may have none (the built-in laws' names, else its id)."""
    names = BUILTIN_NAMES.get(rule.id)
    if names and (is_builtin(rule) or not rule.name):
        return names[lang if lang in names else "zh"]
    return rule.name or rule.id


def is_builtin(rule: Any) -> bool:
    return any(rule is builtin for builtin in BUILTIN_REQUESTS)


def request_basis(rule: RequestRule, lang: str) -> str:
    if lang == "en" and is_builtin(rule):
        return BUILTIN_BASIS_EN[rule.id]
    return rule.basis or ""
