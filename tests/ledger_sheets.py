"""台账 as offices keep them, generated: a title row, a 序号 column, headers in one office's words,
dates typed every way people type them, units and categories by name. Seeded, so reproducible.
Used by the tests and by bench/ledger.py (thousands of rows)."""

from __future__ import annotations

import csv
import random
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

UNITS = [("zonghe", "综合处"), ("xiang", "某乡"), ("cun", "某村")]
CATEGORIES = [("policy-docs", "规范性文件类"), ("interpretations", "政策解读"), ("work-news", "工作动态")]
HEADERS = ["序号", "信息名称", "发文字号", "索引号", "发布机构", "栏目", "成文日期", "公开日期", "公开方式", "网址", "公开渠道"]
TITLE_ROW = "某县人民政府办公室政府信息公开台账（2024年度）"
SUBJECTS = ["城乡居民医疗保险", "农村危房改造", "高标准农田建设", "义务教育阶段学生资助", "安全生产检查",
            "防汛抗旱", "优化营商环境", "耕地保护", "城镇老旧小区改造", "最低生活保障"]
KINDS = ["关于印发《某县{}实施办法》的通知", "关于做好{}工作的通知", "《某县{}管理办法》政策解读", "某县召开{}工作推进会"]


def date_text(day: date, style: int) -> Any:
    """One day as one of the ways a clerk types it (or as an Excel date cell)."""
    return [day, day.isoformat(), f"{day.year}/{day.month}/{day.day}", f"{day.year}年{day.month}月{day.day}日",
            f"{day.year}.{day.month}.{day.day}", datetime(day.year, day.month, day.day)][style % 6]


def ledger_rows(count: int, seed: int = 7, units: list[tuple[str, str]] = UNITS,
                categories: list[tuple[str, str]] = CATEGORIES) -> list[list[Any]]:
    """`count` rows under HEADERS; every row valid for the fixture catalog (tests/conftest.py)."""
    rng = random.Random(seed)
    rows = []
    start = date(2024, 1, 2)
    for number in range(1, count + 1):
        _, unit = rng.choice(units)
        category_id, category = categories[number % len(categories)]
        formed = start + timedelta(days=rng.randrange(360))
        disclosed = formed + timedelta(days=rng.randrange(1, 20))
        subject = rng.choice(SUBJECTS)
        title = KINDS[number % len(KINDS)].format(subject) + f"（第{number}号）"
        doc_number = f"某政办发〔{formed.year}〕{number}号" if category_id == "policy-docs" else ""
        rows.append([number, title, doc_number, f"11510000-{formed.year}-{number:05d}", unit, category,
                     date_text(formed, number), date_text(disclosed, number + 1), "主动公开",
                     f"http://www.example.gov.cn/xxgk/{formed.year}/{number}.html",
                     rng.choice(["政府网站", "政府网站、政务公开栏", "政府网站，政府公报"])])
    return rows


def write_xlsx(path: Path, rows: list[list[Any]], headers: list[str] = HEADERS, title: str | None = TITLE_ROW) -> Path:
    """A workbook as an office saves it: a title row (merged across the table) above the header."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "2024年"
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, (date, datetime)):
                cell.number_format = "yyyy-mm-dd"
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list[Any]], headers: list[str] = HEADERS, encoding: str = "utf-8-sig") -> Path:
    with open(path, "w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(headers)
        writer.writerows([cell.strftime("%Y-%m-%d") if isinstance(cell, (date, datetime)) else cell for cell in row] for row in rows)
    return path
