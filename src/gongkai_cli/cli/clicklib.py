"""The Click that Typer runs on: its own copy in recent Typer (typer._click), the click package before."""

from __future__ import annotations

try:
    from typer._click import core, exceptions, formatting
except ImportError:  # Typer before it carried Click inside
    from click import core, exceptions, formatting  # type: ignore[no-redef]

__all__ = ["core", "exceptions", "formatting"]
