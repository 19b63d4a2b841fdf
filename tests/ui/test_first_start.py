"""Journey 8: a new clinic, from an empty database to its first booking, every step offered."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from frontdesk.context import AppContext
from frontdesk.db.models import Appointment
from frontdesk.patients import PatientInput, create_patient
from frontdesk.setup.checklist import setup_checklist
from frontdesk.ui.calendar import CalendarPage
from frontdesk.ui.dialogs.patient_dialog import PatientDialog
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.settings.page import SettingsPage
from frontdesk.ui.settings.practitioner_dialog import PractitionerDialog
from frontdesk.ui.settings.rooms_tab import RoomDialog
from tests.ui.answers import wait_for_answers
from tests.ui.test_booking_support import Actions
from tests.ui.test_patient_hub import when_modal

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

TZ = ZoneInfo("America/Edmonton")
NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)  # Monday 10:00 in Edmonton


@pytest.fixture
def window(qtbot, db, tmp_path) -> MainWindow:
    settings = QSettings(str(tmp_path / "frontdesk.ini"), QSettings.Format.IniFormat)
    win = MainWindow(AppContext(db=db, clock=lambda: NOW), settings=settings)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_first_start_to_the_first_booking_with_every_step_offered(qtbot, window, db) -> None:
    """The window opens on the checklist; each step is a click into its tab; the last step
    offers the first booking. Ends with the visit in the database, selected in the calendar."""
    assert window.current_key() == "settings"
    page = window.stack.currentWidget()
    assert isinstance(page, SettingsPage)
    panel = page.checklist
    qtbot.waitUntil(panel.isVisible)  # once the steps are read, on a worker
    assert panel.title.text().startswith("Set up your clinic: 0 of 4 steps done")
    actions = Actions(qtbot)

    actions.click(panel.step_buttons["clinic"], "checklist: Clinic details")
    assert page.current_section() is page.clinic
    page.clinic.name.selectAll()
    actions.type(page.clinic.name, "Bow River Acupuncture")
    actions.click(page.clinic.save_button, "Save changes")
    assert panel.step_buttons["clinic"].text().startswith("✓")

    actions.click(panel.step_buttons["rooms"], "checklist: Rooms")
    assert page.current_section() is page.rooms

    def name_room(dialog: QWidget) -> None:
        assert isinstance(dialog, RoomDialog)
        actions.type(dialog.name, "Room 1")
        actions.key(dialog.name, Qt.Key.Key_Return, "Enter saves")

    when_modal(name_room)
    actions.click(page.rooms.add_button, "Add room")
    assert panel.step_buttons["rooms"].text().startswith("✓")

    actions.click(panel.step_buttons["practitioners"], "checklist: Practitioners")
    assert page.current_section() is page.practitioners

    def add_practitioner(dialog: QWidget) -> None:
        assert isinstance(dialog, PractitionerDialog)
        actions.type(dialog.display_name, "Mei Chen")  # the usual week is filled in
        actions.key(dialog.display_name, Qt.Key.Key_Return, "Enter saves")

    when_modal(add_practitioner)
    actions.click(page.practitioners.add_button, "Add practitioner")
    checklist = setup_checklist(db)
    assert checklist.complete  # the built-in types are given by an acupuncturist
    assert panel.book_button.isVisible()

    def register(dialog: QWidget) -> None:
        assert isinstance(dialog, PatientDialog)
        actions.type(dialog.given_name, "Ann")
        actions.type(dialog.family_name, "Lee")
        actions.type(dialog.date_of_birth, "1975-04-09")
        actions.type(dialog.phone, "780 555 0199")
        actions.key(dialog.phone, Qt.Key.Key_Return, "Enter saves")

    when_modal(register)
    actions.click(panel.book_button, "Register a patient and book")
    patients = window.stack.currentWidget()
    assert window.current_key() == "patients"
    assert patients.details.record is not None

    def enter(dialog: QWidget) -> None:
        qtbot.waitUntil(dialog.ok_button.isEnabled)  # the form is read and checked on a worker
        actions.key(dialog.focusWidget() or dialog, Qt.Key.Key_Return, "Enter books")

    when_modal(enter)
    actions.click(patients.hub.buttons[1], "First available")
    wait_for_answers()

    with db.read() as s:
        [visit] = s.query(Appointment).all()
        assert visit.room_id is not None and visit.start_at >= NOW
        visit_id = visit.id
    assert window.current_key() == "calendar"
    assert window.stack.currentWidget().view.calendar_scene.selected_id == visit_id
    assert actions.count <= 25, actions.log


def test_the_empty_calendar_links_to_the_practitioners_tab(qtbot, db, tmp_path) -> None:
    page = CalendarPage(AppContext(db=db, clock=lambda: NOW), QUndoStack())
    qtbot.addWidget(page)
    page.show()
    wait_for_answers()  # the first read says nobody works here yet
    assert page.setup_link.isVisible()
    assert "No active practitioners yet" in page.setup_link.text()
    with qtbot.waitSignal(page.navigate) as asked:
        page.setup_link.linkActivated.emit("settings/practitioners")
    assert asked.args == ["settings/practitioners"]


def test_a_link_opens_the_settings_tab_that_fixes_it(qtbot, window) -> None:
    window.show_page("patients")
    window.navigate("settings/rooms")
    page = window.stack.currentWidget()
    assert window.current_key() == "settings" and page.current_section() is page.rooms


def test_first_available_with_nobody_to_book_opens_the_practitioners_tab(qtbot, window, db):
    ann = create_patient(db, PatientInput("Ann", "Lee", date(1980, 1, 2)), today=NOW.date())
    window.open_patient(ann.id)
    wait_for_answers()
    window.stack.currentWidget().book_first_available()
    wait_for_answers()
    page = window.stack.currentWidget()
    assert window.current_key() == "settings" and page.current_section() is page.practitioners
    assert window.statusBar().currentMessage().startswith("No active practitioners yet")
