"""gongkai.yaml read on its own (every command needs the language and the calendar first).

`read_basics` takes the few settings every command needs from the raw document when they are
plainly well-formed, so `deadline` and friends never import pydantic; anything else goes
through `read_config`, which gives the proper error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from ..errors import UsageProblem
from ..messages import Phrase
from ..load import yamlio
from ..load.repo import MARKER, leaves
from .calendar import WorkCalendar

if TYPE_CHECKING:
    from ..model.models import Config

CHOICES = {"language": ("zh", "en"), "calendar": ("cn", "weekdays")}


@dataclass(frozen=True)
class Basics:
    """The settings of gongkai.yaml that commands need before (or without) the models."""

    language: str = "zh"
    calendar: str = "cn"
    timezone: str = "Asia/Shanghai"
    workdays: tuple[date, ...] = ()
    holidays: tuple[date, ...] = ()


def read_config(root: Path) -> Config:
    from pydantic import ValidationError

    from ..model.models import Config

    try:
        return Config.model_validate(_document(root))
    except yamlio.YamlProblem as problem:
        raise UsageProblem("error.bad-config", detail=_said(problem.line, problem.col, problem.code, problem.args_)) from None
    except ValidationError as error:
        from ..load.load import load_file

        first = min(load_file(MARKER, yamlio.read_bounded(root / MARKER)).findings, default=None)  # as `check` says it
        if first is None:  # the loader validates as the model does, so it finds one; else pydantic's words
            raise UsageProblem("error.bad-config", detail=error.errors(include_url=False)[0]["msg"]) from None
        raise UsageProblem("error.bad-config", detail=_said(first.line, first.col, first.code, first.args)) from None


def _said(line: int, col: int, code: str, args: dict) -> Phrase:
    """A problem of gongkai.yaml with its place and its message, in the person's language."""
    return Phrase("error.finding", {"place": f"{MARKER}:{line}:{col}", "code": code, "message": Phrase(f"finding.{code}", args)})


def _document(root: Path) -> Any:
    if leaves(root, MARKER):
        raise UsageProblem("error.bad-config", detail=f"{MARKER}: path-escape")
    return yamlio.load(yamlio.decode(yamlio.read_bounded(root / MARKER))) or {}


def read_basics(root: Path) -> Basics:
    try:
        basics = _plain_basics(_document(root))
    except (UsageProblem, yamlio.YamlProblem, OSError):
        basics = None
    if basics is not None:
        return basics
    config = read_config(root)
    return Basics(config.language, config.calendar, config.timezone, tuple(config.workdays), tuple(config.holidays))


def _plain_basics(document: Any) -> Basics | None:
    """Basics from a document whose relevant keys are all plainly valid, else None."""
    if not isinstance(document, dict):
        return None
    defaults = Basics()
    values = {name: document.get(name, getattr(defaults, name)) for name in ("language", "calendar", "timezone")}
    if any(values[name] not in choices for name, choices in CHOICES.items()) or not isinstance(values["timezone"], str):
        return None
    days = {name: _days(document.get(name, [])) for name in ("workdays", "holidays")}
    if None in days.values():
        return None
    return Basics(**values, **days)


def _days(value: Any) -> tuple[date, ...] | None:
    if not isinstance(value, list):
        return None
    days = []
    for day in value:
        if isinstance(day, str) and len(day) == 10 and day[4] == day[7] == "-":
            try:
                day = date.fromisoformat(day)
            except ValueError:
                return None
        if type(day) is not date:
            return None
        days.append(day)
    return tuple(days)


def calendar_of(config: Config | Basics) -> WorkCalendar:
    return WorkCalendar(config.calendar, workdays=config.workdays, holidays=config.holidays)


def office_zone(config: Config | Basics) -> ZoneInfo:
    try:
        return ZoneInfo(config.timezone)
    except Exception:  # noqa: BLE001 - an unknown zone name: the office default
        return ZoneInfo("Asia/Shanghai")


def local_day(moment: date | datetime, zone: ZoneInfo) -> date:
    """The day `moment` falls on by the office's clock (a date-time with an offset converted first)."""
    if isinstance(moment, datetime):
        return (moment.astimezone(zone) if moment.tzinfo is not None else moment).date()
    return moment


def today(config: Config | Basics) -> date:
    """Today in the office's timezone: the one place "now" enters a computation."""
    return datetime.now(office_zone(config)).date()
