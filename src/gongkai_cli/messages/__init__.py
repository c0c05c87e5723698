"""Every user-facing string, in Chinese (the default) and English: one table per command family,
merged here; `text` fills one in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import annual, core, help, notify, report, setup, sheets

LANGUAGES = ("zh", "en")
TABLES = (core.MESSAGES, annual.MESSAGES, sheets.MESSAGES, notify.MESSAGES, report.MESSAGES, help.MESSAGES, setup.MESSAGES)
# key: (zh, en). Placeholders are str.format fields.
MESSAGES: dict[str, tuple[str, str]] = {key: pair for table in TABLES for key, pair in table.items()}

WEEKDAYS = {
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


@dataclass(frozen=True)
class Phrase:
    """A message inside a message's arguments, rendered in the same language."""

    key: str
    args: dict[str, Any] = field(default_factory=dict)


def text(key: str, lang: str = "zh", /, **args: Any) -> str:
    """The message `key` in `lang`, filled with `args`; an unknown key shows itself, never crashes.

    `key` and `lang` are positional only, so a message may itself have a `{key}` (duplicate-key).
    """
    pair = MESSAGES.get(key)
    if pair is None:
        return key + (" " + " ".join(f"{k}={v}" for k, v in args.items()) if args else "")
    template = pair[1] if lang == "en" else pair[0]
    filled = {name: text(value.key, lang, **value.args) if isinstance(value, Phrase) else value
              for name, value in args.items()}
    try:
        return template.format(**filled)
    except (KeyError, IndexError):
        return template


# C0 and C1 controls, DEL, the Unicode line and paragraph separators and the bidirectional
# overrides (which make a line read otherwise than it is).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(value: str) -> str:
    """Text from the data made one line of plain text: newlines and control characters become
    escapes (`\\n`, `\\x1b`, `\\u202e`), so a title can neither forge a line of output
    (`path:1:1: code:`) nor drive the terminal, as the github format escapes them."""
    return _CONTROL.sub(_escape, value) if _CONTROL.search(value) else value


def _escape(match: re.Match) -> str:
    character = match[0]
    code = ord(character)
    return _NAMED.get(character) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
