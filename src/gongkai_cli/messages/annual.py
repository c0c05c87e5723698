"""The strings of `annual-report`: the statutory yearly report and its checks, zh and en."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
}
