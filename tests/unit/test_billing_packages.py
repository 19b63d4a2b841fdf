"""Course packages (issue 17, item 4): sold with the course, drawn down by attendance, the
unused sessions credited on cancel by the clinic's rule, the balance exact to the cent."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from frontdesk.billing import (
    PackageRules,
    PaymentMethod,
    Tender,
    book_packaged_course,
    cancel_packaged_course,
    check_out,
    package_offer,
    patient_balance,
    patient_billing_history,
    patient_packages,
    preview_course_cancellation,
    set_package_policy,
    set_package_price,
    take_payment,
)
from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, AuditEvent, Invoice, Payment
from frontdesk.domain import Frequency, InvalidTransition, PermissionDenied, Role, ValidationError
from frontdesk.plans import create_plan, current_plan_for_patient, load_library
from frontdesk.plans.sample import sample_input
from frontdesk.reports import plan_handout_pdf
from frontdesk.scheduling import CourseRequest, cancel_remaining, extend_course
from tests.accounts_support import as_role
from tests.unit.billing_support import add_massage_type, price_list
from tests.unit.test_scheduling_support import MONDAY, NOW, Clinic, local

CASH, DEBIT = PaymentMethod.CASH, PaymentMethod.DEBIT


@pytest.fixture
def massage(db: Database, clinic: Clinic) -> int:
    type_id = add_massage_type(db)
    price_list(db, clinic, type_id)  # acupuncture $85 (exempt), massage $95 (GST)
    return type_id


def _request(c: Clinic, type_id: int, sessions: int) -> CourseRequest:
    return CourseRequest(
        patient_id=c.ann,
        practitioner_id=c.acu,
        type_id=type_id,
        sessions=sessions,
        frequency=Frequency.WEEKLY,
        preferred_time=time(10),
        start_date=MONDAY,
        room_id=c.room1,
    )


def _starts(sessions: int) -> list[datetime]:
    return [local(MONDAY + timedelta(weeks=i), 10) for i in range(sessions)]


def _attend(db: Database, course_id: int, count: int) -> list[int]:
    """Check out the course's next ``count`` booked sessions as attended; their invoice totals."""
    with db.write() as s:
        rows = list(
            s.scalars(
                select(Appointment)
                .where(Appointment.course_id == course_id, Appointment.status == "booked")
                .order_by(Appointment.start_at)
                .limit(count)
            )
        )
        for row in rows:
            row.status = "checked_in"
        visits = [(row.id, row.end_at) for row in rows]
    return [check_out(db, i, now=end + timedelta(minutes=5)).total_cents for i, end in visits]


def test_the_wizard_price_is_the_regular_fees_less_the_clinic_discount_or_its_own_price(
    db: Database, clinic: Clinic, massage: int
) -> None:
    offer = package_offer(db, clinic.acupuncture, clinic.acu, 8, on=MONDAY)
    assert offer is not None
    assert (offer.regular_cents, offer.price_cents, offer.tax_cents) == (68000, 61200, 0)
    assert offer.text() == "8 sessions for $612.00 (save $68.00 on the regular fees)"
    set_package_price(db, massage, 3, 25001, effective_from=date(2026, 1, 1))
    own = package_offer(db, massage, clinic.acu, 3, on=MONDAY)
    assert own is not None and own.from_price_list
    assert (own.price_cents, own.tax_cents, own.total_cents) == (25001, 1250, 26251)


def test_each_attended_session_draws_one_down_and_later_ones_are_charged(
    db: Database, clinic: Clinic, massage: int
) -> None:
    sold = book_packaged_course(
        db,
        _request(clinic, clinic.acupuncture, 3),
        _starts(3),
        now=NOW,
        tenders=[Tender(CASH, 20000)],  # a first instalment at booking
        expected_price_cents=22950,  # 3 × $85 less 10%
    )
    assert sold.invoice.kind == "sale" and sold.invoice.total_cents == 22950
    assert sold.invoice.lines[0].description == "Acupuncture treatment: package of 3 sessions"
    assert sold.invoice.lines[0].tax_code == "exempt"
    assert sold.package.summary() == "0 of 3 sessions used, 3 left"
    take_payment(db, clinic.ann, [Tender(DEBIT, 2950)], now=NOW, invoice_id=sold.invoice.id)

    extend_course(db, sold.course.id, 1, now=NOW)  # a fourth session, beyond the package
    assert _attend(db, sold.course.id, 2) == [0, 0]
    (package,) = patient_packages(db, clinic.ann)
    assert (package.usage.used, package.usage.left) == (2, 1)
    assert _attend(db, sold.course.id, 2) == [0, 8500]  # the 4th at the regular fee

    with db.read() as s:
        lines = [
            i.lines[0].description
            for i in s.scalars(select(Invoice).where(Invoice.kind == "visit").order_by(Invoice.id))
        ]
    assert lines == [
        "Acupuncture treatment: package session 1 of 3",
        "Acupuncture treatment: package session 2 of 3",
        "Acupuncture treatment: package session 3 of 3",
        "Acupuncture treatment",
    ]
    balance = patient_balance(db, clinic.ann)
    assert (balance.invoiced_cents, balance.paid_cents, balance.balance_cents) == (
        22950 + 8500,
        22950,
        8500,
    )
    history = patient_billing_history(db, clinic.ann)
    assert "(3 of 3 sessions used, 0 left)" in history[0].description
    with db.read() as s:
        actions = set(s.scalars(select(AuditEvent.entity).where(AuditEvent.action == "check_out")))
        sales = set(
            s.scalars(select(AuditEvent.entity).where(AuditEvent.action == "book_packaged_course"))
        )
    assert "package_draws" in actions
    assert {"course_packages", "invoices", "appointments", "payments"} <= sales


