"""Issue 14: each sentence of the seeds a rule could not say before, as the exact occurrence it now yields.

Every due day below is counted by hand from the seed's words and the 2018/2019 State Council
holiday notices (the start day is not counted; a `days` deadline on a non-working day moves on).
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from conftest import item, make_repo

from gongkai_cli.load.load import load_repository
from gongkai_cli.schedule.schedule import occurrences
from gongkai_cli.schedule.settings import calendar_of

CATEGORIES = """\
- id: policy-docs
  name: 规范性文件类
- id: interpretations
  name: 政策解读
- id: work-news
  name: 工作动态
- id: new-documents
  name: 新制发文件
- id: press
  name: 新闻发布会
- id: major-event-info
  name: 特别重大事件权威信息
- id: on-request
  name: 依申请公开
  time_limit: on-request
  scope: requester
"""


def office(tmp_path, rules: str, *items: tuple[str, str], categories: str = CATEGORIES):
    return make_repo(tmp_path / "office", {"catalog/categories.yaml": categories, "rules/rules.yaml": rules,
                                           **dict(items)})


def all_of(root, as_of: date | datetime) -> dict[tuple, object]:
    """Every occurrence as of a day, by (rule, unit, item or period)."""
    snapshot, _ = load_repository(root)
    found = occurrences(snapshot, calendar_of(snapshot.config), as_of)
    return {(o.rule, o.unit, o.item or o.period): o for o in found}


def listed(cli, root, command: str, *args: str) -> list[dict]:
    result = cli(root, command, *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def shape(o) -> tuple:
    return o.as_json(date(2000, 1, 1))["due"], o.status, o.met_by, o.met_on


# 「工作动态、相关资料…完成后5日内向政务公开工作办公室报备」 (S0) ---------------------------------

REPORT_5D = """\
- id: s0-report-5d
  name: 工作动态完成后5日内报备
  category: work-news
  within: {days: 5}
  met_by: filed
"""


def test_report_within_5_days_is_met_by_filing_not_by_publication(tmp_path, cli):
    # formed Fri 2018-07-20 + 5 days = Wed 07-25; published the next day, filed only on 07-27
    root = office(tmp_path, REPORT_5D,
                  item("2018-zonghe-late", category="work-news", formed="2018-07-20", disclosed="2018-07-21",
                       filed="2018-07-27"),
                  item("2018-zonghe-ontm", category="work-news", formed="2018-07-20", disclosed="2018-08-30",
                       filed="2018-07-24"),
                  item("2018-zonghe-none", category="work-news", formed="2018-07-20", disclosed="2018-07-21"))
    found = all_of(root, date(2018, 8, 1))
    assert shape(found["s0-report-5d", "zonghe", "2018-zonghe-late"]) == ("2018-07-25", "late", "filed", date(2018, 7, 27))
    assert shape(found["s0-report-5d", "zonghe", "2018-zonghe-ontm"]) == ("2018-07-25", "done", "filed", date(2018, 7, 24))
    assert shape(found["s0-report-5d", "zonghe", "2018-zonghe-none"]) == ("2018-07-25", "overdue", "filed", None)
    rows = listed(cli, root, "overdue", "--as-of", "2018-08-01")
    assert [(r["item"], r["due"], r["met_by"], r["days_overdue"]) for r in rows] == [
        ("2018-zonghe-none", "2018-07-25", "filed", 7)]


def test_a_filing_after_as_of_does_not_count_yet(tmp_path):
    root = office(tmp_path, REPORT_5D, item("2018-zonghe-late", category="work-news", formed="2018-07-20",
                                            filed="2018-07-27"))
    assert shape(all_of(root, date(2018, 7, 26))["s0-report-5d", "zonghe", "2018-zonghe-late"]) == (
        "2018-07-25", "overdue", "filed", None)


def test_overdue_table_says_which_date_is_awaited(tmp_path, cli):
    root = office(tmp_path, REPORT_5D, item("2018-zonghe-none", category="work-news", formed="2018-07-20"))
    shown = cli(root, "overdue", "--as-of", "2018-08-01").stdout
    assert "待报备" in shown
    assert "not yet filed" in cli(root, "overdue", "--as-of", "2018-08-01", "--lang", "en").stdout


# 「新制发文件…文件印发后，在存档同时…报备」 (S0): the office's own 内扶办发 documents -------------

SAME_DAY = """\
- id: s0-doc-same-day
  name: 新制发文件印发当日报备
  category: new-documents
  within: {days: 0}
  met_by: filed
  where: {doc_number: 内扶办发*}
