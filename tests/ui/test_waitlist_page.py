"""The wait list as reception uses it: add a waiting patient, then fill a freed time with them.

The clinic is the scheduling tests' small clinic on Monday 2026-03-02, clock at 07:30.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest
from sqlalchemy import select

from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment
from frontdesk.scheduling import BookingRequest, book_appointment, cancel
from frontdesk.scheduling.waitlist import list_waitlist
from frontdesk.ui.waitlist import WaitlistPage
from frontdesk.ui.waitlist.fill_dialog import FillGapDialog
from tests.unit.test_scheduling_support import MONDAY, TZ, Clinic, local

CLOCK = local(MONDAY, 7, 30)
pytestmark = pytest.mark.usefixtures("clinic")


@pytest.fixture
def page(qtbot, db: Database) -> WaitlistPage:  # type: ignore[no-untyped-def]
    widget = WaitlistPage(AppContext(db=db, clock=lambda: CLOCK), QUndoStack())
    qtbot.addWidget(widget)
    widget.resize(1000, 500)
    widget.show()
    widget.activated()
    qtbot.waitUntil(lambda: widget.loaded)
    return widget


def add_ann(qtbot, page: WaitlistPage, clinic: Clinic) -> None:  # type: ignore[no-untyped-def]
    page.add_entry(patient_id=clinic.ann)  # as from the patient's record
    dialog = page.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.picker.patient_id() == clinic.ann)
    dialog.type_box.setCurrentIndex(dialog.type_box.findData(clinic.acupuncture))

    for box in dialog.day_boxes:  # no day ticked: refused at the days, nothing saved
        box.setChecked(False)
    with qtbot.waitSignal(dialog.finished_saving):
        dialog.accept()
    assert "Tick at least one day" in dialog.error_text("weekdays")
    assert list_waitlist(page.ctx.db, now=CLOCK) == []

    dialog.day_boxes[0].setChecked(True)  # Mondays
    with qtbot.waitSignal(dialog.finished_saving):
        dialog.accept()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)


def test_reception_adds_a_waiting_patient_and_books_them_into_a_cancelled_time(
    qtbot, page: WaitlistPage, db: Database, clinic: Clinic
) -> None:  # type: ignore[no-untyped-def]
    add_ann(qtbot, page, clinic)
    entry = list_waitlist(db, now=CLOCK)[0]
    assert (entry.patient_id, entry.weekdays, entry.practitioner_name) == (
        clinic.ann,
        (0,),
        "Any practitioner",
    )
    taken = book_appointment(
        db,
        BookingRequest(
            clinic.cara, clinic.acu, clinic.acupuncture, local(MONDAY, 10), room_id=clinic.room1
        ),
        now=CLOCK,
    )
    cancel(db, taken.id, "Unwell", now=CLOCK)

    dialog = FillGapDialog(
        page.ctx, clinic.acu, "Dr Mei Lin", local(MONDAY, 10), TZ, end=local(MONDAY, 11)
    )
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded):
        dialog.show()
    assert dialog.model.rowCount() == 1
    assert "Ann Smith" in dialog.model.index(0, 0).data()
    with qtbot.waitSignal(dialog.booked):
        QTest.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)  # one click books

    with db.read() as s:
        booked = s.scalars(
            select(Appointment).where(
                Appointment.patient_id == clinic.ann, Appointment.status == "booked"
            )
        ).one()
        assert (booked.practitioner_id, booked.start_at) == (clinic.acu, local(MONDAY, 10))
    assert list_waitlist(db, now=CLOCK) == []
    page.activated()
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)


def test_taking_a_patient_off_keeps_them_under_show_closed(
    qtbot, page: WaitlistPage, db: Database, clinic: Clinic
) -> None:  # type: ignore[no-untyped-def]
    add_ann(qtbot, page, clinic)
    page.view.selectRow(0)
    assert page.remove_button.isEnabled()
    page.take_off(page.selected(), "Found a time with another clinic")  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    page.show_closed.setChecked(True)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.model.index(0, 4).data() == "Taken off: Found a time with another clinic"
