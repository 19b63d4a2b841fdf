"""The signed consent on paper: the wording as the patient read it, their signature, the names
and the date, on the clinic's letterhead.

The text printed is the text stored with the signature, never today's wording of the form, so
the paper always shows what the patient actually agreed to.
"""

from __future__ import annotations

import io
from datetime import tzinfo
from typing import IO

from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, Spacer, Table

from frontdesk.clinic import ClinicInfo
from frontdesk.intake.types import ConsentView
from frontdesk.reports.flowables import Para
from frontdesk.reports.fonts import markup
from frontdesk.reports.styles import ACCENT_LIGHT, RULE, Styles, table_style
from frontdesk.reports.template import ClinicDocTemplate, Output, write_pdf
from frontdesk.timefmt import fmt_date, fmt_time

SIGNATURE_BOX = (3.6 * inch, 1.3 * inch)


def render_consent(consent: ConsentView, clinic: ClinicInfo, out: Output = None) -> bytes:
    def build(target: IO[bytes]) -> None:
        doc = ClinicDocTemplate(
            target,
            clinic,
            title=f"{consent.title}: {consent.patient_name}",
            running_title=f"{consent.title}  \u00b7  {consent.patient_name}",
        )
        doc.build_story(consent_story(consent, clinic, doc.width))

    return write_pdf(build, out)


def consent_story(consent: ConsentView, clinic: ClinicInfo, width: float) -> list[Flowable]:
    st = Styles.get()
    tz = clinic.tz
    paragraphs = [p.strip() for p in consent.text.split("\n\n") if p.strip()]
    statement = paragraphs.pop() if len(paragraphs) > 1 else ""
    story: list[Flowable] = [
        Para(markup(consent.title), st.title),
        Para(f"Patient: {markup(consent.patient_name)}", st.subtitle),
    ]
    story += [Para(markup(p), st.notes) for p in paragraphs]
    if statement:
        story += [Spacer(1, 4), Para(f"<b>{markup(statement)}</b>", st.body)]
    story += [Spacer(1, 14), _signature_block(consent, tz, width)]
    story += [
        Spacer(1, 10),
        Para(
            f"Signed on screen at {markup(clinic.name)} on {fmt_date(consent.signed_at, tz)} at "
            f"{fmt_time(consent.signed_at, tz)}, in the presence of {markup(consent.witness_name)}"
            f". Wording of version {consent.form_version} of this form.",
            st.small,
        ),
    ]
    return story


def _signature_image(png: bytes) -> Image:
    """The stored signature, scaled to fit the box without stretching it."""
    w, h = ImageReader(io.BytesIO(png)).getSize()
    box_w, box_h = SIGNATURE_BOX
    scale = min(box_w / max(w, 1), box_h / max(h, 1))
    return Image(io.BytesIO(png), width=w * scale, height=h * scale, hAlign="LEFT")


def _signature_block(consent: ConsentView, tz: tzinfo, width: float) -> Table:
    st = Styles.get()
    signed = fmt_date(consent.signed_at, tz)
    left = [
        Para("SIGNATURE", st.label),
        _signature_image(consent.signature_png),
        Para(markup(consent.signer_name), st.value),
    ]
    right = [
        Para("DATE", st.label),
        Para(signed, st.value),
        Spacer(1, 8),
        Para("PATIENT", st.label),
        Para(markup(consent.patient_name), st.body),
        Spacer(1, 8),
        Para("WITNESSED BY", st.label),
        Para(markup(consent.witness_name), st.body),
    ]
    table = Table([[left, right]], colWidths=[width * 0.62, width * 0.38])
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (1, 0), (1, 0), ACCENT_LIGHT),
                ("BOX", (0, 0), (0, 0), 0.6, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 9),
                ("TOPPADDING", (0, 0), (-1, -1), 7),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table
