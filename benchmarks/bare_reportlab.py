"""The bare ReportLab baseline: the handout's words as flowing paragraphs, nothing else.

Run by ``bench_pdf.py`` in its own process, importing nothing of Frontdesk: the job (font
files, paragraphs per document, repeats) arrives as JSON on stdin and one line per document,
``name median_ms pages``, goes to stdout. The paragraphs are set in the same embedded Noto Sans at
10/14 pt on Letter with ReportLab's default margins; runs Noto lacks arrive already wrapped
in ``<font name="FrontdeskCJK">`` as in the handout, so both embed the same fonts.
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


def render(paragraphs: list[str], style: ParagraphStyle) -> int:
    """Write one PDF to memory; its number of pages."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=LETTER, initialFontName=MAIN_FONT)
    doc.build([Paragraph(text, style) for text in paragraphs])
    return int(doc.page)


def main() -> None:
    job = json.load(sys.stdin)
    for name, path in job["fonts"].items():
        pdfmetrics.registerFont(TTFont(name, path))
    style = ParagraphStyle("bare", fontName=MAIN_FONT, fontSize=10, leading=14, spaceAfter=4)
    for name, documents in job["documents"].items():
        render(documents[0], style)  # warm-up, not counted
        samples = []
        for _ in range(job["repeat"][name]):
            started = time.perf_counter()
            for paragraphs in documents:
                render(paragraphs, style)
            samples.append((time.perf_counter() - started) * 1000)
        pages = render(documents[0], style)
        print(f"{name} {statistics.median(samples):.4f} {pages}", flush=True)


if __name__ == "__main__":
    main()
