"""`gongkai check`: load, run every check, and keep the findings the caller asked about."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .check import run_checks
from .findings import Finding
from .load import load_repository


@dataclass
class CheckResult:
    findings: list[Finding]
    files: int


def validate(root: Path, paths: list[Path] = (), since: str | None = None, lang: str = "zh",
             fail_overdue: bool = False) -> CheckResult:
    snapshot, findings = load_repository(root)
    findings = findings + run_checks(snapshot)
    wanted = [_relative(root, path) for path in paths]
    if wanted:
        findings = [f for f in findings if any(_under(f.path, prefix) for prefix in wanted)]
    return CheckResult(sorted(set(findings)), snapshot.files)


def _relative(root: Path, path: Path) -> str:
    absolute = path if path.is_absolute() else Path.cwd() / path
    try:
        return absolute.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _under(path: str, prefix: str) -> bool:
    return prefix in ("", ".") or path == prefix or path.startswith(prefix.rstrip("/") + "/")
