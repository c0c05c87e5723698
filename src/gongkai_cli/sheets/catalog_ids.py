"""Readable, stable ids for imported categories and rules, from the row's own words (pypinyin).

A category's id is the initials of its 一级事项 and the full pinyin of its name (二级事项):
政策文件 / 规范性文件 → `zcwj-guifanxingwenjian`; the same 一级/二级 pair on two sheets adds the
sheet's initials. Nothing else enters it (not the row number, not the order of rows), so
importing the same sheet again, or a sheet with rows added or moved, gives every row the id
it had. A rule's id is its category's and the deadline's shape: `…-20wd`, `…-quarterly`.
"""

from __future__ import annotations

import re

MAX_ID = 72
PERIOD_WORDS = {"month": "monthly", "quarter": "quarterly", "half-year": "half-yearly", "year": "yearly"}
WITHIN_SUFFIX = {"workdays": "wd", "days": "d", "hours": "h"}


def pinyin_slug(text: str, initials: bool = False) -> str:
    """规范性文件 → guifanxingwenjian (initials: gfxwj); letters and digits kept, the rest a hyphen."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(text, style=Style.FIRST_LETTER if initials else Style.NORMAL, errors="default")
    slug = re.sub(r"[^a-z0-9]+", "-", "".join(syllables).lower()).strip("-")
    return slug[:MAX_ID].rstrip("-")


def category_id(group: str, name: str, sheet: str | None = None) -> str:
    parts = [pinyin_slug(group, initials=True)] if group and group != name else []
    parts.append(pinyin_slug(name))
    if sheet:
        parts.append(pinyin_slug(sheet, initials=True))
    return "-".join(part for part in parts if part)[:MAX_ID].strip("-") or "category"


def rule_suffix(rule: dict) -> str:
    if "request" in rule:
        return f"request-{rule_suffix(rule['request'])}"
    if "within" in rule:
        (unit, amount), = rule["within"].items()
        return f"{amount}{WITHIN_SUFFIX[unit]}"
    if "once" in rule:
        return f"by-{rule['once']}"
    return PERIOD_WORDS[rule["every"]]


def rule_ids(category: str, rules: list[dict]) -> list[str]:
    """`<category>-<shape>` for each rule of a row; a shape repeated in one cell adds -2, -3."""
    ids: list[str] = []
    for rule in rules:
        base = f"{category}-{rule_suffix(rule)}"
        candidate, count = base, 1
        while candidate in ids:
            count += 1
            candidate = f"{base}-{count}"
        ids.append(candidate)
    return ids
