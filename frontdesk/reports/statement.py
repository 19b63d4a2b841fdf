"""A patient's yearly statement of paid services, on the clinic's letterhead.

What an insurer or the medical expense tax credit asks for, on one paper: the clinic with its
GST number, the patient, then one row per service with its date, what and how long, the
practitioner with profession and registration number, the amount with GST and what was paid,
and the year's totals.
"""

from __future__ import annotations

from typing import IO

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from frontdesk.billing.money import fmt_money
from frontdesk.billing.statement import StatementData
from frontdesk.reports.flowables import Para
from frontdesk.reports.fonts import SANS_BOLD, markup
from frontdesk.reports.receipt import EXEMPT_NOTE
from frontdesk.reports.styles import (
    ACCENT,
    ACCENT_LIGHT,
    MUTED,
    RULE,
    Styles,
    listing_table,
    table_style,
)
from frontdesk.reports.template import ClinicDocTemplate, Output, write_pdf
from frontdesk.timefmt import fmt_date


def render_statement(data: StatementData, out: Output = None) -> bytes:
    def build(target: IO[bytes]) -> None:
        doc = ClinicDocTemplate(
            target,
            data.clinic,
            title=f"Statement {data.year} for {data.patient_name}",
            running_title=f"Statement {data.year}  \u00b7  {data.patient_name}",
        )
        doc.build_story(statement_story(data, doc.width))

    return write_pdf(build, out)


def _right(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}_right", style, alignment=TA_RIGHT)


def statement_story(data: StatementData, width: float) -> list[Flowable]:
    st = Styles.get()
    head = f"Paid services, 1 January to 31 December {data.year}"
    if data.gst_number:
        head += f"  \u00b7  GST registration no. {markup(data.gst_number)}"
    story: list[Flowable] = [
        Para(f"Statement {data.year}", st.title),
        Para(head, st.subtitle),
        _patient(data, width),
        Spacer(1, 14),
    ]
    if not data.rows:
        story.append(Para(f"No paid services in {data.year}.", st.body))
    else:
        story += [_rows(data, width), Spacer(1, 8), KeepTogether(_totals(data, width))]
    notes = [
        "Each row is one invoice, issued and paid; its receipt is available on request. "
        "Missed-appointment fees are not included.",
    ]
    if any(r.tax_cents == 0 for r in data.rows):
        notes.append(EXEMPT_NOTE)
    notes.append(
        f"Printed {fmt_date(data.printed_at.date())}. Keep this statement with your "
        "insurance claims and your income tax records."
    )
    story.append(Spacer(1, 16))
    story += [Para(n, st.small) for n in notes]
    return story


def _patient(data: StatementData, width: float) -> Table:
    st = Styles.get()
    who = [
        Para("PATIENT", st.label),
        Para(markup(data.patient_name), st.value),
        Para(f"Date of birth {fmt_date(data.patient_birth_date)}  \u00b7  {data.chart}", st.body),
    ]
    who += [Para(markup(line), st.body) for line in data.patient_address.splitlines() if line]
    year = [
        Para("TOTAL PAID", st.label),
        Para(fmt_money(data.paid_cents), st.value),
        Para(f"{len(data.rows)} service{'s' if len(data.rows) != 1 else ''}", st.body),
    ]
    table = Table([[who, year]], colWidths=[width * 0.7, width * 0.3])
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, -1), ACCENT_LIGHT),
                ("LEFTPADDING", (0, 0), (-1, -1), 9),
                ("TOPPADDING", (0, 0), (-1, -1), 7),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ("LINEAFTER", (0, 0), (0, 0), 0.6, colors.white),
            ]
        )
    )
    return table


def _rows(data: StatementData, width: float) -> Table:
    st = Styles.get()
    right_head, right = _right(st.cell_head), _right(st.cell)
    muted = MUTED.hexval()
    heads = ("Date", "Service", "Practitioner", "GST", "Amount", "Paid")
    rows: list[list[object]] = [
        [Para(h, right_head if i >= 3 else st.cell_head) for i, h in enumerate(heads)]
    ]
    for r in data.rows:
        service = "<br/>".join(markup(s) for s in r.services)
        service += f"<br/><font color='{muted}'>Invoice {r.invoice_number}</font>"
        who = markup(r.practitioner_name) if r.practitioner_name else "\u2013"
        if r.profession:
            who += f"<br/><font color='{muted}'>{markup(r.profession)}</font>"
        if r.practitioner_name:
            number = markup(r.registration_number) if r.registration_number else "not on file"
            who += f"<br/>Reg. no. <b>{number}</b>"
        paid = fmt_money(r.paid_cents)
        if r.paid_how:
            paid += f"<br/><font color='{muted}' size='7.5'>{markup(r.paid_how)}</font>"
        rows.append(
            [
                Para(fmt_date(r.service_date), st.cell),
                Para(service, st.cell),
                Para(who, st.cell),
                Para(fmt_money(r.tax_cents) if r.tax_cents else "exempt", right),
                Para(fmt_money(r.total_cents), right),
                Para(paid, right),
            ]
        )
    fixed = [0.95 * inch, 1.75 * inch, 0.7 * inch, 0.75 * inch, 1.4 * inch]
    widths = [fixed[0], width - sum(fixed), *fixed[1:]]
    return listing_table(rows, widths, valign="TOP", padding=5)


def _totals(data: StatementData, width: float) -> Table:
    st = Styles.get()
    label, amount = _right(st.body), _right(st.body)
    bold = ParagraphStyle("statement_total", amount, fontName=SANS_BOLD)
    rows: list[list[object]] = [
        [Para("Services, with GST", label), Para(fmt_money(data.total_cents), amount)],
        [Para("of which GST", label), Para(fmt_money(data.tax_cents), amount)],
        [Para("<b>Total paid</b>", label), Para(fmt_money(data.paid_cents), bold)],
    ]
    table = Table(rows, colWidths=[width - 1.3 * inch, 1.3 * inch])
    table.setStyle(
        table_style(
            [
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LINEABOVE", (1, 1), (1, 1), 0.6, RULE),
                ("LINEABOVE", (0, -1), (-1, -1), 1.0, ACCENT),
                ("TOPPADDING", (0, -1), (-1, -1), 5),
            ]
        )
    )
    return table
