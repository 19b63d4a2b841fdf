"""Status workflow: booked → checked in → completed; booked → cancelled (late?) or no-show."""

from __future__ import annotations

from datetime import timedelta

import pytest

from frontdesk.db.engine import Database
from frontdesk.domain import (
    AppointmentStatus,
    BookingConflict,
    CourseStatus,
    InvalidTransition,
    StaleRecord,
    ValidationError,
)
from frontdesk.scheduling import (
    AppointmentView,
    BookingRequest,
    book_appointment,
    book_course,
    cancel,
    check_in,
    complete,
    get_appointment,
    get_course,
    mark_no_show,
    preview_course,
    reschedule,
    restore_cancelled,
    undo_status_change,
)
from tests.unit.test_scheduling_courses import weekly
from tests.unit.test_scheduling_support import MONDAY, NOW, Clinic, local

START = local(MONDAY, 10)


def booked(db: Database, c: Clinic, patient: int | None = None) -> AppointmentView:
    req = BookingRequest(
        patient_id=patient or c.ann,
        practitioner_id=c.acu,
        type_id=c.consult,
        start=START,
        room_id=c.room1,
    )
    return book_appointment(db, req, now=NOW)


def test_check_in_then_complete(db: Database, clinic: Clinic) -> None:
    appt = booked(db, clinic)
    arrived = check_in(db, appt.id, now=START - timedelta(minutes=5))
    assert arrived.status == AppointmentStatus.CHECKED_IN and arrived.version == 2
    done = complete(db, appt.id, now=START + timedelta(hours=1))
    assert done.status == AppointmentStatus.COMPLETED


def test_check_in_only_from_the_day_itself(db: Database, clinic: Clinic) -> None:
    appt = booked(db, clinic)
    with pytest.raises(
        InvalidTransition, match="on Mon 2026-03-02; patients can be checked in on the day itself"
    ):
        check_in(db, appt.id, now=NOW)


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        (
            "complete",
            None,
            "This appointment is booked; only a checked in appointment can be completed.",
        ),
        (
            "cancel",
            "check_in",
            "This appointment is cancelled; only a booked appointment can be checked in.",
        ),
        (
            "no_show",
            "cancel",
            "This appointment is marked as a no-show; only a booked appointment can be cancelled.",
        ),
        (
            "check_in",
            "no_show",
            "This appointment is checked in; only a booked appointment can be marked as a no-show.",
        ),
    ],
)
def test_invalid_transitions_are_refused(
    db: Database, clinic: Clinic, first: str, second: str | None, message: str
) -> None:
    appt = booked(db, clinic)
    later = START + timedelta(minutes=20)
    actions = {
        "complete": lambda: complete(db, appt.id, now=later),
        "cancel": lambda: cancel(db, appt.id, "Unwell", now=NOW),
        "check_in": lambda: check_in(db, appt.id, now=later),
        "no_show": lambda: mark_no_show(db, appt.id, now=later),
    }
    if second is None:
        with pytest.raises(InvalidTransition) as err:
            actions[first]()
    else:
        actions[first]()
        with pytest.raises(InvalidTransition) as err:
            actions[second]()
    assert str(err.value) == message


def test_cancellation_under_24_hours_is_late(db: Database, clinic: Clinic) -> None:
    early = cancel(db, booked(db, clinic).id, "Travelling", now=START - timedelta(hours=24))
    assert early.status == AppointmentStatus.CANCELLED and not early.late_cancellation
    assert early.cancellation_reason == "Travelling"
    late = cancel(
        db, booked(db, clinic).id, "Overslept", now=START - timedelta(hours=23, minutes=59)
    )
    assert late.late_cancellation


def test_cancel_needs_a_reason(db: Database, clinic: Clinic) -> None:
    appt = booked(db, clinic)
    with pytest.raises(ValidationError) as err:
        cancel(db, appt.id, "  ", now=NOW)
    assert err.value.errors == {"reason": "Give a reason for the cancellation."}


def test_no_show_only_after_the_start(db: Database, clinic: Clinic) -> None:
    appt = booked(db, clinic)
    with pytest.raises(InvalidTransition, match="starts at 10:00"):
        mark_no_show(db, appt.id, now=START - timedelta(minutes=1))
    assert (
        mark_no_show(db, appt.id, now=START + timedelta(minutes=15)).status
        == AppointmentStatus.NO_SHOW
    )


def test_cancelled_and_no_show_free_their_time(db: Database, clinic: Clinic) -> None:
    cancel(db, booked(db, clinic).id, "Unwell", now=NOW)
    second = booked(db, clinic, clinic.bob)
    mark_no_show(db, second.id, now=START + timedelta(minutes=20))
    third = booked(db, clinic, clinic.cara)  # would clash with either if they still held the time
    assert third.status == AppointmentStatus.BOOKED