"""


def test_same_day_filing_covers_only_the_offices_own_documents(tmp_path):
    # issued Wed 2018-08-01 (+0 days: due that day); filed the day after
    root = office(tmp_path, SAME_DAY,
                  item("2018-zonghe-own1", category="new-documents", formed="2018-08-01", filed="2018-08-02",
                       doc_number="内扶办发〔2018〕75号", mode="proactive"),
                  item("2018-zonghe-own2", category="new-documents", formed="2018-08-01", filed="2018-08-01",
                       doc_number="内扶办发〔2018〕76号", mode="not-disclosed", reason="内部事务"),
                  item("2018-zonghe-othr", category="new-documents", formed="2018-08-01",
                       doc_number="内政办发〔2018〕3号", mode="proactive"))
    found = all_of(root, date(2018, 8, 10))
    assert shape(found["s0-doc-same-day", "zonghe", "2018-zonghe-own1"]) == ("2018-08-01", "late", "filed", date(2018, 8, 2))
    # a document decided not to be disclosed is still filed: the decision waives publication, not 报备
    assert shape(found["s0-doc-same-day", "zonghe", "2018-zonghe-own2"]) == ("2018-08-01", "done", "filed", date(2018, 8, 1))
    assert ("s0-doc-same-day", "zonghe", "2018-zonghe-othr") not in found


# 「每季度组织召开1次例行新闻发布会」 (S3): met by holding the conference -------------------------

PRESS = """\
- id: s3-quarterly-press
  name: 每季度召开1次例行新闻发布会
  category: press
  units: [zonghe]
  every: quarter
  due: {from: start, months: 2, day: last}
  met_by: formed
  active: {from: 2018-07-01, until: 2018-12-31}
