"""The receipt a patient sends their insurer: one invoice on the clinic's letterhead.

Laid out the way claims staff read one: who was treated, by whom (profession and registration
number), when, for what and how long, then the money: each line with its tax, the total, every
payment with its method and date, and the balance. A void invoice prints marked VOID with its
reason, and a reissue names the invoice it replaces, so no two papers claim the same visit.
"""

from __future__ import annotations

from typing import IO

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Spacer, Table

from frontdesk.billing.money import fmt_money
from frontdesk.billing.receipt_data import ReceiptData
from frontdesk.reports.flowables import Para
from frontdesk.reports.fonts import SANS_BOLD, markup
from frontdesk.reports.styles import (
    ACCENT,
    ACCENT_LIGHT,
    MUTED,
    RULE,
    WARN,
    WARN_LIGHT,
    Styles,
    listing_table,
    table_style,
)
from frontdesk.reports.template import ClinicDocTemplate, Output, write_pdf
from frontdesk.timefmt import fmt_date

EXEMPT_NOTE = (
    "Acupuncture by a registered acupuncturist and physiotherapy are exempt from GST "
    "(Excise Tax Act, Schedule V, Part II)."
)


def render_receipt(data: ReceiptData, out: Output = None) -> bytes:
    inv = data.invoice

    def build(target: IO[bytes]) -> None:
        doc = ClinicDocTemplate(
            target,
            data.clinic,
            title=f"Receipt for invoice {inv.number}",
            running_title=f"Receipt  \u00b7  invoice {inv.number}  \u00b7  {data.patient_name}",
        )
        doc.build_story(receipt_story(data, doc.width))

    return write_pdf(build, out)


def _right(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}_right", style, alignment=TA_RIGHT)


def receipt_story(data: ReceiptData, width: float) -> list[Flowable]:
    st = Styles.get()
    inv = data.invoice
    title = "Receipt" if inv.status == "issued" and inv.outstanding_cents <= 0 else "Invoice"
    head = f"Invoice {inv.number}  \u00b7  issued {fmt_date(inv.issued_on)}"
    if data.gst_number:
        head += f"  \u00b7  GST registration no. {markup(data.gst_number)}"
    if data.replaces_number is not None:
        head += f"  \u00b7  replaces void invoice {data.replaces_number}"
    story: list[Flowable] = [Para(title, st.title), Para(head, st.subtitle)]
    if inv.status == "void":
        story.append(_void_banner(data, width))
    story += [_parties(data, width), Spacer(1, 14), _lines(data, width), Spacer(1, 8)]
    story.append(_totals(data, width))
    notes = []
    if any(line.tax_code == "exempt" for line in inv.lines):
        notes.append(EXEMPT_NOTE)
    notes.append(
        f"Printed {fmt_date(data.printed_at.date())}. Please keep this receipt for your "
        "insurance claim and your records."
    )
    story.append(Spacer(1, 16))
    story += [Para(n, st.small) for n in notes]
    return story


def _void_banner(data: ReceiptData, width: float) -> Table:
    st = Styles.get()
    text = f"<b>VOID</b>: {markup(data.invoice.void_reason or '')}"
    if data.reissued_as_number is not None:
        text += f"  \u00b7  reissued as invoice {data.reissued_as_number}"
    banner = Table([[Para(text, st.warn)]], colWidths=[width])
    banner.setStyle(
        table_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), WARN_LIGHT),
                ("BOX", (0, 0), (-1, -1), 0.8, WARN),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return banner


def _parties(data: ReceiptData, width: float) -> Table:
    """Patient on the left, practitioner on the right, each a labelled block."""
    st = Styles.get()
    patient = [
        Para("PATIENT", st.label),
        Para(markup(data.patient_name), st.value),
        Para(f"Date of birth {fmt_date(data.patient_birth_date)}", st.body),
    ]
    patient += [Para(markup(line), st.body) for line in data.patient_address.splitlines() if line]
    provider: list[Flowable] = [Para("PRACTITIONER", st.label)]
    if data.practitioner_name:
        name = data.practitioner_name
        if data.practitioner_credentials:
            name += f", {data.practitioner_credentials}"
        provider.append(Para(markup(name), st.value))
        if data.profession:
            provider.append(Para(markup(data.profession), st.body))
        number = data.registration_number or "not on file"
        provider.append(Para(f"Registration no. <b>{markup(number)}</b>", st.body))
    service = data.invoice.service_date
    when = [Para("DATE OF SERVICE", st.label)]
    when.append(Para(fmt_date(service) if service else "\u2013", st.value))
    table = Table([[patient, provider, when]], colWidths=[width * 0.38, width * 0.40, width * 0.22])
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, -1), ACCENT_LIGHT),
                ("LEFTPADDING", (0, 0), (-1, -1), 9),
                ("TOPPADDING", (0, 0), (-1, -1), 7),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ("LINEAFTER", (0, 0), (1, 0), 0.6, colors.white),
            ]
        )
    )
    return table


def _lines(data: ReceiptData, width: float) -> Table:
    st = Styles.get()
    right_head = _right(st.cell_head)
    right = _right(st.cell)
    heads = ("Service", "Duration", "Qty", "Unit price", "GST", "Amount")
    rows: list[list[object]] = [
        [Para(h, st.cell_head if i == 0 else right_head) for i, h in enumerate(heads)]
    ]
    for line in data.invoice.lines:
        rate = line.tax_basis_points
        tax = fmt_money(line.tax_cents) if rate else "exempt"
        if rate:
            tax += f"<br/><font color='{MUTED.hexval()}'>{rate / 100:g}%</font>"
        rows.append(
            [
                Para(markup(line.description), st.cell),
                Para(f"{line.duration_minutes} min" if line.duration_minutes else "", right),
                Para(str(line.quantity), right),
                Para(fmt_money(line.unit_price_cents), right),
                Para(tax, right),
                Para(fmt_money(line.amount_cents + line.tax_cents), right),
            ]
        )
    fixed = [0.85 * inch, 0.45 * inch, 0.95 * inch, 0.8 * inch, 0.95 * inch]
    return listing_table(rows, [width - sum(fixed), *fixed], valign="TOP", padding=5)


def _totals(data: ReceiptData, width: float) -> Table:
    st = Styles.get()
    inv = data.invoice
    label, amount = _right(st.body), _right(st.body)
    bold = ParagraphStyle("total", amount, fontName=SANS_BOLD)
    rows: list[list[object]] = [
        [Para("Subtotal", label), Para(fmt_money(inv.subtotal_cents), amount)],
        [Para("GST", label), Para(fmt_money(inv.tax_cents), amount)],
        [Para("<b>Total</b>", label), Para(fmt_money(inv.total_cents), bold)],
    ]
    for paid in inv.allocations:
        if paid.amount_cents > 0:
            how = "Account credit" if paid.from_credit else paid.method
            text = f"Paid by {how}, {fmt_date(paid.received_on)}"
        else:
            text = "Payment returned to the account"
        rows.append([Para(text, label), Para(fmt_money(-paid.amount_cents), amount)])
    rows.append([Para("<b>Balance due</b>", label), Para(fmt_money(inv.outstanding_cents), bold)])
    table = Table(rows, colWidths=[width - 1.3 * inch, 1.3 * inch])
    table.setStyle(
        table_style(
            [
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LINEABOVE", (1, 2), (1, 2), 0.6, RULE),
                ("LINEABOVE", (0, -1), (-1, -1), 1.0, ACCENT),
                ("TOPPADDING", (0, -1), (-1, -1), 5),
            ]
        )
    )
    return table