def test_restore_cancelled_rechecks_conflicts(db: Database, clinic: Clinic) -> None:
    appt = booked(db, clinic)
    cancel(db, appt.id, "Unwell", now=NOW)
    restored = restore_cancelled(db, appt.id, now=NOW)
    assert restored.status == AppointmentStatus.BOOKED and restored.cancellation_reason is None
    cancel(db, appt.id, "Unwell again", now=NOW)
    taker = booked(db, clinic, clinic.bob)
    with pytest.raises(BookingConflict) as err:
        restore_cancelled(db, appt.id, now=NOW)
    assert err.value.clash_id == taker.id
    with pytest.raises(InvalidTransition):
        restore_cancelled(db, taker.id, now=NOW)


def test_stale_version_is_refused(db: Database, clinic: Clinic) -> None:
    appt = booked(db, clinic)
    check_in(db, appt.id, now=START, expected_version=appt.version)
    with pytest.raises(StaleRecord, match="changed at another workstation"):
        complete(db, appt.id, now=START, expected_version=appt.version)


def test_only_booked_appointments_move(db: Database, clinic: Clinic) -> None:
    appt = booked(db, clinic)
    cancel(db, appt.id, "Unwell", now=NOW)
    with pytest.raises(
        InvalidTransition, match="Only a booked appointment can be moved; this one is cancelled"
    ):
        reschedule(db, appt.id, local(MONDAY, 14), now=NOW)


# ----- taking a status change back (Edit ▸ Undo) --------------------------------------------------

LATER = START + timedelta(minutes=20)


def test_undo_check_in_and_no_show_put_the_appointment_back_to_booked(
    db: Database, clinic: Clinic
) -> None:
    arrived = check_in(db, booked(db, clinic).id, now=LATER)
    back = undo_status_change(
        db, arrived.id, AppointmentStatus.CHECKED_IN, now=LATER, expected_version=arrived.version
    )
    assert back.status == AppointmentStatus.BOOKED and back.version == arrived.version + 1
    missed = mark_no_show(db, back.id, now=LATER, expected_version=back.version)
    again = undo_status_change(db, missed.id, AppointmentStatus.NO_SHOW, now=LATER)
    assert again.status == AppointmentStatus.BOOKED and again.start == START


def test_undo_completion_goes_back_to_checked_in(db: Database, clinic: Clinic) -> None:
    appt = booked(db, clinic)
    check_in(db, appt.id, now=LATER)
    done = complete(db, appt.id, now=LATER)
    back = undo_status_change(
        db, appt.id, AppointmentStatus.COMPLETED, now=LATER, expected_version=done.version
    )
    assert back.status == AppointmentStatus.CHECKED_IN


def test_undo_completion_reopens_the_course_it_completed(db: Database, clinic: Clinic) -> None:
    req = weekly(clinic, sessions=2)
    course = book_course(db, req, [p.start for p in preview_course(db, req, now=NOW)], now=NOW)
    for session in course.appointments:
        check_in(db, session.id, now=session.start)
        complete(db, session.id, now=session.end)
    assert get_course(db, course.id).status == CourseStatus.COMPLETED
    last = course.appointments[-1]
    undo_status_change(db, last.id, AppointmentStatus.COMPLETED, now=last.end)
    assert get_course(db, course.id).status == CourseStatus.ACTIVE
    complete(db, last.id, now=last.end)  # redo completes it again
    assert get_course(db, course.id).status == CourseStatus.COMPLETED


def test_undo_no_show_is_refused_once_its_time_was_booked(db: Database, clinic: Clinic) -> None:
    missed = mark_no_show(db, booked(db, clinic).id, now=LATER)
    taken = book_appointment(
        db,
        BookingRequest(
            clinic.bob, clinic.acu, clinic.consult, START, room_id=clinic.room1, back_entered=True
        ),
        now=LATER,
    )
    with pytest.raises(BookingConflict, match="Bob Jones"):
        undo_status_change(
            db, missed.id, AppointmentStatus.NO_SHOW, now=LATER, expected_version=missed.version
        )
    assert get_appointment(db, missed.id).status == AppointmentStatus.NO_SHOW
    assert get_appointment(db, taken.id).status == AppointmentStatus.BOOKED


def test_undo_refuses_a_change_made_elsewhere_since(db: Database, clinic: Clinic) -> None:
    arrived = check_in(db, booked(db, clinic).id, now=LATER)
    complete(db, arrived.id, now=LATER)  # a colleague completed the visit meanwhile
    with pytest.raises(StaleRecord, match="changed at another workstation"):
        undo_status_change(
            db,
            arrived.id,
            AppointmentStatus.CHECKED_IN,
            now=LATER,
            expected_version=arrived.version,
        )
    with pytest.raises(
        InvalidTransition, match="is completed now, so its check-in cannot be undone"
    ):
        undo_status_change(db, arrived.id, AppointmentStatus.CHECKED_IN, now=LATER)
    assert get_appointment(db, arrived.id).status == AppointmentStatus.COMPLETED
