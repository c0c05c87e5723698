"""Unit ownership in pull requests: each commit touching items/<year>/<unit>/ is by that unit's clerk or
an admin — checked over a real bare remote, as CI sees it — and the CODEOWNERS file made from the same lists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CATEGORIES, CONFIG, git, item, make_repo, write_files
from hostile_pulls import ADMIN
from hostile_pulls import UNITS as OFFICE_UNITS
from gongkai_cli.check.ownership import CODEOWNERS_ADMIN_PATHS, Owners, is_admin_only, unit_of

# The office of the hostile pull requests, with one clerk listed in capitals (matched in any case).
UNITS = OFFICE_UNITS.replace("zhao@example.gov.cn", "Zhao@Example.gov.cn")
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


def codes(findings) -> list[tuple[str, str]]:
    return [(f["path"], f["code"]) for f in findings]


def test_a_pull_request_cannot_make_its_author_a_clerk(cli, remote, tmp_path):
    work = clone(remote, tmp_path / "work")
    units = UNITS.replace("clerks: [wang@example.gov.cn]", "clerks: [wang@example.gov.cn, li@example.gov.cn]")
    path, content = item("2024-zonghe-a1b2")
    commit_as(work, "li@example.gov.cn", {"catalog/units.yaml": units, path: content})
    exit_code, findings = check(cli, work)
    assert exit_code == 1
    assert codes(findings) == [("catalog/units.yaml", "admin-only"), (path, "not-unit-clerk")]
    assert ADMIN in findings[0]["message"] and "wang@example.gov.cn" in findings[1]["message"]


@pytest.mark.parametrize("path, content", [
    ("gongkai.yaml", FILES["gongkai.yaml"] + "holidays: [2024-10-08]\n"),  # an extra holiday moves every deadline
    ("gongkai.yaml", CONFIG + f"admins: [{ADMIN}, li@example.gov.cn]\n"),  # a self-made admin
    ("catalog/categories.yaml", CATEGORIES.replace("time_limit: timely", "time_limit: none")),
    ("rules/timely.yaml", "id: timely\nname: 及时公开\ncategory: policy-docs\nwithin: {days: 200}\n"),
    ("reports/2024.yaml", "year: 2024\n"),
    (".gitattributes", "items/2024/zonghe/* working-tree-encoding=UTF-16\n"),
    ("items/2024/caiwu/.gitattributes", "*.yaml working-tree-encoding=UTF-16\n"),  # even inside the clerk's own folder
    (".gitmodules", "[submodule \"x\"]\n\tpath = items/x\n\turl = ../x\n"),
    (".mailmap", "Wang <wang@example.gov.cn> <li@example.gov.cn>\n"),
    (".github/workflows/gongkai.yml", "on: push\njobs: {}\n"),
    (".gitlab-ci.yml", "check: {script: [true]}\n"),
    ("CODEOWNERS", "* li@example.gov.cn\n"),
    ("notes.txt", "anything else is the admins' too\n"),
])
def test_a_clerk_cannot_change_what_only_admins_may(cli, remote, tmp_path, path, content):
    work = clone(remote, tmp_path / "work")
    commit_as(work, "li@example.gov.cn", {path: content})
    exit_code, findings = check(cli, work)
    assert exit_code == 1
    assert (path, "admin-only") in codes(findings)
    finding = next(f for f in findings if f["path"] == path)
    assert ADMIN in finding["message"] and "li@example.gov.cn" in finding["message"]


def test_an_admin_changes_the_rules_and_the_catalog(cli, remote, tmp_path):
    work = clone(remote, tmp_path / "work")
    commit_as(work, ADMIN, {"rules/timely.yaml": "id: timely\nname: 及时公开\ncategory: policy-docs\nwithin: {days: 20}\n",
                            "catalog/units.yaml": UNITS.replace("[wang@example.gov.cn]", "[wang@example.gov.cn, sun@x.cn]"),
                            ".gitattributes": "*.jpg binary\n"})
    assert check(cli, work) == (0, [])


def test_an_office_without_admins_has_no_admin_only_files(cli, tmp_path):
    office = make_repo(tmp_path / "seed", {**FILES, "gongkai.yaml": CONFIG}, base=False)
    git(office, "checkout", "-q", "-b", "pr")
    commit_as(office, "li@example.gov.cn", {"rules/timely.yaml": "id: timely\nname: 及时\ncategory: policy-docs\nwithin: {days: 20}\n"})
    result = cli(office, "check", "--since", "main", "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)["findings"]) == (0, [])


def test_an_evil_merge_is_its_authors_change(cli, remote, tmp_path):
    """The merge commit itself edits another unit's item (nothing a parent had): checked like any commit."""
    work = clone(remote, tmp_path / "work")
    commit_as(work, "li@example.gov.cn", dict([item("2024-caiwu-a1b2", unit="caiwu")]))
    git(work, "checkout", "-q", "-b", "side", "origin/main")
    commit_as(work, "li@example.gov.cn", dict([item("2024-caiwu-b2c3", unit="caiwu")]))
    git(work, "checkout", "-q", "pr")
    git(work, "merge", "-q", "--no-commit", "side")
    path, content = item("2024-zonghe-e5f6")
    write_files(work, {path: content})
    git(work, "add", "-A")
    git(work, "-c", "user.name=某人", "-c", "user.email=li@example.gov.cn", "commit", "-q", "--no-edit")
    merge = git(work, "rev-parse", "--short", "HEAD").strip()
    exit_code, findings = check(cli, work)
    assert exit_code == 1
    assert codes(findings) == [(path, "not-unit-clerk")]
    assert merge in findings[0]["message"]


