"""Changing a booked course: move this and the following sessions, cancel the rest, extend.

Each change is one write transaction (``checked_write``): every session is checked before any is
written, so a course is never left half moved or half extended.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.accounts.operation import operation
from frontdesk.clinic import load_clinic
from frontdesk.course_packages import package_usage
from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, TreatmentCourse
from frontdesk.domain import (
    BookingError,
    CourseStatus,
    Frequency,
    InvalidTransition,
    ValidationError,
)
from frontdesk.scheduling.booking import load_row
from frontdesk.scheduling.course_plan import (
    MAX_SESSIONS,
    next_dates,
    preview_sessions,
)
from frontdesk.scheduling.courses import (
    BOOKED,
    CANCELLED,
    active_course,
    course_rows,
    course_view,
    insert_sessions,
)
from frontdesk.scheduling.dto import CourseRequest, CourseView, SessionPreview
from frontdesk.scheduling.localtime import shift_wall_clock, to_local
from frontdesk.scheduling.rules import aware_utc, checked_write, validate
from frontdesk.scheduling.session_checks import check_sessions, numbered
from frontdesk.scheduling.status import mark_cancelled

EXTENDABLE = (CourseStatus.COMPLETED,)


@operation("shift_following")
def shift_following(
    db: Database, appointment_id: int, new_start: datetime, *, now: datetime
) -> CourseView:
    """Move this session and every later booked one by the same wall-clock change.

    Moving Tuesday 10:00 to Thursday 11:00 moves each later session two days and one hour on
    the local calendar, so sessions keep their local time across a DST change.
    """
    now = aware_utc(now, "now")
    new_start = aware_utc(new_start, "new_start")

    def check(s: Session) -> list[tuple[Appointment, datetime]]:
        row = load_row(s, appointment_id)
        if row.course_id is None:
            raise BookingError("This appointment is not part of a course.")
        if row.status != BOOKED:
            raise InvalidTransition("Only a booked session can be moved.")
        course = active_course(s, row.course_id)
        clinic = load_clinic(s)
        delta = to_local(new_start, clinic.tz).replace(tzinfo=None) - to_local(
            row.start_at, clinic.tz
        ).replace(tzinfo=None)
        moving = list(
            s.scalars(
                select(Appointment)
                .where(
                    Appointment.course_id == course.id,
                    Appointment.status == BOOKED,
                    Appointment.start_at >= row.start_at,
                )
                .order_by(Appointment.start_at)
            )
        )
        targets = [shift_wall_clock(a.start_at, delta, clinic.tz) for a in moving]
        first_index = 1 + sum(
            1
            for a in course_rows(s, course.id)
            if a.start_at < row.start_at and a.status != CANCELLED
        )
        for a, start in zip(moving, targets, strict=True):
            try:
                validate(
                    s,
                    patient_id=a.patient_id,
                    practitioner_id=a.practitioner_id,
                    type_id=a.appointment_type_id,
                    room_id=a.room_id,
                    start=start,
                    now=now,
                    exclude=[m.id for m in moving],
                    clinic=clinic,
                )
            except BookingError as exc:
                raise numbered(first_index, exc) from exc
            first_index += 1
        return list(zip(moving, targets, strict=True))

    def apply(s: Session, moves: list[tuple[Appointment, datetime]]) -> CourseView:
        course_id = moves[0][0].course_id
        for row, start in moves:
            row.end_at = start + (row.end_at - row.start_at)
            row.start_at = start
            row.updated_at = now
        s.flush()
        assert course_id is not None
        return course_view(s, course_id)

    return checked_write(db, check, apply)


def course_cancel_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError.single("reason", "Give a reason for cancelling the course.")
    return reason


def close_course(s: Session, course_id: int, reason: str, now: datetime) -> None:
    """Cancel the course's booked sessions still ahead and mark it cancelled (inside the
    caller's transaction: the package refund rides in the same one)."""
    course = active_course(s, course_id)
    for row in course_rows(s, course_id):
        if row.status == BOOKED and row.start_at >= now:
            mark_cancelled(row, reason, now)
    course.status = CourseStatus.CANCELLED.value
    s.flush()


