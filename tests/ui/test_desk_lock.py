"""The shared desk's lock: idle minutes and Ctrl+L hide everything, a password opens it again
with nothing lost, and Switch user saves the first user's notes before the next one works."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from frontdesk.accounts.service import get_lock_minutes, set_lock_minutes
from frontdesk.accounts.trail import list_audit
from frontdesk.accounts.types import AuditFilter, AuditRow
from frontdesk.db.engine import Database
from frontdesk.domain import Role
from frontdesk.notes import note_for_appointment
from frontdesk.ui.dialogs.patient_dialog import PatientDialog
from frontdesk.ui.lock.covers import COVER_COLOUR, LOCKED_TITLE
from frontdesk.ui.lock.screen import LockScreen
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.practice.chart import open_chart
from frontdesk.ui.practice.note_editor import SessionNoteEditor
from frontdesk.ui.practice.windows import WindowRegistry
from tests.accounts_support import TEST_PASSWORD, actor_for, as_role
from tests.ui.answers import wait_for_answers
from tests.ui.test_practice_data import Week, build_week, open_note, read_chart

# The offscreen platform cannot raise windows or pass size hints on; the lock asks it to.
pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")


class Clock:
    """The idle watcher's clock, moved on by the test instead of waiting minutes."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def week(db: Database) -> Week:
    return build_week(db)


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "frontdesk.ini"), QSettings.Format.IniFormat)


def _window(qtbot, week: Week, settings: QSettings, db: Database) -> MainWindow:
    window = MainWindow(replace(week.ctx, db=db), settings=settings)
    qtbot.addWidget(window)
    window.resize(1100, 720)
    window.show()
    qtbot.waitExposed(window)
    return window


def _practitioner(week: Week) -> Database:
    """Dr Mei Lin, the acupuncturist who sees Ann and Bob, signed in."""
    return as_role(week.ctx.db, Role.PRACTITIONER, practitioner_id=week.clinic.acu)


def _note_editor(window: MainWindow, week: Week) -> SessionNoteEditor:
    """Bob's note for today's visit, opened from his chart as the practitioner would."""
    chart = open_chart(
        window,
        window.ctx,
        week.clinic.bob,
        practitioner_id=week.clinic.acu,
        appointment_id=week.bob_visit,
    )
    assert chart is not None
    return open_note(read_chart(chart))


def _cover_share(widget: QWidget) -> float:
    """How much of what ``widget`` shows is the plain cover colour (1.0: nothing else)."""
    image = widget.grab().toImage()
    step = 8
    points = [(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)]
    plain = sum(1 for x, y in points if image.pixelColor(x, y) == COVER_COLOUR)
    return plain / len(points)


def _screen(window: MainWindow) -> LockScreen:
    screen = window.desk_lock.screen
    assert screen is not None, "the desk is not locked"
    return screen


def _unlock(qtbot, window: MainWindow, password: str = TEST_PASSWORD) -> None:
    screen = _screen(window)
    screen.password.setText(password)
    screen.unlock_button.click()
    qtbot.waitUntil(lambda: not window.desk_lock.locked, timeout=15_000)


def _audit(db: Database, action: str) -> list[AuditRow]:
    return list_audit(db, AuditFilter(action=action))  # newest first


def test_the_desk_locks_itself_after_the_clinics_idle_minutes(qtbot, week, settings):
    set_lock_minutes(week.ctx.db, 3)  # Settings ▸ Screen lock, by the administrator
    window = _window(qtbot, week, settings, _practitioner(week))
    idle = window.desk_lock.idle
    qtbot.waitUntil(lambda: idle.minutes == 3)  # read from the clinic's settings
    qtbot.waitUntil(lambda: window.desk_lock.watching)  # from a second after opening
    clock = Clock()
    idle.clock = clock
    idle.touch()
    assert _cover_share(window) < 0.5  # the patients list, the sidebar, the status bar
    clock.now += 2 * 60 + 59
    assert not idle.check() and not window.desk_lock.locked
    qtbot.keyClick(window.nav, Qt.Key.Key_Shift)  # someone touched the desk: a new wait
    clock.now += 2 * 60 + 59
    assert not idle.check() and not window.desk_lock.locked
    idle.timer.setInterval(5)  # the watcher's own check, not a call from the test
    clock.now += 1
    qtbot.waitUntil(lambda: window.desk_lock.locked)
    screen = _screen(window)
    qtbot.waitExposed(screen)
    assert _cover_share(window) > 0.97  # nothing of the window shows: no name, no menu
    assert window.windowTitle() == LOCKED_TITLE
    assert QApplication.activeModalWidget() is screen
    actor = window.ctx.db.actor
    assert actor is not None
    who = screen.findChild(QWidget, "lockWho")
    assert who.text().startswith(f"{actor.display_name} (practitioner) is signed in")


