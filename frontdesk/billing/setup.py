"""What Settings ▸ Fees shows and saves beyond the fee schedule itself: the whole money set-up
in one read, a product's price/tax/active change, the clinic's GST number with its
missed-visit policy in one transaction, a practitioner's receipt details, and which completed
visits on the calendar are still unpaid.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from frontdesk.accounts.operation import operation
from frontdesk.billing.fees import FeeView, MissedVisitPolicy, ProductView, _require_tax_code
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    AppointmentType,
    ClinicSettings,
    Fee,
    Invoice,
    PaymentAllocation,
    Practitioner,
    Product,
    TaxCode,
    TaxRate,
)
from frontdesk.domain import NotFound, ValidationError

_FEE_MESSAGE = "A fee is zero or more, in whole cents."


@dataclass(frozen=True)
class TaxRateView:
    tax_code: str
    name: str  # the code's name ("GST", "GST-exempt")
    effective_from: date
    basis_points: int  # 500 = 5%


@dataclass(frozen=True)
class TypeTax:
    id: int
    name: str
    tax_code: str


@dataclass(frozen=True)
class PractitionerReceipt:
    id: int
    display_name: str
    profession: str
    registration_number: str
    active: bool


@dataclass(frozen=True)
class BillingSetup:
    """Everything Settings ▸ Fees shows, read in one transaction."""

    types: tuple[TypeTax, ...]
    practitioners: tuple[PractitionerReceipt, ...]
    fees: tuple[FeeView, ...]
    products: tuple[ProductView, ...]  # active and inactive
    tax_codes: tuple[tuple[str, str], ...]  # (code, name)
    tax_rates: tuple[TaxRateView, ...]
    gst_number: str
    policy: MissedVisitPolicy


@operation("billing_setup")
def billing_setup(db: Database) -> BillingSetup:
    with db.read() as s:
        settings = s.get(ClinicSettings, 1)
        if settings is None:
            raise NotFound("The clinic settings are missing.")
        codes = tuple((c.code, c.name) for c in s.scalars(select(TaxCode).order_by(TaxCode.code)))
        names = dict(codes)
        return BillingSetup(
            types=tuple(
                TypeTax(t.id, t.name, t.tax_code)
                for t in s.scalars(select(AppointmentType).order_by(AppointmentType.name))
            ),
            practitioners=tuple(
                PractitionerReceipt(
                    p.id, p.display_name, p.profession, p.registration_number, p.active
                )
                for p in s.scalars(select(Practitioner).order_by(Practitioner.display_name))
            ),
            fees=tuple(
                FeeView(
                    r.id,
                    r.appointment_type_id,
                    r.practitioner_id,
                    r.effective_from,
                    r.amount_cents,
                )
                for r in s.scalars(
                    select(Fee).order_by(
                        Fee.appointment_type_id, Fee.practitioner_id, Fee.effective_from
                    )
                )
            ),
            products=tuple(
                ProductView(p.id, p.name, p.price_cents, p.tax_code, p.active)
                for p in s.scalars(select(Product).order_by(Product.name))
            ),
            tax_codes=codes,
            tax_rates=tuple(
                TaxRateView(
                    r.tax_code, names.get(r.tax_code, r.tax_code), r.effective_from, r.basis_points
                )
                for r in s.scalars(
                    select(TaxRate).order_by(TaxRate.tax_code, TaxRate.effective_from)
                )
            ),
            gst_number=settings.gst_number,
            policy=MissedVisitPolicy(
                settings.late_cancel_fee_on,
                settings.late_cancel_fee_cents,
                settings.no_show_fee_on,
                settings.no_show_fee_cents,
            ),
        )


@operation("update_product")
def update_product(
    db: Database,
    product_id: int,
    *,
    price_cents: int,
    tax_code: str,
    active: bool,
    name: str | None = None,
) -> ProductView:
    """A product's new name, price, tax code or whether it is still sold. Invoices already
    issued keep the name and price they were issued with (their lines hold them)."""
    errors = {}
    if name is not None and not name.strip():
        errors["name"] = "Give the product a name."
    if not isinstance(price_cents, int) or price_cents < 0:
        errors["price_cents"] = "A price is zero or more, in whole cents."
    if errors:
        raise ValidationError(errors)
    with db.write() as s:
        _require_tax_code(s, tax_code)
        row = s.get(Product, product_id)
        if row is None:
            raise NotFound("That product no longer exists.")
        if name is not None and name.strip() != row.name:
            taken = s.scalar(
                select(Product.id).where(Product.name == name.strip(), Product.id != product_id)
            )
            if taken is not None:
                raise ValidationError.single(
                    "name", f"There is already a product called {name.strip()}."
                )
            row.name = name.strip()
        row.price_cents, row.tax_code, row.active = price_cents, tax_code, active
        return ProductView(row.id, row.name, price_cents, tax_code, active)


@operation("set_gst_and_missed_visit_fees")
def set_gst_and_missed_visit_fees(db: Database, gst_number: str, policy: MissedVisitPolicy) -> None:
    """The GST number receipts print and the missed-visit fees, saved together or not at all."""
    value = " ".join(str(gst_number).split()).upper()
    errors = {
        field: _FEE_MESSAGE
        for field in ("late_cancel_fee_cents", "no_show_fee_cents")
        if not isinstance(getattr(policy, field), int) or getattr(policy, field) < 0
    }
    if len(value) > 20:
        errors["gst_number"] = "A GST number is at most 20 characters."
    if errors:
        raise ValidationError(errors)
    with db.write() as s:
        row = s.get(ClinicSettings, 1)
        if row is None:
            raise NotFound("The clinic settings are missing.")
        row.gst_number = value
        row.late_cancel_fee_on = policy.late_cancel_fee_on
        row.late_cancel_fee_cents = policy.late_cancel_fee_cents
        row.no_show_fee_on = policy.no_show_fee_on
        row.no_show_fee_cents = policy.no_show_fee_cents


@operation("get_practitioner_registration")
def get_practitioner_registration(db: Database, practitioner_id: int) -> PractitionerReceipt:
    """The profession and registration number a practitioner's receipts print."""
    with db.read() as s:
        p = s.get(Practitioner, practitioner_id)
        if p is None:
            raise NotFound("That practitioner no longer exists.")
        return PractitionerReceipt(
            p.id, p.display_name, p.profession, p.registration_number, p.active
        )


@operation("unpaid_visit_balances")
def unpaid_visit_balances(db: Database, appointment_ids: Iterable[int]) -> dict[int, int]:
    """Of these appointments, the completed visits whose invoice is not fully paid: the
    amount still owing in cents by appointment id. One query for all of them (the calendar
    asks once for the days it shows, never once per block)."""
    ids = sorted(set(appointment_ids))
    if not ids:
        return {}
    paid = (
        select(func.coalesce(func.sum(PaymentAllocation.amount_cents), 0))
        .where(PaymentAllocation.invoice_id == Invoice.id)
        .correlate(Invoice)
        .scalar_subquery()
    )
    owing = Invoice.total_cents - paid
    found: dict[int, int] = {}
    with db.read() as s:
        for start in range(0, len(ids), 900):  # SQLite's limit on bound parameters
            rows = s.execute(
                select(Invoice.appointment_id, owing).where(
                    Invoice.appointment_id.in_(ids[start : start + 900]),
                    Invoice.kind == "visit",
                    Invoice.status == "issued",
                    owing > 0,
                )
            )
            for appointment_id, cents in rows:
                if appointment_id is not None:
                    found[int(appointment_id)] = found.get(int(appointment_id), 0) + int(cents)
    return found
