"""`gongkai check --since HEAD` next to a full `gongkai check`, on a repository of 20,000 items.

    python bench/since.py [N] [DIR]     # default N 20000; default DIR a temporary folder

Builds the repository with bench/generate.py (deterministic: same N, same bytes), changes one
item's title in the working tree, and prints how long each check takes (best of three runs).
A fresh CI clone has no parse cache (.git/gongkai-cache), so the uncached full check is the one
a pull request's `--since` run replaces.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402 - a sibling script, not a package

ROUNDS = 3
RUNS = [  # label, check's arguments, environment
    ("check --since HEAD", ("--since", "HEAD"), {}),
    ("check (full, parse cache warm)", (), {}),
    ("check (full, no cache: as in CI)", (), {"GONGKAI_NO_CACHE": "1"}),
]


def gongkai_binary() -> str:
    beside = Path(sys.executable).with_name("gongkai")
    return str(beside) if beside.exists() else shutil.which("gongkai") or "gongkai"


def change_one_item(root: Path) -> str:
    """The first item file (sorted) gets a new title; returns its path."""
    path = sorted((root / "items").rglob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: ", "title: （修订）", 1), encoding="utf-8")
    return path.relative_to(root).as_posix()


def best_time(root: Path, args: tuple[str, ...], env: dict[str, str]) -> tuple[float, str]:
    """Best wall time of ROUNDS runs, and the last run's summary line."""
    times, summary = [], ""
    for _ in range(ROUNDS):
        start = time.perf_counter()
        done = subprocess.run([gongkai_binary(), "--repo", str(root), "--lang", "en", "check", *args],
                              capture_output=True, text=True, env={**os.environ, **env})
        times.append(time.perf_counter() - start)
        summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr.strip()
    return min(times), summary


def main(argv: list[str]) -> None:
    count = int(argv[0]) if argv else 20_000
    folder = Path(argv[1]) if len(argv) > 1 else Path(tempfile.mkdtemp(prefix="gongkai-since-")) / str(count)
    started = time.perf_counter()
    root = generate(count, folder)
    print(f"repository: {root} ({count} items, built in {time.perf_counter() - started:.1f} s)")
    print(f"changed:    {change_one_item(root)}")
    for label, args, env in RUNS:
        seconds, summary = best_time(root, args, env)
        print(f"{label:<32} {seconds:7.2f} s   {summary}")


if __name__ == "__main__":
    main(sys.argv[1:])
