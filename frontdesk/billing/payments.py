"""Payments, credit on account, refunds, and a patient's balance and history.

A payment is never edited: money received is a positive row, money given back a negative row
with a reason. ``payment_allocations`` says which part of which payment pays which invoice;
what is not allocated is credit on the patient's account, applied to a later invoice with
``apply_credit``. A refund gives back credit (void the invoice first to refund a paid visit),
so the balance is always the invoices issued less the money kept, exact to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.accounts.operation import arg, by_patient, operation, via
from frontdesk.billing.closing import money_day
from frontdesk.billing.invoices import (
    by_invoice,
    check_tenders,
    invoice_view,
    paid_on,
    record_tenders,
)
from frontdesk.billing.money import fmt_money
from frontdesk.billing.types import (
    Balance,
    HistoryEntry,
    InvoiceView,
    PaymentMethod,
    PaymentResult,
    PaymentView,
    Tender,
)
from frontdesk.course_packages import patient_package_usages
from frontdesk.db.engine import Database
from frontdesk.db.models import Invoice, Patient, Payment, PaymentAllocation
from frontdesk.domain import InvalidTransition, NotFound, ValidationError

by_payment = via(Payment, "payment_id")
_KIND_WORDS = {
    "visit": "Visit",
    "late_cancellation": "Late cancellation",
    "no_show": "No-show",
    "sale": "Sale",
}


def _allocated(s: Session, payment_id: int) -> int:
    return int(
        s.scalar(
            select(func.coalesce(func.sum(PaymentAllocation.amount_cents), 0)).where(
                PaymentAllocation.payment_id == payment_id
            )
        )
        or 0
    )


def _refunded(s: Session, payment_id: int) -> int:
    """Cents already given back from this payment (a positive number)."""
    return -int(
        s.scalar(
            select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(
                Payment.refund_of_id == payment_id
            )
        )
        or 0
    )


def _unapplied(s: Session, payment: Payment) -> int:
    if payment.amount_cents < 0:
        return 0
    return payment.amount_cents - _refunded(s, payment.id) - _allocated(s, payment.id)


def _view(s: Session, p: Payment) -> PaymentView:
    return PaymentView(
        p.id,
        p.patient_id,
        p.received_on,
        p.received_at,
        PaymentMethod(p.method),
        p.amount_cents,
        p.reason,
        p.refund_of_id,
        _unapplied(s, p),
    )


def _locked_invoice(s: Session, invoice_id: int, patient_id: int | None = None) -> Invoice:
    """The invoice row, locked so two desks cannot both pay its last dollar."""
    invoice = s.scalar(select(Invoice).where(Invoice.id == invoice_id).with_for_update())
    if invoice is None:
        raise NotFound("This invoice does not exist.")
    if patient_id is not None and invoice.patient_id != patient_id:
        raise ValidationError.single("invoice_id", "This invoice is another patient's.")
    if invoice.status == "void":
        raise InvalidTransition(f"Invoice {invoice.number} is void; pay its reissue instead.")
    return invoice


@operation("take_payment", patient=arg("patient_id"))
def take_payment(
    db: Database,
    patient_id: int,
    tenders: Sequence[Tender],
    *,
    now: datetime,
    invoice_id: int | None = None,
) -> PaymentResult:
    """Record money received, in one or several methods (a split payment). With an invoice,
    each part pays it in turn until it is paid; anything beyond, or everything without an
    invoice, stays on the patient's account as credit."""
    check_tenders(tenders)
    with db.write() as s:
        if s.get(Patient, patient_id) is None:
            raise NotFound("This patient no longer exists.")
        invoice = None if invoice_id is None else _locked_invoice(s, invoice_id, patient_id)
        rows, applied = record_tenders(s, patient_id, tenders, now=now, invoice=invoice)
        s.flush()
        total = sum(t.amount_cents for t in tenders)
        return PaymentResult(tuple(_view(s, p) for p in rows), applied, total - applied)