"""


def test_quarterly_conference_is_met_when_held(tmp_path, cli):
    # 2018Q3 ends Sun 09-30, a 调休 working day (National Day 2018): due 09-30; held 09-27, never "disclosed"
    root = office(tmp_path, PRESS, item("2018-zonghe-conf", category="press", formed="2018-09-27"))
    found = all_of(root, date(2018, 12, 10))
    assert shape(found["s3-quarterly-press", "zonghe", "2018Q3"]) == ("2018-09-30", "done", "formed", date(2018, 9, 27))
    # 2018Q4 ends Mon 12-31, a holiday (元旦 2018-12-30 … 2019-01-01): due Wed 2019-01-02, not yet held
    assert shape(found["s3-quarterly-press", "zonghe", "2018Q4"]) == ("2019-01-02", "pending", "formed", None)
    assert listed(cli, root, "overdue", "--as-of", "2018-12-10") == []


def test_a_conference_counts_in_its_period_not_its_formed_quarter(tmp_path):
    root = office(tmp_path, PRESS, item("2018-zonghe-conf", category="press", formed="2018-10-09", period="2018Q3"))
    found = all_of(root, date(2018, 12, 10))
    assert shape(found["s3-quarterly-press", "zonghe", "2018Q3"]) == ("2018-09-30", "late", "formed", date(2018, 10, 9))
    assert found["s3-quarterly-press", "zonghe", "2018Q4"].status == "pending"


# 依申请公开 before 2019-05-15: 15 + 15 working days (条例 2007 art. 24) ----------------------------


def request_item(id_: str, received: str, **fields):
    return item(id_, category="on-request", formed=received, mode="on-request", received=received, **fields)


def test_request_received_2018_09_03_is_due_2018_09_25_under_the_2007_law(tmp_path, cli):
    # Mon 09-03 + 15 working days: 09-04 … 09-21 are 14, 09-24 中秋 is not counted, 09-25 the 15th
    root = office(tmp_path, "[]\n", request_item("2018-zonghe-rq01", "2018-09-03"))
    rows = listed(cli, root, "overdue", "--as-of", "2018-09-26")
    assert [(r["rule"], r["item"], r["due"], r["met_by"]) for r in rows] == [
        ("law-request-15wd", "2018-zonghe-rq01", "2018-09-25", "replied")]
    explained = cli(root, "overdue", "--as-of", "2018-09-26", "--explain", "2018-zonghe-rq01").stdout
    assert "第二十四条" in explained and "2007" in explained
    assert "收到申请：2018-09-03" in explained
    english = cli(root, "overdue", "--as-of", "2018-09-26", "--explain", "2018-zonghe-rq01", "--lang", "en").stdout
    assert "art. 24" in english and "request received: 2018-09-03" in english


def test_request_received_2019_05_15_is_due_2019_06_13_under_the_revised_law(tmp_path, cli):
    # Wed 05-15 + 20 working days: 05-16 … 06-06 are 16, 06-07 端午 is not counted, 06-10 … 06-13 the 17th–20th
    root = office(tmp_path, "[]\n", request_item("2019-zonghe-rq02", "2019-05-15", replied="2019-06-13"))
    found = all_of(root, date(2019, 7, 1))
    assert shape(found["law-request-20wd", "zonghe", "2019-zonghe-rq02"]) == (
        "2019-06-13", "done", "replied", date(2019, 6, 13))
    explained = cli(root, "overdue", "--as-of", "2019-07-01", "--explain", "2019-zonghe-rq02").stdout
    assert "第三十三条" in explained and "收到申请：2019-05-15" in explained


def test_extended_request_under_the_2007_law_gets_15_more(tmp_path):
    # 09-03 + 30 working days: 15th is 09-25; 09-26 … 09-30 (09-29/30 调休 working) are 16–20, 10-01 … 10-07
    # National Day, 10-08 … 10-19 are 21–30
    root = office(tmp_path, "[]\n", request_item("2018-zonghe-rq03", "2018-09-03", extended="true"))
    assert shape(all_of(root, date(2018, 10, 1))["law-request-15wd", "zonghe", "2018-zonghe-rq03"]) == (
        "2018-10-19", "pending", "replied", None)


def test_windowed_event_rules_no_longer_hide_requests(tmp_path, cli):
    """Two event rules with `active` windows over the on-request category used to make requests vanish."""
    rules = """\
    - id: law-request-15wd
      name: 旧条例
      category: on-request
      within: {workdays: 15}
      active: {until: 2019-05-14}
    - id: law-request-20wd
      name: 新条例
      category: on-request
      within: {workdays: 20}
      active: {from: 2019-05-15}
    """
    root = office(tmp_path, rules, request_item("2018-zonghe-rq01", "2018-09-03"))
    rows = listed(cli, root, "overdue", "--as-of", "2018-09-26")
    assert [(r["item"], r["due"]) for r in rows] == [("2018-zonghe-rq01", "2018-09-25")]


def test_a_repository_request_rule_replaces_the_builtin_of_its_id(tmp_path):
    rules = """\
    - id: law-request-15wd
      name: 本办承诺10个工作日内答复
      request: {within: {workdays: 10}}
      active: {until: 2019-05-14}
    """
    # 09-03 + 10 working days: 09-04 … 09-14 are 9, 09-17 the 10th
    root = office(tmp_path, rules, request_item("2018-zonghe-rq01", "2018-09-03"))
    o = all_of(root, date(2018, 9, 26))["law-request-15wd", "zonghe", "2018-zonghe-rq01"]
    assert (shape(o), o.rule_name) == (("2018-09-17", "overdue", "replied", None), "本办承诺10个工作日内答复")


def test_two_request_rules_covering_one_item_are_a_finding(tmp_path, cli):
    rules = """\
    - id: request-a
      name: 甲
      request: {within: {workdays: 10}}
    - id: request-b
      name: 乙
      category: on-request
      request: {within: {workdays: 12}}
    """
    root = office(tmp_path, rules, request_item("2018-zonghe-rq01", "2018-09-03"))
    result = cli(root, "check", "--format", "json")
    found = [(f["path"], f["code"]) for f in json.loads(result.stdout)["findings"]]
    assert ("items/2018/zonghe/2018-zonghe-rq01.yaml", "request-rules-overlap") in found
    assert result.exit_code == 1
    # still owed exactly once, by the first rule that covers it
    owed = [key for key in all_of(root, date(2018, 9, 26)) if key[2] == "2018-zonghe-rq01"]
    assert owed == [("request-a", "zonghe", "2018-zonghe-rq01")]


# 「谁起草谁解读」 (S1): the interpretation must come from the drafting unit ----------------------

INTERPRETATION = """\
- id: s1-interpretation
  name: 谁起草谁解读
  category: policy-docs
  companion: {category: interpretations, within: {days: 0}, same_unit: true}
