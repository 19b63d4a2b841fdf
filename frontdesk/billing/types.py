"""What the billing services take and hand back: frozen values, never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class PaymentMethod(StrEnum):
    CASH = "cash"
    DEBIT = "debit"
    CREDIT_CARD = "credit_card"
    E_TRANSFER = "e_transfer"
    CHEQUE = "cheque"
    GIFT_CARD = "gift_card"

    @property
    def label(self) -> str:
        return _METHOD_LABELS[self]


_METHOD_LABELS = {
    PaymentMethod.CASH: "Cash",
    PaymentMethod.DEBIT: "Debit",
    PaymentMethod.CREDIT_CARD: "Credit card",
    PaymentMethod.E_TRANSFER: "E-transfer",
    PaymentMethod.CHEQUE: "Cheque",
    PaymentMethod.GIFT_CARD: "Gift card",
}
# How an invoice paid from credit on the patient's account shows the method.
ACCOUNT_CREDIT = "Account credit"


@dataclass(frozen=True)
class ProductLine:
    """A product sold at check-out."""

    product_id: int
    quantity: int = 1


@dataclass(frozen=True)
class LineInput:
    """One line of a reissued invoice, typed at the desk."""

    description: str
    unit_price_cents: int
    tax_code: str
    quantity: int = 1
    duration_minutes: int | None = None


@dataclass(frozen=True)
class Tender:
    """One part of a (split) payment."""

    method: PaymentMethod
    amount_cents: int


@dataclass(frozen=True)
class LineView:
    description: str
    duration_minutes: int | None
    quantity: int
    unit_price_cents: int
    amount_cents: int
    tax_code: str
    tax_basis_points: int
    tax_cents: int


@dataclass(frozen=True)
class AllocationView:
    payment_id: int
    method: str  # a PaymentMethod label
    received_on: date
    amount_cents: int
    from_credit: bool  # applied later from credit on the account, not paid on the spot


@dataclass(frozen=True)
class InvoiceView:
    id: int
    number: int
    kind: str
    issued_on: date
    patient_id: int
    appointment_id: int | None
    practitioner_id: int | None
    service_date: date | None
    lines: tuple[LineView, ...]
    subtotal_cents: int
    tax_cents: int
    total_cents: int
    paid_cents: int
    status: str
    void_reason: str | None
    reissue_of_id: int | None
    reissued_as_id: int | None
    allocations: tuple[AllocationView, ...]

    @property
    def outstanding_cents(self) -> int:
        return 0 if self.status == "void" else self.total_cents - self.paid_cents


@dataclass(frozen=True)
class PaymentView:
    id: int
    patient_id: int
    received_on: date
    received_at: datetime
    method: PaymentMethod
    amount_cents: int  # negative: a refund
    reason: str
    refund_of_id: int | None
    unapplied_cents: int  # still on the account as credit (0 for a refund)


@dataclass(frozen=True)
class PaymentResult:
    payments: tuple[PaymentView, ...]
    applied_cents: int  # to the invoice named
    credit_cents: int  # left on the account


@dataclass(frozen=True)
class Balance:
    """A patient's account. ``balance_cents`` > 0: they owe; < 0: the clinic holds credit."""

    patient_id: int
    invoiced_cents: int
    paid_cents: int  # payments less refunds
    balance_cents: int
    credit_cents: int  # paid but not yet applied to an invoice
    unpaid_invoices: int


@dataclass(frozen=True)
class HistoryEntry:
    """One row of a patient's billing history, newest last."""

    on: date
    kind: str  # "invoice", "void invoice", "payment", "refund"
    reference: str  # "Invoice 12", "Debit"
    description: str
    amount_cents: int  # charge positive, payment negative (as on a statement)
    invoice_id: int | None = None  # a payment's: the (first) invoice it paid, for its receipt
    payment_id: int | None = None
    status: str = ""  # an invoice's: "Paid", "Unpaid", "$20.00 owing", "Void"; a payment's: ""
