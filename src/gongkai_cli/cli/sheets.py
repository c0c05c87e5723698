"""`time-limit`, `import …` and `export …`: the office's own spreadsheets in and out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from .app import app
from .common import LangOption, NoCommitOption, RepoOption, UnitOption, _env, guarded, renderer

import_app = typer.Typer(name="import", help="从表格导入 / import the office's spreadsheets", no_args_is_help=True)
export_app = typer.Typer(name="export", help="导出为表格 / export as spreadsheets", no_args_is_help=True)
app.add_typer(import_app)
app.add_typer(export_app)

# Shared by the import commands.
SheetOption = Annotated[str | None, typer.Option("--sheet", help="工作表名（默认：第一个有表头的） / worksheet")]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="只显示将写入什么 / show what would be written")]


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


# import items, export items -----------------------------------------------------------------

MapOption = Annotated[list[str] | None, typer.Option(
    "--map", metavar="HEADER=FIELD", help="表头=字段（可重复；details.键 亦可） / map a header to a field, repeatable")]


@import_app.command("items")
@guarded
def import_items(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(metavar="FILE.xlsx|csv", help="台账 / the ledger")],
    sheet: SheetOption = None,
    maps: MapOption = None,
    dry_run: DryRunOption = False,
    no_commit: NoCommitOption = False,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> None:
    """导入台账为信息条目（一次提交） / an existing 台账 → items, one commit."""
    from ..sheets.ledger_import import LedgerRejected, dry_run_lines, summary_key
    from ..sheets.ledger_import import import_items as run

    env = _env(ctx, repo, lang)
    try:
        imported = run(env.root, source, sheet, maps or (), dry_run=dry_run, commit=not no_commit)
    except LedgerRejected as rejected:
        for problem in rejected.problems:
            typer.echo(problem.line(rejected.name, env.lang), err=True)
        env.say("ledger.rejected", count=len(rejected.problems))
        raise typer.Exit(2) from None
    if imported.ignored:
        env.say("ledger.ignored-columns", columns="、".join(imported.ignored))
    for problem in imported.warnings:
        typer.echo(problem.line(imported.name, env.lang), err=True)
    if dry_run:
        typer.echo("\n".join(dry_run_lines(imported, env.lang)))
    key, args = summary_key(imported)
    env.say(key, **args)


@export_app.command("items")
@guarded
def export_items(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", metavar="FILE.xlsx|csv", help="写入文件 / write to FILE")],
    year: Annotated[int | None, typer.Option("--year", help="成文年份 / year formed")] = None,
    unit: UnitOption = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> None:
    """导出信息条目为台账 / the items as a 台账 (xlsx or csv)."""
    from ..sheets.ledger_export import export_items as run

    env = _env(ctx, repo, lang)
    count = run(env.root, output, year=year, unit=unit, lang=env.lang)
    env.say("ledger.exported", count=count, path=output)


# import catalog, export catalog --------------------------------------------------------------


@import_app.command("catalog")
@guarded
def import_catalog(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(metavar="FILE.xlsx|csv", help="基层政务公开标准目录 / the catalog workbook")],
    sheet: Annotated[str | None, typer.Option("--sheet", help="只读此工作表（默认：每个有表头的） / only this sheet")] = None,
    dry_run: DryRunOption = False,
    no_commit: NoCommitOption = False,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> None:
    """导入标准目录为公开事项和规则（一次提交） / a 标准目录 workbook → categories and rules, one commit."""
    from ..sheets.catalog_import import CatalogRejected, problem_lines, render_plan
    from ..sheets.catalog_import import import_catalog as run

    env = _env(ctx, repo, lang)
    try:
        result = run(env.root, source, sheet, dry_run=dry_run, commit=not no_commit)
    except CatalogRejected as rejected:
        for place, f in zip(rejected.places, rejected.findings):
            typer.echo(f"{place}: {f.code}: {f.message(env.lang)}", err=True)
        env.say("catalog.rejected")
        raise typer.Exit(2) from None
    if dry_run:
        typer.echo(render_plan(result, env.lang))
    for line in problem_lines(result, env.lang):
        typer.echo(line, err=True)
    if result.removed_rules:
        env.say("catalog.removed-rules", ids="、".join(result.removed_rules))
    counts = {"name": result.name, "new": result.count("new"), "changed": result.count("changed"),
              "rules": result.rule_count}
    if dry_run:
        env.say("catalog.planned", **counts)
    elif not result.files:
        env.say("catalog.nothing-changed", name=result.name, rows=len(result.rows))
    else:
        env.say("catalog.committed" if result.commit else "catalog.written", **counts, commit=(result.commit or "")[:10])


@export_app.command("catalog")
@guarded
def export_catalog(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", metavar="FILE.xlsx", help="写入文件 / write to FILE")],
    repo: RepoOption = None,
    lang: LangOption = None,
) -> None:
    """导出标准目录（合并一级事项、√、勾选渠道，可直接打印） / the catalog as the standard sheet, print-ready."""
    from ..sheets.catalog_export import export_catalog as run

    env = _env(ctx, repo, lang)
    count = run(env.root, output)
    env.say("catalog.exported", count=count, path=output)
