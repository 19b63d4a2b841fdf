"""Course packages: a course sold as N sessions at a package price, drawn down, refunded.

The package is one invoice (kind ``sale``) taxed by the course's appointment type, paid up
front or in instalments through the ordinary payments (``take_payment`` with its invoice).
Each attended session's check-out draws one session (``invoices.check_out``) and charges
nothing for the visit; sessions beyond the package are charged the usual fee.

Cancelling the course credits the unused sessions by the clinic's rule (``package_policy``):
the sale is voided with the reason and reissued for what the clinic keeps (the used sessions,
and the cancellation fee if any), so the invoice, its tax and the balance stay exact to the
cent; the money paid beyond the reissue is given back the way it was paid, or left on the
account as credit when the desk says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.accounts.operation import by_course, by_patient, field_of, operation
from frontdesk.billing.fees import fee_on, tax_rate_on
from frontdesk.billing.invoices import (
    _issue,
    _Line,
    check_tenders,
    invoice_view,
    record_tenders,
    void_in,
)
from frontdesk.billing.money import fmt_money, line_tax
from frontdesk.billing.payments import apply_credit_in, refund_in, unapplied_cents
from frontdesk.billing.types import InvoiceView, Tender
from frontdesk.clinic import load_clinic
from frontdesk.course_packages import PackageUsage, package_usage, patient_package_usages
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    AppointmentType,
    CoursePackage,
    Invoice,
    PackagePolicy,
    PackagePrice,
    Payment,
    PaymentAllocation,
    TreatmentCourse,
)
from frontdesk.domain import AppointmentStatus, InvalidTransition, NotFound, ValidationError
from frontdesk.scheduling.course_changes import close_course, course_cancel_reason
from frontdesk.scheduling.courses import active_course, course_booking, course_view
from frontdesk.scheduling.dto import CourseRequest, CourseView
from frontdesk.scheduling.localtime import to_local
from frontdesk.scheduling.rules import aware_utc, checked_write

REFUND_RULES = ("package_rate", "regular_fee")


@dataclass(frozen=True)
class PackageRules:
    """The clinic's package rule (see ``db.models.PackagePolicy``)."""

    discount_basis_points: int = 1000
    cancel_fee_cents: int = 0
    refund_rule: str = "package_rate"


@dataclass(frozen=True)
class PackageOffer:
    """What the wizard offers: N sessions for a price, against the regular fees."""

    type_id: int
    type_name: str
    sessions: int
    price_cents: int  # before tax
    tax_cents: int
    regular_cents: int | None  # the sessions at the regular fee (None: no fee set)
    from_price_list: bool  # a price of its own, not the policy's discount

    @property
    def total_cents(self) -> int:
        return self.price_cents + self.tax_cents

    @property
    def saving_cents(self) -> int:
        return max((self.regular_cents or 0) - self.price_cents, 0)

    def text(self) -> str:
        """``8 sessions for $612.00 (save $68.00)``, tax added when there is some."""
        words = f"{self.sessions} sessions for {fmt_money(self.price_cents)}"
        if self.tax_cents:
            words += f" + {fmt_money(self.tax_cents)} GST"
        if self.saving_cents:
            words += f" (save {fmt_money(self.saving_cents)} on the regular fees)"
        return words


@dataclass(frozen=True)
class PackagedCourse:
    course: CourseView
    package: PackageUsage
    invoice: InvoiceView


@dataclass(frozen=True)
class PackageCancellation:
    course: CourseView
    package: PackageUsage
    unused: int
    credit_cents: int  # what the patient got back, tax included
    fee_cents: int  # the cancellation fee kept (before tax)
    refunded_cents: int  # of the credit, money given back now (the rest stays on account)
    void_invoice: InvoiceView | None
    reissue: InvoiceView | None
    refunds: tuple[tuple[str, int], ...] = ()  # each refund's payment method and amount

    @property
    def on_account_cents(self) -> int:
        """Of the credit, what stays on the patient's account."""
        return self.credit_cents - self.refunded_cents


@dataclass(frozen=True)
class CourseCancellationPreview:
    """What cancelling the rest of a course would do; nothing is changed by reading it."""

    course: CourseView
    sessions_ahead: int  # booked sessions still ahead, to be cancelled
    package: PackageCancellation | None  # the active package's refund, if it was sold as one
    rules: PackageRules


