"""A session note survives a database that is busy or unreachable while it is being saved."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtGui import QTextCursor, QUndoStack
from PySide6.QtWidgets import QMessageBox

from frontdesk.db.engine import Database
from frontdesk.domain import DatabaseUnavailable, ValidationError
from frontdesk.notes import NO_NOTE_YET, SessionNoteInput, note_for_appointment, save_note
from frontdesk.ui.practice import note_editor
from frontdesk.ui.practice.my_day import MyDayPage
from frontdesk.ui.practice.note_editor import SessionNoteEditor
from tests.ui.answers import wait_for_answers
from tests.ui.test_practice_data import Week, build_week, open_note

BUSY = "The clinic database is busy with another workstation. Nothing was saved; try again."


@pytest.fixture
def week(db: Database) -> Week:
    return build_week(db)


@pytest.fixture
def editor(qtbot, week: Week) -> SessionNoteEditor:
    page = MyDayPage(week.ctx, QUndoStack())
    qtbot.addWidget(page)
    page.set_practitioner(week.clinic.acu)
    wait_for_answers()  # the practitioners and the day are read on a worker
    chart = page.open_chart(1)
    qtbot.addWidget(chart)
    return open_note(chart)  # a child window of the page: closed with it


def _database_busy(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make every save fail as a locked database does; returns the attempts made."""
    attempts: list[int] = []

    def busy(*_a: object, **_k: object) -> None:
        attempts.append(1)
        raise DatabaseUnavailable(BUSY)

    monkeypatch.setattr(note_editor, "save_note", busy)
    return attempts


def _answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(_parent: object, title: str, *_rest: object) -> QMessageBox.StandardButton:
        asked.append(title)
        return button

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def test_a_failed_save_on_closing_keeps_the_window_and_the_text(
    qtbot, editor: SessionNoteEditor, week: Week, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_save = note_editor.save_note
    _database_busy(monkeypatch)
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    editor.show()
    qtbot.keyClicks(editor.body, "Needles at LI4 eased the wrist")
    assert not editor.close()
    assert asked == ["Note not saved"]
    assert editor.isVisible()
    assert editor.body.toPlainText() == "Needles at LI4 eased the wrist"
    assert "busy with another workstation" in editor.status.text()
    assert "Saved" not in editor.status.text()
    monkeypatch.setattr(note_editor, "save_note", real_save)  # the other desk is done
    assert editor.close()
    assert (
        note_for_appointment(week.ctx.db, week.bob_visit).body == "Needles at LI4 eased the wrist"
    )


def test_a_failed_autosave_is_retried_by_itself(
    qtbot, editor: SessionNoteEditor, week: Week, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_save = note_editor.save_note
    attempts = _database_busy(monkeypatch)
    monkeypatch.setattr(note_editor, "RETRY_FIRST_MS", 50)
    qtbot.keyClicks(editor.body, "Slept better")
    assert not editor.save_now()
    assert editor.retrying and editor._timer.isActive()
    assert "trying again in" in editor.status.text()
    qtbot.waitUntil(lambda: len(attempts) >= 2, timeout=3000)  # retried without any typing
    # and it waits longer each time (once that failure's answer is back from the worker)
    qtbot.waitUntil(lambda: editor._timer.interval() > 50, timeout=3000)
    monkeypatch.setattr(note_editor, "save_note", real_save)
    with qtbot.waitSignal(editor.saved, timeout=5000):
        pass
    assert not editor.retrying
    assert editor.status.text().startswith("Saved")
    assert note_for_appointment(week.ctx.db, week.bob_visit).body == "Slept better"


def test_an_unexpected_error_does_not_close_the_window_or_claim_saved(
    qtbot, editor: SessionNoteEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("driver fell over")

    monkeypatch.setattr(note_editor, "save_note", broken)
    _answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    editor.show()
    qtbot.keyClicks(editor.body, "Do not lose me")
    assert not editor.close()
    assert editor.isVisible()
    assert editor.status.text().startswith("Not saved")


def test_discarding_on_close_is_the_users_choice(
    qtbot, editor: SessionNoteEditor, week: Week, monkeypatch: pytest.MonkeyPatch
) -> None:
    _database_busy(monkeypatch)
    _answer(monkeypatch, QMessageBox.StandardButton.Discard)
    editor.show()
    qtbot.keyClicks(editor.body, "Throw away")
    assert editor.close()
    assert note_for_appointment(week.ctx.db, week.bob_visit) is None


def test_a_note_saved_at_another_desk_is_not_overwritten(
    qtbot, editor: SessionNoteEditor, week: Week, monkeypatch: pytest.MonkeyPatch
) -> None:
    _answer(monkeypatch, QMessageBox.StandardButton.Discard)  # closing at the end of the test
    other_desk = SessionNoteInput(
        week.clinic.bob, week.clinic.acu, week.bob_visit, body="Written at the other desk"
    )
    save_note(week.ctx.db, None, other_desk, now=week.ctx.clock(), expected_version=NO_NOTE_YET)
    qtbot.keyClicks(editor.body, "Written here")
    assert not editor.save_now()
    assert "already started the note" in editor.status.text()
    assert editor.body.toPlainText() == "Written here"  # kept on screen
    assert not editor.retrying  # no point retrying: the user decides
    assert not editor.reload_button.isHidden()
    assert note_for_appointment(week.ctx.db, week.bob_visit).body == "Written at the other desk"
    editor.reload_button.click()
    wait_for_answers()  # the stored note is read on a worker
    assert editor.body.toPlainText() == "Written at the other desk"
    assert editor.reload_button.isHidden()
    editor.body.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor.body, " and here")
    assert editor.save_now()
    assert note_for_appointment(week.ctx.db, week.bob_visit).body == (
        "Written at the other desk and here"
    )
    stored = note_for_appointment(week.ctx.db, week.bob_visit)
    save_note(
        week.ctx.db,
        stored.id,
        replace(stored.as_input(), body="Desk 2 again"),
        now=week.ctx.clock(),
        expected_version=stored.version,
    )
    qtbot.keyClicks(editor.body, "!")
    assert not editor.save_now()
    assert "changed at another workstation" in editor.status.text()
    assert note_for_appointment(week.ctx.db, week.bob_visit).body == "Desk 2 again"


def test_a_refusal_about_the_appointment_says_why(
    qtbot, editor: SessionNoteEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*_a: object, **_k: object) -> None:
        raise ValidationError({"appointment_id": "That appointment no longer exists."})

    monkeypatch.setattr(note_editor, "save_note", refused)
    _answer(monkeypatch, QMessageBox.StandardButton.Discard)  # closing at the end of the test
    qtbot.keyClicks(editor.body, "Needled LI4")
    assert not editor.save_now()
    assert editor.status.text() == "Not saved: That appointment no longer exists."
