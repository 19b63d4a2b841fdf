"""Settings ▸ Email's services: the password is never stored or logged in clear, the wording's
placeholders are checked when saved, and a clinic's wording is what patients receive."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from frontdesk import paths
from frontdesk.db.engine import Database
from frontdesk.db.models import EmailSettings, OutboxMessage
from frontdesk.domain import Role, ValidationError
from frontdesk.messaging import secret
from frontdesk.messaging.settings import (
    MailSettingsInput,
    get_email_settings,
    list_message_templates,
    mail_server,
    save_email_settings,
    save_message_template,
)
from frontdesk.scheduling import BookingRequest, book_appointment
from tests.accounts_support import as_role
from tests.unit.outbox_support import consent
from tests.unit.test_scheduling_support import MONDAY, NOW, Clinic, local

PASSWORD = "s3cret-Mail-Pa55"
SETTINGS = MailSettingsInput(
    host="smtp.clinic.example",
    port=587,
    security="starttls",
    username="reception@clinic.example",
    sender="reception@clinic.example",
)


def test_without_a_keyring_the_password_is_stored_encrypted_with_a_private_key(
    db: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(secret, "keyring_available", lambda: False)
    caplog.set_level(logging.DEBUG)
    view = save_email_settings(db, SETTINGS, password=PASSWORD)

    assert view.password_kept == "database"
    with db.read() as s:
        sealed = s.scalar(select(EmailSettings.password_sealed))
        assert mail_server(s).password == PASSWORD
    assert sealed and PASSWORD.encode() not in sealed
    key = paths.data_dir() / secret.KEY_FILE
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert PASSWORD not in caplog.text
    if db.sqlite_path:
        assert PASSWORD.encode() not in Path(db.sqlite_path).read_bytes()


def test_a_blank_password_field_keeps_the_saved_one_and_forget_removes_it(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(secret, "keyring_available", lambda: False)
    save_email_settings(db, SETTINGS, password=PASSWORD)
    save_email_settings(db, SETTINGS)  # the form saved with the password field empty
    with db.read() as s:
        assert mail_server(s).password == PASSWORD
    assert save_email_settings(db, SETTINGS, password="").password_kept == ""
    with db.read() as s:
        assert mail_server(s).password is None


class _MemoryKeyring:
    priority = 5

    def __init__(self) -> None:
        self.saved: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, user: str, password: str) -> None:
        self.saved[(service, user)] = password

    def get_password(self, service: str, user: str) -> str | None:
        return self.saved.get((service, user))

    def delete_password(self, service: str, user: str) -> None:
        self.saved.pop((service, user), None)


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[_MemoryKeyring]:
    import keyring

    ring = _MemoryKeyring()
    monkeypatch.setattr(secret, "keyring_available", lambda: True)
    for name in ("set_password", "get_password", "delete_password"):
        monkeypatch.setattr(keyring, name, getattr(ring, name))
    yield ring


def test_with_a_keyring_the_password_goes_there_and_not_into_the_database(
    db: Database, memory_keyring: _MemoryKeyring
) -> None:
    view = save_email_settings(db, SETTINGS, password=PASSWORD)

    assert view.password_kept == "keyring"
    assert list(memory_keyring.saved.values()) == [PASSWORD]
    with db.read() as s:
        assert s.scalar(select(EmailSettings.password_sealed)) is None
        assert mail_server(s).password == PASSWORD


def test_bad_settings_are_refused_at_their_fields_and_nothing_is_saved(db: Database) -> None:
    bad = MailSettingsInput(
        host="smtp clinic",
        port=0,
        security="ssl",
        username="",
        sender="reception",
        reminder_hours=0,
    )
    with pytest.raises(ValidationError) as refused:
        save_email_settings(db, bad)
    assert set(refused.value.errors) == {"host", "port", "security", "sender", "reminder_hours"}
    assert get_email_settings(db).host == ""


def test_reception_may_not_change_the_mail_server(db: Database) -> None:
    from frontdesk.domain import PermissionDenied

    with pytest.raises(PermissionDenied, match="may not change the clinic's settings"):
        save_email_settings(as_role(db, Role.RECEPTION), SETTINGS)


def test_an_unknown_placeholder_is_refused_when_the_wording_is_saved(db: Database) -> None:
    with pytest.raises(ValidationError) as refused:
        save_message_template(db, "reminder", "See you {date}", "Hi {firstname}, see you {date}")
    assert refused.value.errors == {
        "body": "{firstname} is not a placeholder this message can fill in; use those listed."
    }
    assert not next(t for t in list_message_templates(db) if t.kind == "reminder").custom


def test_the_clinics_wording_is_what_the_patient_receives(db: Database, clinic: Clinic) -> None:
    save_message_template(
        db,
        "confirmation",
        "Booked: {date} {time}",
        "Dear {first_name}, see {practitioner} on {date} at {time}. {clinic_name}",
    )
    consent(db, clinic.ann)
    book_appointment(
        db,
        BookingRequest(clinic.ann, clinic.acu, clinic.acupuncture, local(MONDAY, 10), clinic.room1),
        now=NOW,
    )
    with db.read() as s:
        subject, body = s.execute(
            select(OutboxMessage.subject, OutboxMessage.body).where(
                OutboxMessage.kind == "confirmation"
            )
        ).one()
    assert subject == "Booked: Monday 2 March 2026 10:00"
    assert body == "Dear Ann, see Dr Mei Lin on Monday 2 March 2026 at 10:00. My Clinic"


def test_a_test_email_is_sent_with_the_saved_settings_and_leaves_an_audit_row(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from frontdesk.db.models import AuditEvent
    from frontdesk.messaging.sender import send_test_email

    monkeypatch.setattr(secret, "keyring_available", lambda: False)
    save_email_settings(db, SETTINGS, password=PASSWORD)
    sent: list[tuple[str, str | None, str]] = []

    def transport(server, message) -> None:  # type: ignore[no-untyped-def]
        sent.append((server.settings.host, server.password, str(message["To"])))

    said = send_test_email(db, "me@clinic.example", transport=transport)

    assert said == "Sent a test email to me@clinic.example through smtp.clinic.example."
    assert sent == [("smtp.clinic.example", PASSWORD, "me@clinic.example")]
    with db.read() as s:
        kinds = s.scalars(
            select(AuditEvent.kind).where(AuditEvent.action == "send_test_email")
        ).all()
    assert kinds == ["send"]
