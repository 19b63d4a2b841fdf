"""The demo clinic's corrections at the desk, written after its year of invoices: invoices voided
and reissued, visits charged in error voided and refunded, and payments on account (credit),
some of them refunded.

Corrections happen in the last two months, as the desk makes them: a visit is voided a few
days after it was invoiced, its reissue takes the next number that day, and the money already
paid moves from the void invoice to the reissue (the negative and positive allocations
``void_invoice`` and ``apply_credit`` write). Invoice numbers from the first correction on are
then put back in the order of issue, so the sequence stays gap-free and chronological.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from frontdesk.db.models import (
    Appointment,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    Patient,
    Payment,
    PaymentAllocation,
)

REISSUE_REASONS = (
    "Wrong appointment type charged",
    "Billed under the wrong practitioner",
    "Patient's name misspelt on the receipt",
    "Product returned unopened",
)
VOID_REASONS = ("Follow-up was free (clinic's error)", "Visit charged twice")
REFUND_REASONS = ("Moved away; credit returned", "Overpaid by e-transfer", "Changed insurer")
_SHIFT = 1_000_000_000  # numbers parked out of the way while the tail is renumbered


def write_billing_corrections(
    session: Session, rng: random.Random, today: date, now: datetime, tz: ZoneInfo
) -> dict[str, int]:
    """Voids with reissues, voids refunded, credit on account and refunds of it; how many."""
    since = today - timedelta(days=60)
    # Paid visit invoices of the last two months, each paid by one payment, oldest first.
    paid = (
        select(
            PaymentAllocation.invoice_id,
            func.min(PaymentAllocation.payment_id).label("payment_id"),
            func.count().label("parts"),
        )
        .group_by(PaymentAllocation.invoice_id)
        .subquery()
    )
    candidates = session.execute(
        select(
            Invoice.id,
            Invoice.number,
            Invoice.kind,
            Invoice.issued_at,
            Invoice.patient_id,
            Invoice.appointment_id,
            Invoice.practitioner_id,
            Invoice.service_date,
            Invoice.subtotal_cents,
            Invoice.tax_cents,
            Invoice.total_cents,
            paid.c.payment_id,
        )
        .join(paid, paid.c.invoice_id == Invoice.id)
        .where(
            Invoice.kind == "visit",
            Invoice.status == "issued",
            Invoice.issued_on >= since,
            paid.c.parts == 1,
            # Course visits are left to the course packages the demo sells afterwards.
            Invoice.appointment_id.in_(
                select(Appointment.id).where(Appointment.course_id.is_(None))
            ),
        )
        .order_by(Invoice.issued_at, Invoice.id)
    ).all()
    count = {"reissued": 0, "voided_and_refunded": 0, "credits": 0, "refunds": 0}
    if not candidates:
        return count
    picks = sorted(
        rng.sample(range(len(candidates)), min(len(candidates), max(3, len(candidates) // 25))),
    )
    invoice_id = (session.scalar(select(func.max(Invoice.id))) or 0) + 1
    payment_id = (session.scalar(select(func.max(Payment.id))) or 0) + 1
    number = session.scalar(select(InvoiceCounter.next_number).where(InvoiceCounter.id == 1)) or 1
    first_number = None
    new_invoices: list[dict[str, Any]] = []
    new_lines: list[dict[str, Any]] = []
    allocations: list[dict[str, Any]] = []
    refunds: list[dict[str, Any]] = []
    voids: list[dict[str, Any]] = []
    for n, pick in enumerate(picks):
        old = candidates[pick]
        paid_by = old.payment_id
        voided_at = min(old.issued_at + timedelta(days=rng.randint(1, 6)), now - timedelta(hours=1))
        first_number = old.number if first_number is None else min(first_number, old.number)
        refund_instead = n % 3 == 2  # every third one: charged in error, the money given back
        reason = rng.choice(VOID_REASONS if refund_instead else REISSUE_REASONS)
        voids.append({"row_id": old.id, "reason": reason, "at": voided_at})
        allocations.append(
            {
                "payment_id": paid_by,
                "invoice_id": old.id,
                "amount_cents": -old.total_cents,
                "at": voided_at,
            }
        )
        if refund_instead:
            method = session.scalar(select(Payment.method).where(Payment.id == paid_by))
            refunds.append(
                {
                    "id": payment_id,
                    "patient_id": old.patient_id,
                    "received_on": voided_at.astimezone(tz).date(),
                    "received_at": voided_at,
                    "method": method,
                    "amount_cents": -old.total_cents,
                    "reason": f"Charged in error: {reason.lower()}",
                    "refund_of_id": paid_by,
                }
            )
            payment_id += 1
            count["voided_and_refunded"] += 1
            continue
        reissued_at = voided_at + timedelta(minutes=1)
        new_invoices.append(
            {
                "id": invoice_id,
                "number": number,
                "kind": old.kind,
                "issued_on": reissued_at.astimezone(tz).date(),
                "issued_at": reissued_at,
                "patient_id": old.patient_id,
                "appointment_id": old.appointment_id,
                "practitioner_id": old.practitioner_id,
                "service_date": old.service_date,
                "subtotal_cents": old.subtotal_cents,
                "tax_cents": old.tax_cents,
                "total_cents": old.total_cents,
                "status": "issued",
                "void_reason": None,
                "voided_at": None,
                "reissue_of_id": old.id,
            }
        )
        for line in session.scalars(
            select(InvoiceLine)
            .where(InvoiceLine.invoice_id == old.id)
            .order_by(InvoiceLine.position)
        ):
            new_lines.append(
                {
                    "invoice_id": invoice_id,
                    "position": line.position,
                    "description": line.description,
                    "duration_minutes": line.duration_minutes,
                    "quantity": line.quantity,
                    "unit_price_cents": line.unit_price_cents,
                    "amount_cents": line.amount_cents,
                    "tax_code": line.tax_code,
                    "tax_basis_points": line.tax_basis_points,
                    "tax_cents": line.tax_cents,
                }
            )
        allocations.append(
            {
                "payment_id": paid_by,
                "invoice_id": invoice_id,
                "amount_cents": old.total_cents,
                "at": reissued_at,
            }
        )
        invoice_id += 1
        number += 1
        count["reissued"] += 1
    # Credit on account: a few patients pay ahead by e-transfer; some later get part of it back.
    patients = list(session.scalars(select(Patient.id).order_by(Patient.id)))
    for patient in rng.sample(patients, min(len(patients), max(2, len(patients) // 60))):
        received = now - timedelta(days=rng.randint(20, 300), hours=rng.randint(0, 5))
        amount = rng.choice((5000, 10000, 20000))
        refunds.append(
            {
                "id": payment_id,
                "patient_id": patient,
                "received_on": received.astimezone(tz).date(),
                "received_at": received,
                "method": rng.choice(("e_transfer", "cheque", "cash")),
                "amount_cents": amount,
                "reason": "",
                "refund_of_id": None,
            }
        )
        count["credits"] += 1
        if rng.random() < 0.5:
            back = received + timedelta(days=rng.randint(5, 19))
            refunds.append(
                {
                    "id": payment_id + 1,
                    "patient_id": patient,
                    "received_on": back.astimezone(tz).date(),
                    "received_at": back,
                    "method": refunds[-1]["method"],
                    "amount_cents": -rng.choice((amount // 2, amount)),
                    "reason": rng.choice(REFUND_REASONS),
                    "refund_of_id": payment_id,
                }
            )
            payment_id += 1
            count["refunds"] += 1
        payment_id += 1
    # Core statements: the ORM would check every invoice it holds against each update.
    connection = session.connection()
    if voids:
        connection.execute(
            update(Invoice)
            .where(Invoice.id == bindparam("row_id"))
            .values(status="void", void_reason=bindparam("reason"), voided_at=bindparam("at")),
            voids,
        )
    for model, rows in (
        (Invoice, new_invoices),
        (InvoiceLine, new_lines),
        (Payment, refunds),
        (PaymentAllocation, allocations),
    ):
        if rows:
            connection.execute(insert(model), rows)
    connection.execute(
        update(InvoiceCounter).where(InvoiceCounter.id == 1).values(next_number=number)
    )
    if first_number is not None:
        _renumber_from(session, first_number)
    return count


def renumber_in_issue_order(session: Session) -> None:
    """Number every invoice again in order of issue, once the demo has written them all (the
    packages and corrections written after the year's visits were numbered after it)."""
    _renumber_from(session, 1)


def _renumber_from(session: Session, first: int) -> None:
    """Give invoices numbered ``first`` and later their numbers again in order of issue: the
    reissues were numbered after the whole year, though issued among its last weeks."""
    connection = session.connection()
    rows = connection.execute(
        select(Invoice.id).where(Invoice.number >= first).order_by(Invoice.issued_at, Invoice.id)
    ).all()
    connection.execute(
        update(Invoice).where(Invoice.number >= first).values(number=Invoice.number + _SHIFT)
    )
    connection.execute(
        update(Invoice).where(Invoice.id == bindparam("row_id")).values(number=bindparam("n")),
        [{"row_id": row.id, "n": first + i} for i, row in enumerate(rows)],
    )
