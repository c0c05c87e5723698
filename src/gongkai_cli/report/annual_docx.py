"""The annual report as a Word document (python-docx): what offices submit and paste into their sites.

Tables are real Word tables in the official layout of report/annual_layout.py — the merged header
cells are merged cells (gridSpan / vMerge, as Word and WPS make them), the header rows repeat on
every page (tblHeader), rows never break across pages. The page header carries the office, the
year and the commit the figures come from; A4 portrait, 宋体 for Chinese text.
"""

from __future__ import annotations

import io

from ..messages import text
from .annual import AnnualReport
from .annual_layout import Grid, shown
from .annual_render import (
    SECTIONS,
    finding_lines,
    header_lines,
    office_text,
    passed,
    section_grids,
    sentences,
    title,
)

CJK_FONT = "宋体"
LATIN_FONT = "Times New Roman"


def render_docx(report: AnnualReport, lang: str) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = Document()
    _page(document, Mm, Pt)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title(report, lang))
    run.bold, run.font.size = True, Pt(18)
    meta = document.add_paragraph(" · ".join(header_lines(report, lang)))
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in meta.runs:
        line.font.size = Pt(9)
    header = document.sections[0].header.paragraphs[0]
    header.text = f"{title(report, lang)}　{header_lines(report, lang)[0]}"
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tables = section_grids(report, lang)
    for section in SECTIONS:
        _heading(document, text(f"annual.section.{section}", lang), Pt)
        own = office_text(report, section, lang)
        paragraphs = [part.strip() for part in own.split("\n") if part.strip()] if own else []
        for paragraph in paragraphs + sentences(report, section, lang):
            _body(document, paragraph, Pt)
        for grid in tables.get(section, []):
            word_table(document, grid)
            document.add_paragraph()
    _heading(document, text("annual.checks", lang), Pt)
    for line in finding_lines(report, lang) or [passed(report, lang)]:
        _body(document, line, Pt)
    document.core_properties.title = title(report, lang)
    document.core_properties.comments = header_lines(report, lang)[0]
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def word_table(document, grid: Grid):
    """One grid as a Word table: spans merged, header rows marked to repeat, number cells right-aligned."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    table = document.add_table(rows=len(grid.rows), cols=grid.columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row, column, cell in grid.placed():
        target = table.cell(row, column)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(table.cell(row + cell.rowspan - 1, column + cell.colspan - 1))
        paragraph = target.paragraphs[0]
        run = paragraph.add_run(cell.text if cell.key is None else shown(cell.value))
        run.font.size = Pt(9)
        run.bold = row < grid.head
        if cell.key is not None:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif row < grid.head:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for index, row in enumerate(table.rows):
        _row_flags(row, repeat=index < grid.head)
    return table


def _row_flags(row, repeat: bool) -> None:
    """w:cantSplit on every row; w:tblHeader on the header rows (repeated at the top of each page)."""
    from docx.oxml import OxmlElement

    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if repeat:
        properties.append(OxmlElement("w:tblHeader"))


def _page(document, Mm, Pt) -> None:
    from docx.oxml.ns import qn

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = LATIN_FONT, Pt(12)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), CJK_FONT)


def _heading(document, words: str, Pt) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.space_before = Pt(10)
    run = paragraph.add_run(words)
    run.bold, run.font.size = True, Pt(14)


def _body(document, words: str, Pt) -> None:
    paragraph = document.add_paragraph(words)
    paragraph.paragraph_format.first_line_indent = Pt(24)