def test_cancelling_credits_the_unused_sessions_by_the_rule_and_pays_them_back(
    db: Database, clinic: Clinic, massage: int
) -> None:
    set_package_policy(db, PackageRules(discount_basis_points=1000, cancel_fee_cents=2500))
    sold = book_packaged_course(
        db,
        _request(clinic, clinic.acupuncture, 8),
        _starts(8),
        now=NOW,
        tenders=[Tender(DEBIT, 61200)],
    )
    _attend(db, sold.course.id, 3)
    with pytest.raises(InvalidTransition, match="sold as a package"):
        cancel_remaining(db, sold.course.id, "Moving away", now=NOW)

    when = local(MONDAY + timedelta(weeks=3), 9).astimezone(UTC)
    done = cancel_packaged_course(db, sold.course.id, "Moving away", now=when)
    # 5 of 8 unused at the package's own rate: 612.00 × 5 / 8 = 382.50, less the $25 fee.
    assert (done.unused, done.fee_cents, done.credit_cents, done.refunded_cents) == (
        5,
        2500,
        35750,
        35750,
    )
    assert done.void_invoice is not None and done.void_invoice.status == "void"
    assert "5 of 8 sessions unused, $357.50 credited" in (done.void_invoice.void_reason or "")
    assert done.reissue is not None
    assert [(line.description, line.amount_cents) for line in done.reissue.lines] == [
        ("Acupuncture treatment: package of 8 sessions, 3 used (course cancelled)", 22950),
        ("Package cancellation fee", 2500),
    ]
    assert done.reissue.outstanding_cents == 0
    assert done.package.summary() == "3 of 8 sessions used; cancelled"
    assert [a.status.value for a in done.course.appointments].count("cancelled") == 5

    balance = patient_balance(db, clinic.ann)
    assert (balance.invoiced_cents, balance.paid_cents, balance.balance_cents) == (
        25450,
        25450,
        0,
    )
    assert balance.credit_cents == 0
    with db.read() as s:
        (refund,) = s.scalars(select(Payment).where(Payment.amount_cents < 0))
        assert (refund.method, refund.amount_cents) == ("debit", -35750)
        assert refund.reason == "Course cancelled: 5 unused package sessions (Moving away)"
    refunds = [e for e in patient_billing_history(db, clinic.ann) if e.kind == "refund"]
    assert refunds[0].amount_cents == 35750
    with db.read() as s:
        audited = set(
            s.scalars(
                select(AuditEvent.entity).where(AuditEvent.action == "cancel_packaged_course")
            )
        )
    assert {"course_packages", "invoices", "payments", "appointments"} <= audited


def test_a_taxed_package_left_as_credit_keeps_every_cent(
    db: Database, clinic: Clinic, massage: int
) -> None:
    set_package_price(db, massage, 3, 25001, effective_from=date(2026, 1, 1))
    req = replace(_request(clinic, massage, 3), practitioner_id=clinic.acu)
    sold = book_packaged_course(db, req, _starts(3), now=NOW, tenders=[Tender(CASH, 26251)])
    assert (sold.invoice.subtotal_cents, sold.invoice.tax_cents) == (25001, 1250)
    _attend(db, sold.course.id, 1)
    done = cancel_packaged_course(db, sold.course.id, "Changed plans", now=NOW, pay_back=False)
    # Kept: 250.01 − 250.01 × 2 // 3 = 83.34, + 4.17 GST; credit = 262.51 − 87.51.
    assert done.reissue is not None
    assert (done.reissue.subtotal_cents, done.reissue.tax_cents) == (8334, 417)
    assert (done.credit_cents, done.refunded_cents) == (17500, 0)
    balance = patient_balance(db, clinic.ann)
    assert (balance.balance_cents, balance.credit_cents) == (-17500, 17500)


def test_reception_sells_packages_and_a_practitioner_cannot(
    db: Database, clinic: Clinic, massage: int
) -> None:
    practitioner = as_role(db, Role.PRACTITIONER, practitioner_id=clinic.acu)
    with pytest.raises(PermissionDenied, match="may not sell or refund course packages"):
        book_packaged_course(
            practitioner, _request(clinic, clinic.acupuncture, 2), _starts(2), now=NOW
        )
    reception = as_role(db, Role.RECEPTION)
    sold = book_packaged_course(
        reception, _request(clinic, clinic.acupuncture, 2), _starts(2), now=NOW
    )
    assert patient_packages(practitioner, clinic.ann)[0].usage.left == 2
    assert sold.course.planned == 2


