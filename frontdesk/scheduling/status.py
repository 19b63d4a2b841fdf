"""The status workflow: booked → checked in → completed; booked → cancelled or no-show.

The workflow only goes forward; ``undo_status_change`` is the one explicit way back (a check-in,
a completion or a no-show recorded by mistake), and ``booking.restore_cancelled`` undoes a
cancellation. Each change is one write transaction over the appointment row, whose ``version`` column makes a
stale change from another workstation fail instead of silently winning. Cancelled and no-show
appointments stop holding their time (``AppointmentStatus.is_active``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from frontdesk.accounts.operation import by_appointment, operation
from frontdesk.clinic import load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, TreatmentCourse
from frontdesk.domain import (
    AppointmentStatus,
    CourseStatus,
    InvalidTransition,
    StaleRecord,
    ValidationError,
)
from frontdesk.scheduling.booking import load_row
from frontdesk.scheduling.dto import AppointmentView
from frontdesk.scheduling.localtime import to_local
from frontdesk.scheduling.rules import checked_write, validate_in_place
from frontdesk.scheduling.views import load_view, status_phrase
from frontdesk.timefmt import fmt_time

LATE_NOTICE = timedelta(hours=24)
BOOKED = AppointmentStatus.BOOKED
ATTENDED = (AppointmentStatus.CHECKED_IN.value, AppointmentStatus.COMPLETED.value)


def _transition(
    db: Database,
    appointment_id: int,
    allowed_from: AppointmentStatus,
    target: AppointmentStatus,
    verb: str,
    *,
    now: datetime,
    expected_version: int | None,
    extra: Callable[[Session, Appointment], None] | None = None,
) -> AppointmentView:
    try:
        with db.write() as s:
            row = load_row(s, appointment_id, expected_version)
            require_status(row, allowed_from, verb)
            if extra is not None:
                extra(s, row)
            row.status = target.value
            row.updated_at = now
            s.flush()
            return load_view(s, row.id)
    except StaleDataError as exc:
        raise StaleRecord(
            "This appointment was changed at another workstation; reopen it and try again."
        ) from exc


@operation("check_in")
def check_in(
    db: Database, appointment_id: int, *, now: datetime, expected_version: int | None = None
) -> AppointmentView:
    """Record the patient's arrival; allowed from the appointment's own day onwards."""

    def not_early(s: Session, row: Appointment) -> None:
        tz = load_clinic(s).tz
        day = to_local(row.start_at, tz).date()
        if to_local(now, tz).date() < day:
            raise InvalidTransition(
                f"This appointment is on {day:%a} {day.isoformat()}; "
                "patients can be checked in on the day itself."
            )

    return _transition(
        db,
        appointment_id,
        BOOKED,
        AppointmentStatus.CHECKED_IN,
        "checked in",
        now=now,
        expected_version=expected_version,
        extra=not_early,
    )


@operation("complete", patient=by_appointment)
def complete(
    db: Database, appointment_id: int, *, now: datetime, expected_version: int | None = None
) -> AppointmentView:
    """Close a visit; a course whose planned sessions are all attended becomes completed."""

    def finish_course(s: Session, row: Appointment) -> None:
        if row.course_id is None:
            return
        course = s.get(TreatmentCourse, row.course_id)
        attended = s.scalar(
            select(func.count(Appointment.id)).where(
                Appointment.course_id == row.course_id,
                Appointment.status.in_(ATTENDED),
                Appointment.id != row.id,
            )
        )
        if course is not None and (attended or 0) + 1 >= course.planned_sessions:
            course.status = CourseStatus.COMPLETED.value

    return _transition(
        db,
        appointment_id,
        AppointmentStatus.CHECKED_IN,
        AppointmentStatus.COMPLETED,
        "completed",
        now=now,
        expected_version=expected_version,
        extra=finish_course,
    )


@operation("mark_no_show")
def mark_no_show(
    db: Database, appointment_id: int, *, now: datetime, expected_version: int | None = None
) -> AppointmentView:
    """Record that the patient did not come; possible once the start time has passed."""

    def started(s: Session, row: Appointment) -> None:
        if now < row.start_at:
            tz = load_clinic(s).tz
            raise InvalidTransition(
                f"This appointment starts at {fmt_time(row.start_at, tz)}; it can be marked as "
                "a no-show once that time has passed."
            )

    return _transition(
        db,
        appointment_id,
        BOOKED,
        AppointmentStatus.NO_SHOW,
        "marked as a no-show",
        now=now,
        expected_version=expected_version,
        extra=started,
    )


@operation("cancel")
def cancel(
    db: Database,
    appointment_id: int,
    reason: str,
    *,
    now: datetime,
    expected_version: int | None = None,
) -> AppointmentView:
    """Cancel with a reason, flagged late when under 24 hours before the start."""
    reason = cancellation_reason(reason)

    def record(_s: Session, row: Appointment) -> None:
        mark_cancelled(row, reason, now)

    return _transition(
        db,
        appointment_id,
        BOOKED,
        AppointmentStatus.CANCELLED,
        "cancelled",
        now=now,
        expected_version=expected_version,
        extra=record,
    )


def require_status(
    row: Appointment, allowed_from: AppointmentStatus, verb: str, *, what: str = "This appointment"
) -> None:
    """Refuse a status change that is not allowed from the row's current status."""
    current = AppointmentStatus(row.status)
    if current != allowed_from:
        raise InvalidTransition(
            f"{what} is {status_phrase(current)}; only a "
            f"{allowed_from.label.lower()} appointment can be {verb}."
        )


