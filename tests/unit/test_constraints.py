"""The database itself refuses impossible rows, whatever program writes them.

Each case inserts with plain SQL, bypassing the services and the ORM, so only the schema's
constraints stand between the row and the table.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from frontdesk.db.engine import Database
from frontdesk.folding import name_sort_key

ZOE_SORT = name_sort_key("Tremblay", "Zoë")
LEE_SORT = name_sort_key("Lee", "Ann")

FIXTURE_SQL = [
    "INSERT INTO practitioners (id, display_name, credentials, discipline, colour, active)"
    " VALUES (1, 'Mei Lin', 'R.Ac', 'acupuncture', '#3366aa', TRUE)",
    "INSERT INTO rooms (id, name, active) VALUES (1, 'Room 1', TRUE)",
    "INSERT INTO patients (id, given_name, family_name, preferred_name, sort_name, date_of_birth,"
    " phone, phone_alt, email, address, health_number, emergency_contact, referral_source, notes,"
    f" archived, created_at, updated_at, version) VALUES (1, 'Zoë', 'Tremblay', '', '{ZOE_SORT}',"
    " '1980-01-02', '', '', '', '', '123456789', '', '', '', FALSE, '2026-01-01 00:00:00',"
    " '2026-01-01 00:00:00', 1)",
]

APPOINTMENT = (
    "INSERT INTO appointments (patient_id, practitioner_id, room_id, appointment_type_id,"
    " course_id, start_at, end_at, status, cancellation_reason, late_cancellation, back_entered,"
    " notes, created_at, updated_at, version) VALUES ({patient}, 1, 1, 1, NULL, '{start}',"
    " '{end}', '{status}', {reason}, FALSE, FALSE, '', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1)"
)


def appointment(
    *,
    patient: int = 1,
    start: str = "2026-12-01 17:00:00",
    end: str = "2026-12-01 18:00:00",
    status: str = "booked",
    reason: str = "NULL",
) -> str:
    return APPOINTMENT.format(patient=patient, start=start, end=end, status=status, reason=reason)


@pytest.fixture(params=["sqlite", "postgresql"])
def seeded(request: pytest.FixtureRequest) -> Database:
    """The same rows on both supported databases: the constraints must hold on each."""
    db: Database = request.getfixturevalue("db" if request.param == "sqlite" else "pg_db")
    with db.write() as s:
        for sql in FIXTURE_SQL:
            s.execute(text(sql))
    return db


def test_a_valid_appointment_is_accepted(seeded: Database) -> None:
    with seeded.write() as s:
        s.execute(text(appointment()))
    with seeded.read() as s:
        assert s.execute(text("SELECT count(*) FROM appointments")).scalar() == 1


BAD_ROWS = {
    "appointment ending before it starts": appointment(end="2026-12-01 16:00:00"),
    "appointment of zero length": appointment(end="2026-12-01 17:00:00"),
    "unknown appointment status": appointment(status="maybe"),
    "cancellation without a reason": appointment(status="cancelled"),
    "appointment for a patient who does not exist": appointment(patient=999),
    "pain score of 11 in a plan revision": (
        "INSERT INTO treatment_plans (id, patient_id, practitioner_id, archived, created_at)"
        " VALUES (1, 1, 1, FALSE, '2026-01-01');"
        "INSERT INTO plan_revisions (plan_id, number, conditions, condition_notes, symptoms,"
        " pain_score, worse_with, better_with, goals, techniques, frequency_text, homecare,"
        " patient_notes, created_at, updated_at) VALUES (1, 1, '[]', '', '[]', 11, '', '',"
        " '[]', '[]', '', '[]', '', '2026-01-01', '2026-01-01')"
    ),
    "health number that is not 9 characters": (
        "UPDATE patients SET health_number = '12345' WHERE id = 1"
    ),
    "two patients with one health number": (
        "INSERT INTO patients (given_name, family_name, preferred_name, sort_name, date_of_birth,"
        " phone, phone_alt, email, address, health_number, emergency_contact, referral_source,"
        " notes, archived, created_at, updated_at, version) VALUES ('Ann', 'Lee', '',"
        f" '{LEE_SORT}', '1970-05-05', '', '', '', '', '123456789', '', '', '', FALSE,"
        " '2026-01-01', '2026-01-01', 1)"
    ),
    "empty family name": "UPDATE patients SET family_name = '' WHERE id = 1",
    "practitioner of an unknown discipline": (
        "UPDATE practitioners SET discipline = 'reiki' WHERE id = 1"
    ),
    "opening hours that close before they open": (
        "INSERT INTO opening_hours (weekday, opens_at, closes_at) VALUES (6, '18:00:00', '09:00:00')"
    ),
    "weekday 7": (
        "INSERT INTO working_hours (practitioner_id, weekday, starts_at, ends_at)"
        " VALUES (1, 7, '09:00:00', '17:00:00')"
    ),
    "closure ending before it starts": (
        "INSERT INTO closures (starts_on, ends_on, reason) VALUES ('2026-12-10', '2026-12-01', 'x')"
    ),
    "second clinic settings row": (
        "INSERT INTO clinic_settings (id, name, address, phone, email, timezone, province,"
        " closed_optional_holidays, page_size) VALUES (2, 'Other', '', '', '', 'UTC', 'AB', '[]',"
        " 'Letter')"
    ),
    "session note pain after of -1": (
        "INSERT INTO session_notes (patient_id, practitioner_id, techniques, points, response,"
        " pain_after, body, created_at, updated_at) VALUES (1, 1, '[]', '', '', -1, '',"
        " '2026-01-01', '2026-01-01')"
    ),
}


@pytest.mark.parametrize("sql", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_database_rejects(seeded: Database, sql: str) -> None:
    with pytest.raises(IntegrityError), seeded.write() as s:
        for statement in sql.split(";"):
            s.execute(text(statement))
    # The failed transaction left nothing behind.
    with seeded.read() as s:
        assert s.execute(text("SELECT count(*) FROM appointments")).scalar() == 0
        assert s.execute(text("SELECT count(*) FROM treatment_plans")).scalar() == 0
        assert s.execute(text("SELECT health_number FROM patients WHERE id = 1")).scalar() == (
            "123456789"
        )


def test_deleting_a_patient_with_appointments_is_refused(seeded: Database) -> None:
    with seeded.write() as s:
        s.execute(text(appointment()))
    with pytest.raises(IntegrityError), seeded.write() as s:
        s.execute(text("DELETE FROM patients WHERE id = 1"))
