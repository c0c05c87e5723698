"""`check --format github`: workflow commands as GitHub documents them, so findings land on the diff.

Format (docs.github.com, "Workflow commands for GitHub Actions"):
`::error file={name},line={line},col={col},title={title}::{message}` (`warning` likewise). Property
values escape % \\r \\n : , as %25 %0D %0A %3A %2C; the message escapes % \\r \\n (actions/toolkit,
escapeProperty / escapeData). `parse` below reads a line the way the runner does (ActionCommand.TryParseV2).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import git, item, make_repo, write_files

from gongkai_cli.model.findings import _escape_data, _escape_property

RECORDED = Path(__file__).parent / "fixtures" / "github-annotations.txt"
UNESCAPE_PROPERTY = (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%"))
UNESCAPE_DATA = (("%0D", "\r"), ("%0A", "\n"), ("%25", "%"))


def parse(line: str) -> tuple[str, dict[str, str], str] | None:
    """(command, properties, data) as the Actions runner parses a workflow command; None for plain output."""
    line = line.lstrip()
    if not line.startswith("::"):
        return None
    end = line.index("::", 2)
    info, data = line[2:end], line[end + 2:]
    command, _, rest = info.partition(" ")
    properties = {}
    for pair in filter(None, rest.split(",")):
        key, _, value = pair.partition("=")
        properties[key] = _unescape(value, UNESCAPE_PROPERTY)
    return command, properties, _unescape(data, UNESCAPE_DATA)


def _unescape(value: str, mappings) -> str:
    for token, replacement in mappings:
        value = value.replace(token, replacement)
    return value


@pytest.fixture
def office(tmp_path) -> Path:
    """A pull request adding three items: a warning, a value with % and a line break, a file name with , and :."""
    root = make_repo(tmp_path / "office", {"gongkai.yaml": "office: 测试办公室\nadmins: [tester@example.gov.cn]\n"})
    git(root, "checkout", "-q", "-b", "pr")
    write_files(root, {
        "items/2024/zonghe/2024-zonghe-a1b2.yaml": item("2024-zonghe-a1b2", doc_number="内扶办发[2024]7号")[1],
        "items/2024/zonghe/a,b:c.yaml": item("2024-zonghe-c3d4")[1],
        "items/2024/zonghe/2024-zonghe-e5f6.yaml": item("2024-zonghe-e5f6", category='"50%\\r\\nx"')[1],
    })
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "three items")
    return root


def test_annotations_match_the_recorded_example(cli, office):
    result = cli(office, "check", "--format", "github", "--lang", "en")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == RECORDED.read_text(encoding="utf-8").splitlines()


def test_pull_request_mode_prints_the_same_annotations(cli, office):
    recorded = [line for line in RECORDED.read_text(encoding="utf-8").splitlines() if line.startswith("::")]
    result = cli(office, "check", "--since", "main", "--format", "github", "--lang", "en")
    assert result.exit_code == 1
    assert [line for line in result.stdout.splitlines() if line.startswith("::")] == recorded


def test_every_annotation_reads_back_as_the_finding(cli, office):
    findings = json.loads(cli(office, "check", "--format", "json", "--lang", "en").stdout)["findings"]
    lines = cli(office, "check", "--format", "github", "--lang", "en").stdout.split("\n")
    parsed = [command for command in map(parse, lines) if command is not None]
    assert [(name, props, data) for name, props, data in parsed] == [
        (f["severity"], {"file": f["path"], "line": str(f["line"]), "col": str(f["col"]), "title": f["code"]}, f["message"])
        for f in findings
    ]
    assert any("\r\n" in f["message"] for f in findings) and any("," in f["path"] for f in findings)


def test_the_recorded_lines_are_well_formed():
    for line in RECORDED.read_text(encoding="utf-8").splitlines()[:-1]:
        command, properties, _ = parse(line)
        assert command in ("error", "warning", "notice")
        assert list(properties) == ["file", "line", "col", "title"]
        assert properties["line"].isdigit() and properties["col"].isdigit()


@pytest.mark.parametrize("raw, property_form, data_form", [
    ("a:b,c", "a%3Ab%2Cc", "a:b,c"),
    ("100%\r\nnext", "100%25%0D%0Anext", "100%25%0D%0Anext"),
    ("%0A", "%250A", "%250A"),  # an escape-looking text stays text
])
def test_escaping_follows_the_toolkit(raw, property_form, data_form):
    assert (_escape_property(raw), _escape_data(raw)) == (property_form, data_form)
    assert _unescape(property_form, UNESCAPE_PROPERTY) == raw == _unescape(data_form, UNESCAPE_DATA)
