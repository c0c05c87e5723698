"""The docs and `--help` stay in step: every command has help, is in the README, and cli.md's are all there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gongkai_cli.cli import app

PROJECT = Path(__file__).resolve().parents[1]
CONTRACT = PROJECT.parent / "shared/docs/cli.md"
COMMANDS = sorted(command.name or command.callback.__name__ for command in app.registered_commands)


def test_every_contract_command_exists():
    if not CONTRACT.is_file():
        pytest.skip("../shared/docs/cli.md is not beside this checkout")
    named = set(re.findall(r"^\| `gongkai (\w+)", CONTRACT.read_text(encoding="utf-8"), flags=re.M))
    assert named and named <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_is_in_the_readme(cli, name):
    result = cli(None, name, "--help")
    assert result.exit_code == 0
    assert "--help" in result.stdout
    command = next(c for c in app.registered_commands if (c.name or c.callback.__name__) == name)
    assert (command.callback.__doc__ or "").strip(), f"{name} has no help text"
    assert f"gongkai {name}" in (PROJECT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("flag", ["--repo", "--lang", "--version", "--help"])
def test_global_options(cli, flag):
    result = cli(None, "--help")
    assert flag in result.stdout
