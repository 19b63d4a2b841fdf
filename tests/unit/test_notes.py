"""Session notes: autosave-friendly upsert, validation, ordering and the pain trend."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Appointment,
    AppointmentType,
    Patient,
    Practitioner,
    SessionNote,
    TreatmentCourse,
)
from frontdesk.domain import NotFound, ValidationError
from frontdesk.notes import (
    PainPoint,
    SessionNoteInput,
    get_note,
    list_notes,
    note_for_appointment,
    noted_appointments,
    pain_trend,
    save_note,
)

NOW = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)
# 16:00 UTC is 09:00 in Edmonton (MST), so every session's local day is its UTC day.
FIRST = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)


def _clinic(db: Database) -> dict[str, int]:
    """Two patients, a practitioner, a four-session course for the first patient."""
    with db.write() as s:
        alice = Patient(given_name="Alice", family_name="Moreau", date_of_birth=date(1980, 5, 1))
        bob = Patient(given_name="Bob", family_name="Tran", date_of_birth=date(1975, 1, 9))
        doc = Practitioner(display_name="Dr. Lin Wei", discipline="acupuncture")
        s.add_all([alice, bob, doc])
        s.flush()
        kind = s.scalar(select(AppointmentType).where(AppointmentType.discipline == "acupuncture"))
        assert kind is not None
        course = TreatmentCourse(
            patient_id=alice.id,
            practitioner_id=doc.id,
            appointment_type_id=kind.id,
            planned_sessions=4,
            frequency="weekly",
            preferred_time=FIRST.time(),
            start_date=FIRST.date(),
        )
        s.add(course)
        s.flush()
        ids = {"alice": alice.id, "bob": bob.id, "doc": doc.id, "course": course.id}
        for n in range(4):
            start = FIRST + timedelta(days=7 * n)
            appt = Appointment(
                patient_id=alice.id,
                practitioner_id=doc.id,
                appointment_type_id=kind.id,
                course_id=course.id,
                start_at=start,
                end_at=start + timedelta(minutes=45),
            )
            s.add(appt)
            s.flush()
            ids[f"a{n + 1}"] = appt.id
        later = FIRST + timedelta(hours=1)  # the same day, after Alice's first session
        other = Appointment(
            patient_id=bob.id,
            practitioner_id=doc.id,
            appointment_type_id=kind.id,
            start_at=later,
            end_at=later + timedelta(minutes=45),
        )
        s.add(other)
        s.flush()
        ids["bob_appt"] = other.id
        return ids


def _note(ids: dict[str, int], appt: str | None = "a1", **changes: object) -> SessionNoteInput:
    values: dict[str, object] = {
        "patient_id": ids["alice"],
        "practitioner_id": ids["doc"],
        "appointment_id": ids[appt] if appt else None,
        "techniques": ("acupuncture",),
        "points": "LI4, GB34",
        "response": "Relaxed, slept during treatment",
        "pain_before": 7,
        "pain_after": 4,
        "body": "Numbness down the right leg is easing.",
    }
    values.update(changes)
    return SessionNoteInput(**values)  # type: ignore[arg-type]


def _count(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(SessionNote)) or 0)


def test_save_then_read_back_for_the_appointment(db: Database) -> None:
    ids = _clinic(db)
    saved = save_note(db, None, _note(ids), now=NOW)
    found = note_for_appointment(db, ids["a1"])
    assert found == saved
    assert found.session_date == date(2026, 3, 2)
    assert found.practitioner_name == "Dr. Lin Wei"
    assert found.pain_before == 7 and found.pain_after == 4
    assert found.updated_at == NOW
    assert note_for_appointment(db, ids["a2"]) is None


def test_autosave_updates_the_same_note(db: Database) -> None:
    ids = _clinic(db)
    first = save_note(db, None, _note(ids, body="Numb"), now=NOW)
    later = NOW + timedelta(seconds=5)
    second = save_note(db, first.id, _note(ids, body="Numbness easing"), now=later)
    assert second.id == first.id
    assert get_note(db, first.id).body == "Numbness easing"
    assert second.created_at == NOW and second.updated_at == later
    assert _count(db) == 1


def test_a_second_editor_on_the_same_appointment_writes_the_same_note(db: Database) -> None:
    ids = _clinic(db)
    first = save_note(db, None, _note(ids, points="LI4"), now=NOW)
    again = save_note(db, None, _note(ids, points="LI4, ST36"), now=NOW)
    assert again.id == first.id and again.points == "LI4, ST36"
    assert _count(db) == 1


def test_text_is_tidied_and_repeated_techniques_dropped(db: Database) -> None:
    ids = _clinic(db)
    view = save_note(
        db, None, _note(ids, techniques=(" acupuncture ", "acupuncture", "", "cupping")), now=NOW
    )
    assert view.techniques == ("acupuncture", "cupping")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"pain_before": 11}, "pain_before"),
        ({"pain_after": -1}, "pain_after"),
        ({"pain_after": True}, "pain_after"),
        ({"patient_id": 9999}, "patient_id"),
        ({"practitioner_id": 9999}, "practitioner_id"),
        ({"body": "x" * 20_001}, "body"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(
    db: Database, changes: dict[str, object], field: str
) -> None:
    ids = _clinic(db)
    with pytest.raises(ValidationError) as caught:
        save_note(db, None, _note(ids, **changes), now=NOW)
    assert field in caught.value.errors
    assert _count(db) == 0


def test_pain_message_says_the_range(db: Database) -> None:
    ids = _clinic(db)
    with pytest.raises(ValidationError) as caught:
        save_note(db, None, _note(ids, pain_before=12), now=NOW)
    assert "0 to 10" in caught.value.errors["pain_before"]


def test_appointment_of_another_patient_is_refused(db: Database) -> None:
    ids = _clinic(db)
    with pytest.raises(ValidationError) as caught:
        save_note(db, None, _note(ids, appt="bob_appt"), now=NOW)
    assert caught.value.errors == {"appointment_id": "That appointment belongs to another patient."}


def test_moving_a_note_onto_an_appointment_that_has_one_is_refused(db: Database) -> None:
    ids = _clinic(db)
    save_note(db, None, _note(ids, appt="a1"), now=NOW)
    loose = save_note(db, None, _note(ids, appt=None), now=NOW)
    with pytest.raises(ValidationError) as caught:
        save_note(db, loose.id, _note(ids, appt="a1"), now=NOW)
    assert "already has a session note" in caught.value.errors["appointment_id"]


def test_a_note_cannot_change_patient(db: Database) -> None:
    ids = _clinic(db)
    note = save_note(db, None, _note(ids, appt=None), now=NOW)
    with pytest.raises(ValidationError) as caught:
        save_note(db, note.id, _note(ids, appt=None, patient_id=ids["bob"]), now=NOW)
    assert "patient_id" in caught.value.errors


def test_saving_a_deleted_note_is_not_found(db: Database) -> None:
    ids = _clinic(db)
    with pytest.raises(NotFound):
        save_note(db, 4242, _note(ids), now=NOW)
    with pytest.raises(NotFound):
        get_note(db, 4242)


def test_list_is_newest_session_first_and_per_patient(db: Database) -> None:
    ids = _clinic(db)
    for appt in ("a2", "a1", "a3"):
        save_note(db, None, _note(ids, appt=appt), now=NOW)
    loose = save_note(db, None, _note(ids, appt=None), now=NOW)  # written on 10 March
    days = [n.session_date for n in list_notes(db, ids["alice"])]
    assert days == [date(2026, 3, 16), date(2026, 3, 10), date(2026, 3, 9), date(2026, 3, 2)]
    assert list_notes(db, ids["alice"])[1].id == loose.id
    assert list_notes(db, ids["bob"]) == []


def test_pain_trend_is_in_session_order_and_skips_unscored_notes(db: Database) -> None:
    ids = _clinic(db)
    save_note(db, None, _note(ids, appt="a3", pain_before=4, pain_after=2), now=NOW)
    save_note(db, None, _note(ids, appt="a1", pain_before=8, pain_after=5), now=NOW)
    save_note(db, None, _note(ids, appt="a2", pain_before=None, pain_after=None), now=NOW)
    save_note(db, None, _note(ids, appt="a4", pain_before=None, pain_after=1), now=NOW)
    assert pain_trend(db, ids["alice"]) == [
        PainPoint(date(2026, 3, 2), 8, 5),
        PainPoint(date(2026, 3, 16), 4, 2),
        PainPoint(date(2026, 3, 23), None, 1),
    ]


def test_pain_trend_can_be_limited_to_one_course(db: Database) -> None:
    ids = _clinic(db)
    save_note(db, None, _note(ids, appt="a1", pain_before=6, pain_after=3), now=NOW)
    save_note(db, None, _note(ids, appt=None, pain_before=9, pain_after=9), now=NOW)
    assert pain_trend(db, ids["alice"], course_id=ids["course"]) == [
        PainPoint(date(2026, 3, 2), 6, 3)
    ]
    assert len(pain_trend(db, ids["alice"])) == 2


def test_session_day_is_the_clinic_local_day(db: Database) -> None:
    ids = _clinic(db)
    with db.write() as s:
        appt = s.get(Appointment, ids["a1"])
        assert appt is not None
        appt.start_at = datetime(2026, 3, 3, 2, 30, tzinfo=UTC)  # 19:30 on 2 March MST
        appt.end_at = appt.start_at + timedelta(minutes=45)
    assert save_note(db, None, _note(ids), now=NOW).session_date == date(2026, 3, 2)


def test_blank_input_is_recognised() -> None:
    blank = SessionNoteInput(patient_id=1, practitioner_id=1, appointment_id=None, body="  \n")
    assert blank.is_blank
    assert not SessionNoteInput(1, 1, None, pain_before=0).is_blank


def test_noted_appointments_answers_for_a_whole_day_at_once(db: Database) -> None:
    ids = _clinic(db)
    save_note(db, None, _note(ids, appt="a2"), now=NOW)
    save_note(db, None, _note(ids, appt=None), now=NOW)
    assert noted_appointments(db, [ids["a1"], ids["a2"], ids["a3"]]) == {ids["a2"]}
    assert noted_appointments(db, []) == set()
