"""What a report cannot count: files (or parts of files) that were not read, items whose unit or
category the catalog does not know, rules of an unknown category. Each is named where the report
is shown, with its reason, so a typo never makes totals drop in silence."""

from __future__ import annotations

from dataclasses import dataclass

from ..load.load import Snapshot
from ..messages import printable, text


@dataclass(frozen=True)
class Uncounted:
    kind: str  # file | item | rule
    name: str  # the file's path, the item's or the rule's id
    reason: str  # a finding code: unknown-unit, unknown-category, or why the file was not read
    value: str = ""  # the unknown unit or category; for a file, its first error as path:line:col

    def as_json(self) -> dict:
        return {"kind": self.kind, "name": self.name, "reason": self.reason, "value": self.value}

    def line(self, lang: str) -> str:
        return printable(text(f"uncounted.{self.kind}", lang, name=self.name, reason=self.reason, value=self.value))


def not_counted(snapshot: Snapshot) -> list[Uncounted]:
    """Everything of `snapshot` its reports leave out, files first, then items, then rules."""
    found = [Uncounted("file", path, finding.code, f"{finding.path}:{finding.line}:{finding.col}")
             for path, finding in sorted(snapshot.skipped.items())]
    # with a catalog file that did not load, that file is named instead of every name it would hold
    units = None if "units" in snapshot.broken else snapshot.unit_by_id
    categories = None if "categories" in snapshot.broken else snapshot.category_by_id
    for item in sorted(snapshot.items, key=lambda item: item.id):
        if units is not None and item.unit not in units:
            found.append(Uncounted("item", item.id, "unknown-unit", item.unit))
        if categories is not None and item.category not in categories:
            found.append(Uncounted("item", item.id, "unknown-category", item.category))
    for rule in snapshot.rules if categories is not None else ():
        found += [Uncounted("rule", rule.id, "unknown-category", category)
                  for category in rule.categories if category not in categories]
    return found


def footer(uncounted: list[Uncounted], lang: str) -> str:
    """The lines under a report's table: how many were not counted, then each one."""
    if not uncounted:
        return ""
    return "\n".join([text("uncounted.title", lang, count=len(uncounted)), *("  " + u.line(lang) for u in uncounted)])
