"""`gongkai init`: a new repository, empty or copied from a shipped example office."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import UsageProblem
from .pipelines import pipeline_files
from .repo import MARKER, GitError, git

PROJECT = Path(__file__).resolve().parents[2]
SHIPPED = "nmg-fupin"  # the project's own top-level example (seed S0)

EMPTY_FILES = {
    MARKER: "office: 某某办公室\ntimezone: Asia/Shanghai\ncalendar: cn\nlanguage: zh\n",
    "catalog/units.yaml": "[]\n",
    "catalog/categories.yaml": "[]\n",
    "rules/.gitkeep": "",
    "items/.gitkeep": "",
}


def example_names() -> list[str]:
    folder = PROJECT / "examples"
    names = sorted(p.name for p in folder.iterdir() if (p / MARKER).is_file()) if folder.is_dir() else []
    return [SHIPPED, *names] if (PROJECT / MARKER).is_file() else names


def example_files(name: str) -> dict[str, bytes]:
    """Every file of a shipped example office, by repository-relative path."""
    if name not in example_names():
        raise UsageProblem("error.unknown-example", value=name, choices=", ".join(example_names()))
    if name == SHIPPED:
        roots = [(PROJECT / MARKER, MARKER)] + [(PROJECT / top, top) for top in ("catalog", "rules", "items", "evidence")]
    else:
        base = PROJECT / "examples" / name
        roots = [(base, "")]
    files = {}
    for source, prefix in roots:
        if source.is_file():
            files[prefix] = source.read_bytes()
            continue
        for path in sorted(source.rglob("*")) if source.is_dir() else []:
            if path.is_file():
                relative = path.relative_to(source).as_posix()
                files[f"{prefix}/{relative}" if prefix else relative] = path.read_bytes()
    return files


def init_repository(directory: Path, example: str | None = None) -> Path:
    directory = directory.resolve()
    if (directory / MARKER).exists():
        raise UsageProblem("error.exists", path=directory)
    files = example_files(example) if example else {k: v.encode() for k, v in EMPTY_FILES.items()}
    files = {**pipeline_files(directory), **files}
    directory.mkdir(parents=True, exist_ok=True)
    if not (directory / ".git").exists():
        git(directory, "init", "-q")
    for relative, content in files.items():
        target = directory / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    git(directory, "add", "--", *files)
    identity_check(directory)
    git(directory, "commit", "-q", "-m", f"gongkai init{' --example ' + example if example else ''}",
        "-m", "Gongkai-Action: init")
    return directory


ROLES = ("author", "committer")


def identity_check(root: Path) -> None:
    """git refuses to commit without a name and email; say how to set them before it does.

    An identity counts when git would use it without guessing: from the environment
    (GIT_AUTHOR_NAME, GIT_AUTHOR_EMAIL, GIT_COMMITTER_NAME, GIT_COMMITTER_EMAIL, EMAIL) or
    from git's configuration (user.*, author.*, committer.*). git then has the last word.
    """
    here = next((folder for folder in (root, *root.parents) if folder.is_dir()), Path.cwd())
    listing = git(here, "config", "-z", "--get-regexp", r"^(user|author|committer)\.(name|email)$", check=False)
    configured = {}
    for entry in filter(None, listing.split("\0")):
        key, _, value = entry.partition("\n")
        configured[key.lower()] = value.strip()
    for role in ROLES:
        name = os.environ.get(f"GIT_{role.upper()}_NAME") or configured.get(f"{role}.name") or configured.get("user.name")
        email = (os.environ.get(f"GIT_{role.upper()}_EMAIL") or configured.get(f"{role}.email")
                 or configured.get("user.email") or os.environ.get("EMAIL"))
        if not (name or "").strip() or not (email or "").strip():
            raise UsageProblem("error.no-identity")
        try:
            git(here, "var", f"GIT_{role.upper()}_IDENT")
        except GitError:
            raise UsageProblem("error.no-identity") from None