def test_the_handout_shows_the_package_sessions_used_and_left(
    db: Database, clinic: Clinic, massage: int
) -> None:
    plan = create_plan(db, sample_input(clinic.ann, clinic.acu, None, load_library()), now=NOW)
    sold = book_packaged_course(
        db, _request(clinic, clinic.acupuncture, 8), _starts(8), now=NOW, plan_id=plan.plan_id
    )
    _attend(db, sold.course.id, 3)
    later = local(MONDAY + timedelta(weeks=3), 9).astimezone(UTC)
    current = current_plan_for_patient(db, clinic.ann)
    assert current is not None
    pdf = plan_handout_pdf(db, current.revision_id, now=later, mark=False)
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    assert "Your package: 3 of 8 sessions used, 5 left" in text


def test_a_price_changed_since_the_quote_books_nothing(
    db: Database, clinic: Clinic, massage: int
) -> None:
    with pytest.raises(ValidationError, match=r"The package price is now \$229.50, not \$200.00"):
        book_packaged_course(
            db,
            _request(clinic, clinic.acupuncture, 3),
            _starts(3),
            now=NOW,
            expected_price_cents=20000,
        )
    with db.read() as s:
        assert s.scalars(select(Appointment)).all() == []
        assert s.scalars(select(Invoice)).all() == []


def test_the_regular_fee_rule_charges_the_used_sessions_at_the_full_fee(
    db: Database, clinic: Clinic, massage: int
) -> None:
    set_package_policy(db, PackageRules(refund_rule="regular_fee"))
    sold = book_packaged_course(
        db,
        _request(clinic, clinic.acupuncture, 4),
        _starts(4),
        now=NOW,
        tenders=[Tender(CASH, 30600)],  # 4 × $85 less 10%
    )
    _attend(db, sold.course.id, 1)
    done = cancel_packaged_course(db, sold.course.id, "No longer needed", now=NOW)
    # Kept: one session at the regular $85 (the discount is lost); back: $306 − $85.
    assert done.reissue is not None and done.reissue.total_cents == 8500
    assert (done.credit_cents, done.refunded_cents) == (22100, 22100)
    assert patient_balance(db, clinic.ann).balance_cents == 0


def test_the_preview_shows_the_refund_to_the_cent_and_changes_nothing(
    db: Database, clinic: Clinic, massage: int
) -> None:
    set_package_policy(db, PackageRules(discount_basis_points=1000, cancel_fee_cents=2500))
    sold = book_packaged_course(
        db, _request(clinic, clinic.acupuncture, 8), _starts(8), now=NOW, tenders=[]
    )
    take_payment(db, clinic.ann, [Tender(CASH, 20000)], now=NOW, invoice_id=sold.invoice.id)
    take_payment(db, clinic.ann, [Tender(DEBIT, 41200)], now=NOW, invoice_id=sold.invoice.id)
    _attend(db, sold.course.id, 3)
    when = local(MONDAY + timedelta(weeks=3), 9).astimezone(UTC)
    before = patient_balance(db, clinic.ann)

    preview = preview_course_cancellation(db, sold.course.id, now=when)
    assert preview.sessions_ahead == 5 and preview.package is not None
    seen = preview.package
    assert (seen.unused, seen.fee_cents, seen.credit_cents, seen.refunded_cents) == (
        5,
        2500,
        35750,
        35750,
    )
    assert seen.refunds == (("debit", 35750),)  # newest payment first
    # Nothing changed: the course, its package and the balance are as they were.
    assert patient_balance(db, clinic.ann) == before
    (package,) = patient_packages(db, clinic.ann)
    assert package.usage.status == "active"
    with db.read() as s:
        assert s.scalar(select(Payment).where(Payment.amount_cents < 0)) is None
        assert s.scalar(select(Invoice).where(Invoice.status == "void")) is None

    done = cancel_packaged_course(db, sold.course.id, "Moving away", now=when)
    assert (done.credit_cents, done.refunded_cents, done.refunds) == (
        seen.credit_cents,
        seen.refunded_cents,
        seen.refunds,
    )


def test_the_preview_of_a_course_without_package_counts_the_sessions_ahead(
    db: Database, clinic: Clinic, massage: int
) -> None:
    from frontdesk.scheduling import book_course

    course = book_course(db, _request(clinic, clinic.acupuncture, 4), _starts(4), now=NOW)
    preview = preview_course_cancellation(db, course.id, now=NOW)
    assert (preview.sessions_ahead, preview.package) == (4, None)
    practitioner = as_role(db, Role.PRACTITIONER, practitioner_id=clinic.acu)
    with pytest.raises(PermissionDenied, match="may not"):
        preview_course_cancellation(practitioner, course.id, now=NOW)
