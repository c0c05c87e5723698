"""CSV as a clerk opens it: headers in the report's language, a BOM when it goes to a file, -o for
overdue and due, and -o and --format that disagree refused."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT

S0 = ("--as-of", "2018-10-15")
AUDIT = ("audit", "--quarter", "2018Q3", *S0)


def rows(shown: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(shown.removeprefix("\ufeff"))))


@pytest.mark.parametrize("command", [("overdue", *S0), ("due", "--as-of", "2018-09-01", "--within", "30"), AUDIT])
def test_headers_are_chinese_by_default_and_machine_names_in_english(cli, command):
    chinese = cli(PROJECT, *command, "--format", "csv")
    english = cli(PROJECT, "--lang", "en", *command, "--format", "csv")
    assert chinese.exit_code == english.exit_code == 0, chinese.stderr
    head_zh, head_en = chinese.stdout.splitlines()[0], english.stdout.splitlines()[0]
    assert head_zh.split(",")[:2] in (["规则编号", "规则"], ["单位编号", "单位"])
    assert head_en.split(",")[:2] in (["rule", "rule_name"], ["unit", "name"])
    assert len(head_zh.split(",")) == len(head_en.split(","))
    # same data, but for the names of built-in rules (law-request-15wd), which speak the report's language
    assert data_without_rule_names(chinese.stdout) == data_without_rule_names(english.stdout) or command == AUDIT


def data_without_rule_names(shown: str) -> list[list[str]]:
    return [row[:1] + row[2:] for row in csv.reader(io.StringIO(shown.removeprefix("\ufeff")))][1:]


def test_overdue_csv_names_titles(cli):
    found = rows(cli(PROJECT, "--lang", "en", "overdue", *S0, "--format", "csv").stdout)
    assert any(row["title"] == "关于认定第七批自治区扶贫龙头企业的通知" for row in found)


@pytest.mark.parametrize("command", [("overdue", *S0), AUDIT])
def test_csv_to_a_file_starts_with_a_bom_and_to_a_pipe_without(cli, tmp_path, command):
    target = tmp_path / "清单.csv"
    written = cli(PROJECT, *command, "-o", str(target))
    assert written.exit_code == 0, written.stderr
    content = target.read_bytes()
    assert content.startswith(b"\xef\xbb\xbf") and content.count(b"\xef\xbb\xbf") == 1
    piped = cli(PROJECT, *command, "--format", "csv").stdout
    assert not piped.startswith("\ufeff") and content.decode("utf-8")[1:] == piped


def test_stdout_redirected_to_a_file_gets_the_bom_too(tmp_path):
    target = tmp_path / "逾期.csv"
    with target.open("wb") as stream:
        subprocess.run([sys.executable, "-m", "gongkai_cli", "--repo", str(PROJECT), "overdue", *S0, "--format", "csv"],
                       stdout=stream, check=True)
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    piped = subprocess.run([sys.executable, "-m", "gongkai_cli", "--repo", str(PROJECT), "overdue", *S0, "--format", "csv"],
                           capture_output=True, check=True).stdout
    assert not piped.startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("command", [("overdue", *S0), ("due", *S0), AUDIT])
def test_output_and_format_that_disagree_are_refused(cli, tmp_path, command):
    target = tmp_path / "x.xlsx"
    result = cli(PROJECT, *command, "-o", str(target), "--format", "csv")
    assert result.exit_code == 2 and "x.xlsx" in result.stderr and "Traceback" not in result.stderr
    assert not target.exists()


def test_overdue_takes_its_format_from_the_extension(cli, tmp_path):
    target = tmp_path / "overdue.json"
    assert cli(PROJECT, "overdue", *S0, "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8").lstrip().startswith("[")
    refused = cli(PROJECT, "overdue", *S0, "-o", str(tmp_path / "overdue.md"))
    assert refused.exit_code == 2 and ".csv" in refused.stderr and not Path(tmp_path / "overdue.md").exists()
