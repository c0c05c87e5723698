"""Pydantic models of every file kind: the single source of the format and its JSON Schemas."""

from __future__ import annotations

import functools
import re
from datetime import date, datetime
from typing import Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    GetPydanticSchema,
    Strict,
    Tag,
    TypeAdapter,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError, core_schema

from .kinds import kind_of  # noqa: F401 - re-exported
from .years import FIRST_YEAR, LAST_YEAR

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
PERIOD = r"^[0-9]{4}(-(0[1-9]|1[0-2])|[Qq][1-4]|[Hh][12])?$"

Slug = Annotated[str, Field(pattern=SLUG, min_length=1, max_length=80)]


def _strip_text(value: Any) -> Any:
    """Editors in Chinese offices often leave full-width spaces (U+3000) around values."""
    return value.strip(" \t\u3000") if isinstance(value, str) else value


def _period_text(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value.strip().upper() if isinstance(value, str) else value


def in_years(value: Any) -> Any:
    """A date, date-time or period (its first four characters the year) inside FIRST_YEAR–LAST_YEAR."""
    year = value.year if isinstance(value, (date, datetime)) else int(value[:4])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PydanticCustomError("year_out_of_range", "year {year} is outside {first}–{last}",
                                  {"year": year, "first": FIRST_YEAR, "last": LAST_YEAR})
    return value


Text = Annotated[str, BeforeValidator(_strip_text), Field(min_length=1)]
PeriodText = Annotated[
    str,
    BeforeValidator(_period_text),
    Field(pattern=PERIOD),
    AfterValidator(in_years),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": PERIOD},
                              {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR}]}),
]


ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DATE_TIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?$"
_ISO_DATE, _DATE_TIME = re.compile(ISO_DATE), re.compile(DATE_TIME)


def _date_or_time(value: Any) -> Any:
    """ISO text without a time of day is a date; with one, a date-time (kept even at 00:00).

    Anything else is refused here: Python and pydantic would also read 20241015, 2024-W42-2
    or a Unix timestamp, which the format (and the JSON Schema) do not allow."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if _ISO_DATE.fullmatch(text):
        return date.fromisoformat(text)
    if _DATE_TIME.fullmatch(text):
        return datetime.fromisoformat(text)
    raise PydanticCustomError("invalid_date", "expected 2024-09-23 or 2024-09-23T14:30")


def _not_a_number(value: Any) -> Any:
    """Pydantic would read 20240923 as a Unix timestamp; a date must be written as a date."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise PydanticCustomError("invalid_date", "a date is written 2024-09-23")
    return value


def _iso_day(value: Any) -> Any:
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value.strip()):
        raise PydanticCustomError("invalid_date", "a date is written 2024-09-23")
    return _not_a_number(value)


Day = Annotated[date, BeforeValidator(_iso_day), AfterValidator(in_years)]


def _moment_in_years(value: Any) -> date | datetime:
    """The whole of a DateOrTime's validation, in one call out of pydantic's core for every date of
    every item: _not_a_number, _date_or_time and in_years (a datetime is a date too). Pydantic's own
    union of the two types would cost twice as much again, for a value already one of them."""
    if type(value) is str and len(value) <= 40:  # longer: none recurs (and none is kept)
        return _moment_of_text(value)
    value = _date_or_time(_not_a_number(value))
    if not isinstance(value, date):
        raise PydanticCustomError("invalid_date", "expected 2024-09-23 or 2024-09-23T14:30")
    return in_years(value)


@functools.lru_cache(maxsize=8192)  # the same days recur in thousands of items: one object each, parsed once
def _moment_of_text(text: str) -> date | datetime:
    return in_years(_date_or_time(text))


DateOrTime = Annotated[
    Union[datetime, date],
    GetPydanticSchema(lambda _type, _handler: core_schema.no_info_plain_validator_function(_moment_in_years)),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "pattern": DATE_TIME}]}),
]
Count = Annotated[int, Strict()]
Flag = Annotated[bool, Strict()]


