"""The fast reader (load/fastyaml.py, yaml-rs) and yamlio.load (libyaml, the loader the round-trip
writer's files are checked with) accept exactly the same files: the same values, the same findings
at the same places. Over the hardening corpus (through the CLI, with fastyaml.SLOW, as
GONGKAI_SLOW_YAML=1 sets it, and without) and over the fuzzer's files (test_fuzz.py's damage and random documents, and random text
made only of what the fast reader takes)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import pytest
import yaml
from conftest import make_repo
from hypothesis import given, settings
from hypothesis import strategies as st
from test_corpus import CORPUS, case_files, cases
from test_fuzz import DAMAGE, DOCUMENTS, FILES, FUZZ, NEW_ITEM, PATHS, damaged

from gongkai_cli.load import fastyaml, yamlio
from gongkai_cli.load.load import load_file
from gongkai_cli.model.kinds import kind_of

pytestmark = pytest.mark.skipif(fastyaml.yaml_rs is None, reason="yaml-rs is not installed")


def same(a, b) -> bool:
    """Equal values of equal types all the way down (True is not 1, 1 is not 1.0, nan is nan)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, float):
        return math.isnan(a) and math.isnan(b) or a == b
    return a == b


def outcome(load, text: str):
    try:
        return "value", load(text)
    except yamlio.YamlProblem as problem:
        return "problem", (problem.code, problem.line, problem.col, problem.args_)


def findings(path: str, data: bytes, monkeypatch, slow: bool) -> list[tuple]:
    monkeypatch.setattr(fastyaml, "SLOW", slow)
    return [(f.path, f.line, f.col, f.code, f.args) for f in load_file(path, data).findings]


def assert_same_reading(path: str, data: bytes, monkeypatch) -> None:
    """The fast reader's value or problem is yamlio.load's, and loading the file finds the same."""
    monkeypatch.setattr(fastyaml, "SLOW", False)
    try:
        text = yamlio.decode(data)
    except yamlio.YamlProblem:
        text = None
    if text is not None:
        fast, slow = outcome(fastyaml.load, text), outcome(yamlio.load, text)
        assert fast[0] == slow[0] and (same(fast[1], slow[1]) if fast[0] == "value" else fast[1] == slow[1]), \
            (text, fast, slow)
    if kind_of(path):
        assert findings(path, data, monkeypatch, slow=False) == findings(path, data, monkeypatch, slow=True)


def test_the_fast_reader_reads_the_plain_files_itself():
    """Files without anything special are read by yaml-rs, not passed on (so the tests here compare
    two readers, not one with itself)."""
    plain = [path for path in PATHS if path.startswith("items/")]
    assert plain and all(fastyaml.read_fast(yamlio.decode(FILES[path]))[0] for path in plain)
    for special in ("a: !!str 1\n", "a: &x 1\nb: *x\n", "a: 017\n", "a: '1:20'\n", "a:\tb\n", "---\na: 1\n",
                    "<<: {a: 1}\n", "a: 1\na: 2\n", "[" * 70 + "]" * 70 + "\n"):
        assert not fastyaml.read_fast(special)[0], special


