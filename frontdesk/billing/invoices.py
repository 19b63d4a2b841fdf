"""Invoices: issued at check-out or for a missed visit, never edited, voided and reissued.

Each invoice takes the next number from the one ``invoice_counter`` row, locked in the same
transaction (``BEGIN IMMEDIATE`` on SQLite, ``SELECT … FOR UPDATE`` on PostgreSQL): numbers run
without gaps or duplicates whatever the number of desks, because an invoice that fails rolls its
number back with it. Tax is computed per line from the rate on the date of service.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.accounts.operation import by_appointment, operation, via
from frontdesk.billing.closing import money_day
from frontdesk.billing.fees import fee_on, tax_rate_on
from frontdesk.billing.money import line_tax
from frontdesk.billing.types import (
    AllocationView,
    InvoiceView,
    LineInput,
    LineView,
    PaymentMethod,
    ProductLine,
    Tender,
)
from frontdesk.clinic import load_clinic
from frontdesk.course_packages import Cover, session_cover
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Appointment,
    AppointmentType,
    ClinicSettings,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    PackageDraw,
    Payment,
    PaymentAllocation,
    Product,
)
from frontdesk.domain import AppointmentStatus, InvalidTransition, NotFound, ValidationError
from frontdesk.scheduling.localtime import to_local
from frontdesk.scheduling.status import complete

by_invoice = via(Invoice, "invoice_id")


@dataclass(frozen=True)
class _Line:
    description: str
    quantity: int
    unit_price_cents: int
    tax_code: str
    duration_minutes: int | None = None


# ----- building blocks ---------------------------------------------------------------------------


def next_invoice_number(s: Session) -> int:
    """Take the next number; the counter row stays locked until this transaction ends."""
    counter = s.scalar(select(InvoiceCounter).where(InvoiceCounter.id == 1).with_for_update())
    if counter is None:
        raise NotFound("The invoice counter is missing; open the database with Frontdesk first.")
    number = counter.next_number
    counter.next_number = number + 1
    return number


def _priced(s: Session, lines: Sequence[_Line], service_date: date) -> list[InvoiceLine]:
    """The lines with the tax rate of the day of service, each line's tax rounded half-up."""
    if not lines:
        raise ValidationError.single("lines", "An invoice needs at least one line.")
    rows = []
    for position, line in enumerate(lines, start=1):
        if line.quantity < 1:
            raise ValidationError.single("quantity", "A quantity is 1 or more.")
        if line.unit_price_cents < 0:
            raise ValidationError.single("unit_price_cents", "A price is zero or more.")
        if not line.description.strip():
            raise ValidationError.single("description", "Each line needs a description.")
        rate = tax_rate_on(s, line.tax_code, service_date)
        amount = line.quantity * line.unit_price_cents
        rows.append(
            InvoiceLine(
                position=position,
                description=line.description.strip()[:200],
                duration_minutes=line.duration_minutes,
                quantity=line.quantity,
                unit_price_cents=line.unit_price_cents,
                amount_cents=amount,
                tax_code=line.tax_code,
                tax_basis_points=rate,
                tax_cents=line_tax(amount, rate),
            )
        )
    return rows


def _issue(
    s: Session,
    *,
    kind: str,
    patient_id: int,
    lines: Sequence[_Line],
    service_date: date,
    now: datetime,
    appointment_id: int | None = None,
    practitioner_id: int | None = None,
    reissue_of_id: int | None = None,
) -> Invoice:
    rows = _priced(s, lines, service_date)
    tz = load_clinic(s).tz
    subtotal = sum(r.amount_cents for r in rows)
    tax = sum(r.tax_cents for r in rows)
    invoice = Invoice(
        number=next_invoice_number(s),
        kind=kind,
        issued_on=to_local(now, tz).date(),
        issued_at=now,
        patient_id=patient_id,
        appointment_id=appointment_id,
        practitioner_id=practitioner_id,
        service_date=service_date,
        subtotal_cents=subtotal,
        tax_cents=tax,
        total_cents=subtotal + tax,
        status="issued",
        reissue_of_id=reissue_of_id,
        lines=rows,
    )
    s.add(invoice)
    s.flush()
    return invoice


