"""The day sheet for the money: what the desk counts and signs at closing.

First what the till should hold, by method (received, refunded, net), and the same net split
by practitioner; then every payment, refund and void of the day. A closed day says who closed
it and when; an open one leaves lines under the totals for counting and signing.
"""

from __future__ import annotations

from typing import IO

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from frontdesk.billing.dayend import MoneyDaySheet, MoneyEntry
from frontdesk.billing.money import fmt_money
from frontdesk.patients.chart import chart_number
from frontdesk.reports.blocks import section_heading
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
from frontdesk.timefmt import fmt_date, fmt_long_date, fmt_time

MONEY_W = 0.95 * inch


def render_money_sheet(sheet: MoneyDaySheet, out: Output = None) -> bytes:
    def build(target: IO[bytes]) -> None:
        doc = ClinicDocTemplate(
            target,
            sheet.clinic,
            title=f"Day sheet (money) \u2013 {fmt_date(sheet.day)}",
            running_title=f"Day sheet (money)  \u00b7  {fmt_long_date(sheet.day)}",
            letterhead=False,
        )
        doc.build_story(money_sheet_story(sheet, doc.width))

    return write_pdf(build, out)


def _right(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}_right", style, alignment=TA_RIGHT)


def money_sheet_story(sheet: MoneyDaySheet, width: float) -> list[Flowable]:
    st = Styles.get()
    count = len(sheet.payments)
    summary = (
        f"{count} payment{'s' if count != 1 else ''}"
        f"  \u00b7  {len(sheet.refunds)} refund{'s' if len(sheet.refunds) != 1 else ''}"
        f"  \u00b7  {len(sheet.voids)} void{'s' if len(sheet.voids) != 1 else ''}"
        f"  \u00b7  printed {fmt_date(sheet.printed_at.date())} at {fmt_time(sheet.printed_at)}"
    )
    story: list[Flowable] = [
        Para(f"Day sheet (money): {fmt_long_date(sheet.day)}", st.title),
        Para(summary, st.subtitle),
        _status(sheet, width),
        Spacer(1, 12),
    ]
    totals = Table(
        [[_by_method(sheet, width * 0.57), _by_practitioner(sheet, width * 0.39)]],
        colWidths=[width * 0.61, width * 0.39],
    )
    totals.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story.append(totals)
    if not sheet.closed:  # counted and signed beside the figures it checks
        story.append(_sign_off(width))
    story += section_heading("Payments")
    story.append(_entries(sheet.payments, width, "No payments were taken this day."))
    story += section_heading("Refunds")
    story.append(_entries(sheet.refunds, width, "No refunds were given this day."))
    story += section_heading("Voided invoices")
    story.append(_voids(sheet, width))
    story.append(Spacer(1, 10))
    story.append(
        Para(
            "Net total = payments received less refunds given, the sum of every payment row "
            "dated this day. By practitioner: what each payment paid on that practitioner's "
            "invoices by the end of the day; money not applied to a visit is on account. "
            "A void gives the invoice's payments back to the patient's account: it moves no "
            "money and is listed for the record.",
            st.small,
        )
    )
    return story


def _status(sheet: MoneyDaySheet, width: float) -> Table:
    st = Styles.get()
    if sheet.closed_at is not None:
        text = (
            f"<b>Closed</b> {fmt_date(sheet.closed_at.date())} at {fmt_time(sheet.closed_at)} "
            f"by {markup(sheet.closed_by)}. These figures are final; a later correction is "
            "entered on the day it is made."
        )
        back, edge = ACCENT_LIGHT, ACCENT
    else:
        text = (
            "<b>Not closed.</b> Payments can still be added to this day; "
            "close the day once the till is counted."
        )
        back, edge = WARN_LIGHT, WARN
    banner = Table([[Para(text, st.warn)]], colWidths=[width])
    banner.setStyle(
        table_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), back),
                ("BOX", (0, 0), (-1, -1), 0.8, edge),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return banner


def _by_method(sheet: MoneyDaySheet, width: float) -> Table:
    st = Styles.get()
    right_head, right = _right(st.cell_head), _right(st.cell)
    bold = ParagraphStyle("money_bold", right, fontName=SANS_BOLD)
    head: list[object] = [Para("By method", st.cell_head)]
    head += [Para(h, right_head) for h in ("Count", "Received", "Refunded", "Net")]
    rows: list[list[object]] = [head]
    for m in sheet.by_method:
        rows.append(
            [
                Para(m.method, st.cell),
                Para(str(m.count), right),
                Para(fmt_money(m.received_cents), right),
                Para(fmt_money(-m.refunded_cents) if m.refunded_cents else "\u2013", right),
                Para(fmt_money(m.net_cents), bold),
            ]
        )
    rows.append(
        [
            Para("<b>Total</b>", st.cell),
            Para(f"<b>{len(sheet.payments)}</b>", right),
            Para(f"<b>{fmt_money(sheet.received_cents)}</b>", right),
            Para(f"<b>{fmt_money(-sheet.refunded_cents)}</b>", right),
            Para(fmt_money(sheet.net_cents), bold),
        ]
    )
    fixed = [0.55 * inch, 0.8 * inch, 0.85 * inch, 0.8 * inch]
    return listing_table(
        rows,
        [width - sum(fixed), *fixed],
        commands=[("LINEABOVE", (0, -1), (-1, -1), 1.0, ACCENT)],
    )


