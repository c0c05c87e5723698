"""`overdue` and `due`: occurrences by deadline."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import app
from .common import (
    MACHINE_FORMATS,
    AsOfOption,
    Env,
    LangOption,
    ListFormat,
    OutputOption,
    RepoOption,
    UnitOption,
    WithinOption,
    _env,
    deliver,
    guarded,
)


def _listing_env(ctx: typer.Context, repo: Path | None, lang: str | None, output_format: str | None,
                 output: Path | None, as_of: str | None) -> tuple[Env, str, date | datetime]:
    """The environment of a listing (quiet for programs), its format (from the option or -o's extension)
    and its as-of day."""
    from ..report.listing import RENDERERS
    from ..report.report import choose_format

    env = _env(ctx, repo, lang)
    chosen = choose_format(output_format, output, offered=RENDERERS)
    env.quiet = output is None and chosen in MACHINE_FORMATS
    return env, chosen, env.as_of(as_of)


def _print_listing(env: Env, listing, output_format: str, output: Path | None) -> None:
    from ..report.listing import RENDERERS

    deliver(env, RENDERERS[output_format](listing, env.lang), output_format, output)
    env.tell_empty(env.loaded)
    env.tell_uncounted(listing.uncounted, in_output=output_format == "table")


@app.command()
@guarded
def overdue(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    unit: UnitOption = None,
    output_format: ListFormat = None,
    output: OutputOption = None,
    fail: Annotated[bool, typer.Option("--fail", help="有逾期时退出码为 1 / exit 1 when anything is overdue")] = False,
    explain: Annotated[Optional[str], typer.Option("--explain", metavar="ID-OR-RULE", help="逐日说明某一期限 / explain one deadline")] = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> None:
    """逾期未公开 / occurrences whose deadline has passed unmet."""
    from ..report import listing

    env, output_format, day = _listing_env(ctx, repo, lang, output_format, output, as_of)
    found = env.occurrences(day, explained=explain is not None)
    if explain is not None:
        typer.echo(listing.explain(listing.find(found, explain), env.loaded, day, env.lang, explain))
        return
    result = listing.overdue(found, env.loaded, day, env.unit(unit))
    _print_listing(env, result, output_format, output)
    unread = env.catalog_unread(env.loaded)  # said whether or not --fail already fails
    raise typer.Exit(1 if unread or fail and (result.occurrences or result.uncounted) else 0)


@app.command()
@guarded
def due(
    ctx: typer.Context,
    within: WithinOption = 7,
    as_of: AsOfOption = None,
    unit: UnitOption = None,
    output_format: ListFormat = None,
    output: OutputOption = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> None:
    """即将到期 / pending occurrences due within N days."""
    from ..report import listing

    env, output_format, day = _listing_env(ctx, repo, lang, output_format, output, as_of)
    _print_listing(env, listing.due_within(env.occurrences(day), env.loaded, day, within, env.unit(unit)), output_format,
                   output)
    raise typer.Exit(1 if env.catalog_unread(env.loaded) else 0)
