"""The annual report as json, text (the findings), md and html; docx and xlsx in their own modules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from ..errors import UsageProblem
from ..messages import text
from .annual import AnnualReport, as_json
from .annual_layout import Grid, grids, shown

SECTIONS = ("overview", "proactive", "requests", "appeals", "problems", "other")
OFFICE_TEXT = ("overview", "problems", "other")


def render_json(report: AnnualReport, lang: str) -> str:
    return json.dumps(as_json(report, lang), ensure_ascii=False, indent=2) + "\n"


def finding_lines(report: AnnualReport, lang: str) -> list[str]:
    """`severity: code: message` per finding (the message names table, row and column)."""
    return [f"{finding.severity}: {finding.code}: {finding.message(lang)}" for finding in report.findings]


def render_text(report: AnnualReport, lang: str) -> str:
    return "\n".join(finding_lines(report, lang) or [passed(report, lang)]) + "\n"


def passed(report: AnnualReport, lang: str) -> str:
    return text("annual.checks-passed", lang, previous=text("annual.checks-previous", lang) if report.compared else "")


def title(report: AnnualReport, lang: str) -> str:
    if report.unit_name:
        return text("annual.unit-title", lang, unit=report.unit_name, year=report.year)
    return text("annual.title", lang, office=report.document.get("office") or "", year=report.year)


def header_lines(report: AnnualReport, lang: str) -> list[str]:
    commit = report.document.get("commit") or text("annual.no-commit", lang)
    lines = [text("annual.commit", lang, commit=commit + (text("annual.uncommitted", lang) if report.dirty else ""))]
    if report.as_of is not None:
        lines.append(text("annual.as-of", lang, as_of=report.as_of))
    lines.append(text(f"annual.format-{report.format}", lang, year=report.year))
    return lines


def sentences(report: AnnualReport, section: str, lang: str) -> list[str]:
    """The sentences gongkai adds to a section, computed from the tables."""
    document = report.document
    if section == "proactive" and report.as_of is not None:
        count = sum(report.counted.values())
        if not count:
            return [text("annual.sentence.none", lang, year=report.year)]
        parts = "、".join(text("annual.sentence.part", lang, name=name, count=number)
                          for name, number in report.counted.items())
        return [text("annual.sentence.proactive", lang, year=report.year, count=count,
                     parts=parts if lang == "zh" else parts.replace("、", ", "))]
    if section == "requests":
        totals = {row: shown((document.get("table3", {}).get(row) or {}).get("total"))
                  for row in ("new_received", "carried_over", "total", "carried_forward")}
        return [text("annual.sentence.requests", lang, received=totals["new_received"], carried_over=totals["carried_over"],
                     total=totals["total"], carried_forward=totals["carried_forward"])]
    if section == "appeals":
        table4 = document.get("table4", {})
        total = lambda group: (table4.get(group) or {}).get("total") or 0  # noqa: E731
        return [text("annual.sentence.appeals", lang, review=shown(total("review")),
                     lawsuit=shown(total("lawsuit") + total("lawsuit-after-review")))]
    return []


def office_text(report: AnnualReport, section: str, lang: str) -> str | None:
    """The office's own text of a section; a note saying where it goes when it is not written."""
    if section not in OFFICE_TEXT:
        return None
    written = (report.text or {}).get(section)
    return written.strip() if written else text("annual.no-text", lang, year=report.year, key=section)


def section_grids(report: AnnualReport, lang: str) -> dict[str, list[Grid]]:
    found = grids(report.document, lang)
    return {"proactive": found[:-2], "requests": [found[-2]], "appeals": [found[-1]]}


# md ---------------------------------------------------------------------------------------------


def render_md(report: AnnualReport, lang: str) -> str:
    lines = [f"# {title(report, lang)}", "", *(f"- {line}" for line in header_lines(report, lang)), ""]
    tables = section_grids(report, lang)
    for section in SECTIONS:
        lines += [f"## {text(f'annual.section.{section}', lang)}", ""]
        own = office_text(report, section, lang)
        if own:
            lines += [own, ""]
        lines += [*sentences(report, section, lang), ""] if sentences(report, section, lang) else []
        for grid in tables.get(section, []):
            lines += md_grid(grid) + [""]
    lines += [f"## {text('annual.checks', lang)}", ""]
    lines += [f"- {line}" for line in finding_lines(report, lang)] or [passed(report, lang)]
    return "\n".join(lines) + "\n"


