"""Which booked visits a closure or an hours change would leave outside bookable time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from frontdesk.db.engine import Database
from frontdesk.domain import Discipline, ValidationError
from frontdesk.patients import PatientInput, create_patient
from frontdesk.scheduling import BookingRequest, book_appointment, cancel, list_appointment_types
from frontdesk.setup import (
    Break,
    DayHours,
    PractitionerInput,
    add_practitioner,
    add_room,
    closure_strands,
    get_opening_hours,
    opening_hours_strands,
    practitioner_hours_strands,
)

TZ = ZoneInfo("America/Edmonton")
BOOKED_AT = datetime(2026, 2, 2, 17, 0, tzinfo=UTC)
NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)  # Monday 10:00 in Edmonton
LUNCH = Break(time(12), time(13), "Lunch")
WEEK = {d: DayHours(time(9), time(17), (LUNCH,)) for d in range(5)}


@pytest.fixture
def visits(db: Database) -> dict[str, int]:
    """Mei's visits: Mon 2 Mar 09:00 (over by NOW), Tue 10:00, Tue 11:00 (cancelled), Wed 15:00;
    and one of Priya's on Tuesday 10:00."""
    mei = add_practitioner(db, PractitionerInput("Mei Chen", Discipline.ACUPUNCTURE, hours=WEEK))
    priya = add_practitioner(
        db, PractitionerInput("Priya Sandhu", Discipline.ACUPUNCTURE, hours=WEEK)
    )
    rooms = [add_room(db, "Room 1").id, add_room(db, "Room 2").id]
    ann = create_patient(db, PatientInput("Ann", "Lee", date(1980, 1, 2)), today=NOW.date())
    kind = next(t for t in list_appointment_types(db) if t.name == "Acupuncture treatment")

    def book(who: int, day: int, hour: int, room: int = 0) -> int:
        when = datetime(2026, 3, day, hour, tzinfo=TZ)
        return book_appointment(
            db, BookingRequest(ann.id, who, kind.id, when, room_id=rooms[room]), now=BOOKED_AT
        ).id

    found = {
        "mon": book(mei.id, 2, 9),
        "tue": book(mei.id, 3, 10),
        "tue_cancelled": book(mei.id, 3, 11),
        "wed": book(mei.id, 4, 15),
        "priya_tue": book(priya.id, 3, 14, 1),
        "mei": mei.id,
        "priya": priya.id,
    }
    cancel(db, found["tue_cancelled"], "Sick", now=BOOKED_AT)
    return found


def ids(views) -> list[int]:  # type: ignore[no-untyped-def]
    return [v.id for v in views]


def test_a_closure_lists_the_visits_ahead_on_its_days(db: Database, visits) -> None:
    assert ids(closure_strands(db, date(2026, 3, 3), date(2026, 3, 3), now=NOW)) == [
        visits["tue"],
        visits["priya_tue"],
    ]
    assert ids(closure_strands(db, date(2026, 3, 2), date(2026, 3, 4), now=NOW)) == [
        visits["tue"],
        visits["priya_tue"],
        visits["wed"],
    ]
    assert closure_strands(db, date(2026, 3, 5), date(2026, 3, 9), now=NOW) == []
    assert closure_strands(db, date(2026, 3, 4), date(2026, 3, 3), now=NOW) == []


def test_new_opening_hours_list_only_the_visits_they_leave_outside(db: Database, visits) -> None:
    week = get_opening_hours(db)
    assert opening_hours_strands(db, week, now=NOW) == []
    tuesday_closed = {d: h for d, h in week.items() if d != 1}
    assert ids(opening_hours_strands(db, tuesday_closed, now=NOW)) == [
        visits["tue"],
        visits["priya_tue"],
    ]
    short_wednesday = {**week, 2: DayHours(time(8), time(15, 30))}
    assert ids(opening_hours_strands(db, short_wednesday, now=NOW)) == [visits["wed"]]


def test_new_working_hours_list_that_practitioners_visits_outside_or_in_a_break(
    db: Database, visits
) -> None:
    mei = visits["mei"]
    assert practitioner_hours_strands(db, mei, WEEK, now=NOW) == []
    late_break = {**WEEK, 1: DayHours(time(9), time(17), (Break(time(10), time(11), "Admin"),))}
    assert ids(practitioner_hours_strands(db, mei, late_break, now=NOW)) == [visits["tue"]]
    no_wednesday = {d: h for d, h in WEEK.items() if d != 2}
    assert ids(practitioner_hours_strands(db, mei, no_wednesday, now=NOW)) == [visits["wed"]]
    no_tuesday = {d: h for d, h in WEEK.items() if d != 1}
    assert ids(practitioner_hours_strands(db, visits["priya"], no_tuesday, now=NOW)) == [
        visits["priya_tue"]
    ]


def test_wrong_hours_are_refused_before_looking(db: Database, visits) -> None:
    backwards = {1: DayHours(time(17), time(9))}
    with pytest.raises(ValidationError) as exc:
        practitioner_hours_strands(db, visits["mei"], backwards, now=NOW)
    assert list(exc.value.errors) == ["tuesday"]
    with pytest.raises(ValidationError):
        opening_hours_strands(db, backwards, now=NOW)
