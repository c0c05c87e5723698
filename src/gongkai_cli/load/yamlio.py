"""YAML in and out: a fast safe loader, positions on demand, round-trip edits, atomic writes.

Reading uses libyaml through PyYAML's C loader (the fast path every file takes); positions are
recovered with ruamel.yaml only for the files that have findings. Both read YAML 1.2 booleans,
so `on:` is a key, not `True`.
"""

from __future__ import annotations

import errno
import functools
import glob
import io
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 1 << 20
MAX_NODES = 100_000
MAX_DEPTH = 64

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlProblem(Exception):
    """A file that cannot be read as gongkai YAML; `code` names the finding."""

    def __init__(self, code: str, line: int = 1, col: int = 1, **args: Any):
        super().__init__(code)
        self.code, self.line, self.col, self.args_ = code, line, col, args


_DROPPED_TAGS = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:value", "tag:yaml.org,2002:timestamp")
# Standard tags that build bytes, sets and tuples: no gongkai field holds them, and tuples would
# hide aliases from the node count, so they are refused like any other tag.
_REFUSED_TAGS = tuple(f"tag:yaml.org,2002:{name}" for name in ("binary", "omap", "pairs", "set"))


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """Safe loader with YAML 1.2 booleans and duplicate keys refused.

    Dates stay text (the models parse them, so `2024-02-30` is a finding at its place, not a
    crash), and the `=` value tag is dropped (PyYAML cannot construct it).
    """

    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED_TAGS]
        for first, resolvers in _Base.yaml_implicit_resolvers.items()
    }
    yaml_constructors = {tag: build for tag, build in _Base.yaml_constructors.items() if tag not in _REFUSED_TAGS}

    def construct_object(self, node, deep=False):
        """A scalar its tag cannot build (`!!int x`, `!!bool maybe`, a 5000-digit number) is a finding at its place."""
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError):
            mark = node.start_mark
            value = node.value if isinstance(node.value, str) else ""
            raise YamlProblem("yaml-bad-scalar", mark.line + 1, mark.column + 1,
                              value=value[:40], tag=_short_tag(node.tag)) from None

    def flatten_mapping(self, node):
        """Merge keys (`<<: *base`) copy the merged mappings' pairs into this mapping: every pair to
        be copied is counted before it is, so nested merges cannot make a small file cost quadratic
        time (the alias count of _check_size comes only after they are built)."""
        for key_node, value_node in node.value:
            if key_node.tag != "tag:yaml.org,2002:merge":
                continue
            for merged in value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]:
                if isinstance(merged, yaml.MappingNode):
                    self.flatten_mapping(merged)
                    self.merged_pairs = getattr(self, "merged_pairs", 0) + len(merged.value)
                    if self.merged_pairs > MAX_NODES:
                        mark = key_node.start_mark
                        raise YamlProblem("yaml-alias-bomb", mark.line + 1, mark.column + 1, limit=MAX_NODES)
        super().flatten_mapping(node)

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):  # `!!map [1]`: the base class says what is wrong
            return super().construct_mapping(node, deep=deep)
        seen: set = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:
                raise YamlProblem("yaml-bad-key", key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if duplicate:
                mark = key_node.start_mark
                raise YamlProblem("yaml-duplicate-key", mark.line + 1, mark.column + 1, key=str(key))
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class NotAFile(OSError):
    """A path that names a pipe, a device, a socket or a folder: never read (a pipe would wait
    forever, /dev/zero never ends)."""

    def __init__(self, path: Path | str):
        super().__init__(f"not a regular file: {path}")
        self.strerror = "not a regular file"


class TooLarge(OSError):
    """A file over the size limit, told by its size before a byte of it is read."""

    def __init__(self, size: int, limit: int):
        super().__init__(f"file too large ({size} bytes, limit {limit})")
        self.strerror, self.size, self.limit = "file too large", size, limit


def read_bounded(path: Path | str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. A pipe, a folder or a file over the
    limit is refused by what the open file is (opened without waiting: a pipe's writer is never
    waited for), a socket by failing to open; a link is first asked what it leads to (a device may
    act on being opened; making one takes privilege, so only a link could lead to one), and the
    open file again. No more than `limit` bytes are read, so a file swapped or growing meanwhile
    changes nothing."""
    handle = _opened(path, limit)
    try:
        status = os.fstat(handle)
        _refuse_unless_small_file(status, path, limit)
        data = os.read(handle, status.st_size + 1)  # one call, where the file is as large as it says
        if len(data) != status.st_size:  # grown, shrunk, or a short read: on to the end, or one byte past the limit
            chunks, left = [data], limit + 1 - len(data)
            while left > 0 and (chunk := os.read(handle, min(left, 1 << 16))):
                chunks.append(chunk)
                left -= len(chunk)
            data = b"".join(chunks)
    finally:
        os.close(handle)
    if len(data) > limit:
        raise TooLarge(len(data), limit)
    return data


def _opened(path: Path | str, limit: int) -> int:
    if _NOFOLLOW:
        try:
            return os.open(path, _READ | _NOFOLLOW)
        except OSError as error:
            if error.errno == errno.ENXIO:  # a socket
                raise NotAFile(path) from None
            if error.errno not in _A_LINK:
                raise
    _refuse_unless_small_file(os.stat(path), path, limit)  # a link, or no telling: what it leads to, first
    return os.open(path, _READ)


_READ = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # none on Windows: every path is then asked first
_A_LINK = {errno.ELOOP, errno.EMLINK, getattr(errno, "EFTYPE", errno.ELOOP)}  # opening a link without
# following it fails so: ELOOP on Linux and macOS, EMLINK on FreeBSD, EFTYPE on NetBSD


def _refuse_unless_small_file(status: os.stat_result, path: Path | str, limit: int) -> None:
    if not stat.S_ISREG(status.st_mode):
        raise NotAFile(path)
    if status.st_size > limit:
        raise TooLarge(status.st_size, limit)


BOM = b"\xef\xbb\xbf"


def decode(data: bytes) -> str:
    """UTF-8 text (a BOM is dropped, full-width spaces around values relaxed); other encodings are
    a finding that says how to fix it, at the first byte that is not UTF-8."""
    if len(data) > MAX_BYTES:
        raise YamlProblem("file-too-large", size=len(data), limit=MAX_BYTES)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Windows Notepad's "Unicode"
        raise YamlProblem("not-utf8", encoding="UTF-16")
    if b"\0" in data:
        raise YamlProblem("not-utf8", encoding="binary")
    body = data[3:] if data.startswith(BOM) else data  # not the utf-8-sig codec: that one is Python code
    try:
        return relax_wide_spaces(body.decode("utf-8"))
    except UnicodeDecodeError as error:
        line_start = body.rfind(b"\n", 0, error.start) + 1
        line = body[: error.start].count(b"\n") + 1
        col = len(body[line_start : error.start].decode("utf-8", "replace")) + 1
        encoding = "GBK/GB18030" if _is_gb(data) else "unknown"
        raise YamlProblem("not-utf8", line, col, encoding=encoding)


def _is_gb(data: bytes) -> bool:
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


# An editor in full-width mode types U+3000 where YAML needs a space: after a list dash, around a
# key's colon, at the end of a line. There it becomes a space, one for one, so every column stays
# where it was; U+3000 inside a value is text and is kept.
_KEY_GAP = re.compile(r" *(?:-[ \u3000]+)*(?:[\w.-]+[ \u3000]*:(?=[ \u3000]|$)[ \u3000]*)?")


def relax_wide_spaces(text: str) -> str:
    if "\u3000" not in text:
        return text
    return "\n".join(_relax_line(line) for line in text.split("\n"))


def _relax_line(line: str) -> str:
    if "\u3000" not in line:
        return line
    body = line.rstrip("\r")
    head = _KEY_GAP.match(body).end()
    tail = max(head, len(body.rstrip(" \u3000")))
    return _spaced(body[:head]) + body[head:tail] + _spaced(body[tail:]) + line[len(body):]


def _spaced(gap: str) -> str:
    return gap.replace("\u3000", " ")


def load(text: str) -> Any:
    """Parse one YAML document safely, bounding aliases and depth."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as error:
        raise _marked_problem(error, text) from None
    except yaml.reader.ReaderError as error:  # a control character; libyaml counts its place in UTF-8 bytes
        before = text.encode("utf-8", "surrogatepass")[: error.position].decode("utf-8", "replace")
        line, col = before.count("\n") + 1, len(before) - before.rfind("\n")
        raise YamlProblem("yaml-syntax", line, col, detail=f"#x{error.character:04x}: {error.reason}") from None
    except yaml.YAMLError as error:
        raise YamlProblem("yaml-syntax", detail=str(error)) from None
    except RecursionError:
        raise YamlProblem("yaml-too-deep", limit=MAX_DEPTH) from None
    _check_size(data)
    if "\t" in text:
        _refuse_tabs_in_plain_values(text)
    return data


# Tabs: one dialect for reading and writing. A tab between tokens (after `key:`, before a comment)
# is whitespace to both readers once writes turn it into a space; a tab inside a quoted or block
# value is text to both; inside an unquoted value (`title: a<TAB>b`) the two readers disagree, so
# it is a finding for both (yaml-tab-in-value).


def _scalar_tokens(text: str) -> list:
    """The scalars as libyaml scans them (where PyYAML's own scanner would refuse every tab)."""
    return [token for token in yaml.scan(text, Loader=_Base) if isinstance(token, yaml.ScalarToken)]


def _refuse_tabs_in_plain_values(text: str) -> None:
    for token in _scalar_tokens(text):
        if token.plain and "\t" in text[token.start_mark.index : token.end_mark.index]:
            at = text.index("\t", token.start_mark.index)
            line = text.count("\n", 0, at) + 1
            raise YamlProblem("yaml-tab-in-value", line, at - text.rfind("\n", 0, at))


def spaced_tabs(text: str) -> str:
    """`text` with every tab outside a value made a space: what the round-trip writer can read."""
    try:
        spans = [(token.start_mark.index, token.end_mark.index) for token in _scalar_tokens(text)]
    except yaml.YAMLError:
        return text  # the check of the file says what is wrong
    characters = list(text)
    inside = iter(spans)
    span = next(inside, None)
    for index, character in enumerate(characters):
        while span is not None and index >= span[1]:
            span = next(inside, None)
        if character == "\t" and not (span is not None and span[0] <= index < span[1]):
            characters[index] = " "
    return "".join(characters)


def _marked_problem(error: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    mark = error.problem_mark or error.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = error.problem or ""
    if isinstance(error, yaml.constructor.ConstructorError) and "tag" in problem:
        tag = re.search(r"'([^']*)'", problem)
        return YamlProblem("yaml-tag", line, col, tag=_short_tag(tag.group(1)) if tag else problem)
    lines = text.split("\n")
    if "\t" in problem or "tab" in problem or _char_at(lines, line, col) == "\t":
        return YamlProblem("yaml-tab", line, col)
    if "nesting depth" in problem:
        return YamlProblem("yaml-too-deep", line, col, limit=MAX_DEPTH)
    return _misread_problem(lines, error, line) or YamlProblem("yaml-syntax", line, col, detail=problem)


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!", 1)


def _char_at(lines: list[str], line: int, col: int) -> str:
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return text[col - 1 : col]


_CONFLICT = re.compile(r"^<{7}(?:[ \r]|$)")
_WIDE_COLON = re.compile(r"^ *(?:- +)?([\w.-]+)[ \u3000]*：")


def _misread_problem(lines: list[str], error: yaml.MarkedYAMLError, line: int) -> YamlProblem | None:
    """What people actually typed when YAML cannot read a file: merge conflict markers left in, or
    a full-width colon after a key (an input method in Chinese mode)."""
    for number, text in enumerate(lines, 1):
        if _CONFLICT.match(text):
            return YamlProblem("merge-conflict", number, 1)
    first = min(line - 1, error.context_mark.line + 1 if error.context_mark else line)
    for number in range(max(first, 1), line + 1):
        colon = _WIDE_COLON.match(lines[number - 1]) if number <= len(lines) else None
        if colon:
            return YamlProblem("fullwidth-colon", number, colon.start(1) + 1, key=colon.group(1))
    return None


def _check_size(data: Any) -> None:
    """Count the nodes the document would have with every alias expanded (billion laughs)."""
    sizes: dict[int, int] = {}
    open_ids: set[int] = set()

    def size(node: Any, depth: int) -> int:
        if not isinstance(node, (dict, list)):
            return 1
        if depth > MAX_DEPTH:
            raise YamlProblem("yaml-too-deep", limit=MAX_DEPTH)
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_ids:
            raise YamlProblem("yaml-alias-bomb", limit=MAX_NODES)
        open_ids.add(key)
        children = node.values() if isinstance(node, dict) else node
        total = 1
        for child in children:
            total += size(child, depth + 1)
            if total > MAX_NODES:
                raise YamlProblem("yaml-alias-bomb", limit=MAX_NODES)
        open_ids.discard(key)
        sizes[key] = total
        return total

    size(data, 0)


# Positions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    col: int  # 1-based


@functools.lru_cache(maxsize=8)
def _compose(text: str) -> Any:
    """The node tree (no values constructed, no tags acted on): enough to know where things are.

    libyaml composes, as fast as it loads; remembered, as one file often has many findings.
    """
    try:
        return yaml.compose(text, Loader=_Loader)  # noqa: S506 - composing builds no objects
    except Exception:  # the fast loader accepted the file, so this is unreachable in practice
        return None


def _child(node: Any, part: Any) -> tuple[Any, Any] | None:
    """(key node or None, value node) of `part` inside a mapping or sequence node."""
    from yaml.nodes import MappingNode, SequenceNode

    if isinstance(node, MappingNode):
        return _keys_of(node).get(str(part))
    if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None


def _keys_of(node: Any) -> dict[str, tuple[Any, Any]]:
    """{key text: (key node, value node)} of a mapping node, the first of each key; made once per
    node (and kept on it), so locating 40,000 unknown keys is 40,000 lookups, not 40,000 scans."""
    keys = getattr(node, "keys_by_text", None)
    if keys is None:
        keys = {}
        for key_node, value_node in node.value:
            if isinstance(key_node.value, str):
                keys.setdefault(key_node.value, (key_node, value_node))
        node.keys_by_text = keys
    return keys


def _mark(node: Any) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def position_of(text: str, path: tuple) -> Position:
    """Where the value at `path` (keys and indices) stands; the deepest part of it that exists."""
    return _locate(text, path, at_key=False)


def key_position(text: str, path: tuple) -> Position:
    """Where the key that ends `path` stands (for unknown keys), falling back to its value."""
    return _locate(text, path, at_key=True)


def _locate(text: str, path: tuple, at_key: bool) -> Position:
    node = _compose(text)
    position = _mark(node) if node is not None else Position(1, 1)
    for part in path:
        found = _child(node, part)
        if found is None:
            break
        key_node, node = found
        position = _mark(key_node if at_key and key_node is not None else node)
    return position


# Round-trip editing and writing ----------------------------------------------------------


def _round_trip():
    from ruamel.yaml import YAML
    from ruamel.yaml.representer import RoundTripRepresenter

    class Representer(RoundTripRepresenter):
        """Writes `null` as `null` (ruamel would leave `disclosed:` empty, a change in every diff)."""

    Representer.add_representer(type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    rt = YAML(typ="rt")
    rt.Representer = Representer
    rt.indent(mapping=2, sequence=4, offset=2)
    rt.width = 4096
    rt.allow_unicode = True
    rt.preserve_quotes = True
    return rt


def load_round_trip(text: str) -> Any:
    """A document that remembers its comments, key order and quoting, for edits (tabs between
    tokens, which `check` accepts, read as the spaces they are: spaced_tabs)."""
    return _round_trip().load(spaced_tabs(text) if "\t" in text else text)


def dump(data: Any) -> str:
    stream = io.StringIO()
    _round_trip().dump(data, stream)
    return stream.getvalue()


def temporary_files(path: Path) -> list[Path]:
    """The temporary files atomic_write leaves beside `path` when it is killed midway."""
    return list(path.parent.glob(f".{glob.escape(path.name)}.*.tmp"))


def _mode_for(path: Path) -> int:
    """The mode a written file gets: the old file's, else what the umask leaves of rw-rw-rw-
    (mkstemp's temporary file is rw------- whatever the umask)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def atomic_write(path: Path, content: str | bytes, temp_dir: Path | None = None) -> None:
    """Write via a temporary file (in the same folder, or `temp_dir` on the same disk), fsync, rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=temp_dir or path.parent)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        os.chmod(temporary, _mode_for(path))
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
