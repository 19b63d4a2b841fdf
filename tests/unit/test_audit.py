"""The audit trail: one row per change or access, in the same transaction, and untouchable."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from frontdesk.accounts.audit import verify_chain
from frontdesk.accounts.service import add_account, set_lock_minutes
from frontdesk.accounts.trail import export_audit_csv, list_audit, verify_audit
from frontdesk.accounts.types import AccountInput, AuditFilter, AuditRow
from frontdesk.db.engine import Database
from frontdesk.db.models import AuditEvent
from frontdesk.domain import Role, ValidationError
from frontdesk.export import export_clinic_csv
from frontdesk.notes import SessionNoteInput, list_notes, save_note
from frontdesk.patients import PatientInput, archive_patient, create_patient, update_patient
from frontdesk.reports import appointment_card_pdf
from frontdesk.scheduling import BookingRequest, book_appointment, cancel
from tests.accounts_support import as_role
from tests.unit.test_scheduling_support import Clinic

NOW = datetime(2030, 3, 1, 15, tzinfo=UTC)
TODAY = date(2030, 3, 1)
SLOT = datetime.combine(date(2030, 3, 4), time(16), UTC)  # Monday 09:00 in Edmonton


def _rows(db: Database, **flt: object) -> list[AuditRow]:
    return list(reversed(list_audit(db, AuditFilter(**flt))))  # type: ignore[arg-type]


def _last(db: Database, action: str) -> AuditRow:
    # A booking change's patient emails (outbox rows) are audited with it; this is its own row.
    rows = [r for r in _rows(db, action=action) if r.entity != "outbox_messages"]
    assert rows, f"no audit row for {action}"
    return rows[-1]


def test_a_new_patient_and_a_change_to_them_are_recorded_with_before_and_after(
    db: Database,
) -> None:
    reception = as_role(db, Role.RECEPTION)
    p = create_patient(reception, PatientInput("Zoë", "Novak", date(1990, 1, 2)), today=TODAY)
    row = _last(db, "create_patient")
    assert (row.username, row.kind, row.entity, row.record_id, row.patient_id) == (
        "reception",
        "create",
        "patients",
        p.id,
        p.id,
    )
    assert json.loads(row.after)["given_name"] == "Zoë"
    update_patient(
        reception,
        p.id,
        PatientInput("Zoë", "Novak", date(1990, 1, 2), phone="403-555-0100"),
        expected_version=p.version,
        today=TODAY,
    )
    row = _last(db, "update_patient")
    assert row.kind == "update" and row.record_id == p.id
    assert json.loads(row.before) == {"phone": ""}
    assert json.loads(row.after)["phone"].endswith("0100")


def test_booking_cancelling_and_archiving_each_leave_their_row(
    db: Database, clinic: Clinic
) -> None:
    booked = book_appointment(
        db, BookingRequest(clinic.ann, clinic.acu, clinic.consult, SLOT, clinic.room1), now=NOW
    )
    row = _last(db, "book_appointment")
    assert (row.entity, row.record_id, row.patient_id, row.username) == (
        "appointments",
        booked.id,
        clinic.ann,
        "administrator",
    )
    cancel(db, booked.id, "Patient is unwell", now=NOW)
    row = _last(db, "cancel")
    assert json.loads(row.before)["status"] == "booked"
    assert json.loads(row.after)["status"] == "cancelled"
    archive_patient(db, clinic.cara, now=NOW)
    row = _last(db, "archive_patient")
    assert row.patient_id == clinic.cara and "archived" in row.after


def test_a_booking_is_one_row_in_the_trail_though_it_writes_its_emails_too(
    db: Database, clinic: Clinic
) -> None:
    from frontdesk.db.models import OutboxMessage

    booked = book_appointment(
        db, BookingRequest(clinic.ann, clinic.acu, clinic.consult, SLOT, clinic.room1), now=NOW
    )
    with db.read() as s:
        entities = s.scalars(
            select(AuditEvent.entity).where(AuditEvent.action == "book_appointment")
        ).all()
        written = s.scalar(
            select(func.count(OutboxMessage.id)).where(OutboxMessage.appointment_id == booked.id)
        )
    assert entities == ["appointments"] and written


def test_a_note_an_account_and_a_setting_are_recorded(db: Database, clinic: Clinic) -> None:
    booked = book_appointment(
        db, BookingRequest(clinic.ann, clinic.acu, clinic.consult, SLOT, clinic.room1), now=NOW
    )
    practitioner = as_role(db, Role.PRACTITIONER, practitioner_id=clinic.acu)
    note = save_note(
        practitioner,
        None,
        SessionNoteInput(clinic.ann, clinic.acu, booked.id, body="Better today."),
        now=NOW,
    )
    row = _last(db, "save_note")
    assert (row.username, row.record_id, row.patient_id) == (
        f"practitioner-{clinic.acu}",
        note.id,
        clinic.ann,
    )
    account = add_account(
        db, AccountInput("jo", "Jo Reyes", Role.RECEPTION), "long enough 1", now=NOW
    )
    row = _last(db, "add_account")
    assert row.record_id == account.id and "argon2" not in row.after
    assert json.loads(row.after)["password_hash"] == "(hidden)"
    set_lock_minutes(db, 10)
    row = _last(db, "set_lock_minutes")
    assert (json.loads(row.before), json.loads(row.after)) == (
        {"lock_after_minutes": 5},
        {"lock_after_minutes": 10},
    )


def test_opening_a_chart_printing_and_exporting_are_recorded(
    db: Database, clinic: Clinic, tmp_path: Path
) -> None:
    practitioner = as_role(db, Role.PRACTITIONER, practitioner_id=clinic.acu)
    book_appointment(
        db, BookingRequest(clinic.ann, clinic.acu, clinic.consult, SLOT, clinic.room1), now=NOW
    )
    list_notes(practitioner, clinic.ann)
    row = _last(db, "list_notes")
    assert (row.kind, row.patient_id, row.username) == (
        "open",
        clinic.ann,
        f"practitioner-{clinic.acu}",
    )
    appointment_card_pdf(as_role(db, Role.RECEPTION), clinic.ann, now=NOW)
    row = _last(db, "appointment_card_pdf")
    assert (row.kind, row.patient_id, row.username) == ("print", clinic.ann, "reception")
    export_clinic_csv(db, tmp_path / "export")
    assert _last(db, "export_clinic_csv").kind == "export"
    assert export_audit_csv(db, AuditFilter(patient_id=clinic.ann), tmp_path / "a.csv") >= 2
    assert (tmp_path / "a.csv").stat().st_mode & 0o777 == 0o600


def test_a_refused_change_leaves_no_audit_row(db: Database) -> None:
    before = len(_rows(db))
    with pytest.raises(ValidationError):
        create_patient(db, PatientInput("", "", None), today=TODAY)
    assert len(_rows(db)) == before


def _refuses_changes(db: Database) -> None:
    create_patient(db, PatientInput("Ann", "Lee", date(1980, 1, 1)), today=TODAY)
    for sql in ("UPDATE audit_events SET username = 'someone else'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
            conn.execute(text(sql))
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)) >= 1
        assert verify_chain(s).ok


def test_sqlite_refuses_update_and_delete_of_audit_rows(db: Database) -> None:
    _refuses_changes(db)


def test_postgresql_refuses_update_and_delete_of_audit_rows(pg_db: Database) -> None:
    _refuses_changes(pg_db)
    with pytest.raises(DBAPIError, match="append-only"), pg_db.engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_events"))


@pytest.mark.sqlite_only  # edits the file with sqlite3, as someone holding it could
def test_verify_reports_a_row_edited_or_removed_through_the_raw_file(db: Database) -> None:
    for given in ("Ann", "Bea", "Cy"):
        create_patient(db, PatientInput(given, "Lee", date(1980, 1, 1)), today=TODAY)
    assert verify_audit(db).ok
    path = db.sqlite_path
    assert path is not None
    raw = sqlite3.connect(path)
    raw.execute("DROP TRIGGER audit_events_no_update")
    raw.execute("DROP TRIGGER audit_events_no_delete")
    raw.execute("UPDATE audit_events SET after = replace(after, 'Bea', 'Bee') WHERE seq = 2")
    raw.commit()
    report = verify_audit(db)
    assert (report.ok, report.seq) == (False, 2)
    assert "Audit row 2 was changed" in report.problem
    raw.execute("DELETE FROM audit_events WHERE seq = 2")
    raw.commit()
    raw.close()
    report = verify_audit(db)
    assert (report.ok, report.seq) == (False, 2)
    assert "Audit row 2 is missing" in report.problem


@pytest.mark.sqlite_only  # edits the file with sqlite3, as someone holding it could
def test_the_audit_command_verifies_the_chain(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from frontdesk.__main__ import main

    create_patient(db, PatientInput("Ann", "Lee", date(1980, 1, 1)), today=TODAY)
    from tests.accounts_support import write_password_file

    secret = write_password_file(tmp_path / "home")
    url = db.url.render_as_string(hide_password=False)
    code = main(
        [
            "--database",
            url,
            "audit",
            "verify",
            "--user",
            "administrator",
            "--password-file",
            str(secret),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and "intact" in out
    secret.chmod(0o644)
    code = main(
        [
            "--database",
            url,
            "audit",
            "verify",
            "--user",
            "administrator",
            "--password-file",
            str(secret),
        ]
    )
    assert code != 0
    assert "only its owner" in capsys.readouterr().err
    raw = sqlite3.connect(db.sqlite_path or "")
    raw.execute("DROP TRIGGER audit_events_no_update")
    raw.execute("UPDATE audit_events SET username = 'x' WHERE seq = 1")
    raw.commit()
    raw.close()
    secret.chmod(0o600)
    code = main(
        [
            "--database",
            url,
            "audit",
            "verify",
            "--user",
            "administrator",
            "--password-file",
            str(secret),
        ]
    )
    assert code == 1
    assert "Audit row 1 was changed" in capsys.readouterr().out


def test_rows_chain_across_many_operations(db: Database, clinic: Clinic) -> None:
    for n in range(3):
        book_appointment(
            db,
            BookingRequest(
                clinic.bob, clinic.acu, clinic.consult, SLOT + timedelta(hours=n), clinic.room1
            ),
            now=NOW,
        )
    rows = _rows(db)
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert verify_audit(db).ok


def test_the_who_accessed_this_record_report_lists_each_access(
    db: Database, clinic: Clinic
) -> None:
    from frontdesk.reports.access_report import access_report_pdf
    from tests.unit.test_reports_handout import pdf_text

    practitioner = as_role(db, Role.PRACTITIONER, practitioner_id=clinic.acu)
    book_appointment(
        db, BookingRequest(clinic.ann, clinic.acu, clinic.consult, SLOT, clinic.room1), now=NOW
    )
    list_notes(practitioner, clinic.ann)
    text = " ".join(pdf_text(access_report_pdf(db, clinic.ann, now=NOW)))
    assert "Who accessed this record" in text
    assert f"practitioner-{clinic.acu}" in text and "Opened: notes" in text
    assert "Created: book appointment" in text
    with pytest.raises(Exception, match="may not read who accessed a record"):
        access_report_pdf(as_role(db, Role.RECEPTION), clinic.ann, now=NOW)


def test_the_audit_screen_filters_by_the_clinics_days_and_pages_by_row(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from frontdesk.accounts import audit

    class Evening(datetime):
        """20:00 on 1 March in Edmonton, already 2 March in UTC."""

        @classmethod
        def now(cls, tz: object = None) -> Evening:  # type: ignore[override]
            return cls(2030, 3, 2, 3, 0, tzinfo=UTC)

    monkeypatch.setattr(audit, "datetime", Evening)
    p = create_patient(db, PatientInput("Zoë", "Novak", date(1990, 1, 2)), today=TODAY)
    monkeypatch.undo()
    first_of_march = AuditFilter(first_day=date(2030, 3, 1), last_day=date(2030, 3, 1))
    [row] = list_audit(db, first_of_march)
    assert (row.action, row.patient_id, row.patient_name) == ("create_patient", p.id, "Zoë Novak")
    assert list_audit(db, AuditFilter(first_day=date(2030, 3, 2), last_day=date(2030, 3, 2))) == []
    with pytest.raises(ValidationError) as refused:
        list_audit(db, AuditFilter(first_day=date(2030, 3, 2), last_day=date(2030, 3, 1)))
    assert "last_day" in refused.value.errors
    for given in ("Ann", "Bea", "Cy"):
        create_patient(db, PatientInput(given, "Lee", date(1980, 1, 1)), today=TODAY)
    every = [r.seq for r in list_audit(db, AuditFilter())]
    first = list_audit(db, AuditFilter(limit=2))
    rest = list_audit(db, AuditFilter(limit=100, before_seq=first[-1].seq))
    assert [r.seq for r in first + rest] == every  # newest first, nothing twice or missed


def test_the_csv_export_holds_every_matching_row_whatever_the_screens_page(
    db: Database, tmp_path: Path
) -> None:
    import csv

    for given in ("Ann", "Bea", "Cy"):
        create_patient(db, PatientInput(given, "Lee", date(1980, 1, 1)), today=TODAY)
    flt = AuditFilter(action="create_patient", limit=1)
    assert export_audit_csv(db, flt, tmp_path / "a.csv") == 3
    with (tmp_path / "a.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["patient_name"] for r in rows] == ["Cy Lee", "Bea Lee", "Ann Lee"]
