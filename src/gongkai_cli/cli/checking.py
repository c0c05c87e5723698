"""`check`, `schema` and `codeowners`: what CI and editors ask of a repository."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import UsageProblem
from .app import app
from .common import (
    Env,
    LangOption,
    OutputOption,
    RepoOption,
    _env,
    format_option,
    guarded,
    renderer,
)


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


def _warn_shallow(env: Env) -> None:
    """A shallow clone lacks the history `--since` judges by (owners at REV, who changed what)."""
    from ..load.repo import git

    if git(env.root, "rev-parse", "--is-shallow-repository", check=False).strip() == "true":
        env.say("warning.shallow")


def _listed_early(root: Path, whole: bool):
    """A full check (`whole`) starts the git commands its listing asks first, before its imports."""
    from contextlib import nullcontext

    from ..load.cache import listed_early

    return listed_early(root) if whole else nullcontext()


@app.command()
@guarded
def check(
    ctx: typer.Context,
    paths: Annotated[Optional[list[Path]], typer.Argument(help="只报告这些文件或目录 / only these files or folders")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="只检查自 REV 以来的改动及其引用 / changes since REV")] = None,
    output_format: format_option("text", "json", "github") = "text",
    fail_overdue: Annotated[bool, typer.Option("--fail-overdue", help="逾期未公开作为错误 / overdue items are errors")] = False,
    actor: Annotated[Optional[str], typer.Option("--actor", help="拉取请求作者（CI 平台账号或邮箱），与 --since 同用 / the pull request's author as CI knows them")] = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> None:
    """校验仓库中的每个文件 / validate every file."""
    from ..model.findings import RENDERERS, has_errors, summary

    env = _env(ctx, repo, lang)
    render = renderer(RENDERERS, output_format)
    missing = [path for path in paths or [] if not path.exists()]
    if missing:
        raise UsageProblem("error.no-such-path", path=missing[0])
    if actor is not None and since is None:
        raise UsageProblem("error.actor-needs-since")
    _warn_repository_state(env)
    if since is not None:
        _warn_shallow(env)
    with _listed_early(env.root, since is None and not fail_overdue):
        from ..check.validate import validate  # the most of check's imports: git lists meanwhile

        result = validate(env.root, paths=paths or [], since=since, lang=env.lang, fail_overdue=fail_overdue,
                          actor=actor)
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
    output: Annotated[Optional[Path], typer.Option("-o", "--output", metavar="DIR", help=(
        "写入文件夹：每类文件一个 KIND.schema.json（默认输出到屏幕） / write one KIND.schema.json per file kind into DIR"))] = None,
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
def codeowners(
    ctx: typer.Context,
    output: OutputOption = None,
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
