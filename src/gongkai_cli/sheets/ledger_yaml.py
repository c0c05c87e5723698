"""A new item's file written straight from its fields, as `add` would lay it out (keys in the
format's order, `[a, b]` lists, text quoted only where YAML would read it as something else).

An import writes thousands of these; the round-trip dumper `add` uses costs over a millisecond an
item, this a few microseconds. What it cannot write plainly (text across lines, nested values
other than `details`) goes through the round-trip dumper after all.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ruamel.yaml.comments import CommentedMap

from ..load import yamlio
from ..write.store import FIELD_ORDER, misread, set_field

ORDER = {name: index for index, name in enumerate(FIELD_ORDER)}


def item_text(fields: dict[str, Any]) -> str:
    """The YAML of an item with `fields` (values: text, dates, date-times, lists of text, `details`)."""
    ordered = sorted(fields.items(), key=lambda pair: ORDER.get(pair[0], len(ORDER)))
    lines = []
    for key, value in ordered:
        if value == {}:
            lines.append(f"{key}: {{}}")
            continue
        if isinstance(value, dict):
            entries = [(_scalar(str(name)), _scalar(inner)) for name, inner in value.items()]
            if any(part is None for entry in entries for part in entry):
                return _dumped(ordered)
            lines.append(f"{key}:")
            lines.extend(f"  {name}: {inner}" for name, inner in entries)
            continue
        written = _flow(value) if isinstance(value, list) else _scalar(value)
        if written is None:
            return _dumped(ordered)
        lines.append(f"{key}: {written}")
    return "\n".join(lines) + "\n"


def _scalar(value: Any, in_flow: bool = False) -> str | None:
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes" if not value.second else "seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    if isinstance(value, int):
        return str(value)
    if "\n" in value or "\r" in value or not value.isprintable():
        return None
    if not misread(value, in_flow):
        return value
    return "'" + value.replace("'", "''") + "'"


def _flow(values: list) -> str | None:
    written = [_scalar(value, in_flow=True) for value in values]
    return None if None in written else "[" + ", ".join(written) + "]"


def _dumped(ordered: list[tuple[str, Any]]) -> str:
    document = CommentedMap()
    for key, value in ordered:
        set_field(document, key, value)
    return yamlio.dump(document)