@pytest.mark.parametrize("setting", ["1", ""])
def test_gongkai_slow_yaml_in_the_environment_turns_the_fast_reader_off(setting):
    """Read once, when the reader is imported (so in a new process)."""
    env = {**os.environ, "GONGKAI_SLOW_YAML": setting}
    shown = subprocess.run([sys.executable, "-c", "from gongkai_cli.load import fastyaml; print(fastyaml.read('a: b')[0])"],
                           env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert shown == ("False" if setting else "True")


@pytest.mark.parametrize("case", cases("bad") + cases("good"), ids=lambda case: f"{case.parent.name}/{case.name}")
def test_the_corpus_gives_the_same_findings_through_both_readers(cli, tmp_path, monkeypatch, case):
    root = make_repo(tmp_path / "office", case_files(case))
    monkeypatch.setenv("GONGKAI_NO_CACHE", "1")
    seen = []
    for slow in (False, True):
        monkeypatch.setattr(fastyaml, "SLOW", slow)
        result = cli(root, "check", "--format", "json")
        seen.append((result.exit_code, [(f["path"], f["line"], f["col"], f["code"])
                                        for f in json.loads(result.stdout)["findings"]]))
    assert seen[0] == seen[1]


def test_every_corpus_file_reads_the_same(monkeypatch):
    files = [path for path in sorted(CORPUS.rglob("*.yaml")) if path.name != "expected.yaml"]
    assert files
    for path in files:
        relative = path.relative_to(CORPUS).parts[2:]
        assert_same_reading("/".join(relative), path.read_bytes(), monkeypatch)


def test_damaged_example_files_read_the_same(monkeypatch):
    @settings(FUZZ, max_examples=300)
    @given(path=st.sampled_from(PATHS), damage=st.lists(DAMAGE, min_size=1, max_size=4))
    def damaged_example(path, damage):
        assert_same_reading(path, damaged(path, damage)[path], monkeypatch)

    damaged_example()


def test_random_documents_read_the_same(monkeypatch):
    @settings(FUZZ, max_examples=300)
    @given(path=st.sampled_from(PATHS + [NEW_ITEM]), document=DOCUMENTS, flow=st.booleans(),
           style=st.sampled_from([None, '"', "'", "|", ">"]))
    def random_document(path, document, flow, style):
        text = yaml.safe_dump(document, allow_unicode=True, default_flow_style=flow, default_style=style)
        assert_same_reading(path, text.encode("utf-8", "surrogatepass"), monkeypatch)

    random_document()


# Text of the characters the fast reader takes (no tag, anchor or tab): what it reads itself.
PLAIN_TEXT = st.text(st.sampled_from(list(" \n\r-:[]{}#,'\"?|>.+~=a1e0_xoTNn中：\u3000\\")), max_size=120)


def test_the_quick_screen_is_the_whole_pattern():
    """risky's shortcuts (one class first, the markers as plain text) say what _RISKY says."""
    @settings(FUZZ, max_examples=3000)
    @given(text=st.text(st.sampled_from(list(" \n\r\t-.:?[]{},!&*|><%a中\u2028\ufeff")), max_size=40))
    def screened(text):
        assert fastyaml.risky(text) == (fastyaml._RISKY.search(text) is not None), text

    screened()


@pytest.mark.parametrize("text", ["[:0]\n", "x: [:0]\n", "{a: :b}\n", "[a, ?b]\n", "[\n :0]\n", "{a: ?b}\n", "[=:]\n", "{a:}\n"])
def test_flow_scalars_starting_with_an_indicator_read_the_same(monkeypatch, text):
    """The fuzzer's finds: yaml-rs reads `[:0]` as [':0'] and `[=:]` as [{'=': None}] where libyaml
    refuses both, `[?a]` as a string."""
    assert not fastyaml.read_fast(text)[0]
    assert_same_reading("catalog/categories.yaml", text.encode("utf-8"), monkeypatch)


def test_random_plain_text_reads_the_same(monkeypatch):
    @settings(FUZZ, max_examples=1500)
    @given(path=st.sampled_from(PATHS), text=PLAIN_TEXT)
    def random_text(path, text):
        assert_same_reading(path, text.encode("utf-8"), monkeypatch)

    random_text()


def test_item_lines_mixed_read_the_same(monkeypatch):
    """Lines of real item files, shuffled, re-indented and given odd values: mostly valid YAML the
    fast reader reads itself."""
    lines = sorted({line for path in PATHS for line in FILES[path].decode("utf-8").splitlines() if line.strip()})
    values = ["", "x", "'x'", '"x\\ty"', "1", "1.5", "-", "~", "null", "True", "yes", "2018-09-23", "[a, b]",
              "{a: b}", "|\n  x", ">-\n  x\n  y", "'a\n  b'", "a # c", "a:b", "[a, [b, {c: d}]]", "1_0", "0x1f"]

    @settings(FUZZ, max_examples=800)
    @given(path=st.sampled_from(PATHS), picked=st.lists(st.tuples(st.sampled_from(lines), st.integers(0, 6),
                                                                  st.none() | st.sampled_from(values)), max_size=12))
    def mixed(path, picked):
        out = []
        for line, indent, value in picked:
            key = line.strip().partition(":")[0] if value is not None else None
            out.append(" " * indent + (f"{key}: {value}" if key is not None else line.strip()))
        assert_same_reading(path, ("\n".join(out) + "\n").encode("utf-8"), monkeypatch)

    mixed()


def _characters(parsed) -> set[str]:
    """Every character a parsed pattern (re._parser) can match; only the constructs _TYPED uses."""
    from re import _constants as op

    found: set[str] = set()
    for code, value in parsed:
        if code is op.LITERAL:
            found.add(chr(value))
        elif code is op.IN:
            for part, bounds in value:
                assert part in (op.LITERAL, op.RANGE), part
                found |= {chr(bounds)} if part is op.LITERAL else set(map(chr, range(bounds[0], bounds[1] + 1)))
        elif code in (op.MAX_REPEAT, op.MIN_REPEAT):
            found |= _characters(value[2])
        elif code is op.SUBPATTERN:
            found |= _characters(value[3])
        elif code is op.BRANCH:
            for branch in value[1]:
                found |= _characters(branch)
        else:
            assert code is op.AT, code
    return found


def test_the_typed_texts_characters_are_every_one_the_pattern_matches():
    """A text with any other character is taken as a string without the pattern: none may be left out."""
    from re import _parser

    assert set(fastyaml._TYPED_CHARS) == _characters(_parser.parse(fastyaml._TYPED.pattern, fastyaml._TYPED.flags))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=fastyaml._TYPED_CHARS + "wz 中", max_size=12))
def test_the_typed_text_shortcut_agrees_with_the_pattern(text):
    assert fastyaml._typed_text(text) == (fastyaml._TYPED.match(text) is not None)
