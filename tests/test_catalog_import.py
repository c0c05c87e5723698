"""`import catalog` and `export catalog`: the office's 标准目录 workbook in and out, over real git repos."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import yaml
from catalog_workbook import catalog_workbook, units_yaml
from conftest import git, make_repo, write_files

from gongkai_cli.model.models import Unit
from gongkai_cli.sheets.catalog_ids import category_id, pinyin_slug
from gongkai_cli.sheets.catalog_layout import channels
from gongkai_cli.sheets.subjects import match_subject

UNITS = """\
- id: minzheng
  name: 县民政局
  kind: department
- id: jiaoyu
  name: 县教育局
  kind: department
- id: dongshan
  name: 东山镇
  kind: township
- id: xihe
  name: 西河乡
  kind: township
- id: dongshan-cun
  name: 东山村
  kind: village
  parent: dongshan
"""
CONFIG = "office: 测试县人民政府\ncalendar: cn\n"
HEAD = ["序号", "公开事项", "公开事项", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
        "公开对象", "公开对象", "公开方式", "公开方式", "公开层级", "公开层级"]
SUB = ["序号", "一级事项", "二级事项", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
       "全社会", "特定群体", "主动", "依申请", "县级", "乡级"]
ROWS = [
    ["1", "政策文件", "规范性文件", "县民政局制发的规范性文件", "《条例》第十九条", "信息形成或变更之日起20个工作日内",
     "县民政局", "■政府网站 □政府公报 ■公开查阅点", "√", "", "√", "", "√", ""],
    ["2", None, "政策解读", "文件的解读材料", "《条例》第十九条", "同上", "县民政局", "■政府网站 □政府公报 □公开查阅点",
     "√", "", "√", "", "√", ""],
    ["3", "资金管理", "低保资金发放", "发放对象、标准、金额", "《社会救助暂行办法》",
     "每季度结束后15日内；法律、法规另有规定的，从其规定", "县级政府民政部门、乡镇政府(街道办事处)",
     "□政府网站 ■公示栏", "", "●", "✓", "", "√", "√"],
    ["4", None, "救助申请", "申请条件与办理结果", "《条例》第二十七条", "按有关规定执行", "县民政局", "政府网站、政务服务中心",
     "√", "", "", "√", "√", ""],
    ["5", "机构信息", "", "机构职能、领导分工", "《条例》第二十条", "长期公开", "县民政局、县档案馆", "■政府网站",
     "√", "", "√", "", "√", ""],
]


def standard_workbook(path: Path, rows: list[list] = ROWS) -> Path:
    """Two sheets: the standard layout (title row, two header rows with merged cells, 一级事项 merged
    over its rows, a note row) and a one-header-row sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "民政"
    sheet.append(["测试县民政领域基层政务公开标准目录"])
    sheet.merge_cells("A1:N1")
    sheet.append(HEAD)
    sheet.append(SUB)
    for column in (1, 4, 5, 6, 7, 8):
        sheet.merge_cells(start_row=2, end_row=3, start_column=column, end_column=column)
    for first in (2, 9, 11, 13):
        sheet.merge_cells(start_row=2, end_row=2, start_column=first, end_column=first + 1)
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("B4:B5")
    sheet.merge_cells("B6:B7")
    sheet.append(["注：■为选中，□为未选中。"])
    sheet.merge_cells(f"A{sheet.max_row}:N{sheet.max_row}")
    other = workbook.create_sheet("教育")
    other.append(["序号", "事项类别", "公开事项", "公开内容", "公开依据", "公开时限要求", "公开主体", "公开渠道", "全社会",
                  "特定群体", "主动", "依申请", "县级", "乡级"])
    other.append(["1", "招生入学", "招生政策", "招生范围、条件", "《义务教育法》", "每年3月31日前", "县教育局", "政府网站",
                  "√", "", "√", "", "√", ""])
    workbook.create_sheet("说明").append(["本表由县政务公开办汇总"])
    workbook.save(path)
    return path


@pytest.fixture
def office(tmp_path):
    return make_repo(tmp_path / "office", {"gongkai.yaml": CONFIG, "catalog/units.yaml": UNITS,
                                           "catalog/categories.yaml": "[]\n"}, base=False)


