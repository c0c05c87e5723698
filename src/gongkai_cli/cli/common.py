"""What every command shares: the environment (repository, language, calendar), the options declared
once, date parsing, and the guard that turns every known failure into a message and exit code 2."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Callable, Optional

import typer

from ..errors import UsageProblem
from ..messages import printable, text
from ..model.kinds import FIXED_PATHS


@dataclass
class Env:
    """What every command needs: where the repository is and which language to speak."""

    repo_option: Path | None
    lang_option: str | None
    quiet: bool = False

    @functools.cached_property
    def root(self) -> Path:
        from ..load.repo import find_root

        return find_root(self.repo_option)

    @functools.cached_property
    def config(self):
        from ..schedule.settings import read_config

        return read_config(self.root)

    @functools.cached_property
    def calendar(self):
        """The repository's calendar, or the plain cn calendar outside any repository."""
        from ..schedule.settings import calendar_of

        return calendar_of(self.basics)

    @functools.cached_property
    def basics(self):
        """gongkai.yaml's language, calendar and timezone (defaults outside any repository: `deadline`
        works anywhere), read without the models when the file allows."""
        from ..load.repo import NotARepository
        from ..schedule.settings import Basics, read_basics

        try:
            return read_basics(self.root)
        except NotARepository:
            return Basics()

    @functools.cached_property
    def lang(self) -> str:
        if self.lang_option:
            return self.lang_option
        try:
            return self.basics.language
        except Exception:  # noqa: BLE001 - no repository yet: the default language
            return "zh"

    @functools.cached_property
    def loaded(self):
        """The repository as scheduling reads it (load.view); files with errors are left out,
        and the person is told once."""
        from ..load.view import load_view

        snapshot, findings = load_view(self.root)
        self.warn_invalid(findings)
        return snapshot

    def warn_invalid(self, findings) -> None:
        errors = [finding for finding in findings if finding.severity == "error"]
        if errors:
            self.warn("warning.invalid-files", count=len(errors), first=printable(f"{errors[0].path}:{errors[0].line}"))

    def tell_uncounted(self, uncounted, in_output: bool) -> None:
        """What a report could not count, on stderr (whatever the format): the first of them when the
        output lists them too, else every one."""
        if not uncounted:
            return
        if in_output:
            self.say("uncounted.warning", count=len(uncounted), first=uncounted[0].line(self.lang))
        else:
            from ..report.uncounted import footer

            typer.echo(footer(uncounted, self.lang), err=True)

    def catalog_unread(self, snapshot) -> bool:
        """Whether gongkai.yaml, the units or the categories did not load: then every unit's figures
        are wrong, not some items uncounted, and the report (still printed) exits 1. Said on stderr."""
        unread = [path for path, kind in FIXED_PATHS.items() if kind in snapshot.broken]
        if unread:
            self.say("empty.catalog-unread", files="、".join(unread) if self.lang == "zh" else ", ".join(unread))
        return bool(unread)

    def tell_empty(self, snapshot) -> None:
        """A repository with no rules or no items yet is said to be so on stderr (whatever the format):
        its zeros are not a result. A kind whose files did not load is told of as not counted instead."""
        if not snapshot.rules and "rules" not in snapshot.broken:
            self.say("empty.no-rules")
        if not snapshot.items and "item" not in snapshot.broken:
            self.say("empty.no-items")

    def as_of(self, value: str | None) -> date | datetime:
        """`--as-of`: a day, or an instant (`2018-09-13T12:00`) at which `hours` deadlines are judged; an
        instant with an offset is read on the office's clock, so its day is the office's day."""
        from ..schedule.settings import office_zone, today

        if not value:
            return today(self.config)
        moment = parse_instant(value)
        return moment.astimezone(office_zone(self.config)) if isinstance(moment, datetime) and moment.tzinfo else moment

    def day(self, value: str | None) -> date:
        """A day given on the command line (`--on`), today in the office timezone by default."""
        from ..schedule.settings import today

        return parse_date(value) if value else today(self.config)

    def unit(self, value: str | None, snapshot=None) -> str | None:
        """`--unit`: a unit's id, or its name (as `add` takes it) when one unit has that name."""
        units = (snapshot or self.loaded).unit_by_id
        if value is None or value in units:
            return value
        named = [unit_id for unit_id, found in units.items() if found.name == value]
        if len(named) != 1:
            raise UsageProblem("error.unknown-unit", value=value)
        return named[0]

    def occurrences(self, as_of: date | datetime, snapshot=None, explained: bool = False):
        """Occurrences of the repository, or of `snapshot` (another commit's files) with its own calendar;
        `explained`: with each deadline's day-by-day explanation (never from what was remembered)."""
        from ..schedule.schedule import occurrences, remembered_occurrences
        from ..schedule.settings import calendar_of

        calendar = self.calendar if snapshot is None else calendar_of(snapshot.config)
        compute = occurrences if explained else remembered_occurrences
        found = compute(snapshot or self.loaded, calendar, as_of, self.lang)
        if calendar.missing_years:
            self.warn("calendar.fallback", years=", ".join(map(str, sorted(calendar.missing_years))))
        return found

    def local(self, moment: date | datetime) -> date | datetime:
        """A time with an offset, as the office's clock shows it (how the rules count it)."""
        if not isinstance(moment, datetime) or moment.tzinfo is None:
            return moment
        from ..schedule.settings import office_zone

        return moment.astimezone(office_zone(self.basics)).replace(tzinfo=None)

    def warn(self, key: str, **args) -> None:
        """A warning, unless the output is for a program (json, csv): those carry `provisional` instead."""
        if not self.quiet:
            self.say(key, **args)

    def say(self, key: str, **args) -> None:
        """A message for the person (stderr), in their language."""
        typer.echo(text(key, self.lang, **args), err=True)


