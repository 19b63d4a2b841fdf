"""The patient hub: a known or new patient booked in a few actions, ending selected in the calendar."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from frontdesk.db.models import Patient
from frontdesk.scheduling import patient_overview
from frontdesk.ui.booking import CourseWizard
from frontdesk.ui.booking.booking_dialog import BookingDialog
from frontdesk.ui.dialogs.patient_dialog import PatientDialog
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.widgets.patients_page import PatientsPage
from tests.ui.answers import wait_for_answers
from tests.ui.test_booking_support import (
    MONDAY,
    Actions,
    Clinic,
    appointments,
    book,
    build_clinic,
    local,
)

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def clinic(db) -> Clinic:
    return build_clinic(db)


@pytest.fixture
def window(qtbot, clinic, tmp_path) -> MainWindow:
    settings = QSettings(str(tmp_path / "frontdesk.ini"), QSettings.Format.IniFormat)
    win = MainWindow(clinic.ctx, settings=settings)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    win.show_page("patients")
    wait_for_answers()
    return win


def when_modal(drive: Callable[[QWidget], None]) -> None:
    """Run ``drive`` on the next modal dialog once it is open (it blocks in exec())."""
    tries = iter(range(300))

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            drive(dialog)
        elif next(tries, None) is not None:
            QTimer.singleShot(10, attempt)

    QTimer.singleShot(0, attempt)


def patients_page(window: MainWindow) -> PatientsPage:
    page = window.stack.currentWidget()
    assert isinstance(page, PatientsPage)
    return page


def assert_selected_in_calendar(window: MainWindow, appointment_id: int) -> None:
    assert window.current_key() == "calendar"
    wait_for_answers()  # the calendar reads the booked day, then selects the visit
    calendar = window.stack.currentWidget()
    assert calendar.view.calendar_scene.selected_id == appointment_id
    assert calendar.selected_appointment() is not None


def test_known_patient_first_available_consultation_in_four_actions(
    qtbot, window, clinic, db
) -> None:
    """Journey 1: part of an accented name typed without the accent, first-available initial
    consultation, the visit ends selected in the calendar."""
    page = patients_page(window)
    actions = Actions(qtbot)
    page.focus_search()
    actions.type(page.search_box, "zoe")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    actions.key(page.search_box, Qt.Key.Key_Return, "Enter selects Zoë")
    wait_for_answers()
    assert page.details.record is not None and page.details.record.id == clinic.zoe
    assert page.first_action.isEnabled()
    seen: list[QWidget] = []

    def enter(dialog: QWidget) -> None:
        seen.append(dialog)
        qtbot.waitUntil(dialog.ok_button.isEnabled)  # the form is read and checked on a worker
        actions.key(dialog.focusWidget() or dialog, Qt.Key.Key_Return, "Enter books")

    when_modal(enter)
    actions._note("Ctrl+Shift+B: first available")
    qtbot.keyClick(
        page.table,
        Qt.Key.Key_B,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    wait_for_answers()
    assert seen and isinstance(seen[0], BookingDialog)
    [visit] = appointments(db)
    assert visit.patient_id == clinic.zoe
    assert visit.appointment_type_id == clinic.consult
    # From now (Sunday noon): Monday 09:00 is the first free hour, with Dr Lin in Room 1.
    assert visit.start_at == local(MONDAY, 9)
    assert visit.practitioner_id == clinic.acu and visit.room_id == clinic.room1
    assert_selected_in_calendar(window, visit.id)
    assert actions.count <= 4, actions.log


def test_new_patient_registered_and_booked_in_eight_actions(qtbot, window, clinic, db) -> None:
    """Journey 2: register (accented name, phone, birth date) and book the first available."""
    page = patients_page(window)
    actions = Actions(qtbot)

    def register(dialog: QWidget) -> None:
        assert isinstance(dialog, PatientDialog)
        # QTest cannot type accented letters: the names are inserted, one action each.
        actions.happened("type the given name")
        dialog.given_name.insert("Hélène")
        actions.happened("Tab, type the family name")
        dialog.family_name.insert("Côté")
        actions.type(dialog.date_of_birth, "1975-04-09")
        actions.type(dialog.phone, "780 555 0199")
        actions.key(dialog.phone, Qt.Key.Key_Return, "Enter saves")

    when_modal(register)
    actions._note("Ctrl+N: new patient")
    window.new_patient_action.trigger()
    wait_for_answers()
    assert page.details.record is not None and page.details.record.family_name == "Côté"
    new_id = page.details.record.id

    def enter(dialog: QWidget) -> None:
        qtbot.waitUntil(dialog.ok_button.isEnabled)  # the form is read and checked on a worker
        actions.key(dialog.focusWidget() or dialog, Qt.Key.Key_Return, "Enter books")

    when_modal(enter)
    actions._note("Ctrl+Shift+B: first available")
    page.first_action.trigger()
    wait_for_answers()
    [visit] = appointments(db)
    assert visit.patient_id == new_id and visit.start_at == local(MONDAY, 9)
    with db.read() as s:
        assert s.query(Patient).count() == 5  # the four of the clinic and the new one
    assert_selected_in_calendar(window, visit.id)
    assert actions.count <= 8, actions.log


def test_the_hub_lists_visits_and_courses_and_opens_dialogs_for_the_patient(
    qtbot, window, clinic, monkeypatch
) -> None:
    book(clinic, clinic.ann, local(MONDAY, 10), clinic.room1)
    page = patients_page(window)
    page.show_patient(clinic.ann)
    wait_for_answers()
    assert "Initial consultation with Dr Mei Lin" in page.hub.upcoming.text()
    assert page.hub.courses.text() == "No course under way."
    texts = [b.text() for b in page.hub.buttons]
    assert texts == [
        "Book…",
        "First available…",
        "New course…",
        "Print card…",
        "Print handout…",
        "Open chart",
        "Intake form…",
        "Consent…",
        "Receipts and statement…",
    ]
    assert all("Ctrl+" in b.toolTip() for b in page.hub.buttons)

    calls: list[dict] = []
    monkeypatch.setattr(
        BookingDialog, "ask", classmethod(lambda cls, parent, ctx, **kw: calls.append(kw))
    )
    monkeypatch.setattr(
        CourseWizard, "ask", classmethod(lambda cls, parent, ctx, **kw: calls.append(kw))
    )
    page.book_action.trigger()
    wait_for_answers()
    page.course_action.trigger()
    wait_for_answers()
    assert [c["patient_id"] for c in calls] == [clinic.ann, clinic.ann]
    overview = patient_overview(clinic.ctx.db, clinic.ann, now=clinic.ctx.clock())
    assert [a.start for a in overview.upcoming] == [local(MONDAY, 10)]