def categories(root: Path) -> dict[str, dict]:
    return {entry["id"]: entry for entry in yaml.safe_load((root / "catalog/categories.yaml").read_text("utf-8"))}


def rules(root: Path) -> dict[str, dict]:
    path = root / "rules/catalog.yaml"
    return {entry["id"]: entry for entry in yaml.safe_load(path.read_text("utf-8")) or []} if path.exists() else {}


def commits(root: Path) -> int:
    return int(git(root, "rev-list", "--count", "HEAD"))


def test_standard_workbook_imports_to_the_expected_categories_and_rules(cli, office, tmp_path):
    book = standard_workbook(tmp_path / "目录.xlsx")
    result = cli(office, "import", "catalog", str(book))
    assert result.exit_code == 0, result.output
    assert commits(office) == 2
    found = categories(office)
    assert list(found) == ["zcwj-guifanxingwenjian", "zcwj-zhengcejiedu", "zjgl-dibaozijinfafang",
                           "zjgl-jiuzhushenqing", "jigouxinxi", "zsrx-zhaoshengzhengce"]
    assert found["zcwj-guifanxingwenjian"] == {
        "id": "zcwj-guifanxingwenjian", "name": "规范性文件", "content": "县民政局制发的规范性文件",
        "channels": ["政府网站", "公开查阅点"], "time_limit_text": "信息形成或变更之日起20个工作日内",
        "units": ["minzheng"], "basis": "《条例》第十九条",
        "sheet": {"name": "民政", "group": "政策文件", "levels": ["county"]}}
    # 同上 is the row above's 公开时限; 一级事项 merged over two rows is read for both
    assert found["zcwj-zhengcejiedu"]["time_limit_text"] == "信息形成或变更之日起20个工作日内"
    assert found["zcwj-zhengcejiedu"]["sheet"]["group"] == "政策文件"
    assert found["zcwj-zhengcejiedu"]["channels"] == ["政府网站"]
    low = found["zjgl-dibaozijinfafang"]
    assert low["scope"] == "group" and low["channels"] == ["公示栏"]
    assert low["units"] == ["minzheng", "dongshan", "xihe"]
    assert low["sheet"]["levels"] == ["county", "township"]
    assert low["sheet"]["subject"] == "县级政府民政部门、乡镇政府(街道办事处)"
    assert found["zjgl-jiuzhushenqing"]["time_limit"] == "on-request"
    assert found["zjgl-jiuzhushenqing"]["channels"] == ["政府网站", "政务服务中心"]
    assert found["jigouxinxi"]["name"] == "机构信息" and found["jigouxinxi"]["time_limit"] == "standing"
    assert found["zsrx-zhaoshengzhengce"]["sheet"] == {"name": "教育", "group": "招生入学", "levels": ["county"]}
    assert rules(office) == {
        "zcwj-guifanxingwenjian-20wd": {"id": "zcwj-guifanxingwenjian-20wd", "name": "规范性文件（自形成之日起20个工作日内）",
                                        "category": "zcwj-guifanxingwenjian", "basis": "《条例》第十九条",
                                        "within": {"workdays": 20}},
        "zcwj-zhengcejiedu-20wd": {"id": "zcwj-zhengcejiedu-20wd", "name": "政策解读（自形成之日起20个工作日内）",
                                   "category": "zcwj-zhengcejiedu", "basis": "《条例》第十九条", "within": {"workdays": 20}},
        "zjgl-dibaozijinfafang-quarterly": {
            "id": "zjgl-dibaozijinfafang-quarterly", "name": "低保资金发放（每季度：期满后第1个月15日前（每期至少1条））",
            "category": "zjgl-dibaozijinfafang", "basis": "《社会救助暂行办法》", "every": "quarter",
            "due": {"from": "end", "months": 0, "day": 15}, "min_items": 1},
        "zsrx-zhaoshengzhengce-yearly": {
            "id": "zsrx-zhaoshengzhengce-yearly", "name": "招生政策（每年：本期第3个月31日前（每期至少1条））",
            "category": "zsrx-zhaoshengzhengce", "basis": "《义务教育法》", "every": "year",
            "due": {"from": "start", "months": 2, "day": 31}, "min_items": 1},
    }
    # what has no deadline and what matched no unit is listed, with the cell's words
    assert "民政!7: time-limit-unread" in result.stderr and "按有关规定执行" in result.stderr
    assert "民政!8: unit-unmatched" in result.stderr and "县档案馆" in result.stderr
    assert cli(office, "check").exit_code == 0
    message = git(office, "log", "-1", "--format=%B")
    assert message.startswith("import catalog 目录.xlsx: 6 new, 0 changed categories, 4 rules")
    assert "Gongkai-Action: import" in message


