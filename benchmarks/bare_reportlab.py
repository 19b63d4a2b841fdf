"""The bare ReportLab baseline: the handout's words as flowing paragraphs, nothing else.

Run by ``bench_pdf.py`` in its own process, importing nothing of Frontdesk: the job (font
files, paragraphs per document, repeats) arrives as JSON on stdin and one line per document,
``name median_ms pages``, goes to stdout. The paragraphs are set in the same embedded Noto Sans at
10/14 pt on Letter with ReportLab's default margins; each paragraph arrives with its face
("", "bold" or "italic": the words the handout prints in that face) and runs Noto lacks already
wrapped in ``<font name="FrontdeskCJK">``, so both embed the same faces. Both compress pages
alike (ReportLab's default).
"""

from __future__ import annotations

import io
import json
import statistics
import sys
import time

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate

MAIN_FONT = "FrontdeskSans"
BOLD_FONT = "FrontdeskSans-Bold"
ITALIC_FONT = "FrontdeskSans-Italic"


def render(paragraphs: list[list[str]], styles: dict[str, ParagraphStyle]) -> int:
    """Write one PDF of (face, markup) paragraphs to memory; its number of pages."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=LETTER, initialFontName=MAIN_FONT)
    doc.build([Paragraph(text, styles[face]) for face, text in paragraphs])
    return int(doc.page)


def main() -> None:
    job = json.load(sys.stdin)
    for name, path in job["fonts"].items():
        pdfmetrics.registerFont(TTFont(name, path))
    style = ParagraphStyle("bare", fontName=MAIN_FONT, fontSize=10, leading=14, spaceAfter=4)
    styles = {
        "": style,
        "bold": ParagraphStyle("bare_bold", style, fontName=BOLD_FONT),
        "italic": ParagraphStyle("bare_italic", style, fontName=ITALIC_FONT),
    }
    for name, documents in job["documents"].items():
        render(documents[0], styles)  # warm-up, not counted
        samples = []
        for _ in range(job["repeat"][name]):
            started = time.perf_counter()
            for paragraphs in documents:
                render(paragraphs, styles)
            samples.append((time.perf_counter() - started) * 1000)
        pages = render(documents[0], styles)
        print(f"{name} {statistics.median(samples):.4f} {pages}", flush=True)


if __name__ == "__main__":
    main()
