"""Resident identity numbers and mobile numbers in an item: a property of the item alone, so it is
found when the file is loaded (and cached with it); check_privacy decides which items it concerns."""

from __future__ import annotations

import re
from typing import Iterable

from pydantic import BaseModel

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_DIGIT_RUN = re.compile(r"[1-9]\d{10}")  # both patterns need 11 digits in a row (any script), the first
# of them 1–9: most items have none, and a search led by a set of characters runs twice as fast
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def valid_id_number(number: str) -> bool:
    """GB 11643 check digit of an 18-digit resident identity number."""
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _ID_WEIGHTS))
    return "10X98765432"[total % 11] == number[17].upper()


def _strings(value: object, path: tuple = ()) -> Iterable[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _strings(child, path + (key,))
    elif isinstance(value, (list, tuple)):
        for index, child in enumerate(value):
            yield from _strings(child, path + (index,))


def _mask(number: str) -> str:
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def no_numbers_in(text: str) -> bool:
    """Whether an item read from `text` (by the fast reader: every scalar a string, a boolean or
    null) can hold no number privacy_marks finds: the text has no 11 digits in a row (led by 1–9), and no
    backslash (an escape could spell digits the text does not show, and an escaped line break in
    double quotes joins two lines without a space). Any other folding joins lines with a space."""
    return _DIGIT_RUN.search(text) is None and "\\" not in text


def privacy_marks(item: BaseModel) -> tuple[tuple[tuple, str, str], ...]:
    """(field path, finding code, masked number) of each number in the item's text, reviews aside."""
    if not _DIGIT_RUN.search(item.model_dump_json(exclude={"reviews"})):
        return ()
    marks = []
    for path, value in _strings(item.model_dump(mode="json", exclude={"reviews"})):
        for match in _ID_NUMBER.finditer(value):
            if valid_id_number(match.group()):
                marks.append((path, "privacy-id-number", _mask(match.group())))
        for match in _MOBILE.finditer(value):
            marks.append((path, "privacy-mobile", _mask(match.group())))
    return tuple(marks)
