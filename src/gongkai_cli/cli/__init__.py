"""The command line: parse options, call one function, render, exit. Nothing else lives here."""

from __future__ import annotations

import functools
import re
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Callable, Optional

import typer
from typer.core import TyperGroup

from .. import __version__
from ..errors import UsageProblem
from ..messages import text

GLOBAL_WITH_VALUE = ("--repo", "--lang")


def hoist_global_options(args: list[str]) -> list[str]:
    """`--repo`, `--lang` and `--version` work after the command name too (cli.md: on every command)."""
    front: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest.extend(args[index:])
            break
        if arg == "--version" or arg.startswith(tuple(f"{name}=" for name in GLOBAL_WITH_VALUE)):
            front.append(arg)
        elif arg in GLOBAL_WITH_VALUE and index + 1 < len(args):
            front.extend(args[index : index + 2])
            index += 1
        else:
            rest.append(arg)
        index += 1
    return front + rest


class GongkaiGroup(TyperGroup):
    def parse_args(self, ctx, args):
        return super().parse_args(ctx, hoist_global_options(list(args)))


app = typer.Typer(
    name="gongkai",
    cls=GongkaiGroup,
    help="政务公开合规跟踪：公开目录、单位、规则和每条公开信息以 YAML 存放在 Git 仓库中。"
    " Compliance tracker for government information disclosure.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
)


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
        """The repository as scheduling reads it (load.load_view); files with errors are left out,
        and the person is told once."""
        from ..load.load import load_view

        snapshot, findings = load_view(self.root)
        self.warn_invalid(findings)
        return snapshot

    def warn_invalid(self, findings) -> None:
        errors = [finding for finding in findings if finding.severity == "error"]
        if errors:
            self.warn("warning.invalid-files", count=len(errors), first=f"{errors[0].path}:{errors[0].line}")

    def as_of(self, value: str | None) -> date:
        from ..schedule.settings import today

        return parse_date(value) if value else today(self.config)

    def unit(self, value: str | None, snapshot=None) -> str | None:
        if value is not None and value not in (snapshot or self.loaded).unit_by_id:
            raise UsageProblem("error.unknown-unit", value=value)
        return value

    def occurrences(self, as_of: date, snapshot=None, explained: bool = False):
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
AsOfOption = Annotated[Optional[str], typer.Option("--as-of", help="按哪一天计算（默认今天） / compute as of this day")]
UnitOption = Annotated[Optional[str], typer.Option("--unit", help="单位（含下级单位） / unit, with its descendants")]
MACHINE_FORMATS = ("json", "csv", "xlsx")
ListFormat = Annotated[str, typer.Option("--format", help="table | json | csv")]


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
        from ..load.repo import GitError, NotARepository

        ctx: typer.Context = kwargs.get("ctx") or click_context()
        lang = _safe_lang(ctx, kwargs)
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.BadParameter):
            raise
        except NotARepository as error:
            typer.echo(text("error.not-a-repository", lang, path=error.path), err=True)
        except UsageProblem as problem:
            typer.echo(text(problem.key, lang, **problem.params), err=True)
        except GitError as error:
            typer.echo(f"git: {error.stderr}", err=True)
        except OSError as error:
            typer.echo(text("error.os", lang, path=error.filename or "", detail=error.strerror or error), err=True)
        except KeyboardInterrupt:
            raise typer.Exit(130)
        except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
            typer.echo(text("error.internal", lang, detail=f"{type(error).__name__}: {error}"), err=True)
        raise typer.Exit(2)

    return wrapper


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
            return date.fromisoformat(value.strip())
    except ValueError:
        pass
    raise UsageProblem(key, value=value)


def parse_instant(value: str) -> date | datetime:
    """A date, or a date-time when the text has a time of day (an offset is kept)."""
    text = value.strip()
    try:
        if re.fullmatch(ISO_INSTANT, text):
            return datetime.fromisoformat(text) if len(text) > 10 else date.fromisoformat(text)
    except ValueError:
        pass
    raise UsageProblem("error.bad-datetime", value=value)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gongkai {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    repo: RepoOption = None,
    lang: LangOption = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="版本 / version")] = False,
) -> None:
    ctx.obj = Env(repo, lang)


