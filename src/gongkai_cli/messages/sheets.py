"""The strings of `import`, `export` and `time-limit`: the office's spreadsheets, zh and en."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # time-limit, import catalog, export catalog (branch timelimit)
    "time-limit.uncomputable": ("无法计算期限：{text}", "no computable deadline: {text}"),
    # end of time-limit, import catalog, export catalog
}
