"""Text tables in rich's look (heavy head, light body, centred title and caption), drawn directly:
listing twenty thousand overdue occurrences is a few string joins, not a layout engine's work.

Widths count East Asian wide characters as two columns. A table wider than the terminal narrows
its widest columns, and their cells fold onto more lines (at spaces where a line has them); when
even the headings do not fit, the table leaves out its optional columns (first ones first), and
then folds its headings too. A column can keep its words whole (an email address): it is not
narrowed below its longest word while optional columns can still be left out or other columns
narrowed. Terminals are taken to be at least 60 columns wide.
"""

from __future__ import annotations

import shutil
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ..messages import printable

MIN_WIDTH = 4  # a column is not narrowed below this (or below its heading's width, if less)
MIN_TERMINAL = 60
TREE_MARKS = " \u3000└"  # the indent of a unit under its parent: never a line of its own


@dataclass
class Table:
    headings: list[str]
    right: set[int] = field(default_factory=set)  # columns aligned right (figures)
    title: str = ""
    caption: str = ""
    rows: list[tuple[tuple[str, ...], bool]] = field(default_factory=list)  # (cells, a rule follows)
    optional: tuple[int, ...] = ()  # columns left out, in this order, when the table cannot fit otherwise
    whole_words: tuple[int, ...] = ()  # columns whose words are split only when nothing else gives, the last first

    def add_row(self, *cells: str, end_section: bool = False) -> None:
        """A row of cells, each shown on its own lines: newlines and control characters in the data
        are escaped (messages.printable), so no cell draws outside its box or drives the terminal."""
        self.rows.append((tuple(map(printable, cells)), end_section))

    def render(self, width: int | None = None) -> str:
        width = width or terminal_width()
        naturals = [_natural(column) for column in self._columns()]
        kept = self._kept(width, naturals)
        if len(kept) < len(self.headings):
            return Table([self.headings[i] for i in kept], {kept.index(i) for i in self.right if i in kept}, self.title,
                         self.caption, [(tuple(cells[i] for i in kept), ends) for cells, ends in self.rows],
                         whole_words=tuple(kept.index(i) for i in self.whole_words if i in kept)).render(width)
        widths = _fitted(naturals, self.headings, width, self._words(), self.whole_words)
        edge = sum(widths) + 3 * len(widths) + 1
        lines = [centred(self.title, edge)] if self.title else []
        lines.append(_rule("┏", "━", "┳", "┓", widths))
        lines += self._cells(self.headings, widths, "┃", set())
        lines.append(_rule("┡", "━", "╇", "┩", widths))
        for index, (cells, section_ends) in enumerate(self.rows):
            lines += self._cells(cells, widths, "│", self.right)
            if section_ends and index < len(self.rows) - 1:
                lines.append(_rule("├", "─", "┼", "┤", widths))
        lines.append(_rule("└", "─", "┴", "┘", widths))
        if self.caption:
            lines.append(centred(self.caption, edge))
        return "\n".join(line.rstrip() for line in lines)

    def _kept(self, width: int, naturals: list[int]) -> list[int]:
        """The columns shown: all, unless their headings alone are wider than `width`."""
        kept = list(range(len(self.headings)))
        words = self._words()
        for dropped in self.optional:
            if _least(naturals, self.headings, kept, words) <= width:
                break
            kept.remove(dropped)
        return kept

    def _words(self) -> list[int]:
        """Each column's longest word where its words are kept whole, else 0."""
        return [_longest_word(column) if index in self.whole_words else 0 for index, column in enumerate(self._columns())]

    def _columns(self) -> list[list[str]]:
        return [[self.headings[index], *(cells[index] for cells, _ in self.rows)] for index in range(len(self.headings))]

    @staticmethod
    def _cells(cells: tuple[str, ...] | list[str], widths: list[int], bar: str, right: set[int]) -> list[str]:
        folded = [fold(cell, widths[index]) for index, cell in enumerate(cells)]
        height = max(len(lines) for lines in folded)
        out = []
        for number in range(height):
            parts = []
            for index, lines in enumerate(folded):
                part = lines[number] if number < len(lines) else ""
                padding = " " * (widths[index] - cell_width(part))
                parts.append(padding + part if index in right else part + padding)
            out.append(f"{bar} " + f" {bar} ".join(parts) + f" {bar}")
        return out


