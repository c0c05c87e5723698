"""Shared fixtures: throwaway gongkai repositories in real git, and a CLI runner."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai_cli.cli import app

PROJECT = Path(__file__).resolve().parents[1]

CONFIG = "office: 测试办公室\ntimezone: Asia/Shanghai\ncalendar: cn\nlanguage: zh\n"
UNITS = """\
- id: zonghe
  name: 综合处
  kind: department
  clerks: [wang@example.gov.cn]
- id: xiang
  name: 某乡
  kind: township
- id: cun
  name: 某村
  kind: village
  parent: xiang
"""
CATEGORIES = """\
- id: policy-docs
  name: 规范性文件类
  time_limit: timely
- id: interpretations
  name: 政策解读
- id: work-news
  name: 工作动态
"""


@pytest.fixture(autouse=True)
def isolated_git(tmp_path_factory, monkeypatch):
    """git never reads the developer's own configuration; a fixed identity is set."""
    home = tmp_path_factory.mktemp("home")
    config = home / ".gitconfig"
    config.write_text("[user]\n\tname = 测试员\n\temail = tester@example.gov.cn\n[init]\n\tdefaultBranch = main\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(home))
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_DIR"):
        monkeypatch.delenv(name, raising=False)
    return config


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    for relative, content in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(textwrap.dedent(content), encoding="utf-8")


def make_repo(root: Path, files: dict[str, str | bytes] | None = None, base: bool = True) -> Path:
    """A committed gongkai repository: the base catalog (unless base=False) plus `files`."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    content: dict[str, str | bytes] = (
        {"gongkai.yaml": CONFIG, "catalog/units.yaml": UNITS, "catalog/categories.yaml": CATEGORIES} if base else {}
    )
    content.update(files or {})
    write_files(root, content)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "fixture", "--allow-empty")
    return root


def item(id: str = "2024-zonghe-a1b2", unit: str = "zonghe", category: str = "policy-docs", **fields) -> tuple[str, str]:
    """(path, yaml) of one item file; `fields` are added as `key: value` lines."""
    formed = fields.pop("formed", "2024-09-23")
    lines = [f"id: {id}", f"title: 测试条目 {id}", f"category: {category}", f"unit: {unit}", f"formed: {formed}"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    year = str(formed)[:4]
    return f"items/{year}/{unit}/{id}.yaml", "\n".join(lines) + "\n"


@pytest.fixture
def repo(tmp_path) -> Path:
    return make_repo(tmp_path / "office")


@pytest.fixture
def cli():
    """Run gongkai in-process: cli(repo, "check", "--format", "json") → Result (stdout/stderr apart)."""
    runner = CliRunner()

    def invoke(root: Path | None, *args: str, input: str | None = None):
        prefix = ["--repo", str(root)] if root is not None else []
        return runner.invoke(app, [*prefix, *args], input=input, catch_exceptions=False)

    return invoke
