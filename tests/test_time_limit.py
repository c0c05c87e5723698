"""`gongkai time-limit`: the grammar of 公开时限 phrases, by exact JSON over a table of phrasings."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from gongkai_cli.model.models import Rule
from gongkai_cli.sheets.time_limit import number, read_time_limit


def wd(n):
    return {"within": {"workdays": n}}


def d(n):
    return {"within": {"days": n}}


def h(n):
    return {"within": {"hours": n}}


def every(period, origin, months, day, count=1):
    return {"every": period, "due": {"from": origin, "months": months, "day": day}, "min_items": count}


def once(day):
    return {"once": day}


def note(code, text):
    return {"code": code, "text": text}


# (phrase, rules, standing, asap, notes)
TABLE = [
    # events: Arabic and Chinese numerals, 工作日 / 日 / 天 / 小时, 之日起…内, 后…内
    ("信息形成或变更之日起20个工作日内", [wd(20)], False, False, []),
    ("自信息形成或者变更之日起20个工作日内予以公开", [wd(20)], False, False, []),
    ("自信息形成之日起二十个工作日内", [wd(20)], False, False, []),
    ("二十个工作日内", [wd(20)], False, False, []),
    ("20个工作日以内", [wd(20)], False, False, []),
    ("20 个工作日之内", [wd(20)], False, False, []),
    ("２０个工作日内", [wd(20)], False, False, []),
    ("自批准之日起十日内", [d(10)], False, False, []),
    ("作出决定之日起7日内", [d(7)], False, False, []),
    ("项目批准后十五日内", [d(15)], False, False, []),
    ("会议结束后3天内", [d(3)], False, False, []),
    ("完成后5日内", [d(5)], False, False, []),
    ("受理后两个工作日内", [wd(2)], False, False, []),
    ("政策出台后一百二十日内", [d(120)], False, False, []),
    ("事件发生后24小时内", [h(24)], False, False, []),
    ("七十二小时以内", [h(72)], False, False, []),
    ("一周内", [d(7)], False, False, []),
    ("自收到申请之日起不超过15个工作日", [wd(15)], False, False, []),
    ("当日公开", [d(0)], False, False, []),
    ("获取信息之日起三十个自然日内", [d(30)], False, False, []),
    # periodic: 每月, 每季度, 每半年, 每年 + a day, 结束后N日内, 至少更新N次
    ("每月5日前", [every("month", "end", 0, 5)], False, False, []),
    ("每月十日前更新", [every("month", "end", 0, 10)], False, False, []),
    ("按月更新，次月10日前", [every("month", "end", 0, 10)], False, False, []),
    ("每季度结束后15日内", [every("quarter", "end", 0, 15)], False, False, []),
    ("每季度终了后十五日内公开", [every("quarter", "end", 0, 15)], False, False, []),
    ("季度结束后30日内", [every("quarter", "end", 0, 30)], False, False, []),
    ("每季度首月10日前", [every("quarter", "start", 0, 10)], False, False, []),
    ("每季度更新一次", [every("quarter", "start", 2, "last")], False, False, []),
    ("每季至少更新1次", [every("quarter", "start", 2, "last")], False, False, []),
    ("每半年更新", [every("half-year", "start", 5, "last")], False, False, []),
    ("每半年结束后20日内", [every("half-year", "end", 0, 20)], False, False, []),
    ("每年至少更新2次", [every("year", "start", 11, "last", 2)], False, False, []),
    ("至少每年更新一次", [every("year", "start", 11, "last")], False, False, []),
    ("年度终了后3个月内", [every("year", "end", 2, "last")], False, False, []),
    ("每年度结束后一个月内", [every("year", "end", 0, "last")], False, False, []),
    ("每月结束后10日内", [every("month", "end", 0, 10)], False, False, []),
    # fixed dates
    ("每年1月31日前", [every("year", "start", 0, 31)], False, False, []),
    ("每年3月31日前公开上一年度情况", [every("year", "start", 2, 31)], False, False, []),
    ("每年三月底前", [every("year", "start", 2, "last")], False, False, []),
    ("每年次年1月31日前", [every("year", "end", 0, 31)], False, False, []),
    ("2019年4月20日前", [once("2019-04-20")], False, False, []),
    ("二〇一九年四月二十日前", [once("2019-04-20")], False, False, []),
    ("每年第一季度内公开", [every("year", "start", 2, "last")], False, False, []),
    ("每年上半年", [every("year", "start", 5, "last")], False, False, []),
    ("每年3月公开", [every("year", "start", 2, "last")], False, False, []),
    ("每年6月底前", [every("year", "start", 5, "last")], False, False, []),
    # standing, asap, the law's note
    ("长期公开", [], True, False, []),
    ("保持长期公开", [], True, False, []),
    ("长期公示", [], True, False, []),
    ("常年公开", [], True, False, []),
    ("及时公开", [], False, True, []),
    ("实时更新", [], False, True, []),
    ("按进展情况及时公开", [], False, True, []),
    ("动态更新", [], False, True, []),
    ("法律、法规另有规定的，从其规定", [], False, False, [note("law-exception", "法律、法规另有规定的，从其规定")]),
    ("自信息形成或者变更之日起20个工作日内。法律、法规对政府信息公开的期限另有规定的，从其规定",
     [wd(20)], False, False, [note("law-exception", "另有规定的，从其规定")]),
    ("20个工作日内；法律法规另有规定的从其规定", [wd(20)], False, False, [note("law-exception", "法律法规另有规定的从其规定")]),
    # two deadlines in one cell
    ("信息形成之日起20个工作日内；每季度结束后15日内更新",
     [wd(20), every("quarter", "end", 0, 15)], False, False, []),
    ("二十个工作日内;每季度首月十日前更新", [wd(20), every("quarter", "start", 0, 10)], False, False, []),
    ("1.形成后7日内公开\n2.每年1月31日前公开年度情况", [d(7), every("year", "start", 0, 31)], False, False, []),
    ("长期公开，信息变更后5个工作日内更新", [wd(5)], True, False, []),
    ("每月更新；每年至少3次", [every("month", "start", 0, "last"), every("year", "start", 11, "last", 3)],
     False, False, []),
    # an extension is a note with its count (import catalog puts it on a request rule)
    ("自收到申请之日起20个工作日内；需要延长的，延长期限不超过20个工作日", [wd(20)], False, False,
     [{"code": "extension", "text": "20个工作日", "within": {"workdays": 20}}]),
    ("15个工作日内，可延长15个工作日", [wd(15)], False, False,
     [{"code": "extension", "text": "15个工作日", "within": {"workdays": 15}}]),
    # unreadable: no rule, never a guessed number
    ("第一季度", [], False, False, [note("date-without-year", "第一季度")]),
    ("每年3月前", [], False, False, [note("before-event", "3月前")]),
    ("每年3个月内", [], False, False, [note("event-unit", "3个月")]),
    ("每季度更新；会议召开3日前", [every("quarter", "start", 2, "last")], False, False, [note("before-event", "3日前")]),
    ("公示期不少于7天", [], False, False, [note("duration", "7天")]),
    ("会议召开3日前", [], False, False, [note("before-event", "3日前")]),
    ("形成后3个月内", [], False, False, [note("event-unit", "3个月")]),
    ("每周更新", [], False, False, [note("period-unsupported", "每周")]),
    ("1月31日前", [], False, False, [note("date-without-year", "1月31日前")]),
    ("季度结束后及时公开", [], False, True, [note("after-period-uncounted", "季度结束后")]),
    ("每月结束后10个工作日内", [], False, False, [note("after-period-unit", "每月结束后10个工作日")]),
    ("每月结束后30日内", [], False, False, [note("after-period-unit", "每月结束后30日")]),
    ("至少更新2次", [], False, False, [note("times-without-period", "2次")]),
    ("2019年2月30日前", [], False, False, [note("date-unread", "2019年2月30日")]),
    ("同上", [], False, False, []),
    ("按有关规定执行", [], False, False, []),
    ("", [], False, False, []),
]


@pytest.mark.parametrize(("phrase", "rules", "standing", "asap", "notes"), TABLE, ids=[row[0] or "empty" for row in TABLE])
def test_time_limit_json(cli, phrase, rules, standing, asap, notes):
    result = cli(None, "time-limit", "--format", "json", phrase)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"text": phrase, "computable": bool(rules), "rules": rules,
                                         "standing": standing, "asap": asap, "notes": notes}


def test_the_table_is_big_enough():
    assert len(TABLE) >= 50


RULE = TypeAdapter(Rule)


@pytest.mark.parametrize("rules", [row[1] for row in TABLE if row[1]])
def test_rules_read_are_rules_of_the_format(rules):
    for shape in rules:
        RULE.validate_python({"id": "r", "name": "规则", "category": "c", **shape})


@given(st.text(alphabet="每月季度年半结束后前内日天工作个小时至少次更新公开长期及时0123456789一二三十百两;，、。 \n", max_size=40))
def test_any_phrase_reads_without_failing_and_gives_valid_rules(phrase):
    reading = read_time_limit(phrase)
    assert reading.computable == bool(reading.rules)
    for shape in reading.rules:
        RULE.validate_python({"id": "r", "name": "规则", "category": "c", **shape})


@pytest.mark.parametrize(("text", "value"), [("20", 20), ("十", 10), ("十五", 15), ("二十", 20), ("二十五", 25),
                                              ("一百二十", 120), ("两", 2), ("二〇一九", 2019), ("一百零五", 105), ("十十", None)])
def test_numerals(text, value):
    assert number(text) == value


def test_text_explains_in_words(cli):
    zh = cli(None, "time-limit", "信息形成之日起20个工作日内；每季度结束后15日内").stdout
    assert "20个工作日内" in zh and "每季度" in zh
    en = cli(None, "time-limit", "--lang", "en", "公示期不少于7天").stdout
    assert "a duration, not a deadline: 7天" in en and "no computable deadline" in en
