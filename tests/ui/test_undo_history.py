"""One undo history for the window: Ctrl+Z takes back exactly what Edit ▸ Undo names.

Driven on the real main window with the scheduling tests' small clinic (Dr Mei Lin, acupuncture;
Sam Patel, physiotherapy) on Monday 2026-03-02 at 11:00, so Ann's 09:00 can be a no-show and
Cara's 14:00 can be checked in. "A colleague" is the scheduling service called directly.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu, QWidget

from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.domain import AppointmentStatus
from frontdesk.scheduling import (
    BookingRequest,
    book_appointment,
    complete,
    get_appointment,
)
from frontdesk.ui.calendar import CalendarPage
from frontdesk.ui.main_window import MainWindow
from tests.ui.answers import wait_for_answers
from tests.ui.test_calendar import Actions, when_modal
from tests.unit.test_scheduling_support import MONDAY, Clinic, build_clinic, local

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

NOW = local(MONDAY, 11)
TUESDAY = MONDAY + timedelta(days=1)
ACU, PHYSIO = 0, 1  # day-view columns
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def clinic(db: Database) -> Clinic:
    return build_clinic(db)


@pytest.fixture
def window(qtbot, db: Database, clinic: Clinic, tmp_path) -> MainWindow:  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "frontdesk.ini"), QSettings.Format.IniFormat)
    main = MainWindow(AppContext(db=db, clock=lambda: NOW), settings=settings)
    qtbot.addWidget(main)
    main.resize(1400, 900)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    qtbot.waitUntil(main.isActiveWindow)
    return main


def calendar(window: MainWindow) -> CalendarPage:
    page = window.show_page("calendar")
    assert isinstance(page, CalendarPage)
    wait_for_answers()
    page.view.setFocus()
    return page


def book(
    db: Database, clinic: Clinic, patient: int, practitioner: int, day, hour: int, room: int
) -> int:  # type: ignore[no-untyped-def]
    request = BookingRequest(
        patient, practitioner, clinic.consult, local(day, hour), room_id=room, back_entered=True
    )
    return book_appointment(db, request, now=NOW).id


def select(page: CalendarPage, appointment_id: int) -> None:
    page.reload()
    wait_for_answers()
    page.view.calendar_scene.select(appointment_id)


def edit_menu_undo_text(window: MainWindow) -> str:
    """What the Edit menu's first item reads, as the user sees it."""
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    assert isinstance(menu, QMenu)
    first = menu.actions()[0]
    return first.text().replace("&", "") if first.isEnabled() else ""


def undo_key(page: CalendarPage) -> None:
    QTest.keyClick(page.view, Qt.Key.Key_Z, CTRL)


def test_ctrl_z_undoes_the_no_show_it_names_and_not_an_earlier_drag(
    settle, window, db, clinic
) -> None:  # type: ignore[no-untyped-def]
    bob = book(db, clinic, clinic.bob, clinic.physio, TUESDAY, 15, clinic.room2)
    ann = book(db, clinic, clinic.ann, clinic.acu, MONDAY, 9, clinic.room1)
    page = calendar(window)
    page.go_to(TUESDAY)
    settle()
    Actions().drag(
        page.view.viewport(),
        page.view.slot_center(PHYSIO, 15 * 60),
        page.view.slot_center(PHYSIO, 16 * 60),
    )
    settle()
    assert get_appointment(db, bob).start == local(TUESDAY, 16)
    page.go_to(MONDAY)
    settle()
    select(page, ann)
    QTest.keyClick(page.view, Qt.Key.Key_N, CTRL | Qt.KeyboardModifier.ShiftModifier)
    settle()
    assert get_appointment(db, ann).status is AppointmentStatus.NO_SHOW
    assert edit_menu_undo_text(window) == "Undo no-show for Ann Smith on Mon 2 Mar, 09:00"
    assert window.undo_button.text() == "Undo no-show for Ann Smith on Mon 2 Mar, 09:00"

    undo_key(page)
    settle()
    assert get_appointment(db, ann).status is AppointmentStatus.BOOKED
    assert get_appointment(db, bob).start == local(TUESDAY, 16)  # the drag stands
    assert page.message_bar.text() == "Undone: no-show for Ann Smith on Mon 2 Mar, 09:00."
    assert window.statusBar().currentMessage() == page.message_bar.text()
    assert page.appointment(ann).status is AppointmentStatus.BOOKED  # the calendar shows it

    assert edit_menu_undo_text(window) == "Undo move Bob Jones to Tue 3 Mar, 16:00"
    undo_key(page)
    settle()
    assert get_appointment(db, bob).start == local(TUESDAY, 15)
    assert page.message_bar.text() == "Undone: move Bob Jones to Tue 3 Mar, 16:00."
    assert edit_menu_undo_text(window) == ""  # nothing else to undo


