"""`time-limit`, `import …` and `export …`: the office's own spreadsheets in and out."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from .app import app
from .common import LangOption, RepoOption, _env, guarded, renderer

import_app = typer.Typer(name="import", help="从表格导入 / import the office's spreadsheets", no_args_is_help=True)
export_app = typer.Typer(name="export", help="导出为表格 / export as spreadsheets", no_args_is_help=True)
app.add_typer(import_app)
app.add_typer(export_app)


@app.command("time-limit")
@guarded
def time_limit(
    ctx: typer.Context,
    phrase: Annotated[str, typer.Argument(metavar="TEXT", help="公开时限原文 / the catalog's 公开时限 text")],
    format_: Annotated[str, typer.Option("--format", help="text | json")] = "text",
    repo: RepoOption = None,
    lang: LangOption = None,
) -> None:
    """解读公开时限文字 / how gongkai reads a catalog's 公开时限 phrase."""
    from ..sheets.time_limit import explain, read_time_limit

    env = _env(ctx, repo, lang)
    render = renderer({"text": lambda r: "\n".join(explain(r, env.lang)),
                       "json": lambda r: json.dumps(r.as_json(), ensure_ascii=False)}, format_)
    typer.echo(render(read_time_limit(phrase)))
