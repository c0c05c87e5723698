"""Who may change which file of the repository, as the target branch (REV) has it; checked per commit
of a pull request, or for everything it changes when the CI platform names its author (`--actor`);
and the CODEOWNERS file for hosts that enforce one."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import UsageProblem
from ..load import yamlio
from ..load.load import Snapshot, load_contents
from ..load.repo import MARKER, git
from ..model.findings import Finding
from ..model.models import Config, Unit
from .changes import Changes, Commit, commits_since, file_at, resolve

UNITS = "catalog/units.yaml"
# Only admins change these: what every unit's obligations and deadlines are read from, what git does
# with the files (attributes, submodules, identities), what CI runs, and who must review.
ADMIN_FOLDERS = ("catalog/", "rules/", "reports/", ".github/", ".gitlab/", "../")
ADMIN_FILES = (MARKER, ".gitlab-ci.yml", "CODEOWNERS", "docs/CODEOWNERS", ".pre-commit-config.yaml")
GIT_CONTROL = (".gitattributes", ".gitignore", ".gitmodules", ".mailmap", ".git-blame-ignore-revs")
# The explicit admin-only lines `gongkai codeowners` ends with (gitignore-style patterns).
CODEOWNERS_ADMIN_PATHS = ("/catalog/", "/rules/", "/reports/", f"/{MARKER}", "/.github/", "/.gitlab/",
                          "/.gitlab-ci.yml", "/CODEOWNERS", "/docs/CODEOWNERS", "/.pre-commit-config.yaml",
                          *GIT_CONTROL)


@dataclass(frozen=True)
class Owners:
    admins: frozenset[str]  # lower-case emails and platform accounts
    clerks: dict[str, frozenset[str]]  # unit id → lower-case emails and accounts; units without clerks absent
    units: frozenset[str]  # the units the target branch has

    def is_admin(self, who: str | None) -> bool:
        return who is not None and who.lower() in self.admins

    def may_change(self, who: str | None, unit: str) -> bool:
        """Admins change anything; a unit with no clerks listed is not guarded; a unit the target
        branch does not have yet is the admins' until it has merged."""
        if self.is_admin(who):
            return True
        if unit not in self.units:
            return not self.admins
        return unit not in self.clerks or (who is not None and who.lower() in self.clerks[unit])

    def may_change_admin_files(self, who: str | None) -> bool:
        """An office that lists no admins has not set ownership up: its admin-only files are not guarded."""
        return not self.admins or self.is_admin(who)


def owners_of(config: Config, units: list[Unit]) -> Owners:
    clerks = {unit.id: frozenset(_names(unit.clerks)) for unit in units if unit.clerks}
    return Owners(frozenset(_names(config.admins)), clerks, frozenset(unit.id for unit in units))


def _names(values: list[str]) -> set[str]:
    return {value.strip().lower() for value in values if value.strip()}


def owners_at(root: Path, rev: str) -> Owners:
    """Owners as the target branch has them now: nothing a pull request changes can grant it a unit,
    and a clerk an admin removed is out even on a branch made before the removal."""
    try:
        contents = {path: data for path in (MARKER, UNITS) if (data := file_at(root, rev, path)) is not None}
    except OSError as error:  # the target's own files too large to read: nobody can be told apart
        raise UsageProblem("error.bad-config", detail=f"{rev}: {error}") from None
    target, _ = load_contents(contents)
    return owners_of(target.config, target.units)


def unit_of(path: str) -> str | None:
    """items/<year>/<unit>/… → unit."""
    parts = path.split("/")
    return parts[2] if len(parts) >= 4 and parts[0] == "items" else None


def is_admin_only(path: str) -> bool:
    name = PurePosixPath(path).name
    return path.startswith(ADMIN_FOLDERS) or path in ADMIN_FILES or name in GIT_CONTROL or name == "CODEOWNERS"


# Whose file is it ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """Who may change a file: admins only (units empty), or the clerks of every unit listed."""

    units: tuple[str, ...] = ()


def claims(root: Path, rev: str, paths: set[str], owners: Owners, current: Snapshot) -> dict[str, Claim]:
    """Each path's claim. An item folder's files are its unit's; evidence is the unit's whose items
    name it — on the target branch, or in the pull request for a file the target does not have yet;
    anything else, and evidence nobody names, is the admins'."""
    found: dict[str, Claim] = {}
    loose = set()
    for path in paths:
        unit = unit_of(path) or _evidence_folder_unit(path, owners)
        if unit is not None and not is_admin_only(path):
            found[path] = Claim((unit,))
        elif is_admin_only(path):
            found[path] = Claim()
        else:
            loose.add(path)
    if loose:
        at_target = _naming_units_at(root, rev, loose)
        in_request = _naming_units(current, loose)
        for path in loose:
            named = at_target.get(path) if file_at_exists(root, rev, path) else in_request.get(path)
            found[path] = Claim(tuple(sorted(named or ())))
    return found


def _evidence_folder_unit(path: str, owners: Owners) -> str | None:
    """evidence/<year>/<unit>/… → unit, when the target branch has that unit."""
    parts = path.split("/")
    return parts[2] if len(parts) >= 4 and parts[0] == "evidence" and parts[2] in owners.units else None


