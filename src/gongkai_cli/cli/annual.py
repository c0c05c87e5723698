"""`annual-report`: the statutory 政府信息公开工作年度报告, computed and checked, or a filled-in one checked."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import app
from .common import AsOfOption, LangOption, OutputOption, RepoOption, UnitOption, _env, format_option, guarded


@app.command("annual-report")
@guarded
def annual_report(
    ctx: typer.Context,
    year: Annotated[Optional[str], typer.Argument(help="报告年度，如 2024 / the year reported on")] = None,
    unit: UnitOption = None,
    as_of: AsOfOption = None,
    output_format: format_option("md", "html", "docx", "xlsx", "pdf", "json", "text", default_from_file=True) = None,
    output: OutputOption = None,
    check: Annotated[Optional[Path], typer.Option("--check", metavar="FILE", help="核对已填写的报告（json 或 xlsx） / check a filled-in report")] = None,
    previous: Annotated[Optional[Path], typer.Option("--previous", metavar="FILE", help="上年报告（json 或 xlsx） / last year's report")] = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> None:
    """政府信息公开工作年度报告 / the statutory annual disclosure report."""
    from ..report import annual, annual_render
    from ..report.revision import read_revision

    env = _env(ctx, repo, lang)
    chosen = annual_render.choose_format(output_format, output, checking=check is not None)
    if check is not None:
        report = annual.checked_file(check, previous)
    else:
        the_year, revision = annual.parse_year(year), read_revision(env.root)
        env.warn_invalid(revision.findings)
        report = annual.annual_report(revision.snapshot, the_year, env.as_of(as_of), env.unit(unit, revision.snapshot),
                                      revision.commit, revision.dirty, annual.read_report(previous) if previous else None)
    _deliver(env, annual_render, report, chosen, output)
    raise typer.Exit(1 if report.failed else 0)


def _deliver(env, annual_render, report, chosen: str, output: Path | None) -> None:
    """Print the rendered report, or write it to `output` and list the findings on stderr."""
    import sys

    from ..errors import UsageProblem
    from ..report.report import save

    rendered = annual_render.RENDERERS[chosen](report, env.lang)
    if output is None:
        if chosen in annual_render.BINARY and sys.stdout.isatty():
            raise UsageProblem("error.xlsx-needs-output")
        typer.echo(rendered, nl=isinstance(rendered, str) and not rendered.endswith("\n"))
        return
    save(output, rendered)
    for line in annual_render.finding_lines(report, env.lang):
        typer.echo(line, err=True)
    env.say("annual.written", path=output)
