"""`deadline`: a deadline as the rules would compute it."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..errors import UsageProblem
from .app import app
from .common import LangOption, RepoOption, _env, guarded, parse_instant


@app.command()
@guarded
def deadline(
    ctx: typer.Context,
    start: Annotated[str, typer.Argument(metavar="FROM", help="起算日 2024-09-23 或 2024-09-23T14:30 / counted from (a day, or a day and time)")],
    workdays: Annotated[Optional[int], typer.Option("--workdays", min=0, max=36500, help="工作日 / working days")] = None,
    days: Annotated[Optional[int], typer.Option("--days", min=0, max=36500, help="自然日 / calendar days")] = None,
    hours: Annotated[Optional[int], typer.Option("--hours", min=0, max=36500, help="小时 / hours")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="逐日说明 / day-by-day count")] = False,
    no_roll: Annotated[bool, typer.Option("--no-roll", help="不顺延 / roll: none")] = False,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> None:
    """按规则计算期限 / compute a deadline as the rules would."""
    from ..schedule.deadlines import compute_deadline

    env = _env(ctx, repo, lang)
    given = {name: value for name, value in (("workdays", workdays), ("days", days), ("hours", hours)) if value is not None}
    if len(given) != 1:
        raise UsageProblem("error.one-amount")
    (unit, amount), = given.items()
    calendar = env.calendar
    result = compute_deadline(calendar, env.local(parse_instant(start)), unit, amount, roll=not no_roll)
    typer.echo(result.due_text)
    if explain:
        typer.echo("\n".join(result.explain(env.lang)))
    if calendar.missing_years:
        env.say("calendar.fallback", years=", ".join(map(str, sorted(calendar.missing_years))))
