"""Findings are data: one shape for every problem a file can have, and its renderers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..messages import printable, text


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    col: int
    code: str
    severity: str = "error"  # error | warning
    args: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def message(self, lang: str) -> str:
        return text(f"finding.{self.code}", lang, **self.args)

    def as_json(self, lang: str) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "severity": self.severity,
            "message": self.message(lang),
        }


FINDINGS_PER_FILE = 50
MORE = "more-findings"


def capped(findings: Iterable[Finding], limit: int = FINDINGS_PER_FILE) -> list[Finding]:
    """At most `limit` findings per file, the first by place, and then one `more-findings` counting
    the rest (an error if any of them is): a file with 40,000 unknown keys is 51 lines of output, not
    40,000 annotations. A `more-findings` already made (load.py stops locating at the limit) adds its
    count."""
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    kept = []
    for path, found in by_path.items():
        told = [finding for finding in found if finding.code == MORE]
        listed = sorted(finding for finding in found if finding.code != MORE)
        rest = told + listed[limit:]
        kept += listed[:limit]
        if rest:
            kept.append(more_findings(path, sum(f.args.get("count", 1) if f.code == MORE else 1 for f in rest),
                                      has_errors(rest)))
    return kept


def more_findings(path: str, count: int, errors: bool = True) -> Finding:
    return Finding(path, 1, 1, MORE, "error" if errors else "warning", {"count": count})


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(finding.severity == "error" for finding in findings)


def render_text(findings: list[Finding], files: int, lang: str) -> str:
    """One finding per line, `path:line:col: code: message` (clickable in an editor); nothing else.
    Newlines and control characters from the data are escaped: one finding is always one line."""
    return "\n".join(f"{printable(f.path)}:{f.line}:{f.col}: {f.code}: {printable(f.message(lang))}" for f in findings)


def summary(findings: list[Finding], files: int, lang: str) -> str:
    errors = sum(1 for f in findings if f.severity == "error")
    return text("check.summary", lang, files=files, errors=errors, warnings=len(findings) - errors)


def render_json(findings: list[Finding], files: int, lang: str) -> str:
    document = {
        "ok": not has_errors(findings),
        "files": files,
        "findings": [finding.as_json(lang) for finding in findings],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: list[Finding], files: int, lang: str) -> str:
    """GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`."""
    lines = []
    for f in findings:
        level = "error" if f.severity == "error" else "warning"
        properties = ",".join(
            [
                f"file={_escape_property(f.path)}",
                f"line={f.line}",
                f"col={f.col}",
                f"title={_escape_property(f.code)}",
            ]
        )
        lines.append(f"::{level} {properties}::{_escape_data(f.message(lang))}")
    return "\n".join(lines)


RENDERERS = {"text": render_text, "json": render_json, "github": render_github}
