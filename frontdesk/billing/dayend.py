"""Day-end: the day sheet for the money, and closing the day.

``money_day_sheet`` lists every payment and refund dated on a clinic day and every invoice
voided that day, with totals by method and by practitioner. Its net total is the sum of the
``payments`` rows dated that day, so the sheet reconciles with the table by construction, and
the figures by practitioner add up to the same net: a payment counts for the practitioners of
the invoices it paid by the end of that day, and what it left on the patient's account (less
the day's refunds, which give back credit) shows as "On account".

``close_day`` records that the day's money is final; from then on ``closing.money_day``
refuses any payment, refund, credit or void dated that day. The PDF and the CSV are both built
from the one ``MoneyDaySheet`` this module returns.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.accounts.operation import operation
from frontdesk.billing.closing import closed_on
from frontdesk.billing.money import amount_text
from frontdesk.billing.types import PaymentMethod
from frontdesk.clinic import ClinicInfo, clinic_today, load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Invoice,
    InvoiceCounter,
    MoneyDayClose,
    Patient,
    Payment,
    PaymentAllocation,
    Practitioner,
)
from frontdesk.domain import InvalidTransition, ValidationError
from frontdesk.names import display_name
from frontdesk.patients.chart import chart_number
from frontdesk.scheduling.localtime import to_local
from frontdesk.timefmt import fmt_date, fmt_time

ON_ACCOUNT = "On account"
NO_PRACTITIONER = "Sales without a practitioner"


@dataclass(frozen=True)
class MoneyEntry:
    """One payment (amount above zero) or refund (below zero) dated on the day."""

    payment_id: int
    at: datetime  # clinic time
    patient_id: int
    patient_name: str
    method: str  # a PaymentMethod label
    amount_cents: int
    paid_for: str  # "Invoice 12 (Dr Mei Lin)", or what a refund gives back
    reason: str


@dataclass(frozen=True)
class VoidEntry:
    invoice_id: int
    number: int
    at: datetime  # clinic time of the void
    patient_id: int
    patient_name: str
    practitioner: str
    service_date: date | None
    total_cents: int
    reason: str


@dataclass(frozen=True)
class MethodTotal:
    method: str  # a PaymentMethod label
    count: int
    received_cents: int
    refunded_cents: int  # a positive number

    @property
    def net_cents(self) -> int:
        return self.received_cents - self.refunded_cents


@dataclass(frozen=True)
class MoneyDaySheet:
    clinic: ClinicInfo
    day: date
    payments: tuple[MoneyEntry, ...]
    refunds: tuple[MoneyEntry, ...]
    voids: tuple[VoidEntry, ...]
    by_method: tuple[MethodTotal, ...]  # every method used that day, in the usual order
    by_practitioner: tuple[tuple[str, int], ...]  # (name, net cents); adds up to net_cents
    received_cents: int
    refunded_cents: int  # a positive number
    closed_at: datetime | None  # clinic time
    closed_by: str
    printed_at: datetime  # clinic time

    @property
    def net_cents(self) -> int:
        return self.received_cents - self.refunded_cents

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


def _day_bounds(day: date, clinic: ClinicInfo) -> tuple[datetime, datetime]:
    """The day's first and next day's first instant, in UTC."""
    tz = clinic.tz
    start = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    return start, end


def _load(s: Session, day: date, now: datetime) -> MoneyDaySheet:
    clinic = load_clinic(s)
    tz = clinic.tz
    start, end = _day_bounds(day, clinic)
    practitioners = {p.id: p.display_name for p in s.scalars(select(Practitioner))}
    rows = s.execute(
        select(Payment, Patient.given_name, Patient.family_name)
        .join(Patient, Patient.id == Payment.patient_id)
        .where(Payment.received_on == day)
        .order_by(Payment.received_at, Payment.id)
    ).all()
    ids = [p.id for p, _g, _f in rows]
    # What each of the day's payments paid by the end of the day (a void that day takes it
    # back with a negative allocation); later allocations belong to later days' work.
    paid: dict[int, dict[tuple[int, int | None], int]] = defaultdict(lambda: defaultdict(int))
    numbers: dict[int, int] = {}
    for payment_id, invoice_id, number, practitioner_id, cents in s.execute(
        select(
            PaymentAllocation.payment_id,
            Invoice.id,
            Invoice.number,
            Invoice.practitioner_id,
            PaymentAllocation.amount_cents,
        )
        .join(Invoice, Invoice.id == PaymentAllocation.invoice_id)
        .where(PaymentAllocation.payment_id.in_(ids), PaymentAllocation.at < end)
    ):
        paid[payment_id][(invoice_id, practitioner_id)] += cents
        numbers[invoice_id] = number

    refunded = {
        row_id: (received_on, method)
        for row_id, received_on, method in s.execute(
            select(Payment.id, Payment.received_on, Payment.method).where(
                Payment.id.in_([p.refund_of_id for p, _g, _f in rows if p.refund_of_id])
            )
        )
    }
    payments: list[MoneyEntry] = []
    refunds: list[MoneyEntry] = []
    by_practitioner: dict[str, int] = defaultdict(int)
    methods: dict[str, list[int]] = {}
    for payment, given, family in rows:
        label = PaymentMethod(payment.method).label
        tally = methods.setdefault(payment.method, [0, 0, 0])
        name = display_name(given, family)
        if payment.amount_cents > 0:
            tally[0] += 1
            tally[1] += payment.amount_cents
            parts, applied = [], 0
            for (invoice_id, practitioner_id), cents in sorted(paid[payment.id].items()):
                if cents == 0:  # paid, then voided the same day: the money is on account
                    parts.append(f"Invoice {numbers[invoice_id]} (voided)")
                    continue
                who = practitioners.get(practitioner_id or 0, NO_PRACTITIONER)
                by_practitioner[who] += cents
                applied += cents
                parts.append(f"Invoice {numbers[invoice_id]} ({who})")
            rest = payment.amount_cents - applied
            if rest:
                by_practitioner[ON_ACCOUNT] += rest
                parts.append("on account" if parts else "On account")
                if applied:
                    parts[-1] += f" {amount_text(rest)}"
            paid_for = ", ".join(parts)
            target = payments
        else:
            tally[2] += -payment.amount_cents
            by_practitioner[ON_ACCOUNT] += payment.amount_cents
            paid_for = "Refund"
            if payment.refund_of_id in refunded:
                on, how = refunded[payment.refund_of_id]
                paid_for = (
                    f"Refund of the {PaymentMethod(how).label.lower()} payment of {fmt_date(on)}"
                )

            target = refunds
        target.append(
            MoneyEntry(
                payment.id,
                to_local(payment.received_at, tz),
                payment.patient_id,
                name,
                label,
                payment.amount_cents,
                paid_for,
                payment.reason,
            )
        )

    voids = []
    for invoice, given, family in s.execute(
        select(Invoice, Patient.given_name, Patient.family_name)
        .join(Patient, Patient.id == Invoice.patient_id)
        .where(Invoice.status == "void", Invoice.voided_at >= start, Invoice.voided_at < end)
        .order_by(Invoice.voided_at, Invoice.number)
    ):
        assert invoice.voided_at is not None
        voids.append(
            VoidEntry(
                invoice.id,
                invoice.number,
                to_local(invoice.voided_at, tz),
                invoice.patient_id,
                display_name(given, family),
                practitioners.get(invoice.practitioner_id or 0, ""),
                invoice.service_date,
                invoice.total_cents,
                invoice.void_reason or "",
            )
        )

    order = list(PaymentMethod)
    by_method = tuple(
        MethodTotal(PaymentMethod(m).label, count, received, refunded)
        for m, (count, received, refunded) in sorted(
            methods.items(), key=lambda item: order.index(PaymentMethod(item[0]))
        )
    )
    named = sorted((k, v) for k, v in by_practitioner.items() if k not in (ON_ACCOUNT,) and v)
    if by_practitioner.get(ON_ACCOUNT):
        named.append((ON_ACCOUNT, by_practitioner[ON_ACCOUNT]))
    close = closed_on(s, day)
    return MoneyDaySheet(
        clinic=clinic,
        day=day,
        payments=tuple(payments),
        refunds=tuple(refunds),
        voids=tuple(voids),
        by_method=by_method,
        by_practitioner=tuple(named),
        received_cents=sum(m.received_cents for m in by_method),
        refunded_cents=sum(m.refunded_cents for m in by_method),
        closed_at=to_local(close.closed_at, tz) if close else None,
        closed_by=close.closed_by if close else "",
        printed_at=to_local(now, tz),
    )


@operation("money_day_sheet", access="open", entity="money_day_closes")
def money_day_sheet(db: Database, day: date, *, now: datetime) -> MoneyDaySheet:
    """Every payment, refund and void of the clinic day ``day``, with its totals."""
    with db.read() as s:
        return _load(s, day, now)


@operation("close_money_day")
def close_money_day(db: Database, day: date, *, now: datetime) -> MoneyDaySheet:
    """Make the day's money final: from now on nothing can be paid, refunded, applied or voided
    with that day's date. A day still to come cannot be closed (its money is not in yet)."""
    actor = db.actor
    with db.write() as s:
        # The same lock the money writers share (``closing.money_day``), taken exclusively:
        # a payment being written from another desk finishes first, or waits and is refused.
        s.scalar(select(InvoiceCounter.id).where(InvoiceCounter.id == 1).with_for_update())
        clinic = load_clinic(s)
        if day > clinic_today(now, clinic.tz):
            raise ValidationError.single(
                "day", f"{fmt_date(day)} has not come yet; a day is closed at its end."
            )
        close = closed_on(s, day)
        if close is not None:
            raise InvalidTransition(
                f"The money for {fmt_date(day)} was already closed at "
                f"{fmt_time(close.closed_at, clinic.tz)} by {close.closed_by}."
            )
        sheet = _load(s, day, now)
        s.add(
            MoneyDayClose(
                day=day,
                closed_at=now,
                closed_by=actor.display_name if actor else "Frontdesk",
                payment_count=len(sheet.payments) + len(sheet.refunds),
                net_cents=sheet.net_cents,
            )
        )
        s.flush()
        return _load(s, day, now)


