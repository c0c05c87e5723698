"""`gongkai init`: a new repository, empty or copied from a shipped example office."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from ..errors import UsageProblem
from ..load.repo import MARKER, git
from ..messages import text
from ..write.gitwrite import identity_check
from .pipelines import pipeline_files

PROJECT = Path(__file__).resolve().parents[3]
SHIPPED = "nmg-fupin"  # the project's own top-level example (seed S0)

# repository path → the commented template in gongkai_cli/templates/ it is written from (None: empty)
TEMPLATES = {
    MARKER: "init-gongkai.yaml",
    "catalog/units.yaml": "init-units.yaml",
    "catalog/categories.yaml": "init-categories.yaml",
    "rules/rules.yaml": "init-rules.yaml",
    "items/.gitkeep": None,
    "templates/item.yaml": "init-item.yaml",
    "templates/report.yaml": "init-report.yaml",
}


def template_files(lang: str = "zh") -> dict[str, bytes]:
    """The files of a new repository: every file kind as a template whose comments explain each field
    in `lang`, each of them as it stands a valid (empty) file."""
    folder = resources.files("gongkai_cli") / "templates"
    return {path: in_language((folder / name).read_text(encoding="utf-8"), lang).encode() if name else b""
            for path, name in TEMPLATES.items()}


def in_language(template: str, lang: str) -> str:
    """A template's lines for `lang`: a line starting `zh|` or `en|` is kept, without the tag, in that
    language only; every other line in both."""
    tags = {"zh|", "en|"}
    return "".join(line[3:] if line[:3] == f"{lang}|" else line
                   for line in template.splitlines(keepends=True) if line[:3] not in tags - {f"{lang}|"})


def example_names() -> list[str]:
    folder = PROJECT / "examples"
    names = sorted(p.name for p in folder.iterdir() if (p / MARKER).is_file()) if folder.is_dir() else []
    return [SHIPPED, *names] if (PROJECT / MARKER).is_file() else names


def example_files(name: str) -> dict[str, bytes]:
    """Every file of a shipped example office, by repository-relative path."""
    if name not in example_names():
        raise UsageProblem("error.unknown-example", value=name, choices=", ".join(example_names()))
    if name == SHIPPED:
        roots = [(PROJECT / MARKER, MARKER)] + [(PROJECT / top, top) for top in ("catalog", "rules", "items", "evidence", "reports")]
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


def init_repository(directory: Path, example: str | None = None, lang: str = "zh") -> Path:
    """Everything that can be checked is checked before the first file is written; a commit that
    still fails takes back what init wrote (never a .git or a file that was there before)."""
    directory = directory.resolve()
    if (directory / MARKER).exists():
        raise UsageProblem("error.exists", path=directory)
    files = example_files(example) if example else template_files(lang)
    files = {**pipeline_files(directory), **files}
    identity_check(directory)
    had_git = (directory / ".git").exists()
    created: list[Path] = []  # files and folders that were not there before, in creation order
    previous: dict[Path, bytes] = {}  # files that were there before, as they were
    try:
        _make_folder(directory, created)
        if not had_git:
            git(directory, "init", "-q")
        for relative, content in files.items():
            target = directory / relative
            _make_folder(target.parent, created)
            if target.is_file():
                previous[target] = target.read_bytes()
            else:
                created.append(target)
            target.write_bytes(content)
        git(directory, "add", "--", *files)
        git(directory, "commit", "-q", "-m", f"gongkai init{' --example ' + example if example else ''}",
            "-m", "Gongkai-Action: init")
    except BaseException:
        _take_back(directory, had_git, list(files), created, previous)
        raise
    return directory


def _make_folder(folder: Path, created: list[Path]) -> None:
    missing = [parent for parent in (folder, *folder.parents) if not parent.exists()]
    for parent in reversed(missing):
        parent.mkdir()
        created.append(parent)


def _take_back(directory: Path, had_git: bool, paths: list[str], created: list[Path],
               previous: dict[Path, bytes]) -> None:
    """Undo a failed init: its files, its folders, its .git; the index of a .git that was there before."""
    if had_git:
        git(directory, "reset", "-q", "--", *paths, check=False)
    elif (directory / ".git").is_dir():
        shutil.rmtree(directory / ".git", ignore_errors=True)
    for target, content in previous.items():
        target.write_bytes(content)
    for path in reversed(created):
        try:
            path.rmdir() if path.is_dir() else path.unlink()
        except OSError:
            pass  # a folder someone else has put files in meanwhile stays


def next_steps(directory: Path, example: bool, lang: str) -> list[str]:
    """What a new repository's keeper does next, numbered: edit the templates and commit them (not for a
    copied example, which is complete), then add, check, audit."""
    import shlex
    from datetime import datetime
    from zoneinfo import ZoneInfo

    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    steps = [] if directory == Path.cwd().resolve() else [text("init.next.cd", lang, path=shlex.quote(str(directory)))]
    steps += [] if example else [text("init.next.edit", lang), text("init.next.commit", lang)]
    steps += [text("init.next.add", lang), text("init.next.check", lang),
              text("init.next.audit", lang, quarter=f"{now.year}Q{(now.month - 1) // 3 + 1}")]
    return [text("init.next", lang), *(f"  {number}. {step}" for number, step in enumerate(steps, 1))]
