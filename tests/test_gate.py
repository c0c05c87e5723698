"""The pull-request gate holds (issue 17): every hostile pull request of tests/hostile_pulls.py is
refused by `check --since` — exit 1, with a finding naming the rule it breaks — as a real process
with a bound on its time and memory, and the legitimate ones still pass."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import git, item
from hostile_pulls import HOSTILE, LEGIT, LI, NIL_INTERPRETATION, Pull, commit_as
from hypothesis import given
from hypothesis import strategies as st

from gongkai_cli.check.check import _parent_cycles
from gongkai_cli.model.findings import FINDINGS_PER_FILE, Finding, capped

GONGKAI = str(Path(sys.executable).with_name("gongkai"))
HANG_GUARD = 120  # seconds: only so that a regression fails instead of hanging the suite


def limited_memory() -> None:
    """A check reading without a bound dies of MemoryError instead of taking the machine down."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def gate(work: Path, pull: Pull) -> tuple[int, list[dict]]:
    result = subprocess.run([GONGKAI, "--repo", str(work), "--lang", "en", *pull.args()], capture_output=True,
                            text=True, stdin=subprocess.DEVNULL, timeout=HANG_GUARD, preexec_fn=limited_memory,
                            check=False)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)["findings"]


def _found(findings: list[dict], path: str | None, code: str) -> bool:
    return any(f["code"] == code and (path is None or f["path"] == path) for f in findings)


@pytest.mark.parametrize("pull", HOSTILE, ids=lambda pull: pull.name)
def test_a_hostile_pull_request_is_refused_with_the_rule_it_breaks(tmp_path, pull):
    exit_code, findings = gate(pull.open(tmp_path), pull)
    assert exit_code == 1, findings
    missing = [(path, code) for path, code in sorted(pull.expected, key=str) if not _found(findings, path, code)]
    assert not missing, findings


@pytest.mark.parametrize("pull", LEGIT, ids=lambda pull: pull.name)
def test_a_legitimate_pull_request_passes(tmp_path, pull):
    exit_code, findings = gate(pull.open(tmp_path), pull)
    assert (exit_code, [f for f in findings if f["severity"] == "error"]) == (0, [])


def test_every_ownership_finding_names_who_may_change_the_file(tmp_path):
    pull = next(pull for pull in HOSTILE if pull.name == "items-re-encoded")
    _, findings = gate(pull.open(tmp_path), pull)
    assert all("admin@example.gov.cn" in f["message"] and LI in f["message"] for f in findings)


def test_a_foreign_nil_companion_leaves_the_owing_units_interpretation_overdue(cli, tmp_path):
    """The finding is not only advice: under same_unit the nil item exempts nothing (full check too)."""
    pull = next(pull for pull in HOSTILE if pull.name == "nil-companion-for-another-unit")
    work = pull.open(tmp_path)
    result = cli(work, "overdue", "--as-of", "2024-10-10", "--format", "json")
    assert "2024-xiang-a1b2" in result.stdout
    full = cli(work, "check", "--format", "json")
    assert (NIL_INTERPRETATION[0], "foreign-companion") in {(f["path"], f["code"]) for f in json.loads(full.stdout)["findings"]}


def test_a_companion_of_its_own_unit_is_no_foreign_companion(cli, tmp_path):
    pull = next(pull for pull in HOSTILE if pull.name == "nil-companion-for-another-unit")
    work = pull.open(tmp_path)
    git(work, "checkout", "-q", "-b", "own")
    commit_as(work, LI, {NIL_INTERPRETATION[0]: NIL_INTERPRETATION[1].replace("2024-xiang-a1b2", "2024-caiwu-d7e8")})
    commit_as(work, LI, dict([item("2024-caiwu-d7e8", unit="caiwu", disclosed="2024-09-24")]))
    result = cli(work, "check", "--format", "json")
    assert "foreign-companion" not in result.stdout


# The linear checks, against the obvious slow ones --------------------------------------------------


def naive_cycles(parents: dict[str, str | None]) -> set[frozenset]:
    """Each unit walked up on its own (the quadratic way the check used to)."""
    found = set()
    for start, parent in parents.items():
        chain, current = [start], parent
        while current in parents and current not in chain:
            chain.append(current)
            current = parents[current]
        if current == start:
            found.add(frozenset(chain))
    return found


class _Unit:
    def __init__(self, parent):
        self.parent = parent


names = st.sampled_from([f"u{index}" for index in range(12)])


@given(st.dictionaries(names, st.one_of(st.none(), names, st.just("elsewhere"))))
def test_parent_cycles_are_those_the_slow_walk_finds_each_once(parents):
    cycles = _parent_cycles({unit: _Unit(parent) for unit, parent in parents.items()})
    assert {frozenset(cycle) for cycle in cycles} == naive_cycles(parents)
    assert len(cycles) == len({frozenset(cycle) for cycle in cycles})
    for cycle in cycles:  # in the order the links run
        assert all(parents[cycle[index]] == cycle[(index + 1) % len(cycle)] for index in range(len(cycle)))


def test_findings_are_capped_per_file_with_a_count_of_the_rest():
    many = [Finding("a.yaml", line, 1, "unknown-field") for line in range(1, 121)]
    kept = capped(many + [Finding("b.yaml", 1, 1, "unknown-field")])
    assert len([f for f in kept if f.path == "a.yaml"]) == FINDINGS_PER_FILE + 1
    assert [f.args for f in kept if f.code == "more-findings"] == [{"count": 120 - FINDINGS_PER_FILE}]
    assert Finding("b.yaml", 1, 1, "unknown-field") in kept


def test_a_cap_already_told_by_the_loader_adds_its_count():
    told = [Finding("a.yaml", 1, 1, "more-findings", "error", {"count": 7})]
    kept = capped(told + [Finding("a.yaml", line, 1, "unknown-field") for line in range(2, 2 + FINDINGS_PER_FILE + 3)])
    assert [f.args["count"] for f in kept if f.code == "more-findings"] == [10]


def test_every_hostile_case_names_the_rule_it_breaks():
    assert all(pull.expected for pull in HOSTILE)
    assert len({pull.name for pull in HOSTILE + LEGIT}) == len(HOSTILE + LEGIT)
