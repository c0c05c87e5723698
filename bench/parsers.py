"""Compare the YAML parsers on PyPI for gongkai's cold path: speed over the item files of a
generated repository, and the safety gongkai needs (no tag acted on, aliases and depth bounded,
duplicate keys refused, YAML 1.2 booleans, dates left as text).

    python bench/parsers.py [REPO] [--files N]

Run it in an environment that has the candidates (pip install pyyaml rapidyaml yaml-rs); a
candidate that is not installed is reported as such. Prints a table; bench/RESULTS.md records it.
"""

from __future__ import annotations

import argparse
import subprocess
import time
from pathlib import Path
from typing import Any, Callable

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, "
    f"*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}]\n" for n in range(8))
PROBES = {
    "tag acted on (!!python/object)": ("x: !!python/object/apply:os.getcwd []\n", "refused"),
    "duplicate key": ("a: 1\na: 2\n", "refused"),
    "billion laughs": (BOMB, "refused"),
    "depth 10,000": ("[" * 10_000 + "]" * 10_000 + "\n", "refused"),
    "`on:` is a key, not True": ("on: push\n", "'on'"),
    "a date stays text": ("d: 2024-02-30\n", "'2024-02-30'"),
}


def pyyaml() -> Callable[[str], Any] | None:
    try:
        import yaml
    except ImportError:
        return None
    return lambda text: yaml.load(text, Loader=yaml.CSafeLoader)  # noqa: S506 - the safe C loader


def yaml_rs() -> Callable[[str], Any] | None:
    try:
        import yaml_rs as module
    except ImportError:
        return None
    return lambda text: module.loads(text, parse_datetime=False)


def rapidyaml() -> Callable[[str], Any] | None:
    """The tree only (no Python values: walking the tree into dicts is Python code, slower than PyYAML)."""
    try:
        import ryml
    except ImportError:
        return None
    return lambda text: ryml.parse_in_arena(text.encode())


CANDIDATES = {"PyYAML 6 CSafeLoader (libyaml)": pyyaml, "yaml-rs (Rust, saphyr)": yaml_rs,
              "rapidyaml tree API (C++)": rapidyaml}


def probe(parse: Callable[[str], Any], text: str) -> str:
    try:
        value = parse(text)
    except RecursionError:
        return "RecursionError"
    except Exception as error:  # noqa: BLE001 - any refusal counts as refused
        return f"refused ({type(error).__name__})"
    if isinstance(value, dict) and len(value) == 1:
        key, inner = next(iter(value.items()))
        return repr(key) if text.startswith("on:") else repr(inner) if text.startswith("d:") else "accepted"
    return "accepted"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", nargs="?", default=str(Path(__file__).parent / "repos" / "100000"))
    parser.add_argument("--files", type=int, default=20_000)
    options = parser.parse_args()
    listing = subprocess.run(["git", "ls-files", "-z", "items"], cwd=options.repo, capture_output=True, check=True)
    paths = [path for path in listing.stdout.decode().split("\0") if path][: options.files]
    texts = [(Path(options.repo) / path).read_text(encoding="utf-8") for path in paths]
    print(f"{len(texts):,} item files of {options.repo}, one process, text already read\n")
    print("| parser | seconds | files/s | " + " | ".join(PROBES) + " |")
    print("|---|---:|---:|" + "---|" * len(PROBES))
    for name, make in CANDIDATES.items():
        parse = make()
        if parse is None:
            print(f"| {name} | not installed |")
            continue
        start = time.perf_counter()
        for text in texts:
            parse(text)
        seconds = time.perf_counter() - start
        results = " | ".join(probe(parse, text) for text, _ in PROBES.values())
        print(f"| {name} | {seconds:.3f} | {len(texts) / seconds:,.0f} | {results} |")


if __name__ == "__main__":
    main()
