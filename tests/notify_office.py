"""The office `remind` and `calendar` are tested on: three clerks over three units (a village under its
township), one admin, periodic, day-counted and hour-counted deadlines."""

from __future__ import annotations

from pathlib import Path

from conftest import CATEGORIES, item, make_repo

CONFIG = "office: 测试办公室\ntimezone: Asia/Shanghai\ncalendar: cn\nlanguage: zh\nadmins: [boss@example.gov.cn]\n"
UNITS = """\
- id: zonghe
  name: 综合处
  kind: department
  clerks: [wang@example.gov.cn]
- id: xiang
  name: 某乡
  kind: township
  clerks: [li@example.gov.cn]
- id: cun
  name: 某村
  kind: village
  parent: xiang
  clerks: [zhao@example.gov.cn]
- id: banshi
  name: 办事处
  kind: institution
"""
RULES = """\
- id: monthly-5th
  name: 每月5日前公开工作动态
  category: interpretations
  units: [zonghe, banshi]
  every: month
  due: {from: end, months: 0, day: 5}
  active: {from: 2024-09-01, until: 2024-10-31}
- id: policy-5d
  name: 5日内公开规范性文件
  category: policy-docs
  within: {days: 5}
- id: news-24h
  name: 24小时内发布动态
  category: work-news
  within: {hours: 24}
"""
AS_OF = "2024-10-11"  # a Friday; 2024-10-01..07 is the National Day holiday


def notify_office(root: Path, config: str = CONFIG) -> Path:
    files = {"gongkai.yaml": config, "catalog/units.yaml": UNITS, "catalog/categories.yaml": CATEGORIES,
             "rules/rules.yaml": RULES}
    files.update([
        item("2024-zonghe-pol1", formed="2024-10-09"),
        item("2024-xiang-pol1", unit="xiang", formed="2024-09-20"),
        item("2024-cun-news1", unit="cun", category="work-news", formed="2024-10-11T09:00"),
        item("2024-zonghe-done", formed="2024-10-08", disclosed="2024-10-09"),
    ])
    return make_repo(root, files)
