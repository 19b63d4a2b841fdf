"""Where a course starts: who gives the treatment, the next bookable time, one steady slot."""

from __future__ import annotations

from datetime import time, timedelta

from frontdesk.db.engine import Database
from frontdesk.domain import Frequency
from frontdesk.scheduling import (
    BookingRequest,
    CourseRequest,
    add_closure,
    book_appointment,
    book_course,
    next_start,
    practitioners_for_type,
    steady_slots,
)
from tests.unit.test_scheduling_support import MONDAY, NOW, TZ, Clinic, local

WEEK = timedelta(days=7)


def weekly(c: Clinic, sessions: int = 8, at: time = time(10)) -> CourseRequest:
    return CourseRequest(
        patient_id=c.ann,
        practitioner_id=c.acu,
        type_id=c.acupuncture,
        sessions=sessions,
        frequency=Frequency.WEEKLY,
        preferred_time=at,
        start_date=MONDAY,
    )


def test_only_practitioners_who_give_the_treatment_are_offered(
    db: Database, clinic: Clinic
) -> None:
    assert [p.id for p in practitioners_for_type(db, clinic.acupuncture)] == [clinic.acu]
    assert [p.id for p in practitioners_for_type(db, clinic.physio_type)] == [clinic.physio]
    # A type without a discipline: every active practitioner, never the inactive one.
    assert {p.id for p in practitioners_for_type(db, clinic.consult)} == {clinic.acu, clinic.physio}


def test_next_start_keeps_a_good_wanted_time(db: Database, clinic: Clinic) -> None:
    wanted = local(MONDAY, 10)
    assert next_start(db, clinic.acu, wanted=wanted, now=NOW) == wanted


def test_next_start_is_never_in_the_past(db: Database, clinic: Clinic) -> None:
    # Now is Monday 10:07: a course asked for at 09:00 that day starts at 10:15, not earlier.
    now = local(MONDAY, 10, 7)
    assert next_start(db, clinic.acu, wanted=local(MONDAY, 9), now=now) == local(MONDAY, 10, 15)
    assert next_start(db, clinic.acu, wanted=None, now=now) == local(MONDAY, 10, 15)


def test_next_start_moves_into_the_practitioners_hours(db: Database, clinic: Clinic) -> None:
    # Sam Patel works Mon-Thu 10-19: 08:00 Monday becomes 10:00, Friday becomes next Monday.
    assert next_start(db, clinic.physio, wanted=local(MONDAY, 8), now=NOW) == local(MONDAY, 10)
    friday = MONDAY + timedelta(days=4)
    assert next_start(db, clinic.physio, wanted=local(friday, 11), now=NOW) == local(
        MONDAY + WEEK, 10
    )
    # Dr Lin's lunch is not a start time.
    assert next_start(db, clinic.acu, wanted=local(MONDAY, 12, 10), now=NOW) == local(MONDAY, 13)


def test_a_steady_slot_is_free_for_every_session(db: Database, clinic: Clinic) -> None:
    # Monday 10:00 is taken in week 3 and Tuesday 10:00 in week 5 (by the same patient).
    book_appointment(
        db,
        BookingRequest(
            clinic.bob,
            clinic.acu,
            clinic.consult,
            local(MONDAY + 2 * WEEK, 10),
            room_id=clinic.room1,
        ),
        now=NOW,
    )
    book_appointment(
        db,
        BookingRequest(
            clinic.ann,
            clinic.physio,
            clinic.consult,
            local(MONDAY + 4 * WEEK + timedelta(days=1), 10),
            room_id=clinic.room1,
        ),
        now=NOW,
    )
    slots = steady_slots(db, weekly(clinic), now=NOW)
    assert slots, "a steady slot exists"
    best = slots[0]
    assert best.first_date == MONDAY and best.weekday == 0
    assert best.at != time(10)  # Monday 10:00 clashes in week 3
    assert abs(best.at.hour * 60 + best.at.minute - 600) <= 60  # close to the wanted 10:00
    assert len(best.starts) == 8
    # Same weekday and wall-clock time every week, across the change to daylight time.
    assert [s.astimezone(TZ).date() for s in best.starts] == [MONDAY + i * WEEK for i in range(8)]
    assert {s.astimezone(TZ).time() for s in best.starts} == {best.at}
    assert all(not (s.weekday == 1 and s.at == time(10)) for s in slots)
    assert len(slots) <= 3
    # Booking it as proposed succeeds: the slot really is free for every session.
    req = CourseRequest(
        **{**weekly(clinic).__dict__, "preferred_time": best.at, "start_date": best.first_date}
    )
    course = book_course(db, req, list(best.starts), now=NOW)
    assert len(course.appointments) == 8


def test_a_closed_day_breaks_a_steady_slot(db: Database, clinic: Clinic) -> None:
    add_closure(db, MONDAY + 3 * WEEK, MONDAY + 3 * WEEK, "Staff training")
    slots = steady_slots(db, weekly(clinic), now=NOW)
    assert slots and all(s.weekday != 0 or s.first_date > MONDAY + 3 * WEEK for s in slots)


def test_no_steady_slot_when_none_exists(db: Database, clinic: Clinic) -> None:
    # Search only one week ahead for a course as long as Dr Lin's hours are full on Mondays... a
    # twice-weekly course has no single steady slot at all.
    twice = CourseRequest(
        **{**weekly(clinic).__dict__, "frequency": Frequency.TWICE_WEEKLY, "weekdays": (0, 3)}
    )
    assert steady_slots(db, twice, now=NOW) == []
    # A physiotherapist cannot give acupuncture: no slot is proposed for them.
    wrong = CourseRequest(**{**weekly(clinic).__dict__, "practitioner_id": clinic.physio})
    assert steady_slots(db, wrong, now=NOW) == []
