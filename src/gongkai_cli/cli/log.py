"""`log`: the audit trail."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

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
