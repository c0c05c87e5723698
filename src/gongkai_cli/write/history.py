"""The audit trail from git history: gongkai's writes, read back from their trailers, and the
commits made by hand that touch item files."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Iterable

from ..errors import UsageProblem
from ..load import yamlio
from ..load.repo import git, git_bytes, head_commit
from ..messages import MESSAGES, printable, text
from ..model.models import SLUG
from ..report.item_changes import CREATED, DELETED, UNREADABLE_VERSION, WITHDRAWN, FieldChange, Unreadable, compare, describe, parse

FIELDS = ("%H", "%cI", "%aI", "%an", "%ae", "%s",
          "%(trailers:key=Gongkai-Action,valueonly,separator=%x2C)",
          "%(trailers:key=Gongkai-Item,valueonly,separator=%x2C)",
          "%(trailers:key=Gongkai-Unit,valueonly,separator=%x2C)")
UNIT_SEPARATOR, RECORD_SEPARATOR = "\x1f", "\x1e"


@dataclass(frozen=True)
class Change:
    commit: str
    when: str  # when the commit was made, ISO 8601 with the commit's own offset (the order of the trail)
    authored: str  # when its author wrote it (differs after a rebase or cherry-pick), likewise
    author: str
    email: str
    action: str
    item: str | None
    unit: str | None
    unit_name: str | None  # the unit's name in the catalog as it is now; None for a unit it no longer has
    title: str
    effect: str | None  # report.item_changes: created, changed, withdrawn, deleted, …; None: no item file touched
    changes: tuple[FieldChange, ...]  # fields before → after


@dataclass(frozen=True)
class _Touched:
    """One file a commit touched, from `git log --raw`: its blob before and after (None: absent)."""

    path: str
    old: str | None
    new: str | None


ITEM_PATH = re.compile(r"items/[^/]+/(?P<unit>[^/]+)/(?P<id>[^/]+)\.ya?ml")
PLAIN = "commit"  # the action of a commit made by hand, without gongkai's trailers


def trail(root: Path, item_id: str | None = None, unit: str | None = None) -> list[Change]:
    """`gongkai log`: the trail of one item, of a unit with its descendants, or of everything,
    with the units' names from the catalog (read alone, not the items)."""
    from ..schedule.schedule import descendants
    from .store import catalog

    snapshot = catalog(root)
    if unit is not None and unit not in snapshot.unit_by_id:
        raise UsageProblem("error.unknown-unit", value=unit)
    names = {unit_id: known.name for unit_id, known in snapshot.unit_by_id.items()}
    return read_trail(root, item_id, descendants(snapshot, unit) if unit else None, names)


def read_trail(root: Path, item_id: str | None = None, units: Iterable[str] | None = None,
               names: dict[str, str] | None = None) -> list[Change]:
    """The changes on the current branch, newest first; of one item, or of some units.

    Every gongkai write (its trailers say what it did), and every commit made by hand that
    touches an item file (action `commit`, the item and unit read from the file's path); each
    with what it changed in the item's fields. `names`: unit names by id. One `git log` walks the
    history (of the item's file alone with `--follow`), one `git cat-file` reads the versions.
    """
    path = item_path(root, item_id) if item_id is not None else None
    if head_commit(root) is None:
        return []
    titles: dict[str, str | None] = {}
    found: list[tuple[list[str], str | None, str | None, _Touched | None]] = []
    if path is not None:
        for record in _log(root, "--follow", "--", path):
            touched = _touched(record[-1])
            found.append((record, path, item_id, touched[0] if touched else None))
    else:
        for record in _log(root, "--", "."):
            items = [entry for entry in _touched(record[-1]) if ITEM_PATH.fullmatch(entry.path)]
            if _trailers(record)[0]:
                mine = [entry for entry in items if ITEM_PATH.fullmatch(entry.path)["id"] == _trailers(record)[1]]
                found.append((record, mine[0].path if mine else None, None, mine[0] if mine else None))
                continue
            found += [(record, entry.path, None, entry) for entry in items]
    changes = [_change(record, at, item, titles, root) for record, at, item, _ in found]
    wanted = set(units) if units is not None else None
    kept = [(change, touched) for change, (*_, touched) in zip(changes, found) if wanted is None or change.unit in wanted]
    versions = _versions(root, [touched for _, touched in kept if touched is not None and touched.old and touched.new])
    return [_with_changes(change, touched, versions, names or {}) for change, touched in kept]


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
    """`git log` records, each its fields, then the `--raw` lines of the files it touched."""
    log_format = RECORD_SEPARATOR + UNIT_SEPARATOR.join(FIELDS) + UNIT_SEPARATOR
    output = git(root, "-c", "log.showSignature=false", "-c", "core.quotePath=false", "log", f"--format={log_format}",
                 "--raw", "--no-abbrev", "--relative", *args)
    return [record.split(UNIT_SEPARATOR) for record in output.split(RECORD_SEPARATOR)[1:]]


def _touched(raw: str) -> list[_Touched]:
    """`:100644 100644 OLD NEW M\tpath` (a rename: `R087\told\tnew`) → the files and their blobs."""
    entries = []
    for line in raw.splitlines():
        meta, _, paths = line.partition("\t")
        parts = meta.split()
        if not line.startswith(":") or len(parts) < 5 or not paths:
            continue
        old, new = (None if not blob.strip("0") else blob for blob in parts[2:4])
        entries.append(_Touched(paths.split("\t")[-1], old, new))
    return entries