def test_ctrl_l_locks_from_the_main_window_and_the_file_menu_offers_it(qtbot, week, settings):
    window = _window(qtbot, week, settings, _practitioner(week))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.lock_action in window.menuBar().actions()[0].menu().actions()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.desk_lock.locked
    assert _cover_share(window) > 0.97


def test_a_half_typed_note_is_kept_behind_the_lock_and_saved_after_unlocking(qtbot, week, settings):
    window = _window(qtbot, week, settings, _practitioner(week))
    editor = _note_editor(window, week)
    qtbot.keyClicks(editor.body, "Needles retained 20 min")
    title = editor.windowTitle()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    qtbot.keyClick(editor.body, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # any window
    assert window.desk_lock.locked
    # Hidden, not closed: the editor is open with the words typed, its content covered.
    assert editor.isVisible() and editor.body.toPlainText() == "Needles retained 20 min"
    assert editor.windowTitle() == LOCKED_TITLE  # the title named the patient
    assert _cover_share(editor) > 0.9
    chart = WindowRegistry.of(window).get(("chart", week.clinic.bob))
    assert chart is not None and chart.isVisible() and _cover_share(chart) > 0.9
    _unlock(qtbot, window)
    assert editor.windowTitle() == title and _cover_share(editor) < 0.5
    assert _cover_share(window) < 0.5
    qtbot.keyClicks(editor.body, ", no bruising")
    qtbot.waitUntil(
        lambda: (
            (note := note_for_appointment(window.ctx.db, week.bob_visit)) is not None
            and note.body == "Needles retained 20 min, no bruising"
        ),
        timeout=10_000,
    )
    unlocks = _audit(week.ctx.db, "sign_in")
    assert unlocks[0].username == f"practitioner-{week.clinic.acu}"


def test_a_wrong_password_keeps_the_desk_locked_and_says_so_at_the_field(qtbot, week, settings):
    window = _window(qtbot, week, settings, _practitioner(week))
    editor = _note_editor(window, week)
    qtbot.keyClicks(editor.body, "Needles retained")
    window.desk_lock.lock()
    screen = _screen(window)
    for attempt in range(3):
        screen.password.setText(f"not it {attempt}")
        screen.unlock_button.click()
        qtbot.waitUntil(lambda: screen.message() != "" and screen.unlock_button.isEnabled())
        assert window.desk_lock.locked and _cover_share(window) > 0.97
        assert screen.password.text() == ""  # cleared for the next try
    # The sign-in's own wording and growing wait: the third wrong password costs 5 seconds.
    assert screen.message() == ("Wrong user name or password. Wait 5 seconds before trying again.")
    assert editor.body.toPlainText() == "Needles retained"
    failed = _audit(week.ctx.db, "sign_in_failed")
    assert [row.username for row in failed[:3]] == [f"practitioner-{week.clinic.acu}"] * 3


def test_switch_user_saves_the_first_users_note_and_the_next_user_works_in_their_own_name(
    qtbot, week, settings
):
    window = _window(qtbot, week, settings, _practitioner(week))
    actor_for(week.ctx.db, Role.RECEPTION)  # the receptionist's account, "reception"
    editor = _note_editor(window, week)
    qtbot.keyClicks(editor.body, "Cupping, left shoulder")  # not saved yet: typing just stopped
    assert note_for_appointment(week.ctx.db, week.bob_visit) is None
    assert "myday" in window.page_keys()
    window.desk_lock.lock()
    screen = _screen(window)
    screen.switch_button.click()
    screen.username.setText("reception")
    screen.other_password.setText(TEST_PASSWORD)
    screen.sign_in_button.click()
    qtbot.waitUntil(lambda: not window.desk_lock.locked, timeout=15_000)

    # The practitioner's note was saved, in their name, and their windows are closed.
    note = note_for_appointment(week.ctx.db, week.bob_visit)
    assert note is not None and note.body == "Cupping, left shoulder"
    assert _audit(week.ctx.db, "save_note")[0].username == f"practitioner-{week.clinic.acu}"
    qtbot.waitUntil(lambda: WindowRegistry.of(window).windows() == [])
    # The window is reception's: their pages only, and everything after is in their name.
    assert window.page_keys() == ["calendar", "patients", "waitlist", "outbox"]
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == [
        "Calendar",
        "Patients",
        "Wait list",
        "Outbox",
    ]
    assert window.ctx.db.actor is not None and window.ctx.db.actor.username == "reception"
    assert window.undo_stack.count() == 0
    assert not window.backup_action.isVisible()  # it works through Settings
    assert _audit(week.ctx.db, "sign_in")[0].username == "reception"
    page = window.show_page("patients")
    dialog = PatientDialog(page.ctx, None, window)
    qtbot.addWidget(dialog)
    dialog.given_name.setText("Zoë")
    dialog.family_name.setText("Novak")
    dialog.date_of_birth.setText("1990-01-02")
    dialog.save()  # on a worker: the dialog closes once the service saved
    wait_for_answers()
    assert dialog.result() == QDialog.DialogCode.Accepted
    created = _audit(week.ctx.db, "create_patient")[0]
    after = json.loads(created.after)
    assert created.username == "reception"
    assert (after["family_name"], after["date_of_birth"]) == ("Novak", date(1990, 1, 2).isoformat())


def test_a_wrong_password_for_switch_user_keeps_the_first_users_windows(qtbot, week, settings):
    window = _window(qtbot, week, settings, _practitioner(week))
    actor_for(week.ctx.db, Role.RECEPTION)
    editor = _note_editor(window, week)
    qtbot.keyClicks(editor.body, "Moxa")
    window.desk_lock.lock()
    screen = _screen(window)
    screen.show_switch()
    screen.username.setText("reception")
    screen.other_password.setText("guess")
    screen.sign_in_button.click()
    qtbot.waitUntil(lambda: screen.message() != "" and screen.sign_in_button.isEnabled())
    assert screen.message() == "Wrong user name or password."
    assert window.desk_lock.locked and editor.isVisible()
    assert window.ctx.db.actor is not None and window.ctx.db.actor.role is Role.PRACTITIONER
    _unlock(qtbot, window)
    assert editor.body.toPlainText() == "Moxa" and "myday" in window.page_keys()


def test_switch_user_waits_while_the_first_users_note_cannot_be_saved(
    qtbot, week, settings, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    from frontdesk.domain import DatabaseUnavailable
    from frontdesk.ui.practice import note_editor

    window = _window(qtbot, week, settings, _practitioner(week))
    actor_for(week.ctx.db, Role.RECEPTION)
    editor = _note_editor(window, week)

    def busy(*_a: object, **_k: object) -> None:
        raise DatabaseUnavailable("The clinic database is busy with another workstation.")

    monkeypatch.setattr(note_editor, "save_note", busy)
    asked: list[str] = []  # "discard the note?" would go to the person switching in

    def question(_parent: object, title: str, *_rest: object) -> QMessageBox.StandardButton:
        asked.append(title)
        return QMessageBox.StandardButton.Discard

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    qtbot.keyClicks(editor.body, "Gua sha, upper back")
    window.desk_lock.lock()
    screen = _screen(window)
    screen.show_switch()
    screen.username.setText("reception")
    screen.other_password.setText(TEST_PASSWORD)
    screen.sign_in_button.click()
    # Nobody else signs in over a note that would be lost; the first user can see to it.
    assert screen.message().startswith(
        "Nobody else was signed in, because a session note could not be saved"
    )
    assert window.desk_lock.locked and editor.isVisible()
    assert editor.body.toPlainText() == "Gua sha, upper back"
    assert window.ctx.db.actor is not None and window.ctx.db.actor.role is Role.PRACTITIONER
    assert all(row.username != "reception" for row in _audit(week.ctx.db, "sign_in"))
    assert asked == []
    monkeypatch.undo()  # the database is back: the switch goes through, the note saved first
    screen.other_password.setText(TEST_PASSWORD)
    screen.sign_in_button.click()
    qtbot.waitUntil(lambda: not window.desk_lock.locked, timeout=15_000)
    note = note_for_appointment(week.ctx.db, week.bob_visit)
    assert note is not None and note.body == "Gua sha, upper back"
    assert window.page_keys() == ["calendar", "patients", "waitlist", "outbox"]


def test_an_administrator_sets_the_idle_minutes_in_settings_and_the_desk_follows(
    qtbot, week, settings
):
    window = _window(qtbot, week, settings, week.ctx.db)  # the administrator
    page = window.show_page("settings")
    page.show_section(page.clinic)
    qtbot.waitUntil(lambda: window.desk_lock.idle.minutes == 5)
    qtbot.waitUntil(lambda: not page.clinic.reading)  # the form shows what is saved
    page.clinic.lock_minutes.setValue(12)
    assert page.clinic.dirty
    assert page.clinic.save()
    qtbot.waitUntil(lambda: window.desk_lock.idle.minutes == 12)  # no restart needed
    assert get_lock_minutes(week.ctx.db) == 12
    row = _audit(week.ctx.db, "update_clinic_details")[0]
    assert json.loads(row.before)["lock_after_minutes"] == 5
    assert json.loads(row.after)["lock_after_minutes"] == 12


def test_an_open_dialog_stays_open_behind_the_lock_and_a_new_one_is_covered(qtbot, week, settings):
    from PySide6.QtWidgets import QMessageBox

    window = _window(qtbot, week, settings, week.ctx.db)
    dialog = PatientDialog(window.ctx, None, window)
    qtbot.addWidget(dialog)
    dialog.open()  # modal for the window, as the patients page opens it
    qtbot.waitExposed(dialog)
    dialog.given_name.setText("Zoë")
    window.desk_lock.lock()
    screen = _screen(window)
    assert dialog.isVisible() and _cover_share(dialog) > 0.9
    assert QApplication.activeModalWidget() is screen  # the password goes to the lock
    # A message that pops up while the desk is locked (a background save failing) is covered
    # too, and the lock screen stays the one taking the keyboard.
    message = QMessageBox(QMessageBox.Icon.Warning, "Zoë Tremblay", "Not saved", parent=window)
    qtbot.addWidget(message)
    message.open()
    qtbot.waitUntil(lambda: _cover_share(message) > 0.9)
    assert message.windowTitle() == LOCKED_TITLE
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is screen)
    _unlock(qtbot, window)
    assert dialog.isVisible() and dialog.given_name.text() == "Zoë"
    assert message.windowTitle() == "Zoë Tremblay" and _cover_share(dialog) < 0.5


def test_the_pages_of_the_user_before_are_deleted_on_the_gui_thread_by_the_next_switch(
    qtbot, week, settings
):
    import shiboken6

    window = _window(qtbot, week, settings, _practitioner(week))
    actor_for(week.ctx.db, Role.RECEPTION)
    first_pages = [window.page(key) for key in window.page_keys()]

    def switch_to(username: str) -> None:
        window.desk_lock.lock()
        screen = _screen(window)
        screen.show_switch()
        screen.username.setText(username)
        screen.other_password.setText(TEST_PASSWORD)
        screen.sign_in_button.click()
        qtbot.waitUntil(lambda: not window.desk_lock.locked, timeout=15_000)

    switch_to("reception")
    # Kept (hidden, silent, out of the window) while a dialog may still return into them...
    assert all(shiboken6.isValid(p) and not p.isVisible() for p in first_pages)
    assert all(p.window() is p for p in first_pages)
    second_pages = [window.page(key) for key in window.page_keys()]
    switch_to("administrator")
    # ...and deleted by the next switch, never left to the garbage collector's thread.
    assert not any(shiboken6.isValid(p) for p in first_pages)
    assert all(shiboken6.isValid(p) for p in second_pages)
    assert "settings" in window.page_keys() and window.backup_action.isVisible()
    window.close()
    assert not any(shiboken6.isValid(p) for p in second_pages)
