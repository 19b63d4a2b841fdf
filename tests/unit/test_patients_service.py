"""Registering, editing, archiving patients and the messages reception sees for bad input."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from frontdesk.db.engine import Database
from frontdesk.db.models import Patient, PatientSearchToken
from frontdesk.domain import NotFound, StaleRecord, ValidationError
from frontdesk.patients import (
    REASON_HEALTH_NUMBER,
    REASON_NAME_AND_BIRTH,
    REASON_PHONE,
    PatientInput,
    archive_patient,
    create_patient,
    find_duplicates,
    get_patient,
    restore_patient,
    search_patients,
    update_patient,
    validate_patient,
)

TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
ZOE = PatientInput(
    given_name="  Zoë ",
    family_name="O’Brien-Smith",
    date_of_birth=date(1980, 1, 2),
    preferred_name="Zo",
    phone="780 555 0123",
    phone_alt="+44 20 7946 0958",
    email="zoe@example.com",
    address="10150 100 St NW, Edmonton AB",
    health_number="12345-6789",
    emergency_contact="Liam O'Brien 780-555-0188",
    referral_source="Family doctor",
    notes="Prefers mornings.",
)


def _errors(data: PatientInput) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        validate_patient(data, today=TODAY)
    return caught.value.errors


def _patient_count(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Patient)) or 0


def test_create_normalises_and_returns_the_stored_record(db: Database) -> None:
    rec = create_patient(db, ZOE, today=TODAY)
    assert (rec.given_name, rec.family_name) == ("Zoë", "O'Brien-Smith")
    assert rec.phone == "+17805550123" and rec.phone_display == "(780) 555-0123"
    assert rec.phone_alt == "+442079460958" and rec.phone_alt_display == "+44 20 7946 0958"
    assert rec.health_number == "123456789"
    assert rec.version == 1 and not rec.archived
    assert rec.display_name == "O'Brien-Smith, Zoë (Zo)"
    assert get_patient(db, rec.id) == rec


def test_record_round_trips_through_the_form(db: Database) -> None:
    rec = create_patient(db, ZOE, today=TODAY)
    again = validate_patient(rec.to_input(), today=TODAY)
    assert again.phone == rec.phone and again.health_number == rec.health_number


@pytest.mark.parametrize(
    ("field", "value", "message_part"),
    [
        ("given_name", "   ", "Enter the patient's given name"),
        ("given_name", "J0hn", "only letters"),
        ("family_name", "", "Enter the patient's family name"),
        ("family_name", "Smith!", "only letters"),
        ("family_name", "x" * 101, "too long"),
        ("preferred_name", "Bob2", "only letters"),
        ("preferred_name", "--", "at least one letter"),
        ("date_of_birth", None, "Enter the date of birth"),
        ("date_of_birth", date(2026, 3, 3), "cannot be in the future"),
        ("date_of_birth", date(1899, 12, 31), "cannot be before 1900"),
        ("phone", "12345", "not a valid phone number"),
        ("phone", "780 123 4567", "not a valid phone number"),
        ("phone_alt", "call me", "not a valid phone number"),
        ("email", "zoe@", "name@example.com"),
        ("email", "zoe example.com", "name@example.com"),
        ("health_number", "1234", "exactly 9 digits"),
        ("health_number", "12345678A", "exactly 9 digits"),
        ("address", "x" * 501, "address is too long"),
        ("emergency_contact", "x" * 201, "emergency contact is too long"),
        ("referral_source", "x" * 101, "referral source is too long"),
        ("notes", "x" * 10_001, "note is too long"),
    ],
)
def test_each_bad_field_has_its_own_message(
    db: Database, field: str, value: object, message_part: str
) -> None:
    bad = replace(ZOE, **{field: value})
    assert message_part in _errors(bad)[field]
    with pytest.raises(ValidationError):
        create_patient(db, bad, today=TODAY)
    assert _patient_count(db) == 0


def test_every_bad_field_is_reported_at_once() -> None:
    bad = PatientInput("", "", None, phone="1", email="@", health_number="12")
    assert set(_errors(bad)) == {
        "given_name",
        "family_name",
        "date_of_birth",
        "phone",
        "email",
        "health_number",
    }


@pytest.mark.parametrize(
    "name", ["Zoë", "O'Brien-Smith", "Nguyễn Thị Ánh", "王秀英", "Łukasz", "St. John", "D’Arcy"]
)
def test_real_names_are_accepted(name: str) -> None:
    assert validate_patient(replace(ZOE, given_name=name), today=TODAY).given_name


def test_health_number_taken_names_the_other_patient(db: Database) -> None:
    create_patient(db, ZOE, today=TODAY)
    other = PatientInput("Sam", "Lee", date(1990, 5, 5), health_number="123 456 789", phone="x")
    with pytest.raises(ValidationError) as caught:
        create_patient(db, other, today=TODAY)
    assert caught.value.errors["health_number"] == (
        "Health number 123456789 already belongs to Zoë O'Brien-Smith (born 1980-01-02)."
    )
    assert "phone" in caught.value.errors  # reported together with the other fields
    assert _patient_count(db) == 1


def test_edit_saves_bumps_version_and_reindexes(db: Database) -> None:
    rec = create_patient(db, ZOE, today=TODAY)
    edited = update_patient(
        db,
        rec.id,
        replace(rec.to_input(), family_name="Tremblay"),
        expected_version=rec.version,
        today=TODAY,
    )
    assert edited.family_name == "Tremblay" and edited.version == rec.version + 1
    assert [p.id for p in search_patients(db, "tremblay")] == [rec.id]
    assert search_patients(db, "obrien") == []
    # Keeping one's own health number is not a clash with oneself.
    assert edited.health_number == "123456789"


def test_stale_edit_is_refused_and_changes_nothing(db: Database) -> None:
    rec = create_patient(db, ZOE, today=TODAY)
    update_patient(
        db,
        rec.id,
        replace(rec.to_input(), notes="first"),
        expected_version=rec.version,
        today=TODAY,
    )
    with pytest.raises(StaleRecord, match="another workstation"):
        update_patient(
            db,
            rec.id,
            replace(rec.to_input(), notes="second"),
            expected_version=rec.version,
            today=TODAY,
        )
    assert get_patient(db, rec.id).notes == "first"


def test_bad_edit_changes_nothing(db: Database) -> None:
    rec = create_patient(db, ZOE, today=TODAY)
    with pytest.raises(ValidationError):
        update_patient(
            db,
            rec.id,
            replace(rec.to_input(), given_name=""),
            expected_version=rec.version,
            today=TODAY,
        )
    assert get_patient(db, rec.id) == rec


def test_archive_hides_and_restore_brings_back(db: Database) -> None:
    rec = create_patient(db, ZOE, today=TODAY)
    archived = archive_patient(db, rec.id, now=NOW)
    assert archived.archived and archived.version == rec.version + 1
    assert search_patients(db, "zoe") == []
    assert [p.id for p in search_patients(db, "zoe", include_archived=True)] == [rec.id]
    restored = restore_patient(db, rec.id)
    assert not restored.archived
    assert [p.id for p in search_patients(db, "zoe")] == [rec.id]


def test_missing_patient_is_not_found(db: Database) -> None:
    with pytest.raises(NotFound):
        get_patient(db, 999)
    with pytest.raises(NotFound):
        archive_patient(db, 999, now=NOW)


def test_database_rejects_a_duplicate_health_number_behind_the_service(db: Database) -> None:
    rec = create_patient(db, ZOE, today=TODAY)
    with pytest.raises(IntegrityError), db.write() as s:
        s.add(
            Patient(
                given_name="A",
                family_name="B",
                date_of_birth=date(1990, 1, 1),
                health_number=rec.health_number,
            )
        )
    assert _patient_count(db) == 1


def test_tokens_follow_the_patient(db: Database) -> None:
    rec = create_patient(db, ZOE, today=TODAY)
    with db.read() as s:
        tokens = set(
            s.scalars(
                select(PatientSearchToken.token).where(PatientSearchToken.patient_id == rec.id)
            )
        )
    assert {
        "zoe",
        "zo",
        "o'brien-smith",
        "obriensmith",
        "obrien",
        "brien",
        "smith",
        "7805550123",
        "5550123",
        "1980-01-02",
        "123456789",
    } <= tokens


def test_duplicates_by_name_and_birth_date_ignore_accents_and_case(db: Database) -> None:
    rec = create_patient(db, ZOE, today=TODAY)
    typed = PatientInput("zoe", "o'brien-smith", date(1980, 1, 2))
    [dup] = find_duplicates(db, typed)
    assert dup.patient.id == rec.id and dup.reason == REASON_NAME_AND_BIRTH
    assert find_duplicates(db, replace(typed, date_of_birth=date(1980, 1, 3))) == []
    assert find_duplicates(db, typed, exclude_id=rec.id) == []


def test_duplicates_by_phone_either_number(db: Database) -> None:
    rec = create_patient(db, ZOE, today=TODAY)
    for phone in ("(780) 555-0123", "+44 20 7946 0958"):
        [dup] = find_duplicates(db, PatientInput("Other", "Person", None, phone=phone))
        assert dup.patient.id == rec.id and dup.reason == REASON_PHONE


def test_duplicates_by_health_number_win_over_weaker_reasons(db: Database) -> None:
    rec = create_patient(db, ZOE, today=TODAY)
    [dup] = find_duplicates(db, replace(ZOE, health_number="123456789"))
    assert dup.patient.id == rec.id and dup.reason == REASON_HEALTH_NUMBER


def test_archived_patients_count_as_duplicates(db: Database) -> None:
    rec = create_patient(db, ZOE, today=TODAY)
    archive_patient(db, rec.id, now=NOW)
    [dup] = find_duplicates(db, PatientInput("Zoë", "O'Brien-Smith", date(1980, 1, 2)))
    assert dup.patient.archived
