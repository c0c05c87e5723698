"""The 基层政务公开标准目录 layouts (docs/import.md): which row is the header (one row or two, below
any title rows), what each column holds, and each data row's cells by field — marks read, channel
boxes read, 同上 taken from the row above, title and note rows left out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .workbook import Grid

# (field, header pattern), the first that matches wins; split fields (audience.public …) are the
# columns under 公开对象 / 公开方式 / 公开层级, or those words as plain column headings.
HEADINGS: list[tuple[str, str]] = [
    ("id", r"gongkai"),  # the hidden id column of an export; an office's own 编号 is not an id
    ("seq", r"^序号$"),
    ("group", r"一级事项|事项类别|公开事项类别|^类别$"),
    ("name", r"二级事项|事项名称|^公开事项$"),
    ("content", r"公开内容|公开要素"),
    ("basis", r"公开依据|^依据$"),
    ("time_limit", r"公开时限|^时限"),
    ("subject", r"公开主体|责任主体|责任单位"),
    ("channels", r"渠道|载体"),
    ("audience.public", r"^全社会$"),
    ("audience.group", r"^特定群体$"),
    ("modes.proactive", r"^主动(公开)?$"),
    ("modes.on-request", r"^依申请(公开)?$"),
    ("levels.county", r"^县级?$"),
    ("levels.township", r"^乡(镇)?级?$"),
    ("audience", r"公开对象"),
    ("modes", r"公开方式"),
    ("levels", r"公开层级"),
    ("remark", r"备注"),
]
SPLIT_WORDS = {"audience": {"public": "全社会", "group": "特定群体"},
               "modes": {"proactive": "主动", "on-request": "依申请"},
               "levels": {"county": "县", "township": "乡"}}
MARKS = set("√✓✔●■☑✅")
BOXES = "■□☑☐"
ASSUMED_ABOVE = "同上"
HEADER_SEARCH = 15


@dataclass
class Layout:
    """Where a sheet's header is and the field of each column."""

    header_rows: list[int]
    columns: dict[int, str]

    @property
    def first_data_row(self) -> int:
        return self.header_rows[-1] + 1


@dataclass
class SheetRecord:
    """One data row of the catalog: its cells by field, the split columns read as ticked options."""

    sheet: str
    row: int  # 1-based, as the spreadsheet shows it
    values: dict[str, str] = field(default_factory=dict)
    ticked: dict[str, list[str]] = field(default_factory=dict)
    channels: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.row}"


def heading_field(label: str) -> str | None:
    text = re.sub(r"\s+", "", label)
    return next((name for name, pattern in HEADINGS if text and re.search(pattern, text)), None)


def find_layout(grid: Grid) -> Layout | None:
    """The first row among the first rows with three known headings (公开时限 or 公开内容 among
    them), and the row below it when that one holds the split headings (一级事项, 全社会, 主动 …)."""
    for row in range(min(HEADER_SEARCH, len(grid.cells))):
        columns = _columns(grid, row)
        if len(set(columns.values())) >= 3 and {"time_limit", "content"} & set(columns.values()):
            below = {col: name for col, name in _columns(grid, row + 1).items() if not grid.filled(row + 1, col)}
            if below and all("." in name or name in ("group", "name") for name in below.values()):
                columns.update(below)
                return Layout([row, row + 1], columns)
            return Layout([row], columns)
    return None


def _columns(grid: Grid, row: int) -> dict[int, str]:
    found = {}
    for col in range(grid.width()):
        name = heading_field(grid.value(row, col))
        if name is not None:
            found[col] = name
    return found


def records(grid: Grid, layout: Layout) -> list[SheetRecord]:
    """The data rows below the header: rows without 一级/二级事项 or content (notes, blank rows, a
    repeated header) are left out; 同上 takes the cell of the record above."""
    found: list[SheetRecord] = []
    for row in range(layout.first_data_row, len(grid.cells)):
        if _is_note(grid, row) or find_layout(Grid(grid.name, [grid.cells[row]])) is not None:
            continue
        record = _record(grid, layout, row, found[-1] if found else None)
        if any(record.values.get(key) for key in ("group", "name", "content")):
            found.append(record)
    return found


def _is_note(grid: Grid, row: int) -> bool:
    """A title or note row: every cell with text is one range merged across columns."""
    spans = {grid.spans.get((row, col)) for col in range(grid.width()) if grid.value(row, col)}
    return len(spans) == 1 and None not in spans and next(iter(spans))[1] != next(iter(spans))[3]


def _record(grid: Grid, layout: Layout, row: int, above: SheetRecord | None) -> SheetRecord:
    record = SheetRecord(grid.name, row + 1)
    for col, name in layout.columns.items():
        value = grid.value(row, col)
        if value == ASSUMED_ABOVE and above is not None:
            value = above.values.get(name, "")
        if "." in name:
            kind, option = name.split(".")
            if ticked(value):
                record.ticked.setdefault(kind, []).append(option)
        elif name in SPLIT_WORDS:
            record.ticked.setdefault(name, []).extend(
                option for option, word in SPLIT_WORDS[name].items() if word in value)
        else:
            record.values[name] = value
    record.channels = channels(record.values.get("channels", ""))
    return record


def ticked(value: str) -> bool:
    text = value.strip()
    return bool(MARKS & set(text)) or text in ("是", "有", "Y", "y")


def channels(value: str) -> list[str]:
    """■政府网站 □政府公报 ■公开查阅点 → the ticked ones; a plain list (、，; or line breaks) → all."""
    if any(box in value for box in BOXES):
        pairs = re.findall(rf"([{BOXES}])\s*([^{BOXES}]+)", value)
        names = [name for box, name in pairs if box in "■☑"]
    else:
        names = re.split(r"[、，,；;/\n]+", value)
    cleaned = (re.sub(r"^[\s、，,；;]+|[\s、，,；;]+$", "", name) for name in names)
    return list(dict.fromkeys(name for name in cleaned if name))