@dataclass(frozen=True)
class PackageView:
    """A package on the patient's account: what it cost and what is used and left."""

    usage: PackageUsage
    type_name: str
    invoice_number: int
    total_cents: int
    start_date: date

    def text(self) -> str:
        return f"{self.type_name} package, invoice {self.invoice_number}: {self.usage.summary()}"


# ----- inside a session --------------------------------------------------------------------------


def rules_in(s: Session) -> PackageRules:
    row = s.get(PackagePolicy, 1)
    if row is None:
        return PackageRules()
    return PackageRules(row.discount_basis_points, row.cancel_fee_cents, row.refund_rule)


def offer_in(
    s: Session, type_id: int, practitioner_id: int | None, sessions: int, on: date
) -> PackageOffer | None:
    """The package for ``sessions`` of the type on ``on``: its own price from the price list,
    else the regular fees less the policy's discount; None when neither is set."""
    kind = s.get(AppointmentType, type_id)
    if kind is None:
        raise NotFound("That appointment type no longer exists.")
    try:
        regular: int | None = sessions * fee_on(s, type_id, practitioner_id, on)
    except ValidationError:
        regular = None
    own = s.scalar(
        select(PackagePrice.price_cents)
        .where(
            PackagePrice.appointment_type_id == type_id,
            PackagePrice.sessions == sessions,
            PackagePrice.effective_from <= on,
        )
        .order_by(PackagePrice.effective_from.desc())
        .limit(1)
    )
    if own is not None:
        price = own
    elif regular is not None:
        discount = line_tax(regular, rules_in(s).discount_basis_points)  # rounded half-up
        price = regular - discount
    else:
        return None
    tax = line_tax(price, tax_rate_on(s, kind.tax_code, on))
    return PackageOffer(type_id, kind.name, sessions, price, tax, regular, own is not None)


def _today(s: Session, now: datetime) -> date:
    return to_local(now, load_clinic(s).tz).date()


def _sell(
    s: Session,
    course_id: int,
    *,
    now: datetime,
    tenders: Sequence[Tender],
    expected_price_cents: int | None,
) -> tuple[CoursePackage, Invoice]:
    course = s.get(TreatmentCourse, course_id)
    if course is None:
        raise NotFound("This course no longer exists.")
    if course.status == "cancelled":
        raise InvalidTransition("This course is cancelled; it cannot be sold as a package.")
    if s.scalar(select(CoursePackage.id).where(CoursePackage.course_id == course_id)):
        raise InvalidTransition("This course is already sold as a package.")
    today = _today(s, now)
    offer = offer_in(
        s, course.appointment_type_id, course.practitioner_id, course.planned_sessions, today
    )
    if offer is None:
        raise ValidationError.single(
            "package",
            "No package price or fee is set for this treatment; add one in Settings first.",
        )
    if expected_price_cents is not None and offer.price_cents != expected_price_cents:
        raise ValidationError.single(
            "package",
            f"The package price is now {fmt_money(offer.price_cents)}, not "
            f"{fmt_money(expected_price_cents)}; check it with the patient and book again.",
        )
    package, invoice = issue_package_sale(s, course, offer, service_date=today, now=now)
    if tenders:
        record_tenders(s, course.patient_id, tenders, now=now, invoice=invoice)
    return package, invoice


def issue_package_sale(
    s: Session,
    course: TreatmentCourse,
    offer: PackageOffer,
    *,
    service_date: date,
    now: datetime,
) -> tuple[CoursePackage, Invoice]:
    """The package's sale invoice and its record, inside the caller's transaction (the desk's
    sale and the demo's both write them here)."""
    kind = s.get(AppointmentType, course.appointment_type_id)
    assert kind is not None
    invoice = _issue(
        s,
        kind="sale",
        patient_id=course.patient_id,
        lines=[
            _Line(
                f"{kind.name}: package of {offer.sessions} sessions",
                1,
                offer.price_cents,
                kind.tax_code,
            )
        ],
        service_date=service_date,
        now=now,
        practitioner_id=course.practitioner_id,
    )
    package = CoursePackage(
        course_id=course.id,
        patient_id=course.patient_id,
        sessions=offer.sessions,
        price_cents=offer.price_cents,
        invoice_id=invoice.id,
        status="active",
        created_at=now,
    )
    s.add(package)
    s.flush()
    return package, invoice


