"""`audit`: the per-unit report (通报) over a quarter, or a half-year, year or month (年度考核)."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from .app import app
from .common import (
    MACHINE_FORMATS,
    AsOfOption,
    LangOption,
    OutputOption,
    RepoOption,
    UnitOption,
    _env,
    deliver,
    format_option,
    guarded,
)


@app.command()
@guarded
def audit(
    ctx: typer.Context,
    quarter: Annotated[Optional[str], typer.Option("--quarter", help="季度，如 2024Q3 / quarter")] = None,
    half: Annotated[Optional[str], typer.Option("--half", help="半年，如 2024H1 / half-year")] = None,
    year: Annotated[Optional[str], typer.Option("--year", help="年度，如 2024（年度考核） / year")] = None,
    month: Annotated[Optional[str], typer.Option("--month", help="月份，如 2024-09 / month")] = None,
    as_of: AsOfOption = None,
    unit: UnitOption = None,
    at: Annotated[Optional[str], typer.Option("--at", metavar="REV", help="按某一提交的文件计算 / compute from commit REV")] = None,
    no_rollup: Annotated[bool, typer.Option("--no-rollup", help="只显示本级数字 / own figures only")] = False,
    sort: Annotated[str, typer.Option("--sort", help="tree | rate（按时率从低到高） / tree | rate (lowest on-time rate first)")] = "tree",
    output_format: format_option("table", "md", "csv", "json", "html", "xlsx", "pdf", default_from_file=True) = None,
    output: OutputOption = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> None:
    """季度（或半年、年度、月度）公开情况通报 / the per-unit report over a quarter, half-year, year or month."""
    from ..report import report
    from ..report.revision import read_revision

    env = _env(ctx, repo, lang)
    if sort not in report.SORTS:
        raise typer.BadParameter("--sort: tree | rate")
    chosen_format, period = report.choose_format(output_format, output, sys.stdout.isatty()), chosen_period(quarter, half, year, month)
    env.quiet = output is None and chosen_format in MACHINE_FORMATS
    revision = read_revision(env.root, at)
    env.warn_invalid(revision.findings)
    day, snapshot = env.as_of(as_of), revision.snapshot
    figures = report.audit(snapshot, env.occurrences(day, snapshot), period, day, commit=revision.commit,
                           dirty=revision.dirty, unit=env.unit(unit, snapshot), rolled=not no_rollup, sort=sort,
                           templates=env.root / "templates")
    rendered = report.RENDERERS[chosen_format](figures, env.lang)
    env.tell_empty(snapshot)
    env.tell_uncounted(figures.uncounted, in_output=output is None and chosen_format in ("table", "md", "json", "html"))
    deliver(env, rendered, chosen_format, output)
    raise typer.Exit(1 if env.catalog_unread(snapshot) else 0)


def chosen_period(quarter: str | None, half: str | None, year: str | None, month: str | None):
    """The one period given by --quarter, --half, --year or --month."""
    from ..errors import UsageProblem
    from ..report import report

    given = [(value, kind) for value, kind in ((quarter, "quarter"), (half, "half-year"), (year, "year"), (month, "month"))
             if value is not None]
    if len(given) != 1:
        raise UsageProblem("error.audit-period")
    return report.parse_period(*given[0])
