"""A rule's `where`: which items of its categories it covers, by their fields.

`where: {FIELD: PATTERN}` — a string is a glob (fnmatch: `*`, `?`, `[…]`), a list means any of its
globs, `true`/`false` mean the field is set / not set; `details.KEY` reaches into `details`.
A field is *set* when it holds something: not null, not empty, not `false`. Dates are matched
as ISO text (`formed: 2018-07*`), lists of text element by element (`channels: *微信*`); a field
holding objects (reviews, paused, withdrawn) can only be asked whether it is set.

The same reading works on an Item and on its ItemFacts (the scheduler sees either): the facts
carry what they do not hold as fields in `extra` (made by `extra_of`).
"""

from __future__ import annotations

import fnmatch
import functools
import re
from datetime import date, datetime
from typing import Any, Iterable

SET = True  # a set field with no text to match (objects, a true flag)
_NUMBERS = (int, float)  # the falsy values text_of shows


def text_of(value: Any) -> Any:
    """A field's value as `where` matches it: None (not set), text, a tuple of texts, or SET."""
    if type(value) is str:  # most values, and lists of text (channels) next: answered before the comparisons below
        return value or None
    if type(value) is list and value and all([type(element) is str and element for element in value]):
        return tuple(value)
    if value is None or value is False or value == "" or value == [] or value == {} or value == ():
        return None
    if value is True:
        return SET
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes") if not value.second else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        texts = tuple(text_of(element) for element in value)
        return texts if all(isinstance(element, str) for element in texts) else SET
    return SET


def extra_of(item: Any) -> tuple[tuple[str, Any], ...]:
    """(key, text_of value) of each set field of an Item that ItemFacts does not hold, and of each details key."""
    values = item.__dict__
    found = []
    for name in _unheld(type(item)):
        value = values[name]
        if (value or type(value) in _NUMBERS) and (shown := text_of(value)) is not None:  # empty: not set, but 0 is
            found.append((name, shown))
    for key, value in values["details"].items():
        shown = text_of(value)
        if shown is not None:
            found.append((f"details.{key}", shown))
    return tuple(found)


def extra_keys(rules: Iterable[Any]) -> frozenset[str]:
    """The keys of the rules' `where` that ItemFacts keeps in `extra` (what a view must hold of it)."""
    from .facts import ItemFacts

    return frozenset(key for rule in rules for key in (getattr(rule, "where", None) or ())
                     if key not in ItemFacts._fields or key == "extra")


@functools.cache
def _unheld(model: type) -> tuple[str, ...]:
    """The fields of `model` (Item) that ItemFacts does not hold, details aside."""
    from .facts import ItemFacts

    return tuple(name for name in model.model_fields if name not in ItemFacts._fields and name != "details")


def value_of(item: Any, key: str) -> Any:
    """text_of the field `key` (or `details.KEY`) of an Item or its ItemFacts."""
    if hasattr(item, "extra"):  # ItemFacts
        if key in item._fields and key != "extra":
            return text_of(getattr(item, key))
        return next((value for name, value in item.extra if name == key), None)
    if key.startswith("details."):
        return text_of(item.details.get(key[len("details."):]))
    return text_of(getattr(item, key, None))


@functools.lru_cache(maxsize=1024)
def glob(pattern: str) -> re.Pattern:
    return re.compile(fnmatch.translate(pattern), re.DOTALL)


def globs(pattern: Any) -> list[str]:
    return [pattern] if isinstance(pattern, str) else list(pattern)


def matches_value(value: Any, pattern: Any) -> bool:
    """Whether one field's value (text_of) matches one `where` pattern."""
    if isinstance(pattern, bool):
        return (value is not None) is pattern
    texts: Iterable[str] = (value,) if isinstance(value, str) else value if isinstance(value, tuple) else ()
    return any(glob(each).match(text) for each in globs(pattern) for text in texts)


def matches(where: dict[str, Any] | None, item: Any) -> bool:
    """Whether the item matches every key of `where` (no keys, or no `where`: every item)."""
    return not where or all(matches_value(value_of(item, key), pattern) for key, pattern in where.items())
