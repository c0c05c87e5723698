"""`annual-report`: every computed cell kind, the checks C1–C4 and year to year, and `--check FILE`."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from conftest import item, make_repo

CATEGORIES = """\
- id: regs
  name: 规章
  annual_report: regulations
- id: policy-docs
  name: 规范性文件类
  annual_report: normative-documents
- id: work-news
  name: 工作动态
- id: requests
  name: 依申请公开
  time_limit: on-request
"""


def request(id_: str, received: str, **fields) -> tuple[str, str]:
    return item(id_, category="requests", formed=received, mode="on-request", received=received, **fields)


def office(tmp_path: Path, *items: tuple[str, str], files: dict[str, str] | None = None) -> Path:
    return make_repo(tmp_path / "office", {"catalog/categories.yaml": CATEGORIES, **dict(items), **(files or {})})


def report(cli, root: Path, year: int = 2024, *args: str) -> tuple[dict, int]:
    result = cli(root, "annual-report", str(year), "--format", "json", "--as-of", f"{year + 1}-03-01", *args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout), result.exit_code


def codes(document: dict) -> list[str]:
    return [finding["code"] for finding in document["findings"]]


# Table 二 ------------------------------------------------------------------------------------


def test_table2_issued_repealed_in_force(tmp_path, cli):
    root = office(
        tmp_path,
        item("2023-zonghe-old1", formed="2023-02-01"),                        # in force
        item("2023-zonghe-old2", formed="2023-05-01", repealed="2024-06-30"),  # repealed this year
        item("2022-zonghe-old3", formed="2022-05-01", repealed="2023-06-30"),  # gone before the year
        item("2024-zonghe-new1", formed="2024-03-01"),                        # issued, in force
        item("2024-zonghe-new2", formed="2024-04-01", repealed="2025-01-05"),  # issued; repealed only next year
        item("2024-zonghe-gone", formed="2024-05-01", withdrawn="{on: 2024-06-01, reason: 误登}"),  # never counts
        item("2025-zonghe-late", formed="2025-01-10"),                        # next year's
        item("2024-zonghe-reg1", category="regs", formed="2024-07-01"),
        item("2024-zonghe-news", category="work-news", formed="2024-07-01"),  # not counted in table 二
    )
    document, _ = report(cli, root)
    assert document["format"] == "2021"
    assert document["table2"]["normative-documents"] == {"issued": 2, "repealed": 1, "in_force": 3}
    assert document["table2"]["regulations"] == {"issued": 1, "repealed": 0, "in_force": 1}


def test_table2_figures_come_from_the_figures_file(tmp_path, cli):
    figures = "year: 2024\nlicensing: 550\npenalties: 4119\nenforcement: 195\nfees_wan: 7730.28\n"
    root = office(tmp_path, files={"reports/2024.yaml": figures})
    document, _ = report(cli, root)
    table2 = document["table2"]
    assert (table2["licensing"], table2["penalties"], table2["enforcement"], table2["fees_wan"]) == (550, 4119, 195, 7730.28)
    assert "annual-blank" not in codes(document)


def test_table2_blank_figures_are_warnings(tmp_path, cli):
    document, code = report(cli, office(tmp_path))
    assert document["table2"]["licensing"] is None
    blanks = [f for f in document["findings"] if f["code"] == "annual-blank"]
    assert {f["row"] for f in blanks} == {"licensing", "penalties", "enforcement", "fees_wan"}
    assert all(f["severity"] == "warning" and f["table"] == "二" for f in blanks)
    assert "行政许可" in blanks[0]["message"] and code == 0


# Table 三 ------------------------------------------------------------------------------------

REQUESTS = (
    request("2023-zonghe-r1", "2023-12-20", replied="2024-01-10", requester="natural-person", outcome="granted"),
    request("2023-zonghe-r2", "2023-12-28", replied="2023-12-30", requester="natural-person", outcome="granted"),
    request("2023-zonghe-r3", "2023-11-20", requester="business"),  # never replied: carried over and forward
    request("2024-zonghe-r4", "2024-03-01", replied="2024-03-20", requester="business", outcome="partial"),
    request("2024-zonghe-r5", "2024-04-01", replied="2024-04-20", requester="legal-service",
            outcome="denied/state-secret"),
    request("2024-zonghe-r6", "2024-12-25", replied="2025-01-15", requester="research", outcome="unable/no-info"),
    request("2024-zonghe-r7", "2024-06-01", replied="2024-06-10", outcome="not-processed/repeat"),  # no requester
    request("2024-zonghe-r8", "2024-06-02", replied="2024-06-12", requester="nonprofit", outcome="other/overdue-fee"),
    request("2024-zonghe-r9", "2024-06-03", requester="natural-person", withdrawn="{on: 2024-06-04, reason: 重复登记}"),
)


def test_table3_every_row_kind(tmp_path, cli):
    document, code = report(cli, office(tmp_path, *REQUESTS))
    table3 = document["table3"]
    assert table3["new_received"] == {"natural-person": 0, "business": 1, "research": 1, "nonprofit": 1,
                                      "legal-service": 1, "other": 1, "total": 5}
    assert table3["carried_over"] == {"natural-person": 1, "business": 1, "research": 0, "nonprofit": 0,
                                      "legal-service": 0, "other": 0, "total": 2}
    assert table3["granted"]["natural-person"] == 1
    assert table3["partial"]["business"] == 1
    assert table3["denied/state-secret"]["legal-service"] == 1
    assert table3["not-processed/repeat"]["other"] == 1
    assert table3["other/overdue-fee"]["nonprofit"] == 1
    assert table3["unable/no-info"]["total"] == 0  # replied next year
    assert table3["total"]["total"] == 5
    assert table3["carried_forward"] == {"natural-person": 0, "business": 1, "research": 1, "nonprofit": 0,
                                         "legal-service": 0, "other": 0, "total": 2}
    warned = [f for f in document["findings"] if f["code"] == "annual-no-requester"]
    assert [f["item"] for f in warned] == ["2024-zonghe-r7"] and (warned[0]["row"], warned[0]["column"]) == (
        "new_received", "other")
    assert code == 0


def test_next_year_carries_over_what_this_year_carried_forward(tmp_path, cli):
    root = office(tmp_path, *REQUESTS)
    this_year, _ = report(cli, root, 2024)
    next_year, code = report(cli, root, 2025)
    assert next_year["table3"]["carried_over"] == this_year["table3"]["carried_forward"]
    assert next_year["table3"]["unable/no-info"]["research"] == 1
    assert "annual-carried" not in codes(next_year) and code == 0


def test_a_replied_request_without_outcome_is_an_error(tmp_path, cli):
    root = office(tmp_path, request("2024-zonghe-r1", "2024-03-01", replied="2024-03-10", requester="business"))
    document, code = report(cli, root)
    found = [f for f in document["findings"] if f["code"] == "annual-no-outcome"]
    assert found[0]["item"] == "2024-zonghe-r1" and found[0]["severity"] == "error" and code == 1
    assert "annual-c1" in codes(document)  # received but neither handled nor carried forward


def test_trial_format_prints_other_handling_as_one_row(tmp_path, cli):
    root = office(tmp_path, request("2020-zonghe-r1", "2020-03-01", replied="2020-03-10", requester="business",
                                    outcome="other/overdue-correction"))
    document, _ = report(cli, root, 2020)
    assert document["format"] == "2019"
    assert document["table3"]["other"]["business"] == 1 and "other/other" not in document["table3"]
    assert set(document["table2"]["normative-documents"]) == {"made", "disclosed", "total_disclosed"}


def test_before_2019_the_trial_layout_is_used_and_said(tmp_path, cli):
    root = office(tmp_path)
    document, _ = report(cli, root, 2018)
    assert document["format"] == "pre-2019"
    shown = cli(root, "annual-report", "2018", "--as-of", "2019-03-01").stdout
    assert "没有全国统一的表格格式" in shown and "（六）其他处理" in shown


# Table 四 ------------------------------------------------------------------------------------


def test_table4_counts_appeals_filed_in_the_year_pending_when_decided_later(tmp_path, cli):
    appeals = ("\nappeals:\n  - {kind: review, filed: 2024-05-02, result: upheld, decided: 2024-07-01}"
               "\n  - {kind: review, filed: 2024-11-02, result: corrected, decided: 2025-01-10}"
               "\n  - {kind: lawsuit, filed: 2024-08-01, result: other, decided: 2024-10-01}"
               "\n  - {kind: lawsuit-after-review, filed: 2024-09-01}"
               "\n  - {kind: review, filed: 2023-09-01, result: upheld, decided: 2024-01-05}")
    path, text = request("2023-zonghe-r1", "2023-08-01", replied="2023-08-20", requester="natural-person",
                         outcome="partial")
    root = office(tmp_path, (path, text + appeals.lstrip("\n") + "\n"))
    document, _ = report(cli, root)
    assert document["table4"] == {
        "review": {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2},
        "lawsuit": {"upheld": 0, "corrected": 0, "other": 1, "pending": 0, "total": 1},
        "lawsuit-after-review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1},
    }


def test_stated_cells_win_and_check_warns_with_both_numbers(tmp_path, cli):
    figures = ("year: 2024\nlicensing: 1\npenalties: 0\nenforcement: 0\nfees_wan: 0\ncells:\n"
               "  table4.review.upheld: 2\n  table3.new_received.business: 3\n")
    root = office(tmp_path, request("2024-zonghe-r1", "2024-03-01", requester="business"),
                  files={"reports/2024.yaml": figures})
    document, _ = report(cli, root)
    assert document["table4"]["review"] == {"upheld": 2, "corrected": 0, "other": 0, "pending": 0, "total": 2}
    assert document["table3"]["new_received"]["business"] == 3 and document["table3"]["new_received"]["total"] == 3
    checked = cli(root, "check")
    assert "reports/2024.yaml:8:" in checked.stdout and "report-cell-differs" in checked.stdout
    assert "填写为 3，条目计算为 1" in checked.stdout


def test_check_refuses_unknown_cells_and_keys_with_positions(tmp_path, cli):
    figures = "year: 2024\ncells:\n  table3.bogus.total: 1\nlicencing: 3\n"
    root = office(tmp_path, files={"reports/2024.yaml": figures})
    checked = cli(root, "check", "--lang", "en")
    assert checked.exit_code == 1
    assert "reports/2024.yaml:3:3: " + "unknown-report-cell" in checked.stdout
    assert "reports/2024.yaml:4:1: unknown-field" in checked.stdout


def test_check_wants_reports_named_for_their_year_and_unit(tmp_path, cli):
    root = office(tmp_path, files={"reports/2023.yaml": "year: 2024\nunit: zonghe\n"})
    checked = cli(root, "check")
    assert "misplaced-report" in checked.stdout and "reports/2024-zonghe.yaml" in checked.stdout


def test_check_finds_two_figures_files_of_one_report(tmp_path, cli):
    root = office(tmp_path, files={"reports/2024.yaml": "year: 2024\n", "reports/2024.yml": "year: 2024\n"})
    found = json.loads(cli(root, "check", "--format", "json").stdout)["findings"]
    assert "duplicate-report" in [f["code"] for f in found]


def test_check_warns_on_requests_table3_cannot_place(tmp_path, cli):
    root = office(tmp_path, request("2024-zonghe-r1", "2024-03-01", replied="2024-03-10"))
    found = json.loads(cli(root, "check", "--format", "json").stdout)["findings"]
    assert {(f["code"], f["severity"]) for f in found} >= {("request-no-outcome", "warning"),
                                                           ("request-no-requester", "warning")}


def test_unit_report_counts_the_unit_and_its_descendants(tmp_path, cli):
    root = office(tmp_path, request("2024-cun-r1", "2024-03-01", unit="cun", requester="business"),
                  request("2024-xiang-r1", "2024-03-01", unit="xiang", requester="business"),
                  request("2024-zonghe-r1", "2024-03-01", requester="business"))
    document, _ = report(cli, root, 2024, "--unit", "xiang")
    assert document["unit"] == "xiang" and document["table3"]["new_received"]["total"] == 2
    village, _ = report(cli, root, 2024, "--unit", "cun")
    assert village["table3"]["new_received"]["total"] == 1


# The checks on a filled-in report ------------------------------------------------------------


@pytest.fixture(scope="module")
def good_report(tmp_path_factory) -> dict:
    """A correct report on 2024 with every kind of figure, computed by gongkai."""
    from typer.testing import CliRunner

    from gongkai_cli.cli import app

    root = make_repo(tmp_path_factory.mktemp("good") / "office", {
        "catalog/categories.yaml": CATEGORIES, **dict(REQUESTS[:6]), **dict(REQUESTS[7:8]),
        "reports/2024.yaml": "year: 2024\nlicensing: 5\npenalties: 3\nenforcement: 1\nfees_wan: 2.5\n"
                             "cells:\n  table4.review.upheld: 1\n  table4.lawsuit.pending: 2\n",
        **dict([item("2024-zonghe-d1", formed="2024-02-01")]),
    })
    result = CliRunner().invoke(app, ["--repo", str(root), "annual-report", "2024", "--format", "json",
                                      "--as-of", "2025-03-01"])
    document = json.loads(result.stdout)
    assert result.exit_code == 0 and [f for f in document["findings"] if f["severity"] == "error"] == []
    return document


def check_file(cli, tmp_path: Path, document: dict, *args: str, lang: str = "zh"):
    path = tmp_path / "report.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = cli(None, "annual-report", "--check", str(path), "--format", "json", "--lang", lang, *args)
    return json.loads(result.stdout), result.exit_code


def broken(document: dict, *changes: tuple[str, str, str, object]) -> dict:
    copied = copy.deepcopy(document)
    for table, row, column, value in changes:
        copied[table][row][column] = value
    return copied


def test_a_correct_report_passes(tmp_path, cli, good_report):
    checked, code = check_file(cli, tmp_path, good_report)
    assert code == 0 and [f for f in checked["findings"] if f["severity"] == "error"] == []
    result = cli(None, "annual-report", "--check", str(tmp_path / "report.json"))
    assert result.exit_code == 0 and "全部通过" in result.stdout


def test_c1_caught_with_table_row_column(tmp_path, cli, good_report):
    value = good_report["table3"]["new_received"]["business"] + 2
    document = broken(good_report, ("table3", "new_received", "business", value),
                      ("table3", "new_received", "total", good_report["table3"]["new_received"]["total"] + 2))
    checked, code = check_file(cli, tmp_path, document)
    c1 = [f for f in checked["findings"] if f["code"] == "annual-c1"]
    assert code == 1 and {(f["row"], f["column"]) for f in c1} == {("total", "business"), ("total", "total")}
    assert c1[0]["table"] == "三" and "表三 第一项+第二项 ≠ 第三项+第四项：商业企业列" in c1[0]["message"]
    english, _ = check_file(cli, tmp_path, document, lang="en")
    assert "Table 3, items 1+2 ≠ items 3+4: column businesses" in english["findings"][0]["message"]


def test_c2_caught(tmp_path, cli, good_report):
    document = broken(good_report, ("table3", "total", "natural-person", 7))
    checked, code = check_file(cli, tmp_path, document)
    c2 = [f for f in checked["findings"] if f["code"] == "annual-c2"]
    assert code == 1 and c2[0]["row"] == "total" and c2[0]["column"] == "natural-person"
    assert "（七）总计：自然人列" in c2[0]["message"]


def test_c3_caught(tmp_path, cli, good_report):
    document = broken(good_report, ("table3", "granted", "total", 9))
    checked, code = check_file(cli, tmp_path, document)
    c3 = [f for f in checked["findings"] if f["code"] == "annual-c3"]
    assert code == 1 and (c3[0]["row"], c3[0]["column"]) == ("granted", "total")
    assert "表三 （一）予以公开：各类申请人之和 ≠ 总计列" in c3[0]["message"]


def test_c4_caught(tmp_path, cli, good_report):
    document = broken(good_report, ("table4", "review", "total", 11))
    checked, code = check_file(cli, tmp_path, document)
    c4 = [f for f in checked["findings"] if f["code"] == "annual-c4"]
    assert code == 1 and (c4[0]["table"], c4[0]["row"], c4[0]["column"]) == ("四", "review", "total")
    assert "表四 行政复议：结果维持+结果纠正+其他结果+尚未审结 ≠ 总计 1 ≠ 11" in c4[0]["message"]


def test_blank_cells_are_warnings_counted_as_zero(tmp_path, cli, good_report):
    document = broken(good_report, ("table3", "denied/admin-query", "nonprofit", None))
    del document["table3"]["unable/unclear"]
    checked, code = check_file(cli, tmp_path, document)
    found = {f["code"]: f for f in checked["findings"]}
    assert code == 0
    assert found["annual-blank"]["severity"] == "warning" and found["annual-blank"]["row"] == "denied/admin-query"
    assert "（三）不予公开 8.属于行政查询事项 社会公益组织：空白" in found["annual-blank"]["message"]
    assert found["annual-missing"]["row"] == "unable/unclear"


def test_a_cell_that_is_not_a_number_is_a_warning(tmp_path, cli, good_report):
    document = broken(good_report, ("table4", "lawsuit", "other", "三"))
    checked, _ = check_file(cli, tmp_path, document)
    found = [f for f in checked["findings"] if f["code"] == "annual-not-a-number"]
    assert (found[0]["table"], found[0]["row"], found[0]["column"]) == ("四", "lawsuit", "other")


def test_a_previous_report_of_another_year_or_format_is_said(tmp_path, cli, good_report):
    previous = previous_of(good_report) | {"year": 2020, "format": "2019"}
    previous_path = tmp_path / "previous.json"
    previous_path.write_text(json.dumps(previous), encoding="utf-8")
    checked, _ = check_file(cli, tmp_path, good_report, "--previous", str(previous_path))
    assert {"annual-previous-year", "annual-previous-format"} <= {f["code"] for f in checked["findings"]}


def test_one_other_row_instead_of_three(tmp_path, cli, good_report):
    document = copy.deepcopy(good_report)
    parts = [document["table3"].pop(row) for row in ("other/overdue-correction", "other/overdue-fee", "other/other")]
    document["table3"]["other"] = {column: sum(part[column] for part in parts) for column in parts[0]}
    checked, code = check_file(cli, tmp_path, document)
    assert code == 0 and "annual-missing" not in [f["code"] for f in checked["findings"]]
    document["table3"]["other"]["nonprofit"] += 1
    document["table3"]["other"]["total"] += 1
    checked, code = check_file(cli, tmp_path, document)
    assert code == 1 and "annual-c2" in [f["code"] for f in checked["findings"]]


def previous_of(document: dict) -> dict:
    """A report on the year before that agrees with `document`."""
    previous = copy.deepcopy(document) | {"year": document["year"] - 1}
    previous["table3"]["carried_forward"] = copy.deepcopy(document["table3"]["carried_over"])
    for kind in ("regulations", "normative-documents"):
        this = document["table2"][kind]
        previous["table2"][kind]["in_force"] = this["in_force"] - this["issued"] + this["repealed"]
    return previous


def test_year_to_year_carried_over_must_be_last_years_carried_forward(tmp_path, cli, good_report):
    previous = previous_of(good_report)
    previous_path = tmp_path / "previous.json"
    previous_path.write_text(json.dumps(previous), encoding="utf-8")
    checked, code = check_file(cli, tmp_path, good_report, "--previous", str(previous_path))
    assert code == 0 and "annual-carried" not in [f["code"] for f in checked["findings"]]
    previous["table3"]["carried_forward"]["natural-person"] += 1
    previous_path.write_text(json.dumps(previous), encoding="utf-8")
    checked, code = check_file(cli, tmp_path, good_report, "--previous", str(previous_path))
    carried = [f for f in checked["findings"] if f["code"] == "annual-carried"]
    assert code == 1 and (carried[0]["row"], carried[0]["column"]) == ("carried_over", "natural-person")
    assert "上年报告 四、结转下年度继续办理：自然人列 1 ≠ 2" in carried[0]["message"]


def test_year_to_year_in_force(tmp_path, cli, good_report):
    previous = previous_of(good_report)
    previous["table2"]["normative-documents"]["in_force"] += 4
    previous_path = tmp_path / "previous.json"
    previous_path.write_text(json.dumps(previous), encoding="utf-8")
    checked, code = check_file(cli, tmp_path, good_report, "--previous", str(previous_path))
    found = [f for f in checked["findings"] if f["code"] == "annual-in-force"]
    assert code == 1 and (found[0]["table"], found[0]["row"], found[0]["column"]) == ("二", "normative-documents",
                                                                                     "in_force")
    assert "表二 第（一）项 行政规范性文件 现行有效件数 ≠ 上年现行有效件数+本年制发件数−本年废止件数" in found[0]["message"]


def test_a_file_that_is_not_a_report_is_bad_input(tmp_path, cli):
    path = tmp_path / "x.json"
    path.write_text("[1, 2", encoding="utf-8")
    result = cli(None, "annual-report", "--check", str(path))
    assert result.exit_code == 2 and "x.json" in result.stderr


def test_a_year_is_needed(tmp_path, cli):
    result = cli(office(tmp_path), "annual-report", "twenty")
    assert result.exit_code == 2 and "twenty" in result.stderr
