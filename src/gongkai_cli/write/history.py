"""The audit trail from git history: gongkai's writes, read back from their trailers, and the
commits made by hand that touch item files."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable

from ..errors import UsageProblem
from ..load import yamlio
from ..load.repo import git, head_commit
from ..messages import MESSAGES, text
from ..model.models import SLUG

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


ITEM_PATH = re.compile(r"items/[^/]+/(?P<unit>[^/]+)/(?P<id>[^/]+)\.ya?ml")
PLAIN = "commit"  # the action of a commit made by hand, without gongkai's trailers


def read_trail(root: Path, item_id: str | None = None, units: Iterable[str] | None = None) -> list[Change]:
    """The changes on the current branch, newest first; of one item, or of some units.

    Every gongkai write (its trailers say what it did), and every commit made by hand that
    touches an item file (action `commit`, the item and unit read from the file's path).
    """
    path = item_path(root, item_id) if item_id is not None else None
    if head_commit(root) is None:
        return []
    titles: dict[str, str | None] = {}
    if path is not None:
        changes = [_change(record, path, item_id, titles, root) for record in _log(root, "--follow", "--", path)]
    else:
        changes = []
        for record in _log(root, "--name-only", "--relative", "--", "."):
            if _trailers(record)[0]:
                changes.append(_change(record, None, None, titles, root))
                continue
            for name in record[-1].splitlines():
                if ITEM_PATH.fullmatch(name.strip()):
                    changes.append(_change(record, name.strip(), None, titles, root))
    wanted_units = set(units) if units is not None else None
    return [change for change in changes if wanted_units is None or change.unit in wanted_units]


def item_path(root: Path, item_id: str) -> str:
    """The item's file; one deleted since is found in history; an unknown id is a usage problem."""
    from .store import find_item

    try:
        return find_item(root, item_id)
    except UsageProblem:
        if head_commit(root) is None or not re.fullmatch(SLUG, item_id):
            raise
        patterns = [f":(glob)items/*/*/{item_id}.{ext}" for ext in ("yaml", "yml")]
        names = git(root, "log", "--format=", "--name-only", "--relative", "--", *patterns).split()
        if not names:
            raise
        return names[0]


def _log(root: Path, *args: str) -> list[list[str]]:
    """`git log` records, each its fields, then (with --name-only) the names of the files it touched."""
    log_format = RECORD_SEPARATOR + UNIT_SEPARATOR.join(FIELDS) + UNIT_SEPARATOR
    output = git(root, "-c", "log.showSignature=false", "log", f"--format={log_format}", *args)
    return [record.split(UNIT_SEPARATOR) for record in output.split(RECORD_SEPARATOR)[1:]]


def _trailers(record: list[str]) -> tuple[str, str, str]:
    return record[5].strip(), record[6].strip(), record[7].strip()


def _change(record: list[str], path: str | None, item_id: str | None, titles: dict, root: Path) -> Change:
    commit, when, author, email, subject = (part.strip() for part in record[:5])
    action, item, unit = _trailers(record)
    located = ITEM_PATH.fullmatch(path) if path else None
    if action:
        return Change(commit, when, author, email, action, item or item_id, unit or (located and located["unit"]) or None,
                      _title(subject, action, item))
    if path not in titles:
        titles[path] = _current_title(root, path)
    return Change(commit, when, author, email, PLAIN, item_id or (located and located["id"]) or None,
                  (located and located["unit"]) or None, titles[path] or subject)


def _title(subject: str, action: str, item: str) -> str:
    """`add 2024-zonghe-k3f9: 关于…` → `关于…`; any other subject as it is."""
    prefix = f"{action} {item}: "
    return subject[len(prefix):] if subject.startswith(prefix) else subject


def _current_title(root: Path, path: str) -> str | None:
    """The item's title as its file has it now (a deleted file: none)."""
    try:
        document = yamlio.load(yamlio.decode(yamlio.read_bounded(root / path)))
    except Exception:  # noqa: BLE001 - a missing or unreadable file: the commit subject instead
        return None
    title = document.get("title") if isinstance(document, dict) else None
    return " ".join(str(title).split()) if title else None


# Renderers --------------------------------------------------------------------------------


def render_json(changes: list[Change], lang: str) -> str:
    return json.dumps([asdict(change) for change in changes], ensure_ascii=False, indent=2)


def render_table(changes: list[Change], lang: str) -> str:
    from ..report.tables import Table, terminal_width

    if not changes:
        return text("log.none", lang)
    columns = ("when", "who", "action", "item", "unit", "title")
    table = Table([text(f"log.column.{column}", lang) for column in columns], title=text("log.title", lang, count=len(changes)))
    for change in changes:
        table.add_row(change.when.replace("T", " ")[:16], f"{change.author} <{change.email}>",
                      action_label(change.action, lang), change.item or "", change.unit or "", change.title)
    return table.render(terminal_width(160))


def action_label(action: str, lang: str) -> str:
    key = f"log.action.{action}"
    return text(key, lang) if key in MESSAGES else action


RENDERERS = {"table": render_table, "json": render_json}
