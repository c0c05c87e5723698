"""The strings of `remind` and `calendar`: telling clerks what they owe, zh and en."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
}
