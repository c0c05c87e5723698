"""Every obligation row of obligations.md, computed over the example offices.

Each example carries a hand-computed table of its occurrences (due day and status as of a
day), written from the seed and the calendar independently of the engine; the engine must
agree with every row.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from gongkai_cli.check.check import run_checks
from gongkai_cli.load.load import load_repository
from gongkai_cli.schedule.schedule import occurrences
from gongkai_cli.schedule.settings import calendar_of

PROJECT = Path(__file__).resolve().parents[1]

# example root, expected-table file, as-of day
EXAMPLES = {
    "nmg-fupin": (PROJECT, PROJECT / "docs/example-s0.md", date(2018, 10, 15)),
    "nmg-gov": (PROJECT / "examples/nmg-gov", PROJECT / "examples/nmg-gov/EXPECTED.md", date(2020, 4, 10)),
    "xian-fupin": (PROJECT / "examples/xian-fupin", PROJECT / "examples/xian-fupin/EXPECTED.md", date(2019, 5, 15)),
    "hohhot-minzheng": (PROJECT / "examples/hohhot-minzheng", PROJECT / "examples/hohhot-minzheng/EXPECTED.md",
                        date(2018, 12, 10)),
    "xichuan": (PROJECT / "examples/xichuan", PROJECT / "examples/xichuan/EXPECTED.md", date(2018, 1, 8)),
}


def expected_rows(path: Path) -> list[dict[str, str]]:
    """Rows of every Markdown table with `due` and `status` columns; the rule comes from a
    `rule` column or the nearest `### rule-id` heading above the table."""
    rows, heading, header = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            match = re.match(r"#+\s*`?([a-z0-9-]+)`?", line)
            heading, header = (match.group(1) if match else None), None
        elif line.startswith("|"):
            cells = [_token(cell) for cell in line.strip().strip("|").split("|")]
            if header is None:
                header = [cell.lower() for cell in cells]
            elif not set(cells) <= {"---", ":---", "---:", ""} and not all(set(c) <= set("-: ") for c in cells):
                row = dict(zip(header, cells))
                if "due" in row and "status" in row:
                    row.setdefault("rule", heading or "")
                    rows.append(row)
        else:
            header = None
    return rows


def _token(cell: str) -> str:
    """The leading id, date or status of a cell (`**overdue**`, `xietiao-1 协调指导一处` → the id)."""
    cell = cell.replace("*", "").replace("`", "").strip()
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9:T/-]*", cell)
    return match.group(0) if match else cell


def computed(root: Path, as_of: date):
    snapshot, findings = load_repository(root)
    return snapshot, findings, occurrences(snapshot, calendar_of(snapshot.config), as_of)


def key_of(rule: str, unit: str, what: str) -> tuple[str, str, str]:
    return rule, unit, what


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_is_valid(name):
    root, _, _ = EXAMPLES[name]
    snapshot, findings = load_repository(root)
    errors = [f for f in findings + run_checks(snapshot) if f.severity == "error"]
    assert errors == []


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_expected_occurrence(name):
    root, table, as_of = EXAMPLES[name]
    _, _, found = computed(root, as_of)
    by_key = {}
    for o in found:
        by_key[key_of(o.rule, o.unit, o.item or o.period or "")] = o
    rows = expected_rows(table)
    assert len(rows) >= 10
    mismatches = []
    for row in rows:
        what = next((row[column] for column in row if ("item" in column or "period" in column) and row[column]), "")
        occurrence = by_key.get(key_of(row["rule"], row["unit"], what))
        actual = None if occurrence is None else (occurrence.as_json(as_of)["due"], occurrence.status)
        if actual != (row["due"], row["status"]):
            mismatches.append((row["rule"], row["unit"], what, (row["due"], row["status"]), actual))
    assert mismatches == []


def _copy_of(name: str, tmp_path: Path) -> Path:
    import shutil

    root, _, _ = EXAMPLES[name]
    target = tmp_path / name
    shutil.copytree(root, target, ignore=shutil.ignore_patterns(".git", ".venv", "src", "tests", "bench", "docs", "examples"))
    return target


def _error_codes(root: Path) -> list[str]:
    snapshot, findings = load_repository(root)
    return [f.code for f in findings + run_checks(snapshot) if f.severity == "error"]


def test_s4_board_contacts_pass_only_because_the_category_allows_them(tmp_path):
    """「照片、姓名、职务、工作分工、联系电话」: the village board lists its officials' mobiles (S4)."""
    root = _copy_of("xichuan", tmp_path)
    assert _error_codes(root) == []
    categories = root / "catalog/categories.yaml"
    categories.write_text(categories.read_text(encoding="utf-8").replace("  privacy: {allow: [mobile]}\n", ""),
                          encoding="utf-8")
    assert set(_error_codes(root)) == {"privacy-mobile"}  # one for each of the three officials


def test_s1_interpretations_come_from_the_drafting_unit(tmp_path):
    """「谁起草谁解读」: an interpretation by another unit is refused by `check` and meets nothing (S1)."""
    root = _copy_of("nmg-gov", tmp_path)
    (root / "items/2019/bangongting/2019-bangongting-t8hq.yaml").write_text(
        "id: 2019-bangongting-t8hq\ntitle: 图解：关于进一步加强中小学生欺凌防治工作的通知\ncategory: interpretations\n"
        "unit: bangongting\nformed: 2019-09-06\ndisclosed: 2019-09-06\nof: 2019-jyt-kasy\n", encoding="utf-8")
    assert _error_codes(root) == ["foreign-companion"]
    _, _, found = computed(root, date(2020, 4, 10))
    kasy = next(o for o in found if o.rule == "s1-interpretation" and o.item == "2019-jyt-kasy")
    assert (kasy.as_json(date(2020, 4, 10))["due"], kasy.status, kasy.met_on) == ("2019-09-06", "overdue", None)


@pytest.mark.parametrize("name, item, rule, due, status", [
    ("nmg-fupin", "2018-zhengce-fagui-q7r3", "law-request-15wd", "2018-09-25", "done"),
    ("nmg-fupin", "2018-guihua-caiwu-s5dn", "law-request-15wd", "2018-10-22", "pending"),
    ("xian-fupin", "2019-xietiao-3-q4ks", "law-request-15wd", "2019-05-14", "done"),
    ("xian-fupin", "2019-xietiao-3-w7ne", "law-request-20wd", "2019-06-13", "pending"),
    ("nmg-gov", "2019-rst-k2vd", "law-request-15wd", "2019-05-20", "done"),
])
def test_requests_fall_under_the_law_of_the_day_they_were_received(name, item, rule, due, status):
    root, _, as_of = EXAMPLES[name]
    _, _, found = computed(root, as_of)
    assert [(o.rule, o.as_json(as_of)["due"], o.status) for o in found if o.item == item] == [(rule, due, status)]
