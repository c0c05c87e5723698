"""The 通报 of every shipped example as Chromium prints it: the html's print CSS, the PDF's pages (how
many, no heading left alone at the foot of a page, the table header on every page with table rows).

Skipped where Chromium is not installed (CI installs it)."""

from __future__ import annotations

import io
import re
import shutil
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import PROJECT, make_repo

from gongkai_cli.setup.init import init_repository

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("chromium") is None and shutil.which("chromium-browser")
                                                  is None, reason="chromium is not installed")]

# example, quarter, as-of, the pages this prints on (measured with Debian's chromium and fonts-noto-cjk)
EXAMPLES = [
    ("nmg-fupin", "2018Q3", "2018-10-15", 5),
    ("xichuan", "2017Q4", "2018-01-08", 3),
    ("hohhot-minzheng", "2018Q3", "2018-10-20", 3),
    ("nmg-gov", "2020Q1", "2020-04-20", 4),
    ("xian-fupin", "2019Q2", "2019-07-20", 4),
]
SUMMARY_HEAD = "名次 单位 应公开 按时公开"
CHASE_HEAD = "规则 期间/条目 期限 状态 逾期"
SUMMARY_ROW = re.compile(r"^(\d+ )?\S+ \d+ \d+ \d+ \d+ \d+ \d+ \d+ ")
CHASE_ROW = re.compile(r"逾期(未)?公开\((公开|待|报备|举行)")


def office(tmp_path_factory, name: str) -> Path:
    if name == "nmg-fupin":
        return PROJECT
    if not (PROJECT / "examples" / name / "gongkai.yaml").is_file():
        pytest.skip(f"example {name} is not in this checkout")
    return init_repository(tmp_path_factory.mktemp("print") / name, name)


class Headings(HTMLParser):
    """The text of every h1–h3, and the page's CSS."""

    def __init__(self):
        super().__init__()
        self.headings: list[str] = []
        self.css = ""
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("h1", "h2", "h3", "style"):
            self._in = tag
            if tag != "style":
                self.headings.append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "style":
            self.css += data
        elif self._in:
            self.headings[-1] += data


def rules(css: str) -> dict[str, str]:
    """selector → declarations, whitespace squeezed."""
    return {" ".join(selector.split()): " ".join(body.split()) for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)}


def pages(pdf: bytes) -> list[list[str]]:
    from pypdf import PdfReader

    shown = [unicodedata.normalize("NFKC", page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in shown]


def render(cli, root: Path, tmp_path: Path, quarter: str, as_of: str, suffix: str) -> Path:
    target = tmp_path / f"通报{suffix}"
    result = cli(root, "audit", "--quarter", quarter, "--as-of", as_of, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    return target


def test_the_print_css_keeps_headings_with_what_follows_and_repeats_table_headers(cli, tmp_path):
    page = Headings()
    page.feed(render(cli, PROJECT, tmp_path, "2018Q3", "2018-10-15", ".html").read_text(encoding="utf-8"))
    css = rules(page.css)
    assert "break-after: avoid" in css["h1, h2, h3"] and "break-inside: avoid" in css["h1, h2, h3"]
    assert "display: table-header-group" in css["thead"]
    assert "break-inside: avoid" in css["tr"]
    assert "break-before: page" in css[".annex"]  # the list to chase starts on a page of its own
    assert "size: A4 landscape" in css["@page"]


@pytest.mark.parametrize("name, quarter, as_of, expected", EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_every_example_prints_with_no_lone_heading_and_a_header_on_every_page(cli, tmp_path_factory, tmp_path, name,
                                                                              quarter, as_of, expected):
    root = office(tmp_path_factory, name)
    page = Headings()
    page.feed(render(cli, root, tmp_path, quarter, as_of, ".html").read_text(encoding="utf-8"))
    headings = {unicodedata.normalize("NFKC", heading).strip() for heading in page.headings}
    printed = pages(render(cli, root, tmp_path, quarter, as_of, ".pdf").read_bytes())
    assert abs(len(printed) - expected) <= 1, f"{name}: {len(printed)} pages"
    for number, lines in enumerate(printed, 1):
        assert lines[-1] not in headings, f"{name} page {number} ends with the heading {lines[-1]!r}"
        if any(SUMMARY_ROW.match(line) for line in lines):
            assert any(line.startswith(SUMMARY_HEAD) for line in lines), f"{name} page {number}: no summary header"
        if any(CHASE_ROW.search(line) for line in lines):
            assert any(line.startswith(CHASE_HEAD) for line in lines), f"{name} page {number}: no chase header"


def test_a_summary_longer_than_a_page_repeats_its_header(cli, tmp_path):
    units = "".join(f"- id: u{n:02d}\n  name: 第{n:02d}单位\n  kind: department\n" for n in range(70))
    root = make_repo(tmp_path / "office", {"catalog/units.yaml": units})
    printed = pages(render(cli, root, tmp_path, "2024Q3", "2024-10-15", ".pdf").read_bytes())
    with_rows = [lines for lines in printed if any(SUMMARY_ROW.match(line) for line in lines)]
    assert len(with_rows) >= 2
    assert all(any(line.startswith(SUMMARY_HEAD) for line in lines) for lines in with_rows)
