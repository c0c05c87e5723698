"""The fields of an item that scheduling and reports read, as plain values.

`overdue`, `due` and `audit` need a few fields of every item, not the validated models: the
cache keeps these beside each item file's record (as values marshal can hold), and reading
a hundred thousand of them costs a tenth of unpickling the models.
"""

from __future__ import annotations

import functools
import pickle
from datetime import date, datetime
from typing import Any, NamedTuple

from .where import extra_of


class Span(NamedTuple):
    from_: date
    to: date


class AppealFacts(NamedTuple):
    kind: str
    filed: date
    result: str
    decided: date | None


class ItemFacts(NamedTuple):
    """An Item as the scheduler sees it (the same attribute names, so either can be scheduled)."""

    id: str
    title: str
    category: str
    unit: str
    formed: date | datetime
    disclosed: date | datetime | None
    period: str | None
    mode: str
    reason: str | None
    of: str | None
    index_no: str | None
    received: date | None
    corrected: date | None
    extended: bool
    paused: tuple[Span, ...]
    replied: date | None
    filed: date | datetime | None
    extra: tuple[tuple[str, Any], ...]  # what `where` may match that the fields above do not hold (where.py)
    # what the annual report counts (annual.py)
    repealed: date | None = None
    withdrawn: date | None = None  # the day of `withdrawn.on`
    requester: str | None = None
    outcome: str | None = None
    appeals: tuple[AppealFacts, ...] = ()




def summary_of(loaded: Any) -> tuple:
    """(each item's facts, the file's findings pickled — b"" without any) of a loaded file."""
    item = _item_model()
    items = tuple([_encoded(obj) for obj, _ in loaded.objects if type(obj) is item])
    return items, pickle.dumps(loaded.findings) if loaded.findings else b""


@functools.cache  # an import statement costs more than the rest of summary_of for most files
def _item_model() -> type:
    from .models import Item  # not at the top: reading facts back needs no pydantic

    return Item


def _encoded(item: Any) -> tuple:
    """ItemFacts' values of an Item, in its order, each day an ordinal (Decoder._item reads them back)."""
    values, moment = item.__dict__, _moment
    withdrawn, paused, appeals = values["withdrawn"], values["paused"], values["appeals"]
    return (values["id"], values["title"], values["category"], values["unit"], moment(values["formed"]),
            moment(values["disclosed"]), values["period"], values["mode"], values["reason"], values["of"],
            values["index_no"], moment(values["received"]), moment(values["corrected"]), values["extended"],
            tuple([(pause.from_.toordinal(), pause.to.toordinal()) for pause in paused]) if paused else (),
            moment(values["replied"]), moment(values["filed"]), extra_of(item), moment(values["repealed"]),
            moment(withdrawn.on) if withdrawn else None, values["requester"], values["outcome"],
            tuple([(appeal.kind, moment(appeal.filed), appeal.result, moment(appeal.decided))
                   for appeal in appeals]) if appeals else ())


def facts_of(item: Any) -> ItemFacts:
    """An Item model (read from a commit's tree) as the facts the view gives."""
    return item if type(item) is ItemFacts else Decoder()._item(_encoded(item))


def _moment(value: date | datetime | None) -> int | str | None:
    """A day as its ordinal, a time as ISO text (with its offset, if it has one)."""
    if value is None:  # most of an item's days
        return None
    if type(value) is date:
        return value.toordinal()
    if isinstance(value, datetime):
        return value.isoformat()
    return value.toordinal() if isinstance(value, date) else value


class Decoder:
    """Summaries back into facts and findings. Each day, and each value of a field that takes few
    values (a unit, a category), is one shared object; `wanted`, when given, names the `extra` keys
    kept (those some rule's `where` reads: the view of a hundred thousand items need not hold
    every URL and channel)."""

    def __init__(self, wanted: frozenset[str] | None = None) -> None:
        self.days: dict[int, date] = {}
        self.shared: dict[str, str] = {}
        self.wanted = wanted

    def facts(self, summary: tuple) -> list[ItemFacts]:
        return [self._item(values) for values in summary[0]]

    @staticmethod
    def findings(summary: tuple) -> list:
        return pickle.loads(summary[1]) if summary[1] else []

    def _item(self, values: tuple) -> ItemFacts:
        (id_, title, category, unit, formed, disclosed, period, mode, reason, of, index_no,
         received, corrected, extended, paused, replied, filed, extra,
         repealed, withdrawn, requester, outcome, appeals) = values
        moment, share, wanted = self._moment, self.shared.setdefault, self.wanted
        if extra and wanted is not None:
            extra = tuple(pair for pair in extra if pair[0] in wanted)
        return ItemFacts(id_, title, share(category, category), share(unit, unit), moment(formed), moment(disclosed),
                         period and share(period, period), share(mode, mode), reason and share(reason, reason), of,
                         index_no, moment(received), moment(corrected), extended,
                         tuple(Span(moment(start), moment(end)) for start, end in paused), moment(replied),
                         moment(filed), extra or (), moment(repealed), moment(withdrawn),
                         requester and share(requester, requester), outcome and share(outcome, outcome),
                         tuple(AppealFacts(kind, moment(filed_on), result, moment(decided))
                               for kind, filed_on, result, decided in appeals))

    def _moment(self, value: int | str | None) -> date | datetime | None:
        if value is None:
            return None
        if type(value) is int:
            day = self.days.get(value)
            if day is None:
                day = self.days[value] = date.fromordinal(value)
            return day
        return datetime.fromisoformat(value)
