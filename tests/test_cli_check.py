"""`gongkai check` over real temporary repositories: one bad file each, its code and its line."""

from __future__ import annotations

import json

import pytest
from conftest import item, make_repo, write_files


def findings(cli, root, *args):
    result = cli(root, "check", "--format", "json", *args)
    document = json.loads(result.stdout)
    return result.exit_code, document


def codes(document):
    return [(f["code"], f["line"]) for f in document["findings"]]


def test_clean_repository_passes(cli, repo):
    write_files(repo, dict([item()]))
    exit_code, document = findings(cli, repo)
    assert exit_code == 0
    assert document == {"ok": True, "files": 4, "findings": []}


@pytest.mark.parametrize(
    "fields, code, line",
    [
        ({"unit": "nobody"}, "unknown-unit", 4),
        ({"category": "nothing"}, "unknown-category", 3),
        ({"formed": "2024-02-30"}, "invalid-date", 5),
        ({"period": "2024Q5"}, "invalid-period", 6),
        ({"mode": "not-disclosed"}, "missing-reason", 6),
        ({"mode": "nil"}, "missing-reason", 6),
        ({"disclosd": "2024-10-01"}, "unknown-field", 6),
        ({"of": "2024-zonghe-zzzz"}, "unknown-item", 6),
        ({"disclosed": "2024-09-01"}, "disclosed-before-formed", 6),
        ({"mode": "secret"}, "invalid-choice", 6),
    ],
)
def test_bad_item_is_a_finding_at_its_line(cli, repo, fields, code, line):
    unit = fields.pop("unit", "zonghe")
    category = fields.pop("category", "policy-docs")
    path, content = item(unit=unit, category=category, **fields)
    write_files(repo, {path: content})
    exit_code, document = findings(cli, repo)
    assert exit_code == 1
    assert (code, line) in codes(document), document
    assert all(f["path"] == path for f in document["findings"])


def test_unknown_field_suggests_the_right_name(cli, repo):
    path, content = item(disclosd="2024-10-01")
    write_files(repo, {path: content})
    result = cli(repo, "check", "--lang", "en")
    assert result.exit_code == 1
    assert f"{path}:6:1: unknown-field: unknown field disclosd (did you mean disclosed?)" in result.stdout


def test_missing_required_field_names_it(cli, repo):
    write_files(repo, {"items/2024/zonghe/2024-zonghe-a1b2.yaml": "id: 2024-zonghe-a1b2\ncategory: policy-docs\nunit: zonghe\nformed: 2024-09-23\n"})
    exit_code, document = findings(cli, repo)
    assert exit_code == 1
    assert document["findings"][0]["code"] == "missing-field"
    assert "title" in document["findings"][0]["message"]


def test_duplicate_item_ids(cli, repo):
    first = item()
    second = ("items/2024/zonghe/2024-zonghe-a1b2.yml", first[1])
    write_files(repo, dict([first, second]))
    exit_code, document = findings(cli, repo)
    assert exit_code == 1
    assert ("duplicate-id", 1) in codes(document)


def test_duplicate_index_numbers(cli, repo):
    a = item("2024-zonghe-aaaa", index_no="XC412927-02-2017-00012")
    b = item("2024-zonghe-bbbb", index_no="XC412927-02-2017-00012")
    write_files(repo, dict([a, b]))
    exit_code, document = findings(cli, repo)
    assert ("duplicate-index-no", 6) in codes(document)


def test_misplaced_item_file(cli, repo):
    _, content = item()
    write_files(repo, {"items/2023/zonghe/2024-zonghe-a1b2.yaml": content})
    exit_code, document = findings(cli, repo)
    assert exit_code == 1
    assert ("misplaced-file", 1) in codes(document)


