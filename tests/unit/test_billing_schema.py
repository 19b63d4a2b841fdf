"""Migration 0007: the money tables start with GST 5%, an exempt code and invoice number 1."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from frontdesk.db.engine import Database
from frontdesk.db.models import AppointmentType, InvoiceCounter, Payment, TaxRate
from tests.unit.test_scheduling_support import add_patient


def test_a_new_database_has_gst_exempt_and_the_first_invoice_number(db: Database) -> None:
    with db.read() as s:
        rates = {(r.tax_code, r.effective_from, r.basis_points) for r in s.scalars(select(TaxRate))}
        assert rates == {("gst", date(2008, 1, 1), 500), ("exempt", date(2008, 1, 1), 0)}
        counter = s.get(InvoiceCounter, 1)
        assert counter is not None and counter.next_number == 1
        assert set(s.scalars(select(AppointmentType.tax_code))) == {"exempt"}


def test_a_refund_without_a_reason_is_refused_by_the_database(db: Database) -> None:
    with db.write() as s:
        patient = add_patient(s, "Ann", "Smith")
    with pytest.raises(IntegrityError), db.write() as s:
        s.add(
            Payment(
                patient_id=patient,
                received_on=date(2026, 3, 2),
                received_at=datetime(2026, 3, 2, 17, tzinfo=UTC),
                method="cash",
                amount_cents=-500,
                reason="",
            )
        )