def _usage(s: Session, course_id: int) -> PackageUsage:
    usage = package_usage(s, course_id)
    assert usage is not None
    return usage


# ----- operations ------------------------------------------------------------------------------


@operation("get_package_policy")
def get_package_policy(db: Database) -> PackageRules:
    with db.read() as s:
        return rules_in(s)


@operation("set_package_policy")
def set_package_policy(db: Database, rules: PackageRules) -> None:
    """The clinic's discount for packages without a price of their own, and its refund rule."""
    errors = {}
    if not isinstance(rules.discount_basis_points, int) or not (
        0 <= rules.discount_basis_points <= 10_000
    ):
        errors["discount_basis_points"] = "A discount is between 0% and 100%."
    if not isinstance(rules.cancel_fee_cents, int) or rules.cancel_fee_cents < 0:
        errors["cancel_fee_cents"] = "A cancellation fee is zero or more, in whole cents."
    if rules.refund_rule not in REFUND_RULES:
        errors["refund_rule"] = "Credit unused sessions at the package rate or the regular fee."
    if errors:
        raise ValidationError(errors)
    with db.write() as s:
        row = s.get(PackagePolicy, 1)
        if row is None:
            row = PackagePolicy(id=1)
            s.add(row)
        row.discount_basis_points = rules.discount_basis_points
        row.cancel_fee_cents = rules.cancel_fee_cents
        row.refund_rule = rules.refund_rule


@operation("set_package_price")
def set_package_price(
    db: Database, appointment_type_id: int, sessions: int, price_cents: int, *, effective_from: date
) -> None:
    """A package price of its own for ``sessions`` of the type, from ``effective_from`` on."""
    errors = {}
    if not isinstance(sessions, int) or not 1 <= sessions <= 60:
        errors["sessions"] = "A package has between 1 and 60 sessions."
    if not isinstance(price_cents, int) or price_cents < 0:
        errors["price_cents"] = "A price is zero or more, in whole cents."
    if errors:
        raise ValidationError(errors)
    with db.write() as s:
        if s.get(AppointmentType, appointment_type_id) is None:
            raise NotFound("That appointment type no longer exists.")
        row = s.scalar(
            select(PackagePrice).where(
                PackagePrice.appointment_type_id == appointment_type_id,
                PackagePrice.sessions == sessions,
                PackagePrice.effective_from == effective_from,
            )
        )
        if row is None:
            s.add(
                PackagePrice(
                    appointment_type_id=appointment_type_id,
                    sessions=sessions,
                    effective_from=effective_from,
                    price_cents=price_cents,
                )
            )
        else:
            row.price_cents = price_cents


@dataclass(frozen=True)
class PackagePriceView:
    """A package price of its own: ``sessions`` of the type for ``price_cents`` from a date."""

    appointment_type_id: int
    type_name: str
    sessions: int
    effective_from: date
    price_cents: int  # before tax


@operation("list_package_prices")
def list_package_prices(db: Database) -> list[PackagePriceView]:
    """Every package price set, by type, number of sessions and date."""
    with db.read() as s:
        rows = s.execute(
            select(PackagePrice, AppointmentType.name)
            .join(AppointmentType, AppointmentType.id == PackagePrice.appointment_type_id)
            .order_by(AppointmentType.name, PackagePrice.sessions, PackagePrice.effective_from)
        ).all()
        return [
            PackagePriceView(
                p.appointment_type_id, name, p.sessions, p.effective_from, p.price_cents
            )
            for p, name in rows
        ]


@operation("package_offer")
def package_offer(
    db: Database, type_id: int, practitioner_id: int | None, sessions: int, *, on: date
) -> PackageOffer | None:
    """What a course of ``sessions`` would cost as a package, for the wizard to offer."""
    with db.read() as s:
        return offer_in(s, type_id, practitioner_id, sessions, on)


