"""How long printing treatment-plan handouts takes, against bare ReportLab with the same words.

Three cases: a one-page handout, the three-page sample handout, and a batch of 100 handouts
for different patients. The baseline for each is a bare ReportLab document of exactly the
words the handout prints (extracted from its PDF), set as flowing paragraphs in the same
embedded Noto Sans faces (a word the handout prints bold or italic is bold or italic there too,
CJK runs in the same fallback font), with no letterhead, tables or page furniture: the floor of what ReportLab itself needs. It runs in its own process that imports
nothing of Frontdesk (``bare_reportlab.py``). The ratio says what the app's template, styles
and font fallback cost on top (target: at most 2). Fonts are registered once, before timing,
in both cases, as they are in the running app.

    python benchmarks/bench_pdf.py --scale small|full
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from _common import median, parse_args, report, time_calls
from pypdf import PdfReader

from frontdesk import paths
from frontdesk.plans import HandoutData
from frontdesk.plans.sample import sample_handout
from frontdesk.reports import render_plan_handout
from frontdesk.reports.fonts import (
    _FILES,
    CJK,
    SANS,
    SANS_BOLD,
    SANS_ITALIC,
    markup,
    register_fonts,
)

REPEATS = {"small": (30, 3), "full": (100, 5)}  # single-handout samples, batch samples
BATCH = 100
NAMES = ("Zoë Adams", "Łukasz Nowak", "Nguyễn Thị Ánh", "Aoife O'Brien-Smith", "王秀英")
BARE = Path(__file__).resolve().parent / "bare_reportlab.py"


WORDS_PER_PARAGRAPH = 60


def paragraphs_of(pdf: bytes) -> list[tuple[str, str]]:
    """Every word a PDF prints as (face, markup) flowing paragraphs of up to
    ``WORDS_PER_PARAGRAPH`` words, face "", "bold" or "italic" as the PDF prints the word, so
    the bare document embeds the same faces for the same words. Each face's words flow in
    their own paragraphs, in reading order (one font per paragraph is ReportLab's cheapest
    case); runs Noto lacks are in the CJK font as the handout sets them."""
    faces: dict[str, list[str]] = {"": [], "bold": [], "italic": []}

    def visit(text: str, cm: object, tm: object, font: dict | None, size: float) -> None:
        name = str((font or {}).get("/BaseFont", ""))
        face = "bold" if "-Bold" in name else "italic" if "-Italic" in name else ""
        faces[face].extend(text.split())

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return [
        (face, markup(" ".join(words[i : i + WORDS_PER_PARAGRAPH])))
        for face, words in faces.items()
        for i in range(0, len(words), WORDS_PER_PARAGRAPH)
    ]


def pages_of(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def one_page(data: HandoutData) -> HandoutData:
    """The sample handout cut down to what fits on one page (a first visit's short plan)."""
    plan = replace(
        data.plan,
        patient_notes="Thank you for coming in today.",
        goals=data.plan.goals[:1],
        techniques=data.plan.techniques[:1],
        condition_notes="",
    )
    return replace(
        data,
        plan=plan,
        homecare_items=(),
        red_flags=(),
        appointments=(),
        symptom_labels=(),
        technique_labels=data.technique_labels[:1],
        technique_details=data.technique_details[:1],
    )


def bare_medians(
    documents: dict[str, list[list[tuple[str, str]]]], repeat: dict[str, int]
) -> dict[str, tuple[float, int]]:
    """Run the bare baseline in its own process: median ms and pages per document kind."""
    fonts = {
        name: str(paths.resource("fonts", _FILES[name]))
        for name in (SANS, SANS_BOLD, SANS_ITALIC, CJK)
    }
    job = json.dumps({"fonts": fonts, "documents": documents, "repeat": repeat})
    out = subprocess.run(
        [sys.executable, str(BARE)], input=job, text=True, check=True, capture_output=True
    ).stdout
    found = {}
    for line in out.splitlines():
        name, ms, pages = line.split()
        found[name] = (float(ms), int(pages))
    return found


def batch(render: Callable[[HandoutData], bytes], items: list[HandoutData]) -> Callable[[], None]:
    def run() -> None:
        for data in items:
            render(data)

    return run


def main() -> None:
    args = parse_args(__doc__ or "")
    single_repeats, batch_repeats = REPEATS[args.scale]
    started = time.perf_counter()
    register_fonts()
    three = sample_handout()
    one = one_page(three)
    people = [replace(three, patient_name=NAMES[i % len(NAMES)]) for i in range(BATCH)]
    cases = {"one_page": [one], "three_pages": [three], f"batch{BATCH}": people}
    documents = {
        name: [paragraphs_of(render_plan_handout(d)) for d in items]
        for name, items in cases.items()
    }
    repeat = {
        "one_page": single_repeats,
        "three_pages": single_repeats,
        f"batch{BATCH}": batch_repeats,
    }
    bare = bare_medians(documents, repeat)
    for name, items in cases.items():
        pages = pages_of(render_plan_handout(items[0]))
        ms = median(time_calls(batch(render_plan_handout, items), repeat=repeat[name], warmup=1))
        bare_ms, bare_pages = bare[name]
        report(
            f"plan_handout_{name}_median",
            ms,
            "ms",
            baseline=(f"bare_reportlab_{name}_median", bare_ms),
        )
        print(
            f"plan_handout_{name}_ratio = {ms / bare_ms:.2f} x (target <= 2; {pages} pages "
            f"vs {bare_pages} bare pages, {len(items)} document(s))"
        )
    report("bench_pdf_wall", time.perf_counter() - started, "s")


if __name__ == "__main__":
    main()
