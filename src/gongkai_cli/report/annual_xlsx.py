"""The annual report as a workbook (openpyxl): one sheet per table, print-ready, and read back.

Sheets 表二 (its sub-tables one below the other), 表三, 表四, then the checks. Each table is laid out
as printed (report/annual_layout.py): merged two-level headers, the printed row labels, every cell
bordered; the sheet prints landscape on A4 fitted to the page's width with its header rows
repeated on every page. An office may fill in or correct the numbers and give the file back to
`annual-report --check FILE.xlsx`: `read_xlsx` finds every number cell where `render_xlsx` put it
(the same placements), and the year, format, office, unit and commit in the workbook's custom
properties.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import UsageProblem
from ..messages import text
from .annual import AnnualReport
from .annual_layout import Grid, grids
from .annual_render import header_lines, title

TOP = 4  # the first row of a sheet's first table: below the title, the header line and a blank row
SHEETS = ("table2", "table3", "table4")
PROPERTIES = ("year", "format", "office", "unit", "commit")
PREFIX = "gongkai-"


def placements(document: dict[str, Any], lang: str) -> Iterator[tuple[int, Grid, int]]:
    """(sheet index, grid, first row) of every table: table 二's sub-tables stacked with a blank row
    between them on sheet 0, table 三 on sheet 1, table 四 on sheet 2."""
    found = grids(document, lang)
    top = TOP
    for grid in found[:-2]:
        yield 0, grid, top
        top += len(grid.rows) + 1
    yield 1, found[-2], TOP
    yield 2, found[-1], TOP


def render_xlsx(report: AnnualReport, lang: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty

    book = Workbook()
    sheets = [book.active, *(book.create_sheet() for _ in SHEETS[1:])]
    heading = title(report, lang)
    for sheet, key in zip(sheets, SHEETS):
        sheet.title = text(f"annual.sheet.{key}", lang)
        _title_rows(sheet, heading, " · ".join(header_lines(report, lang)))
    for index, grid, top in placements(report.document, lang):
        write_grid(sheets[index], grid, top)
    for index, sheet in enumerate(sheets):
        heads = [(grid, top) for at, grid, top in placements(report.document, lang) if at == index]
        _page_setup(sheet, heads[0] if len(heads) == 1 else None)
    _findings_sheet(book.create_sheet(text("annual.sheet.findings", lang)), report, lang)
    book.properties.title = heading
    for name in PROPERTIES:
        value = report.document.get(name)
        book.custom_doc_props.append(StringProperty(name=PREFIX + name, value="" if value is None else str(value)))
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _title_rows(sheet, heading: str, meta: str) -> None:
    from openpyxl.styles import Font

    sheet.append([heading])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([meta])
    sheet["A2"].font = Font(size=9, color="555555")


def write_grid(sheet, grid: Grid, top: int) -> None:
    """The grid's cells from row `top`, spans merged, every cell of the table bordered."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    shaded = PatternFill("solid", fgColor="F2F2F2")
    for row in range(top, top + len(grid.rows)):
        for column in range(1, grid.columns + 1):
            sheet.cell(row, column).border = border
    for row, column, cell in grid.placed():
        target = sheet.cell(top + row, 1 + column)
        if cell.key is None:
            target.value = cell.text
            target.alignment = Alignment(wrap_text=True, vertical="center",
                                         horizontal="center" if row < grid.head else "left")
            if row < grid.head:
                target.font, target.fill = Font(bold=True), shaded
        else:
            target.value = cell.value
            target.alignment = Alignment(horizontal="right", vertical="center")
            target.number_format = "0.00" if isinstance(cell.value, float) else "0"
        if cell.rowspan > 1 or cell.colspan > 1:
            sheet.merge_cells(start_row=top + row, start_column=1 + column,
                              end_row=top + row + cell.rowspan - 1, end_column=column + cell.colspan)
    _widths(sheet, grid)


def _widths(sheet, grid: Grid) -> None:
    """A column as wide as its widest single-column text (CJK counted double), 8 to 44."""
    from openpyxl.utils import get_column_letter

    for column in range(grid.columns):
        texts = [cell.text for _, at, cell in grid.placed() if at == column and cell.colspan == 1 and cell.key is None]
        widest = max((sum(2 if ord(char) > 0x2E80 else 1 for char in words) for words in texts), default=0)
        letter = get_column_letter(column + 1)
        width = min(44, max(8, widest + 2))
        sheet.column_dimensions[letter].width = max(sheet.column_dimensions[letter].width or 0, width)


def _page_setup(sheet, head: tuple[Grid, int] | None) -> None:
    """Landscape A4 fitted to the width; a single table's header rows repeated on every page."""
    from openpyxl.worksheet.page import PageMargins

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if head is not None:
        grid, top = head
        sheet.print_title_rows = f"{top}:{top + grid.head - 1}"
        sheet.freeze_panes = sheet.cell(top + grid.head, 1 + grid.label_columns).coordinate
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.oddFooter.center.text = "&P / &N"


def _findings_sheet(sheet, report: AnnualReport, lang: str) -> None:
    from openpyxl.styles import Font

    columns = ("severity", "finding-table", "finding-row", "finding-column", "finding-message")
    sheet.append([text(f"annual.column.{key}", lang) for key in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for finding in report.findings:
        sheet.append([finding.severity, finding.table, finding.row, finding.column, finding.message(lang)])
    for letter, width in zip("ABCDE", (10, 6, 26, 16, 90)):
        sheet.column_dimensions[letter].width = width


# Read back -------------------------------------------------------------------------------------


def read_xlsx(path: Path) -> dict[str, Any]:
    """The JSON shape of a workbook `render_xlsx` wrote, with the numbers as they are now in it."""
    from openpyxl import load_workbook

    book = load_workbook(path, data_only=True)
    properties = {prop.name[len(PREFIX):]: prop.value for prop in book.custom_doc_props.props
                  if prop.name.startswith(PREFIX)}
    if "format" not in properties or len(book.worksheets) < len(SHEETS):
        raise UsageProblem("error.annual-not-ours", path=path)
    document: dict[str, Any] = {name: properties.get(name) or None for name in PROPERTIES}
    document["year"] = int(properties["year"]) if str(properties.get("year", "")).isdigit() else None
    for table in SHEETS:
        document[table] = {}
    for index, grid, top in placements(document, "zh"):
        sheet = book.worksheets[index]
        for row, column, cell in grid.placed():
            if cell.key is None:
                continue
            table, name, part = cell.key
            value = _number(sheet.cell(top + row, 1 + column).value)
            if part is None:
                document[table][name] = value
            else:
                document[table].setdefault(name, {})[part] = value
    return document


def _number(value: Any) -> Any:
    """A cell as the checks read it: a number, None for a blank, else the text as typed (a finding)."""
    if isinstance(value, str):
        stripped = value.strip().replace(",", "")
        if not stripped:
            return None
        try:
            return int(stripped)
        except ValueError:
            try:
                return float(stripped)
            except ValueError:
                return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
