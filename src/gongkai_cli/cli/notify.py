"""`remind` and `calendar`: telling clerks what they owe, by digest or mail, and as a calendar feed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import app
from .common import (
    AsOfOption,
    LangOption,
    ListFormat,
    RepoOption,
    UnitOption,
    WithinOption,
    _env,
    guarded,
    renderer,
)


@app.command()
@guarded
def remind(
    ctx: typer.Context,
    within: WithinOption = 7,
    as_of: AsOfOption = None,
    unit: UnitOption = None,
    output_format: ListFormat = "table",
    repo: RepoOption = None,
    lang: LangOption = None,
) -> None:
    """提醒各单位信息员：逾期和即将到期的事项 / each clerk's digest of what is overdue and due soon."""
    from ..notify import digest, render

    env = _env(ctx, repo, lang)
    env.quiet = output_format == "json"
    show = renderer(render.RENDERERS, output_format)
    day = env.as_of(as_of)
    found = digest.reminders(env.occurrences(day), env.loaded, day, within, env.unit(unit))
    typer.echo(show(found, env.lang))


@app.command("calendar")
@guarded
def calendar_feed(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    unit: UnitOption = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="写入 .ics 文件（默认输出到屏幕） / write to FILE.ics")] = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> None:
    """未完成的期限，导出为日历（iCalendar .ics） / every open deadline as an iCalendar feed."""
    from ..load.yamlio import atomic_write
    from ..notify import ics
    from ..schedule.settings import office_zone

    env = _env(ctx, repo, lang)
    found = env.occurrences(env.as_of(as_of))
    content = ics.feed(found, env.loaded, env.unit(unit), office_zone(env.basics), env.lang)
    if output is None:
        typer.echo(content.decode("utf-8"), nl=False)
        return
    atomic_write(output, content)
    env.say("calendar.written", path=output, count=content.count(b"BEGIN:VEVENT"))
