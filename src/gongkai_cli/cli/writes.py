"""`add`, `disclose`, `edit`, `withdraw`: one item, one commit."""

from __future__ import annotations

import sys
from typing import Annotated, Callable, Optional

import typer

from ..errors import UsageProblem
from ..messages import text
from .app import app
from .common import Env, LangOption, NoCommitOption, RepoOption, _env, guarded, parse_instant

SET_HELP = "字段=值（文字照原样；日期、列表 [a, b]、true/false 按 YAML）；details.键=值 / key=value (text as typed)"
SetOption = Annotated[Optional[list[str]], typer.Option("--set", help=SET_HELP)]
ChannelOption = Annotated[Optional[list[str]], typer.Option("--channel", help="公开渠道，可重复 / channel, repeatable")]
UrlOption = Annotated[Optional[str], typer.Option("--url", help="链接 / link")]


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
    for field, old, new in written.replaced:
        env.say("store.replaced", id=written.item_id, field=field, old=old, new=new)
    if _stderr_is_terminal():  # for a person; a program reads the id (add) and the exit code
        key = "store.committed" if written.commit else "store.written"
        env.say(key, action=action_label(written.action, env.lang), id=written.item_id, path=written.path,
                commit=(written.commit or "")[:10])
    return written


def _stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def _stdin_is_terminal() -> bool:
    """Whether a person can answer questions (tests make CliRunner's input one)."""
    return sys.stdin.isatty()


def _ask(flag: str, given, question: Callable):
    """`given`, or on a terminal the answer to `question()`; elsewhere a missing value names its flag."""
    if given is not None:
        return given
    if not _stdin_is_terminal():
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
    if formed is None and _stdin_is_terminal():
        formed = typer.prompt(text("store.prompt.formed", env.lang), default=today(env.config).isoformat(),
                              value_proc=_answer_checker(env, parse_instant), err=True)
    return {"unit": unit, "category": category, "title": title,
            "formed": parse_instant(formed) if formed else today(env.config)}


def _required_answers(env: Env, fields: dict, sets: list[str]) -> list[str]:
    """On a terminal, the chosen category's required `fields` the options did not give, asked one by
    one and returned as `--set` texts (an item field, else a `details` key); elsewhere none, and the
    item's check names what is missing."""
    from ..model.models import Item
    from ..write.store import catalog, parse_set

    if not _stdin_is_terminal():
        return []
    chosen = next((c for c in catalog(env.root).categories if fields["category"] in (c.id, c.name)), None)
    given = {key for key, value in fields.items() if value not in (None, "", [])} | {parse_set(s)[0] for s in sets}
    answers = []
    for name in chosen.fields if chosen else []:
        key = name if name in Item.model_fields else f"details.{name}"
        if key not in given:
            answer = typer.prompt(text("store.prompt.field", env.lang, field=name, category=chosen.name), err=True,
                                  value_proc=_field_checker(env, key))
            answers.append(f"{key}={answer}")
    return answers


def _field_checker(env: Env, key: str) -> Callable:
    """A required field's answer read as `--set` reads it and checked against the item model's type
    (a date, a period, a link), so a bad answer is asked again instead of failing the whole item."""
    from pydantic import TypeAdapter, ValidationError

    from ..model.models import Item
    from ..write.store import parse_set

    field = Item.model_fields.get(key)
    kind = (Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation) if field else None
    adapter = TypeAdapter(kind) if field else None

    def checked(answer: str) -> str:
        _, value = parse_set(f"{key}={answer}")
        if value in (None, "", [], {}):
            raise typer.BadParameter(text("store.prompt.empty", env.lang))
        if adapter is not None:
            try:
                adapter.validate_python(value)
            except ValidationError as problem:
                raise typer.BadParameter(text("store.prompt.invalid", env.lang, field=key,
                                              detail=problem.errors()[0]["msg"])) from None
        return answer

    return checked


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
    filed: Annotated[Optional[str], typer.Option("--filed", help="报备日期（交政务公开办） / filed with the disclosure office on")] = None,
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
    from ..write.store import add_item, refuse_uncommitted_catalog

    env = _env(ctx, repo, lang)
    if not no_commit:  # before the questions, not after them (the write checks again under its lock)
        refuse_uncommitted_catalog(env.root)
    fields = _new_item_answers(env, unit, category, title, formed)
    fields |= {"disclosed": disclosed and parse_instant(disclosed), "filed": filed and parse_instant(filed),
               "doc_number": doc_number, "period": period, "url": url, "channels": channel or [], "of": of}
    sets = [*(set_ or []), *_required_answers(env, fields, set_ or [])]
    written = _write(env, lambda: add_item(env.root, fields, sets, commit=not no_commit))
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
    _write(env, lambda: withdraw_item(env.root, item_id, reason, env.day(on), commit=not no_commit))
