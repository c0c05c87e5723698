"""Who may change a unit's items: its clerks and the office admins. Checked per commit; CODEOWNERS for hosts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..load.load import Snapshot, load_contents
from ..load.repo import MARKER
from ..model.findings import Finding
from ..model.models import Config, Unit
from .changes import Commit, commits_since, file_at

UNITS = "catalog/units.yaml"


@dataclass(frozen=True)
class Owners:
    admins: frozenset[str]  # lower-case emails
    clerks: dict[str, frozenset[str]]  # unit id → lower-case emails; a unit without clerks is not listed

    def may_change(self, email: str, unit: str) -> bool:
        """Admins change anything; a unit with no clerks listed is not guarded."""
        email = email.lower()
        return email in self.admins or unit not in self.clerks or email in self.clerks[unit]


def owners_of(config: Config, units: list[Unit]) -> Owners:
    clerks = {unit.id: frozenset(_emails(unit.clerks)) for unit in units if unit.clerks}
    return Owners(frozenset(_emails(config.admins)), clerks)


def _emails(values: list[str]) -> set[str]:
    return {value.strip().lower() for value in values if value.strip()}


def base_owners(root: Path, base: str, current: Snapshot) -> Owners:
    """Owners as the target branch has them, so a pull request cannot grant itself a unit.

    A unit the pull request adds has no owners there yet: its clerks come from the pull request.
    """
    contents = {path: data for path in (MARKER, UNITS) if (data := file_at(root, base, path)) is not None}
    before, _ = load_contents(contents)
    config = before.config if MARKER in contents else current.config
    known = {unit.id for unit in before.units}
    return owners_of(config, before.units + [unit for unit in current.units if unit.id not in known])


def unit_of(path: str) -> str | None:
    """items/<year>/<unit>/… → unit."""
    parts = path.split("/")
    return parts[2] if len(parts) >= 4 and parts[0] == "items" else None


def ownership_findings(root: Path, rev: str, base: str, current: Snapshot) -> list[Finding]:
    """`not-unit-clerk` at each item file a commit since REV changed without being its unit's clerk."""
    owners = base_owners(root, base, current)
    offences: dict[tuple[str, str], list[Commit]] = defaultdict(list)
    for commit in reversed(commits_since(root, rev)):  # oldest first
        for path in commit.paths:
            unit = unit_of(path)
            if unit is not None and not owners.may_change(commit.email, unit):
                offences[(path, unit)].append(commit)
    return [_finding(path, unit, commits) for (path, unit), commits in sorted(offences.items())]


def _finding(path: str, unit: str, commits: list[Commit]) -> Finding:
    return Finding(path, 1, 1, "not-unit-clerk", "error", {
        "commit": ", ".join(commit.short for commit in commits),
        "author": ", ".join(dict.fromkeys(f"{commit.author} <{commit.email}>" for commit in commits)),
        "unit": unit,
    })


def codeowners(config: Config, units: list[Unit]) -> str:
    """A CODEOWNERS file: each unit's item folders to its clerks, the admins owning everything else.

    The last matching line wins, so the catch-all comes first.
    """
    lines = ["# gongkai codeowners: generated from gongkai.yaml (admins) and catalog/units.yaml (clerks)"]
    if config.admins:
        lines.append(f"* {' '.join(config.admins)}")
    lines += [f"/items/*/{unit.id}/ {' '.join(unit.clerks)}" for unit in units if unit.clerks]
    return "\n".join(lines) + "\n"
