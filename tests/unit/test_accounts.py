"""Staff accounts: the first administrator, signing in, the growing delay, and signed notes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from frontdesk.accounts.passwords import MEMORY_COST_KIB, TIME_COST
from frontdesk.accounts.service import (
    accounts_exist,
    add_account,
    authenticate,
    change_own_password,
    create_first_administrator,
    retry_delay,
    set_account_disabled,
)
from frontdesk.accounts.types import AccountInput
from frontdesk.db.engine import Database
from frontdesk.db.models import StaffAccount
from frontdesk.db.open import open_database
from frontdesk.domain import PermissionDenied, Role, SignInFailed, ValidationError
from frontdesk.notes import (
    SessionNoteInput,
    amend_note,
    get_note,
    note_history,
    save_note,
    sign_note,
)
from tests.accounts_support import as_role
from tests.unit.test_scheduling_support import Clinic

NOW = datetime(2030, 3, 1, 15, tzinfo=UTC)


@pytest.fixture
def empty(tmp_path: Path) -> Database:
    db = open_database(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    yield db
    db.dispose()


def test_a_new_clinic_creates_its_first_administrator_once(empty: Database) -> None:
    assert not accounts_exist(empty)
    with pytest.raises(ValidationError) as short:
        create_first_administrator(
            empty, AccountInput("Ann", "Ann Lee", Role.ADMINISTRATOR), "short", now=NOW
        )
    assert "at least 8 characters" in short.value.errors["password"]
    actor = create_first_administrator(
        empty, AccountInput(" Ann ", "Ann  Lee", Role.RECEPTION), "a long passphrase", now=NOW
    )
    assert (actor.username, actor.display_name, actor.role) == (
        "ann",
        "Ann Lee",
        Role.ADMINISTRATOR,
    )
    assert accounts_exist(empty)
    with pytest.raises(PermissionDenied, match="already has accounts"):
        create_first_administrator(
            empty, AccountInput("eve", "Eve", Role.ADMINISTRATOR), "another passphrase", now=NOW
        )
    with empty.read() as s:
        stored = s.scalar(select(StaffAccount.password_hash))
    assert stored is not None and stored.startswith("$argon2id$")
    assert f"m={MEMORY_COST_KIB},t={TIME_COST}" in stored and "passphrase" not in stored
    # Nothing but signing in works for someone not signed in.
    with pytest.raises(PermissionDenied, match="Sign in first"):
        add_account(empty, AccountInput("bo", "Bo", Role.RECEPTION), "password 12", now=NOW)


def test_wrong_passwords_slow_further_tries_even_after_a_restart(
    empty: Database, tmp_path: Path
) -> None:
    create_first_administrator(
        empty, AccountInput("ann", "Ann Lee", Role.ADMINISTRATOR), "a long passphrase", now=NOW
    )
    for n in range(1, 4):
        with pytest.raises(SignInFailed) as wrong:
            authenticate(empty, "ann", "guess", now=NOW)
        assert wrong.value.retry_after == retry_delay(n)
    assert wrong.value.retry_after == 5
    # Closing Frontdesk and opening again does not reset the delay.
    empty.dispose()
    again = open_database(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    with pytest.raises(SignInFailed, match="try again in 4 seconds"):
        authenticate(again, "ann", "a long passphrase", now=NOW + timedelta(seconds=1))
    with pytest.raises(SignInFailed) as wrong:
        authenticate(again, "ann", "guess", now=NOW + timedelta(seconds=6))
    assert wrong.value.retry_after == 10  # grows
    actor = authenticate(again, "ann", "a long passphrase", now=NOW + timedelta(seconds=17))
    assert actor.username == "ann"
    with again.read() as s:
        account = s.scalar(select(StaffAccount))
        assert account is not None and account.failed_attempts == 0
    again.dispose()


def test_unknown_names_and_disabled_accounts_are_refused(db: Database) -> None:
    add_account(db, AccountInput("bo", "Bo Chan", Role.RECEPTION), "password 12", now=NOW)
    with pytest.raises(SignInFailed, match="Wrong user name or password"):
        authenticate(db, "nobody", "password 12", now=NOW)
    bo = authenticate(db, "BO", "password 12", now=NOW)
    set_account_disabled(db, bo.account_id, True)
    with pytest.raises(SignInFailed, match="disabled"):
        authenticate(db, "bo", "password 12", now=NOW)


def test_a_user_changes_their_own_password(db: Database) -> None:
    add_account(db, AccountInput("bo", "Bo Chan", Role.RECEPTION), "password 12", now=NOW)
    bo = db.as_actor(authenticate(db, "bo", "password 12", now=NOW))
    with pytest.raises(ValidationError) as wrong:
        change_own_password(bo, "not it", "new password 34")
    assert "current" in wrong.value.errors
    change_own_password(bo, "password 12", "new password 34")
    assert authenticate(db, "bo", "new password 34", now=NOW).username == "bo"


def test_a_note_is_signed_by_who_is_signed_in_and_amended_with_history(
    db: Database, clinic: Clinic
) -> None:
    from frontdesk.scheduling import BookingRequest, book_appointment

    slot = datetime(2030, 3, 4, 16, tzinfo=UTC)
    booked = book_appointment(
        db, BookingRequest(clinic.ann, clinic.acu, clinic.consult, slot, clinic.room1), now=NOW
    )
    mei = as_role(db, Role.PRACTITIONER, practitioner_id=clinic.acu, username="mei")
    sam = as_role(db, Role.PRACTITIONER, practitioner_id=clinic.physio, username="sam")
    note = save_note(
        mei, None, SessionNoteInput(clinic.ann, clinic.acu, booked.id, body="First draft."), now=NOW
    )
    with pytest.raises(PermissionDenied):  # not Sam's treatment, not Sam's patient
        sign_note(sam, note.id, now=NOW)
    signed = sign_note(mei, note.id, now=NOW + timedelta(minutes=5))
    assert signed.is_signed and signed.signed_by == "Mei"
    with pytest.raises(ValidationError, match="signed"):
        save_note(
            mei,
            note.id,
            SessionNoteInput(clinic.ann, clinic.acu, booked.id, body="Rewritten."),
            now=NOW,
        )
    with pytest.raises(ValidationError) as no_reason:
        amend_note(
            mei,
            note.id,
            SessionNoteInput(clinic.ann, clinic.acu, booked.id, body="Corrected."),
            " ",
            now=NOW,
        )
    assert "reason" in no_reason.value.errors
    amend_note(
        mei,
        note.id,
        SessionNoteInput(
            clinic.ann, clinic.acu, booked.id, body="First draft. Pain eased by evening."
        ),
        "Patient called with an update",
        now=NOW + timedelta(hours=3),
    )
    assert get_note(mei, note.id).body == "First draft. Pain eased by evening."
    history = note_history(mei, note.id)
    assert [(v.number, v.kind, v.author, v.body) for v in history] == [
        (1, "signed", "Mei", "First draft."),
        (2, "amendment", "Mei", "First draft. Pain eased by evening."),
    ]
    assert history[1].reason == "Patient called with an update"
    assert history[1].at == NOW + timedelta(hours=3)
    assert date(2030, 3, 4) == get_note(db, note.id).session_date