def _versions(root: Path, touched: list[_Touched]) -> dict[str, dict | Unreadable | None]:
    """Each blob the changes name, parsed; one too large to read is unreadable (told by its size first)."""
    blobs = sorted({blob for entry in touched for blob in (entry.old, entry.new) if blob})
    if not blobs:
        return {}
    request = "".join(f"{blob}\n" for blob in blobs).encode()
    sizes = git(root, "cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)", input=request).split("\n")
    small = [name for name, kind, size in (line.split() for line in sizes if line.count(" ") == 2)
             if kind == "blob" and int(size) <= yamlio.MAX_BYTES]
    output = git_bytes(root, "cat-file", "--batch", input="".join(f"{blob}\n" for blob in small).encode())
    versions: dict[str, dict | Unreadable | None] = dict.fromkeys(blobs, UNREADABLE_VERSION)
    position = 0
    for blob in small:
        header_end = output.index(b"\n", position)
        size = int(output[position:header_end].split()[2])
        versions[blob] = parse(output[header_end + 1: header_end + 1 + size])
        position = header_end + 1 + size + 1
    return versions


def _trailers(record: list[str]) -> tuple[str, str, str]:
    return record[6].strip(), record[7].strip(), record[8].strip()


def _change(record: list[str], path: str | None, item_id: str | None, titles: dict, root: Path) -> Change:
    """The change as the commit tells it, before its fields are compared."""
    commit, when, authored, author, email, subject = (part.strip() for part in record[:6])
    action, item, unit = _trailers(record)
    located = ITEM_PATH.fullmatch(path) if path else None
    if action and (item_id is None or item == item_id):
        return Change(commit, when, authored, author, email, action, item or item_id,
                      unit or (located and located["unit"]) or None, None, _title(subject, action, item), None, ())
    if path not in titles:
        titles[path] = _current_title(root, path)
    return Change(commit, when, authored, author, email, action or PLAIN, item_id or (located and located["id"]) or None,
                  (located and located["unit"]) or None, None, titles[path] or subject, None, ())


def _with_changes(change: Change, touched: _Touched | None, versions: dict, names: dict[str, str]) -> Change:
    """The change with its unit's name and what it did to the item's fields; a file created or
    deleted is that, without reading it (an import of 100,000 items reads none)."""
    if touched is None:
        effect, fields = None, ()
    elif touched.old is None or touched.new is None:
        effect, fields = (CREATED if touched.new else DELETED), ()
    else:
        effect, fields = compare(versions[touched.old], versions[touched.new])
    return replace(change, unit_name=names.get(change.unit or ""), effect=effect, changes=fields)


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


def render_json(changes: list[Change], lang: str, one_item: bool = False) -> str:
    return json.dumps([asdict(change) for change in changes], ensure_ascii=False, indent=2)


def render_table(changes: list[Change], lang: str, one_item: bool = False) -> str:
    """One row per change of a field (the commit's cells on its first), a rule between commits;
    of one item, the item named above the table and its columns left out. The table fits the
    terminal, an email address kept whole."""
    from ..report.tables import Table, fold, terminal_width

    if not changes:
        return text("log.none", lang)
    width = terminal_width(160)
    columns = ("when", "who", "action", "change") if one_item else ("when", "who", "action", "unit", "item", "change")
    table = Table([text(f"log.column.{column}", lang) for column in columns], title=text("log.title", lang, count=len(changes)),
                  optional=() if one_item else (3,), whole_words=(1, 0))
    for change in changes:
        lines = _lines(change, lang) or [""]
        first = [shown_time(change.when), f"{change.author} <{change.email}>", action_label(change.action, lang)]
        if not one_item:
            first += [change.unit_name or change.unit or "", f"{change.item or ''} {change.title}".strip()]
        blank = [""] * len(first)
        for number, line in enumerate(lines):
            table.add_row(*(first if number == 0 else blank), line, end_section=number == len(lines) - 1)
    heading = "\n".join(fold(printable(_named(changes[0], lang)), width)) + "\n" if one_item else ""
    return heading + table.render(width)


def render_oneline(changes: list[Change], lang: str, one_item: bool = False) -> str:
    """One line per change of a field: when, who, action, item and unit, `field: before → after`
    (an item created or deleted: that, and its title)."""
    if not changes:
        return text("log.none", lang)
    out = []
    for change in changes:
        unit = change.unit_name or change.unit
        item = text("log.item-in-unit", lang, item=change.item or "", unit=unit) if unit else change.item
        head = "  ".join(filter(None, [shown_time(change.when), f"{change.author} <{change.email}>",
                                       action_label(change.action, lang), item]))
        lines = _lines(change, lang)
        if not change.changes:  # nothing but the effect, if even that: the title says what it was about
            lines = [" ".join(filter(None, [*lines, change.title]))]
        out += [printable(f"{head}  {line}") for line in lines]
    return "\n".join(out)


def _lines(change: Change, lang: str) -> list[str]:
    """What changed, line by line; the effect left out where the action already says it (撤回, 撤回)."""
    lines = describe(change.effect, change.changes, lang)
    said = change.action == "withdraw" and change.effect == WITHDRAWN
    return lines[1:] if said else lines


def _named(change: Change, lang: str) -> str:
    """`关于…（2024-zonghe-k3f9，综合处）`: the item a one-item trail is of."""
    unit = change.unit_name or change.unit or ""
    return text("log.of-item", lang, title=change.title, id=change.item or "", unit=unit)


def shown_time(moment: str) -> str:
    """`2024-09-25T10:03:00+08:00` → `2024-09-25 10:03 +08:00`: the minute, and the offset it was told in."""
    day, _, clock = moment.partition("T")
    offset = "+00:00" if clock.endswith("Z") else clock[8:] if len(clock) > 8 else ""
    return f"{day} {clock[:5]} {offset}".strip()


def action_label(action: str, lang: str) -> str:
    key = f"log.action.{action}"
    return text(key, lang) if key in MESSAGES else action


RENDERERS = {"table": render_table, "json": render_json}
