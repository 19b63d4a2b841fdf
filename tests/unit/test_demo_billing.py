"""The demo clinic has a year of money: fees with a price rise, invoices numbered without gaps,
payments (some split, some owing) that add up, and receipts that print (issue 17)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from frontdesk.billing import fee_for_visit, patient_balance
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    AppointmentType,
    Invoice,
    InvoiceLine,
    Payment,
    PaymentAllocation,
    Practitioner,
)
from frontdesk.reports import receipt_pdf
from tests.unit.test_billing_receipt import text_of
from tests.unit.test_demo import NOW, TODAY, _build


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = _build(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    yield db
    db.dispose()


def test_a_year_of_invoices_numbered_without_gaps_whose_lines_add_up(demo: Database) -> None:
    with demo.read() as s:
        numbers = list(s.scalars(select(Invoice.number).order_by(Invoice.number)))
        assert len(numbers) > 300
        assert numbers == list(range(1, len(numbers) + 1))
        wrong = s.execute(
            select(Invoice.number)
            .join(InvoiceLine, InvoiceLine.invoice_id == Invoice.id)
            .group_by(Invoice.id, Invoice.number, Invoice.total_cents, Invoice.tax_cents)
            .having(
                (func.sum(InvoiceLine.amount_cents + InvoiceLine.tax_cents) != Invoice.total_cents)
                | (func.sum(InvoiceLine.tax_cents) != Invoice.tax_cents)
            )
        ).all()
        assert wrong == []
        first = s.scalar(select(func.min(Invoice.issued_on)))
        assert first is not None and first >= TODAY - timedelta(days=366)
        kinds = set(s.scalars(select(Invoice.kind).distinct()))
        assert kinds == {"visit", "no_show", "late_cancellation", "sale"}  # sale: packages
        assert s.scalar(select(func.count()).where(InvoiceLine.tax_code == "gst")) > 0
        methods = set(s.scalars(select(Payment.method).distinct()))
        assert {"debit", "credit_card", "cash"} <= methods
        paid = s.scalar(select(func.sum(PaymentAllocation.amount_cents)))
        billed = s.scalar(select(func.sum(Invoice.total_cents)))
        assert paid is not None and billed is not None and 0 < paid < billed  # some still owe


def test_balances_agree_with_the_tables_and_a_receipt_prints(demo: Database) -> None:
    with demo.read() as s:
        owing = s.execute(
            select(Invoice.patient_id, Invoice.id)
            .outerjoin(PaymentAllocation, PaymentAllocation.invoice_id == Invoice.id)
            .where(PaymentAllocation.id.is_(None), Invoice.kind == "visit")
            .limit(1)
        ).one()
        billed = s.scalar(
            select(func.sum(Invoice.total_cents)).where(
                Invoice.patient_id == owing.patient_id, Invoice.status == "issued"
            )
        )
        paid = s.scalar(
            select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(
                Payment.patient_id == owing.patient_id
            )
        )
        registration = s.scalar(
            select(Practitioner.registration_number)
            .join(Invoice, Invoice.practitioner_id == Practitioner.id)
            .where(Invoice.id == owing.id)
        )
    assert patient_balance(demo, owing.patient_id).balance_cents == billed - paid > 0
    text = text_of(receipt_pdf(demo, owing.id, now=NOW))
    assert registration and registration in text
    assert text.startswith("Aspen Ravine") and "Invoice" in text


def test_the_fee_schedule_has_a_price_rise_and_a_senior_rate(demo: Database) -> None:
    with demo.read() as s:
        acupuncture = s.scalar(
            select(AppointmentType.id).where(AppointmentType.name == "Acupuncture treatment")
        )
        acupuncturists = list(
            s.scalars(
                select(Practitioner.id)
                .where(Practitioner.discipline == "acupuncture")
                .order_by(Practitioner.id)
            )
        )
    assert acupuncture is not None
    senior, other = acupuncturists[:2]
    a_year_ago = TODAY - timedelta(days=365)
    assert fee_for_visit(demo, acupuncture, other, a_year_ago) == 8500
    assert fee_for_visit(demo, acupuncture, other, TODAY) == 9000
    assert fee_for_visit(demo, acupuncture, senior, TODAY) == 10000


def test_the_desk_corrections_void_reissue_refund_and_keep_balances_exact(demo: Database) -> None:
    """Voids with their reissue (the money moved over), voids refunded, credit on account and
    refunds of it: every patient's balance from the service equals the tables' own sums."""
    with demo.read() as s:
        voids = s.execute(select(Invoice).where(Invoice.status == "void")).scalars().all()
        assert voids and all(v.void_reason for v in voids)
        reissues = s.execute(
            select(Invoice.id, Invoice.total_cents).where(Invoice.reissue_of_id.is_not(None))
        ).all()
        assert reissues
        for row_id, total in reissues:  # the reissue is paid by what the void one had
            paid = s.scalar(
                select(func.sum(PaymentAllocation.amount_cents)).where(
                    PaymentAllocation.invoice_id == row_id
                )
            )
            assert paid == total
        for v in voids:  # nothing stays applied to a void invoice
            left = s.scalar(
                select(func.coalesce(func.sum(PaymentAllocation.amount_cents), 0)).where(
                    PaymentAllocation.invoice_id == v.id
                )
            )
            assert left == 0
        refunds = s.execute(select(Payment).where(Payment.amount_cents < 0)).scalars().all()
        assert len(refunds) >= 3 and all(r.reason and r.refund_of_id for r in refunds)
        numbers = list(s.scalars(select(Invoice.number).order_by(Invoice.issued_at, Invoice.id)))
        first_void = min(v.number for v in voids)
        patients = sorted({r.patient_id for r in refunds} | {v.patient_id for v in voids})
        sums = {
            pid: (
                s.scalar(
                    select(func.coalesce(func.sum(Invoice.total_cents), 0)).where(
                        Invoice.patient_id == pid, Invoice.status == "issued"
                    )
                )
                or 0,
                s.scalar(
                    select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(
                        Payment.patient_id == pid
                    )
                )
                or 0,
            )
            for pid in patients
        }
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
    # the corrections' numbers follow the order of issue from the first one on
    tail = numbers[numbers.index(first_void) :]
    assert tail == sorted(tail)
    for pid, (billed, paid) in sums.items():
        assert patient_balance(demo, pid).balance_cents == billed - paid
