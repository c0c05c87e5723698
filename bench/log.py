"""`gongkai log` of one item and of everything, on a repository of N items (default 20,000).

    python bench/log.py [N] [DIR]     # default DIR a temporary folder

Builds the repository with bench/generate.py (one commit adding every item), then commits
EDITS changes to one item and EDITS changes spread over other items, and prints the best of
three runs of: `git log --follow` of the item (the floor), `gongkai log ID` (table and json),
and `gongkai log --format json` of everything. The one-item trail walks the item's file only
(`git log --follow`) and reads the versions in one `git cat-file`; the initial commit's
N created files are told as created without being read.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402 - a sibling script, not a package

ROUNDS = 3
EDITS = 50
IDENTITY = ["-c", "user.name=bench", "-c", "user.email=bench@example.gov.cn", "-c", "commit.gpgsign=false"]


def gongkai_binary() -> str:
    beside = Path(sys.executable).with_name("gongkai")
    return str(beside) if beside.exists() else shutil.which("gongkai") or "gongkai"


def edit(root: Path, path: Path, serial: int) -> None:
    """One commit changing the item's note (the first adds it)."""
    text = path.read_text(encoding="utf-8")
    noted = text.replace(f"note: 第{serial - 1}次修改", f"note: 第{serial}次修改") if serial else text + "note: 第0次修改\n"
    path.write_text(noted, encoding="utf-8")
    subprocess.run(["git", *IDENTITY, "commit", "-q", "-am", f"edit {serial}"], cwd=root, check=True)


def best(command: list[str], root: Path) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(ROUNDS):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=root, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
        size = len(done.stdout.splitlines())
    return min(times), size


def main(argv: list[str]) -> None:
    count = int(argv[0]) if argv else 20_000
    folder = Path(argv[1]) if len(argv) > 1 else Path(tempfile.mkdtemp(prefix="gongkai-log-")) / str(count)
    root = generate(count, folder)
    files = sorted((root / "items").rglob("*.yaml"))
    target, others = files[0], files[1: EDITS + 1]
    for serial in range(EDITS):
        edit(root, target, serial)
        edit(root, others[serial], 0)
    item = target.stem
    print(f"repository: {root} ({count} items, {2 * EDITS + 1} commits; item {item} changed {EDITS} times)")
    gongkai = [gongkai_binary(), "--repo", str(root), "--lang", "en"]
    runs = [
        ("git log --follow (floor)", ["git", "log", "--oneline", "--follow", "--", target.relative_to(root).as_posix()]),
        ("gongkai log ID", [*gongkai, "log", item]),
        ("gongkai log ID --format json", [*gongkai, "log", item, "--format", "json"]),
        ("gongkai log --oneline (everything)", [*gongkai, "log", "--oneline"]),
    ]
    for label, command in runs:
        seconds, lines = best(command, root)
        print(f"{label:<36} {seconds:7.3f} s   {lines} lines")


if __name__ == "__main__":
    main(sys.argv[1:])
