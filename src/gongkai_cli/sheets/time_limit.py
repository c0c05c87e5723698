"""How gongkai reads a catalog's free-text 公开时限: a lexer and a small grammar (docs/import.md).

The phrase is cut into tokens (numbers in Arabic or Chinese numerals, units, dates, period words,
"内/前/后", separators); the grammar below turns token sequences into the shape keys of rules
(format.md). Whatever it cannot read becomes a note and no rule: never a guessed number.

    phrase   := { sep | period | once | due | event | times | duration | flag | word }
    period   := PERIOD                            opens 每月/每季度/每半年/每年 until a sep (；。)
              | PERIOD_END NUM UNIT WITHIN        季度结束后15日内 · 年度终了后3个月内
    once     := YEARDATE BEFORE                   2019年4月20日前
    due      := [NEXT|FIRST] DATE BEFORE          (每年) 1月31日前 · 次年3月底前
              | [NEXT|FIRST] NUM 日 BEFORE        (每月) 5日前 · (每季度) 首月10日前
    event    := NUM UNIT WITHIN | LEAD NUM UNIT   之日起20个工作日内 · 不超过15日 · 当日
    times    := [ATLEAST] NUM TIMES               (每年) 至少更新2次
    duration := NUM UNIT                          公示7天: how long, not by when (a note)
    extend   := EXTEND … NUM UNIT                 延长期限不超过20个工作日 (a note with its count)
    month    := NUM 月 | PART_OF_YEAR             (每年) 3月 · 第一季度 · 上半年: by that month's end
    flag     := STANDING | ASAP | NOTE            长期公开 · 及时 · 法律、法规另有规定的，从其规定
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

PERIOD_MONTHS = {"month": 1, "quarter": 3, "half-year": 6, "year": 12}
# The longest "N日" after a period's end that is day N of the next month for every period of the kind
# (a month may be followed by February; quarters end on 3-31, 6-30, 9-30, 12-31).
DAYS_AFTER_END = {"month": 28, "quarter": 30, "half-year": 31, "year": 31}

_NUM = r"(?:\d+|[零〇一二两三四五六七八九十百千]+)"
_PERIOD = {
    "quarter": r"每个?季度|每季|按季度?",
    "month": r"每个?月|按月",
    "half-year": r"每半年度?|按半年",
    "year": r"每一?年度?|按年度?",
}
_PERIOD_NAME = {"quarter": r"季度", "month": r"月度?", "half-year": r"半年度?", "year": r"年度?"}
_END = r"(?:结束|终了|期满|届满)(?:之?后|以后)?"
UNITS = {"工作日": "workdays", "自然日": "days", "日": "days", "天": "days", "小时": "hours", "月": "months",
         "星期": "weeks", "周": "weeks"}

# (kind, pattern), tried in this order at each position; the first match wins.
LEXICON: list[tuple[str, str]] = [
    ("NOTE", r"(?:法律|行政法规|法规|规章|[、,和及或])*另有规定(?:的?,?(?:从|按)其规定|的?除外)"),
    ("STANDING", r"保持长期公开|长期公开|长期公示|常年公开"),
    ("ASAP", r"按进展情况|实时|及时|即时|随时|第一时间|动态"),
    ("OTHER_PERIOD", r"每周|每星期|每旬|每日|每天"),
    ("PERIOD_END", "|".join(f"(?P<pe_{kind.replace('-', '_')}>(?:每|上一?)?(?:{name})){_END}"
                            for kind, name in _PERIOD_NAME.items())),
    ("FILLER", r"上一?年度?|本年度|当年|一级|二级"),
    ("PERIOD", "|".join(f"(?P<p_{kind.replace('-', '_')}>{pattern})" for kind, pattern in _PERIOD.items())),
    ("YEARDATE", rf"(?P<yy>\d{{4}}|[〇零一二三四五六七八九]{{4}})年(?P<ym>{_NUM})月(?P<yd>{_NUM})[日号]"),
    ("DATE", rf"(?P<m>{_NUM})月(?:份)?(?:(?P<d>{_NUM})[日号]|(?P<last>底|末|月底))"),
    ("NEXT", r"次月|下个?月|次年|下一?年度?|次季度|下一?季度"),
    ("PART_OF_YEAR", rf"第(?P<q>{_NUM})季度|(?P<half>[上下])半年"),
    ("FIRST", r"首月|第一个月"),
    ("SAMEDAY", r"当日|当天|即日"),
    ("NUMUNIT", rf"(?P<n>{_NUM})(?P<ge>个)?(?P<u>工作日|自然日|小时|星期|月|日|天|周)"),
    ("TIMES", rf"(?P<t>{_NUM})(?:次|回|遍)"),
    ("ATLEAST", r"至少|不少于|不得少于|最少"),
    ("EXTEND", r"延长|延期"),
    ("LEAD", r"之日起|之时起|起算|起|不超过|不得超过|最长不超过|最迟"),
    ("WITHIN", r"以内|之内|内"),
    ("BEFORE", r"之前|以前|前"),
    ("SEP", r"[;。\n]"),
]
LEXER = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in LEXICON))
DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
MAGNITUDES = {"十": 10, "百": 100, "千": 1000}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    value: object = None


@dataclass
class Reading:
    """What a 公开时限 phrase says: the rules' shape keys it sets, and whether it is standing or asap."""

    text: str
    rules: list[dict] = field(default_factory=list)
    standing: bool = False
    asap: bool = False
    notes: list[dict] = field(default_factory=list)

    @property
    def computable(self) -> bool:
        return bool(self.rules)

    def as_json(self) -> dict:
        return {"text": self.text, "computable": self.computable, "rules": self.rules,
                "standing": self.standing, "asap": self.asap, "notes": self.notes}

    def add_rule(self, rule: dict) -> None:
        if rule not in self.rules:
            self.rules.append(rule)

    def note(self, code: str, text: str) -> None:
        entry = {"code": code, "text": text}
        if entry not in self.notes:
            self.notes.append(entry)


