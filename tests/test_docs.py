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
    named = set(re.findall(r"^\| `gongkai ([\w-]+)", CONTRACT.read_text(encoding="utf-8"), flags=re.M))
    assert named and named <= {path.split()[0] for path, _ in _click_commands()}


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


def _models() -> list[type]:
    """Every Pydantic model the file formats are made of, nested ones included."""
    from pydantic import BaseModel

    from gongkai_cli.model import models

    return sorted({obj for obj in vars(models).values()
                   if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == models.__name__},
                  key=lambda model: model.__name__)


def _field_names(model: type) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


@pytest.mark.parametrize("model", _models(), ids=lambda model: model.__name__)
def test_every_model_field_is_in_the_format_reference(model):
    reference = (PROJECT / "docs/format.md").read_text(encoding="utf-8")
    missing = [name for name in _field_names(model)
               if not re.search(rf"(`{re.escape(name)}[`:= ]|^\s*-?\s*{re.escape(name)}:|[{{,]\s*{re.escape(name)}[}},:])", reference, flags=re.M)]
    assert not missing, f"docs/format.md does not describe {model.__name__}: {missing}"


def _click_commands():
    """(path, click command) for every command and subcommand of `gongkai`."""
    import typer.main

    def walk(command, path):
        yield path, command
        if hasattr(command, "commands"):  # a group (typer vendors its own click)
            for name, sub in command.commands.items():
                yield from walk(sub, (*path, name))

    return [(" ".join(path), command) for path, command in walk(typer.main.get_command(app), ()) if path]


@pytest.mark.parametrize(("path", "command"), _click_commands(), ids=lambda value: value if isinstance(value, str) else "")
def test_every_command_and_option_is_in_the_cli_reference(path, command):
    reference = (PROJECT / "docs/cli.md").read_text(encoding="utf-8")
    assert f"gongkai {path}" in reference, f"docs/cli.md does not name `gongkai {path}`"
    options = [parameter.opts for parameter in command.params if parameter.param_type_name == "option"
               and not {"--help", "--repo", "--lang"} & set(parameter.opts)]
    missing = [names[0] for names in options
               if not any(re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", reference) for name in names)]
    assert not missing, f"docs/cli.md does not describe the options of `gongkai {path}`: {missing}"


def test_the_docs_checks_can_fail(tmp_path):
    """A field or option the reference does not name is caught by the same patterns the tests use."""
    assert not re.search(r"--no-such-option(?![\w-])", "--no-such-option-here")
    assert re.search(r"(`formed[`:= ]|^\s*-?\s*formed:)", "formed: 2024-09-23", flags=re.M)
