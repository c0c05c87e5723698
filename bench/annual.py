"""`gongkai annual-report` on 100,000 items with over 10,000 requests: bench/generate.py's synthetic
repository of N − 7,000 items (about 4 % of them requests) and 7,000 more requests of every
requester and outcome, some across the year's end and some appealed. The report on 2023 as JSON,
cold (no load cache) and warm (the cache of the first run): wall time of the whole command, best
of three warm runs.

    python bench/annual.py [N]      # default 100000; the repository is bench/repos/annual-N, made if missing
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import YEARS, commit, generate  # noqa: E402 - beside this script

EXTRA = 7_000
REQUESTERS = ("natural-person", "business", "research", "nonprofit", "legal-service", "other")
OUTCOMES = ("granted", "partial", "denied/third-party", "denied/process-info", "unable/no-info", "unable/unclear",
            "not-processed/repeat", "other/overdue-correction", "other/other")

TARGET = 2.0  # seconds warm, for 100,000 items (issue 15)
ROUNDS = 3


def gongkai_binary() -> str:
    beside = Path(sys.executable).with_name("gongkai")
    return str(beside) if beside.exists() else shutil.which("gongkai") or "gongkai"


def run(root: Path) -> tuple[float, dict]:
    start = time.perf_counter()
    done = subprocess.run([gongkai_binary(), "--repo", str(root), "annual-report", "2023", "--as-of", "2024-03-01",
                           "--format", "json"], check=False, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"annual-report failed:\n{done.stderr}")
    return took, json.loads(done.stdout)


def add_requests(root: Path) -> None:
    """EXTRA request items in the departments of the generated repository, committed."""
    units = [line.split(": ")[1] for line in (root / "catalog/units.yaml").read_text("utf-8").splitlines()
             if line.startswith("- id: ")][:40]
    for serial in range(EXTRA):
        year, unit = YEARS[serial % len(YEARS)], units[serial % len(units)]
        received = date(year, 1, 1) + timedelta(days=(serial * 7) % 365)
        lines = [f"id: {year}-{unit}-req{serial:05d}", f"title: 关于第{serial}号事项的政府信息公开申请",
                 "category: requests", f"unit: {unit}", f"formed: {received}", "mode: on-request",
                 f"received: {received}", f"requester: {REQUESTERS[serial % len(REQUESTERS)]}"]
        if serial % 19:
            lines += [f"replied: {received + timedelta(days=5 + serial % 30)}", f"outcome: {OUTCOMES[serial % len(OUTCOMES)]}"]
        if serial % 97 == 0:
            lines += ["appeals:", f"  - {{kind: review, filed: {received + timedelta(days=40)}, result: upheld, "
                                  f"decided: {received + timedelta(days=100)}}}"]
        target = root / "items" / str(year) / unit / f"{year}-{unit}-req{serial:05d}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.rmtree(root / ".git")
    commit(root)


def main(argv: list[str]) -> None:
    count = int(argv[0]) if argv else 100_000
    root = Path(__file__).resolve().parent / "repos" / f"annual-{count}"
    if not (root / "gongkai.yaml").exists():
        generate(count - EXTRA, root)
        add_requests(root)
    requests = sum(1 for path in (root / "items").rglob("*.yaml") if "mode: on-request" in path.read_text("utf-8"))
    cold, document = run(root)
    warm = min(run(root)[0] for _ in range(ROUNDS))
    table3 = document["table3"]
    print(f"items {count}, requests {requests}; report on 2023: new_received {table3['new_received']['total']}, "
          f"carried_over {table3['carried_over']['total']}, handled {table3['total']['total']}, "
          f"carried_forward {table3['carried_forward']['total']}; findings {len(document['findings'])}")
    print(f"annual-report cold {cold:.2f} s, warm {warm:.2f} s (target < {TARGET:.0f} s warm: "
          f"{'yes' if warm < TARGET else 'NO'})")


if __name__ == "__main__":
    main(sys.argv[1:])