class Model(BaseModel):
    """Every file model: unknown keys are errors (where each object came from is on the Snapshot)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    note: str | None = None


# gongkai.yaml ----------------------------------------------------------------------------


MAIL_PORTS = {"none": 25, "starttls": 587, "ssl": 465}


class MailSettings(Model):
    """How `remind --send` reaches the office's SMTP server; the password is never in the repository."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    host: Text
    port: Annotated[int, Strict(), Field(ge=1, le=65535)] | None = Field(
        default=None, description="Default by tls: 25 (none), 587 (starttls), 465 (ssl)")
    sender: Text = Field(alias="from", description="The From address, optionally with a name: 扶贫办 <gk@example.gov.cn>")
    tls: Literal["none", "starttls", "ssl"] = "starttls"
    username: Text | None = None
    password_env: Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")] = Field(
        default="GONGKAI_MAIL_PASSWORD", description="The environment variable holding the password")

    @property
    def server_port(self) -> int:
        return self.port or MAIL_PORTS[self.tls]


class Config(Model):
    office: Text = Field(default="", description="The office keeping this repository")
    timezone: str = "Asia/Shanghai"
    calendar: Literal["cn", "weekdays"] = "cn"
    workdays: list[Day] = Field(default_factory=list, description="Extra working days")
    holidays: list[Day] = Field(default_factory=list, description="Extra non-working days")
    language: Literal["zh", "en"] = "zh"
    admins: list[str] = Field(default_factory=list, description="Emails that may change any unit's items")
    mail: MailSettings | None = Field(default=None, description="The SMTP server `remind --send` mails through")


# catalog/units.yaml ----------------------------------------------------------------------

UnitKind = Literal["department", "institution", "township", "village", "office"]


class Unit(Model):
    id: Slug
    name: Text
    kind: UnitKind
    parent: Slug | None = None
    clerks: list[str] = Field(default_factory=list)


# catalog/categories.yaml -----------------------------------------------------------------

PRIVACY_KINDS = ("mobile", "id-number")  # the privacy findings are privacy-<kind>


class PrivacyPolicy(Model):
    allow: list[Literal[PRIVACY_KINDS]] = Field(  # type: ignore[valid-type]
        default_factory=list, description="Privacy findings this category's items may carry")



class SheetRow(Model):
    """What the office's 标准目录 row says beyond the category's own fields (`import catalog`),
    so `export catalog` gives the same sheet back. Each key is left out where the category's
    fields already say it."""

    name: str | None = Field(default=None, description="The worksheet the row is on")
    group: str | None = Field(default=None, description="一级事项")
    subject: str | None = Field(default=None, description="公开主体 as the sheet words it")
    audience: list[Literal["public", "group"]] = Field(default_factory=list, description="公开对象 ticked")
    modes: list[Literal["proactive", "on-request"]] = Field(default_factory=list, description="公开方式 ticked")
    levels: list[Literal["county", "township"]] = Field(default_factory=list, description="公开层级 ticked")


class Category(Model):
    id: Slug
    name: Text
    content: str | None = None
    channels: list[str] = Field(default_factory=list)
    time_limit: Literal["standing", "timely", "on-request"] = "timely"
    time_limit_text: str | None = Field(default=None, description="The catalog's 公开时限 as written")
    scope: Literal["public", "internal", "requester", "group"] = "public"
    units: list[Slug] | None = None
    basis: str | None = None
    fields: list[str] = Field(default_factory=list)
    reviews: list[str] = Field(default_factory=list)
    evidence: Literal["required", "optional"] | None = None
    retention_years: Count | None = Field(default=None, ge=1, le=100)
    mode_required: Flag = Field(default=False, description="Every item must state its `mode` explicitly")
    privacy: PrivacyPolicy | None = None
    annual_report: Literal["regulations", "normative-documents"] | None = Field(
        default=None, description="Counted in the annual report's table 二 (一) as 规章 or 行政规范性文件")
    sheet: SheetRow | None = Field(default=None, description="The 标准目录 row it was imported from")



# rules/*.yaml ----------------------------------------------------------------------------


class Window(Model):
    from_: Day | None = Field(default=None, alias="from")
    until: Day | None = None

    model_config = ConfigDict(populate_by_name=True)

    def contains(self, day: date) -> bool:
        return (self.from_ is None or self.from_ <= day) and (self.until is None or day <= self.until)


