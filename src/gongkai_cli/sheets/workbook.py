"""A workbook as grids of cell text: every sheet of an .xlsx (merged cells filled, with where each
merge spans) or a CSV file. The catalog's layouts are read from these grids (catalog_layout.py)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import UsageProblem
from .tabular import csv_rows, refuse_large


@dataclass
class Grid:
    """One sheet: `cells[row][col]` as text ('' for empty), 0-based; a merged range's value is in
    each of its cells, and `spans` maps every such cell to its range (top, left, bottom, right)."""

    name: str
    cells: list[list[str]]
    spans: dict[tuple[int, int], tuple[int, int, int, int]] = field(default_factory=dict)

    def value(self, row: int, col: int) -> str:
        cells = self.cells[row] if row < len(self.cells) else []
        return cells[col] if col < len(cells) else ""

    def filled(self, row: int, col: int) -> bool:
        """Whether the cell only repeats a merged range's value from above or from the left."""
        span = self.spans.get((row, col))
        return span is not None and (span[0], span[1]) != (row, col)

    def width(self) -> int:
        return max((len(cells) for cells in self.cells), default=0)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if not value.time() else value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_grids(path: Path, sheet: str | None = None) -> list[Grid]:
    """Every sheet of the workbook (or only `sheet`), or the CSV file as one grid named for the file."""
    if not path.is_file():
        raise UsageProblem("catalog.no-file", path=path)
    if path.suffix.lower() == ".csv":
        return [Grid(path.stem, _csv_cells(path))]
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UsageProblem("error.sheet-kind", path=path)
    return _xlsx_grids(path, sheet)


def _xlsx_grids(path: Path, sheet: str | None) -> list[Grid]:
    import openpyxl

    refuse_large(path)
    try:
        workbook = openpyxl.load_workbook(path, data_only=True)  # not read-only: merged ranges are wanted
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UsageProblem("error.sheet-unreadable", path=path, detail=error) from None
    names = workbook.sheetnames
    if sheet is not None and sheet not in names:
        raise UsageProblem("error.unknown-sheet", sheet=sheet, sheets="、".join(names))
    return [_grid(workbook[name]) for name in ([sheet] if sheet is not None else names)]


def _grid(worksheet) -> Grid:
    cells = [[cell_text(value) for value in row] for row in worksheet.iter_rows(values_only=True)]
    grid = Grid(worksheet.title, cells)
    for merged in worksheet.merged_cells.ranges:
        top, left, bottom, right = merged.min_row - 1, merged.min_col - 1, merged.max_row - 1, merged.max_col - 1
        value = grid.value(top, left)
        for row in range(top, min(bottom, len(cells) - 1) + 1):
            cells[row].extend([""] * (right + 1 - len(cells[row])))
            for col in range(left, right + 1):
                cells[row][col] = value
                grid.spans[(row, col)] = (top, left, bottom, right)
    return grid


def _csv_cells(path: Path) -> list[list[str]]:
    return [[cell.strip() for cell in row] for _, row in csv_rows(path)]