def terminal_width(fallback: int = 140) -> int:
    return max(MIN_TERMINAL, shutil.get_terminal_size((fallback, 24)).columns)


def _natural(cells: list[str]) -> int:
    return max((cell_width(line) for cell in cells for line in cell.split("\n")), default=1) or 1


def _longest_word(cells: list[str]) -> int:
    return max((cell_width(word) for cell in cells for word in cell.split()), default=0)


def _floors(widths: list[int], headings: list[str], words: list[int] | None = None) -> list[int]:
    words = words or [0] * len(widths)
    return [min(widths[index], max(MIN_WIDTH, cell_width(heading), words[index])) for index, heading in enumerate(headings)]


def _least(widths: list[int], headings: list[str], kept: list[int], words: list[int] | None = None) -> int:
    """The narrowest the `kept` columns make the table without folding a heading or a whole word."""
    floors = _floors(widths, headings, words)
    return sum(floors[index] for index in kept) + 3 * len(kept) + 1


def _fitted(widths: list[int], headings: list[str], width: int, words: list[int] | None = None,
            whole: tuple[int, ...] = ()) -> list[int]:
    """Narrow the widest columns, one column at a time, until the table fits `width`; below the
    headings' widths, then below the whole words (of the last `whole` column first), only when
    nothing else gives."""
    widths = list(widths)
    floors = _floors(widths, headings, words)
    for keeping in range(len(whole), -1, -1):
        if sum(floors) + 3 * len(widths) + 1 <= width:
            break
        kept = {index: (words or [])[index] for index in whole[:keeping]}
        floors = [max(min(MIN_WIDTH, natural), kept.get(index, 0)) for index, natural in enumerate(widths)]
    excess = sum(widths) + 3 * len(widths) + 1 - width
    while excess > 0:
        index = max(range(len(widths)), key=lambda i: widths[i] - floors[i])
        if widths[index] <= floors[index]:
            break
        widths[index] -= 1
        excess -= 1
    return widths


def _rule(left: str, line: str, cross: str, right: str, widths: list[int]) -> str:
    return left + cross.join(line * (width + 2) for width in widths) + right


def centred(text: str, width: int) -> str:
    space = max(0, width - cell_width(text))
    return " " * (space // 2) + text


@lru_cache(maxsize=4096)
def cell_width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(map(_WIDTHS.__getitem__, text))


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or char in "\u200b\u200d":
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


class _Widths(dict):
    """char → _char_width(char), each worked out once (a table has a few thousand distinct characters
    among a million)."""

    def __missing__(self, char: str) -> int:
        width = self[char] = _char_width(char)
        return width


_WIDTHS = _Widths()


def fold(cell: str, width: int) -> list[str]:
    """The cell's lines, each at most `width` columns: broken at a space where one falls in the
    line, else between characters."""
    lines: list[str] = []
    for line in cell.split("\n"):
        start = len(lines)
        while cell_width(line) > width:
            cut = _cut(line, width)
            space = line.rfind(" ", 1, cut + 1)
            marks_only = "└" in line[:space] and not line[:space].strip(TREE_MARKS)
            if space > 0 and not marks_only:
                if line[:space].strip():  # leading spaces alone make no line
                    lines.append(line[:space].rstrip())
                line = line[space + 1:].lstrip()
            else:
                lines.append(line[:cut])
                line = line[cut:]
        if line or len(lines) == start:  # nor does the empty rest after a last break
            lines.append(line)
    return lines


def _cut(line: str, width: int) -> int:
    """How many characters of `line` fit in `width` columns (at least one)."""
    used = 0
    widths = _WIDTHS
    for index, char in enumerate(line):
        used += widths[char]
        if used > width:
            return max(1, index)
    return len(line)
