"""The calendar driven like reception drives it: mouse on the viewport, keys, real dialogs.

Every test checks the database afterwards. The clinic is the scheduling tests' small clinic
(Dr Mei Lin, acupuncture, Mon–Fri 09–17 with lunch 12–13; Sam Patel, physiotherapy, Mon–Thu
10–19) on Monday 2026-03-02, with the clock fixed at 07:30 that morning.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from frontdesk.db.engine import Database
from frontdesk.domain import AppointmentStatus
from frontdesk.scheduling import BookingRequest, book_appointment, get_appointment
from frontdesk.ui.booking.booking_dialog import BookingDialog
from frontdesk.ui.calendar import CalendarPage
from tests.unit.test_scheduling_support import MONDAY, local

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

CLOCK = local(MONDAY, 7, 30)
ACU, PHYSIO = 0, 1  # day-view columns (practitioners sorted by name)


class Actions:
    """Drives widgets and counts the user's actions: a click, a non-typing key, a typed text."""

    def __init__(self) -> None:
        self.count = 0

    def click(self, widget: QWidget, pos: QPoint | None = None) -> None:
        self.count += 1
        QTest.mouseClick(
            widget,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            pos or widget.rect().center(),
        )

    def key(
        self,
        widget: QWidget,
        key: Qt.Key,
        modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
    ) -> None:
        self.count += 1
        QTest.keyClick(widget, key, modifiers)

    def type(self, widget: QWidget, text: str) -> None:
        self.count += 1
        QTest.keyClicks(widget, text)

    def drag(self, widget: QWidget, start: QPoint, end: QPoint) -> None:
        """Press, move in steps, release: one action."""
        self.count += 1
        QTest.mousePress(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
        for step in range(1, 5):
            QTest.mouseMove(widget, start + (end - start) * (step / 4))
        QTest.mouseRelease(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def book(
    db: Database,
    patient: int,
    practitioner: int,
    type_id: int,
    hour: int,
    minute: int = 0,
    room: int | None = None,
):  # type: ignore[no-untyped-def]
    return book_appointment(
        db,
        BookingRequest(patient, practitioner, type_id, local(MONDAY, hour, minute), room_id=room),
        now=CLOCK,
    )


def slot(calendar_page: CalendarPage, column: int, hour: int, minute: int = 0) -> QPoint:
    return calendar_page.view.slot_center(column, hour * 60 + minute)


def when_modal(qtbot, drive: Callable[[QWidget], None]) -> None:  # type: ignore[no-untyped-def]
    """Run ``drive`` on the next modal dialog as soon as it is open (it blocks in exec()).

    Gives up after two seconds, so a dialog that never opens cannot leave a timer behind that
    would drive another test's dialog.
    """
    tries = iter(range(200))

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            drive(dialog)
        elif next(tries, None) is not None:
            QTimer.singleShot(10, attempt)

    QTimer.singleShot(0, attempt)


def record_ask(monkeypatch, result=None) -> list[dict]:  # type: ignore[no-untyped-def]
    calls: list[dict] = []

    def fake(cls, parent, ctx, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs)
        return result

    monkeypatch.setattr(BookingDialog, "ask", classmethod(fake))
    return calls


# ----- booking from an empty slot ----------------------------------------------------------------


def test_click_on_an_empty_slot_opens_the_booking_dialog_prefilled(
    calendar_page, settle, clinic, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    calls = record_ask(monkeypatch)
    actions = Actions()
    actions.click(calendar_page.view.viewport(), slot(calendar_page, PHYSIO, 14, 30))
    assert calls == [{"practitioner_id": clinic.physio, "start": local(MONDAY, 14, 30)}]
    assert actions.count == 1


def test_drag_over_empty_slots_books_from_the_start_of_the_span(
    calendar_page, settle, clinic, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    calls = record_ask(monkeypatch)
    Actions().drag(
        calendar_page.view.viewport(),
        slot(calendar_page, ACU, 15),
        slot(calendar_page, ACU, 15, 45),
    )
    assert calls == [{"practitioner_id": clinic.acu, "start": local(MONDAY, 15)}]


def test_known_patients_consultation_is_booked_in_four_actions(
    qtbot, calendar_page, settle, clinic, db
) -> None:  # type: ignore[no-untyped-def]
    from frontdesk.patients import PatientInput, create_patient

    zoe = create_patient(
        db, PatientInput("Zoë", "Tremblay", MONDAY.replace(year=1985)), today=MONDAY
    )
    actions = Actions()

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, BookingDialog)
        actions.type(dialog.picker.search_edit, "zoe trem")
        actions.key(dialog.picker.search_edit, Qt.Key.Key_Return)  # choose the first match
        qtbot.waitUntil(lambda: dialog.ok_button.isEnabled())
        actions.key(dialog.picker.search_edit, Qt.Key.Key_Return)  # Book

    when_modal(qtbot, fill)
    actions.click(calendar_page.view.viewport(), slot(calendar_page, ACU, 10))
    settle()
    [booked] = [a for a in calendar_page.schedules[0].appointments if a.patient_id == zoe.id]
    stored = get_appointment(db, booked.id)
    assert (stored.practitioner_id, stored.start, stored.type_name) == (
        clinic.acu,
        local(MONDAY, 10),
        "Initial consultation",
    )
    assert (
        calendar_page.view.calendar_scene.selected_id == booked.id
    )  # the new block is shown, selected
    assert actions.count <= 6  # issue 6: at most 6 actions from the day view
    print(f"\nactions: known patient's initial consultation = {actions.count}")


def test_enter_on_an_empty_slot_books_there_and_arrows_move_the_cursor(
    calendar_page, settle, clinic, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    calls = record_ask(monkeypatch)
    view = calendar_page.view
    view.calendar_scene.set_cursor(ACU, view.grid.slots // 2)
    start = view.grid.slot_minute(view.calendar_scene.cursor_slot)
    for key in (
        Qt.Key.Key_Down,
        Qt.Key.Key_Down,
        Qt.Key.Key_Right,
        Qt.Key.Key_Up,
        Qt.Key.Key_Return,
    ):
        QTest.keyClick(view, key)
    minute = start + 15
    assert calls == [
        {"practitioner_id": clinic.physio, "start": local(MONDAY, minute // 60, minute % 60)}
    ]


def test_page_keys_change_the_day_and_ctrl_t_comes_back(qtbot, calendar_page, settle) -> None:  # type: ignore[no-untyped-def]
    QTest.keyClick(calendar_page.view, Qt.Key.Key_PageDown)
    assert calendar_page.day == MONDAY.replace(day=3)  # the heading says so before it is read
    qtbot.waitUntil(lambda: "Tuesday 3 March 2026" in calendar_page.toolbar.title.text())
    QTest.keyClick(calendar_page.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert calendar_page.day == MONDAY.replace(day=4)
    QTest.keyClick(calendar_page.view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert calendar_page.day == MONDAY


# ----- moving ------------------------------------------------------------------------------------


def test_drag_an_appointment_to_a_new_time_then_undo(calendar_page, settle, clinic, db) -> None:  # type: ignore[no-untyped-def]
    appt = book(db, clinic.ann, clinic.acu, clinic.consult, 9, room=clinic.room1)
    calendar_page.reload()
    settle()
    actions = Actions()
    actions.drag(
        calendar_page.view.viewport(),
        slot(calendar_page, ACU, 9, 15),
        slot(calendar_page, ACU, 13, 45),
    )
    settle()
    assert get_appointment(db, appt.id).start == local(MONDAY, 13, 30)  # grabbed 15 min in
    assert "Moved Ann Smith" in calendar_page.message_bar.text()
    QTest.keyClick(calendar_page.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle()
    assert get_appointment(db, appt.id).start == local(MONDAY, 9)
    QTest.keyClick(calendar_page.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)  # redo
    settle()
    assert get_appointment(db, appt.id).start == local(MONDAY, 13, 30)


def test_drag_onto_another_practitioners_column_changes_the_practitioner(
    calendar_page, settle, clinic, db
) -> None:  # type: ignore[no-untyped-def]
    appt = book(db, clinic.ann, clinic.acu, clinic.consult, 10, room=clinic.room1)
    calendar_page.reload()
    settle()
    Actions().drag(
        calendar_page.view.viewport(), slot(calendar_page, ACU, 10), slot(calendar_page, PHYSIO, 15)
    )
    settle()
    moved = get_appointment(db, appt.id)
    assert (moved.practitioner_id, moved.start) == (clinic.physio, local(MONDAY, 15))


def test_drag_onto_a_clash_is_refused_with_the_reason_and_snaps_back(
    calendar_page, settle, clinic, db
) -> None:  # type: ignore[no-untyped-def]
    ann = book(db, clinic.ann, clinic.acu, clinic.consult, 9, room=clinic.room1)
    book(db, clinic.bob, clinic.acu, clinic.consult, 11, room=clinic.room2)
    calendar_page.reload()
    settle()
    Actions().drag(
        calendar_page.view.viewport(), slot(calendar_page, ACU, 9), slot(calendar_page, ACU, 11)
    )
    settle()
    assert get_appointment(db, ann.id).start == local(MONDAY, 9)  # unchanged
    assert calendar_page.message_bar.kind == "error"
    assert (
        "Ann Smith was not moved" in calendar_page.message_bar.text()
        and "Bob Jones" in calendar_page.message_bar.text()
    )
    block = calendar_page.view.calendar_scene.blocks[ann.id]
    assert block.rect() == block.home_rect and block.drag_text is None
    assert calendar_page.undo_stack.count() == 0


# ----- front-desk actions ------------------------------------------------------------------------


def test_cancel_with_a_reason_then_ctrl_z_restores_it(
    qtbot, calendar_page, settle, clinic, db
) -> None:  # type: ignore[no-untyped-def]
    appt = book(db, clinic.cara, clinic.physio, clinic.consult, 11, room=clinic.room1)
    calendar_page.reload()
    settle()
    actions = Actions()
    actions.click(
        calendar_page.view.viewport(), slot(calendar_page, PHYSIO, 11, 15)
    )  # select the block
    assert calendar_page.view.calendar_scene.selected_id == appt.id

    def give_reason(dialog: QWidget) -> None:
        actions.type(dialog.reason_box.lineEdit(), "Car broke down")
        actions.key(dialog.reason_box, Qt.Key.Key_Return)

    when_modal(qtbot, give_reason)
    actions.key(calendar_page.view, Qt.Key.Key_Delete)
    settle()
    cancelled = get_appointment(db, appt.id)
    assert (cancelled.status, cancelled.cancellation_reason) == (
        AppointmentStatus.CANCELLED,
        "Car broke down",
    )
    assert actions.count == 4
    calendar_page.activateWindow()  # the dialog has closed: the calendar's window is active again
    qtbot.waitUntil(calendar_page.isActiveWindow)
    actions.key(calendar_page.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle()
    restored = get_appointment(db, appt.id)
    assert restored.status is AppointmentStatus.BOOKED and restored.start == local(MONDAY, 11)


def test_a_cancelled_time_is_filled_from_the_wait_list_in_a_click(
    qtbot, calendar_page, settle, clinic, db
) -> None:  # type: ignore[no-untyped-def]
    from frontdesk.scheduling.waitlist import WaitlistRequest, add_to_waitlist, list_waitlist
    from frontdesk.ui.waitlist.fill_dialog import FillGapDialog

    add_to_waitlist(db, WaitlistRequest(clinic.ann, clinic.consult), now=CLOCK)
    appt = book(db, clinic.cara, clinic.physio, clinic.consult, 11, room=clinic.room1)
    calendar_page.reload()
    settle()
    calendar_page.view.calendar_scene.select(appt.id)

    def give_reason(dialog: QWidget) -> None:
        QTest.keyClicks(dialog.reason_box.lineEdit(), "Car broke down")
        QTest.keyClick(dialog.reason_box, Qt.Key.Key_Return)

    when_modal(qtbot, give_reason)
    calendar_page.calendar_actions.cancel.trigger()
    settle()
    # The calendar asks the wait list by itself and says someone could take the time.
    qtbot.waitUntil(lambda: "1 patient on the wait list" in calendar_page.message_bar.text())
    dialog = calendar_page.ops.fill_gap_here()  # Ctrl+Shift+W on the cancelled visit
    assert isinstance(dialog, FillGapDialog)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    with qtbot.waitSignal(dialog.booked):
        QTest.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
    settle()
    booked = get_appointment(db, dialog.result_appointment.id)  # type: ignore[union-attr]
    assert (booked.patient_id, booked.practitioner_id, booked.start) == (
        clinic.ann,
        clinic.physio,
        local(MONDAY, 11),
    )
    assert list_waitlist(db, now=CLOCK) == []
    assert "from the wait list" in calendar_page.message_bar.text()


def test_cancel_without_a_reason_shows_the_services_message_and_keeps_it(
    qtbot, calendar_page, settle, clinic, db
) -> None:  # type: ignore[no-untyped-def]
    appt = book(db, clinic.cara, clinic.physio, clinic.consult, 11, room=clinic.room1)
    calendar_page.reload()
    settle()
    calendar_page.view.calendar_scene.select(appt.id)
    seen: list[str] = []

    def no_reason(dialog: QWidget) -> None:
        QTest.keyClick(dialog.reason_box, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not dialog.saving)
        seen.append(dialog.error_text("reason"))
        dialog.done(0)

    when_modal(qtbot, no_reason)
    calendar_page.calendar_actions.cancel.trigger()
    assert seen and seen[0]
    assert get_appointment(db, appt.id).status is AppointmentStatus.BOOKED


def test_shortcuts_check_in_and_complete_the_selected_appointment(
    calendar_page, settle, clinic, db
) -> None:  # type: ignore[no-untyped-def]
    appt = book(db, clinic.ann, clinic.acu, clinic.consult, 9, room=clinic.room1)
    calendar_page.reload()
    settle()
    calendar_page.view.calendar_scene.set_cursor(
        ACU, calendar_page.view.grid.slot_at(calendar_page.view.grid.y(9 * 60))
    )
    QTest.keyClick(calendar_page.view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    settle()
    assert get_appointment(db, appt.id).status is AppointmentStatus.CHECKED_IN
    QTest.keyClick(calendar_page.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    settle()
    assert get_appointment(db, appt.id).status is AppointmentStatus.COMPLETED
    QTest.keyClick(
        calendar_page.view,
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    settle()
    assert get_appointment(db, appt.id).status is AppointmentStatus.COMPLETED  # refused
    assert (
        calendar_page.message_bar.kind == "error"
        and "Ann Smith" in calendar_page.message_bar.text()
    )


def test_open_patient_is_a_signal_the_main_window_routes(
    qtbot, calendar_page, settle, clinic, db
) -> None:  # type: ignore[no-untyped-def]
    appt = book(db, clinic.bob, clinic.acu, clinic.consult, 14, room=clinic.room1)
    calendar_page.reload()
    settle()
    calendar_page.view.calendar_scene.select(appt.id)
    with qtbot.waitSignal(calendar_page.open_patient, timeout=1000) as blocker:
        QTest.keyClick(calendar_page.view, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args == [clinic.bob]


def test_reschedule_dialog_moves_and_is_undoable(qtbot, calendar_page, settle, clinic, db) -> None:  # type: ignore[no-untyped-def]
    appt = book(db, clinic.ann, clinic.acu, clinic.consult, 9, room=clinic.room1)
    calendar_page.reload()
    settle()
    calendar_page.view.calendar_scene.select(appt.id)

    def choose(dialog: QWidget) -> None:
        dialog.time_box.setCurrentIndex(dialog.time_box.findText("15:00"))
        dialog.practitioner_box.setCurrentIndex(dialog.practitioner_box.findData(clinic.physio))
        QTest.keyClick(dialog.time_box, Qt.Key.Key_Return)

    when_modal(qtbot, choose)
    calendar_page.calendar_actions.reschedule.trigger()
    settle()
    moved = get_appointment(db, appt.id)
    assert (moved.start, moved.practitioner_id) == (local(MONDAY, 15), clinic.physio)
    calendar_page.undo_stack.undo()
    settle()
    back = get_appointment(db, appt.id)
    assert (back.start, back.practitioner_id) == (local(MONDAY, 9), clinic.acu)


# ----- what is shown -----------------------------------------------------------------------------


def test_day_view_has_a_column_per_practitioner_and_status_is_visible(
    calendar_page, settle, clinic, db
) -> None:  # type: ignore[no-untyped-def]
    from frontdesk.scheduling import cancel

    kept = book(db, clinic.ann, clinic.acu, clinic.consult, 9, room=clinic.room1)
    gone = book(db, clinic.bob, clinic.acu, clinic.consult, 10, room=clinic.room2)
    cancel(db, gone.id, "Unwell", now=CLOCK)
    calendar_page.reload()
    settle()
    assert [c.title for c in calendar_page.columns] == ["Dr Mei Lin", "Sam Patel"]
    assert set(calendar_page.view.calendar_scene.blocks) == {kept.id, gone.id}
    calendar_page.toolbar.show_cancelled.click()  # hide cancelled: no new read needed
    assert set(calendar_page.view.calendar_scene.blocks) == {kept.id}
    calendar_page.toolbar.show_cancelled.click()
    assert (
        calendar_page.view.calendar_scene.blocks[gone.id].appointment.status
        is AppointmentStatus.CANCELLED
    )


def test_resting_the_mouse_on_a_block_shows_its_details(calendar_page, settle, clinic, db) -> None:  # type: ignore[no-untyped-def]
    """Blocks write their tooltip when asked (a day of forty practitioners builds hundreds)."""
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    appt = book(db, clinic.ann, clinic.acu, clinic.consult, 9, room=clinic.room1)
    calendar_page.reload()
    settle()
    view = calendar_page.view
    block = view.calendar_scene.blocks[appt.id]
    at = view.mapFromScene(block.rect().center())
    QApplication.sendEvent(
        view.viewport(), QHelpEvent(QEvent.Type.ToolTip, at, view.viewport().mapToGlobal(at))
    )
    shown = QToolTip.text()
    QToolTip.hideText()
    assert "Initial consultation with Dr Mei Lin" in shown
    assert "Room: Room 1" in shown


def test_week_view_shows_one_practitioners_week_with_closures_named(
    calendar_page, settle, clinic, db
) -> None:  # type: ignore[no-untyped-def]
    from frontdesk.scheduling import add_closure

    add_closure(db, MONDAY.replace(day=4), MONDAY.replace(day=4), "Staff training")
    calendar_page.toolbar.week_button.click()
    settle()
    assert calendar_page.mode == "week" and len(calendar_page.columns) == 7
    assert [c.day.day for c in calendar_page.columns] == list(range(2, 9))
    assert calendar_page.columns[2].closed_reason == "Staff training"
    assert calendar_page.columns[6].opening is None  # Sunday: the clinic does not open
    assert {c.practitioner_id for c in calendar_page.columns} == {clinic.acu}
    assert "2–8 March 2026" in calendar_page.toolbar.title.text()


def test_new_course_opens_the_wizard_for_the_cursors_practitioner_and_day(
    calendar_page, settle, clinic, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from frontdesk.ui.booking import course_wizard

    calls: list[dict] = []
    monkeypatch.setattr(
        course_wizard.CourseWizard,
        "ask",
        classmethod(lambda cls, parent, ctx, **kw: calls.append(kw)),
    )
    calendar_page.view.calendar_scene.set_cursor(PHYSIO, 4)
    actions = Actions()
    actions.click(calendar_page.toolbar.new_course_button)
    assert calls == [{"practitioner_id": clinic.physio, "start_date": MONDAY}]
    assert actions.count == 1


def test_the_shortcut_list_names_every_action_key(calendar_page, settle) -> None:  # type: ignore[no-untyped-def]
    listed = " ".join(keys for keys, _ in calendar_page.shortcuts())
    for action in calendar_page.calendar_actions.appointment_actions:
        assert action.shortcut().toString() in listed


@pytest.mark.qt_log_ignore("does not support (raise|grabbing)")  # popup menus, offscreen
def test_enter_on_an_appointment_opens_its_actions_menu(
    qtbot, calendar_page, settle, clinic, db
) -> None:  # type: ignore[no-untyped-def]
    appt = book(db, clinic.ann, clinic.acu, clinic.consult, 9, room=clinic.room1)
    calendar_page.reload()
    settle()
    calendar_page.view.calendar_scene.set_cursor(
        ACU, calendar_page.view.grid.slot_at(calendar_page.view.grid.y(9 * 60 + 30))
    )
    seen: list[list[str]] = []

    def read_menu() -> None:
        menu = QApplication.activePopupWidget()
        if menu is None:
            QTimer.singleShot(10, read_menu)
            return
        seen.append([a.text().replace("&", "") for a in menu.actions() if a.text()])
        menu.close()

    QTimer.singleShot(0, read_menu)
    QTest.keyClick(calendar_page.view, Qt.Key.Key_Return)
    assert calendar_page.view.calendar_scene.selected_id == appt.id
    assert seen and seen[0][:3] == ["Check in", "Complete", "No-show"]
    assert "Open patient" in seen[0] and "Print appointment card…" in seen[0]


def test_print_card_and_day_sheet_open_the_preview(
    qtbot, calendar_page, settle, clinic, db
) -> None:  # type: ignore[no-untyped-def]
    from frontdesk.ui.printing import PdfPreviewDialog

    appt = book(db, clinic.ann, clinic.acu, clinic.consult, 9, room=clinic.room1)
    calendar_page.reload()
    settle()
    calendar_page.view.calendar_scene.select(appt.id)
    QTest.keyClick(calendar_page.view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    settle()
    card = calendar_page.last_preview
    assert isinstance(card, PdfPreviewDialog) and "Ann Smith" in card.windowTitle()
    card.close()
    calendar_page.toolbar.day_sheet_button.click()
    settle()
    sheet = calendar_page.last_preview
    assert (
        isinstance(sheet, PdfPreviewDialog)
        and sheet is not card
        and "2026-03-02" in sheet.windowTitle()
    )
    sheet.close()


def test_week_view_arrows_cross_days_and_weeks_and_day_view_opens_the_cursors_day(
    calendar_page, settle, clinic
) -> None:  # type: ignore[no-untyped-def]
    calendar_page.toolbar.week_button.click()
    settle()
    view = calendar_page.view
    assert view.calendar_scene.cursor_column == 0  # Monday, today
    QTest.keyClick(view, Qt.Key.Key_Right)
    QTest.keyClick(view, Qt.Key.Key_Right)
    QTest.keyClick(view, Qt.Key.Key_PageDown)  # next week, same weekday
    settle()
    assert (
        calendar_page.columns[0].day == MONDAY.replace(day=9)
        and view.calendar_scene.cursor_column == 2
    )
    QTest.keyClick(view, Qt.Key.Key_Left)
    QTest.keyClick(view, Qt.Key.Key_Left)
    QTest.keyClick(view, Qt.Key.Key_Left)  # past Monday: the previous week's Sunday
    settle()
    assert calendar_page.columns[0].day == MONDAY and view.calendar_scene.cursor_column == 6
    QTest.keyClick(view, Qt.Key.Key_Left)
    QTest.keyClick(
        view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    assert calendar_page.mode == "day" and calendar_page.day == MONDAY.replace(day=7)


def test_week_view_drag_moves_an_appointment_to_another_day(
    calendar_page, settle, clinic, db
) -> None:  # type: ignore[no-untyped-def]
    appt = book(db, clinic.ann, clinic.acu, clinic.consult, 9, room=clinic.room1)
    calendar_page.toolbar.week_button.click()
    settle()
    Actions().drag(
        calendar_page.view.viewport(), slot(calendar_page, 0, 9), slot(calendar_page, 1, 10)
    )  # Monday → Tuesday
    settle()
    moved = get_appointment(db, appt.id)
    assert (moved.start, moved.practitioner_id) == (local(MONDAY.replace(day=3), 10), clinic.acu)


def test_undo_is_refused_with_the_reason_when_the_old_time_was_taken_meanwhile(
    calendar_page, settle, clinic, db
) -> None:  # type: ignore[no-untyped-def]
    appt = book(db, clinic.ann, clinic.acu, clinic.consult, 9, room=clinic.room1)
    calendar_page.reload()
    settle()
    Actions().drag(
        calendar_page.view.viewport(), slot(calendar_page, ACU, 9), slot(calendar_page, ACU, 14)
    )
    settle()
    assert get_appointment(db, appt.id).start == local(MONDAY, 14)
    book(
        db, clinic.bob, clinic.acu, clinic.consult, 9, room=clinic.room2
    )  # another desk takes 09:00
    calendar_page.undo_stack.undo()
    settle()
    assert get_appointment(db, appt.id).start == local(MONDAY, 14)  # left where it is
    assert (
        calendar_page.message_bar.kind == "error"
        and "Could not undo" in calendar_page.message_bar.text()
    )
    assert "Bob Jones" in calendar_page.message_bar.text()
    assert (
        calendar_page.undo_stack.count() == 0
    )  # the impossible step is gone, not stuck in the stack


def test_the_date_heading_is_never_cut_short_it_shortens_its_wording(qtbot, calendar_page, settle):
    # "Tuesday 1 December 20" was cut at 1024 pixels beside a full toolbar.
    title = calendar_page.toolbar.title
    calendar_page.resize(1600, 700)
    calendar_page.show()
    qtbot.waitExposed(calendar_page)
    qtbot.waitUntil(lambda: title.text() == "Monday 2 March 2026")
    calendar_page.resize(1000, 700)  # a crowded toolbar leaves the heading too little room
    qtbot.waitUntil(lambda: title.text() == "Mon 2 Mar 2026")
    assert title.fontMetrics().horizontalAdvance(title.text()) <= title.contentsRect().width()
    assert title.toolTip() == "Monday 2 March 2026"