@operation("apply_credit", patient=by_invoice)
def apply_credit(db: Database, invoice_id: int, *, now: datetime) -> InvoiceView:
    """Pay an invoice from credit already on the patient's account, oldest payment first."""
    with db.write() as s:
        invoice = _locked_invoice(s, invoice_id)
        apply_credit_in(s, invoice, now)
        return invoice_view(s, invoice)


def apply_credit_in(s: Session, invoice: Invoice, now: datetime) -> None:
    """``apply_credit`` inside the caller's transaction."""
    money_day(s, now, "apply credit to an invoice")
    outstanding = invoice.total_cents - paid_on(s, invoice.id)
    payments = s.scalars(
        select(Payment)
        .where(Payment.patient_id == invoice.patient_id, Payment.amount_cents > 0)
        .order_by(Payment.received_at, Payment.id)
    )
    for payment in payments:
        if outstanding <= 0:
            break
        part = min(_unapplied(s, payment), outstanding)
        if part > 0:
            s.add(
                PaymentAllocation(
                    payment_id=payment.id, invoice_id=invoice.id, amount_cents=part, at=now
                )
            )
            s.flush()
            outstanding -= part


@operation("refund_payment", patient=by_payment)
def refund_payment(
    db: Database, payment_id: int, amount_cents: int, reason: str, *, now: datetime
) -> PaymentView:
    """Give back part or all of a payment's unapplied credit, the way it was paid, with the
    reason on file. Money already paying an invoice is freed by voiding that invoice first."""
    reason = reason.strip()
    errors = {}
    if not reason:
        errors["reason"] = "Say why the money is refunded."
    if not isinstance(amount_cents, int) or amount_cents <= 0:
        errors["amount_cents"] = "A refund is an amount above zero."
    if errors:
        raise ValidationError(errors)
    with db.write() as s:
        payment = s.scalar(select(Payment).where(Payment.id == payment_id).with_for_update())
        if payment is None:
            raise NotFound("This payment does not exist.")
        if payment.amount_cents < 0:
            raise InvalidTransition("A refund cannot itself be refunded.")
        available = _unapplied(s, payment)
        if amount_cents > available:
            raise ValidationError.single(
                "amount_cents",
                f"Only {fmt_money(available)} of this payment is on the account to refund; "
                "void the invoice it paid first to refund more.",
            )
        return _view(s, refund_in(s, payment, amount_cents, reason, now))


def refund_in(
    s: Session, payment: Payment, amount_cents: int, reason: str, now: datetime
) -> Payment:
    """Record a refund of ``payment`` inside the caller's transaction (amount already checked
    against its unapplied credit)."""
    refund = Payment(
        patient_id=payment.patient_id,
        received_on=money_day(s, now, "give a refund"),
        received_at=now,
        method=payment.method,
        amount_cents=-amount_cents,
        reason=reason,
        refund_of_id=payment.id,
    )
    s.add(refund)
    s.flush()
    return refund


def unapplied_cents(s: Session, payment: Payment) -> int:
    """What of ``payment`` is still credit on the account (0 for a refund)."""
    return _unapplied(s, payment)


def _balance(s: Session, patient_id: int) -> Balance:
    invoiced = int(
        s.scalar(
            select(func.coalesce(func.sum(Invoice.total_cents), 0)).where(
                Invoice.patient_id == patient_id, Invoice.status == "issued"
            )
        )
        or 0
    )
    paid = int(
        s.scalar(
            select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(
                Payment.patient_id == patient_id
            )
        )
        or 0
    )
    allocated = int(
        s.scalar(
            select(func.coalesce(func.sum(PaymentAllocation.amount_cents), 0))
            .join(Payment, Payment.id == PaymentAllocation.payment_id)
            .where(Payment.patient_id == patient_id)
        )
        or 0
    )
    paid_per_invoice = (
        select(
            PaymentAllocation.invoice_id,
            func.sum(PaymentAllocation.amount_cents).label("paid"),
        )
        .group_by(PaymentAllocation.invoice_id)
        .subquery()
    )
    unpaid = s.scalar(
        select(func.count(Invoice.id))
        .outerjoin(paid_per_invoice, paid_per_invoice.c.invoice_id == Invoice.id)
        .where(
            Invoice.patient_id == patient_id,
            Invoice.status == "issued",
            Invoice.total_cents > func.coalesce(paid_per_invoice.c.paid, 0),
        )
    )
    return Balance(patient_id, invoiced, paid, invoiced - paid, paid - allocated, int(unpaid or 0))


