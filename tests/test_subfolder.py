"""A gongkai repository in a folder of a larger git repository (as examples/* are in this one):
git reports many paths from the top of the git repository, gongkai reads them from its own root."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import git, item, make_repo, write_files

ITEM, GOOD = item("2024-zonghe-a1", formed="2024-09-02", disclosed="2024-09-05")
RULE = """\
- id: policy-20wd
  name: 规范性文件20个工作日内公开
  category: policy-docs
  within: {workdays: 20}
"""


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """offices/zonghe inside an outer git repository that also holds other files."""
    outer = make_repo(tmp_path / "outer", {"README.md": "other work\n"}, base=False)
    root = outer / "offices" / "zonghe"
    make_repo(root, {ITEM: GOOD, "rules/policy.yaml": RULE})
    (root / ".git").rename(tmp_path / "inner-git")  # its files now belong to the outer repository
    git(outer, "add", "-A")
    git(outer, "commit", "-qm", "the office")
    return root


def test_check_since_sees_a_change_below_the_top(office: Path, cli):
    write_files(office, {ITEM: GOOD.replace("formed: 2024-09-02", "formed: 2024-02-30")})
    result = cli(office, "check", "--since", "HEAD", "--format", "json")
    assert result.exit_code == 1
    assert [f["path"] for f in json.loads(result.stdout)["findings"]] == [ITEM]


def test_audit_at_a_commit_reads_the_office_folder(office: Path, cli):
    at_head = json.loads(cli(office, "audit", "--quarter", "2024Q3", "--as-of", "2024-10-15", "--at", "HEAD",
                             "--format", "json").stdout)
    working = json.loads(cli(office, "audit", "--quarter", "2024Q3", "--as-of", "2024-10-15", "--format", "json").stdout)
    assert at_head["totals"]["due"] == working["totals"]["due"] == 1
    assert working["uncommitted_changes"] is False


def test_audit_says_when_the_office_has_uncommitted_changes(office: Path, cli):
    write_files(office, {"items/2024/zonghe/2024-zonghe-b2.yaml": GOOD.replace("a1", "b2")})
    result = cli(office, "audit", "--quarter", "2024Q3", "--as-of", "2024-10-15", "--format", "json")
    assert json.loads(result.stdout)["uncommitted_changes"] is True


def test_writes_and_log_below_the_top(office: Path, cli):
    added = cli(office, "add", "--category", "work-news", "--unit", "zonghe", "--title", "工作动态", "--formed", "2024-10-14")
    assert added.exit_code == 0, added.output
    item_id = added.stdout.strip()
    assert cli(office, "disclose", item_id, "--on", "2024-10-15").exit_code == 0
    assert git(office, "status", "--porcelain") == ""
    write_files(office, {ITEM: GOOD + "url: https://example.gov.cn/a1\n"})
    git(office, "commit", "-qam", "by hand")  # no gongkai trailers: found by the file it touched
    write_files(office.parents[1], {"README.md": "other work, changed\n"})
    git(office.parents[1], "commit", "-qam", "outside the office")
    changes = json.loads(cli(office, "log", "--format", "json").stdout)
    assert [(c["action"], c["item"]) for c in changes][:3] == [
        ("commit", "2024-zonghe-a1"), ("disclose", item_id), ("add", item_id)]


def test_an_uncommitted_rules_file_below_the_top_is_named_from_the_office(office: Path, cli):
    write_files(office, {"rules/policy.yaml": RULE.replace("20}", "15}")})
    result = cli(office, "add", "--category", "work-news", "--unit", "zonghe", "--title", "工作动态", "--formed", "2024-10-14")
    assert result.exit_code == 2 and "git add rules/policy.yaml && git commit" in result.stderr
    assert "offices/zonghe/rules" not in result.stderr


def test_a_write_keeps_every_neighbour_as_git_stored_it(office: Path, cli):
    """The commit's tree is HEAD's with one file added: nothing dropped, no name re-encoded."""
    import os
    import subprocess

    outer = office.parents[1]
    gbk_name = "公开.txt".encode("gbk")  # not valid UTF-8: a name from an older Windows share
    for folder in (outer, office / "items"):
        with open(os.path.join(os.fsencode(folder), gbk_name), "wb") as stream:
            stream.write(b"x\n")
    git(outer, "add", "-A")
    git(outer, "commit", "-qm", "names from elsewhere")

    def tree() -> set[bytes]:
        listing = subprocess.run(["git", "ls-tree", "-r", "-z", "--name-only", "HEAD"], cwd=outer,
                                 capture_output=True, check=True).stdout
        return set(filter(None, listing.split(b"\0")))

    before = tree()
    added = cli(office, "add", "--category", "work-news", "--unit", "zonghe", "--title", "工作动态", "--formed", "2024-10-14")
    assert added.exit_code == 0, added.output
    after = tree()
    assert before < after and len(after - before) == 1
    assert gbk_name in after and b"offices/zonghe/items/" + gbk_name in after