def file_at_exists(root: Path, rev: str, path: str) -> bool:
    return git(root, "cat-file", "-t", f"{rev}:./{path}", check=False).strip() == "blob"


def _naming_units_at(root: Path, rev: str, paths: set[str]) -> dict[str, set[str]]:
    """{path: units whose items on the target branch list it as evidence}: git grep finds the
    candidates, parsing each confirms (flow style, quoting and line breaks all read alike)."""
    listing = git(root, "grep", "-l", "-z", "-I", "-F", *(arg for path in sorted(paths) for arg in ("-e", path)),
                  rev, "--", "items", check=False)
    named: dict[str, set[str]] = defaultdict(set)
    for name in filter(None, listing.split("\0")):
        item_path = name.split(":", 1)[1]
        try:
            data = file_at(root, rev, item_path)
        except OSError:  # too large to be an item: it names nothing
            continue
        for path in _evidence_of(data, paths):
            named[path].add(unit_of(item_path) or "")
    return named


def _evidence_of(data: bytes | None, paths: set[str]) -> set[str]:
    try:
        document = yamlio.load(yamlio.decode(data or b""))
    except yamlio.YamlProblem:
        return set()
    evidence = document.get("evidence") if isinstance(document, dict) else None
    return {value for value in evidence if isinstance(value, str) and value in paths} if isinstance(evidence, list) else set()


def _naming_units(current: Snapshot, paths: set[str]) -> dict[str, set[str]]:
    """The same, from the items of the pull request the check read (those naming a changed file are among them)."""
    named: dict[str, set[str]] = defaultdict(set)
    for item in current.items:
        for path in set(item.evidence) & paths:
            named[path].add(unit_of(current.source(item).path) or "")
    return named


# Findings ----------------------------------------------------------------------------------------


def ownership_findings(root: Path, rev: str, changes: Changes, current: Snapshot,
                       actor: str | None = None) -> list[Finding]:
    """`not-unit-clerk` / `admin-only` at each file changed by someone who may not change it: each
    commit's author, or with `actor` (the pull request's author as the CI platform knows them) that
    author for every change, committed or not."""
    owners = owners_at(root, resolve(root, rev))
    commits = commits_since(root, rev)
    changed: dict[str, list[Commit | None]] = defaultdict(list)
    for commit in commits:
        for path in commit.paths:
            changed[path].append(commit)
    if actor is not None:
        for path in changes.changed | changes.deleted:
            if path not in changed:
                changed[path].append(None)
    claimed = claims(root, resolve(root, rev), set(changed), owners, current)
    findings = []
    for path in sorted(changed):
        claim = claimed[path]
        offending = [entry for entry in changed[path] if not _allowed(owners, claim, _who(entry, actor))]
        if offending:
            findings.append(_finding(path, claim, owners, offending, actor))
    return findings


def _who(commit: Commit | None, actor: str | None) -> str | None:
    """The identity a change is judged by: the actor when CI names one, else the commit's author email
    (only an email: a platform account is never taken from what a committer types)."""
    if actor is not None:
        return actor.strip()
    return commit.email if commit is not None and "@" in commit.email else None


def _allowed(owners: Owners, claim: Claim, who: str | None) -> bool:
    if not claim.units:
        return owners.may_change_admin_files(who)
    return all(owners.may_change(who, unit) for unit in claim.units)


def _finding(path: str, claim: Claim, owners: Owners, offending: list[Commit | None], actor: str | None) -> Finding:
    commits = [commit for commit in offending if commit is not None]
    args = {
        "commit": ", ".join(commit.short for commit in commits) or "-",
        "author": actor if actor is not None else ", ".join(dict.fromkeys(f"{c.author} <{c.email}>" for c in commits)),
        "allowed": _allowed_names(claim, owners),
    }
    if not claim.units:
        return Finding(path, 1, 1, "admin-only", "error", args)
    return Finding(path, 1, 1, "not-unit-clerk", "error", {**args, "unit": ", ".join(claim.units)})


def _allowed_names(claim: Claim, owners: Owners) -> str:
    names = sorted(owners.admins)
    for unit in claim.units:
        names += sorted(owners.clerks.get(unit, ()))
    return ", ".join(dict.fromkeys(names)) or "-"


# CODEOWNERS --------------------------------------------------------------------------------------


def codeowners(config: Config, units: list[Unit]) -> str:
    """A CODEOWNERS file: the admins own everything, each unit's item folders go to its clerks, and
    the admin-only paths are named again last (the last matching line wins), so that a unit folder's
    `.gitattributes` is still the admins'."""
    lines = ["# gongkai codeowners: generated from gongkai.yaml (admins) and catalog/units.yaml (clerks)"]
    admins = _owners_line(config.admins)
    if admins:
        lines.append(f"* {admins}")
    lines += [f"/items/*/{unit.id}/ {_owners_line(unit.clerks)}" for unit in units if unit.clerks]
    if admins:
        lines += ["# admin-only paths (check --since: admin-only)"]
        lines += [f"{path} {admins}" for path in CODEOWNERS_ADMIN_PATHS]
    return "\n".join(lines) + "\n"


def _owners_line(names: list[str]) -> str:
    """Emails as they are, platform accounts as @account (how CODEOWNERS names users)."""
    return " ".join(name if "@" in name else f"@{name}" for name in (name.strip() for name in names) if name)
