"""The audit trail, read back from the trailers every gongkai write puts on its commit."""

from __future__ import annotations

import io
import json
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable

from .messages import MESSAGES, text
from .repo import git, head_commit

FIELDS = ("%H", "%aI", "%an", "%ae", "%s",
          "%(trailers:key=Gongkai-Action,valueonly,separator=%x2C)",
          "%(trailers:key=Gongkai-Item,valueonly,separator=%x2C)",
          "%(trailers:key=Gongkai-Unit,valueonly,separator=%x2C)")
UNIT_SEPARATOR, RECORD_SEPARATOR = "\x1f", "\x1e"


@dataclass(frozen=True)
class Change:
    commit: str
    when: str  # ISO 8601 with the author's offset
    author: str
    email: str
    action: str
    item: str | None
    unit: str | None
    title: str


def read_trail(root: Path, item_id: str | None = None, units: Iterable[str] | None = None) -> list[Change]:
    """Every gongkai change on the current branch, newest first; of one item, or of some units."""
    if head_commit(root) is None:
        return []
    log_format = UNIT_SEPARATOR.join(FIELDS) + RECORD_SEPARATOR
    output = git(root, "log", f"--format={log_format}", "--grep=^Gongkai-Action:")
    changes = [_change(record) for record in output.split(RECORD_SEPARATOR) if record.strip()]
    wanted_units = set(units) if units is not None else None
    return [change for change in changes
            if change.action
            and (item_id is None or change.item == item_id)
            and (wanted_units is None or change.unit in wanted_units)]


def _change(record: str) -> Change:
    commit, when, author, email, subject, action, item, unit = (part.strip() for part in record.split(UNIT_SEPARATOR))
    return Change(commit, when, author, email, action, item or None, unit or None, _title(subject, action, item))


def _title(subject: str, action: str, item: str) -> str:
    """`add 2024-zonghe-k3f9: 关于…` → `关于…`; any other subject as it is."""
    prefix = f"{action} {item}: "
    return subject[len(prefix):] if subject.startswith(prefix) else subject


# Renderers --------------------------------------------------------------------------------


def render_json(changes: list[Change], lang: str) -> str:
    return json.dumps([asdict(change) for change in changes], ensure_ascii=False, indent=2)


def render_table(changes: list[Change], lang: str) -> str:
    from rich.console import Console
    from rich.table import Table

    if not changes:
        return text("log.none", lang)
    table = Table(title=text("log.title", lang, count=len(changes)))
    for column in ("when", "who", "action", "item", "unit", "title"):
        table.add_column(text(f"log.column.{column}", lang), overflow="fold")
    for change in changes:
        table.add_row(change.when.replace("T", " ")[:16], f"{change.author} <{change.email}>",
                      action_label(change.action, lang), change.item or "", change.unit or "", change.title)
    width = max(100, shutil.get_terminal_size((160, 24)).columns)
    console = Console(file=io.StringIO(), width=width, force_terminal=False, color_system=None)
    console.print(table)
    return console.file.getvalue().rstrip("\n")


def action_label(action: str, lang: str) -> str:
    key = f"log.action.{action}"
    return text(key, lang) if key in MESSAGES else action


RENDERERS = {"table": render_table, "json": render_json}