@operation("cancel_remaining")
def cancel_remaining(db: Database, course_id: int, reason: str, *, now: datetime) -> CourseView:
    """Cancel every booked session still ahead and close the course.

    A course sold as a package is cancelled with its refund instead
    (``billing.cancel_packaged_course``), so unused sessions are never kept without a word.
    """
    reason = course_cancel_reason(reason)
    now = aware_utc(now, "now")
    with db.write() as s:
        usage = package_usage(s, course_id)
        if usage is not None and usage.status == "active":
            raise InvalidTransition(
                "This course was sold as a package; cancel it together with the refund of "
                "its unused sessions."
            )
        close_course(s, course_id, reason, now)
        return course_view(s, course_id)


def _extension_plan(
    s: Session, course: TreatmentCourse, extra: int, now: datetime
) -> list[SessionPreview]:
    clinic = load_clinic(s)
    rows = [r for r in course_rows(s, course.id) if r.status != CANCELLED]
    last = to_local(rows[-1].start_at, clinic.tz).date() if rows else course.start_date
    weekdays = tuple(course.weekdays or ())
    frequency = Frequency(course.frequency)
    dates = next_dates(frequency, last, extra, weekdays, course.interval_days)
    req = CourseRequest(
        patient_id=course.patient_id,
        practitioner_id=course.practitioner_id,
        type_id=course.appointment_type_id,
        sessions=extra,
        frequency=frequency,
        preferred_time=course.preferred_time,
        start_date=dates[0],
        weekdays=weekdays,
        interval_days=course.interval_days,
        room_id=rows[-1].room_id if rows else None,
    )
    return preview_sessions(s, clinic, req, dates, now, first_index=len(rows) + 1)


@operation("preview_extension")
def preview_extension(
    db: Database, course_id: int, extra: int, *, now: datetime
) -> list[SessionPreview]:
    """The sessions ``extend_course`` would add, judged like a course preview."""
    if not 1 <= extra <= MAX_SESSIONS:
        raise ValidationError.single("extra", f"Add between 1 and {MAX_SESSIONS} sessions.")
    with db.read() as s:
        course = active_course(s, course_id, also=EXTENDABLE)
        return _extension_plan(s, course, extra, aware_utc(now, "now"))


@operation("extend_course")
def extend_course(
    db: Database, course_id: int, extra: int, *, now: datetime, starts: list[datetime] | None = None
) -> CourseView:
    """Add ``extra`` sessions after the last one, following the course's pattern.

    A completed course can be extended too (the patient needs more sessions); it becomes active
    again. ``starts``, when given, holds exactly ``extra`` times. Without it each new session takes its planned time, or the preview's suggestion
    when that time is taken; a session with neither refuses the whole extension.
    """
    if not 1 <= extra <= MAX_SESSIONS:
        raise ValidationError.single("extra", f"Add between 1 and {MAX_SESSIONS} sessions.")
    if starts is not None and len(starts) != extra:
        # Otherwise an empty list would reactivate a completed course without adding anything.
        raise ValidationError.single(
            "starts",
            f"Give one time per new session: {extra} needed, {len(starts)} given.",
        )
    now = aware_utc(now, "now")

    def check(s: Session) -> list[tuple[datetime, datetime, int | None]]:
        course = active_course(s, course_id, also=EXTENDABLE)
        if course.planned_sessions + extra > MAX_SESSIONS:
            raise ValidationError.single("extra", f"A course has at most {MAX_SESSIONS} sessions.")
        chosen = starts
        plan = _extension_plan(s, course, extra, now)
        if chosen is None:
            chosen = []
            for p in plan:
                if p.free:
                    chosen.append(p.start)
                elif p.suggestion is not None:
                    chosen.append(p.suggestion.start)
                else:
                    raise BookingError(f"Session {p.index}: {p.problem} No free time nearby.")
        existing = [r for r in course_rows(s, course_id) if r.status != CANCELLED]
        return check_sessions(
            s,
            load_clinic(s),
            patient_id=course.patient_id,
            practitioner_id=course.practitioner_id,
            type_id=course.appointment_type_id,
            room_id=existing[-1].room_id if existing else None,
            starts=sorted(chosen),
            now=now,
            first_index=plan[0].index,
        )

    def apply(s: Session, checked: list[tuple[datetime, datetime, int | None]]) -> CourseView:
        course = active_course(s, course_id, also=EXTENDABLE)
        course.planned_sessions += len(checked)
        course.status = CourseStatus.ACTIVE.value  # a finished course runs again
        insert_sessions(s, course, checked, now)
        return course_view(s, course_id)

    return checked_write(db, check, apply)
