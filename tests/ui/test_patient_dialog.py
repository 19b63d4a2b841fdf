"""Registering and editing patients through the real patient dialog."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from frontdesk.context import AppContext
from frontdesk.patients import (
    PatientInput,
    create_patient,
    get_patient,
    search_patients,
    update_patient,
)
from frontdesk.ui.dialogs.duplicates import DuplicateWarningDialog
from frontdesk.ui.dialogs.patient_dialog import PatientDialog
from tests.ui.answers import wait_for_answers

TODAY = date(2026, 3, 2)
VALID = {
    "given_name": "Zoë",
    "family_name": "Tremblay",
    "date_of_birth": "1984-03-21",
    "phone": "780-555-0123",
    "health_number": "12345-6789",
    "email": "zoe@example.com",
}


@pytest.fixture
def ctx(db) -> AppContext:
    # 17:00 UTC is 10:00 in Edmonton on 2 March 2026.
    return AppContext(db=db, clock=lambda: datetime(2026, 3, 2, 17, 0, tzinfo=UTC))


def open_dialog(qtbot, ctx, patient_id=None) -> PatientDialog:
    dialog = PatientDialog(ctx, patient_id)
    qtbot.addWidget(dialog)
    # Closing at teardown must not wait on a real "discard changes?" box.
    dialog.confirm_discard = lambda: True  # type: ignore[method-assign]
    dialog.show()
    wait_for_answers()  # the record (and the clinic's today) are read on a worker
    return dialog


def saves(dialog: PatientDialog) -> bool:
    """Press Save and wait for the service's answers: True once the dialog closed saved."""
    dialog.save()
    wait_for_answers()
    return dialog.result() == QDialog.DialogCode.Accepted


def when_open(drive) -> None:  # type: ignore[no-untyped-def]
    """Run ``drive(box)`` on the next modal window over the patient dialog once it is up (it
    opens when an answer from a worker comes); gives up after three seconds."""
    tries = iter(range(300))

    def attempt() -> None:
        box = QApplication.activeModalWidget()
        if box is not None and not isinstance(box, PatientDialog):
            drive(box)
        elif next(tries, None) is not None:
            QTimer.singleShot(10, attempt)

    QTimer.singleShot(0, attempt)


def fill(dialog: PatientDialog, **values: str) -> None:
    for key, text in values.items():
        widget = getattr(dialog, key)
        if key in ("address", "notes"):
            widget.setPlainText(text)
        elif key == "referral_source":
            widget.setCurrentText(text)
        else:
            widget.setText(text)


def all_patients(ctx) -> list:
    return search_patients(ctx.db, "", include_archived=True, limit=500)


def test_new_patient_is_saved_with_every_field(qtbot, ctx):
    dialog = open_dialog(qtbot, ctx)
    fill(
        dialog,
        **VALID,
        preferred_name="Zo",
        phone_alt="+44 20 7946 0958",
        address="10123 99 St NW\nEdmonton AB",
        emergency_contact="Luc Tremblay, husband",
        referral_source="Family doctor",
        notes="Prefers mornings",
    )
    assert dialog.birth_hint.text() == "21 March 1984, age 41"
    assert saves(dialog)
    record = get_patient(ctx.db, dialog.record.id)
    assert (record.given_name, record.family_name, record.date_of_birth) == (
        "Zoë",
        "Tremblay",
        date(1984, 3, 21),
    )
    assert (record.phone, record.phone_alt) == ("+17805550123", "+442079460958")
    assert record.health_number == "123456789"
    assert record.referral_source == "Family doctor"
    assert record.address == "10123 99 St NW\nEdmonton AB"


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("given_name", "", "Enter the patient's given name."),
        ("family_name", "", "Enter the patient's family name."),
        ("given_name", "Zo3", "only letters"),
        ("preferred_name", "#1", "only letters"),
        ("date_of_birth", "", "Enter the date of birth."),
        ("date_of_birth", "2026-03-03", "cannot be in the future"),
        ("date_of_birth", "1984-02-30", "no such date"),
        ("date_of_birth", "21/03/1984", "year-month-day"),
        ("date_of_birth", "1850-01-01", "before 1900"),
        ("phone", "555-01", "not a valid phone number"),
        ("phone_alt", "call me", "not a valid phone number"),
        ("email", "zoe at example", "email address"),
        ("health_number", "1234", "exactly 9 digits"),
        ("address", "x" * 501, "too long"),
        ("emergency_contact", "x" * 201, "too long"),
        ("referral_source", "x" * 101, "too long"),
        ("notes", "x" * 10_001, "too long"),
    ],
)
def test_bad_input_is_reported_at_its_field_and_nothing_is_saved(qtbot, ctx, field, typed, message):
    dialog = open_dialog(qtbot, ctx)
    fill(dialog, **{**VALID, field: typed})
    assert not saves(dialog)
    assert message in dialog.error_text(field)
    others = [k for k in dialog._fields if k != field and dialog.error_text(k)]
    assert others == []
    assert "highlighted field" in dialog.error_text("")
    assert all_patients(ctx) == []
    # Fixing the field clears the message and saves.
    fill(dialog, **{field: VALID.get(field, "")})
    assert saves(dialog)
    assert dialog.error_text(field) == ""
    assert len(all_patients(ctx)) == 1


