"""The 通报 as a workbook ready to print: a summary sheet (the table) and a details sheet (what to chase).

Each sheet prints landscape on A4, fitted to the page's width, its header row repeated on every
page, every cell of the table bordered; the unit's name (with the rank) stays in view when
scrolling right, deadlines are dates (or date-times) Excel and WPS sort and filter as such.
"""

from __future__ import annotations

import io
from datetime import date, datetime

from ..messages import text
from .report import (
    COLUMNS,
    COUNTS,
    Audit,
    Figures,
    change_text,
    chase_headings,
    chased_rows,
    header_lines,
    lateness_text,
    title,
)

SUMMARY_HEADER_ROW = 4  # below the title and the as-of/commit line


def workbook(report: Audit, lang: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    summary = book.active
    summary.title = text("audit.sheet-summary", lang)
    _summary_sheet(summary, report, lang)
    _details_sheet(book.create_sheet(text("audit.sheet-details", lang)), report, lang)
    book.properties.title = title(report, lang)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def summary_headings(lang: str) -> list[str]:
    return [text(f"audit.column.{key}", lang) for key in ("rank", "unit", *COLUMNS, "previous_rate", "change", "unit-id")]


def _summary_sheet(sheet, report: Audit, lang: str) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.append([title(report, lang)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([" · ".join(header_lines(report, lang))])
    sheet.append([])
    sheet.append(summary_headings(lang))
    for row in report.rows:
        now, before = row.shown(report.rolled), row.previous_shown(report.rolled)
        sheet.append([row.rank, row.unit.name, *figures(now), before.on_time_rate, change_text(now, before), row.unit.id])
        sheet.cell(sheet.max_row, 2).alignment = Alignment(indent=row.depth * 2)
    sheet.append([None, text("audit.totals", lang), *figures(report.totals), report.previous_totals.on_time_rate,
                  change_text(report.totals, report.previous_totals), None])
    for cell in (*sheet[SUMMARY_HEADER_ROW], *sheet[sheet.max_row]):
        cell.font = Font(bold=True)
    rates = (len(COLUMNS) + 2, len(COLUMNS) + 3)  # this period's rate and the previous one's
    for column in rates:
        for (cell,) in sheet.iter_rows(min_row=SUMMARY_HEADER_ROW + 1, min_col=column, max_col=column):
            cell.number_format = "0.0%"
    _finish(sheet, SUMMARY_HEADER_ROW)


def _details_sheet(sheet, report: Audit, lang: str) -> None:
    from openpyxl.styles import Font

    sheet.append([text("audit.column.unit", lang), *chase_headings(lang), text("audit.column.unit-id", lang),
                  text("audit.column.rule-id", lang)])
    for row in chased_rows(report):
        for o in row.chase:
            what = o.period or report.titles.get(o.item or "", "") or o.item
            status = text(f"status.{o.status}", lang)
            sheet.append([row.unit.name, o.rule_name, what, _naive(o.due), status, lateness_text(o, report.as_of, lang),
                          row.unit.id, o.rule])
            sheet.cell(sheet.max_row, 4).number_format = "yyyy-mm-dd hh:mm" if isinstance(o.due, datetime) else "yyyy-mm-dd"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.auto_filter.ref = f"A1:{sheet.cell(max(sheet.max_row, 1), sheet.max_column).coordinate}"
    _finish(sheet, 1)


def figures(counted: Figures) -> list:
    return [*(getattr(counted, key) for key in COUNTS), counted.on_time_rate]


def _naive(moment: date | datetime) -> date | datetime:
    """Excel has no time zones: a deadline is written as the office's wall-clock time."""
    return moment.replace(tzinfo=None) if isinstance(moment, datetime) else moment


def _finish(sheet, header_row: int) -> None:
    """Freeze the header and the unit's name, border the table, size the columns, and set up the page."""
    from openpyxl.styles import Border, Side
    from openpyxl.worksheet.page import PageMargins

    sheet.freeze_panes = sheet.cell(header_row + 1, 3 if header_row > 1 else 2).coordinate
    thin = Side(style="thin", color="808080")
    for row in sheet.iter_rows(min_row=header_row, max_row=sheet.max_row, max_col=sheet.max_column):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for column in sheet.iter_cols(min_row=header_row):
        widest = max(_display_width(cell.value) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(8, widest + 2))
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.oddFooter.center.text = "&P / &N"


def _display_width(value) -> int:
    """Columns a value takes: CJK characters are twice as wide as Latin ones; dates as they print."""
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    shown = "" if value is None else str(value)
    return sum(2 if ord(char) > 0x2E80 else 1 for char in shown)
