"""`import items` and `export items`: a 台账 in, checked row by row, one commit; the same sheet back."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from conftest import git, item, write_files
from gitstate import commit_count, files_of, head, message_of, status
from hypothesis import example, given, settings
from hypothesis import strategies as st
from ledger_sheets import HEADERS, ledger_rows, write_csv, write_xlsx

from gongkai_cli.load import yamlio
from gongkai_cli.sheets.ledger_columns import BadDate, parse_date
from gongkai_cli.sheets.ledger_yaml import item_text
from gongkai_cli.write import gitwrite


def item_files(root) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in (root / "items").rglob("*.yaml"))


# The must-show: one bad row, nothing written --------------------------------------------------


def test_a_bad_date_on_row_7_and_an_unknown_unit_on_row_12_are_both_reported_and_nothing_is_written(repo, cli, tmp_path):
    rows = ledger_rows(20)
    # the title row is row 1 and the header row 2, so sheet row N is rows[N - 3]
    rows[7 - 3][HEADERS.index("成文日期")] = "2024年13月5日"
    rows[12 - 3][HEADERS.index("发布机构")] = "不存在的局"
    sheet = write_xlsx(tmp_path / "台账.xlsx", rows)
    before, count = head(repo), commit_count(repo)

    result = cli(repo, "import", "items", str(sheet))

    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert f"{sheet}:7:G: invalid-date: formed 不是可识别的日期：2024年13月5日（可写 2024-09-23、2024/9/23、2024.9.23 或 2024年9月23日）" in lines
    assert f"{sheet}:12:E: unknown-unit: 未知的单位 不存在的局" in lines
    assert len([line for line in lines if re.match(rf"{re.escape(str(sheet))}:\d+:", line)]) == 2
    assert "没有写入任何文件，也没有提交" in result.stderr
    assert (head(repo), commit_count(repo)) == (before, count)
    assert item_files(repo) == [] and status(repo) == []
    assert not list((repo / ".git").glob("gongkai-journal*"))


def test_every_problem_is_in_english_with_lang_en(repo, cli, tmp_path):
    rows = ledger_rows(5)
    rows[0][HEADERS.index("栏目")] = "没有的栏目"
    result = cli(repo, "--lang", "en", "import", "items", str(write_csv(tmp_path / "l.csv", rows)))
    assert result.exit_code == 2
    assert f"{tmp_path / 'l.csv'}:2:F: unknown-category: unknown category 没有的栏目" in result.stderr.splitlines()


def test_a_check_finding_is_reported_at_its_row_and_column(repo, cli, tmp_path):
    """What only the checker knows (here: a mobile number in a public title) stops the import too."""
    rows = ledger_rows(4)
    rows[2][HEADERS.index("信息名称")] = "请联系王老师 13812345678 报名"
    before = head(repo)
    result = cli(repo, "import", "items", str(write_xlsx(tmp_path / "l.xlsx", rows)))
    assert result.exit_code == 2
    assert re.search(r"l\.xlsx:5:B: privacy-mobile: ", result.stderr)
    assert head(repo) == before and item_files(repo) == []


def test_a_row_with_the_index_number_of_an_item_added_by_hand_updates_that_item(repo, cli, tmp_path):
    rows = ledger_rows(3)
    unit = {"综合处": "zonghe", "某乡": "xiang", "某村": "cun"}[rows[0][HEADERS.index("发布机构")]]
    path, content = item(f"2024-{unit}-k3f9", unit=unit, category="policy-docs", index_no=rows[0][HEADERS.index("索引号")])
    write_files(repo, {path: content})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "by hand")
    result = cli(repo, "import", "items", str(write_csv(tmp_path / "l.csv", rows)))
    assert result.exit_code == 0, result.stderr
    assert len(item_files(repo)) == 3
    assert yamlio.load((repo / path).read_text(encoding="utf-8"))["title"] == rows[0][1]


def test_two_rows_of_the_same_item_are_a_problem(repo, cli, tmp_path):
    rows = ledger_rows(3)
    rows.append(list(rows[0]))
    result = cli(repo, "import", "items", str(write_csv(tmp_path / "l.csv", rows)))
    assert result.exit_code == 2
    assert re.search(r"l\.csv:5:id: duplicate-row: 与第 2 行是同一条目", result.stderr)


# Importing ------------------------------------------------------------------------------------


def test_a_ledger_is_one_commit_that_check_accepts_and_a_second_import_is_a_no_op(repo, cli, tmp_path):
    sheet = write_xlsx(tmp_path / "台账.xlsx", ledger_rows(300))
    count = commit_count(repo)

    first = cli(repo, "import", "items", str(sheet))

    assert first.exit_code == 0, first.stderr
    assert commit_count(repo) == count + 1
    assert len(files_of(repo)) == 300 and len(item_files(repo)) == 300
    assert "Gongkai-Action: import" in message_of(repo)
    assert status(repo) == []
    assert cli(repo, "check").exit_code == 0
    again = cli(repo, "import", "items", str(sheet))
    assert again.exit_code == 0 and "300 条无变化" in again.stderr
    assert commit_count(repo) == count + 1


def test_the_fields_of_a_row(repo, cli, tmp_path):
    rows = [[1, "关于印发《某县防汛办法》的通知", "某政办发[2024]3号", "IDX-1", "综合处", "规范性文件类",
             date(2024, 9, 5), "2024年9月9日", "主动公开", "http://www.example.gov.cn/1.html", "政府网站、政务公开栏"]]
    result = cli(repo, "import", "items", str(write_xlsx(tmp_path / "l.xlsx", rows)))
    assert result.exit_code == 0, result.stderr
    [path] = item_files(repo)
    assert re.fullmatch(r"items/2024/zonghe/2024-zonghe-[0-9a-f]{10}\.yaml", path)
    data = yamlio.load((repo / path).read_text(encoding="utf-8"))
    assert {key: value for key, value in data.items() if key != "id"} == {
        "title": "关于印发《某县防汛办法》的通知", "category": "policy-docs", "unit": "zonghe",
        "doc_number": "某政办发〔2024〕3号", "index_no": "IDX-1", "formed": "2024-09-05",
        "disclosed": "2024-09-09", "mode": "proactive", "channels": ["政府网站", "政务公开栏"],
        "url": "http://www.example.gov.cn/1.html"}


def test_map_names_the_columns_the_ledger_calls_otherwise(repo, cli, tmp_path):
    headers = ["文件", "发文机关", "类别", "形成时间", "资金来源"]
    rows = [["某乡关于春耕的通知", "某乡", "工作动态", "2024-03-01", "县级财政"]]
    sheet = write_csv(tmp_path / "l.csv", rows, headers)
    assert cli(repo, "import", "items", str(sheet)).exit_code == 2  # no title column without --map
    result = cli(repo, "import", "items", str(sheet), "--map", "文件=title", "--map", "发文机关=unit",
                 "--map", "形成时间=formed", "--map", "资金来源=details.资金来源")
    assert result.exit_code == 0, result.stderr
    data = yamlio.load((repo / item_files(repo)[0]).read_text(encoding="utf-8"))
    assert data["unit"] == "xiang" and data["details"] == {"资金来源": "县级财政"}


def test_a_bad_map_is_a_usage_error(repo, cli, tmp_path):
    result = cli(repo, "import", "items", str(write_csv(tmp_path / "l.csv", ledger_rows(1))), "--map", "标题=colour")
    assert result.exit_code == 2 and "--map 标题=colour" in result.stderr


def test_a_gbk_csv_is_read(repo, cli, tmp_path):
    sheet = write_csv(tmp_path / "l.csv", ledger_rows(5), encoding="gb18030")
    assert cli(repo, "import", "items", str(sheet)).exit_code == 0
    assert len(item_files(repo)) == 5


def test_dry_run_lists_the_rows_and_writes_nothing(repo, cli, tmp_path):
    before = head(repo)
    result = cli(repo, "import", "items", str(write_csv(tmp_path / "l.csv", ledger_rows(3))), "--dry-run")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["2", "3", "4"]
    assert all("\t新增\titems/2024/" in line for line in lines)
    assert head(repo) == before and item_files(repo) == []


def test_no_commit_writes_the_files_only(repo, cli, tmp_path):
    before = head(repo)
    result = cli(repo, "import", "items", str(write_csv(tmp_path / "l.csv", ledger_rows(3))), "--no-commit")
    assert result.exit_code == 0
    assert head(repo) == before and len(item_files(repo)) == 3


def test_a_revised_row_changes_that_item_only_and_keeps_what_the_sheet_does_not_hold(repo, cli, tmp_path):
    rows = ledger_rows(5)
    assert cli(repo, "import", "items", str(write_csv(tmp_path / "l.csv", rows))).exit_code == 0
    first = item_files(repo)[0]
    text = (repo / first).read_text(encoding="utf-8")
    (repo / first).write_text(text + "note: 手工补充\n", encoding="utf-8")
    git(repo, "commit", "-qam", "by hand")
    title = yamlio.load(text)["title"]
    row = next(row for row in rows if row[1] == title)
    row[1] = title + "（修订）"
    result = cli(repo, "import", "items", str(write_csv(tmp_path / "l.csv", rows)))
    assert result.exit_code == 0, result.stderr
    assert files_of(repo) == [first]
    data = yamlio.load((repo / first).read_text(encoding="utf-8"))
    assert data["title"] == title + "（修订）" and data["note"] == "手工补充"


def test_a_file_with_uncommitted_work_is_refused(repo, cli, tmp_path):
    rows = ledger_rows(2)
    assert cli(repo, "import", "items", str(write_csv(tmp_path / "l.csv", rows))).exit_code == 0
    first = item_files(repo)[0]
    (repo / first).write_text((repo / first).read_text(encoding="utf-8") + "note: 未提交\n", encoding="utf-8")
    rows[0][1] += "（改）"
    rows[1][1] += "（改）"
    before = head(repo)
    result = cli(repo, "import", "items", str(write_csv(tmp_path / "l.csv", rows)))
    assert result.exit_code == 2 and "未提交的改动" in result.stderr
    assert head(repo) == before


def test_not_a_spreadsheet(repo, cli, tmp_path):
    (tmp_path / "l.txt").write_text("x")
    assert cli(repo, "import", "items", str(tmp_path / "l.txt")).exit_code == 2
    (tmp_path / "l.xlsx").write_text("not a zip")
    result = cli(repo, "import", "items", str(tmp_path / "l.xlsx"))
    assert result.exit_code == 2 and "无法读取表格" in result.stderr


# Export and the round trip ------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_importing_an_export_changes_nothing(repo, cli, tmp_path, suffix, lang):
    by_hand = item("2024-zonghe-k3f9", mode="not-disclosed", reason="涉及国家秘密", formed="2024-10-08T14:30")
    write_files(repo, {by_hand[0]: by_hand[1] + "details:\n  资金来源: 县级财政\n  金额: 5\n"})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "by hand")
    assert cli(repo, "import", "items", str(write_xlsx(tmp_path / "in.xlsx", ledger_rows(40)))).exit_code == 0
    count = commit_count(repo)
    exported = tmp_path / f"out.{suffix}"

    result = cli(repo, "--lang", lang, "export", "items", "-o", str(exported))
    assert result.exit_code == 0, result.stderr
    again = cli(repo, "import", "items", str(exported))

    assert again.exit_code == 0, again.stderr
    assert commit_count(repo) == count and status(repo) == []


def test_export_has_the_ledger_layout(repo, cli, tmp_path):
    assert cli(repo, "import", "items", str(write_xlsx(tmp_path / "in.xlsx", ledger_rows(6)))).exit_code == 0
    out = tmp_path / "out.csv"
    assert cli(repo, "export", "items", "--unit", "xiang", "--year", "2024", "-o", str(out)).exit_code == 0
    content = out.read_text(encoding="utf-8")
    assert content.startswith("\ufeff条目编号,标题,文号,索引号,责任单位,类别,成文日期,发布日期,公开方式")
    units = {line.split(",")[4] for line in content.splitlines()[1:]}
    assert units <= {"某乡", "某村"} and units


def test_export_refuses_another_kind_of_file(repo, cli, tmp_path):
    assert cli(repo, "export", "items", "-o", str(tmp_path / "out.pdf")).exit_code == 2


# The pieces -----------------------------------------------------------------------------------


@pytest.mark.parametrize("cell, expected", [
    ("2024-09-05", date(2024, 9, 5)), ("2024/9/5", date(2024, 9, 5)), ("2024年9月5日", date(2024, 9, 5)),
    ("2024.9.5", date(2024, 9, 5)), (" 2024 年 9 月 5 日 ", date(2024, 9, 5)), ("20240905", date(2024, 9, 5)),
    (date(2024, 9, 5), date(2024, 9, 5)), (datetime(2024, 9, 5), date(2024, 9, 5)),
    (datetime(2024, 9, 5, 14, 30, 12), datetime(2024, 9, 5, 14, 30)), (45540, date(2024, 9, 5)),
    ("2024-09-05 14:30", datetime(2024, 9, 5, 14, 30)), ("2024年9月5日 9时5分", datetime(2024, 9, 5, 9, 5)),
])
def test_liberal_dates(cell, expected):
    assert parse_date(cell) == expected


@pytest.mark.parametrize("cell", ["2024-02-30", "2024年13月5日", "九月五日", "2024-9", "", 12])
def test_what_is_no_date(cell):
    with pytest.raises(BadDate):
        parse_date(cell)


TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=20)  # one-line text


@settings(max_examples=300, deadline=None)
@given(title=TEXT, url=TEXT, channels=st.lists(TEXT, max_size=3), details=st.dictionaries(TEXT, TEXT, max_size=2))
@example(title="0", url="0", channels=[":0"], details={})
@example(title="0", url="\U00018cd6", channels=[], details={"1:0": "0"})  # the round-trip writer: keys too  # plain on its own line, not inside [...]
@example(title="a: b", url="#x", channels=["a, b", "-", "? x", "a #b"], details={"k: v": "[x]", "- a": "b #c"})
def test_an_item_text_reads_back_as_its_fields(title, url, channels, details):
    fields = {"id": "2024-zonghe-a1b2c3", "title": title, "url": url, "formed": date(2024, 9, 5),
              "disclosed": datetime(2024, 9, 6, 8, 15), "channels": channels, "details": details}
    assert yamlio.load(item_text(fields)) == {**fields, "formed": "2024-09-05", "disclosed": "2024-09-06T08:15"}


def test_a_failed_commit_of_many_files_leaves_none_of_them(repo, monkeypatch, cli, tmp_path):
    def broken(*args, **kwargs):
        raise gitwrite.GitError(("commit-tree",), "disk full")

    monkeypatch.setattr(gitwrite, "_commit_many", broken)
    before = head(repo)
    result = cli(repo, "import", "items", str(write_csv(tmp_path / "l.csv", ledger_rows(30))))
    assert result.exit_code == 2 and "disk full" in result.stderr
    assert head(repo) == before and item_files(repo) == [] and status(repo) == []


def test_a_journal_of_many_files_left_by_a_killed_import_is_undone(repo):
    directory = gitwrite.git_dir(repo)
    with gitwrite.repository_lock(repo):
        pass
    files = {f"items/2024/zonghe/2024-zonghe-x{n}.yaml": item(f"2024-zonghe-x{n}")[1] for n in range(3)}
    journals = []
    for path, content in files.items():
        write_files(repo, {path: content})
        blob = git(repo, "hash-object", "-w", path).strip()
        journals.append(gitwrite.Journal(path, blob, None))
    gitwrite._write_journal(directory, journals)
    with gitwrite.repository_lock(repo):
        pass
    assert item_files(repo) == [] and status(repo) == []


def test_an_office_in_a_folder_of_a_larger_repository(tmp_path, cli):
    """git names paths from its top; the import's one commit puts the items in the office's folder."""
    from conftest import make_repo

    outer = make_repo(tmp_path / "outer", {"README.md": "other work\n"}, base=False)
    root = outer / "offices" / "zonghe"
    make_repo(root)
    (root / ".git").rename(tmp_path / "inner-git")
    git(outer, "add", "-A")
    git(outer, "commit", "-qm", "the office")
    changes = git(outer, "status", "--porcelain").splitlines()
    result = cli(root, "import", "items", str(write_csv(tmp_path / "l.csv", ledger_rows(4))))
    assert result.exit_code == 0, result.stderr
    assert all(name.startswith("offices/zonghe/items/2024/") for name in files_of(outer)) and len(files_of(outer)) == 4
    assert git(outer, "status", "--porcelain").splitlines() == changes
    again = cli(root, "import", "items", str(write_csv(tmp_path / "l.csv", ledger_rows(4))))
    assert again.exit_code == 0 and "4 条无变化" in again.stderr


def test_checks_warnings_on_the_rows_are_shown_and_do_not_stop_the_import(repo, cli, tmp_path):
    rows = ledger_rows(2)
    rows[1][8] = "依申请公开"  # no 申请人 column: the request has no requester, which table 三 wants
    result = cli(repo, "import", "items", str(write_csv(tmp_path / "l.csv", rows)))
    assert result.exit_code == 0, result.output
    assert "l.csv:3:I: request-no-requester: " in result.stderr and len(item_files(repo)) == 2