# Numbers and tokens --------------------------------------------------------------------------


def number(text: str) -> int | None:
    """20, 二十, 十五, 一百二十, 两; 二〇一九 digit by digit. None for nonsense like 十十."""
    if text.isdigit():
        return int(text)
    if not any(char in MAGNITUDES for char in text):
        return int("".join(str(DIGITS[char]) for char in text)) if text else None
    total, digit, previous = 0, None, 10_000
    for char in text:
        if char in DIGITS:
            if digit is not None and digit != 0:
                return None
            digit = DIGITS[char]
        elif MAGNITUDES[char] >= previous:
            return None
        else:
            previous = MAGNITUDES[char]
            total += (1 if digit is None else digit) * previous
            digit = None
    return total + (digit or 0)


def normalise(text: str) -> tuple[str, list[int]]:
    """Full-width digits and punctuation as ASCII (NFKC), spaces gone, line breaks as ；: ２０个 工作日
    is 20个工作日. With it, where each character came from, so tokens keep the cell's own text."""
    characters, origins = [], []
    for position, char in enumerate(text):
        for normal in ";" if char in "\r\n" else unicodedata.normalize("NFKC", char):
            if not normal.isspace():
                characters.append(normal)
                origins.append(position)
    origins.append(len(text))
    return "".join(characters), origins


def tokens(text: str) -> list[Token]:
    found: list[Token] = []
    position = 0
    source, origins = normalise(text)
    while position < len(source):
        match = LEXER.match(source, position)
        end = position + 1 if match is None or match.end() == position else match.end()
        spoken = text[origins[position]:origins[end - 1] + 1]
        found.append(_token(match, spoken))
        position = end
    return found


def _token(match: re.Match | None, spoken: str) -> Token:
    """The token `match` found; `spoken` is its text as the cell has it."""
    if match is None or match.end() == match.start():
        return Token("WORD", spoken)
    kind, groups = match.lastgroup, match.groupdict()
    for name, value in groups.items():  # the named sub-group that matched tells the kind of period
        if value is not None and name.startswith(("p_", "pe_")) and kind in ("PERIOD", "PERIOD_END"):
            kind, period = ("PERIOD_END", name[3:]) if name.startswith("pe_") else ("PERIOD", name[2:])
            return Token(kind, spoken, period.replace("_", "-"))
    if kind == "YEARDATE":
        return Token(kind, spoken, (number(groups["yy"]), number(groups["ym"]), number(groups["yd"])))
    if kind == "DATE":
        return Token(kind, spoken, (number(groups["m"]), "last" if groups["last"] else number(groups["d"])))
    if kind == "NUMUNIT":  # 3月 (no 个) is a month of the year; 3个月, a count of months
        unit = "calendar-month" if groups["u"] == "月" and not groups["ge"] else UNITS[groups["u"]]
        return Token(kind, spoken, (number(groups["n"]), unit))
    if kind == "PART_OF_YEAR":  # the last month of 第N季度 / 上半年 / 下半年, counted from January
        quarter = number(groups["q"]) if groups["q"] else None
        return Token(kind, spoken, quarter * 3 - 1 if quarter and 1 <= quarter <= 4 else
                     (5 if groups["half"] == "上" else 11) if groups["half"] else None)
    if kind == "TIMES":
        return Token(kind, spoken, number(groups["t"]))
    return Token(kind, spoken)


# The grammar ---------------------------------------------------------------------------------


