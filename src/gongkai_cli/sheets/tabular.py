"""A sheet as rows of cells: an .xlsx worksheet (openpyxl) or a CSV file (UTF-8 with or without a
BOM, or GBK/GB18030 as older Excel and WPS save it), with the header row found below any title rows."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageProblem
from ..load import yamlio

HEADER_SEARCH = 20  # rows a header may sit below the title rows
MAX_SHEET_BYTES = 200 * 1024 * 1024


@dataclass
class Table:
    name: str  # the file as the person named it, for FILE:ROW:COLUMN
    sheet: str | None
    header_row: int
    headers: list[Any]  # one per column, A first
    rows: list[tuple[int, list[Any]]]  # (row number as the sheet shows it, cells aligned with headers)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as a spreadsheet names it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_table(path: Path, sheet: str | None, is_header: Callable[[list[Any]], bool]) -> Table:
    """The first sheet (or `sheet`) with a row `is_header` accepts among its first rows; every
    non-empty row below it."""
    if path.suffix.lower() == ".csv":
        return _table(str(path), None, csv_rows(path), is_header)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UsageProblem("error.sheet-kind", path=path)
    return _xlsx_table(path, sheet, is_header)


def _xlsx_table(path: Path, sheet: str | None, is_header: Callable[[list[Any]], bool]) -> Table:
    import openpyxl

    try:
        refuse_large(path)
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise UsageProblem("error.sheet-unreadable", path=path, detail=error) from None
    try:
        names = workbook.sheetnames
        if sheet is not None and sheet not in names:
            raise UsageProblem("error.unknown-sheet", sheet=sheet, sheets="、".join(names))
        for name in [sheet] if sheet is not None else names:
            rows = workbook[name].iter_rows(values_only=True)
            table = _table(str(path), name, ((number, list(row)) for number, row in enumerate(rows, 1)), is_header)
            if table.header_row:
                return table
        raise UsageProblem("error.no-header", path=path)
    finally:
        workbook.close()


def refuse_large(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_SHEET_BYTES:
        raise UsageProblem("error.sheet-unreadable", path=path, detail=f"{size} bytes")


def csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    data = yamlio.read_bounded(path, MAX_SHEET_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise UsageProblem("error.sheet-encoding", path=path) from None
    return ((number, row) for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), 1))


def _table(name: str, sheet: str | None, rows: Iterable[tuple[int, list[Any]]],
           is_header: Callable[[list[Any]], bool]) -> Table:
    table = Table(name, sheet, 0, [], [])
    for number, cells in rows:
        if not table.header_row:
            if number > HEADER_SEARCH:
                break
            if is_header(cells):
                table.header_row, table.headers = number, _trimmed(cells)
            continue
        if any(cell not in (None, "") and str(cell).strip() for cell in cells):
            width = len(table.headers)
            table.rows.append((number, (list(cells) + [None] * width)[:width]))
    if not table.header_row and sheet is None:
        raise UsageProblem("error.no-header", path=name)
    return table


def _trimmed(cells: list[Any]) -> list[Any]:
    """The header without the empty cells after its last heading."""
    while cells and cells[-1] in (None, ""):
        cells = cells[:-1]
    return list(cells)