@operation("book_packaged_course", patient=field_of("req"))
def book_packaged_course(
    db: Database,
    req: CourseRequest,
    starts: list[datetime],
    *,
    now: datetime,
    plan_id: int | None = None,
    tenders: Sequence[Tender] = (),
    expected_price_cents: int | None = None,
) -> PackagedCourse:
    """Book the course (as ``book_course``) and sell it as a package, in one transaction: its
    invoice, and the money received up front if any. Refused, with nothing booked, when the
    price is no longer the one the patient was quoted (``expected_price_cents``)."""
    if tenders:
        check_tenders(tenders)
    check, apply = course_booking(req, starts, now=now, plan_id=plan_id)
    now = aware_utc(now, "now")

    def apply_and_sell(
        s: Session, checked: list[tuple[datetime, datetime, int | None]]
    ) -> PackagedCourse:
        view = apply(s, checked)
        _package, invoice = _sell(
            s, view.id, now=now, tenders=tenders, expected_price_cents=expected_price_cents
        )
        return PackagedCourse(view, _usage(s, view.id), invoice_view(s, invoice))

    return checked_write(db, check, apply_and_sell)


@operation("sell_package", patient=by_course)
def sell_package(
    db: Database,
    course_id: int,
    *,
    now: datetime,
    tenders: Sequence[Tender] = (),
    expected_price_cents: int | None = None,
) -> PackagedCourse:
    """Sell a course already booked as a package (its planned sessions, today's price)."""
    if tenders:
        check_tenders(tenders)
    now = aware_utc(now, "now")
    with db.write() as s:
        _package, invoice = _sell(
            s, course_id, now=now, tenders=tenders, expected_price_cents=expected_price_cents
        )
        return PackagedCourse(
            course_view(s, course_id), _usage(s, course_id), invoice_view(s, invoice)
        )


def _credit_value(
    s: Session, package: CoursePackage, course: TreatmentCourse, used: int, on: date
) -> int:
    """The unused sessions' worth before tax and before the fee, by the clinic's rule."""
    unused = package.sessions - used
    if unused <= 0:
        return 0
    if rules_in(s).refund_rule == "regular_fee":  # the used sessions at the regular fee
        fee = fee_on(s, course.appointment_type_id, course.practitioner_id, on)
        return max(package.price_cents - used * fee, 0)
    return package.price_cents * unused // package.sessions  # whole cents, never more


@operation("cancel_packaged_course", patient=by_course)
def cancel_packaged_course(
    db: Database, course_id: int, reason: str, *, now: datetime, pay_back: bool = True
) -> PackageCancellation:
    """Cancel the course's sessions still ahead and credit its unused package sessions.

    The sale is voided (its reason names the unused sessions) and reissued for what the
    clinic keeps; payments on it become credit, pay the reissue first, and the rest is given
    back the way it was paid (``pay_back``) or stays on the account.
    """
    reason = course_cancel_reason(reason)
    now = aware_utc(now, "now")
    with db.write() as s:
        return _cancel_in(s, course_id, reason, now=now, pay_back=pay_back)


@operation("preview_course_cancellation", patient=by_course)
def preview_course_cancellation(
    db: Database, course_id: int, *, now: datetime, pay_back: bool = True
) -> CourseCancellationPreview:
    """What cancelling the rest of the course would do, with nothing changed: the booked
    sessions still ahead and, for a course sold as a package, its refund to the cent.

    The package's figures come from the very cancellation ``cancel_packaged_course`` runs,
    in a transaction that is rolled back, so the dialog shows exactly what will happen.
    """
    now = aware_utc(now, "now")
    with db.read() as s:
        active_course(s, course_id)  # refused as cancelling it would be
        view = course_view(s, course_id)
        ahead = sum(
            1 for a in view.appointments if a.status is AppointmentStatus.BOOKED and a.start >= now
        )
        usage = package_usage(s, course_id)
        cancellation = None
        if usage is not None and usage.status == "active":
            cancellation = _cancel_in(s, course_id, "preview", now=now, pay_back=pay_back)
        return CourseCancellationPreview(view, ahead, cancellation, rules_in(s))


