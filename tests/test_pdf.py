"""report/pdf.py: html_to_pdf prints a page through headless Chromium; without Chromium, a message saying how to get it."""

from __future__ import annotations

import io
import shutil
import unicodedata

import pytest

from gongkai_cli.errors import UsageProblem
from gongkai_cli.report.pdf import html_to_pdf

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_a_page_prints_to_a_pdf_with_its_chinese_text():
    from pypdf import PdfReader

    pdf = html_to_pdf("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><h1>政务公开情况通报</h1>"
                      "<p style='break-before: page'>附件二</p></body></html>")
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 2
    shown = [unicodedata.normalize("NFKC", page.extract_text()) for page in pages]  # fonts map some hanzi to radicals
    assert "政务公开情况通报" in shown[0] and "附件二" in shown[1]


def test_without_chromium_the_message_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("GONGKAI_CHROMIUM", str(tmp_path / "no-such-browser"))
    with pytest.raises(UsageProblem) as raised:
        html_to_pdf("<p>x</p>")
    assert raised.value.key == "error.pdf-needs-chromium"
