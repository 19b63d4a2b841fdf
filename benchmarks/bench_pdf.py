"""How long printing a treatment-plan handout takes, against a bare ReportLab document.

The bare document holds exactly the handout's text (extracted from the rendered PDF), set in
the same embedded Noto Sans with one plain Paragraph per line and no letterhead, tables or page
furniture: the floor of what ReportLab itself needs. The ratio says what the app's template,
styles and font fallback cost on top (target: at most 2). Fonts are registered once, before
timing, in both cases, as they are in the running app.

    python benchmarks/bench_pdf.py --scale small|full
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from dataclasses import replace

from _common import median, parse_args, report, time_calls
from pypdf import PdfReader
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from frontdesk.plans import HandoutData
from frontdesk.plans.sample import sample_handout
from frontdesk.reports import render_plan_handout
from frontdesk.reports.fonts import SANS, markup, register_fonts

REPEATS = {"small": (30, 3), "full": (100, 5)}  # single-handout samples, batch samples
BATCH = 100
NAMES = ("Zoë Adams", "Łukasz Nowak", "Nguyễn Thị Ánh", "Aoife O'Brien-Smith", "王秀英")


def bare_document(text_lines: list[str]) -> Callable[[], bytes]:
    """A renderer of the same text in the same font, with nothing else."""
    style = ParagraphStyle("bare", fontName=SANS, fontSize=10, leading=14)
    escaped = [markup(line) for line in text_lines]

    def render() -> bytes:
        out = io.BytesIO()
        doc = SimpleDocTemplate(out, pagesize=LETTER, initialFontName=SANS)
        doc.build([Paragraph(line, style) for line in escaped])
        return out.getvalue()

    return render


def batch(render: Callable[[HandoutData], bytes], items: list[HandoutData]) -> Callable[[], None]:
    def run() -> None:
        for data in items:
            render(data)

    return run


def main() -> None:
    args = parse_args(__doc__ or "")
    single_repeats, batch_repeats = REPEATS[args.scale]
    register_fonts()
    data = sample_handout()
    pdf = render_plan_handout(data)
    lines = [
        line for page in PdfReader(io.BytesIO(pdf)).pages
        for line in page.extract_text().splitlines() if line.strip()
    ]
    bare = bare_document(lines)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    bare_pages = len(PdfReader(io.BytesIO(bare())).pages)

    one = median(time_calls(lambda: render_plan_handout(data), repeat=single_repeats, warmup=2))
    one_bare = median(time_calls(bare, repeat=single_repeats, warmup=2))
    report("plan_handout_median", one, "ms", baseline=("bare_reportlab_median", one_bare))
    print(f"plan_handout_ratio = {one / one_bare:.2f} x (target <= 2; {pages} pages vs "
          f"{bare_pages} bare pages, {len(lines)} lines of text)")

    people = [replace(data, patient_name=NAMES[i % len(NAMES)]) for i in range(BATCH)]
    bare_batch = [bare_document([f"{p.patient_name}", *lines]) for p in people]

    def run_bare_batch() -> None:
        for render in bare_batch:
            render()

    started = time.perf_counter()
    many = median(time_calls(batch(render_plan_handout, people), repeat=batch_repeats, warmup=0))
    many_bare = median(time_calls(run_bare_batch, repeat=batch_repeats, warmup=0))
    report(f"plan_handout_batch{BATCH}_median", many, "ms",
           baseline=(f"bare_reportlab_batch{BATCH}_median", many_bare))
    print(f"plan_handout_batch{BATCH}_ratio = {many / many_bare:.2f} x (target <= 2)")
    report("bench_pdf_wall", time.perf_counter() - started, "s")


if __name__ == "__main__":
    main()
