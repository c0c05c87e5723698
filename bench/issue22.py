"""Issue 22's figures at 100,000 and 300,000 items, side by side with start-up and the git floors,
all measured in the same run.

    python bench/issue22.py [--sizes 100000,300000]

Repositories come from bench/generate.py (bench/repos/N, built when missing). Each command runs
as a subprocess (run.py's helpers): the median of up to five runs, and the largest resident set
of any run (ru_maxrss via wait4). Prints a Markdown table to paste into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import (  # noqa: E402 - a sibling script, not a package
    GONGKAI,
    OneChange,
    Timing,
    drop_cache,
    each_day_anew,
    fresh_clone_since,
    gongkai,
    repeated,
    repository,
    run_once,
)

NOTHING = "a pattern no item holds 7f3c"


def floor(name: str, size: int, repo: Path, *argv: str, codes=(0, 1)) -> Timing:
    def step():
        seconds, peak, code = run_once(list(argv), repo)
        return seconds, peak, code in codes
    return repeated(name, size, step, max_runs=3)


def figures(repo: Path, size: int) -> list[Timing]:
    change = OneChange(repo)
    results = [
        repeated("gongkai --help (start-up)", size, gongkai(repo, "--help")),
        floor("floor: git ls-files -s", size, repo, "git", "ls-files", "-s", "-z"),
        floor("floor: git diff-files", size, repo, "git", "diff-files", "--name-only", "-z"),
        floor("floor: git grep (working tree)", size, repo, "git", "grep", "-l", "-z", "-I", "-F", "-e", NOTHING,
              "--", "items"),
        floor("floor: git grep --cached", size, repo, "git", "grep", "--cached", "-l", "-z", "-I", "-F", "-e", NOTHING,
              "--", "items"),
        repeated("check cold", size, gongkai(repo, "check", prepare=lambda: drop_cache(repo)), max_runs=1),
        repeated("check warm", size, gongkai(repo, "check")),
    ]
    try:
        results.append(repeated("check (1 file changed)", size, gongkai(repo, "check", prepare=change.apply)))
    finally:
        change.restore()
    gongkai(repo, "check")()  # warm again after the restore
    results += [
        repeated("overdue (a new day)", size, each_day_anew(repo, "overdue")),
        repeated("audit (a new day)", size, each_day_anew(repo, "audit", "--quarter", "2024Q3")),
        repeated("due", size, gongkai(repo, "due", "--as-of", "2024-10-15")),
        fresh_clone_since(repo, size),
    ]
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,300000")
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    print(f"load average at the start: {', '.join(f'{one:.2f}' for one in os.getloadavg())}", flush=True)
    print("| N | command | median s | runs | peak MB |\n|---:|---|---:|---:|---:|", flush=True)
    for size in sizes:
        for timing in figures(repository(size), size):
            print(f"| {size:,} | {timing.name} | {timing.seconds:.3f} | {timing.runs} | {timing.peak_mb:.0f} |"
                  + ("" if timing.ok else " (failed)"), flush=True)
    print(f"load average at the end: {', '.join(f'{one:.2f}' for one in os.getloadavg())}; {GONGKAI}")


if __name__ == "__main__":
    main()
