"""A new clinic's way to its first booking: the setup checklist and the room rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from frontdesk.domain import BookingError, Discipline
from frontdesk.patients import PatientInput, create_patient
from frontdesk.scheduling import (
    BookingRequest,
    book_appointment,
    first_available,
    list_appointment_types,
)
from frontdesk.setup import (
    DayHours,
    PractitionerInput,
    add_practitioner,
    add_room,
    get_clinic_details,
    update_clinic_details,
)
from frontdesk.setup.checklist import setup_checklist

TZ = ZoneInfo("America/Edmonton")
NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)  # Monday 10:00 in Edmonton
WEEK = {day: DayHours(time(9), time(17)) for day in range(5)}


def ticks(db) -> dict[str, bool]:  # type: ignore[no-untyped-def]
    return {step.tab: step.done for step in setup_checklist(db).steps}


def test_a_new_clinic_has_every_step_to_do_in_order(db):
    checklist = setup_checklist(db)
    assert [s.tab for s in checklist.steps] == ["clinic", "rooms", "practitioners", "types"]
    assert not checklist.complete and checklist.done_count == 0
    assert checklist.next_step() is not None and checklist.next_step().tab == "clinic"  # type: ignore[union-attr]


def test_each_step_is_ticked_by_what_the_database_holds(db):
    update_clinic_details(db, replace(get_clinic_details(db), name="Bow River Physio"))
    assert ticks(db) == {"clinic": True, "rooms": False, "practitioners": False, "types": False}
    add_room(db, "Room 1")
    assert ticks(db)["rooms"]
    add_practitioner(db, PractitionerInput("Mei Chen", Discipline.ACUPUNCTURE))  # no hours yet
    assert not ticks(db)["practitioners"]
    add_practitioner(db, PractitionerInput("Priya Sandhu", Discipline.PHYSIOTHERAPY, hours=WEEK))
    assert ticks(db) == {"clinic": True, "rooms": True, "practitioners": True, "types": True}
    assert setup_checklist(db).complete


def test_a_clinic_without_rooms_books_the_built_in_types(db):
    """The seeded types "need a room", which a new clinic has none of: they book without."""
    who = add_practitioner(
        db, PractitionerInput("Priya Sandhu", Discipline.PHYSIOTHERAPY, hours=WEEK)
    )
    patient = create_patient(db, PatientInput("Ann", "Lee", date(1980, 1, 2)), today=NOW.date())
    kind = next(t for t in list_appointment_types(db) if t.name == "Initial consultation")
    assert kind.needs_room
    slots = first_available(db, kind.id, start_from=NOW, patient_id=patient.id)
    assert slots and slots[0].room_id is None
    booked = book_appointment(
        db, BookingRequest(patient.id, who.id, kind.id, slots[0].start), now=NOW
    )
    assert booked.room_id is None


def test_once_the_clinic_has_a_room_a_type_that_needs_one_must_take_it(db):
    who = add_practitioner(
        db, PractitionerInput("Priya Sandhu", Discipline.PHYSIOTHERAPY, hours=WEEK)
    )
    patient = create_patient(db, PatientInput("Ann", "Lee", date(1980, 1, 2)), today=NOW.date())
    kind = next(t for t in list_appointment_types(db) if t.name == "Initial consultation")
    room = add_room(db, "Room 1")
    with pytest.raises(BookingError, match="needs a room; choose one"):
        book_appointment(
            db,
            BookingRequest(patient.id, who.id, kind.id, datetime(2026, 3, 3, 9, tzinfo=TZ)),
            now=NOW,
        )
    slots = first_available(db, kind.id, start_from=NOW, patient_id=patient.id)
    assert slots[0].room_id == room.id
