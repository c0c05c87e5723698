"""The 台账's columns: which headers name which item field, and how a cell's value becomes the
field's value (liberal: the sheet is not the repository). Import and export share this table, so
what export writes is what import reads."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

# field → (the header export writes, the other headers import knows). The machine name is always known.
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "id": ("条目编号", ("编号id", "gongkai编号")),
    "title": ("标题", ("名称", "信息名称", "文件名称", "文件标题", "信息标题", "题目")),
    "doc_number": ("文号", ("发文字号", "发文文号", "发文号")),
    "index_no": ("索引号", ()),
    "unit": ("责任单位", ("发布机构", "公开主体", "发文单位", "发布单位", "单位", "责任部门")),
    "category": ("类别", ("栏目", "公开事项", "分类", "信息类别", "事项类别")),
    "formed": ("成文日期", ("形成日期", "印发日期", "发文日期", "生成日期")),
    "disclosed": ("发布日期", ("公开日期", "公开时间", "发布时间")),
    "mode": ("公开方式", ("公开属性", "公开形式")),
    "url": ("链接", ("网址", "公开网址", "链接地址", "发布网址")),
    "channels": ("公开渠道", ("发布渠道", "公开载体")),
    "period": ("所属期间", ("期间", "所属期")),
    "filed": ("报备日期", ("备案日期",)),
    "effective": ("生效日期", ("施行日期",)),
    "repealed": ("废止日期", ("失效日期",)),
    "reason": ("不公开理由", ("理由", "不予公开理由")),
    "note": ("备注", ()),
}
IGNORED = frozenset({"序号", "行号", "no", "no."})  # row numbers: not an item field, never reported
DETAILS = "details."
DATE_FIELDS = frozenset({"formed", "disclosed", "filed", "effective", "repealed"})
DAY_ONLY = frozenset({"effective", "repealed"})  # the format allows no time of day in these

# 公开方式 as offices write it → `mode`
MODES = {"主动公开": "proactive", "主动": "proactive", "依申请公开": "on-request", "依申请": "on-request",
         "不予公开": "not-disclosed", "不公开": "not-disclosed", "无": "nil", "空": "nil"}
MODE_LABELS = {"proactive": "主动公开", "on-request": "依申请公开", "not-disclosed": "不予公开", "nil": "无"}
CHANNEL_SEPARATORS = re.compile(r"[、,，;；|]")


def normalise_header(header: Any) -> str:
    """`  发布日期（公开日期）* ` → `发布日期`: spaces, marks and a parenthesised note dropped."""
    text = re.sub(r"[\s\u3000*＊:：]", "", str(header or ""))
    return re.sub(r"[（(][^）)]*[）)]$", "", text).lower() or text.lower()


def _known_headers() -> dict[str, str]:
    known = {}
    for field, (header, others) in COLUMNS.items():
        for name in (field, header, *others):
            known[normalise_header(name)] = field
    return known


KNOWN_HEADERS = _known_headers()


def field_of(header: Any) -> str | None:
    """The field a header names (`details.KEY` kept as it is); None for an unknown header."""
    text = str(header or "").strip()
    if text.startswith(DETAILS) and len(text) > len(DETAILS):
        return text
    return KNOWN_HEADERS.get(normalise_header(text))


# Cells → values ------------------------------------------------------------------------------

DATE_TEXT = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]+(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*分?(?:\s*[:：]?\s*(\d{1,2})\s*秒?)?)?")
COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
EXCEL_EPOCH = datetime(1899, 12, 30)
EXCEL_SERIALS = range(20000, 80000)  # 1954 … 2119: a date cell a program handed over as its number


class BadDate(ValueError):
    pass


def parse_date(value: Any) -> date | datetime:
    """2024-09-05, 2024/9/5, 2024.9.5, 2024年9月5日, 20240905, an Excel date cell or serial; with
    a time of day (2024-09-05 14:30) a date-time. Midnight in a date cell is the day itself."""
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value.replace(second=0, microsecond=0)
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if int(value) in EXCEL_SERIALS:
            return parse_date(EXCEL_EPOCH + timedelta(days=float(value)))
        value = _number_text(value)
    text = str(value).strip()
    try:
        matched = DATE_TEXT.fullmatch(text)
        if matched:
            year, month, day, hour, minute, second = (int(part) if part else None for part in matched.groups())
            if hour is None:
                return date(year, month, day)
            return datetime(year, month, day, hour, minute or 0, second or 0)
        matched = COMPACT_DATE.fullmatch(text)
        if matched:
            return date(*map(int, matched.groups()))
    except ValueError:
        pass
    raise BadDate(text)


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a trailing `.0` (文号 5, not 5.0), dates in ISO."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number_text(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes") if value.time() != datetime.min.time() else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip(" \t\u3000\r\n") if value is not None else ""


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def channels_of(value: Any) -> list[str]:
    return [part.strip() for part in CHANNEL_SEPARATORS.split(cell_text(value)) if part.strip()]


def mode_of(value: Any) -> str:
    """主动公开 → proactive; a machine name as it is; anything else as written (the check names it)."""
    text = cell_text(value)
    return MODES.get(text, text)


def shown(field: str, value: Any) -> str:
    """An item's value as its cell shows it: export writes this, and import compares by it, so a
    value that looks the same in the sheet (5 and "5") is no change."""
    if isinstance(value, (list, tuple)):
        return "、".join(map(str, value))
    if field == "mode":
        return MODE_LABELS.get(str(value), str(value))
    return cell_text(value)
