"""`remind` and `calendar`: telling clerks what they owe, by digest or mail, and as a calendar feed."""

from __future__ import annotations

import json
import os
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import UsageProblem
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
    send: Annotated[bool, typer.Option("--send", help="通过邮件发送（gongkai.yaml 的 mail:） / send by mail (mail: in gongkai.yaml)")] = False,
    force: Annotated[bool, typer.Option("--force", help="非工作日也发送 / send on a non-working day too")] = False,
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
    if send:
        raise typer.Exit(_send(env, found, force, output_format))
    typer.echo(show(found, env.lang))


def _send(env, found, force: bool, output_format: str) -> int:
    """Mail every digest (exit 1 when any failed); nothing on a non-working day without --force."""
    from ..model.models import day_of
    from ..notify import mail, render
    from ..notify.sent import SentRecord
    from ..schedule.settings import office_zone

    settings = env.config.mail
    if settings is None:
        raise UsageProblem("remind.no-mail")
    day = day_of(found.as_of)
    if not force and not env.calendar.is_workday(day):
        env.say("remind.not-workday", day=day.isoformat(), calendar=env.basics.calendar)
        return 0
    password = os.environ.get(settings.password_env)
    if settings.username and not password:
        raise UsageProblem("remind.no-password", name=settings.password_env)
    record = SentRecord.of_repository(env.root)
    now = datetime.now(office_zone(env.basics))
    results = mail.send_all(found, settings, password, record, now, env.lang, env.say)
    if output_format == "json":
        typer.echo(json.dumps(render.as_json(found, env.lang, results), ensure_ascii=False, indent=2))
    counts = Counter(results.values())
    env.say("remind.summary", sent=counts["sent"], skipped=counts["skipped"], failed=counts["failed"], record=record.path)
    return 1 if counts["failed"] else 0


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