def cancellation_reason(reason: str) -> str:
    """The reason kept with a cancellation, trimmed; an empty one is refused."""
    reason = reason.strip()
    if not reason:
        raise ValidationError.single("reason", "Give a reason for the cancellation.")
    return reason


def cancel_in_session(
    row: Appointment, reason: str, now: datetime, *, what: str = "This appointment"
) -> None:
    """Cancel a row inside the caller's transaction, by the same rules as ``cancel``.

    For a user action that cancels several visits as one change (archiving a patient): the
    caller holds the transaction, so a refusal of any visit leaves all of them as they were.
    ``what`` names the visit in the refusal.
    """
    require_status(row, BOOKED, "cancelled", what=what)
    mark_cancelled(row, cancellation_reason(reason), now)


def mark_cancelled(row: Appointment, reason: str, now: datetime) -> None:
    """Set a booked row cancelled (shared with cancelling the rest of a course)."""
    row.status = AppointmentStatus.CANCELLED.value
    row.cancellation_reason = reason
    row.late_cancellation = row.start_at - now < LATE_NOTICE
    row.updated_at = now


# The status each undoable status goes back to (cancellations: ``restore_cancelled``).
UNDO_TARGETS: dict[AppointmentStatus, AppointmentStatus] = {
    AppointmentStatus.CHECKED_IN: BOOKED,
    AppointmentStatus.NO_SHOW: BOOKED,
    AppointmentStatus.COMPLETED: AppointmentStatus.CHECKED_IN,
}
_UNDONE_NAMES = {
    AppointmentStatus.CHECKED_IN: "check-in",
    AppointmentStatus.NO_SHOW: "no-show",
    AppointmentStatus.COMPLETED: "completion",
}


@operation("undo_status_change", patient=by_appointment)
def undo_status_change(
    db: Database,
    appointment_id: int,
    undone: AppointmentStatus,
    *,
    now: datetime,
    expected_version: int | None = None,
) -> AppointmentView:
    """Take back a check-in, completion or no-show: the appointment returns one step.

    ``undone`` is the status being taken back; the appointment must still have it (and, with
    ``expected_version``, be unchanged since), so a colleague's later change is refused with
    ``StaleRecord`` or ``InvalidTransition`` rather than overwritten. A no-show freed its time,
    so it becomes booked again only if that time is still free. Undoing the completion that
    completed a course reopens the course unless its other completed visits still fill it.
    """
    if undone not in UNDO_TARGETS:
        raise InvalidTransition(
            f"A {undone.label.lower()} appointment has no status change to undo."
        )
    target = UNDO_TARGETS[undone]

    def check(s: Session) -> Appointment:
        row = load_row(s, appointment_id, expected_version)
        current = AppointmentStatus(row.status)
        if current != undone:
            raise InvalidTransition(
                f"This appointment is {status_phrase(current)} now, so its "
                f"{_UNDONE_NAMES[undone]} cannot be undone."
            )
        if not undone.is_active:  # its time was freed: it must still be free
            validate_in_place(s, row, now)
        return row

    def apply(s: Session, row: Appointment) -> AppointmentView:
        if undone == AppointmentStatus.COMPLETED and row.course_id is not None:
            course = s.get(TreatmentCourse, row.course_id)
            if course is not None and course.status == CourseStatus.COMPLETED.value:
                completed = s.scalar(
                    select(func.count(Appointment.id)).where(
                        Appointment.course_id == row.course_id,
                        Appointment.status == AppointmentStatus.COMPLETED.value,
                        Appointment.id != row.id,
                    )
                )
                if (completed or 0) < course.planned_sessions:
                    course.status = CourseStatus.ACTIVE.value
        row.status = target.value
        row.updated_at = now
        s.flush()
        return load_view(s, row.id)

    return checked_write(db, check, apply)
