"""How long `gongkai check --since` takes on each hostile pull request of tests/hostile_pulls.py
(the 2,400-unit parent chain and the 40,000-key item among them), and a full `check` of the same
checkout.

    python bench/gate.py [NAME ...]     # default: every case (hostile, then legitimate)

Each case is built in a temporary folder as tests/test_gate.py builds it; each figure is the best
of three runs, with the exit code and the number of findings of the last.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from hostile_pulls import HOSTILE, LEGIT, Pull  # noqa: E402 - the corpus lives beside the tests

ROUNDS = 3
# git's own configuration, as the tests have it (conftest.isolated_git): commit authors are the cases'.
GIT_CONFIG = "[user]\n\tname = bench\n\temail = bench@example.gov.cn\n[init]\n\tdefaultBranch = main\n"


def gongkai_binary() -> str:
    beside = Path(sys.executable).with_name("gongkai")
    return str(beside) if beside.exists() else shutil.which("gongkai") or "gongkai"


def best_time(work: Path, args: list[str]) -> tuple[float, int, int]:
    """Best wall time of ROUNDS runs; exit code and finding count of the last."""
    times, code, count = [], 0, 0
    for _ in range(ROUNDS):
        start = time.perf_counter()
        done = subprocess.run([gongkai_binary(), "--repo", str(work), *args], capture_output=True, text=True,
                              check=False, env={**os.environ, "GONGKAI_NO_CACHE": "1"})
        times.append(time.perf_counter() - start)
        code = done.returncode
        try:
            count = len(json.loads(done.stdout)["findings"])
        except (ValueError, KeyError):
            count = -1
    return min(times), code, count


def main(names: list[str]) -> None:
    pulls: list[Pull] = [pull for pull in HOSTILE + LEGIT if not names or pull.name in names]
    print("| pull request | `check --since` s | exit | findings | full `check` s | exit |")
    print("|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="gongkai-gate-") as folder:
        (Path(folder) / "gitconfig").write_text(GIT_CONFIG, encoding="utf-8")
        os.environ.update({"GIT_CONFIG_GLOBAL": str(Path(folder) / "gitconfig"), "GIT_CONFIG_NOSYSTEM": "1"})
        for index, pull in enumerate(pulls):
            work = pull.open(Path(folder) / str(index))
            since, code, count = best_time(work, pull.args())
            full, full_code, _ = best_time(work, ["check", "--format", "json"])
            print(f"| {pull.name} | {since:.2f} | {code} | {count} | {full:.2f} | {full_code} |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
