"""Which file kind a repository path holds: a path test only, so light callers need no pydantic."""

from __future__ import annotations

from functools import lru_cache

FIXED_PATHS = {"gongkai.yaml": "config", "catalog/units.yaml": "units", "catalog/categories.yaml": "categories"}
SUFFIXES = (".yaml", ".yml")


@lru_cache(maxsize=1 << 18)  # one repository's paths are asked about by the walk, the loader and the cache
def kind_of(relpath: str) -> str | None:
    """The kind of `relpath`, or None for files gongkai ignores.

    rules/<name>.yaml and reports/<name>.yaml (not in a subfolder) and items/**/<name>.yaml; a name is at least one
    character before its suffix, and an item path holds no newline.
    """
    fixed = FIXED_PATHS.get(relpath)
    if fixed is not None or not relpath.endswith(SUFFIXES):
        return fixed
    top, _, rest = relpath.partition("/")
    if not rest.rpartition(".")[0]:
        return None
    if top in ("rules", "reports"):
        return top if "/" not in rest else None
    if top == "items":
        return "item" if "\n" not in rest else None
    return None


def item_path(year: int, unit: str, name: str) -> str:
    """Where an item file belongs: items/<year of formed>/<unit>/<name> (<id>.yaml)."""
    return f"items/{year}/{unit}/{name}"
