"""`gongkai import catalog` of a generated 500-row, 4-sheet 标准目录 workbook (merged cells, ■/□ boxes,
√ marks, a title row and a note row per sheet) into a fresh repository, then the same workbook
again (nothing changed: no commit), then its export, and the import of that export.

    python bench/catalog.py [ROWS]      # default 500

Each figure is the wall time of the whole command (Python start-up included), best of three,
each run on a fresh copy of the repository for the first import.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from catalog_workbook import catalog_workbook, units_yaml  # noqa: E402 - the tests' generator

ROUNDS = 3
TARGET = 3.0  # seconds, for 500 rows (issue 16)


def gongkai_binary() -> str:
    beside = Path(sys.executable).with_name("gongkai")
    return str(beside) if beside.exists() else shutil.which("gongkai") or "gongkai"


def run(root: Path, *args: str) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run([gongkai_binary(), "--repo", str(root), "--lang", "en", *args], capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"gongkai {' '.join(args)} failed:\n{done.stderr}")
    return took, done.stderr.strip().splitlines()[-1]


def fresh_repository(folder: Path) -> Path:
    root = folder / "office"
    shutil.rmtree(root, ignore_errors=True)
    (root / "catalog").mkdir(parents=True)
    (root / "gongkai.yaml").write_text("office: 测试县人民政府\n", encoding="utf-8")
    (root / "catalog/units.yaml").write_text(units_yaml(), encoding="utf-8")
    (root / "catalog/categories.yaml").write_text("[]\n", encoding="utf-8")
    for command in (["init", "-q"], ["add", "-A"], ["-c", "user.name=bench", "-c", "user.email=bench@example.gov.cn",
                                                      "commit", "-qm", "catalog"]):
        subprocess.run(["git", *command], cwd=root, check=True)
    return root


def main(argv: list[str]) -> None:
    rows = int(argv[0]) if argv else 500
    folder = Path(tempfile.mkdtemp(prefix="gongkai-catalog-"))
    book = catalog_workbook(folder / "catalog.xlsx", rows=rows, sheets=4)
    first = []
    for _ in range(ROUNDS):
        root = fresh_repository(folder)
        first.append(run(root, "import", "catalog", str(book)))
    again = min(run(root, "import", "catalog", str(book)) for _ in range(ROUNDS))
    exported = folder / "export.xlsx"
    export = min(run(root, "export", "catalog", "-o", str(exported)) for _ in range(ROUNDS))
    round_trip = min(run(root, "import", "catalog", str(exported)) for _ in range(ROUNDS))
    best = min(first)
    print(f"{rows} rows, 4 sheets ({book.stat().st_size // 1024} KB)")
    print(f"import catalog (fresh repository, one commit): {best[0]:.2f} s  [{best[1]}]"
          f"  {'under' if best[0] < TARGET else 'OVER'} {TARGET:.0f} s")
    print(f"import catalog again (nothing changed):        {again[0]:.2f} s  [{again[1]}]")
    print(f"export catalog:                                {export[0]:.2f} s")
    print(f"import catalog of the export:                  {round_trip[0]:.2f} s  [{round_trip[1]}]")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
