"""Time `import items` and `export items` on a generated 台账 (tests/ledger_sheets.py).

    python bench/ledger.py [--rows 5000] [--runs 3]

Each import runs as a subprocess into a fresh copy of a committed repository (the fixture
catalog of the tests); the median of the runs is printed, with the target of issue 16 (a
5,000-row ledger imports in under 10 s).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from ledger_sheets import ledger_rows, write_csv, write_xlsx

GONGKAI = str(Path(sys.executable).parent / "gongkai")
CONFIG = "office: 基准办公室\ntimezone: Asia/Shanghai\ncalendar: cn\nlanguage: zh\n"
UNITS = ("- id: zonghe\n  name: 综合处\n  kind: department\n- id: xiang\n  name: 某乡\n  kind: township\n"
         "- id: cun\n  name: 某村\n  kind: village\n  parent: xiang\n")
CATEGORIES = ("- id: policy-docs\n  name: 规范性文件类\n  time_limit: timely\n- id: interpretations\n  name: 政策解读\n"
              "- id: work-news\n  name: 工作动态\n")
TARGET_SECONDS = 10.0


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def template(folder: Path) -> Path:
    root = folder / "template"
    (root / "catalog").mkdir(parents=True)
    (root / "gongkai.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "catalog" / "units.yaml").write_text(UNITS, encoding="utf-8")
    (root / "catalog" / "categories.yaml").write_text(CATEGORIES, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.name=bench", "-c", "user.email=bench@example.gov.cn", "commit", "-qm", "catalog")
    return root


def timed(argv: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False,
                            env={"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.gov.cn",
                                 "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.gov.cn",
                                 "PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(cwd)})
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{result.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        base = template(folder)
        rows = ledger_rows(options.rows)
        sheets = {"xlsx": write_xlsx(folder / "台账.xlsx", rows), "csv": write_csv(folder / "台账.csv", rows)}
        figures = []
        for kind, sheet in sheets.items():
            first, again = [], []
            for run in range(options.runs):
                root = folder / f"{kind}-{run}"
                shutil.copytree(base, root)
                first.append(timed([GONGKAI, "import", "items", str(sheet)], root))
                again.append(timed([GONGKAI, "import", "items", str(sheet)], root))
            figures.append((f"import items ({kind}, new repository)", statistics.median(first)))
            figures.append((f"import items ({kind}, again: no change)", statistics.median(again)))
        root = folder / "xlsx-0"
        exported = folder / "export.xlsx"
        figures.append(("export items (xlsx)", timed([GONGKAI, "export", "items", "-o", str(exported)], root)))
        figures.append(("import items (the export: no change)", timed([GONGKAI, "import", "items", str(exported)], root)))
    print(f"{options.rows:,} rows, median of {options.runs} runs (seconds)")
    for name, seconds in figures:
        print(f"| {options.rows:,} | {name} | {seconds:.2f} |")
    worst = max(seconds for name, seconds in figures if "new repository" in name)
    verdict = "met" if worst < TARGET_SECONDS else "NOT met"
    print(f"target: a {options.rows:,}-row ledger imports in under {TARGET_SECONDS:.0f} s — {worst:.2f} s, {verdict}")


if __name__ == "__main__":
    main()
