"""The annual report's html printed to PDF by headless Chromium (`-o 年度报告.pdf`, the route audit's
PDF takes): A4, and every page that shows rows of table 三 or 四 shows that table's header too.

Skipped where Chromium is not installed (CI installs it)."""

from __future__ import annotations

import io
import shutil
import unicodedata

import pytest
from conftest import make_repo
from test_annual import CATEGORIES, REQUESTS

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("chromium") is None and shutil.which("chromium-browser")
                                                  is None, reason="chromium is not installed")]

TABLE3_HEAD = "申请人情况"
TABLE3_ROWS = ("予以公开", "属于国家秘密", "本机关不掌握相关政府信息", "信访举报投诉类申请", "结转下年度继续办理")
TABLE4_HEAD = "行政复议"
TABLE4_ROWS = ("尚未审结",)


def pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    assert all(round(float(page.mediabox.width) / 72 * 25.4) == 210 for page in reader.pages)  # A4 portrait
    return [unicodedata.normalize("NFKC", page.extract_text()).replace(" ", "") for page in reader.pages]


@pytest.mark.parametrize("paragraphs", [8, 14, 20])
def test_every_page_with_table_rows_has_the_table_header(cli, tmp_path, paragraphs):
    """The office's overview is long enough (at three lengths) that the tables fall across page breaks."""
    overview = "\n".join(f"    第{n}段：本机关坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开，" * 3
                         for n in range(paragraphs))
    figures = f"year: 2024\nlicensing: 5\npenalties: 3\nenforcement: 1\nfees_wan: 2.5\ntext:\n  overview: |\n{overview}\n"
    root = make_repo(tmp_path / "office", {"catalog/categories.yaml": CATEGORIES, **dict(REQUESTS),
                                           "reports/2024.yaml": figures})
    target = tmp_path / "年度报告.pdf"
    result = cli(root, "annual-report", "2024", "--as-of", "2025-03-01", "-o", str(target))
    assert result.exit_code in (0, 1) and target.read_bytes().startswith(b"%PDF"), result.output
    shown = pages(target.read_bytes())
    with_rows3 = [page for page in shown if any(row in page for row in TABLE3_ROWS)]
    assert len(with_rows3) >= 2  # table 三 crosses a page break at each of these lengths
    assert all(TABLE3_HEAD in page and "法人或其他组织" in page for page in with_rows3)
    with_rows4 = [page for page in shown if any(row in page for row in TABLE4_ROWS)]
    assert with_rows4 and all(TABLE4_HEAD in page for page in with_rows4)