def _by_practitioner(sheet: MoneyDaySheet, width: float) -> Table:
    st = Styles.get()
    right = _right(st.cell)
    rows: list[list[object]] = [
        [Para("By practitioner", st.cell_head), Para("Net", _right(st.cell_head))]
    ]
    for name, cents in sheet.by_practitioner:
        rows.append([Para(markup(name), st.cell), Para(fmt_money(cents), right)])
    rows.append(
        [
            Para("<b>Total</b>", st.cell),
            Para(f"<b>{fmt_money(sum(c for _n, c in sheet.by_practitioner))}</b>", right),
        ]
    )
    return listing_table(
        rows,
        [width - MONEY_W, MONEY_W],
        commands=[("LINEABOVE", (0, -1), (-1, -1), 1.0, ACCENT)],
    )


def _entries(entries: tuple[MoneyEntry, ...], width: float, empty: str) -> Flowable:
    st = Styles.get()
    if not entries:
        return Para(empty, st.italic)
    right_head, right = _right(st.cell_head), _right(st.cell)
    heads = ("Time", "Patient", "Method", "Paid for", "Amount")
    rows: list[list[object]] = [
        [Para(h, right_head if h == "Amount" else st.cell_head) for h in heads]
    ]
    for e in entries:
        what = markup(e.paid_for)
        if e.reason:
            what += f"<br/><font color='{MUTED.hexval()}'>Reason: {markup(e.reason)}</font>"
        rows.append(
            [
                Para(fmt_time(e.at), st.cell),
                Para(
                    f"{markup(e.patient_name)}<br/><font color='{MUTED.hexval()}'>"
                    f"{chart_number(e.patient_id)}</font>",
                    st.cell,
                ),
                Para(e.method, st.cell),
                Para(what, st.cell),
                Para(fmt_money(e.amount_cents), right),
            ]
        )
    fixed = [0.55 * inch, 1.7 * inch, 0.95 * inch, MONEY_W]
    widths = [*fixed[:3], width - sum(fixed), MONEY_W]
    return listing_table(rows, widths, valign="TOP")


def _voids(sheet: MoneyDaySheet, width: float) -> Flowable:
    st = Styles.get()
    if not sheet.voids:
        return Para("No invoices were voided this day.", st.italic)
    right_head, right = _right(st.cell_head), _right(st.cell)
    heads = ("Time", "Invoice", "Patient", "Service", "Reason", "Amount")
    rows: list[list[object]] = [
        [Para(h, right_head if h == "Amount" else st.cell_head) for h in heads]
    ]
    for v in sheet.voids:
        service = fmt_date(v.service_date) if v.service_date else ""
        if v.practitioner:
            service += f"<br/><font color='{MUTED.hexval()}'>{markup(v.practitioner)}</font>"
        rows.append(
            [
                Para(fmt_time(v.at), st.cell),
                Para(str(v.number), st.cell),
                Para(markup(v.patient_name), st.cell),
                Para(service, st.cell),
                Para(markup(v.reason), st.cell),
                Para(fmt_money(v.total_cents), right),
            ]
        )
    fixed = [0.55 * inch, 0.75 * inch, 1.45 * inch, 1.3 * inch, MONEY_W]
    widths = [*fixed[:4], width - sum(fixed), MONEY_W]
    return listing_table(rows, widths, valign="TOP")


def _sign_off(width: float) -> Flowable:
    st = Styles.get()
    cells = [
        [Para("Cash counted", st.label), Para("Card terminal total", st.label)],
        [Para("Counted by", st.label), Para("Checked by", st.label)],
    ]
    table = Table(cells, colWidths=[width / 2, width / 2], rowHeights=[30, 30])
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (0, 0), (0, -1), 0.6, RULE),
                ("LINEBELOW", (1, 0), (1, -1), 0.6, RULE),
                ("RIGHTPADDING", (0, 0), (0, -1), 18),
            ]
        )
    )
    return KeepTogether([Spacer(1, 6), table, Spacer(1, 4)])