def test_check_in_and_completion_can_be_undone_and_redone(settle, window, db, clinic) -> None:  # type: ignore[no-untyped-def]
    cara = book(db, clinic, clinic.cara, clinic.physio, MONDAY, 14, clinic.room1)
    page = calendar(window)
    select(page, cara)
    QTest.keyClick(page.view, Qt.Key.Key_I, CTRL)
    settle()
    assert get_appointment(db, cara).status is AppointmentStatus.CHECKED_IN
    QTest.keyClick(page.view, Qt.Key.Key_D, CTRL)
    settle()
    assert get_appointment(db, cara).status is AppointmentStatus.COMPLETED
    assert edit_menu_undo_text(window) == "Undo completion of Cara Diaz's visit on Mon 2 Mar, 14:00"
    undo_key(page)
    settle()
    assert get_appointment(db, cara).status is AppointmentStatus.CHECKED_IN
    assert edit_menu_undo_text(window) == "Undo check-in of Cara Diaz on Mon 2 Mar, 14:00"
    undo_key(page)
    settle()
    assert get_appointment(db, cara).status is AppointmentStatus.BOOKED
    assert page.message_bar.text() == "Undone: check-in of Cara Diaz on Mon 2 Mar, 14:00."
    window.redo_action.trigger()
    settle()
    assert get_appointment(db, cara).status is AppointmentStatus.CHECKED_IN
    assert page.message_bar.text() == "Redone: check-in of Cara Diaz on Mon 2 Mar, 14:00."


def test_f1_lists_ctrl_z_as_undoing_the_change_edit_undo_names(settle, qtbot, window) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[str, str]] = []

    def read(dialog: QWidget) -> None:
        seen.extend(dialog.entries())
        dialog.reject()

    when_modal(qtbot, read)
    QTest.keyClick(window, Qt.Key.Key_F1)
    settle()
    assert seen
    undo = [does for keys, does in seen if "Ctrl+Z" in keys]
    assert len(undo) == 1  # one history, described once
    assert undo[0] != "Undo the last archive or restore"
    for change in ("move", "cancellation", "check-in", "no-show", "archive"):
        assert change in undo[0]
    assert "Edit ▸ Undo" in undo[0]


def test_undo_after_a_colleagues_change_is_refused_and_changes_nothing(
    settle, window, db, clinic
) -> None:  # type: ignore[no-untyped-def]
    cara = book(db, clinic, clinic.cara, clinic.physio, MONDAY, 14, clinic.room1)
    page = calendar(window)
    select(page, cara)
    QTest.keyClick(page.view, Qt.Key.Key_I, CTRL)
    settle()
    assert get_appointment(db, cara).status is AppointmentStatus.CHECKED_IN
    complete(db, cara, now=NOW)  # a colleague completes the visit at another desk
    undo_key(page)
    settle()
    assert get_appointment(db, cara).status is AppointmentStatus.COMPLETED  # their change stands
    assert page.message_bar.kind == "error"
    assert page.message_bar.text().startswith(
        "Could not undo “check-in of Cara Diaz on Mon 2 Mar, 14:00”: "
    )
    assert "changed at another workstation" in page.message_bar.text()
    assert page.appointment(cara).status is AppointmentStatus.COMPLETED  # reloaded: shows theirs
    assert edit_menu_undo_text(window) == ""  # the refused step is gone, nothing else undone


def test_undo_of_a_no_show_whose_time_was_booked_meanwhile_is_refused(
    settle, window, db, clinic
) -> None:  # type: ignore[no-untyped-def]
    ann = book(db, clinic, clinic.ann, clinic.acu, MONDAY, 9, clinic.room1)
    page = calendar(window)
    select(page, ann)
    QTest.keyClick(page.view, Qt.Key.Key_N, CTRL | Qt.KeyboardModifier.ShiftModifier)
    settle()
    bob = book(
        db, clinic, clinic.bob, clinic.acu, MONDAY, 9, clinic.room1
    )  # a colleague fills the time
    undo_key(page)
    settle()
    assert get_appointment(db, ann).status is AppointmentStatus.NO_SHOW
    assert get_appointment(db, bob).status is AppointmentStatus.BOOKED
    assert page.message_bar.kind == "error" and "Bob Jones" in page.message_bar.text()