"""


def test_an_interpretation_by_another_unit_does_not_meet_the_drafters_duty(tmp_path):
    # the document disclosed Mon 2024-09-23 (+0 days): due that day
    root = office(tmp_path, INTERPRETATION,
                  item("2024-zonghe-doc1", formed="2024-09-20", disclosed="2024-09-23"),
                  item("2024-xiang-int1", unit="xiang", category="interpretations", formed="2024-09-23",
                       disclosed="2024-09-23", of="2024-zonghe-doc1"),
                  item("2024-zonghe-doc2", formed="2024-09-20", disclosed="2024-09-23"),
                  item("2024-zonghe-int2", category="interpretations", formed="2024-09-23", disclosed="2024-09-23",
                       of="2024-zonghe-doc2"))
    found = all_of(root, date(2024, 10, 8))
    assert shape(found["s1-interpretation", "zonghe", "2024-zonghe-doc1"]) == ("2024-09-23", "overdue", "disclosed", None)
    assert shape(found["s1-interpretation", "zonghe", "2024-zonghe-doc2"]) == (
        "2024-09-23", "done", "disclosed", date(2024, 9, 23))


def test_without_same_unit_any_units_interpretation_meets_it(tmp_path):
    root = office(tmp_path, INTERPRETATION.replace(", same_unit: true", ""),
                  item("2024-zonghe-doc1", formed="2024-09-20", disclosed="2024-09-23"),
                  item("2024-xiang-int1", unit="xiang", category="interpretations", formed="2024-09-23",
                       disclosed="2024-09-23", of="2024-zonghe-doc1"))
    assert all_of(root, date(2024, 10, 8))["s1-interpretation", "zonghe", "2024-zonghe-doc1"].status == "done"


# `where`: list = any, true/false = set/not set, details.KEY -------------------------------------


def where_rule(where: str) -> str:
    return f"""\
- id: proactive
  name: 20个工作日内公开
  category: policy-docs
  within: {{workdays: 20}}
  where: {where}
