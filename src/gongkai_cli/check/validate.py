"""`gongkai check`: load, run every check, and keep the findings the caller asked about."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from ..load.cache import collection_paused, scan_listed
from ..load.memo import recall, remember, state_of
from ..load.repo import data_files, evidence_state
from ..model.findings import Finding, capped


@dataclass
class CheckResult:
    findings: list[Finding]
    files: int


def validate(root: Path, paths: list[Path] = (), since: str | None = None, lang: str = "zh",
             fail_overdue: bool = False, actor: str | None = None) -> CheckResult:
    if since is not None:
        from .since import check_since

        findings, files = check_since(root, since, fail_overdue, actor)
    else:
        findings, files = _check_all(root, fail_overdue)
    wanted = [_relative(root, path) for path in paths]
    if wanted:  # every file is checked (what the paths hold is judged against the rest); theirs are told
        findings = [f for f in findings if any(_under(f.path, prefix) for prefix in wanted)]
        if since is None:
            files = sum(1 for path in data_files(root) if any(_under(path, prefix) for prefix in wanted))
    return CheckResult(sorted(capped(set(findings))), files)


def _check_all(root: Path, fail_overdue: bool) -> tuple[list[Finding], int]:
    """Every file; with `fail_overdue`, every overdue occurrence is an error too (that depends on
    the day, so it is never remembered)."""
    from ..load.load import load_repository
    from ..schedule.settings import today
    from .incremental import check_tree
    from .overdue_check import overdue_findings

    if fail_overdue:
        snapshot, findings = load_repository(root)
        findings += _checked(snapshot) + overdue_findings(snapshot, today(snapshot.config), severity="error")
        return findings, snapshot.files
    scanned, blobs, listing = scan_listed(root)
    if blobs is None:  # outside git: nothing to key an answer by
        snapshot, findings = load_repository(root, scanned=scanned)
        return findings + _checked(snapshot), snapshot.files
    files, escaping = scanned
    hashed: dict[str, str] = {}
    state = state_of(root, files, blobs, "check", *escaping, hashed=hashed, listing=listing)
    remembered = recall(root, "check", state)
    if remembered is not None and _evidence_agrees(root, remembered[0][1]):
        return remembered[0][0], len(files)
    with collection_paused():  # its columns and keys are 300,000 objects each at 300,000 items: 0.15 s of collecting
        findings, snapshot, read = check_tree(root, files, escaping, blobs)
    # every file read had the content the state names: nothing changed while it ran
    if _rememberable(findings) and all(blob == (blobs.get(path) or hashed.get(path)) for path, blob in read.items()):
        remember(root, "check", state, (findings, _evidence(snapshot)))
    return findings, len(files)


# Answers that depend on more than the files: a check that failed, a zone name the system's
# time zone database may learn.
UNREMEMBERED = frozenset({"check-crashed", "invalid-timezone"})


def _rememberable(findings: list[Finding]) -> bool:
    return not any(finding.code in UNREMEMBERED for finding in findings)


def _checked(snapshot) -> list[Finding]:
    from .check import run_checks

    return run_checks(snapshot)


def _evidence(snapshot) -> dict[str, str]:
    """{evidence path: its state} for every evidence file an item names (check_evidence's input
    from outside the data files)."""
    if snapshot.root is None:
        return {}
    named = set(chain.from_iterable(snapshot.item_values("evidence")))
    return {relative: evidence_state(snapshot.root, relative) for relative in named}


def _evidence_agrees(root: Path, remembered: dict[str, str]) -> bool:
    return all(evidence_state(root, relative) == state for relative, state in remembered.items())


def _relative(root: Path, path: Path) -> str:
    absolute = path if path.is_absolute() else Path.cwd() / path
    try:
        return absolute.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _under(path: str, prefix: str) -> bool:
    return prefix in ("", ".") or path == prefix or path.startswith(prefix.rstrip("/") + "/")
