"""The annual report in the shipped examples, through the CLI over copies in real git repositories.

S0 (top level): the report on 2018 is owed under the 2007 条例 by 31 March 2019 (a Sunday, so
2019-04-01). S2 (examples/xian-fupin): the office's report on 2019 by 31 January 2020. S1 (examples/nmg-gov): departments by 31 January, governments by 31 March, and two
consecutive reports (2019, 2020) over 教育厅 requests that run across the two years; every cell
is held to the hand-counted table at the end of its EXPECTED.md.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT, git

from gongkai_cli.model.reports import APPEAL_GROUPS, COLUMNS3, COLUMNS4, ROWS3_TRIAL

NMG_GOV = PROJECT / "examples/nmg-gov"
TOP_LEVEL = ("gongkai.yaml", "catalog", "rules", "items", "reports")


def committed_copy(source: Path, target: Path, tops: tuple[str, ...] | None = None) -> Path:
    """The example's files (only `tops` of them, for the top-level one) in a fresh committed repository."""
    target.mkdir(parents=True)
    for name in tops or [path.name for path in source.iterdir()]:
        path = source / name
        if path.is_dir():
            shutil.copytree(path, target / name)
        elif path.is_file():
            shutil.copy2(path, target / name)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "example")
    return target


@pytest.fixture
def s0(tmp_path) -> Path:
    return committed_copy(PROJECT, tmp_path / "nmg-fupin", TOP_LEVEL)


@pytest.fixture
def s1(tmp_path) -> Path:
    return committed_copy(NMG_GOV, tmp_path / "nmg-gov")


def occurrences(cli, root: Path, command: str, *args: str) -> list[tuple[str, str, str, str]]:
    result = cli(root, command, "--format", "json", *args)
    assert result.exit_code in (0, 1), result.stderr
    return [(o["rule"], o["unit"], o["period"] or o["item"], o["due"], o["status"]) for o in json.loads(result.stdout)]


def annual(cli, root: Path, *args: str) -> tuple[int, dict]:
    result = cli(root, "annual-report", *args, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)


def errors(document: dict) -> list[dict]:
    return [finding for finding in document["findings"] if finding["severity"] == "error"]


def test_importing_the_report_model_first_works():
    """model.reports builds on model.models, which names reports/<year>.yaml as a file kind."""
    code = ("import gongkai_cli.model.reports as r, gongkai_cli.model.models as m; "
            "assert m.ELEMENTS['reports'] is r.ReportFigures and 'reports' in m.ELEMENT_ADAPTERS; "
            "assert 'reports' in m.json_schemas()")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


# S0 ---------------------------------------------------------------------------------------


def test_s0_report_on_2018_is_due_on_the_first_working_day_after_31_march(cli, s0):
    owed = ("s0-annual-report", "zonghe", "2018", "2019-04-01")
    assert (*owed, "pending") in occurrences(cli, s0, "due", "--as-of", "2019-03-28", "--within", "7")
    assert not [o for o in occurrences(cli, s0, "overdue", "--as-of", "2019-04-01") if o[0] == "s0-annual-report"]
    assert (*owed, "overdue") in occurrences(cli, s0, "overdue", "--as-of", "2019-04-02")


def test_s0_report_item_meets_the_rule(cli, s0):
    (s0 / "items/2019/zonghe").mkdir(parents=True)
    (s0 / "items/2019/zonghe/2019-zonghe-nb18.yaml").write_text(
        "id: 2019-zonghe-nb18\ntitle: 内蒙古自治区扶贫办2018年政府信息公开工作年度报告\ncategory: annual-reports\n"
        "unit: zonghe\nformed: 2019-03-25\ndisclosed: 2019-03-29\nperiod: '2018'\n", encoding="utf-8")
    git(s0, "add", "-A")
    git(s0, "commit", "-q", "-m", "report")
    assert cli(s0, "check").exit_code == 0
    assert not [o for o in occurrences(cli, s0, "overdue", "--as-of", "2019-04-02") if o[0] == "s0-annual-report"]


