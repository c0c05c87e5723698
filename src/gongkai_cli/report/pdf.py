"""HTML to PDF through headless Chromium (Debian's `chromium` package, `--print-to-pdf`).

Chromium lays the page out exactly as the browser preview does: the CSS paged-media rules of
the templates (`@page`, `break-after: avoid`, repeated `<thead>`) hold in the PDF too, CJK text
is shaped by the system's fonts (fonts-noto-cjk), and no Python dependency is added. It runs in
a throwaway profile, offline, on a file in a temporary folder; nothing is fetched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import UsageProblem

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 120  # seconds; a long 通报 prints in a few


def browser() -> str | None:
    """The Chromium to print with: $GONGKAI_CHROMIUM, else the first on PATH."""
    chosen = os.environ.get("GONGKAI_CHROMIUM")
    if chosen:
        return shutil.which(chosen) or (chosen if Path(chosen).is_file() else None)
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def html_to_pdf(html: str) -> bytes:
    """The PDF Chromium prints of a self-contained page (no header or footer lines of its own)."""
    program = browser()
    if program is None:
        raise UsageProblem("error.pdf-needs-chromium")
    with tempfile.TemporaryDirectory(prefix="gongkai-pdf-") as scratch:
        folder = Path(scratch)
        page, target = folder / "page.html", folder / "page.pdf"
        page.write_text(html, encoding="utf-8")
        command = [program, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   f"--user-data-dir={folder / 'profile'}", "--no-pdf-header-footer",
                   f"--print-to-pdf={target}", page.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise UsageProblem("error.pdf-failed", detail=f"timeout after {TIMEOUT} s") from None
        if not target.is_file() or target.stat().st_size == 0:
            raise UsageProblem("error.pdf-failed", detail=(done.stderr or "").strip()[-400:])
        return target.read_bytes()