def test_unit_parent_unknown_and_cycle(cli, tmp_path):
    units = """\
- id: a
  name: 甲
  kind: township
  parent: b
- id: b
  name: 乙
  kind: township
  parent: a
- id: c
  name: 丙
  kind: village
  parent: nowhere
"""
    root = make_repo(tmp_path / "o", {"catalog/units.yaml": units})
    exit_code, document = findings(cli, root)
    assert exit_code == 1
    assert ("parent-cycle", 4) in codes(document)
    assert ("unknown-parent", 12) in codes(document)


def test_rule_references(cli, repo):
    write_files(repo, {"rules/r.yaml": """\
- id: monthly
  name: 每月
  category: ghost
  units: [zonghe, phantom]
  every: month
  due: {from: end, months: 0, day: 5}
"""})
    exit_code, document = findings(cli, repo)
    assert exit_code == 1
    assert ("unknown-category", 3) in codes(document)
    assert ("unknown-unit", 4) in codes(document)


def test_rule_without_a_shape(cli, repo):
    write_files(repo, {"rules/r.yaml": "id: r\nname: 无形\ncategory: work-news\n"})
    exit_code, document = findings(cli, repo)
    assert exit_code == 1
    assert document["findings"][0]["path"] == "rules/r.yaml"


def test_required_fields_reviews_and_evidence(cli, tmp_path):
    categories = """\
- id: projects
  name: 扶贫项目
  fields: [资金来源, source_url]
  reviews: [secrecy, leader]
  evidence: required
"""
    path, content = item(category="projects", disclosed="2024-10-10")
    content += "reviews:\n  - {step: secrecy, by: 李, on: 2024-10-12}\nevidence: [evidence/photo.jpg]\n"
    root = make_repo(tmp_path / "o", {"catalog/categories.yaml": categories, path: content})
    exit_code, document = findings(cli, root)
    found = {f["code"] for f in document["findings"]}
    assert exit_code == 1
    assert {"missing-detail", "missing-review", "review-after-disclosure", "evidence-not-found"} <= found


def test_evidence_outside_repository(cli, repo):
    path, content = item()
    write_files(repo, {path: content + "evidence: [../../etc/passwd]\n"})
    exit_code, document = findings(cli, repo)
    assert ("path-escape", 6) in codes(document)


def test_document_number_brackets_warn(cli, repo):
    path, content = item(doc_number="内扶办发[2018]70号")
    write_files(repo, {path: content})
    exit_code, document = findings(cli, repo)
    assert exit_code == 0
    finding = document["findings"][0]
    assert (finding["code"], finding["severity"], finding["line"]) == ("doc-number-brackets", "warning", 6)
    assert "内扶办发〔2018〕70号" in finding["message"]


@pytest.mark.parametrize("text, code", [
    ("联系人身份证 11010519491231002X", "privacy-id-number"),
    ("联系电话 13812345678", "privacy-mobile"),
    # digits the text does not show in a row: an escape, a line folded in double quotes, a block scalar
    ('"联系电话 \\x31\\x33\\x38\\x31\\x32\\x33\\x34\\x35\\x36\\x37\\x38"', "privacy-mobile"),
    ('"联系电话 138123\\\n  45678"', "privacy-mobile"),
    ("|\n  联系电话 13812345678", "privacy-mobile"),
])
def test_privacy_scan(cli, repo, text, code):
    path, content = item(note=text)
    write_files(repo, {path: content})
    exit_code, document = findings(cli, repo)
    assert exit_code == 1
    assert (code, 6) in codes(document)


def test_masked_or_invalid_numbers_pass(cli, repo):
    path, content = item(note="身份证 110105194912310021 电话 138****5678 热线 029-86787777")
    write_files(repo, {path: content})
    exit_code, document = findings(cli, repo)
    assert exit_code == 0, document


def test_github_format(cli, repo):
    path, content = item(unit="nobody")
    write_files(repo, {path: content})
    result = cli(repo, "check", "--format", "github", "--lang", "en")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == f"::error file={path},line=4,col=7,title=unknown-unit::unknown unit nobody"


