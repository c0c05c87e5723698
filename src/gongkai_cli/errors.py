"""The one exception a stage raises for bad user input: a message key, its arguments, exit code 2."""

from __future__ import annotations

from typing import Any


class UsageProblem(Exception):
    def __init__(self, key: str, **args: Any):
        super().__init__(key)
        self.key, self.params = key, args
