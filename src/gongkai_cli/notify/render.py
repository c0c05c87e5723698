"""A digest as a person reads it (printed, or the body of a mail), its subject line, and JSON for programs."""

from __future__ import annotations

import json

from ..messages import printable, text
from ..model.models import day_of
from ..schedule.deadlines import iso, weekday
from .digest import Digest, Line, Reminders


def subject(reminders: Reminders, digest: Digest, lang: str) -> str:
    return text(f"remind.subject-{digest.role}", lang, office=reminders.office or "gongkai",
                overdue=len(digest.overdue), due=len(digest.pending), within=reminders.within,
                as_of=reminders.as_of.isoformat())


def body(reminders: Reminders, digest: Digest, lang: str) -> str:
    """The digest's text: a heading, then its sections; the same text is printed and mailed."""
    names = "、".join(reminders.unit_names.get(u, u) for u in digest.units) if lang == "zh" else \
        ", ".join(reminders.unit_names.get(u, u) for u in digest.units)
    heading = [text(f"remind.to-{digest.role}", lang, to=digest.to, units=names),
               subject(reminders, digest, lang), ""]
    sections = _admin_sections(reminders, digest, lang) if digest.role == "admin" else _sections(digest.lines, reminders, lang)
    return "\n".join(heading + sections)


def _sections(lines: list[Line], reminders: Reminders, lang: str) -> list[str]:
    out = []
    for status, title in (("overdue", "remind.section-overdue"), ("pending", "remind.section-due")):
        chosen = [line for line in lines if line.status == status]
        if chosen:
            out.append(text(title, lang, count=len(chosen), within=reminders.within))
            out += ["  - " + line_text(line, lang) for line in chosen]
    return out


def _admin_sections(reminders: Reminders, digest: Digest, lang: str) -> list[str]:
    """Counts per unit (who was told), then in full the lines of units no clerk hears about."""
    out = [text("remind.section-units", lang, count=len(digest.units))]
    for unit in digest.units:
        theirs = [line for line in digest.lines if line.unit == unit]
        clerks = reminders.clerks_of.get(unit)
        out.append("  - " + text("remind.unit-count", lang, unit=unit, name=reminders.unit_names.get(unit, unit),
                                 overdue=sum(line.status == "overdue" for line in theirs),
                                 due=sum(line.status == "pending" for line in theirs),
                                 clerks=", ".join(clerks) if clerks else text("remind.no-clerk", lang)))
    untold = [line for line in digest.lines if line.unit not in reminders.clerks_of]
    if untold:
        out.append(text("remind.section-untold", lang, count=len(untold)))
        out += ["  - " + line_text(line, lang) for line in untold]
    return out


def line_text(line: Line, lang: str) -> str:
    """综合处 · 每月5日前公开工作动态 · 2024-09 · 截止 2024-10-08（周二）· 逾期 3 天"""
    days = text(f"remind.days-{line.status}", lang, days=line.days)
    mark = " *" if line.provisional else ""
    due = text("remind.due", lang, due=iso(line.due) + mark, weekday=weekday(day_of(line.due), lang))
    return printable(" · ".join(part for part in (line.unit_name, line.rule_name, line.what, due, days) if part))


def render_text(reminders: Reminders, lang: str) -> str:
    if not reminders.digests:
        return text("remind.none", lang, as_of=reminders.as_of.isoformat(), within=reminders.within)
    return "\n\n".join(body(reminders, digest, lang) for digest in reminders.digests)


def as_json(reminders: Reminders, lang: str, results: dict[str, str] | None = None) -> dict:
    """{"as_of", "within", "office", "digests": [{"to", "role", "units", "subject", "lines", ("result")}]}"""
    digests = []
    for digest in reminders.digests:
        entry = {"to": digest.to, "role": digest.role, "units": digest.units,
                 "subject": subject(reminders, digest, lang), "lines": [line.as_json() for line in digest.lines]}
        if results is not None:
            entry["result"] = results.get(digest.to, "skipped")
        digests.append(entry)
    return {"as_of": reminders.as_of.isoformat(), "within": reminders.within, "office": reminders.office,
            "digests": digests}


def render_json(reminders: Reminders, lang: str) -> str:
    return json.dumps(as_json(reminders, lang), ensure_ascii=False, indent=2)


RENDERERS = {"table": render_text, "json": render_json}