def test_s0_report_on_2018_is_complete_and_passes(cli, s0):
    assert cli(s0, "check").exit_code == 0
    code, document = annual(cli, s0, "2018")
    assert code == 0 and document["format"] == "pre-2019" and not document["findings"]
    table3 = document["table3"]
    assert (table3["new_received"]["total"], table3["total"]["total"], table3["carried_forward"]["total"]) == (2, 1, 1)
    assert document["table2"]["procurement"] == {"projects": 4, "amount_wan": 186.4}
    text = cli(s0, "annual-report", "2018").stdout
    for heading in ("一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        assert heading in text
    assert "尚未填写" not in text and "内扶办发〔2018〕70号" in text and "未收取信息处理费" in text


# S1 rules ------------------------------------------------------------------------------------


def test_s1_departments_by_31_january_governments_by_31_march(cli, s1):
    dept = ("s1-annual-report-dept", "rst", "2019", "2020-02-03")  # 31 January 2020 was in the extended Spring Festival
    assert (*dept, "pending") in occurrences(cli, s1, "due", "--as-of", "2020-01-31", "--within", "7")
    assert (*dept, "overdue") in occurrences(cli, s1, "overdue", "--as-of", "2020-02-04")
    gov = "s1-annual-report-gov"
    assert not [o for o in occurrences(cli, s1, "overdue", "--as-of", "2020-03-31") if o[0] == gov]
    late = [o for o in occurrences(cli, s1, "overdue", "--as-of", "2020-04-01") if o[0] == gov]
    assert late == [(gov, unit, "2019", "2020-03-31", "overdue") for unit in ("baotou", "ordos")]  # 包头 published 04-02
    assert [o[1] for o in occurrences(cli, s1, "overdue", "--as-of", "2020-04-02") if o[0] == gov] == ["ordos"]


def test_s2_department_report_by_31_january(cli, tmp_path):
    """S2 「拟定政府信息公开年度报告并按期主动公开（综合处负责）」: 条例 art. 49, a department by 31 January."""
    root = committed_copy(PROJECT / "examples/xian-fupin", tmp_path / "xian-fupin")
    owed = ("s2-annual-report", "zonghe", "2019", "2020-02-03")
    assert (*owed, "pending") in occurrences(cli, root, "due", "--as-of", "2020-01-31", "--within", "7")
    assert not [o for o in occurrences(cli, root, "overdue", "--as-of", "2020-02-03") if o[0] == owed[0]]
    assert (*owed, "overdue") in occurrences(cli, root, "overdue", "--as-of", "2020-02-04")


# S1 reports ----------------------------------------------------------------------------------


def expected_cells() -> dict[int, dict[str, float]]:
    """The `| cell | 2019 | 2020 |` table of EXPECTED.md: year → cell key → value."""
    text = (NMG_GOV / "EXPECTED.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (table[234]\.\S+) \| (\d+(?:\.\d+)?) \| (\d+(?:\.\d+)?) \|$", text, flags=re.MULTILINE)
    assert len(rows) > 30
    return {year: {key: float(row[index]) for key, *row in rows} for index, year in enumerate((2019, 2020))}


def cells_of(document: dict) -> dict[str, float]:
    """Every count of tables 三 and 四 and of 表二 第（一）项, by cell key."""
    found = {f"table3.{row}.{column}": value for row, columns in document["table3"].items()
             for column, value in columns.items()}
    found |= {f"table4.{group}.{column}": value for group, columns in document["table4"].items()
              for column, value in columns.items()}
    found |= {f"table2.normative-documents.{column}": value
              for column, value in document["table2"]["normative-documents"].items()}
    return found


@pytest.mark.parametrize("year", [2019, 2020])
def test_s1_report_cells_are_those_counted_by_hand(cli, s1, year):
    assert cli(s1, "check").exit_code == 0
    code, document = annual(cli, s1, str(year))
    assert code == 0 and errors(document) == [] and document["findings"] == []
    wanted = expected_cells()[year]
    computed = cells_of(document)
    assert set(wanted) <= set(computed)
    assert {key: value for key, value in computed.items() if value != wanted.get(key, 0)} == {}
    assert list(document["table3"]) == list(ROWS3_TRIAL) and all(len(columns) == len(COLUMNS3) for columns in document["table3"].values())
    assert set(document["table4"]) == set(APPEAL_GROUPS) and all(len(v) == len(COLUMNS4) for v in document["table4"].values())


def test_s1_two_consecutive_reports_pass_the_year_to_year_checks(cli, s1, tmp_path):
    files = {}
    for year in (2019, 2020):
        result = cli(s1, "annual-report", str(year), "--format", "json")
        assert result.exit_code == 0, result.stdout
        files[year] = tmp_path / f"{year}.json"
        files[year].write_text(result.stdout, encoding="utf-8")
        assert cli(None, "annual-report", "--check", str(files[year])).exit_code == 0
    last, this = (json.loads(files[year].read_text(encoding="utf-8")) for year in (2019, 2020))
    assert this["table3"]["carried_over"] == last["table3"]["carried_forward"]
    assert this["table3"]["carried_over"]["total"] == 3 and this["table4"]["review"]["corrected"] == 1
    assert last["table4"]["review"]["pending"] == 1  # decided on 2020-02-24
    checked = cli(None, "annual-report", "--check", str(files[2020]), "--previous", str(files[2019]), "--format", "json")
    assert checked.exit_code == 0 and errors(json.loads(checked.stdout)) == []


def test_s1_edited_carried_over_figure_fails_naming_table_row_and_column(cli, s1, tmp_path):
    previous, current = tmp_path / "2019.json", tmp_path / "2020.json"
    previous.write_text(cli(s1, "annual-report", "2019", "--format", "json").stdout, encoding="utf-8")
    document = json.loads(cli(s1, "annual-report", "2020", "--format", "json").stdout)
    for row, change in (("carried_over", -1), ("new_received", +1)):  # C1 still holds; only last year disagrees
        document["table3"][row]["legal-service"] += change
        document["table3"][row]["total"] += change
    current.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    alone = cli(None, "annual-report", "--check", str(current))
    assert alone.exit_code == 0, alone.stdout
    result = cli(None, "annual-report", "--check", str(current), "--previous", str(previous), "--format", "json")
    assert result.exit_code == 1
    found = [(f["code"], f["table"], f["row"], f["column"]) for f in errors(json.loads(result.stdout))]
    assert found == [("annual-carried", "三", "carried_over", "legal-service"), ("annual-carried", "三", "carried_over", "total")]
    text = cli(None, "annual-report", "--check", str(current), "--previous", str(previous)).stdout
    assert "表三" in text and "上年结转" in text and "法律服务机构列 0 ≠ 1" in text


def test_s1_stated_carried_over_cell_that_last_year_does_not_give_fails(cli, s1):
    """reports/2020.yaml states a carried-over figure; the 2019 report computed from the items disagrees."""
    figures = s1 / "reports/2020.yaml"
    figures.write_text(figures.read_text(encoding="utf-8").replace(
        "text:\n", "cells:\n  table3.carried_over.business: 2\ntext:\n", 1), encoding="utf-8")
    checked = cli(s1, "check", "--format", "json")
    assert [f["code"] for f in json.loads(checked.stdout)["findings"]] == ["report-cell-differs"]
    code, document = annual(cli, s1, "2020")
    assert code == 1
    assert ("annual-carried", "三", "carried_over", "business") in [
        (f["code"], f["table"], f["row"], f["column"]) for f in errors(document)]


def test_init_example_brings_the_figures_files(cli, tmp_path):
    for name, figures in (("nmg-fupin", "reports/2018.yaml"), ("nmg-gov", "reports/2020.yaml")):
        target = tmp_path / name
        assert cli(None, "init", str(target), "--example", name).exit_code == 0
        assert (target / figures).is_file()
        code, document = annual(cli, target, figures[8:12])
        assert code == 0 and document["findings"] == []
