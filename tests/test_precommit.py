"""gongkai as a pre-commit hook: the hooks file, `pre-commit try-repo`, and a hook installed for real.

The try-repo tests let pre-commit build its own virtualenv and pip-install gongkai from a clone of
this project's HEAD (PyPI must be reachable; about 15–30 s the first time, then cached for the module).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT, git, item, make_repo, write_files
from pre_commit.clientlib import load_manifest

HOOKS_FILE = PROJECT / ".pre-commit-hooks.yaml"
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
BAD_ITEM = item("2024-zonghe-a1b2", category="nothing")
GOOD_ITEM = item("2024-zonghe-a1b2")


def test_the_hooks_file_is_a_valid_pre_commit_manifest():
    (hook,) = load_manifest(str(HOOKS_FILE))
    assert (hook["id"], hook["entry"], hook["language"], hook["pass_filenames"]) == (
        "gongkai-check", "gongkai check", "python", False)
    assert hook["files"] == yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))[0]["files"]


@pytest.mark.parametrize("path, runs", [
    ("gongkai.yaml", True), ("catalog/units.yaml", True), ("rules/monthly.yaml", True),
    ("items/2024/zonghe/2024-zonghe-a1b2.yaml", True), ("README.md", False), ("docs/items/x.yaml", False),
    ("old-gongkai.yaml", False),
])
def test_the_hook_runs_for_gongkai_files_only(path, runs):
    (hook,) = load_manifest(str(HOOKS_FILE))
    assert bool(re.search(hook["files"], path)) is runs


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A clone of the project's HEAD: pre-commit installs hooks from a committed tree."""
    if not (PROJECT / ".git").exists():
        pytest.skip("the project is not a git checkout")
    clone = tmp_path_factory.mktemp("project") / "gongkai"
    subprocess.run(["git", "clone", "-q", str(PROJECT), str(clone)], check=True)
    assert (clone / ".pre-commit-hooks.yaml").is_file(), "commit .pre-commit-hooks.yaml before running this test"
    return clone


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    """One pre-commit store and pip cache for the module: try-repo builds a fresh environment each
    run (in a temporary store), so the downloads are what is worth keeping."""
    return tmp_path_factory.mktemp("pre-commit-home")


def pre_commit(root: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    return run(root, home, str(PRE_COMMIT), *args)


def run(root: Path, home: Path, *command: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home / "store"), "PIP_CACHE_DIR": str(home / "pip"),
           "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PRE_COMMIT_COLOR": "never"}
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=900)


@pytest.mark.slow  # pre-commit builds a virtualenv and pip-installs gongkai for each try-repo run
def test_try_repo_blocks_an_invalid_item_and_passes_a_valid_one(tmp_path, project, pre_commit_home):
    office = make_repo(tmp_path / "office")
    write_files(office, dict([BAD_ITEM]))
    git(office, "add", "-A")
    blocked = pre_commit(office, pre_commit_home, "try-repo", str(project), "gongkai-check")
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert f"{BAD_ITEM[0]}:3:11: unknown-category" in blocked.stdout

    write_files(office, dict([GOOD_ITEM]))
    git(office, "add", "-A")
    passed = pre_commit(office, pre_commit_home, "try-repo", str(project), "gongkai-check")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "gongkai check" in passed.stdout and "Passed" in passed.stdout


@pytest.mark.slow  # pre-commit builds a virtualenv and pip-installs gongkai once
def test_an_installed_hook_stops_the_commit(tmp_path, project, pre_commit_home):
    office = make_repo(tmp_path / "office")
    rev = git(project, "rev-parse", "HEAD").strip()
    write_files(office, {".pre-commit-config.yaml": f"repos:\n  - repo: {project}\n    rev: {rev}\n    hooks:\n      - id: gongkai-check\n"})
    git(office, "add", "-A")
    git(office, "commit", "-q", "-m", "pre-commit")
    assert pre_commit(office, pre_commit_home, "install").returncode == 0
    head = git(office, "rev-parse", "HEAD")

    write_files(office, dict([BAD_ITEM]))
    git(office, "add", "-A")
    refused = run(office, pre_commit_home, "git", "commit", "-q", "-m", "登记条目")
    assert refused.returncode != 0
    assert "unknown-category" in refused.stdout + refused.stderr
    assert git(office, "rev-parse", "HEAD") == head

    write_files(office, dict([GOOD_ITEM]))
    git(office, "add", "-A")
    accepted = run(office, pre_commit_home, "git", "commit", "-q", "-m", "登记条目")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert git(office, "rev-parse", "HEAD") != head
