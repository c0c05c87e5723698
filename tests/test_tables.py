"""tables.py: display widths, folding, alignment, section rules and the centred title."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai_cli.messages import printable
from gongkai_cli.report import tables
from gongkai_cli.report.tables import Table, cell_width, fold

# ASCII, spaces, CJK (2 columns), a combining acute and a zero-width space, and line breaks.
ALPHABET = "ab Zx9 综合处年\u0301\u200b\n"
cells = st.text(alphabet=ALPHABET, max_size=30)


def test_cell_width_counts_cjk_two_ascii_one_combining_zero():
    assert cell_width("综合处") == 6
    assert cell_width("abc") == 3
    assert cell_width("e\u0301") == 1
    assert cell_width("a综") == 3
    assert cell_width("") == 0


def test_fold_breaks_at_spaces_then_between_characters():
    assert fold("alpha beta gamma", 10) == ["alpha beta", "gamma"]
    assert fold("abcdefgh", 3) == ["abc", "def", "gh"]
    assert fold("综合处", 4) == ["综合", "处"]
    assert fold("综合处", 3) == ["综", "合", "处"]  # a wide char never straddles a break
    assert fold("a\n\nb", 10) == ["a", "", "b"]  # the cell's own line breaks are kept


def test_fold_too_narrow_for_a_wide_char_still_takes_one_char_a_line():
    assert fold("综合", 1) == ["综", "合"]


def test_fold_makes_no_blank_lines_from_edge_spaces():
    assert fold("abcd ", 4) == ["abcd"]
    assert fold("  abcdef", 3) == ["abc", "def"]


@given(cells, st.integers(min_value=1, max_value=12))
def test_fold_keeps_every_non_space_character(cell, width):
    folded = fold(cell, width)
    assert "".join(folded).replace(" ", "") == cell.replace(" ", "").replace("\n", "")


@given(cells, st.integers(min_value=2, max_value=12))
def test_folded_lines_fit_the_width(cell, width):
    assert all(cell_width(line) <= width for line in fold(cell, width))


@given(st.text(alphabet="综合处年", min_size=1, max_size=8))
def test_fold_width_one_puts_one_wide_char_a_line(cell):
    assert fold(cell, 1) == list(cell)


def _floor(column: list[str], heading: str) -> int:
    natural = max((cell_width(line) for cell in column for line in cell.split("\n")), default=1) or 1
    return min(natural, max(tables.MIN_WIDTH, cell_width(heading)))


@settings(max_examples=200)
@given(
    st.lists(st.text(alphabet="Hdg 综", min_size=1, max_size=8), min_size=1, max_size=4).flatmap(
        lambda heads: st.tuples(
            st.just(heads),
            st.lists(st.tuples(*[cells] * len(heads)), max_size=4),
            st.sets(st.integers(0, len(heads) - 1)),
        )
    ),
    st.integers(min_value=10, max_value=80),
)
def test_table_lines_share_one_width_within_the_request(shape, width):
    headings, rows, right = shape
    table = Table(headings, right=right, title="T", caption="C")
    for row in rows:
        table.add_row(*row)
    body = table.render(width).split("\n")[1:-1]  # without the title and caption lines
    widths = {cell_width(line) for line in body}
    assert len(widths) == 1
    columns = [[h, *(printable(row[i]) for row in rows)] for i, h in enumerate(headings)]  # cells as add_row escapes them
    floor = sum(_floor(column, h) for column, h in zip(columns, headings)) + 3 * len(headings) + 1
    if floor <= width:
        assert widths.pop() <= width


def test_right_aligned_column_ends_flush_at_the_bar():
    table = Table(["name", "count"], right={1})
    table.add_row("alpha", "7")
    table.add_row("综合处", "12345")
    lines = table.render(100).split("\n")
    assert lines[3] == "│ alpha  │     7 │"
    assert lines[4] == "│ 综合处 │ 12345 │"
    assert lines[1] == "┃ name   ┃ count ┃"  # headings stay left-aligned


def test_section_rules_between_rows_not_after_the_last():
    table = Table(["a"])
    table.add_row("one", end_section=True)
    table.add_row("two")
    table.add_row("three", end_section=True)
    lines = table.render(100).split("\n")
    assert [line[0] for line in lines] == ["┏", "┃", "┡", "│", "├", "│", "│", "└"]
    assert lines[4] == "├───────┤"


def test_title_is_centred_over_the_table():
    table = Table(["left", "right"], title="Title", caption="cap")
    table.add_row("x" * 10, "y" * 9)
    lines = table.render(100).split("\n")
    edge = cell_width(lines[1])
    assert edge == 10 + 9 + 3 * 2 + 1
    assert lines[0] == " " * ((edge - 5) // 2) + "Title"
    assert lines[-1] == " " * ((edge - 3) // 2) + "cap"


def test_narrowed_column_folds_and_keeps_the_table_in_width():
    table = Table(["h", "n"], right={1})
    table.add_row("alpha beta gamma", "1")
    lines = table.render(20).split("\n")
    assert {cell_width(line) for line in lines} == {20}
    assert lines[3:5] == ["│ alpha beta   │ 1 │", "│ gamma        │   │"]


def test_a_table_too_wide_for_its_headings_leaves_out_optional_columns_first():
    table = Table(["单位", "应公开", "未到期", "免于公开", "按时率"], right={1, 2, 3, 4}, optional=(2, 3))
    table.add_row("综合处", "11", "0", "1", "60.0%")
    lines = table.render(30).split("\n")
    assert {cell_width(line) for line in lines} <= set(range(31))
    assert "未到期" not in table.render(30) and "按时率" in table.render(30)
    assert "未到期" in table.render(100)  # room enough: every column


def test_headings_fold_when_nothing_else_gives():
    table = Table(["逾期未公开", "按时公开", "应公开"])
    table.add_row("1", "2", "3")
    assert {cell_width(line) for line in table.render(22).split("\n")} == {22}  # three columns of 4


def test_a_tree_mark_stays_with_its_name():
    assert fold("└ 荆紫关镇古城村", 8) == ["└ 荆紫关", "镇古城村"]