def _invoice_status(invoice: Invoice, paid_cents: int) -> str:
    if invoice.status == "void":
        return "Void"
    owing = invoice.total_cents - paid_cents
    if owing <= 0:
        return "Paid"
    return "Unpaid" if paid_cents == 0 else f"{fmt_money(owing)} owing"


@operation("patient_balance", patient=by_patient)
def patient_balance(db: Database, patient_id: int) -> Balance:
    """What the patient owes (or the credit the clinic holds for them)."""
    with db.read() as s:
        if s.get(Patient, patient_id) is None:
            raise NotFound("This patient no longer exists.")
        return _balance(s, patient_id)


@operation("patient_billing_history", patient=by_patient)
def patient_billing_history(db: Database, patient_id: int) -> list[HistoryEntry]:
    """Every invoice (void ones too, with their reason and reissue) and every payment and
    refund, oldest first, as a statement lists them."""
    with db.read() as s:
        entries: list[tuple[datetime, int, HistoryEntry]] = []
        numbers: dict[int, int] = {
            row_id: number
            for row_id, number in s.execute(
                select(Invoice.id, Invoice.number).where(Invoice.patient_id == patient_id)
            )
        }
        packages = {usage.invoice_id: usage for usage in patient_package_usages(s, patient_id)}
        paid: dict[int, int] = {}
        paid_by: dict[int, int] = {}  # payment id -> the first invoice it paid
        for payment_id, invoice_id, cents in s.execute(
            select(
                PaymentAllocation.payment_id,
                PaymentAllocation.invoice_id,
                PaymentAllocation.amount_cents,
            )
            .join(Payment, Payment.id == PaymentAllocation.payment_id)
            .where(Payment.patient_id == patient_id)
            .order_by(PaymentAllocation.id)
        ):
            paid[invoice_id] = paid.get(invoice_id, 0) + cents
            paid_by.setdefault(payment_id, invoice_id)
        for inv in s.scalars(select(Invoice).where(Invoice.patient_id == patient_id)):
            what = ", ".join(line.description for line in inv.lines)
            if inv.id in packages:  # the package's current invoice: what is used and left
                what += f" ({packages[inv.id].summary()})"
            if inv.reissue_of_id is not None:
                what += f" (reissues invoice {numbers.get(inv.reissue_of_id)})"
            if inv.status == "void":
                what += f"; void: {inv.void_reason}"
            entries.append(
                (
                    inv.issued_at,
                    0,
                    HistoryEntry(
                        inv.issued_on,
                        "void invoice" if inv.status == "void" else "invoice",
                        f"Invoice {inv.number}",
                        f"{_KIND_WORDS[inv.kind]}: {what}",
                        inv.total_cents,
                        invoice_id=inv.id,
                        status=_invoice_status(inv, paid.get(inv.id, 0)),
                    ),
                )
            )
        for p in s.scalars(select(Payment).where(Payment.patient_id == patient_id)):
            label = PaymentMethod(p.method).label
            refund = p.amount_cents < 0
            entries.append(
                (
                    p.received_at,
                    1,
                    HistoryEntry(
                        p.received_on,
                        "refund" if refund else "payment",
                        label,
                        f"Refund: {p.reason}" if refund else "Payment",
                        -p.amount_cents,
                        invoice_id=paid_by.get(p.refund_of_id or p.id),
                        payment_id=p.id,
                    ),
                )
            )
        entries.sort(key=lambda e: (e[0], e[1]))
        return [e for _at, _order, e in entries]
