"""`export catalog`: the categories as the 基层政务公开标准目录 sheet, print-ready — a title row,
two header rows, 一级事项 merged over its rows, √ in the split columns, ■/□ channel boxes, one
sheet per `sheet.name`. A hidden last column keeps each row's id, so importing the export
changes nothing (docs/import.md)."""

from __future__ import annotations

import io
from pathlib import Path

from ..load import yamlio
from ..model.models import Category
from ..write.store import catalog
from .catalog_import import DEFAULT_SHEET

TITLE = "基层政务公开标准目录"
MARK = "√"
# (heading, sub-heading or None, width): one column each.
COLUMNS: list[tuple[str, str | None, int]] = [
    ("序号", None, 6), ("公开事项", "一级事项", 14), ("公开事项", "二级事项", 16), ("公开内容（要素）", None, 30),
    ("公开依据", None, 28), ("公开时限", None, 20), ("公开主体", None, 16), ("公开渠道和载体", None, 22),
    ("公开对象", "全社会", 6), ("公开对象", "特定群体", 6), ("公开方式", "主动", 6), ("公开方式", "依申请", 6),
    ("公开层级", "县级", 6), ("公开层级", "乡级", 6), ("gongkai 编号", None, 24),
]
SPLIT = {"全社会": ("audience", "public"), "特定群体": ("audience", "group"), "主动": ("modes", "proactive"),
         "依申请": ("modes", "on-request"), "县级": ("levels", "county"), "乡级": ("levels", "township")}
HEADER_ROWS = (2, 3)


def export_catalog(root: Path, output: Path) -> int:
    """Write the workbook to `output` (atomically); the number of categories written."""
    import openpyxl

    known = catalog(root)
    names = {unit.id: unit.name for unit in known.units}
    sheets: dict[str, list[Category]] = {}
    for category in known.categories:
        sheets.setdefault(category.sheet.name if category.sheet and category.sheet.name else DEFAULT_SHEET,
                          []).append(category)
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, categories in (sheets or {DEFAULT_SHEET: []}).items():
        _sheet(workbook.create_sheet(name[:31]), known.config.office, categories, names)
    buffer = io.BytesIO()
    workbook.save(buffer)
    yamlio.atomic_write(output, buffer.getvalue())
    return len(known.categories)


def row_cells(category: Category, names: dict[str, str], others: list[str]) -> list[str]:
    """The cells of one category's row (序号 and 一级事项 left to the sheet)."""
    sheet = category.sheet
    ticks = {"audience": (sheet and sheet.audience) or ([category.scope] if category.scope in ("public", "group") else []),
             "modes": (sheet and sheet.modes) or (["on-request"] if category.time_limit == "on-request" else ["proactive"]),
             "levels": (sheet and sheet.levels) or []}
    subject = (sheet and sheet.subject) or "、".join(names.get(unit, unit) for unit in category.units or [])
    boxes = [f"■{channel}" for channel in category.channels] + [f"□{channel}" for channel in others
                                                                 if channel not in category.channels]
    marks = [MARK if option in ticks[kind] else "" for kind, option in (SPLIT[sub] for _, sub, _ in COLUMNS[8:14])]
    return ["", (sheet and sheet.group) or "", category.name, category.content or "", category.basis or "",
            category.time_limit_text or "", subject, " ".join(boxes), *marks, category.id]


def _sheet(worksheet, office: str, categories: list[Category], names: dict[str, str]) -> None:
    from openpyxl.utils import get_column_letter

    channels = list(dict.fromkeys(channel for category in categories for channel in category.channels))
    last = get_column_letter(len(COLUMNS))
    worksheet.append([f"{office}{TITLE}" if office else TITLE])
    worksheet.merge_cells(f"A1:{last}1")
    _headers(worksheet)
    for number, category in enumerate(categories, 1):
        cells = row_cells(category, names, channels)
        cells[0] = str(number)
        worksheet.append(cells)
    _merge_groups(worksheet, categories)
    _style(worksheet, len(categories))


def _headers(worksheet) -> None:
    """Two header rows: a heading without sub-headings spans both; one with them spans its columns."""
    from itertools import groupby

    top, sub = HEADER_ROWS
    worksheet.append([heading for heading, _, _ in COLUMNS])
    worksheet.append([subheading or heading for heading, subheading, _ in COLUMNS])
    numbered = enumerate(COLUMNS, 1)
    for (_, split), run in groupby(numbered, key=lambda pair: (pair[1][0], pair[1][1] is not None)):
        columns = [index for index, _ in run]
        if split:
            worksheet.merge_cells(start_row=top, end_row=top, start_column=columns[0], end_column=columns[-1])
        else:
            for index in columns:
                worksheet.merge_cells(start_row=top, end_row=sub, start_column=index, end_column=index)


def _merge_groups(worksheet, categories: list[Category]) -> None:
    """一级事项 merged over each run of rows that share it."""
    first_row = HEADER_ROWS[-1] + 1
    start = 0
    for index in range(1, len(categories) + 1):
        if index == len(categories) or _group(categories[index]) != _group(categories[start]):
            if _group(categories[start]) and index - start > 1:
                worksheet.merge_cells(start_row=first_row + start, end_row=first_row + index - 1,
                                      start_column=2, end_column=2)
            start = index


def _group(category: Category) -> str:
    return (category.sheet and category.sheet.group) or ""


def _style(worksheet, count: int) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    last_row = HEADER_ROWS[-1] + count
    worksheet["A1"].font = Font(name="宋体", size=16, bold=True)
    worksheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    worksheet.row_dimensions[1].height = 30
    for row in worksheet.iter_rows(min_row=HEADER_ROWS[0], max_row=last_row, max_col=len(COLUMNS)):
        for cell in row:
            header = cell.row in HEADER_ROWS
            centred = header or cell.column in (1, 2) or 9 <= cell.column <= 14
            cell.border = border
            cell.font = Font(name="宋体", size=10, bold=header)
            cell.alignment = Alignment(horizontal="center" if centred else "left", vertical="center", wrap_text=True)
    for index, (_, _, width) in enumerate(COLUMNS, 1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    worksheet.column_dimensions[get_column_letter(len(COLUMNS))].hidden = True  # the ids, for the round trip
    worksheet.freeze_panes = f"C{HEADER_ROWS[-1] + 1}"
    worksheet.print_title_rows = f"{HEADER_ROWS[0]}:{HEADER_ROWS[-1]}"
    worksheet.print_area = f"A1:{get_column_letter(len(COLUMNS) - 1)}{max(last_row, HEADER_ROWS[-1])}"
    setup = worksheet.page_setup
    setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight = "landscape", 9, 1, 0
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    worksheet.print_options.horizontalCentered = True
