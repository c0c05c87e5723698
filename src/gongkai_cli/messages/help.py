"""The command line's own words — Click's and Typer's help headings and usage errors — in Chinese and English."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "help.usage": ("用法：", "Usage: "),
    "help.Options": ("选项", "Options"),
    "help.Arguments": ("参数", "Arguments"),
    "help.Commands": ("命令", "Commands"),
    "help.Show this message and exit.": ("显示本帮助并退出。", "Show this message and exit."),
    "help.Install completion for the current shell.": ("为当前 shell 安装命令补全。", "Install completion for the current shell."),
    "help.Show completion for the current shell, to copy it or customize the installation.": (
        "显示当前 shell 的命令补全脚本（可复制或自行安装）。",
        "Show completion for the current shell, to copy it or customize the installation."),
    "help.Install completion for the specified shell.": ("为指定的 shell 安装命令补全。", "Install completion for the specified shell."),
    "help.Show completion for the specified shell, to copy it or customize the installation.": (
        "显示指定 shell 的命令补全脚本（可复制或自行安装）。",
        "Show completion for the specified shell, to copy it or customize the installation."),
    "help.default": ("默认：{value}", "default: {value}"),
    "help.required": ("必填", "required"),
    "help.try": ("运行 '{command}' 查看帮助。", "Try '{command}' for help."),
    "help.error": ("错误：{message}", "Error: {message}"),
    "help.aborted": ("已取消。", "Aborted."),
    "usage.missing-option": ("缺少选项 {name}", "Missing option {name}"),
    "usage.missing-argument": ("缺少参数 {name}", "Missing argument {name}"),
    "usage.no-such-option": ("没有选项 {name}{hint}", "No such option: {name}{hint}"),
    "usage.did-you-mean": ("（是不是 {names}？）", " (did you mean {names}?)"),
    "usage.needs-value": ("选项 {name} 需要一个值", "Option {name} requires an argument"),
    "usage.takes-no-value": ("选项 {name} 不带值", "Option {name} does not take a value"),
    "usage.no-such-command": ("没有命令 {name}", "No such command {name}"),
    "usage.missing-command": ("缺少命令", "Missing command"),
    "usage.extra-arguments": ("多余的参数：{names}", "Got unexpected extra arguments: {names}"),
    "usage.invalid-value": ("{name} 的值无效：{detail}", "Invalid value for {name}: {detail}"),
    "usage.invalid": ("值无效：{detail}", "Invalid value: {detail}"),
    "usage.not-an-integer": ("应为整数", "expected a whole number"),
    "usage.not-a-choice": ("{value} 不在可选值 {choices} 之中", "{value} is not one of {choices}"),
    "usage.too-small": ("应不小于 {limit}", "must be at least {limit}"),
    "usage.too-large": ("应不大于 {limit}", "must be at most {limit}"),
}
