"""Status workflow: booked → checked in → completed; booked → cancelled (late?) or no-show."""

from __future__ import annotations

from datetime import timedelta

import pytest

from frontdesk.db.engine import Database
from frontdesk.domain import (
    AppointmentStatus,
    BookingConflict,
    InvalidTransition,
    StaleRecord,
    ValidationError,
)
from frontdesk.scheduling import (
    BookingRequest,
    AppointmentView,
    book_appointment,
    cancel,
    check_in,
    complete,
    mark_no_show,
    reschedule,
    restore_cancelled,
)
from tests.unit.test_scheduling_support import MONDAY, NOW, Clinic, clinic, local  # noqa: F401

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
