"""The fee schedule, products, tax rates and the clinic's missed-visit policy.

A price is looked up for the date of service: a change of price is a new row with a later
date, so an invoice issued before it is never rewritten and one reissued for an old visit gets
the old price. A practitioner's own fee for a type wins over the clinic's general fee.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.accounts.operation import operation
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    AppointmentType,
    ClinicSettings,
    Fee,
    Practitioner,
    Product,
    TaxCode,
    TaxRate,
)
from frontdesk.domain import NotFound, ValidationError
from frontdesk.setup.staff import registration_errors


@dataclass(frozen=True)
class FeeView:
    id: int
    appointment_type_id: int
    practitioner_id: int | None
    effective_from: date
    amount_cents: int


@dataclass(frozen=True)
class ProductView:
    id: int
    name: str
    price_cents: int
    tax_code: str
    active: bool


@dataclass(frozen=True)
class MissedVisitPolicy:
    late_cancel_fee_on: bool
    late_cancel_fee_cents: int
    no_show_fee_on: bool
    no_show_fee_cents: int


# ----- lookups inside a session (the invoice services' building blocks) -----------------------


def fee_on(s: Session, type_id: int, practitioner_id: int | None, on: date) -> int:
    """The fee in cents for a visit of ``type_id`` with the practitioner on ``on``."""
    base = select(Fee.amount_cents).where(
        Fee.appointment_type_id == type_id, Fee.effective_from <= on
    )
    own = None
    if practitioner_id is not None:
        own = s.scalar(
            base.where(Fee.practitioner_id == practitioner_id)
            .order_by(Fee.effective_from.desc())
            .limit(1)
        )
    if own is not None:
        return own
    general = s.scalar(
        base.where(Fee.practitioner_id.is_(None)).order_by(Fee.effective_from.desc()).limit(1)
    )
    if general is None:
        kind = s.get(AppointmentType, type_id)
        name = kind.name if kind is not None else "this appointment type"
        raise ValidationError.single(
            "fee",
            f"No fee is set for {name} on {on.isoformat()}; add one to the fee schedule first.",
        )
    return general


def tax_rate_on(s: Session, code: str, on: date) -> int:
    """The rate of tax code ``code`` on ``on``, in basis points (500 = 5%)."""
    rate = s.scalar(
        select(TaxRate.basis_points)
        .where(TaxRate.tax_code == code, TaxRate.effective_from <= on)
        .order_by(TaxRate.effective_from.desc())
        .limit(1)
    )
    if rate is None:
        raise ValidationError.single(
            "tax_code", f"Tax code {code!r} has no rate on {on.isoformat()}."
        )
    return rate


def _require_tax_code(s: Session, code: str) -> None:
    if s.get(TaxCode, code) is None:
        known = ", ".join(sorted(s.scalars(select(TaxCode.code))))
        raise ValidationError.single("tax_code", f"Unknown tax code {code!r}; use one of {known}.")


# ----- operations ------------------------------------------------------------------------------


@operation("set_fee")
def set_fee(
    db: Database,
    appointment_type_id: int,
    amount_cents: int,
    *,
    effective_from: date,
    practitioner_id: int | None = None,
) -> FeeView:
    """Add a price from ``effective_from`` on (or correct the one starting that same day)."""
    if not isinstance(amount_cents, int) or amount_cents < 0:
        raise ValidationError.single("amount_cents", "A fee is zero or more, in whole cents.")
    with db.write() as s:
        if s.get(AppointmentType, appointment_type_id) is None:
            raise NotFound("That appointment type no longer exists.")
        if practitioner_id is not None and s.get(Practitioner, practitioner_id) is None:
            raise NotFound("That practitioner no longer exists.")
        row = s.scalar(
            select(Fee).where(
                Fee.appointment_type_id == appointment_type_id,
                Fee.effective_from == effective_from,
                Fee.practitioner_id.is_(None)
                if practitioner_id is None
                else Fee.practitioner_id == practitioner_id,
            )
        )
        if row is None:
            row = Fee(
                appointment_type_id=appointment_type_id,
                practitioner_id=practitioner_id,
                effective_from=effective_from,
                amount_cents=amount_cents,
            )
            s.add(row)
        else:
            row.amount_cents = amount_cents
        s.flush()
        return FeeView(row.id, appointment_type_id, practitioner_id, effective_from, amount_cents)


@operation("list_fees")
def list_fees(db: Database) -> list[FeeView]:
    """The whole schedule, past and future prices, by type, practitioner and date."""
    with db.read() as s:
        rows = s.scalars(
            select(Fee).order_by(Fee.appointment_type_id, Fee.practitioner_id, Fee.effective_from)
        )
        return [
            FeeView(
                r.id, r.appointment_type_id, r.practitioner_id, r.effective_from, r.amount_cents
            )
            for r in rows
        ]


@operation("fee_for_visit")
def fee_for_visit(
    db: Database, appointment_type_id: int, practitioner_id: int | None, on: date
) -> int:
    """What a visit of this type with this practitioner costs on ``on`` (cents, before tax)."""
    with db.read() as s:
        return fee_on(s, appointment_type_id, practitioner_id, on)


@operation("set_appointment_type_tax_code")
def set_appointment_type_tax_code(db: Database, appointment_type_id: int, tax_code: str) -> None:
    with db.write() as s:
        _require_tax_code(s, tax_code)
        row = s.get(AppointmentType, appointment_type_id)
        if row is None:
            raise NotFound("That appointment type no longer exists.")
        row.tax_code = tax_code


@operation("add_product")
def add_product(db: Database, name: str, price_cents: int, tax_code: str = "gst") -> ProductView:
    name = name.strip()
    if not name:
        raise ValidationError.single("name", "Give the product a name.")
    if not isinstance(price_cents, int) or price_cents < 0:
        raise ValidationError.single("price_cents", "A price is zero or more, in whole cents.")
    with db.write() as s:
        _require_tax_code(s, tax_code)
        if s.scalar(select(Product.id).where(Product.name == name)) is not None:
            raise ValidationError.single("name", f"There is already a product called {name}.")
        row = Product(name=name, price_cents=price_cents, tax_code=tax_code, active=True)
        s.add(row)
        s.flush()
        return ProductView(row.id, name, price_cents, tax_code, True)


@operation("list_products")
def list_products(db: Database, *, include_inactive: bool = False) -> list[ProductView]:
    with db.read() as s:
        query = select(Product).order_by(Product.name)
        if not include_inactive:
            query = query.where(Product.active)
        return [
            ProductView(p.id, p.name, p.price_cents, p.tax_code, p.active) for p in s.scalars(query)
        ]


@operation("set_missed_visit_fees")
def set_missed_visit_fees(db: Database, policy: MissedVisitPolicy) -> None:
    """The clinic's late-cancellation and no-show fees, each with its on/off switch."""
    errors = {
        field: "A fee is zero or more, in whole cents."
        for field in ("late_cancel_fee_cents", "no_show_fee_cents")
        if not isinstance(getattr(policy, field), int) or getattr(policy, field) < 0
    }
    if errors:
        raise ValidationError(errors)
    with db.write() as s:
        row = s.get(ClinicSettings, 1)
        if row is None:
            raise NotFound("The clinic settings are missing.")
        row.late_cancel_fee_on = policy.late_cancel_fee_on
        row.late_cancel_fee_cents = policy.late_cancel_fee_cents
        row.no_show_fee_on = policy.no_show_fee_on
        row.no_show_fee_cents = policy.no_show_fee_cents


