"""Fuzzing `gongkai check` over the shipped example (gongkai.yaml, catalog/, rules/, items/ at the top
of the project): random damage to its files and random YAML documents never crash it, every finding
is one it can explain, and each run ends within the 5 s the issue allows (hypothesis' deadline).

Most runs go in-process through load_contents and run_checks, for speed; a few go through the CLI.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import yaml
from gongkai_cli.check.check import run_checks
from gongkai_cli.check.overdue_check import overdue_findings
from gongkai_cli.load.load import _known_fields, load_contents
from gongkai_cli.load.repo import data_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai_cli.messages import MESSAGES
from gongkai_cli.model.findings import RENDERERS, Finding

EXAMPLE = Path(__file__).resolve().parents[1]
FILES = {path: (EXAMPLE / path).read_bytes() for path in data_files(EXAMPLE)}
PATHS = sorted(FILES)
BOUND = timedelta(seconds=5)
AS_OF = date(2018, 12, 31)  # inside the example's year, so the schedule has work to do
GONGKAI = str(Path(sys.executable).with_name("gongkai"))
FUZZ = settings(deadline=BOUND, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

TRICKY = ["\t", "\u3000", "：", "\ufeff", "\r", "\r\n", "\0", "#", ":", ": ", "- ", "'", '"', "[", "{", "}", "]",
          "&a ", "*a", "!!python/object/apply:os.system ['true'] ", "!x ", "!!binary ", "%YAML 1.1\n", "@", "`", "|",
          ">", "\x85", "\u2028", "? ", "<<: *a\n", "---\n", "...\n", "<<<<<<< HEAD\n", "\\", "\x07", "\udcff"]
VALUES = ["[]", "{}", "null", "~", "123", "-1.5", ".inf", ".nan", "true", "no", "[a, b]", "{x: 1}", "2024-13-45",
          "'2024-09-23T25:61'", '""', "!!str 5", "!!int x", "*nope", "&a x", "|\n  text", ">-", "2018-09-23T14:30+08:00",
          "9999-12-31", "0001-01-01", "../../etc/passwd", "/etc/passwd", "20180923", "2018Q5", "综合处", "13812345678",
          "11010519491231002X", "内扶办发[2018]70号", "{on: 2018-01-01}", "[{step: x, by: y, on: 2018-01-01}]"]


# Damage ------------------------------------------------------------------------------------------


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def delete_line(data: bytes, at: int, _) -> bytes:
    lines = _lines(data)
    del lines[at % len(lines)]
    return b"\n".join(lines)


def duplicate_line(data: bytes, at: int, _) -> bytes:
    lines = _lines(data)
    lines.insert(at % len(lines), lines[at % len(lines)])
    return b"\n".join(lines)


def swap_lines(data: bytes, at: int, other: int) -> bytes:
    lines = _lines(data)
    first, second = at % len(lines), other % len(lines)
    lines[first], lines[second] = lines[second], lines[first]
    return b"\n".join(lines)


def reindent_line(data: bytes, at: int, width: int) -> bytes:
    lines = _lines(data)
    index = at % len(lines)
    lines[index] = b" " * (width % 7) + lines[index].lstrip(b" ")
    return b"\n".join(lines)


def swap_value(data: bytes, at: int, value: str) -> bytes:
    """Give the key on a line a value of another type."""
    lines = _lines(data)
    index = at % len(lines)
    key, colon, _ = lines[index].partition(b": ")
    lines[index] = key + (colon or b": ") + value.encode("utf-8", "surrogatepass")
    return b"\n".join(lines)


def truncate(data: bytes, at: int, _) -> bytes:
    return data[: at % (len(data) + 1)]


def insert_text(data: bytes, at: int, text: str) -> bytes:
    place = at % (len(data) + 1)
    return data[:place] + text.encode("utf-8", "surrogatepass") + data[place:]


def insert_bytes(data: bytes, at: int, noise: bytes) -> bytes:
    place = at % (len(data) + 1)
    return data[:place] + noise + data[place:]


DAMAGE = st.one_of(
    st.tuples(st.sampled_from([delete_line, duplicate_line, truncate]), st.integers(0, 10_000), st.none()),
    st.tuples(st.sampled_from([swap_lines, reindent_line]), st.integers(0, 10_000), st.integers(0, 10_000)),
    st.tuples(st.just(swap_value), st.integers(0, 10_000), st.sampled_from(VALUES)),
    st.tuples(st.just(insert_text), st.integers(0, 10_000), st.sampled_from(TRICKY)),
    st.tuples(st.just(insert_bytes), st.integers(0, 10_000), st.binary(min_size=1, max_size=8)),
)


def damaged(path: str, damage: list[tuple]) -> dict[str, bytes]:
    data = FILES[path]
    for change, at, what in damage:
        data = change(data, at, what)
    return {**FILES, path: data}


# Random documents ------------------------------------------------------------------------------

KEYS = st.sampled_from(_known_fields("item") + _known_fields("rules") + ["资金来源", "1", "<<"]) | st.text(max_size=8)
SCALARS = (st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats() | st.text(max_size=30)
           | st.sampled_from(["2018-09-23", "2018-09-23T14:30", "2018Q3", "zonghe", "policy-docs"] + VALUES))
DOCUMENTS = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=6),
                         max_leaves=25)
NEW_ITEM = "items/2018/zonghe/2018-zonghe-fuzz.yaml"


def placed(path: str, document, flow: bool) -> dict[str, bytes]:
    text = yaml.safe_dump(document, allow_unicode=True, default_flow_style=flow)
    return {**FILES, path: text.encode("utf-8", "surrogatepass")}


# The properties --------------------------------------------------------------------------------


def check_in_process(contents: dict[str, bytes]) -> list[Finding]:
    snapshot, findings = load_contents(contents, root=EXAMPLE)
    return findings + run_checks(snapshot) + overdue_findings(snapshot, AS_OF, severity="error")


def assert_explained(findings: list[Finding], files: int) -> None:
    """No check crashed, and every finding has a message, a place and renders in every format."""
    for finding in findings:
        assert finding.code != "check-crashed", finding.args
        assert f"finding.{finding.code}" in MESSAGES, finding
        assert finding.line >= 1 and finding.col >= 1, finding
    for lang in ("zh", "en"):
        for render in RENDERERS.values():
            render(findings, files, lang)


class Timings:
    """The slowest run seen, reported as a test property (`pytest --junitxml` shows it) and on stdout."""

    def __init__(self):
        self.slowest = 0.0

    def run(self, contents: dict[str, bytes]) -> list[Finding]:
        started = time.perf_counter()
        findings = check_in_process(contents)
        self.slowest = max(self.slowest, time.perf_counter() - started)
        return findings

    def report(self, record_property, name: str) -> None:
        record_property(f"{name}_max_seconds", round(self.slowest, 3))
        print(f"{name}: slowest check {self.slowest:.3f} s (bound {BOUND.total_seconds():.0f} s)")


def test_damaged_example_files_are_findings_never_crashes(record_property):
    timings = Timings()

    @settings(FUZZ, max_examples=300)
    @given(path=st.sampled_from(PATHS), damage=st.lists(DAMAGE, min_size=1, max_size=4))
    def damaged_example(path, damage):
        contents = damaged(path, damage)
        assert_explained(timings.run(contents), len(contents))

    damaged_example()
    timings.report(record_property, "damaged")


def test_random_documents_are_findings_never_crashes(record_property):
    timings = Timings()

    @settings(FUZZ, max_examples=200)
    @given(path=st.sampled_from(PATHS + [NEW_ITEM]), document=DOCUMENTS, flow=st.booleans())
    def random_document(path, document, flow):
        contents = placed(path, document, flow)
        assert_explained(timings.run(contents), len(contents))

    random_document()
    timings.report(record_property, "random")


def test_random_text_is_a_finding_never_a_crash():
    @settings(FUZZ, max_examples=200)
    @given(path=st.sampled_from(PATHS), text=st.text(st.sampled_from(list(" \n-:[]{}#&*!|>'\"?,%@`a1中：\u3000\t")), max_size=200))
    def random_text(path, text):
        contents = {**FILES, path: text.encode("utf-8")}
        assert_explained(check_in_process(contents), len(contents))

    random_text()


@settings(FUZZ, max_examples=5)
@given(path=st.sampled_from(PATHS), damage=st.lists(DAMAGE, min_size=1, max_size=3))
def test_the_command_exits_0_or_1_without_a_traceback(path, damage):
    with tempfile.TemporaryDirectory() as folder:
        for relative, data in damaged(path, damage).items():
            (Path(folder) / relative).parent.mkdir(parents=True, exist_ok=True)
            (Path(folder) / relative).write_bytes(data)
        result = subprocess.run([GONGKAI, "--repo", folder, "check", "--format", "json"], capture_output=True,
                                stdin=subprocess.DEVNULL)
    output = (result.stdout + result.stderr).decode("utf-8", "replace")
    assert result.returncode in (0, 1), output
    assert "Traceback" not in output
    assert isinstance(json.loads(result.stdout)["findings"], list)