def test_a_second_import_of_the_same_workbook_is_a_no_op(cli, office, tmp_path):
    book = standard_workbook(tmp_path / "目录.xlsx")
    assert cli(office, "import", "catalog", str(book)).exit_code == 0
    before = (office / "catalog/categories.yaml").read_bytes(), (office / "rules/catalog.yaml").read_bytes()
    again = cli(office, "import", "catalog", str(book))
    assert again.exit_code == 0, again.output
    assert "没有变化" in again.stderr
    assert commits(office) == 2
    assert before == ((office / "catalog/categories.yaml").read_bytes(), (office / "rules/catalog.yaml").read_bytes())
    assert git(office, "status", "--porcelain") == ""


def test_a_revised_sheet_changes_only_its_changed_rows(cli, office, tmp_path):
    assert cli(office, "import", "catalog", str(standard_workbook(tmp_path / "a.xlsx"))).exit_code == 0
    write_files(office, {"catalog/categories.yaml": (office / "catalog/categories.yaml").read_text("utf-8").replace(
        "  - id: zcwj-guifanxingwenjian\n", "  - id: zcwj-guifanxingwenjian\n    reviews: [secrecy]\n")})
    git(office, "commit", "-qam", "hand edit")
    revised = [list(row) for row in ROWS]
    revised[0][5] = "信息形成之日起15个工作日内"
    revised[1][5] = ROWS[0][5]  # was 同上
    result = cli(office, "import", "catalog", str(standard_workbook(tmp_path / "b.xlsx", revised)))
    assert result.exit_code == 0, result.output
    assert "zcwj-guifanxingwenjian-20wd" in result.stderr  # the rule its row no longer sets is named
    changed = git(office, "diff", "HEAD~1", "--stat")
    assert "catalog/categories.yaml" in changed and "rules/catalog.yaml" in changed
    found = categories(office)
    assert found["zcwj-guifanxingwenjian"]["reviews"] == ["secrecy"]  # a key added by hand is kept
    assert found["zcwj-guifanxingwenjian"]["time_limit_text"] == "信息形成之日起15个工作日内"
    assert set(rules(office)) == {"zcwj-guifanxingwenjian-15wd", "zcwj-zhengcejiedu-20wd",
                                  "zjgl-dibaozijinfafang-quarterly", "zsrx-zhaoshengzhengce-yearly"}
    assert git(office, "log", "-1", "--format=%s").startswith("import catalog b.xlsx: 0 new, 1 changed")


def test_dry_run_shows_rows_categories_rules_problems_and_writes_nothing(cli, office, tmp_path):
    result = cli(office, "import", "catalog", str(standard_workbook(tmp_path / "目录.xlsx")), "--dry-run")
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[2]
    assert all(word in header for word in ("行", "事项", "规则", "问题"))
    assert "民政!4" in result.stdout and "zcwj-guifanxingwenjian-20wd" in result.stdout
    assert "公开主体未匹配到单位：县档案馆" in result.stdout
    assert commits(office) == 1 and not (office / "rules").exists()
    english = cli(office, "--lang", "en", "import", "catalog", str(tmp_path / "目录.xlsx"), "--dry-run")
    assert "no computable deadline in 公开时限, no rule: 按有关规定执行" in english.stderr


def test_no_commit_writes_the_files_only(cli, office, tmp_path):
    result = cli(office, "import", "catalog", str(standard_workbook(tmp_path / "目录.xlsx")), "--no-commit")
    assert result.exit_code == 0, result.output
    assert commits(office) == 1
    assert "rules/" in git(office, "status", "--porcelain")


