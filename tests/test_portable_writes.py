"""Writes where fcntl does not exist (a portable lock), and files written with the modes the umask gives."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest
from conftest import git

ADD = ("add", "--category", "policy-docs", "--unit", "zonghe", "--title", "测试", "--formed", "2024-09-23")


def test_a_write_works_where_fcntl_is_missing(repo):
    program = ("import sys; sys.modules['fcntl'] = None\n"  # as on Windows: importing fcntl fails
               "from gongkai_cli.cli import main; sys.argv = ['gongkai', *sys.argv[1:]]; main()")
    done = subprocess.run([sys.executable, "-c", program, "--repo", str(repo), *ADD], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "warn" not in done.stderr.lower()
    assert git(repo, "log", "-1", "--format=%s").strip().startswith(("add", "登记"))  # one commit, as ever
    assert not git(repo, "status", "--porcelain").strip()


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_written_files_take_their_mode_from_the_umask(cli, repo, tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        added = cli(repo, *ADD)
        report = tmp_path / "通报.md"
        audited = cli(repo, "audit", "--quarter", "2024Q3", "--as-of", "2024-10-15", "-o", str(report))
    finally:
        os.umask(old)
    assert added.exit_code == 0 and audited.exit_code == 0, added.stderr + audited.stderr
    written = next((repo / "items").rglob("*.yaml"))
    assert stat.S_IMODE(written.stat().st_mode) == mode
    assert stat.S_IMODE(report.stat().st_mode) == mode