class Within(Model):
    workdays: Count | None = Field(default=None, ge=0, le=3650)
    days: Count | None = Field(default=None, ge=0, le=3650)
    hours: Count | None = Field(default=None, ge=0, le=87600)

    @model_validator(mode="after")
    def _exactly_one(self) -> Within:
        given = [name for name in ("workdays", "days", "hours") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("within needs exactly one of workdays, days, hours")
        return self

    @property
    def unit(self) -> str:
        return next(name for name in ("workdays", "days", "hours") if getattr(self, name) is not None)

    @property
    def amount(self) -> int:
        return getattr(self, self.unit)


class Due(Model):
    from_: Literal["end", "start"] = Field(default="end", alias="from")
    months: Count = Field(default=0, ge=0, le=36)
    day: Count | Literal["last"] = "last"

    model_config = ConfigDict(populate_by_name=True)

    @model_validator(mode="after")
    def _day_in_month(self) -> Due:
        if isinstance(self.day, int) and not 1 <= self.day <= 31:
            raise ValueError("day must be 1–31 or last")
        return self


class Companion(Model):
    category: Slug
    within: Within
    same_unit: Flag = Field(default=False, description="The companion must come from the first item's unit")


MetBy = Literal["disclosed", "filed", "formed"]
# A `where` pattern: a glob, any of several globs, or whether the field is set at all.
Pattern = Union[Flag, Annotated[str, Strict()], list[Annotated[str, Strict()]]]


class RuleBase(Model):
    id: Slug
    name: Text
    category: Slug | list[Slug]
    basis: str | None = None
    units: list[Slug] | None = None
    unit_kinds: list[UnitKind] | None = None
    active: Window | None = None
    roll: Literal["next-workday", "none"] = "next-workday"
    met_by: MetBy = Field(default="disclosed", description="Which of an item's dates meets the rule")
    where: dict[str, Pattern] | None = Field(default=None, description="Item fields the covered items match")

    @property
    def categories(self) -> list[str]:
        if self.category is None:
            return []
        return [self.category] if isinstance(self.category, str) else list(self.category)


class PeriodicRule(RuleBase):
    every: Literal["month", "quarter", "half-year", "year"]
    due: Due
    min_items: Count = Field(default=1, ge=1, le=1000)


class EventRule(RuleBase):
    within: Within


class CompanionRule(RuleBase):
    companion: Companion


class OnceRule(RuleBase):
    once: Day


class RequestTerms(Model):
    within: Within
    extension: Within | None = None


class RequestRule(RuleBase):
    """依申请公开: one occurrence per on-request item received inside `active`, met by `replied`."""

    name: Text | None = None  # type: ignore[assignment] - the built-in laws' ids need none
    category: Slug | list[Slug] | None = None  # type: ignore[assignment] - omitted: every category
    request: RequestTerms


# Tags name the shapes; they must not be a rule's keys, or error locations would point into them.
RULE_SHAPES = {"every": "periodic-rule", "within": "event-rule", "companion": "companion-rule", "once": "once-rule",
               "request": "request-rule"}


def rule_shape(value: Any) -> str | None:
    if isinstance(value, dict):
        return next((shape for key, shape in RULE_SHAPES.items() if key in value), None)
    for key, shape in RULE_SHAPES.items():
        if hasattr(value, key):
            return shape
    return None


Rule = Annotated[
    Union[
        Annotated[PeriodicRule, Tag("periodic-rule")],
        Annotated[EventRule, Tag("event-rule")],
        Annotated[CompanionRule, Tag("companion-rule")],
        Annotated[OnceRule, Tag("once-rule")],
        Annotated[RequestRule, Tag("request-rule")],
    ],
    Discriminator(
        rule_shape,
        custom_error_type="rule_shape",
        custom_error_message="a rule needs one of: every (periodic), within (event), companion, once, request",
    ),
]


# items/<year>/<unit>/<id>.yaml -----------------------------------------------------------

Mode = Literal["proactive", "on-request", "not-disclosed", "nil"]
Requester = Literal["natural-person", "business", "research", "nonprofit", "legal-service", "other"]
DENIED = ("state-secret", "law-forbidden", "three-safety", "third-party", "internal-affairs",
          "process-info", "enforcement-case", "admin-query")
UNABLE = ("no-info", "need-creation", "unclear")
NOT_PROCESSED = ("complaint", "repeat", "publication", "massive", "confirm")
OTHER = ("overdue-correction", "overdue-fee", "other")
OUTCOMES = (
    ("granted", "partial")
    + tuple(f"denied/{x}" for x in DENIED)
    + tuple(f"unable/{x}" for x in UNABLE)
    + tuple(f"not-processed/{x}" for x in NOT_PROCESSED)
    + tuple(f"other/{x}" for x in OTHER)
)
Outcome = Literal[OUTCOMES]  # type: ignore[valid-type]


class Review(Model):
    step: Slug
    by: Text
    on: Day


class Withdrawal(Model):
    on: Day
    reason: Text


class Pause(Model):
    from_: Day = Field(alias="from")
    to: Day
    reason: str | None = None

    model_config = ConfigDict(populate_by_name=True)

    @model_validator(mode="after")
    def _ordered(self) -> Pause:
        if self.to < self.from_:
            raise ValueError("paused: to is before from")
        return self


AppealKind = Literal["review", "lawsuit", "lawsuit-after-review"]
AppealResult = Literal["upheld", "corrected", "other", "pending"]


class Appeal(Model):
    """行政复议 / 行政诉讼 about a request's reply (annual report table 四)."""

    kind: AppealKind
    filed: Day
    result: AppealResult = "pending"
    decided: Day | None = None


class Item(Model):
    id: Slug
    title: Text
    category: Slug
    unit: Slug
    doc_number: str | None = None
    index_no: str | None = None
    formed: DateOrTime
    disclosed: DateOrTime | None = None
    period: PeriodText | None = None
    mode: Mode = "proactive"
    reason: str | None = None
    channels: list[str] = Field(default_factory=list)
    url: str | None = None
    of: Slug | None = None
    source_url: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)
    reviews: list[Review] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)
    filed: DateOrTime | None = None
    effective: Day | None = None
    repealed: Day | None = None
    withdrawn: Withdrawal | None = None
    received: Day | None = None
    extended: Flag = False
    corrected: Day | None = None
    paused: list[Pause] = Field(default_factory=list)
    replied: Day | None = None
    requester: Requester | None = None
    outcome: Outcome | None = None  # type: ignore[valid-type]
    appeals: list[Appeal] = Field(default_factory=list)


    def __reduce__(self):
        """Pickled as its values in field order: unpickling then shares the field names (a dict of
        freshly unpickled names costs 1.7 KB an item) and the sets of set fields."""
        fields_set = self.__pydantic_fields_set__
        mask = sum(1 << index for index, name in enumerate(ITEM_FIELDS) if name in fields_set)
        return _item_from, (tuple(self.__dict__[name] for name in ITEM_FIELDS), mask)


