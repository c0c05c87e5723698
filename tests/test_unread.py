"""Every file the data folders hold is read or reported, and the repository's root is never a guess.

What a stored corpus file cannot carry: a name with a newline, a folder where a file belongs, a
pipe, and a gongkai.yaml that is a folder inside a larger repository.
"""

from __future__ import annotations

import json
import os

from conftest import git, item, make_repo, write_files

from gongkai_cli.load.repo import data_files

ITEM_PATH, ITEM_TEXT = item()


def findings(cli, root) -> set[tuple[str, str]]:
    result = cli(root, "check", "--format", "json")
    return {(f["code"], f["path"]) for f in json.loads(result.stdout)["findings"]}


def test_a_name_with_a_newline_is_reported_and_its_newline_escaped_in_text(cli, repo):
    write_files(repo, {"items/2024/zonghe/2024-zonghe-a1b2\n.yaml": ITEM_TEXT})
    assert ("unread-file", "items/2024/zonghe/2024-zonghe-a1b2\n.yaml") in findings(cli, repo)
    shown = cli(repo, "check").stdout
    assert "items/2024/zonghe/2024-zonghe-a1b2\\n.yaml:1:1: unread-file" in shown
    assert all(line.startswith("items/") for line in shown.splitlines()), shown


def test_units_yaml_as_a_folder_is_one_finding_not_a_cascade(cli, repo):
    (repo / "catalog/units.yaml").unlink()
    (repo / "catalog/units.yaml").mkdir()
    write_files(repo, {ITEM_PATH: ITEM_TEXT})
    assert findings(cli, repo) == {("not-a-file", "catalog/units.yaml")}
    for _ in range(2):  # the second time from the remembered view
        result = cli(repo, "--lang", "en", "overdue", "--as-of", "2024-12-01", "--fail")
        assert result.exit_code == 1
        assert "catalog/units.yaml not read (not-a-file" in result.stdout
        assert "unknown-unit" not in result.stdout


def test_a_pipe_in_a_data_folder_is_reported_and_never_opened(cli, repo):
    os.mkfifo(repo / "catalog/categories.yml")
    assert findings(cli, repo) == {("not-a-file", "catalog/categories.yml")}


def test_hidden_files_that_are_not_yaml_are_passed_over(cli, repo):
    write_files(repo, {"items/.gitkeep": "", "rules/.DS_Store": b"\0\1", "items/.draft.YAML": ITEM_TEXT})
    assert findings(cli, repo) == {("unread-file", "items/.draft.YAML")}


def test_the_root_is_the_nearest_folder_whose_gongkai_yaml_is_a_file(cli, tmp_path):
    parent = make_repo(tmp_path / "parent", dict([item()]))
    (parent / "office").mkdir()
    (parent / "office/gongkai.yaml").mkdir()
    commits = git(parent, "rev-list", "--count", "HEAD")
    result = cli(parent / "office", "--lang", "en", "add", "--category", "policy-docs", "--unit", "zonghe",
                 "--title", "误入上级仓库")
    assert result.exit_code == 2
    assert "gongkai.yaml is not a regular file" in result.stderr
    assert git(parent, "rev-list", "--count", "HEAD") == commits
    assert data_files(parent) == ["catalog/categories.yaml", "catalog/units.yaml", "gongkai.yaml", ITEM_PATH]
    for args in (["check"], ["overdue"], ["deadline", "2024-09-23", "--days", "3"]):
        assert cli(parent / "office", *args).exit_code == 2