@dataclass
class Draft:
    """A periodic rule being read: 每季度 … until the next separator or period word."""

    every: str
    text: str
    due: dict | None = None
    min_items: int = 1
    broken: bool = False  # something about its deadline could not be read: no rule

    def rule(self) -> dict | None:
        if self.broken:
            return None
        due = self.due or {"from": "start", "months": PERIOD_MONTHS[self.every] - 1, "day": "last"}
        return {"every": self.every, "due": due, "min_items": self.min_items}


class Parser:
    def __init__(self, text: str):
        self.reading = Reading(text)
        self.tokens = tokens(text)
        self.draft: Draft | None = None
        self.extending = False  # after 延长: the next count is an extension, not a deadline

    def parse(self) -> Reading:
        index = 0
        while index < len(self.tokens):
            index = self.step(index)
        self.close()
        return self.reading

    def peek(self, index: int, *kinds: str) -> bool:
        """Whether the tokens from `index` are of `kinds`, in order."""
        return all(index + offset < len(self.tokens) and self.tokens[index + offset].kind == kind
                   for offset, kind in enumerate(kinds))

    def unread(self, code: str, text: str) -> None:
        """Something about a deadline could not be read: a note, and the open period sets no rule."""
        self.reading.note(code, text)
        if self.draft is not None:
            self.draft.broken = True

    def close(self) -> None:
        if self.draft is not None:
            rule = self.draft.rule()
            if rule is not None:
                self.reading.add_rule(rule)
        self.draft = None

    def step(self, index: int) -> int:
        """Read the production starting at `index`; the index after it."""
        token = self.tokens[index]
        handler = getattr(self, f"on_{token.kind.lower()}", None)
        return handler(index) if handler else index + 1

    def on_sep(self, index: int) -> int:
        self.close()
        self.extending = False
        return index + 1

    def on_extend(self, index: int) -> int:
        self.extending = True
        return index + 1

    def on_part_of_year(self, index: int) -> int:
        token = self.tokens[index]
        if self.draft is None or self.draft.every != "year" or token.value is None:
            self.unread("date-without-year", token.text)
        else:
            self.draft.due = {"from": "start", "months": token.value, "day": "last"}
        return index + 1

    def on_period(self, index: int) -> int:
        self.close()
        self.draft = Draft(self.tokens[index].value, self.tokens[index].text)
        return index + 1

    def on_period_end(self, index: int) -> int:
        self.close()
        token = self.tokens[index]
        self.draft = Draft(token.value, token.text)
        if not self.peek(index + 1, "NUMUNIT", "WITHIN"):
            self.unread("after-period-uncounted", token.text)
            return index + 1
        amount, unit = self.tokens[index + 1].value
        self.draft.due = _after_end(token.value, amount, unit)
        if self.draft.due is None:
            self.unread("after-period-unit", token.text + self.tokens[index + 1].text)
        return index + 3

    def on_yeardate(self, index: int) -> int:
        year, month, day = self.tokens[index].value
        if self.peek(index + 1, "BEFORE") and _valid_date(year, month, day):
            self.reading.add_rule({"once": f"{year:04d}-{month:02d}-{day:02d}"})
            return index + 2
        self.unread("date-unread", self.tokens[index].text)
        return index + 1

    def on_next(self, index: int) -> int:
        return self._due(index + 1, "end", self.tokens[index].text)

    def on_first(self, index: int) -> int:
        return self._due(index + 1, "start", self.tokens[index].text)

    def on_date(self, index: int) -> int:
        return self._due(index, None, "")

    def _due(self, index: int, origin: str | None, prefix: str) -> int:
        """A day the period's items are due: 1月31日前 in a year, 5日前 / 首月10日前 in a month or quarter."""
        if index >= len(self.tokens):
            return index
        token = self.tokens[index]
        spoken = prefix + token.text
        if token.kind == "DATE" and self.peek(index + 1, "BEFORE"):
            month, day = token.value
            if self.draft is None or self.draft.every != "year" or not _valid_day(month, day):
                self.unread("date-without-year" if self.draft is None else "date-unread",
                                  spoken + self.tokens[index + 1].text)
                return index + 2
            self.draft.due = {"from": origin or "start", "months": month - 1, "day": day}
            return index + 2
        if token.kind == "NUMUNIT" and self.peek(index + 1, "BEFORE"):
            day, unit = token.value
            if self.draft is None or unit != "days" or day is None or not 1 <= day <= 31:
                self.unread("before-event", spoken + self.tokens[index + 1].text)
                return index + 2
            self.draft.due = {"from": origin or "end", "months": 0, "day": day}
            return index + 2
        return index if prefix else index + 1

    def on_numunit(self, index: int) -> int:
        token = self.tokens[index]
        amount, unit = token.value
        led = index > 0 and self.tokens[index - 1].kind == "LEAD"
        if self.extending and _within(amount, unit) is not None:
            self.extending = False
            self.reading.notes.append({"code": "extension", "text": token.text, "within": _within(amount, unit)})
            return index + (2 if self.peek(index + 1, "WITHIN") else 1)
        if unit == "calendar-month" and self.draft is not None and self.draft.every == "year" \
                and not self.peek(index + 1, "BEFORE") and amount is not None and 1 <= amount <= 12:
            self.draft.due = {"from": "start", "months": amount - 1, "day": "last"}  # 每年3月: by the end of March
            return index + 1
        if self.peek(index + 1, "BEFORE"):
            return self._due(index, None, "")
        if not (self.peek(index + 1, "WITHIN") or led):
            self.reading.note("duration", token.text)
            return index + 1
        within = _within(amount, unit)
        if within is None:
            self.unread("event-unit", token.text)
        else:
            self.reading.add_rule({"within": within})
        return index + (2 if self.peek(index + 1, "WITHIN") else 1)

    def on_sameday(self, index: int) -> int:
        self.reading.add_rule({"within": {"days": 0}})
        return index + 1

    def on_times(self, index: int) -> int:
        token = self.tokens[index]
        if self.draft is None or not token.value:
            self.reading.note("times-without-period", token.text)
        else:
            self.draft.min_items = token.value
        return index + 1

    def on_standing(self, index: int) -> int:
        self.reading.standing = True
        return index + 1

    def on_asap(self, index: int) -> int:
        self.reading.asap = True
        return index + 1

    def on_note(self, index: int) -> int:
        self.reading.note("law-exception", self.tokens[index].text)
        return index + 1

    def on_other_period(self, index: int) -> int:
        self.close()
        self.reading.note("period-unsupported", self.tokens[index].text)
        return index + 1


