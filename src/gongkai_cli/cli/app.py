"""The `gongkai` Typer application and its global options; commands live in the modules beside it."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from typer.core import TyperGroup

from .. import __version__
from ..messages import text
from .clicklib import core, exceptions
from .common import Env, LangOption, RepoOption
from .help import Formatter, chosen_language, show_error

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


class HelpContext(core.Context):
    formatter_class = Formatter


def adopt(command: core.Command) -> None:
    """Every command (and subcommand) lays its help out with the Formatter."""
    command.context_class = HelpContext
    for child in getattr(command, "commands", {}).values():
        adopt(child)


class GongkaiGroup(TyperGroup):
    context_class = HelpContext

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for command in self.commands.values():
            adopt(command)

    def parse_args(self, ctx, args):
        return super().parse_args(ctx, hoist_global_options(list(args)))

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """Click's run, with its help and usage errors in the person's language."""
        given = list(sys.argv[1:] if args is None else args)
        lang = Formatter.lang = chosen_language(given)
        try:
            code = super().main(given, prog_name, complete_var, standalone_mode=False, **extra)
        except exceptions.ClickException as error:
            if not standalone_mode:
                raise
            show_error(error, lang)
            sys.exit(error.exit_code)
        except typer.Abort:
            if not standalone_mode:
                raise
            typer.echo(text("help.aborted", lang), err=True)
            sys.exit(130)
        if standalone_mode:
            sys.exit(code if isinstance(code, int) else 0)
        return code


app = typer.Typer(
    name="gongkai",
    cls=GongkaiGroup,
    help="政务公开合规跟踪：公开目录、单位、规则和每条公开信息以 YAML 存放在 Git 仓库中。"
    " / Compliance tracker for government information disclosure: catalog, units, rules and items as YAML in git.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=True,
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