def test_every_wrong_field_is_reported_at_once(qtbot, ctx):
    dialog = open_dialog(qtbot, ctx)
    fill(dialog, given_name="", family_name="", date_of_birth="soon", phone="1")
    assert not saves(dialog)
    wrong = {k for k in dialog._fields if dialog.error_text(k)}
    assert wrong == {"given_name", "family_name", "date_of_birth", "phone"}
    assert dialog.given_name.hasFocus() or not dialog.isActiveWindow()


def test_edit_changes_the_record(qtbot, ctx):
    created = create_patient(ctx.db, PatientInput("Liam", "O'Brien", date(1990, 5, 4)), today=TODAY)
    dialog = open_dialog(qtbot, ctx, created.id)
    assert dialog.family_name.text() == "O'Brien"
    assert dialog.date_of_birth.text() == "1990-05-04"
    assert not dialog.dirty
    qtbot.keyClicks(dialog.phone, "587 555 0199")
    assert dialog.dirty
    assert saves(dialog)
    saved = get_patient(ctx.db, created.id)
    assert saved.phone == "+15875550199"
    assert saved.version == created.version + 1


def test_duplicate_warning_go_back_saves_nothing_and_save_anyway_saves(qtbot, ctx, monkeypatch):
    create_patient(ctx.db, PatientInput("Zoe", "Tremblay", date(1984, 3, 21)), today=TODAY)
    asked: list[list] = []
    answer = [False]

    def fake_ask(parent, candidates, **_kw):
        asked.append(list(candidates))
        return answer[0]

    monkeypatch.setattr(DuplicateWarningDialog, "ask", staticmethod(fake_ask))
    dialog = open_dialog(qtbot, ctx)
    fill(dialog, given_name="Zoë", family_name="Tremblay", date_of_birth="1984-03-21")
    assert not saves(dialog)
    assert len(all_patients(ctx)) == 1
    assert [c.reason for c in asked[0]] == ["same name and date of birth"]
    answer[0] = True
    assert saves(dialog)
    assert len(all_patients(ctx)) == 2


def test_duplicate_warning_lists_candidates_and_defaults_to_go_back(qtbot, ctx):
    from frontdesk.patients import find_duplicates

    create_patient(
        ctx.db, PatientInput("Wei", "Chen", date(1970, 1, 2), phone="7805550100"), today=TODAY
    )
    candidates = find_duplicates(ctx.db, PatientInput("Wei", "Chen", date(1970, 1, 2)))
    warning = DuplicateWarningDialog(candidates)
    qtbot.addWidget(warning)
    assert warning.table.rowCount() == 1
    assert warning.table.item(0, 0).text() == "Chen, Wei"
    assert warning.table.item(0, 4).text() == "Same name and date of birth"
    assert warning.go_back.isDefault()
    warning.show()
    warning.save_anyway.click()
    assert warning.result() == warning.DialogCode.Accepted


def test_use_the_existing_record_saves_nothing_and_returns_that_patient(qtbot, ctx):
    existing = create_patient(
        ctx.db, PatientInput("Zoe", "Tremblay", date(1984, 3, 21)), today=TODAY
    )
    dialog = open_dialog(qtbot, ctx)
    fill(dialog, given_name="Zoë", family_name="Tremblay", date_of_birth="1984-03-21")

    def use_existing(warning) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(warning, DuplicateWarningDialog)
        assert warning.use_existing.isVisible()
        warning.use_existing.click()

    when_open(use_existing)
    assert saves(dialog)
    assert dialog.used_existing and dialog.record is not None
    assert dialog.record.id == existing.id
    assert len(all_patients(ctx)) == 1


def test_taken_health_number_is_refused_at_the_field(qtbot, ctx):
    create_patient(
        ctx.db,
        PatientInput("Wei", "Chen", date(1970, 1, 2), health_number="123456789"),
        today=TODAY,
    )
    dialog = open_dialog(qtbot, ctx)
    fill(dialog, **VALID)
    assert not saves(dialog)
    assert "already belongs to Wei Chen" in dialog.error_text("health_number")
    assert len(all_patients(ctx)) == 1


