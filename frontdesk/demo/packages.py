"""The demo clinic's course packages: a few acupuncture courses sold as packages, partly used,
one paid in instalments with a part still owing, and one cancelled with its refund.

``write_packages`` runs in the builder's transaction after the year of invoices: it sells the
packages with the billing services' own building blocks (the sale invoice, its number and tax,
the payments) and turns the attended sessions' visit invoices into package sessions at $0, as a
check-out would have. ``cancel_one_package`` then cancels one course at the desk through the
service, as reception (its refund, void and reissue land in the audit trail).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from frontdesk.billing.invoices import record_tenders
from frontdesk.billing.packages import cancel_packaged_course, issue_package_sale, offer_in
from frontdesk.billing.types import PaymentMethod, Tender
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Appointment,
    AppointmentType,
    CoursePackage,
    Invoice,
    PackageDraw,
    Payment,
    PaymentAllocation,
    TreatmentCourse,
)
from frontdesk.demo.activity import _signed_in

PACKAGES = 5  # courses sold as packages
CANCEL_REASON = "Patient moving out of town"


def _courses(session: Session) -> list[tuple[TreatmentCourse, list[Appointment]]]:
    """Active courses partly attended and partly still ahead, oldest first."""
    found = []
    for course in session.scalars(
        select(TreatmentCourse)
        .where(TreatmentCourse.status == "active")
        .order_by(TreatmentCourse.id)
    ):
        rows = list(
            session.scalars(
                select(Appointment)
                .where(Appointment.course_id == course.id)
                .order_by(Appointment.start_at, Appointment.id)
            )
        )
        done = sum(r.status == "completed" for r in rows)
        ahead = sum(r.status == "booked" for r in rows)
        if done and ahead and done <= course.planned_sessions:
            found.append((course, rows))
        if len(found) == PACKAGES:
            break
    return found


def _as_package_session(
    session: Session, visit: Appointment, package: CoursePackage, number: int, name: str
) -> None:
    """What check-out would have issued: the visit's line at $0 naming the session drawn."""
    invoice = session.scalar(
        select(Invoice).where(Invoice.appointment_id == visit.id, Invoice.kind == "visit")
    )
    drawn_at = visit.end_at
    if invoice is not None:
        drawn_at = invoice.issued_at
        first = invoice.lines[0]
        first.description = f"{name}: package session {number} of {package.sessions}"
        first.unit_price_cents = first.amount_cents = first.tax_cents = 0
        paid_by = list(
            session.scalars(
                select(PaymentAllocation.payment_id).where(
                    PaymentAllocation.invoice_id == invoice.id
                )
            )
        )
        session.execute(delete(PaymentAllocation).where(PaymentAllocation.invoice_id == invoice.id))
        session.execute(delete(Payment).where(Payment.id.in_(paid_by)))
        session.flush()
        invoice.subtotal_cents = sum(line.amount_cents for line in invoice.lines)
        invoice.tax_cents = sum(line.tax_cents for line in invoice.lines)
        invoice.total_cents = invoice.subtotal_cents + invoice.tax_cents
        if invoice.total_cents:  # a product bought with the visit, paid at the desk
            record_tenders(
                session,
                visit.patient_id,
                [Tender(PaymentMethod.DEBIT, invoice.total_cents)],
                now=invoice.issued_at,
                invoice=invoice,
            )
    session.add(
        PackageDraw(
            package_id=package.id,
            appointment_id=visit.id,
            invoice_id=None if invoice is None else invoice.id,
            at=drawn_at,
        )
    )


def write_packages(session: Session, tz: ZoneInfo) -> int:
    """Sell a few courses as packages and draw their attended sessions; how many were sold."""
    sold = 0
    for index, (course, rows) in enumerate(_courses(session)):
        kind = session.get(AppointmentType, course.appointment_type_id)
        assert kind is not None
        first_day: date = rows[0].start_at.astimezone(tz).date()
        offer = offer_in(
            session,
            course.appointment_type_id,
            course.practitioner_id,
            course.planned_sessions,
            first_day,
        )
        if offer is None:
            continue
        sold_at: datetime = rows[0].start_at - timedelta(minutes=10)
        package, sale = issue_package_sale(
            session, course, offer, service_date=first_day, now=sold_at
        )
        session.flush()
        # Most pay up front; one pays in two instalments; one has paid only the first half.
        half = sale.total_cents // 2
        if index % 3 == 1:
            plan = [(sold_at, half), (rows[1].start_at, sale.total_cents - half)]
        elif index % 3 == 2:
            plan = [(sold_at, half)]
        else:
            plan = [(sold_at, sale.total_cents)]
        for when, cents in plan:
            record_tenders(
                session,
                course.patient_id,
                [Tender(PaymentMethod.CREDIT_CARD, cents)],
                now=when,
                invoice=sale,
            )
        number = 0
        for visit in rows:
            if visit.status == "completed":
                number += 1
                _as_package_session(session, visit, package, number, kind.name)
        session.flush()
        sold += 1
    return sold


def cancel_one_package(db: Database, now: datetime) -> None:
    """Reception cancels the last package's course, as at the desk: the unused sessions are
    credited by the clinic's rule and paid back."""
    reception = _signed_in(db, "reception")
    if reception is None:
        return
    with db.read() as s:
        course_id = s.scalar(
            select(CoursePackage.course_id)
            .where(CoursePackage.status == "active")
            .order_by(CoursePackage.id.desc())
            .limit(1)
        )
    if course_id is not None:
        cancel_packaged_course(reception, course_id, CANCEL_REASON, now=now)
