"""The command line: parse options, call one function, render, exit. One module per command group."""

from . import annual, audit, checking, deadlines, init, listings, log, notify, sheets, writes  # noqa: F401 - each registers its commands
from .app import app, main

__all__ = ["app", "main"]
