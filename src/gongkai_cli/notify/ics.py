"""`calendar`: every open deadline as an iCalendar feed (RFC 5545) that calendar apps subscribe to.

A UID is made of the occurrence's rule, unit and period (or item), nothing that changes when it is
met late or renamed, so a subscribed calendar updates its events instead of adding copies."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from ..load.load import Snapshot
from ..messages import text
from ..schedule.deadlines import iso
from ..schedule.schedule import Occurrence, descendants, select

OPEN = ("overdue", "pending")
# an all-day deadline's reminder: 09:00 the day before; a timed one's: a day before the hour
ALL_DAY_ALARM = timedelta(hours=-15)
TIMED_ALARM = timedelta(days=-1)


def uid(o: Occurrence) -> str:
    return f"{o.rule}/{o.unit}/{o.period or o.item or 'once'}@gongkai"


def open_occurrences(found: list[Occurrence], snapshot: Snapshot, unit: str | None) -> list[Occurrence]:
    return select(found, OPEN, descendants(snapshot, unit) if unit else None)


def feed(found: list[Occurrence], snapshot: Snapshot, unit: str | None, zone: ZoneInfo, lang: str) -> bytes:
    """The open occurrences (of `unit` and below, or all) as one VCALENDAR."""
    office = snapshot.config.office or "gongkai"
    calendar = Calendar()
    calendar.add("prodid", "-//gongkai//disclosure deadlines//" + lang.upper())
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", text("calendar.name", lang, office=office))
    calendar.add("x-wr-timezone", zone.key)
    names = {u.id: u.name for u in snapshot.units}
    shown = open_occurrences(found, snapshot, unit)
    titles = snapshot.titles(o.item for o in shown)
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    for o in shown:
        calendar.add_component(_event(o, names.get(o.unit, o.unit), titles.get(o.item or "") or o.period or o.item,
                                      zone, stamp, lang))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _event(o: Occurrence, unit_name: str, what: str | None, zone: ZoneInfo, stamp: datetime, lang: str) -> Event:
    mark = text("calendar.overdue-mark", lang) if o.status == "overdue" else ""
    summary = text("calendar.summary", lang, status=mark, unit=unit_name, rule=o.rule_name,
                   what=f"（{what}）" if what and lang == "zh" else f" ({what})" if what else "")
    event = Event()
    event.add("uid", uid(o))
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("description", text("calendar.description", lang, unit=unit_name, unit_id=o.unit, rule=o.rule_name,
                                  rule_id=o.rule, what=what or "", due=iso(o.due), status=text(f"status.{o.status}", lang)))
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    event.add("categories", ["gongkai", o.unit])
    if isinstance(o.due, datetime):
        start = o.due.replace(tzinfo=zone) if o.due.tzinfo is None else o.due.astimezone(zone)
        event.add("dtstart", start)
        event.add("dtend", start)
        trigger = TIMED_ALARM
    else:
        event.add("dtstart", o.due)
        event.add("dtend", o.due + timedelta(days=1))
        trigger = ALL_DAY_ALARM
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text("calendar.alarm", lang, summary=summary))
    alarm.add("trigger", trigger)
    event.add_component(alarm)
    return event

