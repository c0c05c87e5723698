"""The strings of `import`, `export` and `time-limit`: the office's spreadsheets, zh and en."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
}
