"""Every user-facing string, in Chinese (the default) and English."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LANGUAGES = ("zh", "en")

# key: (zh, en). Placeholders are str.format fields.
MESSAGES: dict[str, tuple[str, str]] = {
    # check ---------------------------------------------------------------------------------
    "check.summary": ("检查了 {files} 个文件：{errors} 个错误，{warnings} 个警告",
                      "checked {files} files: {errors} errors, {warnings} warnings"),
    "finding.file-too-large": ("文件过大（{size} 字节，上限 {limit}）", "file too large ({size} bytes, limit {limit})"),
    "finding.not-utf8": ("文件不是 UTF-8 编码（看起来是 {encoding}）：请用编辑器“另存为 UTF-8”后再提交",
                         "file is not UTF-8 (looks like {encoding}): re-save it as UTF-8"),
    "finding.yaml-syntax": ("YAML 语法错误：{detail}", "YAML syntax error: {detail}"),
    "finding.yaml-tab": ("YAML 不允许用制表符（Tab）缩进，请改用空格", "YAML does not allow tabs for indentation; use spaces"),
    "finding.yaml-tag": ("不允许的 YAML 标签 {tag}：gongkai 只读取普通数据，不执行任何内容",
                         "YAML tag {tag} is not allowed: gongkai reads plain data only and never runs anything"),
    "finding.yaml-duplicate-key": ("重复的键 {key}", "duplicate key {key}"),
    "finding.yaml-bad-key": ("键必须是文字", "a key must be plain text"),
    "finding.yaml-alias-bomb": ("别名（&/*）展开后超过 {limit} 个节点，拒绝读取",
                                "aliases (&/*) expand to more than {limit} nodes; refused"),
    "finding.yaml-too-deep": ("嵌套层数超过 {limit}", "nesting deeper than {limit} levels"),
    "finding.empty-file": ("文件为空", "the file is empty"),
    "finding.missing-field": ("缺少必填字段 {field}", "missing required field {field}"),
    "finding.unknown-field": ("未知字段 {field}{hint}", "unknown field {field}{hint}"),
    "hint.did-you-mean": ("（是否想写 {suggestion}？）", " (did you mean {suggestion}?)"),
    "finding.invalid-value": ("{field} 的值无效：{detail}", "invalid value for {field}: {detail}"),
    "finding.invalid-date": ("{field} 不是有效的日期（应为 2024-09-23 或 2024-09-23T14:30）",
                             "{field} is not a valid date (expected 2024-09-23 or 2024-09-23T14:30)"),
    "finding.invalid-period": ("{field} 不是有效的期间（应为 2024-09、2024Q3、2024H2 或 2024）",
                               "{field} is not a valid period (expected 2024-09, 2024Q3, 2024H2 or 2024)"),
    "finding.invalid-id": ("{field} 只能由小写字母、数字和连字符组成：{value}",
                           "{field} may only hold lower-case letters, digits and hyphens: {value}"),
    "finding.invalid-choice": ("{field} 的值 {value} 不在允许范围内：{choices}",
                               "{field} value {value} is not one of: {choices}"),
    "finding.duplicate-id": ("{kind} 编号 {id} 重复（另见 {other}）", "duplicate {kind} id {id} (also in {other})"),
    "finding.duplicate-index-no": ("索引号 {value} 重复（另见 {other}）", "duplicate index number {value} (also in {other})"),
    "finding.unknown-unit": ("未知的单位 {value}", "unknown unit {value}"),
    "finding.unknown-category": ("未知的公开事项分类 {value}", "unknown category {value}"),
    "finding.unknown-item": ("未知的信息条目 {value}", "unknown item {value}"),
    "finding.unknown-parent": ("未知的上级单位 {value}", "unknown parent unit {value}"),
    "finding.parent-cycle": ("上级单位形成循环：{cycle}", "parent units form a cycle: {cycle}"),
    "finding.misplaced-file": ("文件位置与内容不符：应为 {expected}", "file is not where its content says: expected {expected}"),
    "finding.missing-reason": ("{mode} 条目必须写明 reason（不公开理由或无内容说明）",
                               "a {mode} item needs a reason"),
    "finding.missing-detail": ("分类 {category} 要求填写要素 {field}", "category {category} requires the field {field}"),
    "finding.missing-review": ("已公开但缺少审核步骤 {step}（未经审查和批准不得发布）",
                               "disclosed without the review step {step}"),
    "finding.review-after-disclosure": ("审核步骤 {step} 的日期 {on} 晚于公开日期 {disclosed}",
                                        "review step {step} dated {on}, after disclosure on {disclosed}"),
    "finding.review-order": ("审核步骤 {step} 早于前一步 {previous}", "review step {step} is dated before {previous}"),
    "finding.unknown-review-step": ("分类 {category} 没有审核步骤 {step}", "category {category} has no review step {step}"),
    "finding.missing-evidence": ("分类 {category} 要求留存公开痕迹（evidence 照片等）",
                                 "category {category} requires evidence files"),
    "finding.evidence-not-found": ("留存文件不存在：{value}", "evidence file not found: {value}"),
    "finding.path-escape": ("路径超出仓库范围：{value}", "path leaves the repository: {value}"),
    "finding.doc-number-brackets": ("文号括号应为〔〕：{value} → {normalised}",
                                    "document number brackets should be 〔〕: {value} → {normalised}"),
    "finding.privacy-id-number": ("公开信息含未去标识化的身份证号码 {masked}（请打码，如 1501**********1234）",
                                  "public item carries an unmasked resident ID number {masked}"),
    "finding.privacy-mobile": ("公开信息含未去标识化的手机号码 {masked}（请打码，如 138****5678）",
                               "public item carries an unmasked mobile number {masked}"),
    "finding.disclosed-before-formed": ("公开日期 {disclosed} 早于形成日期 {formed}",
                                        "disclosed on {disclosed}, before it was formed on {formed}"),
    "finding.hours-needs-time": ("规则 {rule} 按小时计时，formed 需要写到时刻（如 2024-09-23T14:30）",
                                 "rule {rule} counts hours: formed needs a time of day (2024-09-23T14:30)"),
    "finding.companion-without-of": ("配套条目需要用 of 指向原条目（规则 {rule}）",
                                     "a companion item needs `of:` naming the item it accompanies (rule {rule})"),
    "finding.unknown-rule-unit-kind": ("没有 {value} 类型的单位", "no unit has kind {value}"),
    "finding.retention-too-short": ("分类 {category} 要求保留 {years} 年，撤回过早", "category {category} keeps items {years} years; withdrawn too early"),
    "finding.withdrawn-before-disclosed": ("撤回日期早于公开日期", "withdrawn before it was disclosed"),
    "finding.check-crashed": ("检查 {check} 出错：{detail}", "check {check} failed: {detail}"),
    "finding.no-config": ("缺少 gongkai.yaml", "gongkai.yaml is missing"),
    # errors (exit 2) -----------------------------------------------------------------------
    "error.not-a-repository": ("{path} 不是 gongkai 仓库（向上找不到 gongkai.yaml）。请先运行 gongkai init，或用 --repo 指定",
                               "{path} is not a gongkai repository (no gongkai.yaml above it). Run gongkai init, or pass --repo"),
    "error.bad-date": ("日期无效：{value}（应为 2024-09-23）", "invalid date: {value} (expected 2024-09-23)"),
    "error.bad-datetime": ("时间无效：{value}（应为 2024-09-23 或 2024-09-23T14:30）",
                           "invalid date or time: {value} (expected 2024-09-23 or 2024-09-23T14:30)"),
    "error.unknown-unit": ("未知的单位：{value}", "unknown unit: {value}"),
    "error.unknown-example": ("没有名为 {value} 的示例，可选：{choices}", "no example named {value}; choose from: {choices}"),
    "error.exists": ("{path} 已经是 gongkai 仓库", "{path} is already a gongkai repository"),
    "error.bad-config": ("gongkai.yaml 有错误：{detail}", "gongkai.yaml is invalid: {detail}"),
    "error.internal": ("内部错误：{detail}。请把这条信息报告给维护者", "internal error: {detail}. Please report it"),
    "error.hours-needs-time": ("按小时计算需要时刻：{value}（如 2024-09-23T14:30）", "hours need a time of day: {value} (e.g. 2024-09-23T14:30)"),
    "error.no-identity": ("没有配置 git 身份。请先运行：git config --global user.name \"王某\" 和 git config --global user.email \"wang@example.gov.cn\"",
                          "no git identity configured. Run: git config --global user.name \"Your Name\" and git config --global user.email you@example.gov.cn"),
    "error.one-amount": ("请给出且只给出 --workdays、--days、--hours 之一", "give exactly one of --workdays, --days, --hours"),
    "warning.invalid-files": ("警告：{count} 处文件错误（首个在 {first}），这些文件未计入；请运行 gongkai check",
                              "warning: {count} file errors (first at {first}); those files are left out — run gongkai check"),
    # overdue / due -------------------------------------------------------------------------
    "listing.none-overdue": ("截至 {as_of} 没有逾期未公开的事项", "nothing overdue as of {as_of}"),
    "listing.none-due": ("截至 {as_of} 近期没有到期事项", "nothing due soon as of {as_of}"),
    "listing.title-overdue": ("逾期未公开（截至 {as_of}，共 {count} 项）", "Overdue as of {as_of} ({count})"),
    "listing.title-due": ("即将到期（截至 {as_of}，共 {count} 项）", "Due soon as of {as_of} ({count})"),
    "listing.column.unit": ("单位", "unit"),
    "listing.column.rule": ("规则", "rule"),
    "listing.column.what": ("期间/条目", "period/item"),
    "listing.column.due": ("期限", "due"),
    "listing.column.days-overdue": ("逾期天数", "days overdue"),
    "listing.column.days-due": ("剩余天数", "days left"),
    "listing.explain-none": ("没有找到与 {key} 相关的事项", "no occurrence matches {key}"),
    "listing.explain-header": ("{rule_name}（{rule}）· {unit} · {what} · 期限 {due} · {status}",
                               "{rule_name} ({rule}) · {unit} · {what} · due {due} · {status}"),
    "status.done": ("按时公开", "done"),
    "status.late": ("逾期公开", "late"),
    "status.overdue": ("逾期未公开", "overdue"),
    "status.pending": ("未到期", "pending"),
    "status.exempt": ("免于公开", "exempt"),
    # writes (add / disclose / edit / withdraw) and the audit trail (log) ---------------------
    "error.unknown-category": ("未知的公开事项分类：{value}", "unknown category: {value}"),
    "error.unknown-item": ("没有编号为 {value} 的条目", "no item with id {value}"),
    "error.missing-option": ("缺少 {flag}（不在终端上运行，无法提问）", "missing {flag} (not on a terminal, so gongkai cannot ask)"),
    "error.bad-set": ("--set 应写成 字段=值：{value}", "--set takes key=value: {value}"),
    "error.item-has-changes": ("{path} 有未提交的改动：请先提交或撤销这些改动，或加 --no-commit",
                               "{path} has uncommitted changes: commit or discard them first, or pass --no-commit"),
    "error.no-change": ("条目 {id} 没有任何改动", "nothing changes in item {id}"),
    "error.stale-index-lock": ("{path} 一直存在：之前的 git 或 gongkai 进程可能被中断了。如果现在没有 git 在运行，请删除这个文件后重试",
                               "{path} stays in place: an earlier git or gongkai process was probably interrupted. "
                               "If no git is running now, remove that file and try again"),
    "store.invalid": ("条目未通过检查，没有写入任何文件，也没有提交", "the item does not pass the checks: nothing was written or committed"),
    "store.committed": ("{action} {id}：已提交 {commit}（{path}）", "{action} {id}: committed {commit} ({path})"),
    "store.written": ("{action} {id}：已写入 {path}（未提交）", "{action} {id}: wrote {path} (not committed)"),
    "store.prompt.unit": ("公开主体（单位）：", "Unit:"),
    "store.prompt.category": ("公开事项分类：", "Category:"),
    "store.prompt.choose": ("请输入序号或名称", "Number or name"),
    "store.prompt.title": ("标题", "Title"),
    "store.prompt.formed": ("形成日期", "Formed on"),
    "log.action.init": ("初始化", "init"),
    "log.action.add": ("登记", "add"),
    "log.action.disclose": ("公开", "disclose"),
    "log.action.edit": ("修改", "edit"),
    "log.action.withdraw": ("撤回", "withdraw"),
    "log.title": ("变更记录（{count} 条）", "Audit trail ({count} changes)"),
    "log.none": ("没有变更记录", "no recorded changes"),
    "log.column.when": ("时间", "When"),
    "log.column.who": ("操作人", "Who"),
    "log.column.action": ("操作", "Action"),
    "log.column.item": ("条目", "Item"),
    "log.column.unit": ("单位", "Unit"),
    "log.column.title": ("标题", "Title"),
    # init / schema ---------------------------------------------------------------------------
    "init.done": ("已在 {path} 创建 gongkai 仓库", "created a gongkai repository in {path}"),
    "schema.written": ("已写出 {count} 个 JSON Schema 到 {path}", "wrote {count} JSON Schemas to {path}"),
    # calendar ------------------------------------------------------------------------------
    "calendar.fallback": ("警告：{years} 年没有法定节假日数据，按周一至周五计算（结果为暂定）；可在 gongkai.yaml 的 workdays/holidays 中补充",
                          "warning: no statutory holiday data for {years}; counting Mon–Fri (provisional); add workdays/holidays to gongkai.yaml"),
    "deadline.provisional": ("（暂定：{years} 年节假日数据缺失）", "(provisional: no holiday data for {years})"),
    "explain.start": ("{day} {weekday} 起算日，不计入（民法典第二百零一条）", "{day} {weekday} start day, not counted (Civil Code art. 201)"),
    "explain.counted": ("{day} {weekday} 第 {count} 天{why}", "{day} {weekday} day {count}{why}"),
    "explain.skipped": ("{day} {weekday} 不计：{why}", "{day} {weekday} not counted: {why}"),
    "explain.paused": ("{day} {weekday} 中止期间，不计", "{day} {weekday} paused, not counted"),
    "explain.roll": ("{day} {weekday} 期限届满日为非工作日（{why}），顺延（民法典第二百零三条）",
                     "{day} {weekday} the deadline falls on a non-working day ({why}); moves to the next working day (Civil Code art. 203)"),
    "explain.fixed": ("{day} {weekday} 规则规定的期限日", "{day} {weekday} the date the rule sets"),
    "explain.nth": ("（第 {count} 天）", " (day {count})"),
    "explain.due": ("期限：{day} {weekday}", "deadline: {day} {weekday}"),
    "explain.hours": ("{start} 起 {hours} 小时，至 {due}（按小时计算，不顺延）",
                      "{hours} hours from {start}: {due} (hours never roll)"),
    "day.weekend": ("周末", "weekend"),
    "day.holiday": ("法定节假日 {holiday}", "public holiday {holiday}"),
    "day.makeup-workday": ("调休上班（{holiday}）", "make-up working day ({holiday})"),
    "day.override-workday": ("gongkai.yaml 指定的工作日", "working day set in gongkai.yaml"),
    "day.override-holiday": ("gongkai.yaml 指定的休息日", "day off set in gongkai.yaml"),
    "day.fallback": ("无节假日数据，按周一至周五", "no holiday data, Mon–Fri"),
    "day.workday": ("工作日", "working day"),
}

WEEKDAYS = {
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


@dataclass(frozen=True)
class Phrase:
    """A message inside a message's arguments, rendered in the same language."""

    key: str
    args: dict[str, Any] = field(default_factory=dict)


def text(key: str, lang: str = "zh", **args: Any) -> str:
    """The message `key` in `lang`, filled with `args`; an unknown key shows itself, never crashes."""
    pair = MESSAGES.get(key)
    if pair is None:
        return key + (" " + " ".join(f"{k}={v}" for k, v in args.items()) if args else "")
    template = pair[1] if lang == "en" else pair[0]
    filled = {name: text(value.key, lang, **value.args) if isinstance(value, Phrase) else value
              for name, value in args.items()}
    try:
        return template.format(**filled)
    except (KeyError, IndexError):
        return template
