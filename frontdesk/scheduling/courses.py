"""Courses of sessions: preview, and book every confirmed session or none.

Booking runs in one write transaction through ``checked_write``: if any session breaks a rule
nothing is written, and the error names the session (the rules per session live in
``session_checks``, shared with the wizard's re-check of edited times). Later changes are in ``course_changes``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.accounts.operation import by_course, by_patient, operation
from frontdesk.clinic import load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, TreatmentCourse
from frontdesk.domain import (
    AppointmentStatus,
    CourseStatus,
    Frequency,
    InvalidTransition,
    NotFound,
    ValidationError,
)
from frontdesk.plans.service import link_course
from frontdesk.scheduling.course_plan import (
    MAX_SESSIONS,
    preview_sessions,
    session_dates,
    validate_request,
)
from frontdesk.scheduling.dto import CourseRequest, CourseView, SessionPreview
from frontdesk.scheduling.rules import aware_utc, checked_write
from frontdesk.scheduling.session_checks import check_sessions
from frontdesk.scheduling.status import ATTENDED
from frontdesk.scheduling.views import load_views

BOOKED = AppointmentStatus.BOOKED.value
CANCELLED = AppointmentStatus.CANCELLED.value


def course_view(s: Session, course_id: int) -> CourseView:
    """A course with its sessions and progress, inside an open session."""
    course = s.get(TreatmentCourse, course_id)
    if course is None:
        raise NotFound(f"Course {course_id} no longer exists.")
    appointments = load_views(s, Appointment.course_id == course_id)
    return CourseView(
        id=course.id,
        patient_id=course.patient_id,
        practitioner_id=course.practitioner_id,
        planned=course.planned_sessions,
        attended=sum(a.status.value in ATTENDED for a in appointments),
        status=CourseStatus(course.status),
        appointments=appointments,
        type_id=course.appointment_type_id,
        frequency=Frequency(course.frequency),
        preferred_time=course.preferred_time,
        interval_days=course.interval_days,
    )


@operation("get_course", patient=by_course)
def get_course(db: Database, course_id: int) -> CourseView:
    """A course with every session (cancelled ones included) and its progress."""
    with db.read() as s:
        return course_view(s, course_id)


@operation("preview_course")
def preview_course(db: Database, req: CourseRequest, *, now: datetime) -> list[SessionPreview]:
    """Lay the course out and judge each session; nothing is written."""
    validate_request(req)
    dates = session_dates(
        req.frequency, req.start_date, req.sessions, req.weekdays, req.interval_days
    )
    with db.read() as s:
        return preview_sessions(s, load_clinic(s), req, dates, aware_utc(now, "now"))


def insert_sessions(
    s: Session,
    course: TreatmentCourse,
    checked: list[tuple[datetime, datetime, int | None]],
    now: datetime,
) -> None:
    """Write checked sessions of ``course`` (inside the caller's transaction)."""
    for start, end, room in checked:
        s.add(
            Appointment(
                patient_id=course.patient_id,
                practitioner_id=course.practitioner_id,
                room_id=room,
                appointment_type_id=course.appointment_type_id,
                course_id=course.id,
                start_at=start,
                end_at=end,
                status=BOOKED,
                created_at=now,
                updated_at=now,
            )
        )
    s.flush()


@operation("active_courses", patient=by_patient)
def active_courses(db: Database, patient_id: int) -> list[CourseView]:
    """The patient's courses still open (status active), earliest start first.

    What a new course would be booked beside: the wizard names them before booking, so two
    overlapping courses are never created without reception knowing.
    """
    with db.read() as s:
        ids = s.scalars(
            select(TreatmentCourse.id)
            .where(
                TreatmentCourse.patient_id == patient_id,
                TreatmentCourse.status == CourseStatus.ACTIVE.value,
            )
            .order_by(TreatmentCourse.start_date, TreatmentCourse.id)
        ).all()
        return [course_view(s, course_id) for course_id in ids]


CheckedSessions = list[tuple[datetime, datetime, int | None]]


def course_booking(
    req: CourseRequest, starts: list[datetime], *, now: datetime, plan_id: int | None = None
) -> tuple[Callable[[Session], CheckedSessions], Callable[[Session, CheckedSessions], CourseView]]:
    """The check and the write of booking a course, for ``checked_write``: ``book_course``
    runs them alone, the package sale (``billing.packages``) adds its invoice to the write."""
    validate_request(req)
    if not 1 <= len(starts) <= MAX_SESSIONS:
        raise ValidationError.single(
            "starts", f"A course has between 1 and {MAX_SESSIONS} sessions."
        )
    now = aware_utc(now, "now")

    def check(s: Session) -> CheckedSessions:
        return check_sessions(
            s,
            load_clinic(s),
            patient_id=req.patient_id,
            practitioner_id=req.practitioner_id,
            type_id=req.type_id,
            room_id=req.room_id,
            starts=sorted(starts),
            now=now,
        )

    def apply(s: Session, checked: CheckedSessions) -> CourseView:
        course = TreatmentCourse(
            patient_id=req.patient_id,
            practitioner_id=req.practitioner_id,
            appointment_type_id=req.type_id,
            planned_sessions=len(checked),
            frequency=req.frequency.value,
            interval_days=req.interval_days,
            weekdays=list(req.weekdays),
            preferred_time=req.preferred_time,
            start_date=req.start_date,
            status=CourseStatus.ACTIVE.value,
            notes=req.notes,
            created_at=now,
        )
        s.add(course)
        s.flush()
        insert_sessions(s, course, checked, now)
        if plan_id is not None:
            link_course(s, plan_id, course.id)
        return course_view(s, course.id)

    return check, apply


@operation("book_course")
def book_course(
    db: Database,
    req: CourseRequest,
    starts: list[datetime],
    *,
    now: datetime,
    plan_id: int | None = None,
) -> CourseView:
    """Book the confirmed session times (from the preview, edited or not) as one course.

    With ``plan_id`` the course becomes the one that treatment plan covers, in the same
    transaction, so the plan's handout lists exactly these sessions; if the plan cannot take
    it (archived, gone), nothing is booked.
    """
    check, apply = course_booking(req, starts, now=now, plan_id=plan_id)
    return checked_write(db, check, apply)


def active_course(
    s: Session, course_id: int, *, also: tuple[CourseStatus, ...] = ()
) -> TreatmentCourse:
    """The course to change, refusing one that was completed or cancelled (unless ``also``)."""
    course = s.get(TreatmentCourse, course_id)
    if course is None:
        raise NotFound(f"Course {course_id} no longer exists.")
    if course.status not in {CourseStatus.ACTIVE.value, *(c.value for c in also)}:
        raise InvalidTransition(f"This course is {course.status}; it cannot be changed.")
    return course


def course_rows(s: Session, course_id: int) -> list[Appointment]:
    """A course's appointments in time order, as rows to change."""
    return list(
        s.scalars(
            select(Appointment)
            .where(Appointment.course_id == course_id)
            .order_by(Appointment.start_at, Appointment.id)
        )
    )