def test_a_revoked_clerk_is_out_on_a_branch_made_before_the_revocation(cli, remote, tmp_path):
    work = clone(remote, tmp_path / "work")  # branched while li is caiwu's clerk
    admin = clone(remote, tmp_path / "admin", branch="revoke")
    commit_as(admin, ADMIN, {"catalog/units.yaml": UNITS.replace("li@example.gov.cn, ", "")})
    git(admin, "push", "-q", "origin", "revoke:main")
    git(work, "fetch", "-q")
    path, content = item("2024-caiwu-a1b2", unit="caiwu")
    commit_as(work, "li@example.gov.cn", {path: content})
    exit_code, findings = check(cli, work)
    assert exit_code == 1
    assert codes(findings) == [(path, "not-unit-clerk")]
    assert "Zhao@Example.gov.cn".lower() in findings[0]["message"].lower()


def test_clerks_granted_by_a_merged_change_count_only_after_it_is_merged(cli, remote, tmp_path):
    """Two-step escalation: the grant itself is admin-only; once an admin merged it, it holds."""
    work = clone(remote, tmp_path / "work")
    grant = UNITS.replace("clerks: [wang@example.gov.cn]", "clerks: [wang@example.gov.cn, li@example.gov.cn]")
    commit_as(work, "li@example.gov.cn", {"catalog/units.yaml": grant})
    assert codes(check(cli, work)[1]) == [("catalog/units.yaml", "admin-only")]
    admin = clone(remote, tmp_path / "admin", branch="grant")
    commit_as(admin, ADMIN, {"catalog/units.yaml": grant})
    git(admin, "push", "-q", "origin", "grant:main")
    later = clone(remote, tmp_path / "later")
    commit_as(later, "li@example.gov.cn", dict([item("2024-zonghe-a1b2")]))
    assert check(cli, later) == (0, [])


def test_a_unit_added_by_the_pull_request_is_the_admins_until_merged(cli, remote, tmp_path):
    work = clone(remote, tmp_path / "work")
    units = UNITS + "- id: tongji\n  name: 统计科\n  kind: department\n  clerks: [sun@example.gov.cn]\n"
    commit_as(work, ADMIN, {"catalog/units.yaml": units})
    commit_as(work, ADMIN, dict([item("2024-tongji-a1b2", unit="tongji")]))
    assert check(cli, work) == (0, [])
    path, content = item("2024-tongji-b2c3", unit="tongji")
    commit_as(work, "sun@example.gov.cn", {path: content})
    assert codes(check(cli, work)[1]) == [(path, "not-unit-clerk")]


PHOTO = "evidence/2024/notice-board.jpg"


def test_evidence_belongs_to_the_unit_whose_items_name_it(cli, remote, tmp_path):
    admin = clone(remote, tmp_path / "admin", branch="seed")
    path, content = item("2024-zonghe-a1b2")
    commit_as(admin, ADMIN, {path: content + f"evidence: [{PHOTO}]\n", PHOTO: b"\xff\xd8 photo"})
    git(admin, "push", "-q", "origin", "seed:main")
    work = clone(remote, tmp_path / "work")
    commit_as(work, "li@example.gov.cn", {PHOTO: b"\xff\xd8 another photo"})
    exit_code, findings = check(cli, work)
    assert exit_code == 1
    assert codes(findings) == [(PHOTO, "not-unit-clerk")]
    assert "zonghe" in findings[0]["message"] and "wang@example.gov.cn" in findings[0]["message"]
    own = clone(remote, tmp_path / "own")
    commit_as(own, "wang@example.gov.cn", {PHOTO: b"\xff\xd8 a better photo"})
    assert check(cli, own) == (0, [])


