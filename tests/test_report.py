"""report.py: figures counted from given occurrences (never recomputed), rolled up the unit tree, and the views."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from gongkai_cli.load.load import load_contents
from gongkai_cli.schedule.periods import Period
from gongkai_cli.schedule.schedule import Occurrence

from gongkai_cli.errors import UsageProblem
from gongkai_cli.report import report

Q3 = Period.parse("2024Q3")
AS_OF = date(2024, 10, 15)
UNITS = """\
- {id: county, name: 县政府办, kind: office}
- {id: town, name: 某镇, kind: township}
- {id: village-a, name: 甲村, kind: village, parent: town}
- {id: village-b, name: 乙村, kind: village, parent: town}
- {id: hamlet, name: 某组, kind: village, parent: village-a}
"""


def snapshot(units: str = UNITS, items: dict[str, str] | None = None):
    files = {"gongkai.yaml": "office: 某县\ntimezone: Asia/Shanghai\n", "catalog/units.yaml": units,
             "catalog/categories.yaml": "- {id: news, name: 工作动态}\n", **(items or {})}
    loaded, findings = load_contents({path: text.encode() for path, text in files.items()})
    assert [f for f in findings if f.severity == "error"] == []
    return loaded


def occurrence(unit: str, status: str, due: date = date(2024, 8, 1), rule: str = "r", **fields) -> Occurrence:
    return Occurrence(rule, "规则", unit, fields.get("period", "2024-07"), fields.get("item"), due, status,
                      fields.get("met_on"))


def disclosed_item(id: str, unit: str, disclosed: str) -> tuple[str, str]:
    return f"items/2024/{unit}/{id}.yaml", (f"id: {id}\ntitle: 条目{id}\ncategory: news\nunit: {unit}\n"
                                          f"formed: 2024-06-01\ndisclosed: {disclosed}\n")


def test_counts_each_status_of_the_quarter_and_ignores_other_quarters():
    found = [occurrence("town", status) for status in ("done", "done", "late", "overdue", "pending", "exempt")]
    found.append(occurrence("town", "overdue", due=date(2024, 6, 30)))
    result = report.audit(snapshot(), found, Q3, AS_OF)
    town = next(row for row in result.rows if row.unit.id == "town")
    assert town.own == report.Figures(due=6, done=2, late=1, overdue=1, pending=1, exempt=1)
    assert town.own.on_time_rate == 0.5


def test_an_occurrence_counts_in_the_quarter_of_its_deadline_even_an_hours_deadline():
    found = [occurrence("town", "done", due=datetime(2024, 9, 30, 23, 0)),
             occurrence("town", "done", due=datetime(2024, 10, 1, 3, 0))]
    assert report.audit(snapshot(), found, Q3, AS_OF).totals.due == 1


def test_statuses_are_taken_as_given_not_recomputed():
    # Unmet and long past its deadline, yet the schedule said pending: the report must say pending too.
    found = [occurrence("town", "pending", due=date(2024, 7, 1))]
    assert report.audit(snapshot(), found, Q3, AS_OF).totals.pending == 1


@pytest.mark.parametrize(
    "figures, rate",
    [
        (report.Figures(due=3, done=2, late=1), 0.667),
        (report.Figures(due=3, done=1, overdue=2), 0.333),
        (report.Figures(due=2, pending=1, exempt=1), None),
        (report.Figures(), None),
        (report.Figures(due=4, done=2, pending=2), 1.0),
    ],
)
def test_on_time_rate_is_done_over_due_less_exempt_and_pending(figures, rate):
    assert figures.on_time_rate == rate


def test_rollup_adds_every_descendant_and_totals_add_own_figures():
    found = [occurrence("town", "done"), occurrence("village-a", "late"), occurrence("hamlet", "overdue"),
             occurrence("village-b", "done"), occurrence("county", "done")]
    result = report.audit(snapshot(), found, Q3, AS_OF)
    rows = {row.unit.id: row for row in result.rows}
    assert rows["town"].own.due == 1
    assert rows["town"].rollup == report.Figures(due=4, done=2, late=1, overdue=1)
    assert rows["village-a"].rollup == report.Figures(due=2, late=1, overdue=1)
    assert rows["hamlet"].rollup == rows["hamlet"].own
    assert result.totals == report.Figures(due=5, done=3, late=1, overdue=1)
    roots = [row for row in result.rows if row.depth == 0]
    assert sum((row.rollup for row in roots), report.Figures()) == result.totals


def test_rows_are_the_unit_tree_depth_first():
    result = report.audit(snapshot(), [], Q3, AS_OF)
    assert [(row.unit.id, row.depth) for row in result.rows] == [
        ("county", 0), ("town", 0), ("village-a", 1), ("hamlet", 2), ("village-b", 1)]


def test_sort_by_rate_orders_siblings_lowest_first_and_keeps_the_tree():
    found = [occurrence("county", "done"), occurrence("town", "overdue"),
             occurrence("village-a", "done"), occurrence("village-b", "late")]
    result = report.audit(snapshot(), found, Q3, AS_OF, sort="rate")
    assert [row.unit.id for row in result.rows] == ["town", "village-b", "village-a", "hamlet", "county"]


def test_a_unit_limits_the_report_to_its_subtree():
    found = [occurrence("county", "done"), occurrence("village-a", "late"), occurrence("hamlet", "done")]
    result = report.audit(snapshot(), found, Q3, AS_OF, unit="village-a")
    assert [(row.unit.id, row.depth) for row in result.rows] == [("village-a", 0), ("hamlet", 1)]
    assert result.totals == report.Figures(due=2, done=1, late=1)


def test_units_in_a_parent_cycle_are_still_listed_once():
    units = "- {id: a, name: 甲, kind: village, parent: b}\n- {id: b, name: 乙, kind: village, parent: a}\n"
    result = report.audit(snapshot(units), [occurrence("a", "done")], Q3, AS_OF)
    assert sorted(row.unit.id for row in result.rows) == ["a", "b"]
    assert result.totals.due == 1


def test_disclosed_counts_items_disclosed_in_the_quarter_up_to_as_of_in_office_time():
    items = dict([
        disclosed_item("in-q3", "town", "2024-08-01"),
        disclosed_item("in-q2", "town", "2024-06-30"),
        disclosed_item("after-as-of", "town", "2024-09-20"),
        # 2024-06-30T20:00 in London is already 1 July in Beijing.
        disclosed_item("late-evening", "town", "2024-06-30T20:00:00+01:00"),
    ])
    result = report.audit(snapshot(items=items), [], Q3, date(2024, 9, 10))
    assert next(row for row in result.rows if row.unit.id == "town").own.disclosed == 2


def test_chase_lists_late_and_overdue_of_the_unit_itself():
    found = [occurrence("town", "late"), occurrence("town", "done"), occurrence("village-a", "overdue")]
    rows = {row.unit.id: row for row in report.audit(snapshot(), found, Q3, AS_OF).rows}
    assert [o.status for o in rows["town"].chase] == ["late"]
    assert [o.status for o in rows["village-a"].chase] == ["overdue"]


def test_json_keeps_the_contract_keys():
    result = report.audit(snapshot(), [occurrence("village-a", "done")], Q3, AS_OF, commit="abc")
    document = json.loads(report.render_json(result, "zh"))
    assert {"quarter", "as_of", "commit", "office", "units", "totals"} <= set(document)
    assert (document["quarter"], document["as_of"], document["commit"], document["office"]) == \
        ("2024Q3", "2024-10-15", "abc", "某县")
    town = next(unit for unit in document["units"] if unit["unit"] == "town")
    assert {"unit", "name", "parent", "own", "rollup"} <= set(town)
    assert list(town["rollup"]) == [*report.COUNTS, "on_time_rate"]
    assert town["rollup"]["on_time_rate"] == 1.0 and town["own"]["on_time_rate"] is None


def test_csv_shows_the_table_figures_under_machine_headers_in_english():
    result = report.audit(snapshot(), [occurrence("village-a", "done")], Q3, AS_OF, rolled=False)
    text = report.render_csv(result, "en")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["due"] for row in rows if row["unit"] == "town"] == ["0"]
    assert rows[-1]["name"] == "Total" and rows[-1]["on_time_rate"] == "1.0"


def test_md_shows_villages_under_their_township_and_escapes_pipes():
    items = dict([disclosed_item("x", "village-a", "2024-08-01")])
    found = [occurrence("village-a", "late", item="x", period=None)]
    loaded = snapshot(items=items)
    loaded.items[0].title = "甲|乙"
    text = report.render_md(report.audit(loaded, found, Q3, AS_OF), "zh")
    assert "| └ 甲村 | 1 | 0 | 1 |" in text
    assert "| \u3000└ 某组 |" in text
    assert "| 甲\\|乙 |" in text  # the item by its title, not its id


def test_parse_period_accepts_only_the_kind_asked_for():
    assert report.parse_period("2024q3") == Q3
    for bad in ("2024-09", "2024Q5", "2024", "Q3"):
        with pytest.raises(UsageProblem):
            report.parse_period(bad)
    assert report.parse_period("2024", "year").end == date(2024, 12, 31)
    assert report.parse_period("2024h1", "half-year").end == date(2024, 6, 30)
    assert report.parse_period("2024-09", "month").start == date(2024, 9, 1)
    for kind, bad in (("year", "2024Q3"), ("half-year", "2024H3"), ("month", "2024-13")):
        with pytest.raises(UsageProblem):
            report.parse_period(bad, kind)


@pytest.mark.parametrize(
    "given, output, chosen",
    [(None, None, "table"), (None, "r.md", "md"), (None, "r.XLSX", "xlsx"), ("csv", "r.txt", "csv"),
     (None, "r.html", "html"), ("json", None, "json"), (None, "通报.pdf", "pdf"), ("xlsx", "r.XLSX", "xlsx")],
)
def test_format_comes_from_the_option_then_the_extension(given, output, chosen):
    assert report.choose_format(given, Path(output) if output else None) == chosen


@pytest.mark.parametrize("given, output, key", [
    ("xlsx", None, "error.binary-needs-output"), ("pdf", None, "error.binary-needs-output"),
    (None, "r.docx", "error.format-from-extension"), ("docx", None, "error.unknown-format"),
    ("csv", "x.xlsx", "error.format-mismatch"), ("md", "x.html", "error.format-mismatch")])
def test_format_errors(given, output, key):
    with pytest.raises(UsageProblem) as raised:
        report.choose_format(given, Path(output) if output else None, terminal=True)
    assert raised.value.key == key


def test_xlsx_may_go_to_a_pipe():
    assert report.choose_format("xlsx", None, terminal=False) == "xlsx"


def test_save_writes_text_and_bytes_whole(tmp_path):
    report.save(tmp_path / "a" / "r.md", "文字\n")
    report.save(tmp_path / "r.xlsx", b"PK\x03\x04")
    assert (tmp_path / "a" / "r.md").read_text(encoding="utf-8") == "文字\n"
    assert (tmp_path / "r.xlsx").read_bytes() == b"PK\x03\x04"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "r.xlsx"]


def test_a_chain_deeper_than_pythons_stack_rolls_up_to_its_root():
    """2,400 units each under the one before: ordered and summed without recursion, each unit once."""
    chain = "".join(f"- {{id: u{i}, name: 单位{i}, kind: office{f', parent: u{i - 1}' if i else ''}}}\n" for i in range(2400))
    found = [occurrence("u2399", "done"), occurrence("u1200", "overdue")]
    result = report.audit(snapshot(chain), found, Q3, AS_OF)
    assert [(row.unit.id, row.depth) for row in result.rows[:2]] == [("u0", 0), ("u1", 1)]
    assert result.rows[-1].depth == 2399
    rows = {row.unit.id: row for row in result.rows}
    assert rows["u0"].rollup == report.Figures(due=2, done=1, overdue=1)
    assert rows["u1201"].rollup == report.Figures(due=1, done=1)
