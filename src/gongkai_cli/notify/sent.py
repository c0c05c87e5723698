"""Which digests `remind --send` has sent, per day: a JSON file in the git directory (outside the work
tree, so it is never committed and never seen by `check`)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

from ..load.repo import git
from ..load.yamlio import atomic_write

KEEP_DAYS = 62  # older days are dropped when the record is written


class SentRecord:
    """{day: {recipient (lower case): when it was sent}}, written after every message that went."""

    def __init__(self, path: Path):
        self.path = path
        self.days: dict[str, dict[str, str]] = _read(path)

    @classmethod
    def of_repository(cls, root: Path) -> SentRecord:
        git_dir = Path(git(root, "rev-parse", "--git-common-dir").strip())
        return cls((root / git_dir) / "gongkai" / "remind-sent.json")

    def has(self, day: date, recipient: str) -> bool:
        return recipient.strip().lower() in self.days.get(day.isoformat(), {})

    def add(self, day: date, recipient: str, when: datetime) -> None:
        self.days.setdefault(day.isoformat(), {})[recipient.strip().lower()] = when.isoformat(timespec="seconds")
        oldest = (day - timedelta(days=KEEP_DAYS)).isoformat()
        self.days = {d: sent for d, sent in self.days.items() if d >= oldest}
        atomic_write(self.path, json.dumps(self.days, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def _read(path: Path) -> dict[str, dict[str, str]]:
    """The record, or an empty one when it is missing or damaged (at worst a digest goes twice)."""
    try:
        days = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(days, dict):
        return {}
    return {d: dict(sent) for d, sent in days.items() if isinstance(d, str) and isinstance(sent, dict)}
