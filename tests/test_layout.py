"""The package's shape: one subpackage per pipeline stage, imports only downward (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src/gongkai_cli"
# lowest first: a module may import its own stage, any lower one, and the leaf helpers
STAGES = ("model", "load", "schedule", "check", "report", "notify", "write", "sheets", "setup", "cli")
LEAVES = {"messages", "errors", "__init__"}
ENTRY = "__main__"  # `python -m gongkai_cli`: above everything
SOURCES = sorted(PACKAGE.rglob("*.py"))


def rank_of(parts: tuple[str, ...]) -> int:
    """How high a module stands: its stage's place, -1 for a leaf helper, above all for the entry point."""
    name = parts[0].removesuffix(".py")
    return len(STAGES) if name == ENTRY else -1 if name in LEAVES else STAGES.index(name)


def imported_stages(path: Path, package: Path = PACKAGE) -> list[tuple[int, str]]:
    """(line, stage) of every import of another part of gongkai_cli in `path`, lazy ones included."""
    here = path.relative_to(package).parts
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = here[: len(here) - node.level]
            targets = [(node.module or "").split(".")] if node.module else [[alias.name] for alias in node.names]
            for target in targets:
                parts = (*base, *target)
                if parts and parts[0] not in LEAVES and parts[0] in STAGES:
                    found.append((node.lineno, parts[0]))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [node.module] if isinstance(node, ast.ImportFrom) else [alias.name for alias in node.names]
            for name in names:
                parts = (name or "").split(".")
                if parts[0] == "gongkai_cli" and len(parts) > 1 and parts[1] in STAGES:
                    found.append((node.lineno, parts[1]))
    return found


def test_every_module_lives_in_a_stage_or_is_a_leaf():
    loose = [path.name for path in PACKAGE.glob("*.py") if path.stem not in {*LEAVES, ENTRY}]
    assert not loose, f"modules outside any stage: {loose}"
    assert {path.name for path in PACKAGE.iterdir() if path.is_dir() and (path / "__init__.py").exists()} \
        <= {*STAGES, "messages"}


def upward_imports(path: Path, package: Path = PACKAGE) -> list[str]:
    rank = rank_of(path.relative_to(package).parts)
    return [f"line {line}: {stage}" for line, stage in imported_stages(path, package) if STAGES.index(stage) > rank]


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.relative_to(PACKAGE).as_posix())
def test_imports_run_one_way(path):
    assert not upward_imports(path), f"{path.relative_to(PACKAGE)} imports from a higher stage: {upward_imports(path)}"


def test_the_checker_sees_upward_imports(tmp_path):
    """The test above can fail: relative, absolute and lazy imports of a higher stage are all caught."""
    (tmp_path / "model").mkdir()
    sample = tmp_path / "model" / "sample.py"
    sample.write_text("from ..cli import app\nfrom gongkai_cli.report import listing\n\n\ndef f():\n"
                      "    from ..schedule.calendar import WorkCalendar\n    from . import kinds\n", encoding="utf-8")
    assert upward_imports(sample, tmp_path) == ["line 1: cli", "line 2: report", "line 6: schedule"]
