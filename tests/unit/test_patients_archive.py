"""Archiving a patient with visits still booked ahead is refused, naming those visits."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from frontdesk.db.engine import Database
from frontdesk.domain import AppointmentStatus, Discipline
from frontdesk.patients import (
    PatientInput,
    PatientStillBooked,
    archive_patient,
    create_patient,
    get_patient,
    search_patients,
    upcoming_appointments,
)
from frontdesk.scheduling import (
    BookingRequest,
    book_appointment,
    cancel,
    check_in,
    get_appointment,
    list_appointment_types,
)
from frontdesk.setup import DayHours, PractitionerInput, add_practitioner, add_room

TZ = ZoneInfo("America/Edmonton")
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # Monday 08:00 in Edmonton


def _book(db: Database, patient_id: int, when: datetime) -> int:
    who = add_practitioner(db, PractitionerInput(
        f"Mei Chen {when:%d%H}", Discipline.ACUPUNCTURE,
        hours={d: DayHours(time(8), time(17)) for d in range(5)}))
    room = add_room(db, f"Room {when:%d%H}")
    kind = next(t for t in list_appointment_types(db) if t.name == "Initial consultation")
    return book_appointment(db, BookingRequest(patient_id, who.id, kind.id, when,
                                               room_id=room.id), now=NOW).id


@pytest.fixture
def ann(db: Database) -> int:
    return create_patient(db, PatientInput("Ann", "Lee", date(1980, 1, 2)), today=NOW.date()).id


def test_archive_is_refused_with_the_count_and_the_visits(db: Database, ann: int) -> None:
    later = _book(db, ann, datetime(2026, 3, 4, 10, tzinfo=TZ))
    sooner = _book(db, ann, datetime(2026, 3, 3, 9, tzinfo=TZ))
    with pytest.raises(PatientStillBooked) as exc:
        archive_patient(db, ann, now=NOW)
    assert exc.value.count == 2
    assert [a.id for a in exc.value.appointments] == [sooner, later]
    assert "Lee, Ann still has 2 booked appointments" in str(exc.value)
    assert not get_patient(db, ann).archived
    assert [p.id for p in search_patients(db, "ann lee")] == [ann]


def test_past_and_cancelled_visits_do_not_stand_in_the_way(db: Database, ann: int) -> None:
    past = _book(db, ann, datetime(2026, 3, 2, 9, tzinfo=TZ))
    ahead = _book(db, ann, datetime(2026, 3, 3, 9, tzinfo=TZ))
    later = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)  # 11:00 local, after the 09:00 visit
    assert [a.id for a in upcoming_appointments(db, ann, now=later)] == [ahead]
    cancel(db, ahead, "Moving away", now=later)
    assert get_appointment(db, past).status is AppointmentStatus.BOOKED
    assert archive_patient(db, ann, now=later).archived


def test_a_visit_in_progress_counts(db: Database, ann: int) -> None:
    visit = _book(db, ann, datetime(2026, 3, 2, 9, tzinfo=TZ))
    during = datetime(2026, 3, 2, 16, 30, tzinfo=UTC)  # 09:30 local
    check_in(db, visit, now=during)
    with pytest.raises(PatientStillBooked) as exc:
        archive_patient(db, ann, now=during)
    assert exc.value.count == 1
    assert exc.value.appointments[0].status is AppointmentStatus.CHECKED_IN
