"""Help and usage errors in the person's language, wrapped by display width.

Every help text of gongkai is written `中文 / English`; the help shows the half in the chosen
language (`--lang`, else `language:` of the repository's gongkai.yaml, else Chinese). Click's and
Typer's own words (section headings, "Show this message and exit.", "Error: Missing option") are
looked up in messages/help.py. Lines are wrapped by the columns characters take on a terminal (a
Chinese character takes two), never inside a Latin word, and option values are shown by name
(`--unit UNIT`), not by Python type (`<str>`, `<list[str]>`, `[[ID]]`).
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Sequence

from ..messages import MESSAGES, text
from ..report.tables import cell_width
from .clicklib import exceptions, formatting

TYPE_METAVAR = re.compile(r"<[a-z_\[\], .|]+>", re.IGNORECASE)  # <str>, <list[str]>, <path>, <int>
DOUBLE_BRACKETS = re.compile(r"\[\[([^\[\]]+)\]\]")  # an optional argument: [[ID]] → [ID]
BRACES = re.compile(r"\{([A-Z][A-Z0-9_-]*)\}")  # a required argument: {FROM} → FROM
EXTRA = re.compile(r"\[(default: (?P<default>[^\]]*)|required)\]")
TOKENS = re.compile(r"\s+|[\u2e80-\uffff]|[^\s\u2e80-\uffff]+")


def pick(help_text: str, lang: str) -> str:
    """The half of `中文 / English` in `lang` (text without the separator is the same in both)."""
    chinese, separator, english = help_text.rpartition(" / ")
    if not separator:
        return help_text
    return chinese if lang == "zh" else english[:1].upper() + english[1:]


def localise(help_text: str, lang: str) -> str:
    """A help text in `lang`: gongkai's own halves, Click's words, Typer's [default: …] and [required]."""
    key = f"help.{help_text}"
    if key in MESSAGES:
        return text(key, lang)

    def extra(match: re.Match) -> str:
        if match.group("default") is not None:
            return "[" + text("help.default", lang, value=match.group("default")) + "]"
        return "[" + text("help.required", lang) + "]"

    body = EXTRA.sub("", help_text).strip()
    extras = "".join(extra(match) for match in EXTRA.finditer(help_text))
    return " ".join(part for part in (pick(body, lang), extras) if part)


def metavars(first: str) -> str:
    """An option's or argument's name column with values named, not typed: `--unit <str>` → `--unit UNIT`."""
    def named(match: re.Match) -> str:
        options = re.findall(r"--([a-z][a-z0-9-]*)", first[: match.start()])
        return options[-1].upper().replace("-", "_") if options else ""

    if not first.lstrip().startswith("-"):  # an argument: its name says it
        first = TYPE_METAVAR.sub("", first).strip().upper()
    return BRACES.sub(r"\1", DOUBLE_BRACKETS.sub(r"[\1]", TYPE_METAVAR.sub(named, first)))


def wrap(paragraph: str, width: int, indent: int = 0, first_indent: int | None = None) -> list[str]:
    """Lines of at most `width` columns: breaks at spaces and between Chinese characters, never in a word."""
    lines: list[str] = []
    current, used = " " * (indent if first_indent is None else first_indent), indent if first_indent is None else first_indent
    start = used
    for token in TOKENS.findall(" ".join(paragraph.split())):
        size = cell_width(token)
        if token.isspace():
            if used > start:
                current, used = current + " ", used + 1
            continue
        if used + size > width and used > start:
            lines.append(current.rstrip())
            current, used = " " * indent, indent
            start = indent
        while used + size > width and size > width - indent > 0:  # a word longer than the line: cut it
            room = width - used
            head = _fit(token, room)
            lines.append(current + head)
            token, size = token[len(head):], cell_width(token[len(head):])
            current, used = " " * indent, indent
        current, used = current + token, used + size
    if current.strip():
        lines.append(current.rstrip())
    return lines


def _fit(token: str, room: int) -> str:
    used, cut = 0, 0
    for char in token:
        used += cell_width(char)
        if used > room:
            break
        cut += 1
    return token[: max(cut, 1)]