def _item_from(values: tuple, mask: int) -> Item:
    item = Item.__new__(Item)
    object.__setattr__(item, "__dict__", dict(zip(ITEM_FIELDS, values)))
    fields_set = _FIELDS_SETS.get(mask)
    if fields_set is None:
        fields_set = _FIELDS_SETS[mask] = {name for index, name in enumerate(ITEM_FIELDS) if mask >> index & 1}
    object.__setattr__(item, "__pydantic_fields_set__", fields_set)
    object.__setattr__(item, "__pydantic_extra__", None)
    object.__setattr__(item, "__pydantic_private__", None)
    return item


ITEM_FIELDS = tuple(Item.model_fields)
_FIELDS_SETS: dict[int, set[str]] = {}  # shared: nothing assigns to a loaded item's fields


def day_of(value: date | datetime | None) -> date | None:
    """The calendar day of a date or date-time."""
    return value.date() if isinstance(value, datetime) else value


# File kinds ------------------------------------------------------------------------------

# One object of each file kind (list files hold a list of them; a rules file may hold one).
# The "reports" kind (reports/<year>.yaml) builds on Model above: model/reports.py adds itself to
# these three when it is imported, which the last line of this module makes sure of — whichever
# of the two modules is imported first.
ELEMENTS: dict[str, Any] = {"config": Config, "units": Unit, "categories": Category, "rules": Rule, "item": Item}
ELEMENT_ADAPTERS = {kind: TypeAdapter(element) for kind, element in ELEMENTS.items()}
SCHEMA_TYPES: dict[str, Any] = {
    "config": Config,
    "units": list[Unit],
    "categories": list[Category],
    "rules": Union[list[Rule], Rule],
    "item": Item,
}


def json_schemas() -> dict[str, dict]:
    """One JSON Schema per file kind, generated from the models."""
    schemas = {}
    for kind, model in SCHEMA_TYPES.items():
        schema = TypeAdapter(model).json_schema(by_alias=True)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://gongkai.invalid/schema/{kind}.json"
        schemas[kind] = schema
    return schemas


from . import reports as _reports  # noqa: F401 - registers the "reports" file kind (above)
