"""What one commit changed in an item: its file before and after, each read with gongkai's YAML
loader, compared field by field. Nested mappings are named by dotted paths (`details.x`,
`withdrawn.on`); a list is one value. Dates stay the text the file has (the loader keeps them so).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..load import yamlio
from ..messages import text

CREATED, DELETED, WITHDRAWN, CHANGED, UNCHANGED, UNREADABLE = (
    "created", "deleted", "withdrawn", "changed", "unchanged", "unreadable")
NOTHING = "—"  # a field the version does not have
LONGEST = 80  # a value longer than this is cut (with …) in the table and --oneline; JSON has it whole


@dataclass(frozen=True)
class FieldChange:
    field: str  # dotted for nested mappings: details.x
    before: Any  # None: the field was not there
    after: Any  # None: the field is gone


class Unreadable:
    """A version of the file that does not parse as a mapping of fields."""


UNREADABLE_VERSION = Unreadable()


def parse(data: bytes | None) -> dict | Unreadable | None:
    """An item file's fields from its bytes; None for a file that is not there."""
    if data is None:
        return None
    try:
        document = yamlio.load(yamlio.decode(data))
    except yamlio.YamlProblem:
        return UNREADABLE_VERSION
    return document if isinstance(document, dict) else UNREADABLE_VERSION


def compare(before: dict | Unreadable | None, after: dict | Unreadable | None) -> tuple[str, tuple[FieldChange, ...]]:
    """(effect, field changes) from one version of an item file to the next.

    The effect is `created` (no file before; its fields are the item itself, not listed),
    `deleted`, `withdrawn` (`withdrawn` set by this change), `changed`, `unchanged` (comments or
    layout only), or `unreadable` (either version does not parse)."""
    if after is None:
        return DELETED, ()
    if isinstance(after, Unreadable) or isinstance(before, Unreadable):
        return UNREADABLE, ()
    if before is None:
        return CREATED, ()
    old, new = flatten(before), flatten(after)
    changes = [FieldChange(key, old.get(key), value) for key, value in new.items() if old.get(key) != value]
    changes += [FieldChange(key, value, None) for key, value in old.items() if key not in new and value is not None]
    if not changes:
        return UNCHANGED, ()
    withdrawn = not before.get("withdrawn") and bool(after.get("withdrawn"))
    return (WITHDRAWN if withdrawn else CHANGED), tuple(changes)


def flatten(document: dict, prefix: str = "") -> dict[str, Any]:
    """{dotted name: value}: nested mappings opened up, an empty one kept as {}."""
    fields: dict[str, Any] = {}
    for key, value in document.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            fields.update(flatten(value, name + "."))
        else:
            fields[name] = _plain(value)
    return fields


def _plain(value: Any) -> Any:
    """A value as JSON holds it (a date a YAML tag built as its ISO text)."""
    if isinstance(value, (list, tuple)):
        return [_plain(element) for element in value]
    if isinstance(value, dict):
        return {str(key): _plain(element) for key, element in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


# Shown to a person ---------------------------------------------------------------------------


def describe(effect: str | None, changes: tuple[FieldChange, ...], lang: str) -> list[str]:
    """One line per change: the effect where it says more than its fields (新增, 删除, 撤回 …),
    then `field: before → after`."""
    lines = [text(f"log.effect.{effect}", lang)] if effect in (CREATED, DELETED, WITHDRAWN, UNCHANGED, UNREADABLE) else []
    return lines + [f"{change.field}: {shown(change.before)} → {shown(change.after)}" for change in changes]


def shown(value: Any) -> str:
    if value is None:
        return NOTHING
    if isinstance(value, bool):
        return "true" if value else "false"
    if value == "":
        return '""'
    if isinstance(value, list):
        value = "[" + ", ".join(shown(element) for element in value) + "]"
    elif isinstance(value, dict):
        value = "{" + ", ".join(f"{key}: {shown(element)}" for key, element in value.items()) + "}"
    value = " ".join(str(value).split()) if isinstance(value, str) else str(value)
    return value if len(value) <= LONGEST else value[: LONGEST - 1] + "…"
