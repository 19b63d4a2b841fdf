"""The booking dialog as reception uses it: keyboard first, live reasons, nothing half-saved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt, QTime, QTimer
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication, QDialog

from frontdesk.domain import AppointmentStatus
from frontdesk.patients import PatientInput, create_patient
from frontdesk.ui.booking import BookingDialog, FirstAvailableDialog, PatientPicker
from frontdesk.ui.dialogs.patient_dialog import PatientDialog
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

MAX_ACTIONS_CONSULTATION = 6


@pytest.fixture
def clinic(db) -> Clinic:
    return build_clinic(db)


def open_dialog(qtbot, clinic: Clinic, actions: Actions, **kwargs) -> BookingDialog:
    """What a click on an empty slot of the day view does (counted as that one click)."""
    actions.happened("click empty slot in the day view")
    dlg = BookingDialog(None, clinic.ctx, **kwargs)
    qtbot.addWidget(dlg)
    dlg.show()
    wait_for_answers()  # the lists the form offers
    return dlg


def pick_patient(qtbot, dlg: BookingDialog, actions: Actions, text: str) -> None:
    edit = dlg.focusWidget()
    assert edit is dlg.picker.search_edit, "the patient search must have the focus first"
    actions.type(edit, text)
    qtbot.waitUntil(lambda: dlg.picker.model.rowCount() > 0)
    actions.key(edit, Qt.Key.Key_Return, "Enter picks the highlighted patient")
    wait_for_answers()  # the check of the form with the patient in it


def test_known_patient_consultation_in_at_most_six_actions(qtbot, db, clinic) -> None:
    actions = Actions(qtbot)
    dlg = open_dialog(qtbot, clinic, actions, practitioner_id=clinic.acu, start=local(MONDAY, 10))
    assert dlg.type.currentText().startswith("Initial consultation")
    assert dlg.end_label.text() == "until 11:00"

    pick_patient(qtbot, dlg, actions, "smi")
    assert dlg.picker.patient_id() == clinic.ann
    assert dlg.result() == 0, "choosing the patient must not book yet"
    assert dlg.room.currentData() == clinic.room1, "the first free room is preselected"
    qtbot.waitUntil(dlg.ok_button.isEnabled)
    actions.key(dlg.focusWidget(), Qt.Key.Key_Return, "Enter books")
    wait_for_answers()

    assert dlg.result() == QDialog.DialogCode.Accepted
    [row] = appointments(db)
    assert (row.patient_id, row.practitioner_id, row.room_id) == (
        clinic.ann,
        clinic.acu,
        clinic.room1,
    )
    assert row.appointment_type_id == clinic.consult
    assert row.start_at == local(MONDAY, 10)
    assert row.end_at - row.start_at == timedelta(minutes=60)
    assert row.status == AppointmentStatus.BOOKED.value
    assert dlg.appointment is not None and dlg.appointment.id == row.id
    print(f"\nconsultation actions = {actions.count}: {actions.log}")
    assert actions.count <= MAX_ACTIONS_CONSULTATION


def test_down_moves_to_the_second_match(qtbot, db, clinic) -> None:
    actions = Actions(qtbot)
    dlg = open_dialog(qtbot, clinic, actions, practitioner_id=clinic.acu, start=local(MONDAY, 14))
    edit = dlg.picker.search_edit
    actions.type(edit, "an")  # Nguyen, Anh then Smith, Ann
    qtbot.waitUntil(lambda: dlg.picker.model.rowCount() == 2)
    actions.key(edit, Qt.Key.Key_Down)
    wait_for_answers()
    actions.key(edit, Qt.Key.Key_Return)
    wait_for_answers()
    assert dlg.picker.patient_id() == clinic.ann
    actions.key(edit, Qt.Key.Key_Return)
    wait_for_answers()
    assert [r.patient_id for r in appointments(db)] == [clinic.ann]
    assert actions.count <= MAX_ACTIONS_CONSULTATION


def test_clash_reason_shows_beside_the_time_and_nothing_is_saved(qtbot, db, clinic) -> None:
    book(clinic, clinic.bob, local(MONDAY, 10), clinic.room2)
    actions = Actions(qtbot)
    dlg = open_dialog(
        qtbot, clinic, actions, practitioner_id=clinic.acu, start=local(MONDAY, 10, 30)
    )
    pick_patient(qtbot, dlg, actions, "ann")

    error = dlg.errors["start"]
    assert error.isVisible()
    assert "Dr Mei Lin is already seeing Bob Jones" in error.text()
    assert "10:00" in error.text()
    assert not dlg.ok_button.isEnabled()
    actions.key(dlg.picker.search_edit, Qt.Key.Key_Return)  # Enter must not book a clash
    wait_for_answers()
    assert dlg.result() == 0
    assert len(appointments(db)) == 1

    dlg.time.setTime(QTime(18, 0))  # after Dr Lin's day ends
    wait_for_answers()
    assert not dlg.ok_button.isEnabled()
    assert dlg.errors["start"].text() and "10:00" not in dlg.errors["start"].text()

    dlg.time.setTime(QTime(11, 0))  # free again: the reason goes, Book comes back
    wait_for_answers()
    assert not dlg.errors["start"].isVisible()
    assert dlg.ok_button.isEnabled()
    assert len(appointments(db)) == 1


def test_first_available_fills_the_form(qtbot, db, clinic) -> None:
    book(clinic, clinic.bob, local(MONDAY, 9), clinic.room1)
    actions = Actions(qtbot)
    dlg = open_dialog(qtbot, clinic, actions, practitioner_id=clinic.acu, start=local(MONDAY, 9))
    pick_patient(qtbot, dlg, actions, "zoe")
    assert not dlg.ok_button.isEnabled()  # 09:00 clashes with Bob

    offered: list = []

    def choose_first() -> None:
        chooser = QApplication.activeModalWidget()
        try:
            assert isinstance(chooser, FirstAvailableDialog)
            qtbot.waitUntil(lambda: not chooser.searching)  # the slots are found on a worker
            offered.extend(chooser.slots)
            actions.key(chooser.list, Qt.Key.Key_Return, "Enter takes the first free slot")
        finally:
            if chooser is not None and chooser.isVisible():
                chooser.reject()

    QTimer.singleShot(0, choose_first)
    actions.click(dlg.first_button, "First available…")
    wait_for_answers()

    assert offered, "the chooser listed free slots"
    assert offered[0].start == local(MONDAY, 10) and offered[0].practitioner_id == clinic.acu
    assert dlg.start() == local(MONDAY, 10)
    assert dlg.practitioner.currentData() == clinic.acu
    assert dlg.ok_button.isEnabled()
    actions.key(dlg.picker.search_edit, Qt.Key.Key_Return, "Enter books")
    wait_for_answers()
    rows = appointments(db)
    assert [(r.patient_id, r.start_at) for r in rows] == [
        (clinic.bob, local(MONDAY, 9)),
        (clinic.zoe, local(MONDAY, 10)),
    ]
    print(f"\nfirst-available booking actions = {actions.count}: {actions.log}")
    assert actions.count <= MAX_ACTIONS_CONSULTATION


def _in_chooser(handle) -> None:  # type: ignore[no-untyped-def]
    """Run ``handle(chooser)`` once the first-available chooser is up, then close it."""

    def run() -> None:
        chooser = QApplication.activeModalWidget()
        try:
            assert isinstance(chooser, FirstAvailableDialog)
            handle(chooser)
        finally:
            if chooser is not None and chooser.isVisible():
                chooser.reject()

    QTimer.singleShot(0, run)


def test_first_available_searches_from_now_not_from_the_clicked_slot(qtbot, db, clinic) -> None:
    """A slot on Wednesday afternoon was clicked to open the form; "now" is Sunday noon, so
    the first free consultation is Monday 09:00, not Wednesday 15:00."""
    wednesday = MONDAY + timedelta(days=2)
    dlg = open_dialog(
        qtbot, clinic, Actions(qtbot), practitioner_id=clinic.acu, start=local(wednesday, 15)
    )
    seen: dict[str, object] = {}

    def look(chooser: FirstAvailableDialog) -> None:
        seen["from"] = chooser.start_choice.currentText()
        seen["label"] = chooser.from_label.text()
        qtbot.waitUntil(lambda: not chooser.searching)  # the slots are found on a worker
        seen["first"] = chooser.slots[0].start
        chooser.list.setCurrentRow(0)
        chooser.accept()

    _in_chooser(look)
    dlg.first_button.click()
    wait_for_answers()
    assert seen["from"] == "Now (Sun 1 Mar, 12:00)"
    assert seen["label"] == "Free times from Sun 1 Mar 2026, 12:00:"
    assert seen["first"] == local(MONDAY, 9)
    assert dlg.start() == local(MONDAY, 9)


def test_first_available_from_the_chosen_slot_when_asked(qtbot, db, clinic) -> None:
    wednesday = MONDAY + timedelta(days=2)
    book(clinic, clinic.bob, local(wednesday, 15), clinic.room1)
    dlg = open_dialog(
        qtbot, clinic, Actions(qtbot), practitioner_id=clinic.acu, start=local(wednesday, 15)
    )
    offered: list = []

    def from_the_slot(chooser: FirstAvailableDialog) -> None:
        assert chooser.start_choice.count() == 2
        chooser.start_choice.setCurrentIndex(1)
        assert chooser.start_choice.currentText() == "The chosen time (Wed 4 Mar, 15:00)"
        qtbot.waitUntil(lambda: not chooser.searching)
        offered.extend(chooser.slots)
        chooser.list.setCurrentRow(0)
        chooser.accept()

    _in_chooser(from_the_slot)
    dlg.first_button.click()
    wait_for_answers()
    assert offered and all(s.start >= local(wednesday, 15) for s in offered)
    assert offered[0].start == local(wednesday, 16)  # 15:00 is Bob's
    assert dlg.start() == local(wednesday, 16)


def test_a_time_taken_meanwhile_is_refused_on_book(qtbot, db, clinic) -> None:
    actions = Actions(qtbot)
    dlg = open_dialog(qtbot, clinic, actions, practitioner_id=clinic.acu, start=local(MONDAY, 15))
    pick_patient(qtbot, dlg, actions, "smith")
    assert dlg.ok_button.isEnabled()
    # Another workstation books the practitioner at the same time before Enter is pressed.
    book(clinic, clinic.bob, local(MONDAY, 15), clinic.room2)
    actions.key(dlg.picker.search_edit, Qt.Key.Key_Return)
    wait_for_answers()
    assert dlg.result() == 0
    assert "Bob" in dlg.errors["start"].text()
    assert [r.patient_id for r in appointments(db)] == [clinic.bob]


def test_prefilled_patient_and_default_start(qtbot, db, clinic) -> None:
    dlg = BookingDialog(None, clinic.ctx, practitioner_id=None, start=None, patient_id=clinic.zoe)
    wait_for_answers()
    qtbot.addWidget(dlg)
    assert dlg.picker.patient_id() == clinic.zoe
    assert dlg.picker.search_edit.text() == "Tremblay, Zoë"
    assert dlg.start() == local(MONDAY - timedelta(days=1), 12, 15)  # next quarter hour after now


def test_new_patient_from_the_picker_is_chosen(qtbot, db, clinic, monkeypatch) -> None:
    created = []

    def fake_ask(parent, ctx, patient_id=None):
        record = create_patient(
            ctx.db, PatientInput("Marie", "Côté", date(1990, 1, 2)), today=date(2026, 3, 1)
        )
        created.append(record)
        return record

    monkeypatch.setattr(PatientDialog, "ask", classmethod(lambda cls, *a, **k: fake_ask(*a, **k)))
    actions = Actions(qtbot)
    dlg = open_dialog(qtbot, clinic, actions, practitioner_id=clinic.acu, start=local(MONDAY, 11))
    actions.type(dlg.picker.search_edit, "cote")
    qtbot.waitUntil(lambda: "No patient matches" in dlg.picker.hint.text())
    actions.click(dlg.picker.new_button, "New patient…")
    wait_for_answers()
    assert dlg.picker.patient_id() == created[0].id
    assert dlg.ok_button.isEnabled()
    actions.key(dlg.picker.search_edit, Qt.Key.Key_Return, "Enter books")
    wait_for_answers()
    assert [r.patient_id for r in appointments(db)] == [created[0].id]


def test_a_past_visit_needs_the_back_entered_box(qtbot, db, clinic) -> None:
    last_friday = MONDAY - timedelta(days=3)
    actions = Actions(qtbot)
    dlg = open_dialog(
        qtbot, clinic, actions, practitioner_id=clinic.acu, start=local(last_friday, 10)
    )
    pick_patient(qtbot, dlg, actions, "ann")
    assert "in the past" in dlg.errors["start"].text()
    assert dlg.back_entered.isVisible() and not dlg.ok_button.isEnabled()
    actions.click(dlg.back_entered, "tick: record it anyway")
    wait_for_answers()
    assert dlg.ok_button.isEnabled()
    actions.key(dlg.picker.search_edit, Qt.Key.Key_Return)
    wait_for_answers()
    [row] = appointments(db)
    assert row.back_entered and row.start_at == local(last_friday, 10)


def test_a_busy_room_is_skipped_and_refused_when_chosen(qtbot, db, clinic) -> None:
    book(clinic, clinic.bob, local(MONDAY, 10), clinic.room1, clinic.physio)  # Room 1 is busy
    actions = Actions(qtbot)
    dlg = open_dialog(qtbot, clinic, actions, practitioner_id=clinic.acu, start=local(MONDAY, 10))
    pick_patient(qtbot, dlg, actions, "ann")
    assert dlg.room.currentData() == clinic.room2, "the first free room, not the busy one"
    assert dlg.ok_button.isEnabled()

    dlg.room.setCurrentIndex(dlg.room.findData(clinic.room1))
    dlg.room.activated.emit(dlg.room.currentIndex())  # as a user's pick in the list does
    wait_for_answers()
    assert "Room 1 is already in use" in dlg.errors["start"].text()
    assert not dlg.ok_button.isEnabled()
    assert len(appointments(db)) == 1


def test_patient_results_model_is_consistent(qtbot, db, clinic) -> None:
    picker = PatientPicker(clinic.ctx)
    qtbot.addWidget(picker)
    QAbstractItemModelTester(picker.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    qtbot.keyClicks(picker.search_edit, "an")
    picker.search_now()
    wait_for_answers()
    assert [picker.model.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(2)] == [
        clinic.anh,
        clinic.ann,
    ]
    assert "born 17 May 1980" in picker.model.index(1, 0).data()
