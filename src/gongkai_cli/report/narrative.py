"""The text of the 通报 (总体情况, 存在问题, 整改要求) from a Jinja template the office can edit.

The office's own `templates/audit-text.<lang>.md.j2` in the repository wins; else the one shipped in
the package. The template writes plain text: a line `## heading` opens a section, blank lines part
paragraphs. It runs sandboxed (a template in a pull request reaches nothing but the figures), and
an error in it is a message naming its file and line, exit 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageProblem
from ..schedule.periods import Period
from .report import Audit, Figures, change_text, chase_cells, chased_rows, rate_text

ZH_NUMBERS = "一二三四五六七八九十"
ZH_QUARTERS = "一二三四"


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)


def template_name(lang: str) -> str:
    return f"audit-text.{lang}.md.j2"


def sections(report: Audit, lang: str) -> list[Section]:
    return parse(render(report, lang))


def render(report: Audit, lang: str) -> str:
    from jinja2 import (
        ChoiceLoader,
        FileSystemLoader,
        PackageLoader,
        StrictUndefined,
        TemplateError,
    )
    from jinja2.sandbox import SandboxedEnvironment

    loaders = [FileSystemLoader(report.templates)] if report.templates is not None and report.templates.is_dir() else []
    environment = SandboxedEnvironment(loader=ChoiceLoader([*loaders, PackageLoader("gongkai_cli", "templates")]),
                                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, autoescape=False)
    name = template_name(lang)
    try:
        return environment.get_template(name).render(**context(report, lang))
    except (TemplateError, ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as error:
        line = getattr(error, "lineno", None) or _line_of(error)
        where = getattr(error, "filename", None) or name
        raise UsageProblem("error.template", path=_relative(where, report.templates), line=line or 1,
                           detail=getattr(error, "message", None) or str(error)) from None


def _line_of(error: Exception) -> int | None:
    """The template line a render-time error happened on, from the traceback Jinja rewrites."""
    tb, line = error.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _relative(filename: str, templates: Path | None) -> str:
    path = Path(filename)
    if templates is not None and path.is_absolute() and path.is_relative_to(templates.parent):
        return str(path.relative_to(templates.parent))
    return str(path)


def parse(rendered: str) -> list[Section]:
    found: list[Section] = []
    paragraph: list[str] = []

    def close() -> None:
        if paragraph and found:
            found[-1].paragraphs.append("".join(line.strip() for line in paragraph))
        paragraph.clear()

    for line in rendered.splitlines():
        if line.startswith("## "):
            close()
            found.append(Section(line[3:].strip()))
        elif line.strip():
            paragraph.append(line)
        else:
            close()
    close()
    return found


def context(report: Audit, lang: str) -> dict:
    """What a template can say: the figures of this period and the one before, the units with problems."""
    problems = [{
        "name": row.unit.name,
        "late": sum(o.status == "late" for o in row.chase),
        "overdue": sum(o.status == "overdue" for o in row.chase),
        "entries": [dict(zip(("rule", "what", "due", "status", "lateness"), chase_cells(report, o, lang)), kind=o.status)
                  for o in row.chase],
    } for row in chased_rows(report)]
    ranked = sorted((row for row in report.rows if row.rank is not None and row.depth == 0), key=lambda row: row.rank)
    return {
        "office": report.office, "period": str(report.quarter), "period_name": period_name(report.quarter, lang),
        "previous_name": period_name(report.previous_period, lang) if report.previous_period else "",
        "totals": report.totals, "previous_totals": report.previous_totals,
        "rate": lambda figures: rate_text(figures.on_time_rate),
        "change": change_text(report.totals, report.previous_totals),
        "units": len(report.rows), "problems": problems,
        "best": [row.unit.name for row in ranked if row.rank == 1],
        "number": lambda n: chinese_number(n) if lang == "zh" else str(n),
        "has_rate": lambda figures: isinstance(figures, Figures) and figures.on_time_rate is not None,
    }


def chinese_number(n: int) -> str:
    """一 … 九十九."""
    if n <= 10:
        return ZH_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    return (ZH_NUMBERS[tens - 1] if tens > 1 else "") + "十" + (ZH_NUMBERS[ones - 1] if ones else "")


def period_name(period: Period, lang: str) -> str:
    """2017年第四季度 · 2024年9月 · 2024年上半年 · 2024年度 (Q4 2017, September 2024, H1 2024, 2024)."""
    year, index, kind = period.year, period.index, period.kind
    if lang == "zh":
        if kind == "quarter":
            return f"{year}年第{ZH_QUARTERS[index - 1]}季度"
        if kind == "half-year":
            return f"{year}年{'上下'[index - 1]}半年"
        return f"{year}年{index}月" if kind == "month" else f"{year}年度"
    if kind == "quarter":
        return f"Q{index} {year}"
    if kind == "half-year":
        return f"H{index} {year}"
    return f"{period.start:%B} {year}" if kind == "month" else str(year)