class Formatter(formatting.HelpFormatter):
    """Click's help layout, in `lang`, wrapped by display width."""

    lang = "zh"

    def __init__(self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None) -> None:
        import shutil

        # the terminal's width (COLUMNS first), up to 80, never Click's fixed test width
        columns = shutil.get_terminal_size().columns
        super().__init__(indent_increment, width or max(min(columns, max_width or 80) - 2, 40), max_width)

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        prefix = text("help.usage", self.lang) if prefix is None else prefix
        lead = " " * self.current_indent + prefix + prog + " "
        body = metavars(args)
        lines = wrap(body, self.width, indent=cell_width(lead), first_indent=cell_width(lead))
        self.write("\n".join([lead + lines[0].lstrip(), *lines[1:]]) if lines else lead.rstrip())
        self.write("\n")

    def write_heading(self, heading: str) -> None:
        shown = text(f"help.{heading}", self.lang) if f"help.{heading}" in MESSAGES else heading
        self.write(" " * self.current_indent + shown + ("：" if self.lang == "zh" else ":") + "\n")

    def write_text(self, help_text: str) -> None:
        for number, paragraph in enumerate(p for p in re.split(r"\n\s*\n", help_text) if p.strip()):
            if number:
                self.write("\n")
            self.write("\n".join(wrap(localise(paragraph, self.lang), self.width, indent=self.current_indent)) + "\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(metavars(first), localise(second, self.lang) if second else "") for first, second in rows]
        first_col = min(max((cell_width(first) for first, _ in rows), default=0), col_max) + col_spacing
        left = self.current_indent + first_col
        for first, second in rows:
            lead = " " * self.current_indent + first
            if not second:
                self.write(lead + "\n")
                continue
            lines = wrap(second, max(self.width, left + 10), indent=left)
            if cell_width(first) <= first_col - col_spacing:  # the help beside the name, else below it
                lines[0] = lead + " " * (left - cell_width(lead)) + lines[0].lstrip()
            else:
                lines.insert(0, lead)
            self.write("\n".join(lines) + "\n")


def chosen_language(args: Sequence[str]) -> str:
    """--lang from the command line, else the repository's (or the default) language."""
    from .common import Env

    values = dict(itertools.pairwise(args))
    for arg in args:
        if arg.startswith(("--lang=", "--repo=")):
            name, _, value = arg.partition("=")
            values[name] = value
    lang = values.get("--lang")
    if lang in ("zh", "en"):
        return lang
    try:
        from pathlib import Path

        repo = values.get("--repo")
        return Env(Path(repo) if repo else None, None).lang
    except Exception:  # noqa: BLE001 - no repository, or an unreadable one: the default
        return "zh"


USAGE_PATTERNS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"Missing option '(?P<name>[^']+)'.*\.$"), "usage.missing-option"),
    (re.compile(r"Missing argument '(?P<name>[^']+)'\.$"), "usage.missing-argument"),
    (re.compile(r"No such option: (?P<name>\S+?)(?: Did you mean (?P<names>[^?]+)\?)?$"), "usage.no-such-option"),
    (re.compile(r"Option '(?P<name>[^']+)' requires an argument\.$"), "usage.needs-value"),
    (re.compile(r"Option '(?P<name>[^']+)' does not take a value\.$"), "usage.takes-no-value"),
    (re.compile(r"No such command '(?P<name>[^']+)'\.$"), "usage.no-such-command"),
    (re.compile(r"Missing command\.$"), "usage.missing-command"),
    (re.compile(r"Got unexpected extra arguments? \((?P<names>.*)\)$"), "usage.extra-arguments"),
    (re.compile(r"Invalid value for '?(?P<name>[^':]+)'?: (?P<detail>.*)$", re.DOTALL), "usage.invalid-value"),
    (re.compile(r"Invalid value: (?P<detail>.*)$", re.DOTALL), "usage.invalid"),
)
DETAIL_PATTERNS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r".* is not a valid integer.*|Input should be a valid integer.*", re.DOTALL), "usage.not-an-integer"),
    (re.compile(r"'?(?P<value>.*?)'? is not one of (?P<choices>.*)\.?$", re.DOTALL), "usage.not-a-choice"),
    (re.compile(r".*greater than or equal to (?P<limit>\S+?)\.?$|.*>=(?P<limit2>\S+?)\.?$", re.DOTALL), "usage.too-small"),
    (re.compile(r".*less than or equal to (?P<limit>\S+?)\.?$|.*<=(?P<limit2>\S+?)\.?$", re.DOTALL), "usage.too-large"),
)


def usage_message(message: str, lang: str) -> str:
    """Click's usage error in `lang`; a message gongkai has no words for stays as Click wrote it."""
    for pattern, key in USAGE_PATTERNS:
        match = pattern.match(message)
        if match:
            found = {name: value for name, value in match.groupdict().items() if value is not None}
            if key == "usage.no-such-option":
                names = found.pop("names", None)
                found["hint"] = text("usage.did-you-mean", lang, names=names) if names else ""
            if "detail" in found:
                found["detail"] = _detail(found["detail"], lang)
            return text(key, lang, **found)
    return message


def _detail(detail: str, lang: str) -> str:
    for pattern, key in DETAIL_PATTERNS:
        match = pattern.match(detail)
        if match:
            found = {name.rstrip("2"): value for name, value in match.groupdict().items() if value is not None}
            return text(key, lang, **found)
    return detail


def show_error(error: exceptions.ClickException, lang: str) -> None:
    """Usage line, the hint and the message, as Click prints them, in `lang`."""
    from typer import echo

    context = getattr(error, "ctx", None)
    if isinstance(error, exceptions.UsageError) and context is not None:
        Formatter.lang = lang
        echo(context.get_usage(), err=True)
        if context.command.get_help_option(context) is not None:
            echo(text("help.try", lang, command=f"{context.command_path} {context.help_option_names[0]}") + "\n", err=True)
    echo(text("help.error", lang, message=usage_message(error.format_message(), lang)), err=True)
    sys.stderr.flush()
