"""Help and usage errors in the chosen language, Click's own words too, wrapped by display width,
values named rather than typed; shell completion."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_repo
from gongkai_cli.cli import app
from gongkai_cli.report.tables import cell_width
from typer.main import get_command

COMMANDS = sorted(name for name, command in get_command(app).commands.items() if not hasattr(command, "commands"))
HAN = re.compile(r"[\u4e00-\u9fff]")


def shown(cli, monkeypatch, columns: int, *args: str):
    monkeypatch.setenv("COLUMNS", str(columns))
    return cli(None, *args)


def test_help_is_chinese_by_default_with_clicks_own_words(cli, monkeypatch):
    result = shown(cli, monkeypatch, 100, "add", "--help")
    assert result.exit_code == 0
    assert "显示本帮助并退出" in result.stdout and "Show this message" not in result.stdout
    assert result.stdout.startswith("用法：gongkai add") and "选项：" in result.stdout
    assert "register an item" not in result.stdout and "公开事项分类" in result.stdout


def test_lang_en_gives_english_help_without_chinese(cli, monkeypatch):
    result = shown(cli, monkeypatch, 100, "--lang", "en", "add", "--help")
    assert "Show this message and exit." in result.stdout and result.stdout.startswith("Usage: gongkai add")
    options = result.stdout.split("Options:")[1]
    assert not HAN.search(options), options


def test_the_repositorys_language_chooses_the_help_too(cli, monkeypatch, tmp_path):
    root = make_repo(tmp_path / "office", {"gongkai.yaml": "office: Test\ntimezone: Asia/Shanghai\ncalendar: cn\nlanguage: en\n"})
    monkeypatch.setenv("COLUMNS", "100")
    assert "Show this message and exit." in cli(root, "overdue", "--help").stdout


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_help_fits_60_columns_names_values_and_never_breaks_a_word(cli, monkeypatch, command, lang):
    narrow = shown(cli, monkeypatch, 60, "--lang", lang, command, "--help").stdout
    wide = shown(cli, monkeypatch, 400, "--lang", lang, command, "--help").stdout
    assert all(cell_width(line) <= 60 for line in narrow.splitlines()), narrow
    for typed in ("<str>", "<int>", "<path>", "<list", "[[", "{FROM}"):
        assert typed not in narrow
    assert set(re.findall(r"[A-Za-z][A-Za-z'.-]*", narrow)) <= set(re.findall(r"[A-Za-z][A-Za-z'.-]*", wide))


@pytest.mark.parametrize("args, zh, en", [
    (("deadline",), "错误：缺少参数 FROM", "Error: Missing argument FROM"),
    (("overdue", "--bogus"), "错误：没有选项 --bogus", "Error: No such option: --bogus"),
    (("overdue", "--unit"), "错误：选项 --unit 需要一个值", "Error: Option --unit requires an argument"),
    (("withdraw", "x"), "错误：缺少选项 --reason", "Error: Missing option --reason"),
    (("deadline", "2024-01-01", "--days", "x"), "错误：--days 的值无效：应为整数", "Error: Invalid value for --days: expected a whole number"),
    (("nosuch",), "错误：没有命令 nosuch", "Error: No such command nosuch"),
])
def test_usage_errors_speak_the_chosen_language(cli, args, zh, en):
    chinese = cli(None, *args)
    english = cli(None, "--lang", "en", *args)
    assert chinese.exit_code == english.exit_code == 2
    assert zh in chinese.stderr and "Error" not in chinese.stderr and "Usage" not in chinese.stderr
    assert ("用法：" in chinese.stderr) == ("运行 'gongkai" in chinese.stderr) == ("Try 'gongkai" in english.stderr)
    assert en in english.stderr


def test_completion_options_are_offered_and_complete_commands_and_options():
    program = str(Path(sys.executable).with_name("gongkai"))
    help_text = subprocess.run([program, "--help"], capture_output=True, text=True).stdout
    assert "--install-completion" in help_text and "--show-completion" in help_text
    environment = {**os.environ, "_GONGKAI_COMPLETE": "complete_bash", "COMP_WORDS": "gongkai audit --qu", "COMP_CWORD": "2"}
    completed = subprocess.run([program], capture_output=True, text=True, env=environment)
    assert completed.stdout.split() == ["--quarter"]
