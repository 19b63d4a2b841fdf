"""The demo's day-end corrections: a few waived missed-visit fees and refunded credit, so the
day sheet for the money has voids and refunds to show (issue 17, item 6).

Written after the year of billing (``frontdesk.demo.billing``) with its own random source, so
the rest of the demo is unchanged. Each correction keeps the books exact: only fees nobody
paid are voided (no money moves), and a refund gives back a payment made on account that
paid no invoice, so every balance stays the invoices issued less the money kept.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, insert, select, update
from sqlalchemy.orm import Session, aliased

from frontdesk.db.models import Appointment, CoursePackage, Invoice, Payment, PaymentAllocation

WAIVED = (
    "Fee waived: the patient was in hospital that day",
    "Fee waived: road closures in the snowstorm",
    "Fee waived: first missed visit, as the clinic's policy allows",
    "Fee waived: the clinic rescheduled without notice",
)
REFUND_REASONS = (
    "Moved out of town; unused credit returned",
    "Overpaid at the desk; difference returned",
    "Insurer paid the clinic directly; deposit returned",
)
VOIDS, REFUNDS = 8, 6


def _at(day: date, hour: int, minute: int, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz).astimezone(ZoneInfo("UTC"))


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def write_corrections(session: Session, today: date, tz: ZoneInfo) -> tuple[int, int]:
    """Void a few unpaid missed-visit fees and refund a few payments on account; the numbers
    of voids and refunds written."""
    rng = random.Random(today.toordinal())
    unpaid = ~exists().where(PaymentAllocation.invoice_id == Invoice.id)
    # Patients owing for a visit keep every invoice as issued (their balance is a plain sum).
    visit = aliased(Invoice)
    owing_visit = select(visit.patient_id).where(
        visit.kind == "visit", ~exists().where(PaymentAllocation.invoice_id == visit.id)
    )
    fees = list(
        session.execute(
            select(Invoice.id, Invoice.issued_on)
            .where(
                Invoice.kind.in_(("no_show", "late_cancellation")),
                Invoice.status == "issued",
                Invoice.issued_on < today - timedelta(days=7),
                unpaid,
                Invoice.patient_id.not_in(owing_visit),
            )
            .order_by(Invoice.id)
        )
    )
    voids = 0
    for invoice_id, issued_on in rng.sample(fees, min(VOIDS, len(fees))):
        day = _weekday(issued_on + timedelta(days=rng.randint(1, 5)))
        if day >= today:
            continue
        session.execute(
            update(Invoice)
            .where(Invoice.id == invoice_id)
            .values(
                status="void",
                void_reason=rng.choice(WAIVED),
                voided_at=_at(day, 16, rng.choice((5, 20, 35, 50)), tz),
            )
        )
        voids += 1

    patients = list(
        session.scalars(
            select(Appointment.patient_id)
            .where(
                Appointment.status == "completed",
                # Patients with a course package keep only the package's own money story.
                Appointment.patient_id.not_in(select(CoursePackage.patient_id)),
            )
            .distinct()
            .order_by(Appointment.patient_id)
            .limit(400)
        )
    )
    refunds = 0
    for patient_id in rng.sample(patients, min(REFUNDS, len(patients))):
        paid_on = _weekday(today - timedelta(days=rng.randint(30, 250)))
        back_on = _weekday(paid_on + timedelta(days=rng.randint(7, 21)))
        if back_on >= today:
            continue
        method = rng.choice(("cash", "debit", "cheque", "credit_card"))
        cents = rng.choice((5000, 10000, 20000))
        payment_id = session.execute(
            insert(Payment)
            .values(
                patient_id=patient_id,
                received_on=paid_on,
                received_at=_at(paid_on, 10, 15, tz),
                method=method,
                amount_cents=cents,
                reason="",
            )
            .returning(Payment.id)
        ).scalar_one()
        session.execute(
            insert(Payment).values(
                patient_id=patient_id,
                received_on=back_on,
                received_at=_at(back_on, 15, 40, tz),
                method=method,
                amount_cents=-cents,
                reason=rng.choice(REFUND_REASONS),
                refund_of_id=payment_id,
            )
        )
        refunds += 1
    session.flush()
    return voids, refunds