def test_stale_edit_is_refused_and_the_latest_version_can_be_loaded(qtbot, ctx, monkeypatch):
    created = create_patient(ctx.db, PatientInput("Emma", "Côté", date(1958, 9, 9)), today=TODAY)
    dialog = open_dialog(qtbot, ctx, created.id)
    other_desk = PatientInput("Emma", "Côté", date(1958, 9, 9), phone="780-555-0144")
    update_patient(ctx.db, created.id, other_desk, expected_version=created.version, today=TODAY)
    fill(dialog, notes="Typed here")
    monkeypatch.setattr(dialog, "ask_load_latest", lambda message: False)
    assert not saves(dialog)
    assert "Not saved" in dialog.error_text("")
    assert dialog.notes.toPlainText() == "Typed here"
    monkeypatch.setattr(dialog, "ask_load_latest", lambda message: "another workstation" in message)
    assert not saves(dialog)
    assert dialog.phone.text() == "(780) 555-0144"
    assert "latest saved details" in dialog.error_text("")
    fill(dialog, notes="Typed again")
    assert saves(dialog)
    saved = get_patient(ctx.db, created.id)
    assert (saved.phone, saved.notes) == ("+17805550144", "Typed again")


def test_cancel_asks_before_discarding_typing(qtbot, ctx, monkeypatch):
    dialog = open_dialog(qtbot, ctx)
    asked = []
    monkeypatch.setattr(dialog, "confirm_discard", lambda: asked.append(1) or False)
    dialog.reject()  # nothing typed: closes without asking
    assert asked == [] and not dialog.isVisible()
    dialog = open_dialog(qtbot, ctx)
    monkeypatch.setattr(dialog, "confirm_discard", lambda: asked.append(1) or False)
    qtbot.keyClicks(dialog.given_name, "Ann")
    dialog.reject()
    assert asked == [1] and dialog.isVisible()
    monkeypatch.setattr(dialog, "confirm_discard", lambda: True)
    dialog.reject()
    assert not dialog.isVisible()
    assert all_patients(ctx) == []


def test_ask_returns_the_saved_record_or_none(qtbot, ctx, monkeypatch):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def fill_and_save() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PatientDialog)
        fill(dialog, **VALID)
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    def filled_then_save() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PatientDialog)
        qtbot.waitUntil(lambda: not dialog.loading)
        fill_and_save()

    QTimer.singleShot(0, filled_then_save)
    record = PatientDialog.ask(None, ctx)
    assert record is not None and record.display_name == "Tremblay, Zoë"

    def cancel() -> None:
        QApplication.activeModalWidget().reject()

    QTimer.singleShot(0, cancel)
    assert PatientDialog.ask(None, ctx, record.id) is None


@pytest.mark.parametrize("key", ["Return", "Escape"])
def test_stale_prompt_keeps_the_typing_unless_asked_otherwise(qtbot, ctx, key):
    from PySide6.QtCore import Qt

    created = create_patient(ctx.db, PatientInput("Emma", "Côté", date(1958, 9, 9)), today=TODAY)
    dialog = open_dialog(qtbot, ctx, created.id)
    update_patient(
        ctx.db,
        created.id,
        PatientInput("Emma", "Côté", date(1958, 9, 9), phone="780-555-0144"),
        expected_version=created.version,
        today=TODAY,
    )
    fill(dialog, notes="Typed here")
    seen = []

    def answer(box):  # type: ignore[no-untyped-def]
        seen.append(box.defaultButton().text())
        qtbot.keyClick(box, getattr(Qt.Key, f"Key_{key}"))

    when_open(answer)
    assert not saves(dialog)
    assert seen == ["Keep my typing on screen"]
    assert dialog.notes.toPlainText() == "Typed here"
    assert dialog.phone.text() == ""
    assert "Not saved" in dialog.error_text("")


def test_email_preference_and_consent_are_saved_on_the_record(qtbot, ctx):
    created = create_patient(ctx.db, PatientInput("Ann", "Smith", date(1980, 5, 17)), today=TODAY)
    dialog = open_dialog(qtbot, ctx, created.id)
    assert not dialog.contact_by_email.isChecked() and not dialog.email_consent.isChecked()
    qtbot.mouseClick(dialog.contact_by_email, Qt.MouseButton.LeftButton)
    assert dialog.dirty
    assert not saves(dialog)  # email wanted, but no address to send it to
    assert "Enter the email address to use" in dialog.error_text("email")
    fill(dialog, email="ann@example.com")
    qtbot.mouseClick(dialog.email_consent, Qt.MouseButton.LeftButton)
    assert saves(dialog)
    saved = get_patient(ctx.db, created.id)
    assert (saved.email, saved.contact_by_email, saved.email_consent) == (
        "ann@example.com",
        True,
        True,
    )