def test_one_sheet_only(cli, office, tmp_path):
    result = cli(office, "import", "catalog", str(standard_workbook(tmp_path / "目录.xlsx")), "--sheet", "教育")
    assert result.exit_code == 0, result.output
    assert list(categories(office)) == ["zsrx-zhaoshengzhengce"]
    unknown = cli(office, "import", "catalog", str(tmp_path / "目录.xlsx"), "--sheet", "卫生")
    assert unknown.exit_code == 2 and "民政、教育、说明" in unknown.stderr and "卫生" in unknown.stderr


def test_csv(cli, office, tmp_path):
    source = tmp_path / "目录.csv"
    source.write_text("序号,公开事项,公开内容,公开时限,公开主体,公开渠道\n1,办事指南,办理条件,长期公开,县教育局,政府网站；公示栏\n",
                      encoding="utf-8-sig")
    result = cli(office, "import", "catalog", str(source))
    assert result.exit_code == 0, result.output
    assert categories(office)["banshizhinan"] == {
        "id": "banshizhinan", "name": "办事指南", "content": "办理条件", "channels": ["政府网站", "公示栏"],
        "time_limit": "standing", "time_limit_text": "长期公开", "units": ["jiaoyu"]}  # a sheet named 目录 is not recorded


@pytest.mark.parametrize(("name", "content", "message"), [
    ("x.xlsx", b"not a zip", "无法读取表格"),
    ("x.txt", b"", "不支持的表格类型"),
    ("x.csv", "姓名,电话\n张三,1\n".encode(), "没有找到目录的表头"),
])
def test_bad_workbooks_are_exit_2_with_a_message(cli, office, tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    result = cli(office, "import", "catalog", str(tmp_path / name))
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.output
    assert commits(office) == 1


def test_a_catalog_that_fails_the_checks_writes_nothing(cli, office, tmp_path):
    write_files(office, {"rules/own.yaml": "- id: zsrx-zhaoshengzhengce-yearly\n  name: 手写\n  category: x\n  once: 2024-01-01\n"})
    git(office, "add", "-A")
    git(office, "commit", "-qm", "own rule")
    result = cli(office, "import", "catalog", str(standard_workbook(tmp_path / "目录.xlsx")))
    assert result.exit_code == 2
    assert "rules/catalog.yaml" in result.stderr and "未写入任何文件" in result.stderr
    assert commits(office) == 2 and git(office, "status", "--porcelain") == ""


def test_export_is_the_standard_sheet_and_importing_it_changes_nothing(cli, office, tmp_path):
    assert cli(office, "import", "catalog", str(standard_workbook(tmp_path / "目录.xlsx"))).exit_code == 0
    exported = tmp_path / "导出.xlsx"
    result = cli(office, "export", "catalog", "-o", str(exported))
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(exported)
    assert workbook.sheetnames == ["民政", "教育"]
    sheet = workbook["民政"]
    merged = {str(cells) for cells in sheet.merged_cells.ranges}
    assert {"A1:O1", "B2:C2", "A2:A3", "I2:J2", "B4:B5", "B6:B7"} <= merged  # 一级事项 over its rows
    assert [cell.value for cell in sheet[4]][:14] == [
        "1", "政策文件", "规范性文件", "县民政局制发的规范性文件", "《条例》第十九条", "信息形成或变更之日起20个工作日内",
        "县民政局", "■政府网站 ■公开查阅点 □公示栏 □政务服务中心", "√", None, "√", None, "√", None]
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$2:$3"
    assert sheet.column_dimensions["O"].hidden
    reimport = cli(office, "import", "catalog", str(exported))
    assert reimport.exit_code == 0, reimport.output
    assert "没有变化" in reimport.stderr and commits(office) == 2


def test_hand_written_categories_survive_the_round_trip(cli, tmp_path):
    office = make_repo(tmp_path / "office")  # the conftest catalog, written by hand
    exported = tmp_path / "catalog.xlsx"
    assert cli(office, "export", "catalog", "-o", str(exported)).exit_code == 0
    result = cli(office, "import", "catalog", str(exported))
    assert result.exit_code == 0, result.output
    assert "没有变化" in result.stderr and commits(office) == 1


@pytest.mark.parametrize("example", ["", "examples/hohhot-minzheng", "examples/nmg-gov", "examples/xian-fupin",
                                     "examples/xichuan"])
def test_every_shipped_catalog_survives_the_round_trip(cli, tmp_path, example):
    """Their categories state defaults (`scope: public`): a row that leaves a key to its default keeps it."""
    source = Path(__file__).resolve().parents[1] / example
    files = {path.relative_to(source).as_posix(): path.read_bytes() for top in ("gongkai.yaml", "catalog", "rules")
             for path in ([source / top] if top == "gongkai.yaml" else sorted((source / top).rglob("*"))) if path.is_file()}
    office = make_repo(tmp_path / "office", files, base=False)
    exported = tmp_path / "catalog.xlsx"
    assert cli(office, "export", "catalog", "-o", str(exported)).exit_code == 0
    result = cli(office, "import", "catalog", str(exported))
    assert result.exit_code == 0, result.output
    assert "没有变化" in result.stderr and git(office, "status", "--porcelain") == ""


def test_a_generated_catalog_of_hundreds_of_rows(cli, tmp_path):
    office = make_repo(tmp_path / "office", {"gongkai.yaml": CONFIG, "catalog/units.yaml": units_yaml(),
                                             "catalog/categories.yaml": "[]\n"}, base=False)
    book = catalog_workbook(tmp_path / "big.xlsx", rows=300, sheets=3)
    result = cli(office, "import", "catalog", str(book))
    assert result.exit_code == 0, result.output
    assert len(categories(office)) == 300 and len(rules(office)) > 150
    assert cli(office, "check").exit_code == 0
    assert "没有变化" in cli(office, "import", "catalog", str(book)).stderr
    assert commits(office) == 2


# The parts ------------------------------------------------------------------------------------------

UNIT_LIST = [Unit.model_validate(entry) for entry in yaml.safe_load(UNITS)]


@pytest.mark.parametrize(("subject", "levels", "ids", "unmatched"), [
    ("县民政局", [], ["minzheng"], []),
    ("县级政府民政部门", [], ["minzheng"], []),
    ("县级政府各部门", [], ["minzheng", "jiaoyu"], []),
    ("乡镇政府(街道办事处)", [], ["dongshan", "xihe"], []),
    ("村（居）委会", [], ["dongshan-cun"], []),
    ("县民政局、乡镇人民政府", ["township"], ["dongshan", "xihe"], []),
    ("县民政局、乡镇人民政府", ["county"], ["minzheng"], []),
    ("", ["township"], ["dongshan", "xihe", "dongshan-cun"], []),
    ("县档案馆", [], None, ["县档案馆"]),
])
def test_subjects_match_units_by_name_and_kind(subject, levels, ids, unmatched):
    assert match_subject(subject, UNIT_LIST, levels) == (ids, unmatched)


def test_a_field_is_not_found_inside_the_words_of_a_government():
    office = Unit.model_validate({"id": "xianfuban", "name": "县人民政府办公室", "kind": "office"})
    assert match_subject("县级政府民政部门", [*UNIT_LIST, office], []) == (["minzheng"], [])


def test_a_level_narrows_every_unit_when_the_subject_names_none():
    """An unmatched 公开主体 is a warning; a ticked 乡级 still says whom the row concerns."""
    assert match_subject("县交通运输局", UNIT_LIST, ["township"]) == (["dongshan", "xihe", "dongshan-cun"], ["县交通运输局"])
    assert match_subject("县交通运输局", UNIT_LIST, ["county"]) == (["minzheng", "jiaoyu"], ["县交通运输局"])


def test_channel_boxes_and_lists():
    assert channels("■政府网站 □政府公报 ■公开查阅点") == ["政府网站", "公开查阅点"]
    assert channels("☑政府网站☐公报") == ["政府网站"]
    assert channels("政府网站、政府公报；公示栏") == ["政府网站", "政府公报", "公示栏"]
    assert channels("□政府网站") == []


def test_ids_are_readable_pinyin():
    assert pinyin_slug("重大行政决策") == "zhongdaxingzhengjuece"
    assert category_id("政策文件", "规范性文件") == "zcwj-guifanxingwenjian"
    assert category_id("机构信息", "机构信息") == "jigouxinxi"
    assert category_id("政策文件", "规范性文件", "民政领域") == "zcwj-guifanxingwenjian-mzly"


def test_an_on_request_row_sets_a_request_rule(cli, office, tmp_path):
    revised = [list(row) for row in ROWS]
    revised[3][5] = "自收到申请之日起20个工作日内；需要延长的，延长期限不超过15个工作日"
    assert cli(office, "import", "catalog", str(standard_workbook(tmp_path / "目录.xlsx", revised))).exit_code == 0
    assert rules(office)["zjgl-jiuzhushenqing-request-20wd"] == {
        "id": "zjgl-jiuzhushenqing-request-20wd", "name": "救助申请（依申请：自收到申请之日起20个工作日内答复）",
        "category": "zjgl-jiuzhushenqing", "basis": "《条例》第二十七条",
        "request": {"within": {"workdays": 20}, "extension": {"workdays": 15}}}
    assert cli(office, "check").exit_code == 0


def test_an_offices_own_numbering_is_not_an_id(cli, office, tmp_path):
    source = tmp_path / "目录.csv"
    source.write_text("编号,公开事项,公开内容,公开时限\n001,办事指南,办理条件,长期公开\n", encoding="utf-8")
    assert cli(office, "import", "catalog", str(source)).exit_code == 0
    assert list(categories(office)) == ["banshizhinan"]


def test_a_row_that_makes_a_bad_category_is_named_by_its_sheet_row(cli, office, tmp_path):
    nameless = ["9", None, None, "无名事项的内容", "", "每月5日前", "县民政局", "政府网站", "√", "", "√", "", "√", ""]
    book = standard_workbook(tmp_path / "目录.xlsx", ROWS + [nameless])
    before = git(office, "rev-parse", "HEAD")
    result = cli(office, "import", "catalog", str(book))
    assert result.exit_code == 2
    assert f"目录.xlsx:民政!{4 + len(ROWS)}: invalid-value: name 的值无效：不能为空" in result.stderr
    assert "categories.yaml:" not in result.stderr
    assert git(office, "rev-parse", "HEAD") == before and git(office, "status", "--porcelain") == ""


def test_a_row_to_disclose_timely_is_listed_as_having_no_deadline(cli, office, tmp_path):
    timely = ["9", "工作动态", "重要会议", "会议情况", "", "及时公开", "县民政局", "政府网站", "√", "", "√", "", "√", ""]
    book = standard_workbook(tmp_path / "目录.xlsx", ROWS + [timely])
    result = cli(office, "import", "catalog", str(book))
    assert result.exit_code == 0, result.output
    assert f"目录.xlsx:民政!{4 + len(ROWS)}: time-limit-unread: 公开时限无法计算期限，未设规则：及时公开" in result.stderr
    made = next(category for category in categories(office).values() if category["name"] == "重要会议")
    assert "time_limit" not in made and not [rule for rule in rules(office).values() if rule["category"] == made["id"]]


def test_a_row_keeps_its_id_when_its_name_turns_up_on_another_sheet(cli, office, tmp_path):
    """Imported one sheet, then the whole workbook: the first row is unchanged, the other sheet's gets its own id."""
    workbook = openpyxl.Workbook()
    for title in ("甲镇", "乙镇"):
        sheet = workbook.create_sheet(title)
        sheet.append(["序号", "事项类别", "公开事项", "公开内容", "公开依据", "公开时限要求", "公开主体", "公开渠道",
                      "全社会", "特定群体", "主动", "依申请", "县级", "乡级"])
        sheet.append(["1", "", "村务公开", "村务、财务", "", "每月5日前", "东山镇", "公开栏", "√", "", "√", "", "", "√"])
    del workbook["Sheet"]
    book = tmp_path / "两镇.xlsx"
    workbook.save(book)
    assert cli(office, "import", "catalog", str(book), "--sheet", "甲镇").exit_code == 0
    first = set(categories(office))
    result = cli(office, "import", "catalog", str(book))
    assert result.exit_code == 0, result.output
    added = set(categories(office)) - first
    assert len(added) == 1 and categories(office)[added.pop()]["sheet"]["name"] == "乙镇"
    assert "新增 1 个、修改 0 个事项" in result.stderr
