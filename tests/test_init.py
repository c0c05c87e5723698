"""`gongkai init`: commented templates of every file kind that check as they stand, one commit, the
next steps; reports over a repository with no rules or no items say so."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from conftest import git, item, make_repo

from gongkai_cli.model.models import (
    Category,
    Config,
    Item,
    MailSettings,
    RuleBase,
    Unit,
)
from gongkai_cli.model.reports import ReportFigures

TEMPLATES = {
    "gongkai.yaml": [Config, MailSettings],
    "catalog/units.yaml": [Unit],
    "catalog/categories.yaml": [Category],
    "rules/rules.yaml": [RuleBase],
    "templates/item.yaml": [Item],
    "templates/report.yaml": [ReportFigures],
}
RULE_SHAPE_KEYS = ("every", "due", "min_items", "within", "companion", "same_unit", "once", "request", "extension")


def names(model) -> set[str]:
    return {field.alias or name for name, field in model.model_fields.items()}


def uncommented(content: str) -> str:
    """The file as its keeper makes it by following its own instructions: the commented example
    lines (those after the line saying to delete the `[]`, or after the first key) uncommented,
    the placeholder `[]` deleted."""
    lines = content.splitlines()
    marks = [n for n, line in enumerate(lines) if line.startswith("#") and "[]" in line]
    start = marks[-1] + 1 if marks else next(n for n, line in enumerate(lines) if line and not line.startswith("#"))
    return "\n".join(line[2:] if number >= start and line.startswith("# ") else line
                     for number, line in enumerate(lines) if line != "[]") + "\n"


@pytest.fixture(params=["zh", "en"])
def new(request, cli, tmp_path):
    lang = request.param
    target = tmp_path / "office"
    result = cli(None, "init", str(target), "--lang", lang)
    assert result.exit_code == 0, result.stderr
    return target, lang, result


def test_init_writes_a_commented_template_of_every_file_kind(cli, new):
    target, lang, _ = new
    for path, models in TEMPLATES.items():
        content = (target / path).read_text(encoding="utf-8")
        comments = "\n".join(line for line in content.splitlines() if line.startswith("#"))
        for name in set().union(*map(names, models)) | ({"note"} if path != "templates/report.yaml" else set()):
            assert re.search(rf"\b{re.escape(name)}\b", comments), f"{path} does not explain {name}"
        if path == "rules/rules.yaml":
            assert all(key in comments for key in RULE_SHAPE_KEYS)
        assert ("gongkai 不读" in comments) == (lang == "zh") and ("does not read" in comments) == (lang == "en")
        yaml.safe_load(content)  # every template parses as it stands
    assert yaml.safe_load((target / "gongkai.yaml").read_text())["language"] == lang
    Item.model_validate(yaml.safe_load((target / "templates/item.yaml").read_text()))
    ReportFigures.model_validate(yaml.safe_load((target / "templates/report.yaml").read_text()))


def test_init_templates_check_clean_in_one_commit(cli, new):
    target, _, _ = new
    result = cli(target, "check", "--format", "json")
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)["findings"] == []
    assert git(target, "rev-list", "--count", "HEAD").strip() == "1"
    assert git(target, "status", "--porcelain", "--untracked-files=all") == ""
    committed = set(git(target, "ls-files").split())
    assert set(TEMPLATES) <= committed and "items/.gitkeep" in committed


def test_init_prints_the_next_steps(new):
    _, lang, result = new
    steps = result.stderr
    for command in ("catalog/units.yaml", "rules/rules.yaml", "git commit", "gongkai add", "gongkai check",
                    "gongkai audit --quarter"):
        assert command in steps, steps
    assert ("下一步" in steps) == (lang == "zh") and ("Next steps" in steps) == (lang == "en")
    assert result.stdout == ""


def test_following_the_templates_instructions_gives_a_valid_office(cli, new):
    """Uncommenting the examples (and deleting the `[]`) as each file says makes a repository that
    checks clean and is scheduled: the examples are real, not decoration."""
    target, _, _ = new
    for path in ("gongkai.yaml", "catalog/units.yaml", "catalog/categories.yaml", "rules/rules.yaml"):
        (target / path).write_text(uncommented((target / path).read_text(encoding="utf-8")), encoding="utf-8")
    assert "- id: zonghe" in (target / "catalog/units.yaml").read_text()
    result = cli(target, "check")
    assert result.exit_code == 0, result.stdout + result.stderr
    listed = cli(target, "due", "--within", "400", "--as-of", "2024-01-01", "--format", "json")
    assert listed.exit_code == 0 and {o["rule"] for o in json.loads(listed.stdout)} == {"news-monthly"}


def test_init_example_prints_steps_without_editing(cli, tmp_path):
    result = cli(None, "init", str(tmp_path / "x"), "--example", "xichuan")
    assert result.exit_code == 0, result.stderr
    assert "gongkai audit" in result.stderr and "catalog/units.yaml" not in result.stderr


@pytest.mark.parametrize("command", [("audit", "--quarter", "2024Q3"), ("overdue",), ("due",),
                                     ("audit", "--quarter", "2024Q3", "--format", "json"), ("overdue", "--format", "json")])
def test_reports_over_an_empty_repository_say_so(cli, new, command):
    target, lang, _ = new
    result = cli(target, *command)
    assert result.exit_code == 0, result.stderr
    assert ("没有公开时限规则" if lang == "zh" else "no rules") in result.stderr
    assert ("还没有登记任何条目" if lang == "zh" else "no items") in result.stderr
    if "json" in command:
        json.loads(result.stdout)  # the shapes stay as they are: the note is on stderr


def test_reports_name_only_what_is_missing(cli, tmp_path):
    rules = "- id: news\n  name: 工作动态\n  category: work-news\n  within: {days: 5}\n"
    only_rules = make_repo(tmp_path / "a", {"rules/r.yaml": rules})
    result = cli(only_rules, "overdue", "--as-of", "2024-10-01")
    assert "还没有登记任何条目" in result.stderr and "没有公开时限规则" not in result.stderr
    both = make_repo(tmp_path / "b", {"rules/r.yaml": rules, **dict([item(category="work-news")])})
    result = cli(both, "audit", "--quarter", "2024Q3", "--as-of", "2024-10-15")
    assert result.exit_code == 0 and "说明" not in result.stderr
