"""gongkai.yaml's basic settings: read without the models when plainly valid, the proper error otherwise."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from gongkai_cli.schedule.settings import Basics, read_basics, read_config

from gongkai_cli.errors import UsageProblem


def basics_of(tmp_path: Path, text: str) -> Basics:
    (tmp_path / "gongkai.yaml").write_text(text, encoding="utf-8")
    return read_basics(tmp_path)


def test_plain_settings(tmp_path: Path):
    basics = basics_of(tmp_path, "office: 示范县\nlanguage: en\ncalendar: weekdays\n"
                                 "workdays: [2024-09-29]\nholidays: ['2024-10-08']\n")
    assert basics == Basics("en", "weekdays", "Asia/Shanghai", (date(2024, 9, 29),), (date(2024, 10, 8),))


@pytest.mark.parametrize("text", ["language: fr\n", "workdays: [20240929]\n", "holidays: 2024-10-08\n",
                                  "calendar: [cn]\n", "workdays: ['2024-02-30']\n"])
def test_anything_else_gets_the_models_error(tmp_path: Path, text: str):
    with pytest.raises(UsageProblem) as raised:
        basics_of(tmp_path, text)
    with pytest.raises(UsageProblem) as full:
        read_config(tmp_path)
    assert raised.value.args == full.value.args


def test_deadline_needs_no_models(tmp_path: Path):
    (tmp_path / "gongkai.yaml").write_text("language: en\n", encoding="utf-8")
    probe = ("import sys; from gongkai_cli.cli import main; sys.argv = ['gongkai', 'deadline', '2024-09-23', '--days', '3']\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\nprint('gongkai_cli.model.models' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == ["2024-09-26", "False"]


@pytest.mark.parametrize(("text", "zh", "en"), [
    ("office: 示范县\nlanguage: fr\n", "gongkai.yaml 有错误：gongkai.yaml:2:11: invalid-choice: language 的值 fr 不在允许范围内",
     "gongkai.yaml is invalid: gongkai.yaml:2:11: invalid-choice: language value fr is not one of"),
    ("office: 示范县\noffice: 又一县\n", "gongkai.yaml 有错误：gongkai.yaml:2:1: yaml-duplicate-key: 重复的键 office",
     "gongkai.yaml is invalid: gongkai.yaml:2:1: yaml-duplicate-key"),
])
def test_a_bad_config_stops_a_report_with_its_place_and_message_in_the_persons_language(tmp_path, cli, text, zh, en):
    (tmp_path / "gongkai.yaml").write_text(text, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    chinese, english = cli(tmp_path, "overdue"), cli(tmp_path, "--lang", "en", "overdue")
    assert chinese.exit_code == english.exit_code == 2
    assert zh in chinese.stderr and en in english.stderr and "Input should" not in chinese.stderr
