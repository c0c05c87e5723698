"""The annual report's files read back: the docx with python-docx, the xlsx with openpyxl, give the
same cells as the JSON; their tables keep the official layout (merged headers, printed row labels)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import git, make_repo
from test_annual import CATEGORIES, REQUESTS, item

from gongkai_cli.messages import text
from gongkai_cli.report import annual  # noqa: F401 - loads model.models before model.reports (they import each other)
from gongkai_cli.report.annual_layout import grids, shown

FIGURES = """\
year: {year}
licensing: 550
penalties: 41
enforcement: 3
fees_wan: 12.5
text:
  overview: |
    本机关认真贯彻《中华人民共和国政府信息公开条例》。
    第二段总体情况。
  problems: 公开目录更新不够及时。
cells:
  table4.review.upheld: 1
"""


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Path:
    appeal = ("appeals:\n  - {kind: review, filed: 2024-05-02, result: corrected, decided: 2024-07-01}\n"
              "  - {kind: lawsuit, filed: 2024-11-02}\n")
    path, body = REQUESTS[3]
    return make_repo(tmp_path_factory.mktemp("files") / "office", {
        "catalog/categories.yaml": CATEGORIES, **dict(REQUESTS), path: body + appeal,
        "reports/2024.yaml": FIGURES.format(year=2024), "reports/2020.yaml": "year: 2020\n",
        **dict([item("2024-zonghe-d1", formed="2024-02-01"), item("2023-zonghe-d0", formed="2023-02-01"),
                item("2020-zonghe-d2", formed="2020-02-01", disclosed="2020-02-03")]),
    })


def json_report(cli, root: Path, year: int) -> dict:
    result = cli(root, "annual-report", str(year), "--format", "json", "--as-of", f"{year + 1}-03-01")
    return json.loads(result.stdout)


def written(cli, root: Path, year: int, path: Path, *args: str) -> Path:
    result = cli(root, "annual-report", str(year), "--as-of", f"{year + 1}-03-01", "-o", str(path), *args)
    assert result.exit_code in (0, 1) and path.is_file(), result.output
    return path


def cell_texts(grid) -> dict[tuple[int, int], str]:
    """(row, column) → the text the grid puts where each of its cells starts."""
    return {(row, column): cell.text if cell.key is None else shown(cell.value) for row, column, cell in grid.placed()}


# docx ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2024, 2020])
def test_the_docx_tables_hold_the_json_cells(cli, office, tmp_path, year):
    from docx import Document

    document = json_report(cli, office, year)
    word = Document(str(written(cli, office, year, tmp_path / "报告.docx")))
    expected = grids(document, "zh")
    assert len(word.tables) == len(expected)
    for table, grid in zip(word.tables, expected):
        assert (len(table.rows), len(table.columns)) == (len(grid.rows), grid.columns)
        for (row, column), shown_text in cell_texts(grid).items():
            assert table.cell(row, column).text == shown_text, (grid.key, row, column)


def test_the_docx_table3_rows_by_their_printed_labels(cli, office, tmp_path):
    """Independent of the layout code: each body row's last label and its seven numbers are the JSON row."""
    from docx import Document

    document = json_report(cli, office, 2024)
    table = Document(str(written(cli, office, 2024, tmp_path / "r.docx"))).tables[-2]
    labels = {text(f"annual.row.{row}", "zh"): row for row in document["table3"]}
    rows = {}
    for row in table.rows[3:]:
        cells = [cell.text for cell in row.cells]
        rows[labels[cells[2]]] = [int(number) for number in cells[3:]]
    columns = ("natural-person", "business", "research", "nonprofit", "legal-service", "other", "total")
    assert rows == {row: [cells[column] for column in columns] for row, cells in document["table3"].items()}
    assert rows["carried_over"][-1] == 2 and rows["carried_forward"][-1] == 2


def test_the_docx_headers_are_merged_and_repeat_on_every_page(cli, office, tmp_path):
    from docx import Document
    from docx.oxml.ns import qn

    word = Document(str(written(cli, office, 2024, tmp_path / "r.docx")))
    table3, table4 = word.tables[-2], word.tables[-1]
    corner = table3.rows[0]._tr.tc_lst[0]
    assert corner.grid_span == 3 and corner.vMerge == "restart"  # the 勾稽关系 note over three columns, three rows
    assert [tc.vMerge for tc in (table3.rows[1]._tr.tc_lst[0], table3.rows[2]._tr.tc_lst[0])] == ["continue"] * 2
    assert table3.cell(0, 0).text.startswith("（本列数据的勾稽关系为") and table3.cell(2, 2).text == table3.cell(0, 0).text
    assert table3.cell(1, 4).text == "法人或其他组织" and table3.cell(1, 4)._tc is table3.cell(1, 8)._tc  # one cell across
    assert table3.cell(3, 0).text == "一、本年新收政府信息公开申请数量"
    results = [table3.cell(row, 0).text for row in range(5, 27)]
    assert results == ["三、本年度办理结果"] * 22 and table3.rows[6]._tr.tc_lst[0].vMerge == "continue"
    assert [table3.cell(26, column).text for column in (1, 2)] == ["（七）总计"] * 2
    assert table3.cell(27, 0).text == "四、结转下年度继续办理"
    assert table4.cell(0, 0).text == "行政复议" and table4.cell(0, 5).text == "行政诉讼"
    repeated = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table3.rows]
    assert repeated == [True] * 3 + [False] * (len(table3.rows) - 3)


