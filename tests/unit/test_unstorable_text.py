"""A NUL character pasted into a text field is refused at that field, on SQLite and PostgreSQL.

PostgreSQL cannot store ``\\x00`` (its driver raised ``DataError`` from ``create_patient``),
SQLite stores it silently; the clinic sees the same message beside the field on both, and
nothing is saved.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from frontdesk.db.engine import Database
from frontdesk.db.models import Patient, Room
from frontdesk.domain import ValidationError
from frontdesk.notes import SessionNoteInput, list_notes, save_note
from frontdesk.patients import PatientInput, create_patient, get_patient, update_patient
from frontdesk.plans import get_plan, save_plan
from frontdesk.plans.sample import seed_sample_plan
from frontdesk.setup.rooms import add_room

TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
NUL_TEXT = "line\x00break"

BACKENDS = ["db", pytest.param("pg_db", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest) -> Database:
    result: Database = request.getfixturevalue(request.param)
    return result


def _patients(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Patient)) or 0


def test_a_new_patient_with_nul_in_notes_or_address_is_refused_at_those_fields(
    database: Database,
) -> None:
    data = PatientInput(
        "Ann",
        "Lee",
        date(1980, 1, 2),
        address=NUL_TEXT,
        notes=NUL_TEXT,
        email="ann\x00@example.com",
    )
    with pytest.raises(ValidationError) as caught:
        create_patient(database, data, today=TODAY)
    assert set(caught.value.errors) == {"address", "notes", "email"}
    assert "invisible character" in caught.value.errors["notes"]
    assert _patients(database) == 0


def test_an_edit_with_nul_is_refused_and_the_record_is_unchanged(database: Database) -> None:
    saved = create_patient(
        database, PatientInput("Ann", "Lee", date(1980, 1, 2), notes="Knee."), today=TODAY
    )
    edited = replace(saved.to_input(), notes=NUL_TEXT, family_name="Le\x00e")
    with pytest.raises(ValidationError) as caught:
        update_patient(database, saved.id, edited, expected_version=saved.version, today=TODAY)
    assert set(caught.value.errors) == {"notes", "family_name"}
    assert "invisible character" in caught.value.errors["family_name"]
    assert get_patient(database, saved.id).notes == "Knee."


def test_plans_notes_and_settings_refuse_nul_the_same_way(database: Database) -> None:
    seeded = seed_sample_plan(database, now=NOW)
    plan = seeded.plan
    content = replace(plan.as_input(), patient_notes=NUL_TEXT, symptoms=("ok", "bad\x00"))
    with pytest.raises(ValidationError) as caught:
        save_plan(database, plan.plan_id, content, now=NOW)
    assert set(caught.value.errors) == {"patient_notes", "symptoms"}
    assert get_plan(database, plan.plan_id).patient_notes == plan.patient_notes

    note = SessionNoteInput(
        seeded.patient_id, seeded.practitioner_id, seeded.appointment_ids[0], body=NUL_TEXT
    )
    with pytest.raises(ValidationError) as caught:
        save_note(database, None, note, now=NOW)
    assert set(caught.value.errors) == {"body"}
    assert list_notes(database, seeded.patient_id) == []

    with pytest.raises(ValidationError) as caught:
        add_room(database, "Room\x00 9")
    assert "invisible character" in caught.value.errors["name"]
    with database.read() as s:
        assert s.scalar(select(func.count()).select_from(Room).where(Room.name.like("Room%9"))) == 0