def _cancel_in(
    s: Session, course_id: int, reason: str, *, now: datetime, pay_back: bool
) -> PackageCancellation:
    package = s.scalar(
        select(CoursePackage).where(CoursePackage.course_id == course_id).with_for_update()
    )
    if package is None:
        raise NotFound("This course was not sold as a package.")
    if package.status == "cancelled":
        raise InvalidTransition("This package is already cancelled.")
    course = s.get(TreatmentCourse, course_id)
    assert course is not None
    close_course(s, course_id, reason, now)
    used = _usage(s, course_id).used
    unused = max(package.sessions - used, 0)
    today = _today(s, now)
    value = _credit_value(s, package, course, used, today)
    fee = min(rules_in(s).cancel_fee_cents, value)
    sale = s.get(Invoice, package.invoice_id)
    assert sale is not None
    voided = reissue = None
    credit = 0
    refunds: list[tuple[str, int]] = []
    if value - fee > 0 and sale.status == "issued":
        kind = s.get(AppointmentType, course.appointment_type_id)
        assert kind is not None
        void_in(
            s,
            sale,
            f"Course cancelled ({reason}): {unused} of {package.sessions} sessions unused, "
            f"{fmt_money(value - fee)} credited",
            now,
        )
        voided = sale
        lines = []
        if package.price_cents - value > 0:
            lines.append(
                _Line(
                    f"{kind.name}: package of {package.sessions} sessions, {used} used "
                    "(course cancelled)",
                    1,
                    package.price_cents - value,
                    kind.tax_code,
                )
            )
        if fee > 0:
            lines.append(_Line("Package cancellation fee", 1, fee, kind.tax_code))
        if lines:
            reissue = _issue(
                s,
                kind="sale",
                patient_id=sale.patient_id,
                lines=lines,
                service_date=sale.service_date or today,
                now=now,
                practitioner_id=sale.practitioner_id,
                reissue_of_id=sale.id,
            )
            package.invoice_id = reissue.id
            apply_credit_in(s, reissue, now)
        credit = sale.total_cents - (reissue.total_cents if reissue is not None else 0)
        if pay_back:
            refunds = _pay_back(
                s,
                sale.id,
                credit,
                f"Course cancelled: {unused} unused package sessions ({reason})",
                now,
            )
    package.status = "cancelled"
    package.cancelled_at = now
    package.cancel_reason = reason
    package.credit_cents = credit
    s.flush()
    return PackageCancellation(
        course_view(s, course_id),
        _usage(s, course_id),
        unused,
        credit,
        fee,
        sum(cents for _method, cents in refunds),
        None if voided is None else invoice_view(s, voided),
        None if reissue is None else invoice_view(s, reissue),
        tuple(refunds),
    )


def _pay_back(
    s: Session, sale_id: int, credit: int, reason: str, now: datetime
) -> list[tuple[str, int]]:
    """Refund up to ``credit`` from the payments that paid the sale, newest first, each only
    as far as it is still credit on the account: each refund's method and amount."""
    payments = s.scalars(
        select(Payment)
        .join(PaymentAllocation, PaymentAllocation.payment_id == Payment.id)
        .where(PaymentAllocation.invoice_id == sale_id, PaymentAllocation.amount_cents > 0)
        .distinct()
        .order_by(Payment.received_at.desc(), Payment.id.desc())
    ).all()
    refunds: list[tuple[str, int]] = []
    refunded = 0
    for payment in payments:
        part = min(unapplied_cents(s, payment), credit - refunded)
        if part > 0:
            refund_in(s, payment, part, reason, now)
            refunds.append((payment.method, part))
            refunded += part
    return refunds


@operation("patient_packages", patient=by_patient)
def patient_packages(db: Database, patient_id: int) -> list[PackageView]:
    """The patient's packages, oldest first, with sessions used and left."""
    with db.read() as s:
        views = []
        for usage in patient_package_usages(s, patient_id):
            course = s.get(TreatmentCourse, usage.course_id)
            assert course is not None
            kind = s.get(AppointmentType, course.appointment_type_id)
            invoice = s.get(Invoice, usage.invoice_id)
            assert kind is not None and invoice is not None
            views.append(
                PackageView(
                    usage, kind.name, invoice.number, invoice.total_cents, course.start_date
                )
            )
        return views
