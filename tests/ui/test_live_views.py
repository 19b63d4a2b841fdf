"""Other desks' changes reach the open views within two seconds, without a click.

A second ``Database`` on the same clinic plays the other workstation; the views are watched by
the same ``LiveUpdates`` poller the main window owns. Run on SQLite (``data_version``) and on a
throw-away PostgreSQL server (``LISTEN``/``NOTIFY``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from PySide6.QtGui import QUndoStack

from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.patients import PatientInput, create_patient
from frontdesk.ui.calendar import CalendarPage
from frontdesk.ui.live import LiveUpdates
from frontdesk.ui.widgets.patients_page import PatientsPage
from tests.accounts_support import as_admin
from tests.ui.answers import wait_for_answers
from tests.ui.test_calendar import book
from tests.unit.test_scheduling_support import Clinic

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")
BOTH = pytest.mark.parametrize("db", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def other_desk(db: Database) -> Iterator[Database]:
    other = as_admin(Database(db.url.render_as_string(hide_password=False)))
    yield other
    other.dispose()


@BOTH
def test_the_calendar_shows_a_booking_made_at_another_desk(
    qtbot, db: Database, clinic: Clinic, calendar_page: CalendarPage, other_desk: Database
) -> None:
    mine = book(db, clinic.ann, clinic.acu, clinic.consult, 9, room=clinic.room1)
    calendar_page.reload(select=mine.id)
    calendar_page.view.verticalScrollBar().setValue(120)
    scroll = calendar_page.view.verticalScrollBar().value()
    live = LiveUpdates(db, calendar_page)
    scene = calendar_page.view.calendar_scene
    theirs = book(other_desk, clinic.bob, clinic.physio, clinic.physio_type, 11, room=clinic.room2)
    qtbot.waitUntil(lambda: theirs.id in scene.blocks, timeout=2000)
    assert scene.selected_id == mine.id
    assert scene.blocks[mine.id].selected
    assert calendar_page.view.verticalScrollBar().value() == scroll
    live.stop()


@BOTH
def test_a_patient_added_at_another_desk_appears_in_the_list(
    qtbot, db: Database, other_desk: Database
) -> None:
    from tests.ui.test_patients_page import TODAY, names

    for given, family in (("Zoë", "Tremblay"), ("Liam", "O'Brien"), ("Wei", "Chen")):
        create_patient(db, PatientInput(given, family, date(1990, 1, 1)), today=TODAY)
    page = PatientsPage(
        AppContext(db=db, clock=lambda: datetime(2026, 3, 2, 17, tzinfo=UTC)), QUndoStack()
    )
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    wait_for_answers()
    liam = page.model.patient_at(1)
    assert liam is not None and page.select_patient(liam.id)
    wait_for_answers()
    assert page.details.record is not None and page.details.record.id == liam.id
    live = LiveUpdates(db, page)
    create_patient(other_desk, PatientInput("Ana", "Abbott", date(1980, 5, 6)), today=TODAY)
    qtbot.waitUntil(lambda: "Abbott, Ana" in names(page), timeout=2000)
    assert page.selected_id() == liam.id  # the same patient stays selected and shown
    wait_for_answers()
    assert page.details.record is not None and page.details.record.id == liam.id
    assert page.result_label.text() == "4 patients."
    live.stop()


def test_a_search_overtaken_by_typing_is_dropped(qtbot, db: Database) -> None:
    from tests.ui.test_patients_page import TODAY, names

    for given, family in (("Zoë", "Tremblay"), ("Liam", "O'Brien")):
        create_patient(db, PatientInput(given, family, date(1990, 1, 1)), today=TODAY)
    page = PatientsPage(
        AppContext(db=db, clock=lambda: datetime(2026, 3, 2, 17, tzinfo=UTC)), QUndoStack()
    )
    qtbot.addWidget(page)
    page.show()
    page.search_box.setText("liam")
    page._search_in_background()
    first = page._background.job
    page.search_box.setText("zoe")
    page._search_in_background()  # typed on before the first answer was shown
    assert first is not None and first.cancelled
    qtbot.waitUntil(lambda: page.model.query == "zoe", timeout=2000)
    qtbot.wait(50)  # any answer still queued is delivered now
    assert names(page) == ["Tremblay, Zoë"]


@BOTH
def test_the_booking_dialog_says_the_time_was_just_taken_before_book(
    qtbot, db: Database, clinic: Clinic, other_desk: Database
) -> None:
    from frontdesk.ui.booking.booking_dialog import BookingDialog
    from tests.ui.test_calendar import CLOCK
    from tests.unit.test_scheduling_support import MONDAY, local

    ctx = AppContext(db=db, clock=lambda: CLOCK)
    dialog = BookingDialog(
        None,
        ctx,
        practitioner_id=clinic.acu,
        start=local(MONDAY, 10),
        patient_id=clinic.ann,
        room_id=clinic.room1,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    wait_for_answers()  # the lists, the patient and the first check
    assert dialog.ok_button.isEnabled()
    live = LiveUpdates(db, dialog)
    book(other_desk, clinic.bob, clinic.acu, clinic.consult, 10, room=clinic.room2)
    qtbot.waitUntil(lambda: not dialog.ok_button.isEnabled(), timeout=2000)
    assert "Bob" in dialog.errors["start"].text()  # names the booking that took the time
    live.stop()
