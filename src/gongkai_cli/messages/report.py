"""The strings of the 通报 (`audit`) beyond its figures, of PDF output and of the listings' files, zh and en."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "error.pdf-needs-chromium": (
        "写 PDF 需要 Chromium：请安装（Debian/Ubuntu：apt-get install chromium fonts-noto-cjk），"
        "或用环境变量 GONGKAI_CHROMIUM 指明它的路径；也可先写 -o 通报.html 再打印",
        "writing a PDF needs Chromium: install it (Debian/Ubuntu: apt-get install chromium fonts-noto-cjk) "
        "or point GONGKAI_CHROMIUM at it; or write -o report.html and print that"),
    "error.pdf-failed": ("Chromium 未能生成 PDF：{detail}", "Chromium could not print the PDF: {detail}"),
    "audit.column.rank": ("名次", "rank"),
    "audit.column.previous_rate": ("上期按时率", "previous rate"),
    "audit.column.change": ("环比", "change"),
    "audit.column.lateness": ("逾期", "late by"),
    "audit.late-days": ("{days} 天", "{days} d"),
    "audit.late-hours": ("{hours} 小时", "{hours} h"),
    "error.format-mismatch": ("{path} 的扩展名表示 {implied}，与 --format {given} 不一致：请改用一致的扩展名，或去掉 --format",
                              "{path} says {implied} but --format says {given}: use a matching extension, or drop --format"),
    "error.binary-needs-output": ("{format} 是二进制文件，不能输出到终端：请加 -o 文件名.{format}",
                                  "{format} is a binary file and cannot go to the terminal: add -o FILE.{format}"),
    # CSV headers in Chinese (in English they are the machine names, the JSON keys) --------------
    "csv.unit": ("单位编号", "unit"),
    "csv.name": ("单位", "name"),
    "csv.unit_name": ("单位", "unit_name"),
    "csv.parent": ("上级单位编号", "parent"),
    "csv.rule": ("规则编号", "rule"),
    "csv.rule_name": ("规则", "rule_name"),
    "csv.period": ("期间", "period"),
    "csv.item": ("条目编号", "item"),
    "csv.title": ("条目标题", "title"),
    "csv.due": ("期限", "due"),
    "csv.status": ("状态", "status"),
    "csv.days_overdue": ("逾期天数", "days_overdue"),
    "csv.met_by": ("以何日为准", "met_by"),
    "csv.met_on": ("完成日期", "met_on"),
    "csv.untimed": ("期限无具体时间", "untimed"),
    "error.template": ("通报文字模板 {path}:{line}: {detail}", "report text template {path}:{line}: {detail}"),
}
