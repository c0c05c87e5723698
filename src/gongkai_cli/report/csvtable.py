"""CSV as the reports write it: headers in the report's language, a BOM only where a file is written.

In English the headers are the machine names (the JSON keys, what scripts read); in Chinese they
are the names a clerk reads in Excel or WPS. Excel and WPS take a BOM-less UTF-8 file for the
local code page (mojibake), so a CSV written to a file starts with a BOM; a pipe (a program) gets
none.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence

from ..messages import text

BOM = "\ufeff"


def csv_text(columns: Sequence[str], rows: Iterable[Sequence], lang: str,
             label: Callable[[str], str] = lambda column: f"csv.{column}") -> str:
    """`columns` (machine names) headed in `lang` (`label`: the message key of a column's Chinese name)."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([text(label(column), lang) if lang == "zh" else column for column in columns])
    writer.writerows(["" if cell is None else cell for cell in row] for row in rows)
    return stream.getvalue()


def for_file(rendered: str | bytes, chosen: str) -> str | bytes:
    """What goes into a file: CSV with a BOM in front, anything else as it is."""
    return BOM + rendered if chosen == "csv" and isinstance(rendered, str) else rendered