# check / schema / init ---------------------------------------------------------------------


def _warn_repository_state(env: Env) -> None:
    """Say once on stderr what git left unfinished; reading files is still safe, so check carries on.

    A detached HEAD is how CI checks out a pull request: no news there (CI sets `CI`).
    """
    import os

    from ..load.repo import repository_state
    from ..messages import Phrase

    for code in repository_state(env.root):
        if not (code == "detached-head" and os.environ.get("CI")):
            env.say("state.warning", detail=Phrase(f"state.{code}"))


@app.command()
@guarded
def check(
    ctx: typer.Context,
    paths: Annotated[Optional[list[Path]], typer.Argument(help="只报告这些文件或目录 / only these files or folders")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="只检查自 REV 以来的改动及其引用 / changes since REV")] = None,
    output_format: Annotated[str, typer.Option("--format", help="text | json | github")] = "text",
    fail_overdue: Annotated[bool, typer.Option("--fail-overdue", help="逾期未公开作为错误 / overdue items are errors")] = False,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> None:
    """校验仓库中的每个文件 / validate every file."""
    from ..check.validate import validate
    from ..model.findings import RENDERERS, has_errors, summary

    env = _env(ctx, repo, lang)
    render = renderer(RENDERERS, output_format)
    missing = [path for path in paths or [] if not path.exists()]
    if missing:
        raise UsageProblem("error.no-such-path", path=missing[0])
    _warn_repository_state(env)
    result = validate(env.root, paths=paths or [], since=since, lang=env.lang, fail_overdue=fail_overdue)
    rendered = render(result.findings, result.files, env.lang)
    if rendered:
        typer.echo(rendered)
    if output_format != "json" and sys.stderr.isatty():
        typer.echo(summary(result.findings, result.files, env.lang), err=True)
    raise typer.Exit(1 if has_errors(result.findings) else 0)


@app.command()
@guarded
def schema(
    ctx: typer.Context,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="写出目录 / output folder")] = None,
    lang: LangOption = None,
) -> None:
    """各类文件的 JSON Schema / JSON Schemas of every file kind."""
    import json

    from ..model.models import json_schemas

    schemas = json_schemas()
    if output is None:
        typer.echo(json.dumps(schemas, ensure_ascii=False, indent=2))
        return
    from ..load.yamlio import atomic_write

    for kind, document in schemas.items():
        atomic_write(output / f"{kind}.schema.json", json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    _env(ctx, None, lang).say("schema.written", count=len(schemas), path=output)


@app.command()
@guarded
def init(
    ctx: typer.Context,
    directory: Annotated[Optional[Path], typer.Argument(help="目录（默认 --repo 或当前目录） / folder")] = None,
    example: Annotated[Optional[str], typer.Option("--example", help="复制示例仓库 / copy a shipped example")] = None,
    lang: LangOption = None,
) -> None:
    """创建 gongkai 仓库 / create a repository."""
    from ..setup.init import init_repository

    env = _env(ctx, directory, lang)
    path = init_repository(env.repo_option or Path("."), example)
    env.say("init.done", path=path)


@app.command()
@guarded
def codeowners(
    ctx: typer.Context,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="写入文件，如 .github/CODEOWNERS / write to FILE")] = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> None:
    """生成 CODEOWNERS：各单位条目归其信息员，其余归管理员 / CODEOWNERS from units' clerks and admins."""
    from ..check.ownership import codeowners as render
    from ..load.yamlio import atomic_write

    env = _env(ctx, repo, lang)
    document = render(env.config, env.loaded.units)
    if output is None:
        typer.echo(document, nl=False)
        return
    atomic_write(output, document)
    env.say("codeowners.written", path=output)


# deadlines -----------------------------------------------------------------------------------


