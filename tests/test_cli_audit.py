"""`gongkai audit` over real repositories: golden reports of the shipped examples, --at, files, xlsx, html in a browser.

Golden files live in tests/golden/; after a deliberate change, rewrite them with
GONGKAI_UPDATE_GOLDEN=1 python -m pytest tests/test_cli_audit.py and review the diff.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import PROJECT, git, item, make_repo, write_files
from gongkai_cli.setup.init import init_repository

GOLDEN = Path(__file__).parent / "golden"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
S0 = ("nmg-fupin", "2018Q3", "2018-10-15")
XICHUAN = ("xichuan", "2017Q4", "2018-01-08")


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    """Each example office copied into its own committed repository, made once for this module."""
    made = {}

    def example(name: str) -> Path:
        if name not in made:
            if name != "nmg-fupin" and not (PROJECT / "examples" / name / "gongkai.yaml").is_file():
                pytest.skip(f"example {name} is not in this checkout")
            made[name] = init_repository(tmp_path_factory.mktemp("examples") / name, name)
        return made[name]

    return example


def audit(cli, root: Path, *args: str):
    result = cli(root, "audit", *args)
    assert result.exit_code == 0, result.stderr
    return result


def normalised(output: str, root: Path) -> str:
    head = git(root, "rev-parse", "HEAD").strip()
    return output.replace(head, "<commit>").replace(head[:8], "<commit>")


@pytest.mark.parametrize("example", [S0, XICHUAN], ids=["s0", "xichuan"])
@pytest.mark.parametrize("output_format", ["md", "csv", "json"])
def test_golden_report(cli, examples, example, output_format):
    name, quarter, as_of = example
    root = examples(name)
    result = audit(cli, root, "--quarter", quarter, "--as-of", as_of, "--format", output_format)
    golden = GOLDEN / f"audit-{name}-{quarter}.{output_format}"
    shown = normalised(result.stdout, root)
    if os.environ.get("GONGKAI_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(shown, encoding="utf-8", newline="")
    assert shown == golden.read_text(encoding="utf-8")


def audit_json(cli, root: Path, *args: str) -> dict:
    return json.loads(audit(cli, root, "--format", "json", *args).stdout)


def test_shipped_example_2018q3_matches_docs_example_s0(cli, examples):
    """docs/example-s0.md: 31 done, 11 late, 10 overdue, 0 pending, 2 exempt in 2018Q3 as of 2018-10-15."""
    document = audit_json(cli, examples("nmg-fupin"), "--quarter", "2018Q3", "--as-of", "2018-10-15")
    assert document["totals"] == {"due": 54, "done": 31, "late": 11, "overdue": 10, "pending": 0, "exempt": 2,
                                  "disclosed": 31, "on_time_rate": 0.596}
    by_unit = {unit["unit"]: [unit["own"][key] for key in ("done", "late", "overdue", "pending", "exempt")]
               for unit in document["units"]}
    assert by_unit["zonghe"] == [7, 3, 1, 0, 0]
    assert by_unit["guihua-caiwu"] == [2, 3, 3, 0, 0]
    assert by_unit["kaifa-zhidao"] == [7, 1, 1, 0, 2]
    assert by_unit["gongkai-ban"] == [0, 0, 0, 0, 0]


def test_xichuan_rolls_villages_into_townships_as_expected_md_says(cli, examples):
    """examples/xichuan/EXPECTED.md, S4-rollup for 2018Q1 as of 2018-01-08."""
    document = audit_json(cli, examples("xichuan"), "--quarter", "2018Q1", "--as-of", "2018-01-08")
    units = {unit["unit"]: unit for unit in document["units"]}
    figures = ("due", "done", "late", "overdue", "pending", "exempt")
    assert [units["xianghua"]["rollup"][key] for key in figures] == [6, 1, 1, 0, 3, 1]
    assert units["xianghua"]["rollup"]["on_time_rate"] == 0.5
    assert units["jingziguan"]["rollup"]["on_time_rate"] == 0.667
    assert units["jingziguan"]["own"]["on_time_rate"] == 1.0
    assert units["liulou"]["own"]["on_time_rate"] is None
    assert document["totals"] == {"due": 19, "done": 7, "late": 2, "overdue": 2, "pending": 7, "exempt": 1,
                                  "disclosed": 3, "on_time_rate": 0.636}
    roots = [unit["rollup"] for unit in document["units"] if unit["parent"] is None]
    assert {key: sum(root[key] for root in roots) for key in figures} == {key: document["totals"][key] for key in figures}


def test_unit_option_limits_to_the_unit_and_its_villages(cli, examples):
    document = audit_json(cli, examples("xichuan"), "--quarter", "2017Q4", "--as-of", "2018-01-08", "--unit", "jingziguan")
    assert [unit["unit"] for unit in document["units"]] == ["jingziguan", "gucheng", "shuanghe"]
    assert document["totals"]["due"] == 3


def test_unit_option_takes_the_units_name_as_add_does(cli, examples):
    root = examples("xichuan")
    by_name = audit_json(cli, root, "--quarter", "2017Q4", "--as-of", "2018-01-08", "--unit", "荆紫关镇人民政府")
    assert by_name == audit_json(cli, root, "--quarter", "2017Q4", "--as-of", "2018-01-08", "--unit", "jingziguan")
    listed = cli(root, "overdue", "--as-of", "2018-01-08", "--unit", "荆紫关镇人民政府", "--format", "json")
    assert listed.exit_code == 0 and {row["unit"] for row in json.loads(listed.stdout)} <= {"jingziguan", "gucheng", "shuanghe"}


def test_table_shows_rolled_up_figures_unless_no_rollup(cli, examples):
    root = examples("xichuan")
    rolled = audit(cli, root, "--quarter", "2017Q4", "--as-of", "2018-01-08").stdout
    own = audit(cli, root, "--quarter", "2017Q4", "--as-of", "2018-01-08", "--no-rollup").stdout
    assert "按时率" in rolled and "逾期未公开" in rolled and "└ 荆紫关镇古城村" in rolled
    assert "66.7%" in rolled.split("荆紫关镇人民政府")[1].splitlines()[0]
    assert "100.0%" in own.split("荆紫关镇人民政府")[1].splitlines()[0]


def test_table_speaks_english_with_lang_en(cli, examples):
    shown = audit(cli, examples("nmg-fupin"), "--quarter", "2018Q3", "--as-of", "2018-10-15", "--lang", "en").stdout
    assert "on-time rate" in shown and "To chase (late and overdue)" in shown and "按时率" not in shown


def test_at_an_older_commit_gives_that_commits_figures(cli, tmp_path):
    first = dict([item("2024-zonghe-aaaa", disclosed="2024-09-24")])
    root = make_repo(tmp_path / "office", {"rules/r.yaml": "id: r\nname: 二十日\ncategory: policy-docs\nwithin: {days: 20}\n",
                                           **first})
    args = ("--quarter", "2024Q4", "--as-of", "2024-12-31")
    before = audit_json(cli, root, *args)
    write_files(root, dict([item("2024-zonghe-bbbb", formed="2024-10-08")]))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "one more item")
    now = audit_json(cli, root, *args)
    assert now["totals"]["overdue"] == before["totals"]["overdue"] + 1
    assert audit_json(cli, root, *args, "--at", "HEAD~1") == before


def test_header_says_when_the_working_tree_has_uncommitted_changes(cli, repo):
    clean = audit_json(cli, repo, "--quarter", "2024Q3", "--as-of", "2024-10-15")
    assert clean["commit"] == git(repo, "rev-parse", "HEAD").strip() and clean["uncommitted_changes"] is False
    write_files(repo, dict([item()]))
    assert audit_json(cli, repo, "--quarter", "2024Q3", "--as-of", "2024-10-15")["uncommitted_changes"] is True
    assert "+ 未提交的改动" in audit(cli, repo, "--quarter", "2024Q3", "--as-of", "2024-10-15", "--format", "md").stdout
    assert audit_json(cli, repo, "--quarter", "2024Q3", "--as-of", "2024-10-15", "--at", "HEAD")["uncommitted_changes"] is False


def test_output_file_takes_its_format_from_the_extension(cli, examples, tmp_path):
    root = examples("nmg-fupin")
    args = ("--quarter", "2018Q3", "--as-of", "2018-10-15")
    result = audit(cli, root, *args, "-o", str(tmp_path / "通报.csv"))
    assert "通报.csv" in result.stderr and result.stdout == ""
    assert (tmp_path / "通报.csv").read_bytes() == b"\xef\xbb\xbf" + audit(cli, root, *args, "--format", "csv").stdout.encode()
    assert (tmp_path / "通报.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    audit(cli, root, *args, "--format", "json", "-o", str(tmp_path / "r.txt"))
    assert json.loads((tmp_path / "r.txt").read_text(encoding="utf-8"))["quarter"] == "2018Q3"


@pytest.mark.parametrize(
    "args, message",
    [
        (("--quarter", "2018-09"), "2018-09"),
        (("--unit", "nobody"), "nobody"),
        (("--at", "no-such-rev"), "no-such-rev"),
        (("-o", "report.docx"), "report.docx"),
        (("--format", "docx"), "docx"),
    ],
)
def test_bad_input_exits_2_with_a_message(cli, repo, args, message):
    full = ("--quarter", "2024Q3", *args) if "--quarter" not in args else args
    result = cli(repo, "audit", *full)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_xlsx_has_a_summary_and_a_details_sheet_with_frozen_names(cli, examples, tmp_path):
    from datetime import date, datetime

    from openpyxl import load_workbook

    target = tmp_path / "通报.xlsx"
    audit(cli, examples("nmg-fupin"), "--quarter", "2018Q3", "--as-of", "2018-10-15", "-o", str(target))
    book = load_workbook(target)
    assert book.sheetnames == ["汇总", "督办清单"]
    summary, details = book["汇总"], book["督办清单"]
    assert "内蒙古自治区扶贫开发办公室" in summary["A1"].value and "2018-10-15" in summary["A2"].value
    assert [cell.value for cell in summary[4]] == ["名次", "单位", "应公开", "按时公开", "逾期公开", "逾期未公开",
                                                  "未到期", "免于公开", "本季公开", "按时率", "上期按时率", "环比", "单位编号"]
    rows = {row[1]: row for row in summary.iter_rows(min_row=5, values_only=True)}
    assert rows["综合处"] == (6, "综合处", 11, 7, 3, 1, 0, 0, 9, 0.636, 1.0, "−36.4", "zonghe")
    assert rows["政务公开工作办公室"][0] is None and rows["政务公开工作办公室"][9] is None
    assert rows["合计"][2:10] == (54, 31, 11, 10, 0, 2, 31, 0.596)
    assert summary.freeze_panes == "C5" and details.freeze_panes == "B2"  # the unit's name stays in view
    assert summary.column_dimensions["B"].width >= 18
    assert [cell.value for cell in details[1]] == ["单位", "规则", "期间/条目", "期限", "状态", "逾期", "单位编号", "规则编号"]
    chased = list(details.iter_rows(min_row=2, values_only=True))
    assert len(chased) == 21  # 11 late + 10 overdue
    assert chased[0][:2] == ("综合处", "特别重大事件5小时内发布权威信息")
    assert chased[0][3] == datetime(2018, 7, 19, 21, 0) and chased[0][5] == "11.5 小时"
    assert any(type(row[3]) is datetime and row[3].time() == datetime.min.time() for row in chased)  # dates, not text
    assert details["D3"].number_format == "yyyy-mm-dd" and isinstance(details["D3"].value, (date, datetime))


def test_xlsx_is_ready_to_print(cli, examples, tmp_path):
    """Landscape A4 fitted to the page's width, the header row on every page, every table cell bordered."""
    from openpyxl import load_workbook

    target = tmp_path / "通报.xlsx"
    audit(cli, examples("xichuan"), "--quarter", "2017Q4", "--as-of", "2018-01-08", "-o", str(target))
    book = load_workbook(target)
    for sheet, header in ((book["汇总"], 4), (book["督办清单"], 1)):
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and str(setup.paperSize) == "9"  # 9: A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1 and setup.fitToHeight == 0
        assert sheet.print_title_rows == f"${header}:${header}"
        for row in sheet.iter_rows(min_row=header, max_row=sheet.max_row):
            for cell in row:
                assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin", cell.coordinate


