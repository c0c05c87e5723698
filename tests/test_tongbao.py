"""The 通报 as an office writes it: rank, 环比 with the previous period's figures, generated text from an
editable template, 落款, names not ids, a short commit, the roll-up note only where it applies."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from conftest import PROJECT, git, item, make_repo, write_files

from gongkai_cli.setup.init import init_repository

XICHUAN = ("--quarter", "2018Q1", "--as-of", "2018-04-20")
S0 = ("--quarter", "2018Q3", "--as-of", "2018-10-15")


@pytest.fixture(scope="module")
def xichuan(tmp_path_factory) -> Path:
    return init_repository(tmp_path_factory.mktemp("tongbao") / "xichuan", "xichuan")


def audit(cli, root: Path, *args: str) -> str:
    result = cli(root, "audit", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_json_carries_rank_and_the_previous_periods_figures(cli, xichuan):
    document = json.loads(audit(cli, xichuan, *XICHUAN, "--format", "json"))
    assert document["previous"]["period"] == "2017Q4"
    assert document["previous"]["totals"]["due"] == 7  # the 2017Q4 report's totals (tests/golden)
    units = {unit["unit"]: unit for unit in document["units"]}
    assert units["shuanghe"]["previous"]["rollup"]["due"] == 1
    ranked = sorted((unit["rank"], unit["rollup"]["on_time_rate"]) for unit in document["units"]
                    if unit["rank"] and unit["parent"] is None)
    assert ranked[0][0] == 1 and all(a[1] > b[1] for a, b in itertools.pairwise(ranked) if a[0] < b[0])
    assert all(unit["rank"] is None for unit in document["units"] if unit["rollup"]["on_time_rate"] is None)
    assert len(document["commit"]) == 40


def test_equal_rates_share_a_rank_among_units_of_the_same_level(cli, tmp_path):
    rules = "id: r\nname: 二十日\ncategory: policy-docs\nwithin: {days: 20}\n"
    items = dict([item("2024-zonghe-aaaa", disclosed="2024-09-24"), item("2024-xiang-aaaa", unit="xiang", disclosed="2024-09-24"),
                  item("2024-cun-aaaa", unit="cun", disclosed="2024-09-25")])
    root = make_repo(tmp_path / "office", {"rules/r.yaml": rules, **items})
    units = {u["unit"]: u for u in json.loads(audit(cli, root, "--quarter", "2024Q4", "--as-of", "2024-12-31",
                                                    "--format", "json"))["units"]}
    assert units["zonghe"]["rank"] == units["xiang"]["rank"] == 1  # both 100 %: a shared first place
    assert units["cun"]["rank"] == 1  # alone among the villages


def test_md_has_rank_previous_rate_and_change_columns(cli, xichuan):
    shown = audit(cli, xichuan, *XICHUAN, "--format", "md")
    header = next(line for line in shown.splitlines() if line.startswith("| 名次"))
    assert "上期按时率" in header and "环比" in header
    row = next(line for line in shown.splitlines() if "| 香花镇人民政府 |" in line)
    assert "33.3%" in row  # 2017Q4: 1 of 3 on time


def test_generated_text_says_overall_problems_by_unit_and_what_to_fix(cli, xichuan):
    shown = audit(cli, xichuan, *XICHUAN, "--format", "md")
    for heading in ("一、总体情况", "二、存在问题", "三、整改要求"):
        assert f"## {heading}" in shown
    overall = shown.split("一、总体情况")[1].split("## ")[0]
    assert "应公开 19 项" in overall and "2017年第四季度" in overall
    problems = shown.split("二、存在问题")[1].split("## 三")[0]
    assert "香花镇人民政府" in problems


def test_the_office_edits_the_text_in_its_repository(cli, tmp_path):
    root = init_repository(tmp_path / "xichuan", "xichuan")
    write_files(root, {"templates/audit-text.zh.md.j2": "## 一、总体情况\n\n本办自拟：应公开 {{ totals.due }} 项。\n"})
    shown = audit(cli, root, *XICHUAN, "--format", "md")
    assert "本办自拟：应公开 19 项。" in shown and "二、存在问题" not in shown


def test_a_broken_template_is_a_message_with_its_line(cli, tmp_path):
    root = init_repository(tmp_path / "xichuan", "xichuan")
    write_files(root, {"templates/audit-text.zh.md.j2": "## 一\n\n{% if %}\n"})
    result = cli(root, "audit", *XICHUAN, "--format", "md")
    assert result.exit_code == 2 and "audit-text.zh.md.j2:3" in result.stderr and "Traceback" not in result.stderr


def test_the_text_ends_with_the_office_and_the_date_before_the_list_to_chase(cli, xichuan):
    shown = audit(cli, xichuan, *XICHUAN, "--format", "md").split("## 督办清单")[0].rstrip().splitlines()
    assert shown[-2:] == ["淅川县人民政府办公室", "2018年4月20日"]


def test_leadership_views_show_names_not_ids_and_a_short_commit(cli, xichuan):
    head = git(xichuan, "rev-parse", "HEAD").strip()
    for output_format in ("md", "html", "table"):
        shown = audit(cli, xichuan, *XICHUAN, "--format", output_format)
        assert "（shuanghe）" not in shown and "xianghua" not in shown.replace('data-unit="xianghua"', "")
        assert head not in shown and head[:8] in shown


def test_roll_up_note_only_when_some_unit_has_subordinates(cli, xichuan):
    assert "数字含下级单位" in audit(cli, xichuan, *XICHUAN, "--format", "md")
    flat = audit(cli, PROJECT, *S0, "--format", "md")
    assert "数字含下级单位" not in flat and "数字仅含本级" not in flat


def test_late_by_hours_says_hours_never_zero_days(cli):
    shown = audit(cli, PROJECT, *S0, "--format", "md")
    chased = [line for line in shown.splitlines() if "逾期公开（" in line]
    assert chased and not any(re.search(r"\| 0 (天 )?\|$", line) for line in chased)
    assert any(line.endswith("| 1.5 小时 |") for line in chased)  # 15:00 due, disclosed 16:30


def test_items_in_the_list_to_chase_are_named_by_title(cli):
    shown = audit(cli, PROJECT, *S0, "--format", "md")
    assert "关于国家脱贫攻坚督查巡查发现问题整改情况的公告" in shown and "2018-zonghe-izki" not in shown


@pytest.mark.skipif(__import__("shutil").which("chromium") is None, reason="chromium is not installed")
def test_audit_writes_a_pdf(cli, tmp_path):
    from pypdf import PdfReader

    target = tmp_path / "通报.pdf"
    result = cli(PROJECT, "audit", *S0, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    reader = PdfReader(str(target))
    assert len(reader.pages) >= 1 and "通报" in "".join(page.extract_text() for page in reader.pages)
