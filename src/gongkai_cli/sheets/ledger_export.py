"""`export items`: the items as the office's 台账 (xlsx, or CSV with a BOM for Excel and WPS), in the
columns `import items` reads, so importing the export changes nothing."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import UsageProblem
from ..load.load import Snapshot, load_repository
from ..model.models import Item, day_of
from ..report.csvtable import BOM
from ..report.report import save
from ..schedule.schedule import descendants
from .ledger_columns import COLUMNS, DATE_FIELDS, DETAILS, shown


def export_items(root: Path, output: Path, year: int | None = None, unit: str | None = None, lang: str = "zh") -> int:
    """Write the ledger of the items formed in `year` (all years) of `unit` and below (all units)
    to `output` (.xlsx or .csv); the number of rows."""
    kind = output.suffix.lower()
    if kind not in (".xlsx", ".csv"):
        raise UsageProblem("error.export-kind", path=output)
    snapshot, _ = load_repository(root)
    if unit is not None and unit not in snapshot.unit_by_id:
        raise UsageProblem("error.unknown-unit", value=unit)
    units = descendants(snapshot, unit) if unit is not None else None
    items = sorted((item for item in snapshot.items
                    if (year is None or day_of(item.formed).year == year) and (units is None or item.unit in units)),
                   key=lambda item: (day_of(item.formed), item.id))
    fields, rows = ledger_rows(snapshot, items)
    headers = [_header(field, lang) for field in fields]
    save(output, _xlsx(headers, rows, fields) if kind == ".xlsx" else BOM + _csv(headers, rows))
    return len(rows)


def ledger_rows(snapshot: Snapshot, items: list[Item]) -> tuple[list[str], list[list[Any]]]:
    """The columns (fields, then the `details.KEY` the items use) and one row of values per item."""
    details = list(dict.fromkeys(key for item in items for key in item.details))
    fields = [*COLUMNS, *(DETAILS + key for key in details)]
    units, categories = _names(snapshot.units), _names(snapshot.categories)
    rows = []
    for item in items:
        values = {name: getattr(item, name) for name in COLUMNS}
        values["unit"] = units.get(item.unit, item.unit)
        values["category"] = categories.get(item.category, item.category)
        values.update({DETAILS + key: value for key, value in item.details.items()})
        rows.append([_cell(name, values.get(name)) for name in fields])
    return fields, rows


def _names(objects: list) -> dict[str, str]:
    """id → name, for the names that name one object only (others are written as their ids)."""
    count: dict[str, int] = {}
    for obj in objects:
        count[obj.name] = count.get(obj.name, 0) + 1
    return {obj.id: obj.name for obj in objects if count[obj.name] == 1}


def _cell(name: str, value: Any) -> Any:
    """Dates stay dates (date cells in xlsx); everything else as the sheet shows it."""
    if value is None or value == []:
        return None
    if name in DATE_FIELDS and isinstance(value, (date, datetime)):
        return value
    return shown(name, value)


def _header(name: str, lang: str) -> str:
    if name in COLUMNS:
        return COLUMNS[name][0] if lang == "zh" else name
    return name


def _csv(headers: list[str], rows: list[list[Any]]) -> str:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([shown("", cell) if cell is not None else "" for cell in row] for row in rows)
    return stream.getvalue()


def _xlsx(headers: list[str], rows: list[list[Any]], fields: list[str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "台账"
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index, name in enumerate(fields, 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 40 if name in ("title", "url") else 16
        if name in DATE_FIELDS:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "yyyy-mm-dd hh:mm" if isinstance(cell.value, datetime) else "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
