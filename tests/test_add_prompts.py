"""Interactive `add`: it asks for the chosen category's required fields; it refuses to commit an
item checked against a catalog or rules that are not committed; Ctrl-C exits 130 leaving nothing."""

from __future__ import annotations

import os
import signal

import pexpect
import pytest
import yaml
from conftest import CATEGORIES, git, item, make_repo, write_files
from gitstate import GONGKAI, commit_count, head, item_files, status

FIELDS = CATEGORIES.replace("- id: work-news\n  name: 工作动态\n",
                            "- id: work-news\n  name: 工作动态\n  fields: [doc_number, 资金来源]\n")
ADD = ("add", "--category", "work-news", "--unit", "zonghe", "--title", "召开推进会", "--formed", "2024-09-23")


@pytest.fixture
def office(tmp_path):
    return make_repo(tmp_path / "office", {"catalog/categories.yaml": FIELDS})


@pytest.fixture
def terminal(monkeypatch):
    """CliRunner's input stands for a person at a terminal."""
    from gongkai_cli.cli import writes

    monkeypatch.setattr(writes, "_stdin_is_terminal", lambda: True)


def added(root, result) -> dict:
    assert result.exit_code == 0, result.stderr
    [path] = item_files(root)
    return yaml.safe_load((root / path).read_text(encoding="utf-8"))


def test_interactive_add_asks_every_required_field_of_the_category(cli, office, terminal):
    # unit, category (by number), title, formed (today), then the category's two fields
    result = cli(office, "add", input="综合处\n工作动态\n召开推进会\n2024-09-23\n某办发〔2024〕3号\n财政专项\n")
    assert "doc_number（分类“工作动态”必填）" in result.stderr and "资金来源（分类“工作动态”必填）" in result.stderr
    document = added(office, result)
    assert document["doc_number"] == "某办发〔2024〕3号" and document["details"] == {"资金来源": "财政专项"}
    assert cli(office, "check").exit_code == 0
    assert status(office) == [] and commit_count(office) == 2


def test_fields_given_as_options_are_not_asked_again(cli, office, terminal):
    result = cli(office, "--lang", "en", *ADD, "--doc-number", "某办发〔2024〕3号", input="财政专项\n")
    assert "资金来源 (required by category 工作动态)" in result.stderr and "doc_number (" not in result.stderr
    assert added(office, result)["details"] == {"资金来源": "财政专项"}
    result = cli(office, *ADD, "--doc-number", "N", "--set", "details.资金来源=自筹", input="")
    assert result.exit_code == 0 and "必填" not in result.stderr


def test_without_a_terminal_a_missing_field_is_named_and_nothing_written(cli, office):
    result = cli(office, *ADD)
    assert result.exit_code == 2 and "missing-detail" in result.stderr
    assert item_files(office) == [] and commit_count(office) == 1


@pytest.mark.parametrize("change", ["modified", "staged", "new rules file", "deleted"])
def test_an_uncommitted_catalog_or_rules_file_is_refused_with_the_fix(cli, office, change):
    path = {"modified": "catalog/units.yaml", "staged": "catalog/categories.yaml",
            "new rules file": "rules/news.yaml", "deleted": "catalog/units.yaml"}[change]
    if change == "new rules file":
        write_files(office, {path: "- id: news\n  name: 工作动态\n  category: work-news\n  within: {days: 5}\n"})
    elif change == "deleted":
        (office / path).unlink()
    else:
        with open(office / path, "a", encoding="utf-8") as file:
            file.write("# 修改中\n")
    if change == "staged":
        git(office, "add", path)
    before = (head(office), status(office))
    result = cli(office, *ADD, "--doc-number", "N", "--set", "details.资金来源=自筹")
    assert result.exit_code == 2
    assert f"git add {path} && git commit" in result.stderr and path in result.stderr
    assert (head(office), status(office)) == before and item_files(office) == []


def test_the_refusal_comes_before_the_questions(cli, office, terminal):
    with open(office / "catalog/categories.yaml", "a", encoding="utf-8") as file:
        file.write("- id: new-kind\n  name: 新分类\n")
    result = cli(office, "add", input="1\n1\n标题\n\n")
    assert result.exit_code == 2 and "commit" in result.stderr and "公开主体" not in result.stderr
    assert item_files(office) == []


def test_other_writes_refuse_too_and_no_commit_is_allowed(cli, office):
    path, content = item(id="2024-zonghe-a1b2")
    write_files(office, {path: content})
    git(office, "add", "items")
    git(office, "commit", "-q", "-m", "item")
    write_files(office, {"rules/news.yaml": "- id: news\n  name: 工作动态\n  category: work-news\n  within: {days: 5}\n"})
    result = cli(office, "--lang", "en", "disclose", "2024-zonghe-a1b2", "--on", "2024-10-01")
    assert result.exit_code == 2 and "commit it first: git add rules/news.yaml && git commit" in result.stderr
    result = cli(office, *ADD, "--doc-number", "N", "--set", "details.资金来源=自筹", "--no-commit")
    assert result.exit_code == 0, result.stderr
    assert len(item_files(office)) == 2


def test_ctrl_c_at_a_question_exits_130_leaving_nothing(office):
    """A real terminal and a real SIGINT at the question for a required field."""
    session = pexpect.spawn(GONGKAI[0], [*GONGKAI[1:], "--repo", str(office), "add", "--unit", "zonghe",
                                         "--category", "work-news", "--title", "召开推进会", "--formed", "2024-09-23"],
                            encoding="utf-8", timeout=60, env={**os.environ, "PYTHONUTF8": "1", "COLUMNS": "120"},
                            # as from a person's shell: a runner started in the background (`cmd &`)
                            # passes SIGINT on ignored, and Python then keeps ignoring it
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    session.expect("doc_number")
    session.sendline("某办发〔2024〕3号")
    session.expect("资金来源")
    session.kill(signal.SIGINT)
    session.expect(pexpect.EOF)
    session.close()
    assert session.exitstatus == 130
    assert item_files(office) == [] and commit_count(office) == 1 and status(office) == []


def test_a_bad_answer_to_a_required_field_is_asked_again(cli, tmp_path, terminal):
    categories = CATEGORIES.replace("- id: work-news\n  name: 工作动态\n",
                                    "- id: work-news\n  name: 工作动态\n  fields: [effective, period]\n")
    root = make_repo(tmp_path / "o", {"catalog/categories.yaml": categories})
    result = cli(root, *ADD, input="2024-13-01\n2024-10-01\n2024Q5\n2024Q3\n")
    assert result.stderr.count("effective（分类“工作动态”必填）") == 2
    assert result.stderr.count("period（分类“工作动态”必填）") == 2
    document = added(root, result)
    assert str(document["effective"]) == "2024-10-01" and document["period"] == "2024Q3"
