"""`init`: a new repository, and what to do next."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import app
from .common import LangOption, _env, guarded


@app.command()
@guarded
def init(
    ctx: typer.Context,
    directory: Annotated[Optional[Path], typer.Argument(help="目录（默认 --repo 或当前目录） / folder")] = None,
    example: Annotated[Optional[str], typer.Option("--example", help="复制示例仓库 / copy a shipped example")] = None,
    lang: LangOption = None,
) -> None:
    """创建 gongkai 仓库：带说明的模板文件，首次提交 / create a repository: commented templates, first commit."""
    from ..setup.init import init_repository, next_steps

    env = _env(ctx, directory, lang)
    language = env.lang_option or "zh"  # no repository yet to take the language from
    path = init_repository(env.repo_option or Path("."), example, language)
    env.say("init.done", path=path)
    typer.echo("\n".join(next_steps(path, example is not None, language)), err=True)