@operation("get_missed_visit_fees")
def get_missed_visit_fees(db: Database) -> MissedVisitPolicy:
    with db.read() as s:
        row = s.get(ClinicSettings, 1)
        if row is None:
            raise NotFound("The clinic settings are missing.")
        return MissedVisitPolicy(
            row.late_cancel_fee_on,
            row.late_cancel_fee_cents,
            row.no_show_fee_on,
            row.no_show_fee_cents,
        )


@operation("set_gst_number")
def set_gst_number(db: Database, gst_number: str) -> None:
    """The clinic's GST/HST registration number as receipts print it (123456789 RT0001)."""
    value = " ".join(str(gst_number).split()).upper()
    if len(value) > 20:
        raise ValidationError.single("gst_number", "A GST number is at most 20 characters.")
    with db.write() as s:
        row = s.get(ClinicSettings, 1)
        if row is None:
            raise NotFound("The clinic settings are missing.")
        row.gst_number = value


@operation("set_practitioner_registration")
def set_practitioner_registration(
    db: Database, practitioner_id: int, profession: str, registration_number: str
) -> None:
    """What an insurer needs on a receipt: the profession and the college registration."""
    errors = registration_errors(profession, registration_number)
    if errors:
        raise ValidationError(errors)
    profession, number = profession.strip(), registration_number.strip()
    with db.write() as s:
        row = s.get(Practitioner, practitioner_id)
        if row is None:
            raise NotFound("That practitioner no longer exists.")
        row.profession = profession
        row.registration_number = number