def _within(amount: int | None, unit: str) -> dict | None:
    """{workdays|days|hours: N}; a week is seven days; months have no fixed length (None)."""
    if amount is None or unit in ("months", "calendar-month"):
        return None
    return {"days": amount * 7} if unit == "weeks" else {unit: amount}


def _after_end(every: str, amount: int | None, unit: str) -> dict | None:
    """结束后N日内 as a due day: day N of the next month where that is exact for every period of the
    kind; N个月内 is the last day of month N after the end. Anything else is not a due day."""
    if amount is None or amount < 1:
        return None
    if unit == "days" and amount <= DAYS_AFTER_END[every]:
        return {"from": "end", "months": 0, "day": amount}
    if unit in ("months", "calendar-month") and amount <= 36:
        return {"from": "end", "months": amount - 1, "day": "last"}
    return None


def _valid_day(month: int | None, day: int | str | None) -> bool:
    return month is not None and 1 <= month <= 12 and (day == "last" or (isinstance(day, int) and 1 <= day <= 31))


def _valid_date(year: int | None, month: int | None, day: int | None) -> bool:
    from datetime import date

    try:
        date(year, month, day)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True


def read_time_limit(text: str) -> Reading:
    """The reading of one phrase; what it cannot read stays uncomputable, never a guessed number."""
    return Parser(text or "").parse()


# In words --------------------------------------------------------------------------------------


def explain(reading: Reading, lang: str) -> list[str]:
    """The reading in words, one line per finding."""
    from ..messages import text

    lines = [describe_rule(rule, lang) for rule in reading.rules]
    if reading.standing:
        lines.append(text("time-limit.standing", lang))
    if reading.asap:
        lines.append(text("time-limit.asap", lang))
    lines += [text(f"time-limit.note.{note['code']}", lang, text=note["text"]) for note in reading.notes]
    if not (reading.computable or reading.standing or reading.asap):
        lines.append(text("time-limit.uncomputable", lang, text=reading.text))
    return lines


def describe_rule(rule: dict, lang: str) -> str:
    from ..messages import text

    if "request" in rule:
        (unit, amount), = rule["request"]["within"].items()
        return text("time-limit.request", lang, amount=amount, unit=text(f"time-limit.unit.{unit}", lang))
    if "within" in rule:
        (unit, amount), = rule["within"].items()
        return text("time-limit.within", lang, amount=amount, unit=text(f"time-limit.unit.{unit}", lang))
    if "once" in rule:
        return text("time-limit.once", lang, day=rule["once"])
    due = rule["due"]
    day = text("time-limit.last-day", lang) if due["day"] == "last" else due["day"]
    return text(f"time-limit.every.{due['from']}", lang, every=text(f"time-limit.period.{rule['every']}", lang),
                month=due["months"] + 1, day=day, count=rule["min_items"])