def md_grid(grid: Grid) -> list[str]:
    """A pipe table: Markdown has one header row and no merged cells, so the header rows are joined
    per column (法人或其他组织 · 商业企业) and the row labels of the merged label columns per row."""
    matrix: dict[tuple[int, int], str] = {}
    for row, column, cell in grid.placed():
        for down in range(cell.rowspan):
            for across in range(cell.colspan):
                matrix[row + down, column + across] = cell.text if cell.key is None else shown(cell.value)
    labels = grid.label_columns
    caption, first = [], 0
    if len(grid.rows[0]) == 1 and grid.rows[0][0].colspan == grid.columns:  # 第二十条第（x）项 over the whole table
        caption, first = [f"**{grid.rows[0][0].text}**", ""], 1
    heading = [_joined(matrix.get((row, column), "") for row in range(first, grid.head)) for column in range(grid.columns)]
    heading = [_joined(heading[:labels])] + heading[labels:] if labels else heading
    body = []
    for row in range(grid.head, len(grid.rows)):
        cells = [matrix.get((row, column), "") for column in range(grid.columns)]
        body.append([_joined(cells[:labels])] + cells[labels:] if labels else cells)
    aligns = ["---"] * (1 if labels else 0) + ["---:"] * (len(heading) - (1 if labels else 0))
    return caption + ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"
                      for row in (heading, aligns, *body)]


def _joined(parts) -> str:
    unique: list[str] = []
    for part in parts:
        if part and part not in unique:
            unique.append(part)
    return " · ".join(unique)


# html ---------------------------------------------------------------------------------------------


def render_html(report: AnnualReport, lang: str) -> str:
    """One self-contained printable page (A4): each table's header rows in `thead`, repeated by the
    browser on every printed page; rows never split across pages."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(loader=PackageLoader("gongkai_cli", "templates"), autoescape=True,
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return environment.get_template("annual.html.j2").render(
        lang=lang, title=title(report, lang), header_lines=header_lines(report, lang), sections=SECTIONS,
        tables=section_grids(report, lang), office_text=lambda section: office_text(report, section, lang),
        sentences=lambda section: sentences(report, section, lang), findings=report.findings,
        passed=passed(report, lang), shown=shown, t=lambda key, **args: text(key, lang, **args),
        message=lambda finding: finding.message(lang),
    )


def render_docx(report: AnnualReport, lang: str) -> bytes:
    from .annual_docx import render_docx as render

    return render(report, lang)


def render_xlsx(report: AnnualReport, lang: str) -> bytes:
    from .annual_xlsx import render_xlsx as render

    return render(report, lang)


def render_pdf(report: AnnualReport, lang: str) -> bytes:
    """The html page printed by headless Chromium, as audit's PDF is (report/pdf.py)."""
    from .pdf import html_to_pdf

    return html_to_pdf(render_html(report, lang))


RENDERERS: dict[str, Callable[[AnnualReport, str], str | bytes]] = {
    "md": render_md, "html": render_html, "docx": render_docx, "xlsx": render_xlsx, "pdf": render_pdf,
    "json": render_json, "text": render_text,
}
EXTENSIONS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".docx": "docx", ".xlsx": "xlsx",
              ".pdf": "pdf", ".json": "json", ".txt": "text"}
BINARY = ("docx", "xlsx", "pdf")


def choose_format(given: str | None, output: Path | None, checking: bool) -> str:
    """--format, else the extension of -o, else md for a report (the findings for --check)."""
    if given is not None and given not in RENDERERS:
        raise UsageProblem("error.unknown-format", value=given, choices=" | ".join(RENDERERS))
    if given is not None:
        return given
    if output is None:
        return "text" if checking else "md"
    chosen = EXTENSIONS.get(output.suffix.lower())
    if chosen is None:
        raise UsageProblem("error.format-from-extension", path=output, choices=" ".join(EXTENSIONS))
    return chosen

