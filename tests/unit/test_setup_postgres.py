"""Clinic set-up on PostgreSQL: the same rules where several workstations share a server."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from frontdesk.db.engine import Database
from frontdesk.domain import Discipline, ValidationError
from frontdesk.patients import PatientInput, create_patient
from frontdesk.scheduling import BookingRequest, book_appointment, list_appointment_types
from frontdesk.setup import (
    Break,
    DayHours,
    PractitionerInput,
    StillBooked,
    add_practitioner,
    add_room,
    coming_holidays,
    deactivate_practitioner,
    deactivate_room,
    get_clinic_details,
    set_closed_optional_holidays,
    update_clinic_details,
)

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
TZ = ZoneInfo("America/Edmonton")


@pytest.mark.postgres
def test_set_up_book_and_refuse_deactivation_on_postgresql(pg_db: Database) -> None:
    update_clinic_details(
        pg_db, replace(get_clinic_details(pg_db), name="Riverbend", phone="780-555-0142")
    )
    assert get_clinic_details(pg_db).phone == "(780) 555-0142"
    set_closed_optional_holidays(pg_db, ("heritage_day",))
    assert any(
        h.name == "Heritage Day" and h.closes_clinic
        for h in coming_holidays(pg_db, date(2026, 3, 2))
    )
    week = {1: DayHours(time(9), time(17), (Break(time(12), time(13), "Lunch"),))}
    who = add_practitioner(pg_db, PractitionerInput("Mei Chen", Discipline.ACUPUNCTURE, hours=week))
    assert who.hours == week
    room = add_room(pg_db, "Room 1")
    with pytest.raises(ValidationError):
        add_room(pg_db, "ROOM 1")
    patient = create_patient(pg_db, PatientInput("Ann", "Lee", date(1980, 1, 2)), today=NOW.date())
    kind = next(t for t in list_appointment_types(pg_db) if t.name == "Initial consultation")
    book_appointment(
        pg_db,
        BookingRequest(
            patient.id, who.id, kind.id, datetime(2026, 3, 3, 10, tzinfo=TZ), room_id=room.id
        ),
        now=NOW,
    )
    with pytest.raises(StillBooked) as exc:
        deactivate_practitioner(pg_db, who.id, now=NOW)
    assert exc.value.count == 1
    with pytest.raises(StillBooked):
        deactivate_room(pg_db, room.id, now=NOW)
