"""Unit ownership in pull requests: each commit touching items/<year>/<unit>/ is by that unit's clerk or
an admin — checked over a real bare remote, as CI sees it — and the CODEOWNERS file made from the same lists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CATEGORIES, CONFIG, git, item, make_repo, write_files
from gongkai_cli.check.ownership import Owners, unit_of

UNITS = """\
- id: zonghe
  name: 综合处
  kind: department
  clerks: [wang@example.gov.cn]
- id: caiwu
  name: 财务处
  kind: department
  clerks: [li@example.gov.cn, Zhao@Example.gov.cn]
- id: xiang
  name: 某乡
  kind: township
"""
ADMIN = "admin@example.gov.cn"
FILES = {"gongkai.yaml": CONFIG + f"admins: [{ADMIN}]\n", "catalog/units.yaml": UNITS, "catalog/categories.yaml": CATEGORIES}


@pytest.fixture
def remote(tmp_path) -> Path:
    """A bare repository holding the office's main branch, like the one CI clones."""
    office = make_repo(tmp_path / "seed", FILES, base=False)
    bare = tmp_path / "office.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    git(office, "push", "-q", str(bare), "HEAD:main")
    return bare


def clone(remote: Path, where: Path, branch: str = "pr") -> Path:
    git(where.parent, "clone", "-q", str(remote), str(where))
    git(where, "checkout", "-q", "-b", branch)
    return where


def commit_as(root: Path, email: str, files: dict, message: str = "登记条目") -> str:
    write_files(root, files)
    git(root, "add", "-A")
    git(root, "-c", "user.name=某人", "-c", f"user.email={email}", "commit", "-q", "-m", message)
    return git(root, "rev-parse", "--short", "HEAD").strip()


def check(cli, root):
    result = cli(root, "check", "--since", "origin/main", "--format", "json", "--lang", "en")
    return result.exit_code, json.loads(result.stdout)["findings"]


def test_a_clerk_of_another_unit_cannot_change_a_units_items(cli, remote, tmp_path):
    work = clone(remote, tmp_path / "work")
    path, content = item("2024-zonghe-a1b2")
    sha = commit_as(work, "li@example.gov.cn", {path: content})
    exit_code, findings = check(cli, work)
    assert exit_code == 1
    assert [(f["path"], f["line"], f["code"], f["severity"]) for f in findings] == [(path, 1, "not-unit-clerk", "error")]
    assert sha in findings[0]["message"] and "li@example.gov.cn" in findings[0]["message"]
    assert "zonghe" in findings[0]["message"]


@pytest.mark.parametrize("email", ["wang@example.gov.cn", "WANG@example.GOV.cn", ADMIN.upper()])
def test_the_units_clerk_or_an_admin_passes(cli, remote, tmp_path, email):
    work = clone(remote, tmp_path / "work")
    commit_as(work, email, dict([item("2024-zonghe-a1b2")]))
    assert check(cli, work) == (0, [])


def test_clerks_listed_in_any_case_are_matched(cli, remote, tmp_path):
    work = clone(remote, tmp_path / "work")
    commit_as(work, "zhao@example.gov.cn", dict([item("2024-caiwu-a1b2", unit="caiwu")]))
    assert check(cli, work) == (0, [])


def test_a_unit_without_clerks_is_not_guarded(cli, remote, tmp_path):
    work = clone(remote, tmp_path / "work")
    commit_as(work, "anyone@example.com", dict([item("2024-xiang-a1b2", unit="xiang")]))
    assert check(cli, work) == (0, [])


def test_every_offending_commit_is_named_once_per_file(cli, remote, tmp_path):
    work = clone(remote, tmp_path / "work")
    path, content = item("2024-zonghe-a1b2")
    first = commit_as(work, "li@example.gov.cn", {path: content})
    commit_as(work, "wang@example.gov.cn", {path: content.replace("测试条目", "修订")})
    third = commit_as(work, "zhao@example.gov.cn", {path: content})
    exit_code, findings = check(cli, work)
    assert exit_code == 1
    assert len(findings) == 1
    assert first in findings[0]["message"] and third in findings[0]["message"]


def test_a_pull_request_cannot_make_its_author_a_clerk(cli, remote, tmp_path):
    work = clone(remote, tmp_path / "work")
    units = UNITS.replace("clerks: [wang@example.gov.cn]", "clerks: [wang@example.gov.cn, li@example.gov.cn]")
    commit_as(work, "li@example.gov.cn", {"catalog/units.yaml": units, **dict([item("2024-zonghe-a1b2")])})
    exit_code, findings = check(cli, work)
    assert exit_code == 1
    assert [f["code"] for f in findings] == ["not-unit-clerk"]


def test_a_unit_added_by_the_pull_request_is_owned_by_its_new_clerks(cli, remote, tmp_path):
    work = clone(remote, tmp_path / "work")
    units = UNITS + "- id: tongji\n  name: 统计科\n  kind: department\n  clerks: [sun@example.gov.cn]\n"
    commit_as(work, ADMIN, {"catalog/units.yaml": units})
    commit_as(work, "sun@example.gov.cn", dict([item("2024-tongji-a1b2", unit="tongji")]))
    assert check(cli, work) == (0, [])
    commit_as(work, "li@example.gov.cn", dict([item("2024-tongji-b2c3", unit="tongji")]))
    assert [f["code"] for f in check(cli, work)[1]] == ["not-unit-clerk"]


def test_merging_the_target_branch_in_is_not_an_authored_change(cli, remote, tmp_path):
    upstream = clone(remote, tmp_path / "upstream", branch="work")
    commit_as(upstream, "wang@example.gov.cn", dict([item("2024-zonghe-a1b2")]))
    git(upstream, "push", "-q", "origin", "work:main")
    work = clone(remote, tmp_path / "work")
    git(work, "reset", "-q", "--hard", "HEAD~1")
    commit_as(work, "li@example.gov.cn", dict([item("2024-caiwu-a1b2", unit="caiwu")]))
    git(work, "-c", "user.email=li@example.gov.cn", "merge", "-q", "--no-edit", "origin/main")
    assert check(cli, work) == (0, [])


def test_owners_rules():
    owners = Owners(frozenset({"admin@x.cn"}), {"zonghe": frozenset({"wang@x.cn"})})
    assert owners.may_change("Wang@X.cn", "zonghe")
    assert owners.may_change("admin@x.cn", "zonghe")
    assert not owners.may_change("li@x.cn", "zonghe")
    assert owners.may_change("li@x.cn", "xiang")
    assert unit_of("items/2024/zonghe/2024-zonghe-a1b2.yaml") == "zonghe"
    assert unit_of("items/2024.yaml") is None


# CODEOWNERS ---------------------------------------------------------------------------------------


def test_codeowners_maps_unit_folders_to_clerks_after_the_admins_catch_all(cli, tmp_path):
    root = make_repo(tmp_path / "office", FILES, base=False)
    result = cli(root, "codeowners")
    assert result.exit_code == 0
    lines = [line for line in result.stdout.splitlines() if not line.startswith("#")]
    assert lines == [
        f"* {ADMIN}",
        "/items/*/zonghe/ wang@example.gov.cn",
        "/items/*/caiwu/ li@example.gov.cn Zhao@Example.gov.cn",
    ]


def test_codeowners_writes_a_file(cli, tmp_path):
    root = make_repo(tmp_path / "office", FILES, base=False)
    target = root / ".github" / "CODEOWNERS"
    result = cli(root, "codeowners", "-o", str(target))
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8") == cli(root, "codeowners").stdout
