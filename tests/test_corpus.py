"""The corpus: files broken the ways people and tools really break them, each with what it must give.

`tests/corpus/bad/<case>/` holds the files a case adds to (or puts in place of) the base repository
of conftest.py, plus `expected.yaml`: the findings (code, path, line, col) that must be among those
of `gongkai check`, the exit code (1 unless it says otherwise) and any extra `args`.
`tests/corpus/good/<case>/` must check clean. A new way of breaking a file becomes a new case here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import make_repo

from gongkai_cli.messages import MESSAGES

CORPUS = Path(__file__).parent / "corpus"
NOT_CASE_FILES = ("expected.yaml", "why.txt")

# Finding codes a stored file cannot show, and the test file that shows each instead.
ELSEWHERE = {
    "file-too-large": "test_hostile.py",  # a file over 1 MiB is built there, not stored
    "no-config": "test_hostile.py",  # only a gongkai.yaml linked outside the repository goes missing
    "check-crashed": "test_hostile.py",  # no check crashes; a planted one shows the finding
    "unreadable-file": "test_uncounted.py",
    "not-a-file": "test_unread.py",  # a folder or a pipe where a file belongs: git stores neither  # git stores no permissions that stop root reading; injected there
    "deleted-item": "test_since.py",  # needs history: check --since
    "not-unit-clerk": "test_ownership.py",
    "admin-only": "test_ownership.py",
    # the annual report's findings are about a report's cells, not a file's lines (annual-report --check)
    **{code: "test_annual.py" for code in (
        "annual-c1", "annual-c2", "annual-c3", "annual-c4", "annual-carried", "annual-in-force", "annual-blank",
        "annual-missing", "annual-not-a-number", "annual-previous-year", "annual-previous-format",
        "annual-no-outcome", "annual-no-requester", "report-cell-differs", "unknown-report-cell",
        "misplaced-report", "duplicate-report", "request-no-outcome", "request-no-requester")},
}


def cases(kind: str) -> list[Path]:
    return sorted(path for path in (CORPUS / kind).iterdir() if path.is_dir())


def case_files(case: Path) -> dict[str, bytes]:
    return {path.relative_to(case).as_posix(): path.read_bytes()
            for path in sorted(case.rglob("*")) if path.is_file() and path.name not in NOT_CASE_FILES}


def expectation(case: Path) -> dict:
    return yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))


def run_check(cli, tmp_path: Path, case: Path, *args: str):
    root = make_repo(tmp_path / "office", case_files(case))
    result = cli(root, "check", "--format", "json", *args)
    return result, json.loads(result.stdout)


def places(findings: list[dict]) -> set[tuple]:
    return {(f["code"], f["path"], f["line"], f["col"]) for f in findings}


@pytest.mark.parametrize("case", cases("bad"), ids=lambda case: case.name)
def test_bad_case_gives_its_findings(cli, tmp_path, case):
    expected = expectation(case)
    result, document = run_check(cli, tmp_path, case, *expected.get("args", []))
    assert places(expected["findings"]) <= places(document["findings"]), document["findings"]
    assert result.exit_code == expected.get("exit", 1)


@pytest.mark.parametrize("case", cases("good"), ids=lambda case: case.name)
def test_good_case_checks_clean(cli, tmp_path, case):
    result, document = run_check(cli, tmp_path, case)
    assert (result.exit_code, document["findings"]) == (0, [])


def test_every_finding_code_is_shown_somewhere():
    codes = {key.removeprefix("finding.") for key in MESSAGES if key.startswith("finding.")}
    in_corpus = {finding["code"] for case in cases("bad") for finding in expectation(case)["findings"]}
    elsewhere = {code for code, test_file in ELSEWHERE.items()
                 if f'"{code}"' in (Path(__file__).parent / test_file).read_text(encoding="utf-8")}
    assert codes - in_corpus - elsewhere == set()
