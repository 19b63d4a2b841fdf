"""The demo clinic's money: a fee schedule with a price rise, products, registration numbers,
and a year of invoices, payments, missed-visit fees and a few unpaid balances.

Written as bulk rows after the appointments, deterministic from the builder's random source,
with the numbers taken from the invoice counter the services use, so an invoice issued at the
desk in the demo continues the sequence. Amounts follow the billing services' own rules (fee by
date of service, tax per line from ``money.line_tax``).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from frontdesk.billing.fees import tax_rate_on
from frontdesk.billing.money import line_tax
from frontdesk.db.models import (
    Appointment,
    AppointmentType,
    ClinicSettings,
    Fee,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    Payment,
    PaymentAllocation,
    Practitioner,
    Product,
)

GST_NUMBER = "845196372 RT0001"
# type name -> fee in cents before and after the price rise
FEES = {
    "Initial consultation": (11000, 12000),
    "Acupuncture treatment": (8500, 9000),
    "Physiotherapy": (9000, 9500),
    "Trigger point therapy": (6000, 6500),
}
SENIOR_PREMIUM = 1500  # the first acupuncturist charges more for acupuncture
PRODUCTS = (
    ("Wrist brace", 3999, "gst"),
    ("Heat pack", 1495, "gst"),
    ("Resistance band", 1250, "gst"),
)
PROFESSIONS = {
    "acupuncture": ("Registered Acupuncturist", "CAAA"),
    "physiotherapy": ("Physiotherapist", "PA"),
    "chiropractic": ("Chiropractor", "ACAC"),
}
METHODS = (
    ("debit", 45),
    ("credit_card", 30),
    ("cash", 8),
    ("e_transfer", 12),
    ("cheque", 2),
    ("gift_card", 3),
)
NO_SHOW_FEE, LATE_CANCEL_FEE = 4000, 3000
_CHUNK = 5000


def write_billing(
    session: Session, rng: random.Random, today: date, now: datetime, tz: ZoneInfo
) -> int:
    """Write the schedule and a year of invoices; the number of invoices written."""
    rise = today - timedelta(days=120)
    since = today - timedelta(days=3 * 365)
    session.execute(
        update(ClinicSettings)
        .where(ClinicSettings.id == 1)
        .values(
            gst_number=GST_NUMBER,
            no_show_fee_on=True,
            no_show_fee_cents=NO_SHOW_FEE,
            late_cancel_fee_on=True,
            late_cancel_fee_cents=LATE_CANCEL_FEE,
        )
    )
    practitioners = list(session.scalars(select(Practitioner).order_by(Practitioner.id)))
    for p in practitioners:
        profession, college = PROFESSIONS[p.discipline]
        p.profession = profession
        p.registration_number = f"{college}-{1000 + 37 * p.id:04d}"
    types = {t.name: t for t in session.scalars(select(AppointmentType))}
    fee_rows: list[dict[str, Any]] = []
    fees: dict[int, list[tuple[date, int]]] = {}
    for name, (before, after) in FEES.items():
        kind = types.get(name)
        if kind is None:
            continue
        for start, cents in ((since, before), (rise, after)):
            fee_rows.append(
                {
                    "appointment_type_id": kind.id,
                    "practitioner_id": None,
                    "effective_from": start,
                    "amount_cents": cents,
                }
            )
        fees[kind.id] = [(since, before), (rise, after)]
    senior = next((p.id for p in practitioners if p.discipline == "acupuncture"), None)
    acupuncture = types.get("Acupuncture treatment")
    if senior is not None and acupuncture is not None:
        fee_rows.append(
            {
                "appointment_type_id": acupuncture.id,
                "practitioner_id": senior,
                "effective_from": since,
                "amount_cents": FEES["Acupuncture treatment"][0] + SENIOR_PREMIUM,
            }
        )
    session.execute(insert(Fee), fee_rows)
    session.execute(
        insert(Product),
        [{"name": n, "price_cents": c, "tax_code": t, "active": True} for n, c, t in PRODUCTS],
    )
    products = list(session.scalars(select(Product).order_by(Product.id)))
    session.flush()

    def fee(type_id: int, practitioner_id: int, on: date) -> int:
        if (
            senior is not None
            and acupuncture is not None
            and type_id == acupuncture.id
            and practitioner_id == senior
        ):
            return FEES["Acupuncture treatment"][0] + SENIOR_PREMIUM
        return [cents for start, cents in fees[type_id] if start <= on][-1]

    names = {t.id: (t.name, t.tax_code) for t in types.values()}
    year_ago = now - timedelta(days=365)
    visits = session.execute(
        select(
            Appointment.id,
            Appointment.patient_id,
            Appointment.practitioner_id,
            Appointment.appointment_type_id,
            Appointment.start_at,
            Appointment.end_at,
            Appointment.status,
            Appointment.late_cancellation,
        )
        .where(Appointment.start_at >= year_ago, Appointment.start_at < now)
        .where(
            (Appointment.status.in_(("completed", "no_show")))
            | ((Appointment.status == "cancelled") & Appointment.late_cancellation)
        )
        .order_by(Appointment.start_at, Appointment.id)
    ).all()
    number = session.scalar(select(InvoiceCounter.next_number).where(InvoiceCounter.id == 1)) or 1
    invoice_id = (session.scalar(select(Invoice.id).order_by(Invoice.id.desc()).limit(1)) or 0) + 1
    payment_id = (session.scalar(select(Payment.id).order_by(Payment.id.desc()).limit(1)) or 0) + 1
    invoices: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    payments: list[dict[str, Any]] = []
    allocations: list[dict[str, Any]] = []
    written = 0
    rates: dict[tuple[str, date], int] = {}
    method_names = [m for m, _ in METHODS]
    weights = [w for _, w in METHODS]

    def flush() -> None:
        for model, rows in (
            (Invoice, invoices),
            (InvoiceLine, lines),
            (Payment, payments),
            (PaymentAllocation, allocations),
        ):
            if rows:
                session.execute(insert(model), rows)
                rows.clear()

    for v in visits:
        day = v.start_at.astimezone(tz).date()
        type_name, tax_code = names[v.appointment_type_id]
        items: list[tuple[str, int, int, str, int | None]] = []
        if v.status == "completed":
            invoice_kind = "visit"
            minutes = int((v.end_at - v.start_at).total_seconds() // 60)
            items.append(
                (
                    type_name,
                    1,
                    fee(v.appointment_type_id, v.practitioner_id, day),
                    tax_code,
                    minutes,
                )
            )
            if rng.random() < 0.06:
                product = rng.choice(products)
                items.append((product.name, 1, product.price_cents, product.tax_code, None))
        elif v.status == "no_show":
            invoice_kind = "no_show"
            items.append((f"No-show fee: {type_name}", 1, NO_SHOW_FEE, tax_code, None))
        else:
            invoice_kind = "late_cancellation"
            items.append(
                (f"Late cancellation fee: {type_name}", 1, LATE_CANCEL_FEE, tax_code, None)
            )
        issued_at = v.end_at
        subtotal = tax = 0
        for position, (text, qty, unit, code, length) in enumerate(items, start=1):
            if (code, day) not in rates:
                rates[code, day] = tax_rate_on(session, code, day)
            rate = rates[code, day]
            amount = qty * unit
            cents = line_tax(amount, rate)
            subtotal += amount
            tax += cents
            lines.append(
                {
                    "invoice_id": invoice_id,
                    "position": position,
                    "description": text,
                    "duration_minutes": length,
                    "quantity": qty,
                    "unit_price_cents": unit,
                    "amount_cents": amount,
                    "tax_code": code,
                    "tax_basis_points": rate,
                    "tax_cents": cents,
                }
            )
        total = subtotal + tax
        invoices.append(
            {
                "id": invoice_id,
                "number": number,
                "kind": invoice_kind,
                "issued_on": day,
                "issued_at": issued_at,
                "patient_id": v.patient_id,
                "appointment_id": v.id,
                "practitioner_id": v.practitioner_id,
                "service_date": day,
                "subtotal_cents": subtotal,
                "tax_cents": tax,
                "total_cents": total,
                "status": "issued",
                "void_reason": None,
                "voided_at": None,
                "reissue_of_id": None,
            }
        )
        # Most pay at the desk; some split the bill; missed-visit fees and a few visits stay unpaid.
        unpaid = rng.random() < (0.5 if invoice_kind != "visit" else 0.04)
        if not unpaid:
            parts = (
                [total] if rng.random() > 0.07 or total < 200 else [total // 2, total - total // 2]
            )
            for part in parts:
                payments.append(
                    {
                        "id": payment_id,
                        "patient_id": v.patient_id,
                        "received_on": day,
                        "received_at": issued_at,
                        "method": rng.choices(method_names, weights)[0],
                        "amount_cents": part,
                        "reason": "",
                        "refund_of_id": None,
                    }
                )
                allocations.append(
                    {
                        "payment_id": payment_id,
                        "invoice_id": invoice_id,
                        "amount_cents": part,
                        "at": issued_at,
                    }
                )
                payment_id += 1
        invoice_id += 1
        number += 1
        written += 1
        if len(invoices) >= _CHUNK:
            flush()
    flush()
    session.execute(update(InvoiceCounter).where(InvoiceCounter.id == 1).values(next_number=number))
    return written
