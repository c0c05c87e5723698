"""The strings of `import`, `export` and `time-limit`: the office's spreadsheets, zh and en."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # time-limit, import catalog, export catalog (branch timelimit)
    "time-limit.uncomputable": ("无法计算期限：{text}", "no computable deadline: {text}"),
    "time-limit.within": ("自形成之日起{amount}{unit}内", "within {amount} {unit} of `formed`"),
    "time-limit.once": ("{day}前", "by {day}"),
    "time-limit.every.end": ("{every}：期满后第{month}个月{day}日前（每期至少{count}条）",
                             "{every}: by day {day} of month {month} after the period (at least {count} a period)"),
    "time-limit.every.start": ("{every}：本期第{month}个月{day}日前（每期至少{count}条）",
                               "{every}: by day {day} of the period's month {month} (at least {count} a period)"),
    "time-limit.last-day": ("最后一", "last"),
    "time-limit.unit.workdays": ("个工作日", "workdays"),
    "time-limit.unit.days": ("日", "days"),
    "time-limit.unit.hours": ("小时", "hours"),
    "time-limit.period.month": ("每月", "monthly"),
    "time-limit.period.quarter": ("每季度", "quarterly"),
    "time-limit.period.half-year": ("每半年", "half-yearly"),
    "time-limit.period.year": ("每年", "yearly"),
    "time-limit.standing": ("长期公开（信息保持公开）", "standing: the information stays published"),
    "time-limit.asap": ("及时公开（没有可计算的天数）", "as soon as possible: no number to count"),
    "time-limit.note.law-exception": ("另有规定时从其规定：{text}", "the law's own deadline prevails where it has one: {text}"),
    "time-limit.note.after-period-uncounted": ("期满后未说几日：{text}", "after the period, but no count: {text}"),
    "time-limit.note.after-period-unit": ("期满后的期限不是某月某日：{text}",
                                          "not a day of a month after the period: {text}"),
    "time-limit.note.date-unread": ("读不出的日期：{text}", "a date gongkai cannot read: {text}"),
    "time-limit.note.date-without-year": ("日期没有说每年：{text}", "a date without 每年 (every year): {text}"),
    "time-limit.note.before-event": ("事件之前的期限无法从形成日计算：{text}",
                                     "a deadline before an event cannot be counted from `formed`: {text}"),
    "time-limit.note.duration": ("是持续时间，不是期限：{text}", "a duration, not a deadline: {text}"),
    "time-limit.note.event-unit": ("月数没有固定天数：{text}", "months have no fixed number of days: {text}"),
    "time-limit.note.times-without-period": ("次数没有说周期：{text}", "a count without a period: {text}"),
    "time-limit.note.period-unsupported": ("规则不支持这种周期：{text}", "rules have no such period: {text}"),
    # end of time-limit, import catalog, export catalog
}