"""


@pytest.mark.parametrize("where, covered", [
    ("{doc_number: [内扶办发*, 内扶党发*]}", {"2024-zonghe-a", "2024-zonghe-b"}),
    ("{doc_number: true}", {"2024-zonghe-a", "2024-zonghe-b", "2024-zonghe-c"}),
    ("{doc_number: false}", {"2024-zonghe-d"}),
    ("{details.资金来源: 财政*}", {"2024-zonghe-c"}),
    ("{channels: '*公报'}", {"2024-zonghe-b"}),
    ("{formed: 2024-09-2*}", {"2024-zonghe-a", "2024-zonghe-b", "2024-zonghe-c", "2024-zonghe-d"}),
    ("{doc_number: 内扶办发*, channels: true}", set()),
])
def test_where_covers_only_the_matching_items(tmp_path, where, covered):
    root = office(tmp_path, where_rule(where),
                  item("2024-zonghe-a", doc_number="内扶办发〔2024〕1号"),
                  item("2024-zonghe-b", doc_number="内扶党发〔2024〕2号", channels="[自治区政府公报]"),
                  item("2024-zonghe-c", doc_number="内政发〔2024〕3号", details="{资金来源: 财政专项}"),
                  item("2024-zonghe-d"))
    assert {key[2] for key in all_of(root, date(2024, 10, 8))} == covered


# hours rules (S0: 5 h / 24 h): judged at the --as-of instant; a date-only formed is untimed ---------

HOURS_5 = """\
- id: s0-5h-major
  name: 特别重大事件5小时内发布权威信息
  category: major-event-info
  within: {hours: 5}
"""


def test_as_of_with_a_time_judges_hours_deadlines_at_that_instant(tmp_path, cli):
    # happened 2018-09-12T22:40: due 2018-09-13T03:40; published 10:00 that morning
    root = office(tmp_path, HOURS_5, item("2018-zonghe-fire", category="major-event-info",
                                          formed="2018-09-12T22:40", disclosed="2018-09-13T10:00"))
    at_noon = listed(cli, root, "overdue", "--as-of", "2018-09-13T12:00")
    assert at_noon == []  # published by then: late, not overdue
    found = all_of(root, datetime(2018, 9, 13, 9, 0))
    assert shape(found["s0-5h-major", "zonghe", "2018-zonghe-fire"]) == ("2018-09-13T03:40", "overdue", "disclosed", None)
    early = listed(cli, root, "due", "--as-of", "2018-09-13T03:00", "--within", "0")
    assert [(r["item"], r["due"], r["status"]) for r in early] == [("2018-zonghe-fire", "2018-09-13T03:40", "pending")]
    assert shape(all_of(root, datetime(2018, 9, 13, 12, 0))["s0-5h-major", "zonghe", "2018-zonghe-fire"]) == (
        "2018-09-13T03:40", "late", "disclosed", datetime(2018, 9, 13, 10, 0))
    at_nine = listed(cli, root, "overdue", "--as-of", "2018-09-13T09:00")
    assert [(r["item"], r["status"], r["untimed"]) for r in at_nine] == [("2018-zonghe-fire", "overdue", False)]


def test_as_of_with_an_offset_is_read_on_the_office_clock(tmp_path, cli):
    """2018-09-12T19:41Z is 03:41 on 09-13 in Beijing: the 03:40 deadline has just passed, on its own day."""
    root = office(tmp_path, HOURS_5, item("2018-zonghe-fire", category="major-event-info", formed="2018-09-12T22:40"))
    rows = listed(cli, root, "overdue", "--as-of", "2018-09-12T19:41Z")
    assert [(r["item"], r["due"], r["days_overdue"]) for r in rows] == [("2018-zonghe-fire", "2018-09-13T03:40", 0)]
    assert listed(cli, root, "overdue", "--as-of", "2018-09-12T19:39Z") == []


def test_as_of_a_bad_time_is_refused(tmp_path, cli):
    root = office(tmp_path, HOURS_5)
    result = cli(root, "overdue", "--as-of", "2018-09-13T25:00")
    assert result.exit_code == 2 and "2018-09-13T25:00" in result.stderr


def test_hours_rule_on_a_date_only_item_is_shown_untimed_and_flagged(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # the table unfolded, so the mark is read whole
    # formed 2018-09-12 (no time): 5 h can end on 09-13 at the latest; never counted from midnight
    root = office(tmp_path, HOURS_5, item("2018-zonghe-dayo", category="major-event-info", formed="2018-09-12"))
    rows = listed(cli, root, "overdue", "--as-of", "2018-09-14")
    assert [(r["item"], r["due"], r["untimed"], r["days_overdue"]) for r in rows] == [
        ("2018-zonghe-dayo", "2018-09-13", True, 1)]
    assert listed(cli, root, "overdue", "--as-of", "2018-09-13T12:00") == []  # judged at the end of 09-13
    table = cli(root, "overdue", "--as-of", "2018-09-14").stdout
    assert "formed 无时刻" in table
    explained = cli(root, "overdue", "--as-of", "2018-09-14", "--explain", "2018-zonghe-dayo").stdout
    assert "没有时刻" in explained and "00:00" not in explained
    check = json.loads(cli(root, "check", "--format", "json").stdout)
    assert [(f["code"], f["line"]) for f in check["findings"]] == [("hours-needs-time", 5)]


# 「核稿单"是否公开"一栏填写明确意见」 (S0), 「公开属性说明…随文报批」 (S2): mode_required -------------

MODE_REQUIRED = CATEGORIES.replace("""- id: new-documents
  name: 新制发文件
