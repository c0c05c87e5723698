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
