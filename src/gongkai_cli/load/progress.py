"""A progress bar for long reads, on a terminal only (stderr); in pipes and CI, nothing."""

from __future__ import annotations

import contextlib
import sys
from typing import Callable, Iterator

SHOW_FROM = 5000  # files; shorter runs finish before a bar would help


@contextlib.contextmanager
def bar(total: int, label: str = "读取文件 / reading files") -> Iterator[Callable[[int], None]]:
    """Yields `advance(n)`; draws a rich bar on stderr when it is a terminal and `total` is large."""
    if total < SHOW_FROM or not _is_terminal():
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as shown:
        task = shown.add_task(label, total=total)
        yield lambda n: shown.advance(task, n)


def _is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
