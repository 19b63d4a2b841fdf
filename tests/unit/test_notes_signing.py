"""Who a note is by and who may sign it: the service decides, never a list in the editor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from frontdesk.db.engine import Database
from frontdesk.db.models import SessionNote
from frontdesk.domain import PermissionDenied, Role, ValidationError
from frontdesk.notes import (
    SessionNoteInput,
    amend_note,
    get_note,
    list_notes,
    save_note,
    sign_note,
    signing_refusal,
)
from frontdesk.scheduling import BookingRequest, book_appointment
from tests.accounts_support import actor_for, as_role
from tests.unit.test_scheduling_support import Clinic

NOW = datetime(2030, 3, 1, 15, tzinfo=UTC)


def _booked(db: Database, clinic: Clinic, practitioner: int, *, day: int = 4) -> int:
    """Ann's consultation at 10:00 (Edmonton) on ``day`` March 2030 (4: a Monday)."""
    slot = datetime(2030, 3, day, 17, tzinfo=UTC)
    request = BookingRequest(clinic.ann, practitioner, clinic.consult, slot, clinic.room1)
    return book_appointment(db, request, now=NOW).id


def test_a_note_naming_nobody_is_by_the_appointments_practitioner(
    db: Database, clinic: Clinic
) -> None:
    visit = _booked(db, clinic, clinic.acu)
    mei = as_role(db, Role.PRACTITIONER, practitioner_id=clinic.acu, username="mei")
    note = save_note(mei, None, SessionNoteInput(clinic.ann, None, visit, body="LI4"), now=NOW)
    assert note.practitioner_id == clinic.acu
    # An administrator writing it down for her names nobody either: still Mei's treatment.
    again = save_note(
        db, note.id, SessionNoteInput(clinic.ann, None, visit, body="LI4, ST36"), now=NOW
    )
    assert again.practitioner_id == clinic.acu


def test_a_loose_note_is_by_the_practitioner_signed_in(db: Database, clinic: Clinic) -> None:
    _booked(db, clinic, clinic.physio)  # Ann is Sam's patient
    sam = as_role(db, Role.PRACTITIONER, practitioner_id=clinic.physio, username="sam")
    note = save_note(sam, None, SessionNoteInput(clinic.ann, None, None, body="Phoned"), now=NOW)
    assert note.practitioner_id == clinic.physio


def test_an_account_without_a_practitioner_cannot_write_a_loose_note(
    db: Database, clinic: Clinic
) -> None:
    with pytest.raises(ValidationError) as refused:
        save_note(db, None, SessionNoteInput(clinic.ann, None, None, body="Phoned"), now=NOW)
    assert "sign in with that practitioner's account" in refused.value.errors["practitioner_id"]
    assert list_notes(db, clinic.ann) == []


def test_a_practitioner_cannot_write_the_note_of_anothers_treatment(
    db: Database, clinic: Clinic
) -> None:
    visit = _booked(db, clinic, clinic.acu)
    _booked(db, clinic, clinic.physio, day=5)  # Ann is Sam's patient too
    sam = as_role(db, Role.PRACTITIONER, practitioner_id=clinic.physio, username="sam")
    with pytest.raises(PermissionDenied, match="only for treatments you gave"):
        save_note(sam, None, SessionNoteInput(clinic.ann, None, visit, body="Not mine"), now=NOW)
    with db.read() as s:
        assert s.scalar(select(SessionNote.id)) is None


def test_who_may_sign_follows_one_rule(db: Database, clinic: Clinic) -> None:
    mei = actor_for(db, Role.PRACTITIONER, practitioner_id=clinic.acu, username="mei")
    desk = actor_for(db, Role.RECEPTION)
    admin = actor_for(db, Role.ADMINISTRATOR)
    admin_who_treats = actor_for(
        db, Role.ADMINISTRATOR, practitioner_id=clinic.physio, username="owner"
    )
    assert signing_refusal(mei, clinic.acu) is None
    assert signing_refusal(mei, None) is None  # her own new note
    assert (
        signing_refusal(mei, clinic.physio) == "You can write notes only for treatments you gave."
    )
    assert "may not read or write session notes" in (signing_refusal(desk, clinic.acu) or "")
    assert signing_refusal(admin, clinic.acu) == (
        "Only a practitioner's account can sign a session note."
    )
    assert signing_refusal(admin_who_treats, clinic.acu) is None
    assert signing_refusal(None, clinic.acu) == "Sign in to sign or amend a session note."


def test_signing_and_amending_keep_the_counts_the_chart_shows(db: Database, clinic: Clinic) -> None:
    visit = _booked(db, clinic, clinic.acu)
    mei = as_role(db, Role.PRACTITIONER, practitioner_id=clinic.acu, username="mei")
    note = save_note(mei, None, SessionNoteInput(clinic.ann, None, visit, body="Draft"), now=NOW)
    assert (note.is_signed, note.amendments) == (False, 0)
    with pytest.raises(PermissionDenied, match="Only a practitioner's account"):
        sign_note(db, note.id, now=NOW)  # the administrator treats nobody
    signed = sign_note(mei, note.id, now=NOW + timedelta(minutes=1))
    assert (signed.signed_by, signed.amendments, signed.amended_at) == ("Mei", 0, None)
    later = NOW + timedelta(hours=2)
    for n, when in enumerate((later, later + timedelta(hours=1)), start=1):
        amended = amend_note(
            mei,
            note.id,
            SessionNoteInput(clinic.ann, None, visit, body=f"Draft, amended {n}"),
            "Patient called",
            now=when,
            expected_version=get_note(mei, note.id).version,
        )
        assert (amended.amendments, amended.amended_at, amended.amended_by) == (n, when, "Mei")