@app.command()
@guarded
def deadline(
    ctx: typer.Context,
    start: Annotated[str, typer.Argument(metavar="FROM", help="起算日 2024-09-23 或 2024-09-23T14:30")],
    workdays: Annotated[Optional[int], typer.Option("--workdays", min=0, max=36500, help="工作日")] = None,
    days: Annotated[Optional[int], typer.Option("--days", min=0, max=36500, help="自然日")] = None,
    hours: Annotated[Optional[int], typer.Option("--hours", min=0, max=36500, help="小时")] = None,
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


# overdue / due ---------------------------------------------------------------------------------


def _listing_env(ctx: typer.Context, repo: Path | None, lang: str | None, output_format: str,
                 as_of: str | None) -> tuple[Env, date]:
    """The environment of a listing (quiet for programs) and its as-of day."""
    env = _env(ctx, repo, lang)
    env.quiet = output_format in MACHINE_FORMATS
    return env, env.as_of(as_of)


def _print_listing(env: Env, listing, output_format: str) -> None:
    from ..report.listing import RENDERERS

    typer.echo(renderer(RENDERERS, output_format)(listing, env.lang))


@app.command()
@guarded
def overdue(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    unit: UnitOption = None,
    output_format: ListFormat = "table",
    fail: Annotated[bool, typer.Option("--fail", help="有逾期时退出码为 1 / exit 1 when anything is overdue")] = False,
    explain: Annotated[Optional[str], typer.Option("--explain", metavar="ID-OR-RULE", help="逐日说明某一期限 / explain one deadline")] = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> None:
    """逾期未公开 / occurrences whose deadline has passed unmet."""
    from ..report import listing

    env, day = _listing_env(ctx, repo, lang, output_format, as_of)
    found = env.occurrences(day, explained=explain is not None)
    if explain is not None:
        typer.echo(listing.explain(listing.find(found, explain), env.loaded, day, env.lang, explain))
        return
    result = listing.overdue(found, env.loaded, day, env.unit(unit))
    _print_listing(env, result, output_format)
    raise typer.Exit(1 if fail and result.occurrences else 0)


@app.command()
@guarded
def due(
    ctx: typer.Context,
    within: Annotated[int, typer.Option("--within", min=0, help="未来 N 天内到期（默认 7） / due within N days")] = 7,
    as_of: AsOfOption = None,
    unit: UnitOption = None,
    output_format: ListFormat = "table",
    repo: RepoOption = None,
    lang: LangOption = None,
) -> None:
    """即将到期 / pending occurrences due within N days."""
    from ..report import listing

    env, day = _listing_env(ctx, repo, lang, output_format, as_of)
    _print_listing(env, listing.due_within(env.occurrences(day), env.loaded, day, within, env.unit(unit)), output_format)


# audit -----------------------------------------------------------------------------------------


@app.command()
@guarded
def audit(
    ctx: typer.Context,
    quarter: Annotated[str, typer.Option("--quarter", help="季度，如 2024Q3 / quarter")],
    as_of: AsOfOption = None,
    unit: UnitOption = None,
    at: Annotated[Optional[str], typer.Option("--at", metavar="REV", help="按某一提交的文件计算 / compute from commit REV")] = None,
    no_rollup: Annotated[bool, typer.Option("--no-rollup", help="只显示本级数字 / own figures only")] = False,
    sort: Annotated[str, typer.Option("--sort", help="tree | rate（按时率从低到高 / lowest on-time rate first）")] = "tree",
    output_format: Annotated[Optional[str], typer.Option("--format", help="table | md | csv | json | html | xlsx")] = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="写入文件，格式取自扩展名 / write to FILE")] = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> None:
    """季度公开情况通报 / the quarterly per-unit report."""
    from ..report import report
    from ..report.revision import read_revision

    env = _env(ctx, repo, lang)
    if sort not in report.SORTS:
        raise typer.BadParameter("--sort: tree | rate")
    chosen_format, period = report.choose_format(output_format, output, sys.stdout.isatty()), report.parse_quarter(quarter)
    env.quiet = output is None and chosen_format in MACHINE_FORMATS
    revision = read_revision(env.root, at)
    env.warn_invalid(revision.findings)
    day, snapshot = env.as_of(as_of), revision.snapshot
    figures = report.audit(snapshot, env.occurrences(day, snapshot), period, day, commit=revision.commit,
                           dirty=revision.dirty, unit=env.unit(unit, snapshot), rolled=not no_rollup, sort=sort)
    rendered = report.RENDERERS[chosen_format](figures, env.lang)
    if output is None:
        typer.echo(rendered, nl=isinstance(rendered, str) and not rendered.endswith("\n"))
        return
    report.save(output, rendered)
    env.say("audit.written", path=output)


# writes and the audit trail: add / disclose / edit / withdraw / log ----------------------------

SET_HELP = "字段=值（文字照原样；日期、列表 [a, b]、true/false 按 YAML）；details.键=值 / key=value (text as typed)"
SetOption = Annotated[Optional[list[str]], typer.Option("--set", help=SET_HELP)]
ChannelOption = Annotated[Optional[list[str]], typer.Option("--channel", help="公开渠道，可重复 / channel, repeatable")]
UrlOption = Annotated[Optional[str], typer.Option("--url", help="链接 / link")]
NoCommitOption = Annotated[bool, typer.Option("--no-commit", help="只写文件，不提交 / write the file only")]


def _write(env: Env, write: Callable):
    """Run one write; an item that fails the checks is listed like `gongkai check` output, exit 2."""
    from ..write.history import action_label
    from ..write.store import InvalidItem

    try:
        written = write()
    except InvalidItem as problem:
        for f in problem.findings:
            typer.echo(f"{f.path}:{f.line}:{f.col}: {f.code}: {f.message(env.lang)}", err=True)
        env.say("store.invalid")
        raise typer.Exit(2)
    if _stderr_is_terminal():  # for a person; a program reads the id (add) and the exit code
        key = "store.committed" if written.commit else "store.written"
        env.say(key, action=action_label(written.action, env.lang), id=written.item_id, path=written.path,
                commit=(written.commit or "")[:10])
    return written


def _stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def _ask(flag: str, given, question: Callable):
    """`given`, or on a terminal the answer to `question()`; elsewhere a missing value names its flag."""
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise UsageProblem("error.missing-option", flag=flag)
    return question()


def _choose(env: Env, heading: str, objects: list) -> str:
    """Offer units or categories by name; a number, a name or an id answers."""
    typer.echo(text(heading, env.lang), err=True)
    for number, obj in enumerate(objects, 1):
        typer.echo(f"  {number}) {obj.name} ({obj.id})", err=True)

    def pick(answer: str) -> str:
        answer = answer.strip()
        chosen = objects[int(answer) - 1] if answer.isdigit() and 0 < int(answer) <= len(objects) else None
        chosen = chosen or next((obj for obj in objects if answer in (obj.id, obj.name)), None)
        if chosen is None:
            raise typer.BadParameter(answer)
        return chosen.id

    return typer.prompt(text("store.prompt.choose", env.lang), value_proc=pick, err=True)


def _new_item_answers(env: Env, unit, category, title, formed) -> dict:
    from ..schedule.settings import today
    from ..write.store import catalog

    known = catalog(env.root)
    unit = _ask("--unit", unit, lambda: _choose(env, "store.prompt.unit", known.units))
    offered = [c for c in known.categories if c.units is None or unit in c.units] or known.categories
    category = _ask("--category", category, lambda: _choose(env, "store.prompt.category", offered))
    title = _ask("--title", title, lambda: typer.prompt(text("store.prompt.title", env.lang), err=True))
    if formed is None and sys.stdin.isatty():
        formed = typer.prompt(text("store.prompt.formed", env.lang), default=today(env.config).isoformat(),
                              value_proc=_answer_checker(env, parse_instant), err=True)
    return {"unit": unit, "category": category, "title": title,
            "formed": parse_instant(formed) if formed else today(env.config)}


def _answer_checker(env: Env, parse: Callable) -> Callable:
    """A prompt's value check: a bad answer is explained and asked again."""

    def checked(answer: str) -> str:
        try:
            parse(answer)
        except UsageProblem as problem:
            raise typer.BadParameter(text(problem.key, env.lang, **problem.params)) from None
        return answer

    return checked


@app.command()
@guarded
def add(
    ctx: typer.Context,
    category: Annotated[Optional[str], typer.Option("--category", help="公开事项分类（编号或名称） / category")] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", help="单位（编号或名称） / unit")] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="标题 / title")] = None,
    formed: Annotated[Optional[str], typer.Option("--formed", help="形成日期（默认今天） / formed on")] = None,
    disclosed: Annotated[Optional[str], typer.Option("--disclosed", help="公开日期 / disclosed on")] = None,
    doc_number: Annotated[Optional[str], typer.Option("--doc-number", help="文号 / document number")] = None,
    period: Annotated[Optional[str], typer.Option("--period", help="期间 2024Q3 / period")] = None,
    url: UrlOption = None,
    channel: ChannelOption = None,
    of: Annotated[Optional[str], typer.Option("--of", help="配套的原条目 / the item this accompanies")] = None,
    set_: SetOption = None,
    no_commit: NoCommitOption = False,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> None:
    """登记一条公开信息并提交；打印新编号 / register an item, commit it, print its id."""
    from ..write.store import add_item

    env = _env(ctx, repo, lang)
    fields = _new_item_answers(env, unit, category, title, formed)
    fields |= {"disclosed": disclosed and parse_instant(disclosed), "doc_number": doc_number, "period": period,
               "url": url, "channels": channel or [], "of": of}
    written = _write(env, lambda: add_item(env.root, fields, set_ or [], commit=not no_commit))
    typer.echo(written.item_id)


@app.command()
@guarded
def disclose(
    ctx: typer.Context,
    item_id: Annotated[str, typer.Argument(metavar="ID", help="条目编号 / item id")],
    on: Annotated[Optional[str], typer.Option("--on", help="公开日期（默认今天） / disclosed on")] = None,
    url: UrlOption = None,
    channel: ChannelOption = None,
    no_commit: NoCommitOption = False,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> None:
    """记录条目已公开并提交 / record an item's disclosure and commit."""
    from ..schedule.settings import today
    from ..write.store import disclose_item

    env = _env(ctx, repo, lang)
    day = parse_instant(on) if on else today(env.config)
    _write(env, lambda: disclose_item(env.root, item_id, day, url, channel or [], commit=not no_commit))


@app.command()
@guarded
def edit(
    ctx: typer.Context,
    item_id: Annotated[str, typer.Argument(metavar="ID", help="条目编号 / item id")],
    set_: Annotated[list[str], typer.Option("--set", help=SET_HELP)],
    no_commit: NoCommitOption = False,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> None:
    """修改条目字段并提交，旧值留在历史中 / change fields and commit."""
    from ..write.store import edit_item

    env = _env(ctx, repo, lang)
    _write(env, lambda: edit_item(env.root, item_id, set_, commit=not no_commit))


@app.command()
@guarded
def withdraw(
    ctx: typer.Context,
    item_id: Annotated[str, typer.Argument(metavar="ID", help="条目编号 / item id")],
    reason: Annotated[str, typer.Option("--reason", help="撤回理由 / why")],
    on: Annotated[Optional[str], typer.Option("--on", help="撤回日期（默认今天） / withdrawn on")] = None,
    no_commit: NoCommitOption = False,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> None:
    """撤回条目（保留文件）并提交 / mark an item withdrawn (never deleted) and commit."""
    from ..write.store import withdraw_item

    env = _env(ctx, repo, lang)
    _write(env, lambda: withdraw_item(env.root, item_id, reason, env.as_of(on), commit=not no_commit))


@app.command()
@guarded
def log(
    ctx: typer.Context,
    item_id: Annotated[Optional[str], typer.Argument(metavar="[ID]", help="只看这一条目 / one item only")] = None,
    unit: UnitOption = None,
    output_format: Annotated[str, typer.Option("--format", help="table | json")] = "table",
    repo: RepoOption = None,
    lang: LangOption = None,
) -> None:
    """变更记录：谁在何时做了什么（来自 git 历史） / the audit trail from git history."""
    from ..schedule.schedule import descendants
    from ..write.history import RENDERERS, read_trail

    env = _env(ctx, repo, lang)
    render = renderer(RENDERERS, output_format)
    units = descendants(env.loaded, env.unit(unit)) if unit else None
    typer.echo(render(read_trail(env.root, item_id, units), env.lang))


def main() -> None:
    """Console entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # noqa: BLE001 - a person never sees a traceback
        typer.echo(text("error.internal", "zh", detail=f"{type(error).__name__}: {error}"), err=True)
        sys.exit(2)
