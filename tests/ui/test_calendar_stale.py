"""Two desks, one appointment: the calendar never overwrites a change made at another workstation.

The "other workstation" is the scheduling service called directly while the page still shows the
old appointment. Same clinic, day and clock as ``test_calendar``.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from frontdesk.domain import AppointmentStatus
from frontdesk.scheduling import get_appointment, reschedule
from tests.ui.answers import wait_for_answers
from tests.ui.test_calendar import ACU, CLOCK, Actions, book, slot, when_modal
from tests.unit.test_scheduling_support import MONDAY, local

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

STALE = "changed at another workstation"


def other_desk_moves_room(db, appt_id: int, room: int) -> None:  # type: ignore[no-untyped-def]
    """Another workstation puts the appointment in another room, same time."""
    current = get_appointment(db, appt_id)
    reschedule(db, appt_id, current.start, now=CLOCK, room_id=room)


def selected_then_changed_elsewhere(calendar_page, clinic, db):  # type: ignore[no-untyped-def]
    """Ann's 09:00 is on screen and selected here, then another desk changes its room."""
    appt = book(db, clinic.ann, clinic.acu, clinic.consult, 9, room=clinic.room1)
    calendar_page.reload()
    wait_for_answers()
    calendar_page.view.calendar_scene.select(appt.id)
    other_desk_moves_room(db, appt.id, clinic.room2)
    return appt


def test_dragging_an_appointment_changed_elsewhere_is_refused_and_the_view_reloads(
    settle, calendar_page, clinic, db
) -> None:  # type: ignore[no-untyped-def]
    appt = book(db, clinic.ann, clinic.acu, clinic.consult, 9, room=clinic.room1)
    calendar_page.reload()
    settle()
    other_desk_moves_room(db, appt.id, clinic.room2)
    Actions().drag(
        calendar_page.view.viewport(), slot(calendar_page, ACU, 9), slot(calendar_page, ACU, 14)
    )
    settle()
    kept = get_appointment(db, appt.id)
    assert (kept.start, kept.room_id) == (
        local(MONDAY, 9),
        clinic.room2,
    )  # the other desk's change stands
    assert calendar_page.message_bar.kind == "error"
    assert (
        "Ann Smith was not moved" in calendar_page.message_bar.text()
        and STALE in calendar_page.message_bar.text()
    )
    assert (
        calendar_page.appointment(appt.id).room_id == clinic.room2
    )  # reloaded: shows the other change
    assert calendar_page.undo_stack.count() == 0
    Actions().drag(
        calendar_page.view.viewport(), slot(calendar_page, ACU, 9), slot(calendar_page, ACU, 14)
    )  # now it is current
    settle()
    assert get_appointment(db, appt.id).start == local(MONDAY, 14)


def test_undo_does_not_overwrite_a_change_made_elsewhere(settle, calendar_page, clinic, db) -> None:  # type: ignore[no-untyped-def]
    appt = book(db, clinic.ann, clinic.acu, clinic.consult, 9, room=clinic.room1)
    calendar_page.reload()
    settle()
    Actions().drag(
        calendar_page.view.viewport(), slot(calendar_page, ACU, 9), slot(calendar_page, ACU, 14)
    )
    settle()
    other_desk_moves_room(db, appt.id, clinic.room2)
    calendar_page.undo_stack.undo()
    settle()
    kept = get_appointment(db, appt.id)
    assert (kept.start, kept.room_id) == (local(MONDAY, 14), clinic.room2)
    assert (
        "Could not undo" in calendar_page.message_bar.text()
        and STALE in calendar_page.message_bar.text()
    )
    assert calendar_page.undo_stack.count() == 0


def test_two_moves_of_one_appointment_undo_and_redo_in_turn(
    settle, calendar_page, clinic, db
) -> None:  # type: ignore[no-untyped-def]
    appt = book(db, clinic.ann, clinic.acu, clinic.consult, 9, room=clinic.room1)
    calendar_page.reload()
    settle()
    calendar_page.ops.move(calendar_page.appointment(appt.id), local(MONDAY, 14), None)  # a drop
    settle()
    calendar_page.ops.move(calendar_page.appointment(appt.id), local(MONDAY, 16), None)
    settle()
    assert get_appointment(db, appt.id).start == local(MONDAY, 16)
    calendar_page.undo_stack.undo()
    settle()
    calendar_page.undo_stack.undo()
    settle()
    assert get_appointment(db, appt.id).start == local(MONDAY, 9)
    calendar_page.undo_stack.redo()
    settle()
    calendar_page.undo_stack.redo()
    settle()
    assert get_appointment(db, appt.id).start == local(MONDAY, 16)
    assert calendar_page.message_bar.kind == "info" or not calendar_page.message_bar.text()


