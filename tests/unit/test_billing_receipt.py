"""The receipt an insurer reads: registration number, date of service, amounts, patient name,
with its fonts embedded in the PDF (issue 17)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from pypdf import PdfReader
from sqlalchemy import select

from frontdesk.billing import (
    PaymentMethod,
    ProductLine,
    Tender,
    add_product,
    check_out,
    reissue_invoice,
    set_gst_number,
    set_practitioner_registration,
    take_payment,
    void_invoice,
)
from frontdesk.db.engine import Database
from frontdesk.db.models import AuditEvent, ClinicSettings
from frontdesk.reports import receipt_pdf
from tests.unit.billing_support import add_massage_type, price_list, visit
from tests.unit.test_reports_handout import font_names
from tests.unit.test_scheduling_support import Clinic

NOW = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)


def text_of(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def billed_clinic(db: Database, c: Clinic) -> int:
    """A massage visit with a brace, paid half by debit, half by credit card; its invoice id."""
    with db.write() as s:
        settings = s.get(ClinicSettings, 1)
        assert settings is not None
        settings.name = "Riverbend Acupuncture & Physio"
        settings.address = "10230 Jasper Ave NW\nEdmonton AB T5J 4P6"
    set_gst_number(db, "123456789 rt0001")
    set_practitioner_registration(db, c.acu, "Registered Acupuncturist", "CAAA-0412")
    massage = add_massage_type(db)
    price_list(db, c, massage)
    brace = add_product(db, "Wrist brace", 3999)
    invoice = check_out(db, visit(db, c, massage), now=NOW, products=[ProductLine(brace.id)])
    half = invoice.total_cents // 2
    take_payment(
        db,
        c.ann,
        [
            Tender(PaymentMethod.DEBIT, half),
            Tender(PaymentMethod.CREDIT_CARD, invoice.total_cents - half),
        ],
        invoice_id=invoice.id,
        now=NOW,
    )
    return invoice.id


def test_a_receipt_names_everything_an_insurer_checks(db: Database, clinic: Clinic) -> None:
    invoice_id = billed_clinic(db, clinic)
    text = text_of(receipt_pdf(db, invoice_id, now=NOW))
    for expected in (
        "Receipt",
        "Riverbend Acupuncture & Physio",
        "GST registration no. 123456789 RT0001",
        "Ann Smith",
        "Dr Mei Lin",
        "Registered Acupuncturist",
        "Registration no. CAAA-0412",
        "Date of service",
        "2 Mar 2026",
        "Massage therapy",
        "45 min",
        "$95.00",  # the visit before tax
        "$99.75",  # the visit with GST
        "$141.74",  # the total
        "$6.75",  # GST on the invoice
        "Paid by Debit, 2 Mar 2026 -$70.87",
        "Paid by Credit card, 2 Mar 2026 -$70.87",
        "Balance due $0.00",
    ):
        assert expected.lower() in text.lower(), expected


def test_receipt_fonts_are_embedded(db: Database, clinic: Clinic) -> None:
    fonts = font_names(receipt_pdf(db, billed_clinic(db, clinic), now=NOW))
    assert fonts and all(fonts.values()), fonts
    assert not any("Helvetica" in name or "Times" in name for name in fonts)


def test_a_void_invoice_prints_void_and_its_reissue_names_it(db: Database, clinic: Clinic) -> None:
    first = billed_clinic(db, clinic)
    void_invoice(db, first, "Billed the wrong visit type", now=NOW)
    second = reissue_invoice(db, first, now=NOW)
    void_text = text_of(receipt_pdf(db, first, now=NOW))
    assert "VOID: Billed the wrong visit type" in void_text
    assert "reissued as invoice 2" in void_text
    new_text = text_of(receipt_pdf(db, second.id, now=NOW))
    assert "replaces void invoice 1" in new_text
    assert "Balance due $141.74" in new_text  # what was paid went back to the account
    with db.read() as s:  # printing is recorded, like every other print
        assert s.scalar(select(AuditEvent.id).where(AuditEvent.action == "receipt_pdf"))
