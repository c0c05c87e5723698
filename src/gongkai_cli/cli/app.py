"""The `gongkai` Typer application and its global options; commands live in the modules beside it."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from typer.core import TyperGroup

from .. import __version__
from ..messages import text
from .common import Env, LangOption, RepoOption

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


def main() -> None:
    """Console entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # noqa: BLE001 - a person never sees a traceback
        typer.echo(text("error.internal", "zh", detail=f"{type(error).__name__}: {error}"), err=True)
        sys.exit(2)