""", """- id: new-documents
  name: 新制发文件
  mode_required: true
""")


def test_mode_required_makes_an_item_without_mode_a_finding(tmp_path, cli):
    root = office(tmp_path, SAME_DAY,
                  item("2018-zonghe-nomo", category="new-documents", formed="2018-08-01", doc_number="内扶办发〔2018〕75号"),
                  item("2018-zonghe-said", category="new-documents", formed="2018-08-01", mode="proactive"),
                  item("2018-zonghe-nrsn", category="new-documents", formed="2018-08-01", mode="not-disclosed"),
                  item("2018-zonghe-othr", category="work-news", formed="2018-08-01"),
                  categories=MODE_REQUIRED)
    result = cli(root, "check", "--format", "json")
    found = sorted((f["path"].rsplit("/", 1)[1], f["code"]) for f in json.loads(result.stdout)["findings"])
    assert found == [("2018-zonghe-nomo.yaml", "mode-required"), ("2018-zonghe-nrsn.yaml", "missing-reason")]
    assert result.exit_code == 1
    # scheduling is unchanged: the undecided document is still owed its same-day filing
    assert all_of(root, date(2018, 8, 2))["s0-doc-same-day", "zonghe", "2018-zonghe-nomo"].status == "overdue"


# 「照片、姓名、职务、工作分工、联系电话」 on a village board (S4): privacy.allow ---------------------

BOARD = CATEGORIES + """\
- id: village-board
  name: 村务公开栏（村干部信息）
  privacy: {allow: [mobile]}
"""


def test_privacy_allow_lets_board_contacts_through_and_nothing_else(tmp_path, cli):
    root = office(tmp_path, "[]\n",
                  item("2017-cun-brd1", unit="cun", category="village-board", formed="2017-03-01",
                       details="{联系电话: '13812345678'}"),
                  item("2017-cun-brd2", unit="cun", category="village-board", formed="2017-03-01",
                       details="{身份证: '110101199003077571'}"),
                  item("2017-cun-news", unit="cun", category="work-news", formed="2017-03-01",
                       details="{联系电话: '13812345678'}"),
                  categories=BOARD)
    findings = json.loads(cli(root, "check", "--format", "json").stdout)["findings"]
    assert sorted((f["path"].rsplit("/", 1)[1], f["code"]) for f in findings) == [
        ("2017-cun-brd2.yaml", "privacy-id-number"), ("2017-cun-news.yaml", "privacy-mobile")]


def test_privacy_allow_names_only_known_kinds(tmp_path, cli):
    root = office(tmp_path, "[]\n", categories=BOARD.replace("allow: [mobile]", "allow: [email]"))
    findings = json.loads(cli(root, "check", "--format", "json").stdout)["findings"]
    assert [(f["path"], f["code"]) for f in findings] == [("catalog/categories.yaml", "invalid-choice")]


# 「向特定区域特定群体公开」 (S2): scope group is disclosed, not exempt ------------------------------

GROUP = CATEGORIES + """\
- id: poverty-ids
  name: 贫困识别（向特定群体公开）
  scope: group
