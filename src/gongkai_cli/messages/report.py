"""The strings of the 通报 (`audit`) beyond its figures, of PDF output and of the listings' files, zh and en."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "error.pdf-needs-chromium": (
        "写 PDF 需要 Chromium：请安装（Debian/Ubuntu：apt-get install chromium fonts-noto-cjk），"
        "或用环境变量 GONGKAI_CHROMIUM 指明它的路径；也可先写 -o 通报.html 再打印",
        "writing a PDF needs Chromium: install it (Debian/Ubuntu: apt-get install chromium fonts-noto-cjk) "
        "or point GONGKAI_CHROMIUM at it; or write -o report.html and print that"),
    "error.pdf-failed": ("Chromium 未能生成 PDF：{detail}", "Chromium could not print the PDF: {detail}"),
}
