"""Courses of sessions: preview, book all or nothing, move the rest, cancel the rest, extend.

Every operation that changes sessions runs in one write transaction through ``checked_write``:
if any session breaks a rule nothing is written, and the error names the session.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.clinic import ClinicInfo, load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, AppointmentType, TreatmentCourse
from frontdesk.domain import (
    AppointmentStatus,
    BookingConflict,
    BookingError,
    CourseStatus,
    Frequency,
    InvalidTransition,
    NotFound,
    ValidationError,
)
from frontdesk.scheduling.booking import load_row
from frontdesk.scheduling.course_plan import (
    MAX_SESSIONS,
    CourseRequest,
    next_dates,
    preview_sessions,
    session_dates,
    validate_request,
)
from frontdesk.scheduling.conflicts import active_room_ids, first_free_room
from frontdesk.scheduling.dto import CourseView, SessionPreview
from frontdesk.scheduling.localtime import fmt_span, shift_wall_clock, to_local
from frontdesk.scheduling.rules import aware_utc, checked_write, validate
from frontdesk.scheduling.status import ATTENDED, mark_cancelled
from frontdesk.scheduling.views import load_views

BOOKED = AppointmentStatus.BOOKED.value


def _course_view(s: Session, course_id: int) -> CourseView:
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
    )


def get_course(db: Database, course_id: int) -> CourseView:
    with db.read() as s:
        return _course_view(s, course_id)


def preview_course(db: Database, req: CourseRequest, *, now: datetime) -> list[SessionPreview]:
    """Lay the course out and judge each session; nothing is written."""
    validate_request(req)
    dates = session_dates(req.frequency, req.start_date, req.sessions, req.weekdays, req.interval_days)
    with db.read() as s:
        return preview_sessions(s, load_clinic(s), req, dates, aware_utc(now, "now"))


def _check_sessions(
    s: Session,
    clinic: ClinicInfo,
    *,
    patient_id: int,
    practitioner_id: int,
    type_id: int,
    room_id: int | None,
    starts: Sequence[datetime],
    now: datetime,
    first_index: int = 1,
    exclude: Sequence[int] = (),
) -> list[tuple[datetime, datetime, int | None]]:
    """Validate every session (and that they do not overlap each other); refuse naming it."""
    checked: list[tuple[datetime, datetime, int | None]] = []
    for i, start in enumerate(starts):
        index = first_index + i
        try:
            room = room_id if room_id is not None else _auto_room(s, start, type_id)
            span = validate(
                s, patient_id=patient_id, practitioner_id=practitioner_id, type_id=type_id,
                room_id=room, start=start, now=now, exclude=exclude, clinic=clinic,
            )
        except BookingConflict as exc:
            raise type(exc)(f"Session {index}: {exc}", clash_id=exc.clash_id, field=exc.field) from exc
        except BookingError as exc:
            raise type(exc)(f"Session {index}: {exc}", field=exc.field) from exc
        for j, (a, b, _) in enumerate(checked):
            if a < span[1] and span[0] < b:
                raise BookingError(
                    f"Sessions {first_index + j} and {index} overlap at "
                    f"{fmt_span(span[0], span[1], clinic.tz)}.",
                    field="starts",
                )
        checked.append((span[0], span[1], room))
    return checked


def _auto_room(s: Session, start: datetime, type_id: int) -> int | None:
    """First free active room for a course session when the plan did not fix one."""
    kind = s.get(AppointmentType, type_id)
    if kind is None or not kind.needs_room:
        return None
    start = aware_utc(start)
    end = start + timedelta(minutes=kind.duration_minutes)
    room = first_free_room(s, active_room_ids(s), start, end)
    if room is None:
        raise BookingConflict(
            f"Every room is taken at {fmt_span(start, end, load_clinic(s).tz)}.", field="room_id"
        )
    return room


def _insert_sessions(
    s: Session,
    course: TreatmentCourse,
    checked: list[tuple[datetime, datetime, int | None]],
    now: datetime,
) -> None:
    for start, end, room in checked:
        s.add(
            Appointment(
                patient_id=course.patient_id, practitioner_id=course.practitioner_id,
                room_id=room, appointment_type_id=course.appointment_type_id,
                course_id=course.id, start_at=start, end_at=end, status=BOOKED,
                created_at=now, updated_at=now,
            )
        )
    s.flush()


def book_course(
    db: Database, req: CourseRequest, starts: list[datetime], *, now: datetime
) -> CourseView:
    """Book the confirmed session times (from the preview, edited or not) as one course."""
    validate_request(req)
    if not 1 <= len(starts) <= MAX_SESSIONS:
        raise ValidationError.single("starts", f"A course has between 1 and {MAX_SESSIONS} sessions.")
    now = aware_utc(now, "now")

    def check(s: Session) -> list[tuple[datetime, datetime, int | None]]:
        return _check_sessions(
            s, load_clinic(s), patient_id=req.patient_id, practitioner_id=req.practitioner_id,
            type_id=req.type_id, room_id=req.room_id, starts=sorted(starts), now=now,
        )

    def apply(s: Session, checked: list[tuple[datetime, datetime, int | None]]) -> CourseView:
        course = TreatmentCourse(
            patient_id=req.patient_id, practitioner_id=req.practitioner_id,
            appointment_type_id=req.type_id, planned_sessions=len(checked),
            frequency=req.frequency.value, interval_days=req.interval_days,
            weekdays=list(req.weekdays), preferred_time=req.preferred_time,
            start_date=req.start_date, status=CourseStatus.ACTIVE.value, notes=req.notes,
            created_at=now,
        )
        s.add(course)
        s.flush()
        _insert_sessions(s, course, checked, now)
        return _course_view(s, course.id)

    return checked_write(db, check, apply)


def _active_course(s: Session, course_id: int) -> TreatmentCourse:
    course = s.get(TreatmentCourse, course_id)
    if course is None:
        raise NotFound(f"Course {course_id} no longer exists.")
    if course.status != CourseStatus.ACTIVE.value:
        raise InvalidTransition(f"This course is {course.status}; it cannot be changed.")
    return course


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
        course = _active_course(s, row.course_id)
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
            1 for a in _course_rows(s, course.id) if a.start_at < row.start_at and a.status != "cancelled"
        )
        for a, start in zip(moving, targets):
            try:
                validate(
                    s, patient_id=a.patient_id, practitioner_id=a.practitioner_id,
                    type_id=a.appointment_type_id, room_id=a.room_id, start=start, now=now,
                    exclude=[m.id for m in moving], clinic=clinic,
                )
            except BookingConflict as exc:
                raise type(exc)(f"Session {first_index}: {exc}", clash_id=exc.clash_id, field=exc.field) from exc
            except BookingError as exc:
                raise type(exc)(f"Session {first_index}: {exc}", field=exc.field) from exc
            first_index += 1
        return list(zip(moving, targets))

    def apply(s: Session, moves: list[tuple[Appointment, datetime]]) -> CourseView:
        course_id = moves[0][0].course_id
        for row, start in moves:
            row.end_at = start + (row.end_at - row.start_at)
            row.start_at = start
            row.updated_at = now
        s.flush()
        assert course_id is not None
        return _course_view(s, course_id)

    return checked_write(db, check, apply)


def _course_rows(s: Session, course_id: int) -> list[Appointment]:
    return list(
        s.scalars(select(Appointment).where(Appointment.course_id == course_id).order_by(Appointment.start_at))
    )


def cancel_remaining(db: Database, course_id: int, reason: str, *, now: datetime) -> CourseView:
    """Cancel every booked session still ahead and close the course."""
    reason = reason.strip()
    if not reason:
        raise ValidationError.single("reason", "Give a reason for cancelling the course.")
    now = aware_utc(now, "now")
    with db.write() as s:
        course = _active_course(s, course_id)
        for row in _course_rows(s, course_id):
            if row.status == BOOKED and row.start_at >= now:
                mark_cancelled(row, reason, now)
        course.status = CourseStatus.CANCELLED.value
        s.flush()
        return _course_view(s, course_id)


def _extension_plan(s: Session, course: TreatmentCourse, extra: int, now: datetime) -> list[SessionPreview]:
    clinic = load_clinic(s)
    rows = [r for r in _course_rows(s, course.id) if r.status != "cancelled"]
    last = to_local(rows[-1].start_at, clinic.tz).date() if rows else course.start_date
    weekdays = tuple(course.weekdays or ())
    frequency = Frequency(course.frequency)
    dates = next_dates(frequency, last, extra, weekdays, course.interval_days)
    req = CourseRequest(
        patient_id=course.patient_id, practitioner_id=course.practitioner_id,
        type_id=course.appointment_type_id, sessions=extra, frequency=frequency,
        preferred_time=course.preferred_time, start_date=dates[0], weekdays=weekdays,
        interval_days=course.interval_days,
        room_id=rows[-1].room_id if rows else None,
    )
    return preview_sessions(s, clinic, req, dates, now, first_index=len(rows) + 1)


def preview_extension(db: Database, course_id: int, extra: int, *, now: datetime) -> list[SessionPreview]:
    """The sessions ``extend_course`` would add, judged like a course preview."""
    if not 1 <= extra <= MAX_SESSIONS:
        raise ValidationError.single("extra", f"Add between 1 and {MAX_SESSIONS} sessions.")
    with db.read() as s:
        return _extension_plan(s, _active_course(s, course_id), extra, aware_utc(now, "now"))


def extend_course(
    db: Database, course_id: int, extra: int, *, now: datetime, starts: list[datetime] | None = None
) -> CourseView:
    """Add ``extra`` sessions after the last one, following the course's pattern.

    Without ``starts`` each new session takes its planned time, or the preview's suggestion
    when that time is taken; a session with neither refuses the whole extension.
    """
    if not 1 <= extra <= MAX_SESSIONS:
        raise ValidationError.single("extra", f"Add between 1 and {MAX_SESSIONS} sessions.")
    now = aware_utc(now, "now")

    def check(s: Session) -> list[tuple[datetime, datetime, int | None]]:
        course = _active_course(s, course_id)
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
        existing = [r for r in _course_rows(s, course_id) if r.status != "cancelled"]
        return _check_sessions(
            s, load_clinic(s), patient_id=course.patient_id,
            practitioner_id=course.practitioner_id, type_id=course.appointment_type_id,
            room_id=existing[-1].room_id if existing else None, starts=sorted(chosen), now=now,
            first_index=plan[0].index,
        )

    def apply(s: Session, checked: list[tuple[datetime, datetime, int | None]]) -> CourseView:
        course = _active_course(s, course_id)
        course.planned_sessions += len(checked)
        _insert_sessions(s, course, checked, now)
        return _course_view(s, course_id)

    return checked_write(db, check, apply)
