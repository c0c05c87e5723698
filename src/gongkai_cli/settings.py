"""gongkai.yaml read on its own (every command needs the language and the calendar first)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from . import yamlio
from .calendar import WorkCalendar
from .errors import UsageProblem
from .models import Config
from .repo import MARKER, leaves


def read_config(root: Path) -> Config:
    if leaves(root, MARKER):
        raise UsageProblem("error.bad-config", detail=f"{MARKER}: path-escape")
    try:
        document = yamlio.load(yamlio.decode((root / MARKER).read_bytes())) or {}
        return Config.model_validate(document)
    except yamlio.YamlProblem as problem:
        raise UsageProblem("error.bad-config", detail=f"{MARKER}:{problem.line}:{problem.col}: {problem.code}") from None
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(map(str, first["loc"]))
        raise UsageProblem("error.bad-config", detail=f"{where}: {first['msg']}") from None


def calendar_of(config: Config) -> WorkCalendar:
    return WorkCalendar(config.calendar, workdays=config.workdays, holidays=config.holidays)


def office_zone(config: Config) -> ZoneInfo:
    try:
        return ZoneInfo(config.timezone)
    except Exception:  # noqa: BLE001 - an unknown zone name: the office default
        return ZoneInfo("Asia/Shanghai")


def today(config: Config) -> date:
    """Today in the office's timezone: the one place "now" enters a computation."""
    return datetime.now(office_zone(config)).date()