RepoOption = Annotated[Optional[Path], typer.Option("--repo", help="仓库目录（默认：向上查找 gongkai.yaml） / repository path")]
LangOption = Annotated[Optional[str], typer.Option("--lang", help="zh | en")]
AsOfOption = Annotated[Optional[str], typer.Option(
    "--as-of", help="按哪一天（或时刻 2018-09-13T12:00）计算（默认今天） / compute as of this day or instant")]
UnitOption = Annotated[Optional[str], typer.Option("--unit", help="单位（含下级单位） / unit, with its descendants")]
NoCommitOption = Annotated[bool, typer.Option("--no-commit", help="只写文件，不提交 / write the files only")]
MACHINE_FORMATS = ("json", "csv", "xlsx")
OutputOption = Annotated[Optional[Path], typer.Option("-o", "--output", metavar="FILE",
                                                       help="写入文件（格式取自扩展名） / write to FILE")]


def format_option(*choices: str, default_from_file: bool = False):
    """`--format` with its choices: one declaration for every command (the help lists the choices)."""
    kind = Optional[str] if default_from_file else str
    return Annotated[kind, typer.Option("--format", metavar="FORMAT", help=" | ".join(choices))]


ListFormat = format_option("table", "json", "csv", default_from_file=True)


def deliver(env: Env, rendered: str | bytes, chosen: str, output: Path | None) -> None:
    """Print the rendering, or write it to `output` (atomically) and say so; CSV bound for a file
    (`-o`, or stdout redirected to one) starts with a BOM, so Excel and WPS read it as UTF-8."""
    import sys

    from ..report.csvtable import for_file
    from ..report.report import save

    if output is not None:
        save(output, for_file(rendered, chosen))
        env.say("audit.written", path=output)
        return
    if _is_file(sys.stdout):
        rendered = for_file(rendered, chosen)
    typer.echo(rendered, nl=isinstance(rendered, str) and not rendered.endswith("\n"))


def _is_file(stream) -> bool:
    import os
    import stat

    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):  # CliRunner's streams and closed ones have no descriptor
        return False


