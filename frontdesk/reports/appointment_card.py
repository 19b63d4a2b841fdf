"""The appointment card: a patient's next visits on a small card handed over at the desk.

Quarter-Letter (5.5 x 4.25 in), or A6 for A4 clinics, so it fits a wallet or the fridge door;
a long course simply continues on a second card with the header repeated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from reportlab.lib.pagesizes import A6, landscape
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
)

from frontdesk.domain import PageSize
from frontdesk.reports.fonts import (
    SANS,
    SANS_BOLD,
    draw_runs,
    fit_line,
    markup,
    register_fonts,
    runs_width,
)
from frontdesk.reports.loaders import AppointmentCardData
from frontdesk.reports.styles import (
    ACCENT,
    INK,
    MUTED,
    RULE,
    Styles,
    listing_table,
)
from frontdesk.reports.template import Output, PageCountCanvas, write_pdf
from frontdesk.timefmt import fmt_date, fmt_time

QUARTER_LETTER = (5.5 * inch, 4.25 * inch)
MARGIN = 0.3 * inch
HEADER_H = 0.62 * inch
FOOTER_H = 0.42 * inch


def render_appointment_card(data: AppointmentCardData, out: Output = None) -> bytes:
    """The card as PDF bytes; also written to ``out`` (path or binary file) if given."""
    size = landscape(A6) if data.clinic.page_size == PageSize.A4 else QUARTER_LETTER

    register_fonts()

    def build(target: IO[bytes]) -> None:
        doc = BaseDocTemplate(
            target,
            pagesize=size,
            title=f"Appointments \u2013 {data.patient_name}",
            author=data.clinic.name,
            creator="Frontdesk",
            initialFontName=SANS,
        )
        frame = Frame(
            MARGIN,
            FOOTER_H,
            size[0] - 2 * MARGIN,
            size[1] - HEADER_H - FOOTER_H,
            leftPadding=0,
            rightPadding=0,
            topPadding=4,
            bottomPadding=0,
        )
        doc.addPageTemplates([PageTemplate("card", [frame], onPage=_decorate(data))])
        doc.build(_story(data, frame.width), canvasmaker=PageCountCanvas)

    return write_pdf(build, out)


def _story(data: AppointmentCardData, width: float) -> list[Flowable]:
    st = Styles.get()
    story: list[Flowable] = [Paragraph("Your next appointments", st.subheading)]
    if not data.appointments:
        phone = markup(data.clinic.phone) or "the clinic"
        story.append(Paragraph(f"Nothing is booked yet. Call {phone} to book.", st.body))
        return story
    rows: list[list[object]] = [[Paragraph(h, st.cell_head) for h in ("Date", "Time", "With")]]
    for a in data.appointments:
        rows.append(
            [
                Paragraph(f"<b>{a.starts_local:%a}</b> {fmt_date(a.starts_local.date())}", st.cell),
                Paragraph(fmt_time(a.starts_local), st.cell),
                Paragraph(markup(a.practitioner_name), st.cell),
            ]
        )
    story.append(
        listing_table(rows, [width * 0.42, width * 0.2, width * 0.38], padding=2.5, zebra=False)
    )
    return story


def _decorate(data: AppointmentCardData) -> Callable[[Canvas, BaseDocTemplate], None]:
    """The card's fixed parts: clinic band at the top, cancellation note at the foot."""
    clinic = data.clinic

    def on_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        w, h = doc.pagesize
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(0, h - 0.12 * inch, w, 0.12 * inch, stroke=0, fill=1)
        usable = w - 2 * MARGIN - 12
        # The patient's name on every card, so a second card is still theirs.
        patient, size = fit_line(data.patient_name, usable * 0.5, 10.5, SANS_BOLD, min_size=8)
        patient_w = runs_width(patient, size, SANS_BOLD)
        canvas.setFillColor(INK)
        draw_runs(canvas, w - MARGIN - patient_w, h - 0.38 * inch, patient, size, SANS_BOLD)
        canvas.setFillColor(ACCENT)
        name, size = fit_line(clinic.name, usable - patient_w, 11.5, SANS_BOLD, min_size=8)
        draw_runs(canvas, MARGIN, h - 0.38 * inch, name, size, SANS_BOLD)
        canvas.setFillColor(MUTED)
        contact = "  \u00b7  ".join(p for p in (clinic.phone, clinic.email) if p)
        draw_runs(canvas, MARGIN, h - 0.53 * inch, *fit_line(contact, usable - patient_w, 7.5))
        note = "Can\u2019t make it? Please call us at least 24 hours ahead."
        draw_runs(canvas, MARGIN, 0.2 * inch, note, 7)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, 0.32 * inch, w - MARGIN, 0.32 * inch)
        canvas.restoreState()
        # Only a course too long for one card gets "Card 1 of 2".
        canvas.page_count_spot = (w - MARGIN, 0.2 * inch)
        canvas.page_count_text = "Card {page} of {total}"
        canvas.page_count_hide_single = True

    return on_page