class RowText(HTMLParser):
    """Text of each summary row, by its data-unit attribute."""

    def __init__(self):
        super().__init__()
        self.rows: dict[str, str] = {}
        self.current: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.current = dict(attrs).get("data-unit")
            if self.current:
                self.rows[self.current] = ""

    def handle_endtag(self, tag):
        if tag == "tr":
            self.current = None

    def handle_data(self, data):
        if self.current:
            self.rows[self.current] += data.strip() + " "


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)


def test_html_is_self_contained(cli, examples, tmp_path):
    target = tmp_path / "r.html"
    audit(cli, examples("nmg-fupin"), "--quarter", "2018Q3", "--as-of", "2018-10-15", "-o", str(target))
    page = target.read_text(encoding="utf-8")
    assert "<style>" in page
    for outside in ("<script", "<link", "src=", "href=", "url(", "@import", "http://", "https://"):
        assert outside not in page


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_html_report_shows_units_and_rates_in_a_browser(cli, examples, tmp_path):
    target = tmp_path / "通报.html"
    audit(cli, examples("xichuan"), "--quarter", "2017Q4", "--as-of", "2018-01-08", "-o", str(target))
    dom = chromium("--dump-dom", target.as_uri(), profile=tmp_path / "profile").stdout
    rows = RowText()
    rows.feed(dom)
    assert rows.rows["jingziguan"].split()[:3] == ["1", "荆紫关镇人民政府", "3"]
    assert rows.rows["jingziguan"].split()[-3:] == ["66.7%", "75.0%", "−8.3"]
    assert rows.rows["gucheng"].split()[:3] == ["1", "└", "荆紫关镇古城村"]
    assert rows.rows["xianfuban"].split()[-3:] == ["—", "—", "—"]
    assert 'style="width: 66.7%"' in dom
    assert "42.9%" in dom and "督办清单" in dom
    screenshot = tmp_path / "page.png"
    chromium("--hide-scrollbars", "--window-size=1200,1400", f"--screenshot={screenshot}", target.as_uri(),
             profile=tmp_path / "profile")
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_xlsx_to_a_pipe_is_a_workbook(cli):
    from io import BytesIO

    from openpyxl import load_workbook

    result = cli(PROJECT, "audit", "--quarter", "2018Q3", "--as-of", "2018-10-15", "--format", "xlsx")
    assert result.exit_code == 0, result.stderr
    workbook = load_workbook(BytesIO(result.stdout_bytes))
    assert len(workbook.sheetnames) == 2