def _visit(s: Session, appointment_id: int) -> tuple[Appointment, AppointmentType, date, int]:
    row = s.get(Appointment, appointment_id)
    if row is None:
        raise NotFound("This appointment no longer exists.")
    kind = s.get(AppointmentType, row.appointment_type_id)
    assert kind is not None
    tz = load_clinic(s).tz
    minutes = int((row.end_at - row.start_at).total_seconds() // 60)
    return row, kind, to_local(row.start_at, tz).date(), minutes


def _refuse_second(s: Session, appointment_id: int, kinds: tuple[str, ...]) -> None:
    number = s.scalar(
        select(Invoice.number).where(
            Invoice.appointment_id == appointment_id,
            Invoice.status == "issued",
            Invoice.kind.in_(kinds),
        )
    )
    if number is not None:
        raise InvalidTransition(
            f"This visit already has invoice {number}; void it first to issue a new one."
        )


def _visit_lines(
    s: Session, appointment_id: int, products: Sequence[ProductLine]
) -> tuple[Appointment, list[_Line], date, Cover | None]:
    """The visit's fee on its day (nothing when its course's package covers it: the line
    names the session drawn), then the products sold with it."""
    row, kind, service_date, minutes = _visit(s, appointment_id)
    cover = session_cover(s, row.id, row.course_id)
    if cover is not None:
        visit_line = _Line(
            f"{kind.name}: package session {cover.number} of {cover.sessions}",
            1,
            0,
            kind.tax_code,
            minutes,
        )
    else:
        visit_line = _Line(
            kind.name,
            1,
            fee_on(s, kind.id, row.practitioner_id, service_date),
            kind.tax_code,
            minutes,
        )
    lines = [visit_line]
    for item in products:
        product = s.get(Product, item.product_id)
        if product is None or not product.active:
            raise NotFound("That product is no longer sold.")
        lines.append(_Line(product.name, item.quantity, product.price_cents, product.tax_code))
    return row, lines, service_date, cover


def _line_view(line: InvoiceLine) -> LineView:
    return LineView(
        line.description,
        line.duration_minutes,
        line.quantity,
        line.unit_price_cents,
        line.amount_cents,
        line.tax_code,
        line.tax_basis_points,
        line.tax_cents,
    )


@dataclass(frozen=True)
class Quote:
    """What check-out would invoice, before anything is issued."""

    lines: tuple[LineView, ...]
    subtotal_cents: int
    tax_cents: int
    total_cents: int
    credit_cents: int  # already on the patient's account


def invoice_view(s: Session, invoice: Invoice) -> InvoiceView:
    allocations = s.execute(
        select(PaymentAllocation, Payment)
        .join(Payment, Payment.id == PaymentAllocation.payment_id)
        .where(PaymentAllocation.invoice_id == invoice.id)
        .order_by(PaymentAllocation.id)
    ).all()
    reissued_as = s.scalar(select(Invoice.id).where(Invoice.reissue_of_id == invoice.id))
    return InvoiceView(
        id=invoice.id,
        number=invoice.number,
        kind=invoice.kind,
        issued_on=invoice.issued_on,
        patient_id=invoice.patient_id,
        appointment_id=invoice.appointment_id,
        practitioner_id=invoice.practitioner_id,
        service_date=invoice.service_date,
        lines=tuple(_line_view(line) for line in invoice.lines),
        subtotal_cents=invoice.subtotal_cents,
        tax_cents=invoice.tax_cents,
        total_cents=invoice.total_cents,
        paid_cents=sum(a.amount_cents for a, _p in allocations),
        status=invoice.status,
        void_reason=invoice.void_reason,
        reissue_of_id=invoice.reissue_of_id,
        reissued_as_id=reissued_as,
        allocations=tuple(
            AllocationView(
                p.id,
                PaymentMethod(p.method).label,
                p.received_on,
                a.amount_cents,
                a.at > p.received_at,
            )
            for a, p in allocations
        ),
    )


def paid_on(s: Session, invoice_id: int) -> int:
    return int(
        s.scalar(
            select(func.coalesce(func.sum(PaymentAllocation.amount_cents), 0)).where(
                PaymentAllocation.invoice_id == invoice_id
            )
        )
        or 0
    )


def check_tenders(tenders: Sequence[Tender]) -> None:
    """Money received as typed: at least one part, each above zero, each a known method."""
    if not tenders:
        raise ValidationError.single("tenders", "Enter the amount received.")
    for tender in tenders:
        if not isinstance(tender.amount_cents, int) or tender.amount_cents <= 0:
            raise ValidationError.single("amount_cents", "Each amount received is above zero.")
        PaymentMethod(tender.method)


def record_tenders(
    s: Session,
    patient_id: int,
    tenders: Sequence[Tender],
    *,
    now: datetime,
    invoice: Invoice | None,
) -> tuple[list[Payment], int]:
    """One payment row per part (a split payment), paying ``invoice`` in turn until it is paid;
    the rest stays on the account as credit. The rows and the cents applied to the invoice."""
    day = money_day(s, now, "take a payment")
    outstanding = 0 if invoice is None else invoice.total_cents - paid_on(s, invoice.id)
    rows, applied = [], 0
    for tender in tenders:
        payment = Payment(
            patient_id=patient_id,
            received_on=day,
            received_at=now,
            method=PaymentMethod(tender.method).value,
            amount_cents=tender.amount_cents,
            reason="",
        )
        s.add(payment)
        s.flush()
        part = min(tender.amount_cents, outstanding - applied)
        if invoice is not None and part > 0:
            s.add(
                PaymentAllocation(
                    payment_id=payment.id, invoice_id=invoice.id, amount_cents=part, at=now
                )
            )
            applied += part
        rows.append(payment)
    s.flush()
    return rows, applied


# ----- operations ------------------------------------------------------------------------------


@operation("check_out", patient=by_appointment)
def check_out(
    db: Database,
    appointment_id: int,
    *,
    now: datetime,
    products: Sequence[ProductLine] = (),
    tenders: Sequence[Tender] = (),
) -> InvoiceView:
    """Complete the visit (if it is still checked in) and issue its invoice: the fee for the
    type and practitioner on the day of service, and any products sold at the desk.

    ``tenders`` is the money received at the desk for it: recorded in the same transaction
    as the invoice, so a failure leaves neither (the visit stays completed, awaiting billing).
    """
    if tenders:
        check_tenders(tenders)
    with db.read() as s:
        status = s.scalar(select(Appointment.status).where(Appointment.id == appointment_id))
    if status is None:
        raise NotFound("This appointment no longer exists.")
    if status == AppointmentStatus.CHECKED_IN.value:
        complete(db, appointment_id, now=now)  # its own step: a completed visit may await billing
    elif status != AppointmentStatus.COMPLETED.value:
        raise InvalidTransition(
            "Only a visit that took place can be checked out; check the patient in first."
        )
    with db.write() as s:
        _refuse_second(s, appointment_id, ("visit",))
        row, lines, service_date, cover = _visit_lines(s, appointment_id, products)
        invoice = _issue(
            s,
            kind="visit",
            patient_id=row.patient_id,
            lines=lines,
            service_date=service_date,
            now=now,
            appointment_id=row.id,
            practitioner_id=row.practitioner_id,
        )
        if cover is not None and cover.new:  # the session is used with the visit's invoice
            s.add(
                PackageDraw(
                    package_id=cover.package_id,
                    appointment_id=row.id,
                    invoice_id=invoice.id,
                    at=now,
                )
            )
            s.flush()
        if tenders:
            record_tenders(s, row.patient_id, tenders, now=now, invoice=invoice)
        return invoice_view(s, invoice)


@operation("quote_check_out", patient=by_appointment)
def quote_check_out(
    db: Database, appointment_id: int, products: Sequence[ProductLine] = ()
) -> Quote:
    """The invoice check-out would issue, priced and taxed, for the dialog to show first."""
    with db.read() as s:
        row, lines, service_date, _cover = _visit_lines(s, appointment_id, products)
        priced = _priced(s, lines, service_date)
        subtotal = sum(r.amount_cents for r in priced)
        tax = sum(r.tax_cents for r in priced)
        paid = s.scalar(
            select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(
                Payment.patient_id == row.patient_id
            )
        )
        allocated = s.scalar(
            select(func.coalesce(func.sum(PaymentAllocation.amount_cents), 0))
            .join(Payment, Payment.id == PaymentAllocation.payment_id)
            .where(Payment.patient_id == row.patient_id)
        )
        return Quote(
            tuple(_line_view(r) for r in priced),
            subtotal,
            tax,
            subtotal + tax,
            int(paid or 0) - int(allocated or 0),
        )


@operation("charge_missed_visit", patient=by_appointment)
def charge_missed_visit(db: Database, appointment_id: int, *, now: datetime) -> InvoiceView:
    """Invoice the clinic's no-show or late-cancellation fee, when its policy charges one.

    A cancellation counts as late by the appointment's own late-cancel flag. The fee is taxed
    as the visit would have been (an exempt service's cancellation fee is exempt too).
    """
    with db.write() as s:
        row, kind, service_date, _minutes = _visit(s, appointment_id)
        settings = s.get(ClinicSettings, 1)
        assert settings is not None
        if row.status == AppointmentStatus.NO_SHOW.value:
            invoice_kind, label = "no_show", "No-show fee"
            on, cents = settings.no_show_fee_on, settings.no_show_fee_cents
        elif row.status == AppointmentStatus.CANCELLED.value and row.late_cancellation:
            invoice_kind, label = "late_cancellation", "Late cancellation fee"
            on, cents = settings.late_cancel_fee_on, settings.late_cancel_fee_cents
        else:
            raise InvalidTransition(
                "Only a no-show or a late cancellation can be charged a missed-visit fee."
            )
        if not on:
            raise InvalidTransition(
                f"The clinic does not charge a {label.lower()}; switch it on in Settings first."
            )
        _refuse_second(s, appointment_id, (invoice_kind,))
        invoice = _issue(
            s,
            kind=invoice_kind,
            patient_id=row.patient_id,
            lines=[_Line(f"{label}: {kind.name}", 1, cents, kind.tax_code)],
            service_date=service_date,
            now=now,
            appointment_id=row.id,
            practitioner_id=row.practitioner_id,
        )
        return invoice_view(s, invoice)


@operation("get_invoice", patient=by_invoice)
def get_invoice(db: Database, invoice_id: int) -> InvoiceView:
    with db.read() as s:
        invoice = s.get(Invoice, invoice_id)
        if invoice is None:
            raise NotFound("This invoice does not exist.")
        return invoice_view(s, invoice)


@operation("void_invoice", patient=by_invoice)
def void_invoice(db: Database, invoice_id: int, reason: str, *, now: datetime) -> InvoiceView:
    """Void an issued invoice (it stays on file, marked void with the reason). Whatever was
    paid on it goes back to the patient's account as credit, for the reissue or a refund."""
    reason = reason.strip()
    if not reason:
        raise ValidationError.single("reason", "Say why the invoice is voided.")
    with db.write() as s:
        invoice = s.get(Invoice, invoice_id)
        if invoice is None:
            raise NotFound("This invoice does not exist.")
        void_in(s, invoice, reason, now)
        return invoice_view(s, invoice)


def void_in(s: Session, invoice: Invoice, reason: str, now: datetime) -> None:
    """Void ``invoice`` inside the caller's transaction; what paid it becomes credit again."""
    if invoice.status == "void":
        raise InvalidTransition(f"Invoice {invoice.number} is already void.")
    money_day(s, now, "void an invoice")
    invoice.status = "void"
    invoice.void_reason = reason
    invoice.voided_at = now
    per_payment = s.execute(
        select(PaymentAllocation.payment_id, func.sum(PaymentAllocation.amount_cents))
        .where(PaymentAllocation.invoice_id == invoice.id)
        .group_by(PaymentAllocation.payment_id)
    ).all()
    for payment_id, cents in per_payment:
        if cents:
            s.add(
                PaymentAllocation(
                    payment_id=payment_id, invoice_id=invoice.id, amount_cents=-cents, at=now
                )
            )
    s.flush()


@operation("reissue_invoice", patient=by_invoice)
def reissue_invoice(
    db: Database,
    invoice_id: int,
    *,
    now: datetime,
    lines: Sequence[LineInput] | None = None,
) -> InvoiceView:
    """A new invoice (next number) in place of a voided one: the same visit and patient, with
    corrected ``lines`` or, if none are given, the old lines (re-taxed at the rate of the day
    of service). The new invoice names the one it replaces; both stay visible."""
    with db.write() as s:
        old = s.get(Invoice, invoice_id)
        if old is None:
            raise NotFound("This invoice does not exist.")
        if old.status != "void":
            raise InvalidTransition(
                f"Invoice {old.number} is still valid; void it with a reason before reissuing."
            )
        newer = s.scalar(select(Invoice.number).where(Invoice.reissue_of_id == old.id))
        if newer is not None:
            raise InvalidTransition(f"Invoice {old.number} was already reissued as {newer}.")
        items = (
            [
                _Line(x.description, x.quantity, x.unit_price_cents, x.tax_code, x.duration_minutes)
                for x in lines
            ]
            if lines is not None
            else [
                _Line(x.description, x.quantity, x.unit_price_cents, x.tax_code, x.duration_minutes)
                for x in old.lines
            ]
        )
        invoice = _issue(
            s,
            kind=old.kind,
            patient_id=old.patient_id,
            lines=items,
            service_date=old.service_date or old.issued_on,
            now=now,
            appointment_id=old.appointment_id,
            practitioner_id=old.practitioner_id,
            reissue_of_id=old.id,
        )
        return invoice_view(s, invoice)