def test_not_a_repository_exits_2(cli, tmp_path):
    result = cli(tmp_path, "check")
    assert result.exit_code == 2
    assert "gongkai init" in result.stderr


def test_paths_limit_the_report(cli, repo):
    bad_a = item("2024-zonghe-aaaa", unit="nobody")
    write_files(repo, dict([bad_a]))
    result = cli(repo, "check", str(repo / "catalog"))
    assert result.exit_code == 0
    counted = json.loads(cli(repo, "check", str(repo / "catalog"), "--format", "json").stdout)
    whole = json.loads(cli(repo, "check", "--format", "json").stdout)
    assert (counted["files"], whole["files"]) == (2, 4)  # the catalog's two files, of the four checked


def test_a_path_that_does_not_exist_is_a_usage_error(cli, repo):
    result = cli(repo, "check", str(repo / "items/nothing.yaml"))
    assert result.exit_code == 2
    assert "nothing.yaml" in result.stderr


def test_a_clean_check_prints_nothing_on_stdout(cli, repo):
    result = cli(repo, "check")
    assert (result.exit_code, result.stdout) == (0, "")


def test_global_options_after_the_command(cli, repo):
    from typer.testing import CliRunner

    from gongkai_cli.cli import app

    path, content = item(unit="nobody")
    write_files(repo, {path: content})
    result = CliRunner().invoke(app, ["check", "--format", "json", "--repo", str(repo), "--lang", "en"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["findings"][0]["message"] == "unknown unit nobody"
    assert CliRunner().invoke(app, ["overdue", "--version"]).stdout.startswith("gongkai ")


def test_an_unknown_key_is_an_error_but_the_item_still_counts(cli, repo):
    write_files(repo, {"rules/r.yaml": "id: r20\nname: 20个工作日\ncategory: policy-docs\nwithin: {workdays: 20}\n"})
    path, content = item(disclosed="2024-09-24", extra_field=1)
    write_files(repo, {path: content})
    exit_code, document = findings(cli, repo)
    assert exit_code == 1 and codes(document) == [("unknown-field", 7)]
    result = cli(repo, "audit", "--quarter", "2024Q4", "--as-of", "2024-11-01", "--format", "json")
    assert json.loads(result.stdout)["totals"]["done"] == 1


@pytest.mark.parametrize("file, text, expected", [
    ("catalog/units.yaml", "- id: zonghe\n  name: 综合处\n  kind: department\n  phone: 1\n", "phone"),
    ("rules/r.yaml", "- id: r\n  name: 规则\n  category: work-news\n  unit_kinds: [hamlet]\n  once: 2024-04-20\n",
     "unit_kinds"),
])
def test_messages_name_the_right_field(cli, repo, file, text, expected):
    write_files(repo, {file: text})
    result = cli(repo, "check", "--lang", "en")
    assert result.exit_code == 1
    message = result.stdout.splitlines()[0]
    assert expected in message and "once" not in message.split(":", 4)[-1], message


def test_a_wrong_value_is_told_in_the_persons_language(cli, tmp_path):
    """pydantic's English stays out of a Chinese message; a date that is no date is `invalid-date`."""
    path, text = item("2024-zonghe-a1b2", formed="notadate", channels="x", withdrawn="x")
    root = make_repo(tmp_path / "office", {path: text})
    chinese = {(f["code"], f["message"]) for f in findings(cli, root)[1]["findings"]}
    assert ("invalid-date", "formed 不是有效的日期（应为 2024-09-23 或 2024-09-23T14:30）") in chinese
    assert ("invalid-value", "channels 的值无效：应为列表（[甲, 乙]，或每行“- 值”）") in chinese
    assert ("invalid-value", "withdrawn 的值无效：应为映射（每行“键: 值”）") in chinese
    english = {(f["code"], f["message"]) for f in findings(cli, root, "--lang", "en")[1]["findings"]}
    assert ("invalid-value", "invalid value for channels: should be a list ([a, b], or one “- value” a line)") in english