CSV_COLUMNS = (
    "Entry",
    "Date",
    "Time",
    "Chart",
    "Patient",
    "Method",
    "Amount",
    "Paid for / practitioner",
    "Reason",
)


def money_day_csv(sheet: MoneyDaySheet) -> str:
    """The day sheet as CSV text: one row per payment, refund and void, then the totals by
    method and by practitioner (amounts in dollars with two decimals, refunds negative)."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(CSV_COLUMNS)
    day = sheet.day.isoformat()
    for kind, entries in (("Payment", sheet.payments), ("Refund", sheet.refunds)):
        for e in entries:
            w.writerow(
                [
                    kind,
                    day,
                    e.at.strftime("%H:%M"),
                    chart_number(e.patient_id),
                    e.patient_name,
                    e.method,
                    amount_text(e.amount_cents),
                    e.paid_for,
                    e.reason,
                ]
            )
    for v in sheet.voids:
        w.writerow(
            [
                f"Void of invoice {v.number}",
                day,
                v.at.strftime("%H:%M"),
                chart_number(v.patient_id),
                v.patient_name,
                "",
                amount_text(v.total_cents),
                v.practitioner,
                v.reason,
            ]
        )
    w.writerow([])
    w.writerow(["Total by method", day, "", "", "", "Method", "Net", "Received", "Refunded"])
    for m in sheet.by_method:
        w.writerow(
            [
                "Total by method",
                day,
                "",
                "",
                "",
                m.method,
                amount_text(m.net_cents),
                amount_text(m.received_cents),
                amount_text(m.refunded_cents),
            ]
        )
    for name, cents in sheet.by_practitioner:
        w.writerow(["Total by practitioner", day, "", "", "", "", amount_text(cents), name, ""])
    w.writerow(["Net total", day, "", "", "", "", amount_text(sheet.net_cents), "", ""])
    return out.getvalue()
