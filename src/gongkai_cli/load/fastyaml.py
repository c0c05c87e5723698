"""The fast reader: yaml-rs (Rust) for the files it reads exactly as yamlio.load does, yamlio.load for the rest.

yaml-rs builds the Python values in Rust, about ten times faster than libyaml through PyYAML
(bench/parsers.py). It is used only where its answer is provably yamlio.load's: a file whose text
could mean anything else to libyaml (tags, anchors and aliases, merge keys, directives and
document markers, tabs, characters libyaml treats otherwise), whose values yaml-rs resolves
differently (numbers: `017`, `1e3`, `1:20`; a string libyaml would resolve as another type), or
that yaml-rs refuses (a syntax error, a duplicate key) goes to yamlio.load, which gives the value or
the finding with its place, as before. So there is one dialect: the same files are accepted, with
the same values, and every finding comes from the same code (tests/test_fast_reader.py checks it
over the corpus and the fuzzer).

Safety: no tag is ever acted on (yaml-rs builds no Python objects from tags, and a file with one is
read by yamlio.load, which refuses it); aliases never reach yaml-rs; nesting deeper than MAX_DEPTH
and more than MAX_NODES nodes go to yamlio.load, which says so; a duplicate key makes yaml-rs
refuse the file, and yamlio.load then names it.
"""

from __future__ import annotations

import functools
import os
import re
from typing import Any

from . import yamlio

try:
    import yaml_rs
except ImportError:  # a platform without a wheel: every file is read by yamlio.load
    yaml_rs = None

# Text that yaml-rs might read otherwise than libyaml, or that gongkai's loader treats specially.
_RISKY = re.compile(
    r"(?<![\w/.=?%+-])[!&*|>]"  # a tag, an anchor, an alias, a block scalar (not `&` inside a URL's query)
    r"|<<"  # a merge key, or a merge conflict's marker
    r"|[\[{,:]\s*[:?]|:[\[\]{},]"  # in a flow collection, libyaml reads `[:0]` and `[=:]` as errors, `[?a]` as a mapping
    r"|^(?:%|---|\.\.\.)"  # a directive, a document marker
    r"|\r(?!\n)"  # a line break of old Macs
    r"|[^\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]",  # tabs,
    # control characters, NEL and the Unicode line breaks, a BOM inside the text, lone surrogates
    re.MULTILINE,
)
# The characters of _RISKY's one-character alternatives in one class (a text without them is
# safe from those, found ten times faster), and its two alternatives that need more than one.
_SUSPECT = re.compile("[!&*|><%\r\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
# _FLOW is _RISKY's flow alternatives led by one class (re then skips to its characters); a
# document marker starts the text or a line (re's MULTILINE `^` follows only "\n").
_FLOW = re.compile(r"[\[{,:](?:\s*[:?]|(?<=:)[\[\]{},])")
_MARKERS = ("---", "...")

# How libyaml's loader types a plain scalar: the first characters it looks at, and all its patterns
# in one (matching more than one of them would is only more cautious).
_FIRST = frozenset(first for first in yamlio._Loader.yaml_implicit_resolvers if first)
_TYPED = re.compile("|".join(f"(?:{rx.pattern})" for rx in {rx for resolvers in yamlio._Loader.yaml_implicit_resolvers.values()
                                                              for _, rx in resolvers}), re.VERBOSE)
_NONE = type(None)


def risky(text: str) -> bool:
    """Whether `text` holds anything yaml-rs might read otherwise than libyaml."""
    if _SUSPECT.search(text) is None:
        return (_FLOW.search(text) is not None or text.startswith(_MARKERS)
                or "\n---" in text or "\n..." in text)
    return _RISKY.search(text) is not None


# GONGKAI_SLOW_YAML=1 reads every file with yamlio.load (to compare the two). Looked up once: a
# lookup that misses costs more than a file's hashing.
SLOW = bool(os.environ.get("GONGKAI_SLOW_YAML"))


def load(text: str) -> Any:
    """What yamlio.load(text) gives (the value, or the same YamlProblem), faster."""
    return read(text)[1]


def read(text: str) -> tuple[bool, Any]:
    """(whether yaml-rs read it: every scalar is then a string, a boolean or null; the value as
    yamlio.load gives it)."""
    fast, data = read_fast(text)
    return (True, data) if fast else (False, yamlio.load(text))


def read_fast(text: str) -> tuple[bool, Any]:
    """(True, the value) when yaml-rs reads `text` exactly as yamlio.load would; (False, None) when
    yamlio.load must read it."""
    if SLOW or yaml_rs is None or risky(text):
        return False, None
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except BaseException as error:  # refused (or a panic in Rust): yamlio.load says why
        if isinstance(error, (KeyboardInterrupt, SystemExit, MemoryError)):
            raise
        return False, None
    return (True, data) if _plain(data, 0) <= yamlio.MAX_NODES else (False, None)


_TOO_MANY = yamlio.MAX_NODES + 1


# Every character _TYPED can match (tests/test_fast_reader.py derives them from the pattern). A text
# holding any other is a string to libyaml too: so is known, without the pattern, an item's id (one
# of a kind, so matched in full and cached for nothing once a file).
_TYPED_CHARS = "!&*+-.0123456789:<ABCDEFILNRSTU_abcdefilnrstux~"


def _typed_text(text: str) -> bool:
    return not text.strip(_TYPED_CHARS) and _typed_match(text)


@functools.lru_cache(maxsize=4096)  # dates, periods and numbers recur in every file; a match costs ten lookups
def _typed_match(text: str) -> bool:
    return _TYPED.match(text) is not None


def _typed(text: str) -> bool:
    """Whether libyaml's loader would make `text` another type than a string if it was unquoted."""
    return text[:1] in _FIRST and _typed_text(text)


def _plain(node: Any, depth: int) -> int:
    """The number of nodes of `node` (as yamlio._check_size counts them), or more than MAX_NODES when
    libyaml's loader could read it otherwise: a number (its text is not known here, and the two
    resolve some texts differently: `017`, `1e3`), a string libyaml would resolve as another type if
    it was unquoted, a key that is not a string, or nesting deeper than MAX_DEPTH (yamlio.load's
    finding). Leaves are looked at in their container's loop: most of an item's nodes are strings."""
    kind = type(node)
    if kind is dict:
        values = node.values()
        for key in node:
            if type(key) is not str or key[:1] in _FIRST and _typed_text(key):  # _typed, inline
                return _TOO_MANY
    elif kind is list:
        values = node
    elif kind is str:
        return _TOO_MANY if _typed(node) else 1
    elif kind is bool or kind is _NONE:
        return 1
    else:  # an int, a float
        return _TOO_MANY
    if depth > yamlio.MAX_DEPTH:
        return _TOO_MANY
    total = 1
    for value in values:
        kind = type(value)
        if kind is str:
            if value[:1] in _FIRST and _typed_text(value):
                return _TOO_MANY
            total += 1
        elif kind is bool or kind is _NONE:
            total += 1
        else:
            total += _plain(value, depth + 1)
            if total > yamlio.MAX_NODES:
                return _TOO_MANY
    return total