WithinOption = Annotated[int, typer.Option("--within", min=0, max=100_000, help="未来 N 天内到期（默认 7） / due within N days")]


def _env(ctx: typer.Context, repo: Path | None, lang: str | None) -> Env:
    parent: Env | None = ctx.find_object(Env)
    env = Env(repo or (parent.repo_option if parent else None), lang or (parent.lang_option if parent else None))
    if env.lang_option not in (None, "zh", "en"):
        raise typer.BadParameter("--lang: zh | en")
    return env


def guarded(command: Callable) -> Callable:
    """Turn every known failure into a message and exit code 2 — never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from ..load.repo import GitError, MarkerNotAFile, NotARepository

        ctx: typer.Context = kwargs.get("ctx") or click_context()
        lang = _safe_lang(ctx, kwargs)
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.BadParameter):
            raise
        except NotARepository as error:
            typer.echo(text("error.not-a-repository", lang, path=error.path), err=True)
        except MarkerNotAFile as error:
            typer.echo(text("error.marker-not-a-file", lang, path=error.path), err=True)
        except UsageProblem as problem:
            typer.echo(text(problem.key, lang, **problem.params), err=True)
        except (GitError, OSError) as error:
            typer.echo(_failure_text(error, lang), err=True)
        except KeyboardInterrupt:
            raise typer.Exit(130)
        except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
            typer.echo(text("error.internal", lang, detail=f"{type(error).__name__}: {error}"), err=True)
        raise typer.Exit(2)

    return wrapper


def _failure_text(error: Exception, lang: str) -> str:
    """git's or the system's failure: a full disk said as such, git's own words otherwise."""
    from ..load.repo import GitError
    from ..write.gitwrite import no_space

    if no_space(error):
        detail = error.stderr if isinstance(error, GitError) else error.strerror
        return text("error.disk-full", lang, detail=printable(detail or ""))
    if isinstance(error, GitError):
        return f"git: {error.stderr}"
    return text("error.os", lang, path=error.filename or "", detail=error.strerror or error)


def renderer(renderers: dict, name: str) -> Callable:
    """The renderer `--format NAME` asks for; an unknown name is a usage error listing the choices."""
    if name not in renderers:
        raise typer.BadParameter(f"--format: {' | '.join(renderers)}")
    return renderers[name]


def click_context() -> typer.Context:
    import click

    return click.get_current_context()


def _safe_lang(ctx: typer.Context, kwargs: dict) -> str:
    try:
        return _env(ctx, kwargs.get("repo"), kwargs.get("lang")).lang
    except Exception:  # noqa: BLE001
        return "zh"


ISO_DATE = r"\d{4}-\d{2}-\d{2}"
ISO_INSTANT = ISO_DATE + r"([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?"


def parse_date(value: str | None, key: str = "error.bad-date") -> date | None:
    """An ISO date (2024-09-23) only: Python would also take 20240923 or 2024-W39-1."""
    if value is None:
        return None
    try:
        if re.fullmatch(ISO_DATE, value.strip()):
            return _in_years(date.fromisoformat(value.strip()), value)
    except ValueError:
        pass
    raise UsageProblem(key, value=value)


def parse_instant(value: str) -> date | datetime:
    """A date, or a date-time when the text has a time of day (an offset is kept)."""
    text = value.strip()
    try:
        if re.fullmatch(ISO_INSTANT, text):
            return _in_years(datetime.fromisoformat(text) if len(text) > 10 else date.fromisoformat(text), value)
    except ValueError:
        pass
    raise UsageProblem("error.bad-datetime", value=value)


def _in_years(moment: date, typed: str) -> date:
    """Dates on the command line are bounded like the format's."""
    from ..model.years import FIRST_YEAR, LAST_YEAR

    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise UsageProblem("error.year-out-of-range", value=typed, first=FIRST_YEAR, last=LAST_YEAR)
    return moment
