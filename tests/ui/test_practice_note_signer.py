"""A session note is by the practitioner who treated and signed by whoever is signed in; nobody
is picked from a list. Once signed it is read-only, changes only by amendment, and History
shows every version."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QMessageBox
from sqlalchemy import select

from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.db.models import SessionNote, SessionNoteVersion, StaffAccount
from frontdesk.domain import Role
from frontdesk.notes import list_notes, note_for_appointment, note_history
from frontdesk.ui.practice.chart import PatientChartWindow
from frontdesk.ui.practice.note_editor import SessionNoteEditor
from frontdesk.ui.practice.note_history import NoteHistoryDialog
from tests.accounts_support import as_role
from tests.ui.answers import wait_for_answers
from tests.ui.test_practice_data import Week, build_week, note_editor, read_chart
from tests.ui.test_practice_registry import make_active

pytestmark = [
    pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)"),
    pytest.mark.filterwarnings("ignore:Function.*setActiveWindow.*:DeprecationWarning"),
]


@pytest.fixture
def week(db: Database, monkeypatch: pytest.MonkeyPatch) -> Week:
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a: QMessageBox.StandardButton.Discard)
    )
    return build_week(db)


def _as(week: Week, role: Role, practitioner_id: int | None, username: str) -> AppContext:
    db = as_role(week.ctx.db, role, practitioner_id=practitioner_id, username=username)
    return replace(week.ctx, db=db)


def _chart(qtbot, ctx: AppContext, patient_id: int) -> PatientChartWindow:
    chart = PatientChartWindow(ctx, patient_id)
    qtbot.addWidget(chart)
    return read_chart(chart)


def _editor(qtbot, chart: PatientChartWindow, appointment_id: int | None) -> SessionNoteEditor:
    if appointment_id is None:
        chart.appointment_tree.setCurrentItem(None)
    else:
        chart.select_appointment(appointment_id)
    editor = chart.open_note_for_selection()  # a window of the chart: closed with it
    if editor is None:  # an appointment's note: read on a worker before the editor opens
        editor = note_editor(chart, appointment_id)
    assert isinstance(editor, SessionNoteEditor)
    return editor


def _press_sign(qtbot, editor: SessionNoteEditor) -> None:
    """Ctrl+Enter in the note (the offscreen platform activates no window by itself)."""
    make_active(editor)
    qtbot.keyClick(editor.body, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def _account_id(db: Database, username: str) -> int:
    with db.read() as s:
        found = s.scalar(select(StaffAccount.id).where(StaffAccount.username == username))
    assert found is not None
    return found


def test_a_note_is_signed_by_the_practitioner_signed_in(qtbot, week: Week) -> None:
    mei = _as(week, Role.PRACTITIONER, week.clinic.acu, "mei")
    chart = _chart(qtbot, mei, week.clinic.bob)
    editor = _editor(qtbot, chart, week.bob_visit)
    assert editor.findChildren(QComboBox) == []  # no list of practitioners to pick from
    assert editor.sign_button.isVisible() and editor.sign_button.isEnabled()
    qtbot.keyClicks(editor.body, "Needled LI4; wrist easier")
    _press_sign(qtbot, editor)  # Ctrl+Enter: saved, then signed
    qtbot.waitUntil(lambda: editor.mode == "signed", timeout=5000)

    with week.ctx.db.read() as s:
        note = s.scalar(select(SessionNote).where(SessionNote.appointment_id == week.bob_visit))
        assert note is not None
        assert note.body == "Needled LI4; wrist easier"
        assert note.practitioner_id == week.clinic.acu  # who treated: the appointment's
        assert note.signed_by_account_id == _account_id(week.ctx.db, "mei")  # who signed
    # Signed: read-only, with Amend and History instead of Sign, and the signature in words.
    assert editor.body.isReadOnly() and editor.points.isReadOnly()
    assert not any(box.isEnabled() for box in editor.technique_boxes.values())
    assert not editor.sign_button.isVisible()
    assert editor.amend_button.isVisible() and editor.history_button.isVisible()
    assert editor.signature.text().startswith("Signed by Mei, Mon 9 Mar 2026, 11:00.")
    qtbot.keyClicks(editor.body, "more")  # typing into a signed note changes nothing
    assert editor.body.toPlainText() == "Needled LI4; wrist easier"
    # The chart's notes list says it is signed.
    qtbot.waitUntil(lambda: chart.notes_tree.topLevelItemCount() == 1)
    assert chart.notes_tree.topLevelItem(0).text(2) == "Signed"


def test_an_amendment_is_version_two_and_history_shows_both(qtbot, week: Week) -> None:
    mei = _as(week, Role.PRACTITIONER, week.clinic.acu, "mei")
    chart = _chart(qtbot, mei, week.clinic.bob)
    editor = _editor(qtbot, chart, week.bob_visit)
    qtbot.keyClicks(editor.body, "Needled LI4")
    editor.sign()
    qtbot.waitUntil(lambda: editor.mode == "signed", timeout=5000)

    editor.amend_button.click()
    assert editor.mode == "amending" and not editor.body.isReadOnly()
    assert editor.reason.isVisible()
    editor.body.moveCursor(editor.body.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor.body, ". Called at 5 pm: pain gone")
    _press_sign(qtbot, editor)  # without a reason: refused at the field, nothing stored
    qtbot.waitUntil(lambda: editor.errors.text("reason") != "", timeout=5000)
    assert "Say why" in editor.errors.text("reason")
    assert editor.mode == "amending"
    assert [v.number for v in note_history(mei.db, editor.note_id)] == [1]
    qtbot.keyClicks(editor.reason, "Patient phoned with an update")
    _press_sign(qtbot, editor)
    qtbot.waitUntil(lambda: editor.mode == "signed", timeout=5000)

    history = note_history(mei.db, editor.note_id)
    assert [(v.number, v.kind, v.author) for v in history] == [
        (1, "signed", "Mei"),
        (2, "amendment", "Mei"),
    ]
    assert history[0].body == "Needled LI4"
    assert history[1].body == "Needled LI4. Called at 5 pm: pain gone"
    assert history[1].reason == "Patient phoned with an update"
    assert "Amended once since, last by Mei" in editor.signature.text()

    dialog = editor.show_history()
    assert isinstance(dialog, NoteHistoryDialog)
    qtbot.waitUntil(lambda: dialog.versions.count() == 2, timeout=5000)
    assert dialog.versions.item(0).text() == "1 \u00b7 Signed by Mei \u00b7 Mon 9 Mar 2026, 11:00"
    assert dialog.versions.item(1).text().startswith("2 \u00b7 Amended by Mei")
    assert "Called at 5 pm" in dialog.shown_text()  # the current version first
    dialog.versions.setCurrentRow(0)  # the signed text stays readable
    assert "Needled LI4" in dialog.shown_text() and "Called at 5 pm" not in dialog.shown_text()
    dialog.versions.setCurrentRow(1)
    assert "Reason: Patient phoned with an update" in dialog.shown_text()
    dialog.close()
    wait_for_answers()  # the chart reads itself again on a worker after the amendment
    assert chart.notes_tree.topLevelItemCount() == 1
    assert chart.notes_tree.topLevelItem(0).text(2) == "Amended once"
    assert "Amended once since" in chart.notes_tree.topLevelItem(0).toolTip(2)
    with week.ctx.db.read() as s:
        assert s.scalar(select(SessionNoteVersion.kind).order_by(SessionNoteVersion.id.desc()))


def test_a_loose_note_is_by_the_practitioner_signed_in(qtbot, week: Week) -> None:
    mei = _as(week, Role.PRACTITIONER, week.clinic.acu, "mei")
    chart = _chart(qtbot, mei, week.clinic.bob)
    editor = _editor(qtbot, chart, None)
    qtbot.keyClicks(editor.body, "Phoned in: wrist much better")
    assert editor.save_now()
    assert [n.practitioner_id for n in list_notes(week.ctx.db, week.clinic.bob)] == [
        week.clinic.acu
    ]


def test_an_account_treating_nobody_writes_no_loose_note_and_signs_nothing(
    qtbot, week: Week
) -> None:
    admin = week.ctx  # the test administrator: no practitioner of their own
    chart = _chart(qtbot, admin, week.clinic.bob)
    editor = _editor(qtbot, chart, None)
    assert not editor.sign_button.isEnabled()
    assert editor.sign_button.toolTip() == "Only a practitioner's account can sign a session note."
    qtbot.keyClicks(editor.body, "Phoned in")
    assert not editor.save_now()
    assert "sign in with that practitioner's account" in editor.status.text()
    assert not editor.retrying  # retrying cannot help: the user is told instead
    assert list_notes(week.ctx.db, week.clinic.bob) == []
    # On an appointment the administrator writes the treating practitioner's note, unsigned.
    visit = _editor(qtbot, chart, week.bob_visit)
    qtbot.keyClicks(visit.body, "Typed up for Dr Lin")
    assert visit.save_now()
    assert note_for_appointment(week.ctx.db, week.bob_visit).practitioner_id == week.clinic.acu
    _press_sign(qtbot, visit)
    assert visit.mode == "draft"
    assert "Only a practitioner's account" in visit.status.text()


def test_my_day_signs_the_practitioners_notes_of_earlier_days(qtbot, week: Week) -> None:
    from PySide6.QtGui import QUndoStack

    from frontdesk.ui.practice.my_day import MyDayPage

    mei = _as(week, Role.PRACTITIONER, week.clinic.acu, "mei")
    page = MyDayPage(mei, QUndoStack())
    qtbot.addWidget(page)
    page.show()
    # Ann's notes: 2 March (an earlier day) and 9 March (today), both left unsigned.
    with qtbot.waitSignal(page.status_message, timeout=5000) as said:
        page.activated()
    assert said.args == [
        "1 session note of earlier days signed in your name; from now on they change only "
        "by amendment."
    ]
    earlier = note_for_appointment(week.ctx.db, week.sessions[0])
    today = note_for_appointment(week.ctx.db, week.sessions[1])
    assert earlier.is_signed and earlier.signed_by == "Mei"
    assert not today.is_signed  # today's note stays a draft until signed or the day is over
    with qtbot.assertNotEmitted(page.status_message, wait=200):
        page.activated()  # once per clinic day
