"""What is used and left of a course's package: the one rule every reader shares.

The check-out, the patient's account, the handout and the scheduling guard that keeps a
packaged course from being cancelled without its refund all count the same way: a session is
used when an attended visit drew it (``package_draws``). Only the database below; the money
side (sale, draw, refund) is ``frontdesk.billing.packages``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.db.models import CoursePackage, PackageDraw


@dataclass(frozen=True)
class PackageUsage:
    package_id: int
    course_id: int
    sessions: int
    used: int
    price_cents: int  # before tax
    status: str  # "active" or "cancelled"
    credit_cents: int | None  # given back on cancellation, tax included
    invoice_id: int  # the sale (its reissue, once a cancellation credited part of it)

    @property
    def left(self) -> int:
        """Sessions still to use (none once the package is cancelled)."""
        return 0 if self.status == "cancelled" else max(self.sessions - self.used, 0)

    def summary(self) -> str:
        """``3 of 8 sessions used, 5 left`` as every screen and paper says it."""
        text = f"{self.used} of {self.sessions} sessions used"
        if self.status == "cancelled":
            return f"{text}; cancelled"
        return f"{text}, {self.left} left"


def _usage(s: Session, package: CoursePackage) -> PackageUsage:
    used = s.scalar(select(func.count(PackageDraw.id)).where(PackageDraw.package_id == package.id))
    return PackageUsage(
        package.id,
        package.course_id,
        package.sessions,
        int(used or 0),
        package.price_cents,
        package.status,
        package.credit_cents,
        package.invoice_id,
    )


def package_usage(s: Session, course_id: int) -> PackageUsage | None:
    """The course's package, if it was sold as one."""
    package = s.scalar(select(CoursePackage).where(CoursePackage.course_id == course_id))
    return None if package is None else _usage(s, package)


def patient_package_usages(s: Session, patient_id: int) -> list[PackageUsage]:
    """Every package the patient bought, oldest first."""
    rows = s.scalars(
        select(CoursePackage)
        .where(CoursePackage.patient_id == patient_id)
        .order_by(CoursePackage.created_at, CoursePackage.id)
    )
    return [_usage(s, p) for p in rows]


@dataclass(frozen=True)
class Cover:
    """A package session a visit takes at check-out: ``number`` of ``sessions``."""

    package_id: int
    number: int
    sessions: int
    new: bool  # False: the visit drew it before (its invoice is being issued again)


def session_cover(s: Session, appointment_id: int, course_id: int | None) -> Cover | None:
    """The package session this visit uses, if its course's package covers it: the one it
    drew already, or the next one while the package is active and has sessions left."""
    if course_id is None:
        return None
    package = s.scalar(select(CoursePackage).where(CoursePackage.course_id == course_id))
    if package is None:
        return None
    drawn = s.scalar(select(PackageDraw).where(PackageDraw.appointment_id == appointment_id))
    count = select(func.count(PackageDraw.id)).where(PackageDraw.package_id == package.id)
    if drawn is not None:
        number = int(s.scalar(count.where(PackageDraw.id <= drawn.id)) or 0)
        return Cover(package.id, number, package.sessions, False)
    used = int(s.scalar(count) or 0)
    if package.status != "active" or used >= package.sessions:
        return None
    return Cover(package.id, used + 1, package.sessions, True)
