"""`log`: the audit trail."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..errors import UsageProblem
from .app import app
from .common import (
    LangOption,
    RepoOption,
    UnitOption,
    _env,
    format_option,
    guarded,
    renderer,
)


@app.command()
@guarded
def log(
    ctx: typer.Context,
    item_id: Annotated[Optional[str], typer.Argument(metavar="[ID]", help="只看这一条目 / one item only")] = None,
    unit: UnitOption = None,
    output_format: format_option("table", "json") = "table",
    oneline: Annotated[bool, typer.Option("--oneline", help="每处变更一行 / one line per change")] = False,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> None:
    """变更记录：谁在何时改了什么（来自 git 历史） / the audit trail from git history: who changed what, when."""
    from ..write.history import RENDERERS, render_oneline, trail

    env = _env(ctx, repo, lang)
    render = renderer(RENDERERS, output_format)
    if oneline and output_format != "table":
        raise UsageProblem("log.oneline-format")
    typer.echo((render_oneline if oneline else render)(trail(env.root, item_id, unit), env.lang, one_item=item_id is not None))
