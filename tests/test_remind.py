"""`remind` printed: one digest per clerk (their units and those below), overdue first; one admin summary."""

from __future__ import annotations

import json

import pytest
from notify_office import AS_OF, notify_office


@pytest.fixture
def office(tmp_path):
    return notify_office(tmp_path / "office")


def digests(cli, root, *args) -> dict[str, dict]:
    result = cli(root, "remind", "--as-of", AS_OF, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return {digest["to"]: digest for digest in json.loads(result.stdout)["digests"]}


def test_each_clerk_gets_their_units_and_those_below(cli, office):
    found = digests(cli, office)
    assert set(found) == {"wang@example.gov.cn", "li@example.gov.cn", "zhao@example.gov.cn", "boss@example.gov.cn"}
    units = {to: {line["unit"] for line in digest["lines"]} for to, digest in found.items()}
    assert units["wang@example.gov.cn"] == {"zonghe"}
    assert units["li@example.gov.cn"] == {"xiang", "cun"}  # the village rolls up into its township
    assert units["zhao@example.gov.cn"] == {"cun"}
    assert units["boss@example.gov.cn"] == {"zonghe", "xiang", "cun", "banshi"}
    assert found["boss@example.gov.cn"]["role"] == "admin"


def test_overdue_first_then_due_within_n_days(cli, office):
    wang = digests(cli, office)["wang@example.gov.cn"]["lines"]
    assert [(line["status"], line["rule"], line["days"]) for line in wang] == [
        ("overdue", "monthly-5th", 3), ("pending", "policy-5d", 3)]
    assert wang[1]["title"] == "测试条目 2024-zonghe-pol1" and wang[0]["period"] == "2024-09"
    narrow = digests(cli, office, "--within", "2")
    assert [line["status"] for line in narrow["wang@example.gov.cn"]["lines"]] == ["overdue"]


def test_printed_digest_reads_in_chinese_by_default_and_english_with_lang(cli, office):
    result = cli(office, "remind", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    wang = result.stdout.split("致 wang@example.gov.cn")[1].split("\n\n致 ")[0]
    assert "逾期未公开（1 项）" in wang and "7 天内到期（1 项）" in wang
    assert "综合处 · 每月5日前公开工作动态 · 2024-09 · 截止 2024-10-08（周二） · 逾期 3 天" in wang
    assert "还剩 3 天" in wang and "某乡" not in wang
    assert wang.index("逾期未公开（") < wang.index("7 天内到期（")
    english = cli(office, "--lang", "en", "remind", "--as-of", AS_OF).stdout
    assert "To wang@example.gov.cn (clerk of 综合处)" in english and "3 days overdue" in english


def test_admin_summary_counts_units_and_shows_what_no_clerk_hears(cli, office):
    summary = cli(office, "remind", "--as-of", AS_OF).stdout.split("致 boss@example.gov.cn")[1]
    assert "办事处（banshi）：逾期 1，即将到期 0 · 信息员：无" in summary
    assert "某村（cun）：逾期 0，即将到期 1 · 信息员：li@example.gov.cn, zhao@example.gov.cn" in summary
    untold = summary.split("无人收到提醒")[1]
    assert "办事处 · 每月5日前公开工作动态" in untold and "综合处" not in untold


def test_unit_narrows_every_digest(cli, office):
    found = digests(cli, office, "--unit", "cun")
    assert set(found) == {"li@example.gov.cn", "zhao@example.gov.cn", "boss@example.gov.cn"}
    assert all(line["unit"] == "cun" for digest in found.values() for line in digest["lines"])


def test_nothing_open_says_so(cli, office):
    result = cli(office, "remind", "--as-of", "2024-08-01", "--within", "0")
    assert result.exit_code == 0
    assert "无需提醒" in result.stdout


def test_bad_input_is_exit_2_without_traceback(cli, office):
    for args in (["--unit", "nowhere"], ["--as-of", "20241011"], ["--format", "csv"]):
        result = cli(office, "remind", *args)
        assert result.exit_code == 2, args
        assert "Traceback" not in result.stderr
