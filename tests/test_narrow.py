"""Every table fits the terminal, down to 60 columns; overdue and due name titles and run soonest first."""

from __future__ import annotations

import pytest
from conftest import PROJECT

from gongkai_cli.report.tables import cell_width

S0 = ("--as-of", "2018-10-15")


@pytest.mark.parametrize("columns", [60, 80, 100])
@pytest.mark.parametrize("command", [("audit", "--quarter", "2018Q3", *S0), ("overdue", *S0),
                                     ("due", "--as-of", "2018-09-01", "--within", "30")], ids=["audit", "overdue", "due"])
def test_tables_fit_the_terminal(cli, monkeypatch, columns, command):
    monkeypatch.setenv("COLUMNS", str(columns))
    result = cli(PROJECT, *command)
    assert result.exit_code == 0, result.stderr
    boxes = [line for line in result.stdout.splitlines() if line[:1] in "┏┃┡│├└"]
    assert boxes and max(cell_width(line) for line in boxes) <= columns
    assert len({cell_width(line) for line in boxes if line.startswith("┏")}) >= 1


def test_overdue_names_titles_and_runs_soonest_deadline_first(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    shown = cli(PROJECT, "overdue", *S0).stdout
    assert "关于认定第七批自治区扶贫龙头企业的通知" in shown
    dues = [cell.strip() for line in shown.splitlines() if line.startswith("│")
            for cell in line.split("│")[4:5] if cell.strip()]
    assert dues and dues == sorted(dues)


def test_due_runs_soonest_first(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    shown = cli(PROJECT, "due", "--as-of", "2018-09-01", "--within", "30").stdout
    dues = [cell.strip() for line in shown.splitlines() if line.startswith("│")
            for cell in line.split("│")[4:5] if cell.strip()]
    assert len(dues) > 1 and dues == sorted(dues)