def test_check_in_of_an_appointment_changed_elsewhere_is_refused(
    settle, calendar_page, clinic, db
) -> None:  # type: ignore[no-untyped-def]
    appt = selected_then_changed_elsewhere(calendar_page, clinic, db)
    QTest.keyClick(calendar_page.view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    settle()
    assert get_appointment(db, appt.id).status is AppointmentStatus.BOOKED
    assert (
        "Ann Smith was not checked in" in calendar_page.message_bar.text()
        and STALE in calendar_page.message_bar.text()
    )
    QTest.keyClick(
        calendar_page.view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier
    )  # reloaded: now it works
    settle()
    assert get_appointment(db, appt.id).status is AppointmentStatus.CHECKED_IN


def test_cancelling_an_appointment_changed_elsewhere_closes_the_dialog_and_keeps_it(
    settle, qtbot, calendar_page, clinic, db
) -> None:  # type: ignore[no-untyped-def]
    appt = selected_then_changed_elsewhere(calendar_page, clinic, db)

    def give_reason(dialog: QWidget) -> None:
        QTest.keyClicks(dialog.reason_box.lineEdit(), "Car broke down")
        QTest.keyClick(dialog.reason_box, Qt.Key.Key_Return)

    when_modal(qtbot, give_reason)
    calendar_page.calendar_actions.cancel.trigger()
    settle()
    kept = get_appointment(db, appt.id)
    assert (kept.status, kept.room_id) == (AppointmentStatus.BOOKED, clinic.room2)
    assert (
        "Ann Smith was not cancelled" in calendar_page.message_bar.text()
        and STALE in calendar_page.message_bar.text()
    )
    assert calendar_page.undo_stack.count() == 0


def test_cancel_then_undo_then_redo_carry_the_version_along(
    settle, qtbot, calendar_page, clinic, db
) -> None:  # type: ignore[no-untyped-def]
    appt = book(db, clinic.ann, clinic.acu, clinic.consult, 9, room=clinic.room1)
    calendar_page.reload()
    settle()
    calendar_page.view.calendar_scene.select(appt.id)

    def give_reason(dialog: QWidget) -> None:
        QTest.keyClicks(dialog.reason_box.lineEdit(), "Unwell")
        QTest.keyClick(dialog.reason_box, Qt.Key.Key_Return)

    when_modal(qtbot, give_reason)
    calendar_page.calendar_actions.cancel.trigger()
    settle()
    assert get_appointment(db, appt.id).status is AppointmentStatus.CANCELLED
    calendar_page.undo_stack.undo()
    settle()
    assert get_appointment(db, appt.id).status is AppointmentStatus.BOOKED
    calendar_page.undo_stack.redo()
    settle()
    assert get_appointment(db, appt.id).status is AppointmentStatus.CANCELLED
    assert "Could not" not in calendar_page.message_bar.text()


def test_reschedule_dialog_on_an_appointment_changed_elsewhere_closes_and_keeps_it(
    settle, qtbot, calendar_page, clinic, db
) -> None:  # type: ignore[no-untyped-def]
    appt = selected_then_changed_elsewhere(calendar_page, clinic, db)

    def choose(dialog: QWidget) -> None:
        dialog.time_box.setCurrentIndex(dialog.time_box.findText("15:00"))
        QTest.keyClick(dialog.time_box, Qt.Key.Key_Return)

    when_modal(qtbot, choose)
    calendar_page.calendar_actions.reschedule.trigger()
    settle()
    kept = get_appointment(db, appt.id)
    assert (kept.start, kept.room_id) == (local(MONDAY, 9), clinic.room2)
    assert (
        "Ann Smith was not moved" in calendar_page.message_bar.text()
        and STALE in calendar_page.message_bar.text()
    )
    assert calendar_page.undo_stack.count() == 0
