"""Visits ready to be billed, on the scheduling tests' clinic (tests/unit/test_scheduling_support)."""

from __future__ import annotations

from datetime import date, timedelta

from frontdesk.billing import set_fee
from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, AppointmentType
from tests.unit.test_scheduling_support import MONDAY, Clinic, local

ACUPUNCTURE_FEE = 8500
MASSAGE_FEE = 9500
CONSULT_FEE = 12000


def add_massage_type(db: Database) -> int:
    """A taxable service: massage therapy is not GST-exempt."""
    with db.write() as s:
        row = AppointmentType(name="Massage therapy", duration_minutes=60, tax_code="gst")
        s.add(row)
        s.flush()
        return row.id


def price_list(db: Database, c: Clinic, massage: int) -> None:
    since = date(2020, 1, 1)
    set_fee(db, c.acupuncture, ACUPUNCTURE_FEE, effective_from=since)
    set_fee(db, massage, MASSAGE_FEE, effective_from=since)
    set_fee(db, c.consult, CONSULT_FEE, effective_from=since)


def visit(
    db: Database,
    c: Clinic,
    type_id: int,
    *,
    patient: int | None = None,
    practitioner: int | None = None,
    day: date = MONDAY,
    hour: int = 9,
    status: str = "checked_in",
    late: bool = False,
) -> int:
    with db.write() as s:
        start = local(day, hour)
        row = Appointment(
            patient_id=patient or c.ann,
            practitioner_id=practitioner or c.acu,
            appointment_type_id=type_id,
            start_at=start,
            end_at=start + timedelta(minutes=45),
            status=status,
            cancellation_reason="Patient sick" if status == "cancelled" else None,
            late_cancellation=late,
        )
        s.add(row)
        s.flush()
        return row.id
