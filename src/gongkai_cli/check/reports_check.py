"""`check` over the annual report's inputs: reports/*.yaml figures files, and what table 三 needs of requests."""

from __future__ import annotations

from datetime import date

from ..load.load import Snapshot
from ..model.findings import Finding
from ..model.reports import cell_keys
from ..schedule.annual import cell_value, compute_tables, format_of, is_trial

EVERYTHING_KNOWN = date(9999, 12, 31)  # `check` compares with every date the items record


def check_report_files(snapshot: Snapshot) -> list[Finding]:
    findings: list[Finding] = []
    units, seen = snapshot.unit_by_id, {}
    for figures in snapshot.reports:
        path = snapshot.source(figures).path
        expected = f"reports/{figures.year}{'-' + figures.unit if figures.unit else ''}{path[path.rindex('.'):]}"
        if path != expected:
            findings.append(snapshot.finding(figures, ("year",), "misplaced-report", expected=expected))
        if figures.unit is not None and figures.unit not in units and "units" not in snapshot.broken:
            findings.append(snapshot.finding(figures, ("unit",), "unknown-unit", value=figures.unit))
        key = (figures.year, figures.unit)
        if key in seen:
            findings.append(snapshot.finding(figures, ("year",), "duplicate-report", year=figures.year,
                                             unit=figures.unit or "-", other=seen[key]))
        seen.setdefault(key, path)
        findings += _cells(snapshot, figures)
    return findings


def _cells(snapshot: Snapshot, figures) -> list[Finding]:
    """Unknown cell keys are errors; a stated cell the items give otherwise is a warning naming both."""
    if not figures.cells:
        return []
    report_format = format_of(figures.year)
    known = cell_keys(is_trial(report_format))
    findings = [snapshot.finding(figures, ("cells", key), "unknown-report-cell", key=True, cell=key, format=report_format)
                for key in figures.cells if key not in known]
    unit = figures.unit if figures.unit in snapshot.unit_by_id else None
    computed = compute_tables(snapshot, figures.year, EVERYTHING_KNOWN, unit, figures, stated=False)
    for key, stated in figures.cells.items():
        if key in known and not key.startswith("table4."):  # table 四's stated cells add to the items'
            given = cell_value(computed, key)
            if given is not None and given != stated:
                findings.append(snapshot.finding(figures, ("cells", key), "report-cell-differs", "warning",
                                                 cell=key, stated=stated, computed=given))
    return findings


def check_request_fields(snapshot: Snapshot) -> list[Finding]:
    """Table 三 counts requests by requester and outcome: say where either is missing."""
    findings = []
    for item in snapshot.items:
        if item.mode != "on-request" or item.withdrawn:
            continue
        if item.replied is not None and item.outcome is None:
            findings.append(snapshot.finding(item, ("replied",), "request-no-outcome", "warning"))
        if item.requester is None:
            findings.append(snapshot.finding(item, ("mode",), "request-no-requester", "warning"))
    return findings
