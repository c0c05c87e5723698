"""`gongkai check`: load, run every check, and keep the findings the caller asked about."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .check import run_checks
from .findings import Finding
from .load import load_repository
from .overdue_check import overdue_findings
from .settings import today
from .since import check_since


@dataclass
class CheckResult:
    findings: list[Finding]
    files: int


def validate(root: Path, paths: list[Path] = (), since: str | None = None, lang: str = "zh",
             fail_overdue: bool = False) -> CheckResult:
    findings, files = check_since(root, since, fail_overdue) if since is not None else _check_all(root, fail_overdue)
    wanted = [_relative(root, path) for path in paths]
    if wanted:
        findings = [f for f in findings if any(_under(f.path, prefix) for prefix in wanted)]
    return CheckResult(sorted(set(findings)), files)


def _check_all(root: Path, fail_overdue: bool) -> tuple[list[Finding], int]:
    """Every file; with `fail_overdue`, every overdue occurrence is an error too."""
    snapshot, findings = load_repository(root)
    findings = findings + run_checks(snapshot)
    if fail_overdue:
        findings += overdue_findings(snapshot, today(snapshot.config), severity="error")
    return findings, snapshot.files


def _relative(root: Path, path: Path) -> str:
    absolute = path if path.is_absolute() else Path.cwd() / path
    try:
        return absolute.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _under(path: str, prefix: str) -> bool:
    return prefix in ("", ".") or path == prefix or path.startswith(prefix.rstrip("/") + "/")
