"""The CI pipelines `gongkai init` writes into an office repository, kept as package data."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

# repository path → template file in gongkai_cli/templates/
PIPELINES = {
    ".github/workflows/gongkai.yml": "github-workflow.yml",
    ".github/workflows/gongkai-remind.yml": "github-remind.yml",
    ".gitlab-ci.yml": "gitlab-ci.yml",
}


def pipeline_files(directory: Path) -> dict[str, bytes]:
    """The pipelines a repository at `directory` does not have yet (an existing one is the office's own)."""
    templates = resources.files("gongkai_cli") / "templates"
    return {path: (templates / name).read_bytes() for path, name in PIPELINES.items()
            if not (directory / path).exists()}