def test_the_docx_has_the_sections_text_and_a_header_with_office_year_commit(cli, office, tmp_path):
    from docx import Document


    word = Document(str(written(cli, office, 2024, tmp_path / "r.docx")))
    paragraphs = [paragraph.text for paragraph in word.paragraphs]
    assert paragraphs[0] == "测试办公室2024年政府信息公开工作年度报告"
    sections = [text(f"annual.section.{key}", "zh") for key in
                ("overview", "proactive", "requests", "appeals", "problems", "other")]
    assert [paragraph for paragraph in paragraphs if paragraph in sections] == sections
    assert "第二段总体情况。" in paragraphs and "公开目录更新不够及时。" in paragraphs
    assert any("本年新收政府信息公开申请 5 件" in paragraph for paragraph in paragraphs)
    header = word.sections[0].header.paragraphs[0].text
    commit = git(office, "rev-parse", "HEAD").strip()
    assert "测试办公室2024年" in header and commit in header


# xlsx ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2024, 2020])
def test_the_xlsx_sheets_hold_the_json_cells(cli, office, tmp_path, year):
    from openpyxl import load_workbook

    from gongkai_cli.report.annual_xlsx import placements

    document = json_report(cli, office, year)
    book = load_workbook(written(cli, office, year, tmp_path / "报告.xlsx"))
    assert [sheet.title for sheet in book.worksheets] == ["表二 主动公开", "表三 依申请公开", "表四 复议诉讼", "核对结果"]
    for index, grid, top in placements(document, "zh"):
        sheet = book.worksheets[index]
        for row, column, cell in grid.placed():
            value = sheet.cell(top + row, 1 + column).value
            assert value == (cell.text if cell.key is None else cell.value), (grid.key, row, column)


def test_the_xlsx_table3_by_its_printed_labels_and_print_setup(cli, office, tmp_path):
    from openpyxl import load_workbook

    document = json_report(cli, office, 2024)
    sheet = load_workbook(written(cli, office, 2024, tmp_path / "r.xlsx")).worksheets[1]
    labels = {text(f"annual.row.{row}", "zh"): row for row in document["table3"]}
    found = {}
    for row in sheet.iter_rows(min_row=7, values_only=True):
        label = row[2] or row[1] or row[0]  # a label merged over columns keeps its text in the first one
        found[labels[label]] = list(row[3:10])
    columns = ("natural-person", "business", "research", "nonprofit", "legal-service", "other", "total")
    assert found == {row: [cells[column] for column in columns] for row, cells in document["table3"].items()}
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    assert {"A4:C6", "D4:J4", "E5:I5", "A9:A30", "B30:C30", "A31:C31"} <= merged
    assert sheet["A9"].value == "三、本年度办理结果" and sheet["B30"].value == "（七）总计"
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$4:$6"
    anchors = [sheet.cell(row, column) for row in range(4, 32) for column in range(1, 11)
               if type(sheet.cell(row, column)).__name__ == "Cell"]  # the merged ranges' other cells carry only edges
    assert len(anchors) > 150 and all({side.style for side in (cell.border.left, cell.border.right, cell.border.top,
                                                               cell.border.bottom)} == {"thin"} for cell in anchors)


def test_check_accepts_the_xlsx_gongkai_writes_and_reads_what_the_office_changed(cli, office, tmp_path):
    from openpyxl import load_workbook

    path = written(cli, office, 2024, tmp_path / "r.xlsx")
    checked = cli(None, "annual-report", "--check", str(path), "--format", "json")
    document = json_report(cli, office, 2024)
    read = json.loads(checked.stdout)
    assert checked.exit_code == 0
    assert {key: read[key] for key in ("year", "format", "office", "unit", "commit", "table2", "table3", "table4")} == {
        key: document[key] for key in ("year", "format", "office", "unit", "commit", "table2", "table3", "table4")}
    book = load_workbook(path)
    book.worksheets[1]["D7"] = 7  # 一、本年新收 自然人, without correcting the totals
    book.worksheets[2]["E7"] = None  # 行政复议 总计 left blank
    book.save(path)
    checked = cli(None, "annual-report", "--check", str(path), "--format", "json")
    found = {(f["code"], f["table"], f["row"], f["column"]) for f in json.loads(checked.stdout)["findings"]}
    assert checked.exit_code == 1
    assert {("annual-c1", "三", "total", "natural-person"), ("annual-c3", "三", "new_received", "total"),
            ("annual-blank", "四", "review", "total"), ("annual-c4", "四", "review", "total")} <= found


def test_check_refuses_a_workbook_gongkai_did_not_write(tmp_path, cli):
    from openpyxl import Workbook

    path = tmp_path / "other.xlsx"
    Workbook().save(path)
    result = cli(None, "annual-report", "--check", str(path))
    assert result.exit_code == 2 and "other.xlsx" in result.stderr and "gongkai-format" in result.stderr
    (tmp_path / "text.xlsx").write_text("不是工作簿", encoding="utf-8")
    result = cli(None, "annual-report", "--check", str(tmp_path / "text.xlsx"))
    assert result.exit_code == 2 and "text.xlsx" in result.stderr and "内部错误" not in result.stderr