def test_a_clerk_adds_evidence_for_their_own_item(cli, remote, tmp_path):
    work = clone(remote, tmp_path / "work")
    path, content = item("2024-caiwu-a1b2", unit="caiwu")
    photo = "evidence/2024/caiwu-board.jpg"
    commit_as(work, "li@example.gov.cn", {path: content + f"evidence:\n  - {photo}\n", photo: b"\xff\xd8"})
    assert check(cli, work) == (0, [])


def test_a_forged_commit_author_is_caught_by_the_platforms_actor(cli, remote, tmp_path):
    work = clone(remote, tmp_path / "work")
    path, content = item("2024-zonghe-a1b2")
    commit_as(work, "wang@example.gov.cn", {path: content})  # li typed wang's email as the author
    assert check(cli, work) == (0, [])
    result = cli(work, "check", "--since", "origin/main", "--actor", "li-gh", "--format", "json", "--lang", "en")
    findings = json.loads(result.stdout)["findings"]
    assert (result.exit_code, codes(findings)) == (1, [(path, "not-unit-clerk")])
    assert "li-gh" in findings[0]["message"]


def test_clerks_may_name_platform_accounts(cli, tmp_path):
    units = UNITS.replace("clerks: [wang@example.gov.cn]", "clerks: [wang@example.gov.cn, Wang-GH]")
    office = make_repo(tmp_path / "office", {**FILES, "catalog/units.yaml": units}, base=False)
    git(office, "checkout", "-q", "-b", "pr")
    path, content = item("2024-zonghe-a1b2")
    write_files(office, {path: content})  # not even committed: the actor answers for the working tree too
    result = cli(office, "check", "--since", "main", "--actor", "wang-gh", "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)["findings"]) == (0, [])
    commit_as(office, "Wang-GH", {path: content + "note: x\n"})  # an account typed as a commit email is no one
    result = cli(office, "check", "--since", "main", "--format", "json")
    assert codes(json.loads(result.stdout)["findings"]) == [(path, "not-unit-clerk")]


def test_actor_without_since_is_a_usage_error(cli, tmp_path):
    office = make_repo(tmp_path / "office", FILES, base=False)
    result = cli(office, "check", "--actor", "li")
    assert result.exit_code == 2
    assert "--since" in result.stderr


def test_owners_rules():
    owners = Owners(frozenset({"admin@x.cn"}), {"zonghe": frozenset({"wang@x.cn"})}, frozenset({"zonghe", "xiang"}))
    assert owners.may_change("Wang@X.cn", "zonghe")
    assert owners.may_change("admin@x.cn", "zonghe")
    assert not owners.may_change("li@x.cn", "zonghe")
    assert owners.may_change("li@x.cn", "xiang")
    assert not owners.may_change("li@x.cn", "new-unit") and owners.may_change("admin@x.cn", "new-unit")
    assert not owners.may_change_admin_files("wang@x.cn") and owners.may_change_admin_files("ADMIN@x.cn")
    assert is_admin_only("items/2024/zonghe/.gitattributes") and is_admin_only("catalog/units.yaml")
    assert not is_admin_only("items/2024/zonghe/2024-zonghe-a1b2.yaml")
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
        *(f"{path} {ADMIN}" for path in CODEOWNERS_ADMIN_PATHS),
    ]
    assert {"/catalog/", "/rules/", "/reports/", "/gongkai.yaml", ".gitattributes", "/.github/", "/.gitlab-ci.yml",
            "/CODEOWNERS"} <= set(CODEOWNERS_ADMIN_PATHS)


def test_codeowners_names_platform_accounts_with_an_at_sign(cli, tmp_path):
    units = UNITS.replace("clerks: [wang@example.gov.cn]", "clerks: [wang@example.gov.cn, wang-gh]")
    root = make_repo(tmp_path / "office", {**FILES, "gongkai.yaml": CONFIG + "admins: [boss-gh]\n", "catalog/units.yaml": units},
                     base=False)
    lines = cli(root, "codeowners").stdout.splitlines()
    assert "* @boss-gh" in lines and "/items/*/zonghe/ wang@example.gov.cn @wang-gh" in lines


def test_codeowners_writes_a_file(cli, tmp_path):
    root = make_repo(tmp_path / "office", FILES, base=False)
    target = root / ".github" / "CODEOWNERS"
    result = cli(root, "codeowners", "-o", str(target))
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8") == cli(root, "codeowners").stdout