@pytest.mark.parametrize("change", ["delete", "stage", "chinese-name"])
def test_every_kind_of_data_change_marks_the_report_uncommitted(cli, repo, change):
    path, content = item()
    write_files(repo, {path: content, "items/notes.txt": "not data\n"})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "one item")
    args = ("--quarter", "2024Q3", "--as-of", "2024-10-15")
    assert audit_json(cli, repo, *args)["uncommitted_changes"] is False
    write_files(repo, {"items/notes.txt": "still not data\n"})
    assert audit_json(cli, repo, *args)["uncommitted_changes"] is False
    if change == "delete":
        (repo / path).unlink()
    elif change == "stage":
        write_files(repo, {path: content + "note: 改\n"})
        git(repo, "add", path)
    else:
        write_files(repo, {"items/2024/zonghe/2024-zonghe-新.yaml": content})
    assert audit_json(cli, repo, *args)["uncommitted_changes"] is True


def test_year_is_the_sum_of_its_quarters(cli, examples):
    """年度考核: `audit --year 2018` on S0 counts exactly what its four quarters count, and so do its halves."""
    root = examples("nmg-fupin")

    def totals(*period: str) -> dict:
        document = json.loads(audit(cli, root, *period, "--as-of", "2018-12-31", "--format", "json").stdout)
        return {key: value for key, value in document["totals"].items() if key != "on_time_rate"}

    quarters = [totals("--quarter", f"2018Q{q}") for q in range(1, 5)]
    summed = {key: sum(q[key] for q in quarters) for key in quarters[0]}
    assert totals("--year", "2018") == summed
    halves = [totals("--half", f"2018H{h}") for h in (1, 2)]
    assert {key: halves[0][key] + halves[1][key] for key in summed} == summed
    months = [totals("--month", f"2018-{m:02d}") for m in (7, 8, 9)]
    assert {key: sum(m[key] for m in months) for key in summed} == quarters[2]
    assert summed["due"] > quarters[2]["due"] > 0
    year = json.loads(audit(cli, root, "--year", "2018", "--as-of", "2018-12-31", "--format", "json").stdout)
    assert year["period"] == "2018" and "quarter" not in year


@pytest.mark.parametrize("args", [(), ("--quarter", "2018Q3", "--year", "2018"), ("--year", "2018Q3"),
                                  ("--half", "2018H3"), ("--month", "2018-13")])
def test_audit_needs_exactly_one_well_formed_period(cli, repo, args):
    result = cli(repo, "audit", *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr + result.stdout