"""
PROACTIVE = """\
- id: law-proactive-20wd
  name: 20个工作日内公开
  category: poverty-ids
  within: {workdays: 20}
"""


def test_a_list_disclosed_to_its_group_is_done_and_counted_disclosed(tmp_path, cli):
    # formed Mon 2019-03-18 + 20 working days: 03-19 … 04-04 are 13 (清明 04-05 not counted), 04-08 … 04-16 the 14th–20th
    root = office(tmp_path, PROACTIVE, item("2019-cun-list", unit="cun", category="poverty-ids", formed="2019-03-18",
                                            disclosed="2019-03-25"), categories=GROUP)
    assert shape(all_of(root, date(2019, 5, 15))["law-proactive-20wd", "cun", "2019-cun-list"]) == (
        "2019-04-16", "done", "disclosed", date(2019, 3, 25))
    report = json.loads(cli(root, "audit", "--quarter", "2019Q1", "--as-of", "2019-05-15", "--format", "json").stdout)
    assert report["totals"]["disclosed"] == 1 and report["totals"]["exempt"] == 0


# check: where keys and globs, with positions ---------------------------------------------------


def test_where_naming_no_item_field_is_a_finding_at_its_key(tmp_path, cli):
    root = office(tmp_path, where_rule("{doc_no: 内扶办发*}"))
    findings = json.loads(cli(root, "check", "--format", "json").stdout)["findings"]
    assert [(f["path"], f["line"], f["col"], f["code"]) for f in findings] == [
        ("rules/rules.yaml", 5, 11, "where-unknown-field")]


@pytest.mark.parametrize("where", [
    "{mode: secret*}", "{unit: zong}", "{category: work-*}", "{formed: 二〇一八*}", "{extended: 'y*'}",
    "{reviews: '*'}", "{doc_number: []}", "{of: 内扶*}",
])
def test_a_glob_that_can_never_match_is_a_finding(tmp_path, cli, where):
    root = office(tmp_path, where_rule(where))
    result = cli(root, "check", "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    assert [(f["path"], f["line"], f["code"]) for f in findings] == [("rules/rules.yaml", 5, "where-never-matches")]
    assert result.exit_code == 1


@pytest.mark.parametrize("where", [
    "{mode: not-*}", "{unit: 'zong*'}", "{category: policy-*}", "{formed: '2018-0[7-9]*'}", "{extended: true}",
    "{reviews: false}", "{doc_number: 内扶办发*}", "{details.资金来源: 财政*}",
])
def test_globs_that_can_match_are_not_findings(tmp_path, cli, where):
    root = office(tmp_path, where_rule(where))
    assert json.loads(cli(root, "check", "--format", "json").stdout)["findings"] == []


# writes: add --filed, edit --set filed= --------------------------------------------------------


def test_add_filed_and_edit_set_filed_meet_a_filing_rule(tmp_path, cli):
    root = office(tmp_path, REPORT_5D)
    added = cli(root, "add", "--category", "work-news", "--unit", "zonghe", "--title", "扶贫简报第5期",
                "--formed", "2018-07-20", "--filed", "2018-07-24")
    assert added.exit_code == 0, added.stderr
    first = added.stdout.strip()
    second = cli(root, "add", "--category", "work-news", "--unit", "zonghe", "--title", "扶贫简报第6期",
                 "--formed", "2018-07-20").stdout.strip()
    assert cli(root, "edit", second, "--set", "filed=2018-07-27").exit_code == 0
    found = all_of(root, date(2018, 8, 1))
    assert shape(found["s0-report-5d", "zonghe", first]) == ("2018-07-25", "done", "filed", date(2018, 7, 24))
    assert shape(found["s0-report-5d", "zonghe", second]) == ("2018-07-25", "late", "filed", date(2018, 7, 27))
    assert "filed: 2018-07-27" in (root / f"items/2018/zonghe/{second}.yaml").read_text(encoding="utf-8")
