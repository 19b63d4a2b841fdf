"""Settings warn before a closure or new hours leave booked visits outside bookable time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog

from frontdesk.clinic import get_clinic
from frontdesk.domain import Discipline
from frontdesk.patients import PatientInput, create_patient
from frontdesk.scheduling import (
    BookingRequest,
    book_appointment,
    get_appointment,
    list_appointment_types,
    list_closures,
)
from frontdesk.setup import (
    DayHours,
    PractitionerInput,
    add_practitioner,
    add_room,
    get_practitioner_setup,
)
from tests.ui.answers import wait_for_answers
from tests.ui.test_patient_hub import when_modal

TZ = ZoneInfo("America/Edmonton")
NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)  # Monday 10:00 in Edmonton


@pytest.fixture
def booked(settings_ctx):  # type: ignore[no-untyped-def]
    """Mei works weekdays 9–17 and Ann is booked with her on Tuesday 3 March at 10:00."""
    mei = add_practitioner(
        settings_ctx.db,
        PractitionerInput(
            "Mei Chen",
            Discipline.ACUPUNCTURE,
            hours={d: DayHours(time(9), time(17)) for d in range(5)},
        ),
    )
    room = add_room(settings_ctx.db, "Room 1")
    ann = create_patient(
        settings_ctx.db, PatientInput("Ann", "Lee", date(1980, 1, 2)), today=NOW.date()
    )
    kind = next(
        t for t in list_appointment_types(settings_ctx.db) if t.name == "Acupuncture treatment"
    )
    visit = book_appointment(
        settings_ctx.db,
        BookingRequest(
            ann.id, mei.id, kind.id, datetime(2026, 3, 3, 10, tzinfo=TZ), room_id=room.id
        ),
        now=NOW,
    )
    return mei, visit


def closure_dialog(qtbot, settings_page, first: QDate, reason: str):  # type: ignore[no-untyped-def]
    dialog = settings_page.closures.open_dialog(None)
    qtbot.addWidget(dialog)
    dialog.starts_on.setDate(first)
    dialog.ends_on.setDate(first)
    dialog.reason.setText(reason)
    return dialog


def test_a_closure_over_a_booked_day_lists_the_visit_and_defaults_to_going_back(
    qtbot, settings_page, settings_ctx, booked
):
    _mei, _visit = booked
    dialog = closure_dialog(qtbot, settings_page, QDate(2026, 3, 3), "Staff training")
    seen = {}

    def answer(box) -> None:  # type: ignore[no-untyped-def]
        seen.update(
            text=box.text(), visits=box.informativeText(), default=box.defaultButton().text()
        )
        qtbot.keyClick(box, Qt.Key.Key_Return)

    when_modal(answer)  # the question comes once the worker found the visit
    dialog.save()
    wait_for_answers()
    assert seen["text"] == "1 booked appointment falls on these days."
    assert "Tue 3 Mar 2026, 10:00, Ann Lee, Acupuncture treatment with Mei Chen" in seen["visits"]
    assert seen["default"] == "Go back"
    assert dialog.result() != QDialog.DialogCode.Accepted and not dialog.saving
    assert list_closures(settings_ctx.db, date(2026, 3, 1), date(2026, 3, 31)) == []


def test_confirming_the_closure_saves_it_and_keeps_the_visit_booked(
    qtbot, settings_page, settings_ctx, booked
):
    _mei, visit = booked
    dialog = closure_dialog(qtbot, settings_page, QDate(2026, 3, 3), "Staff training")
    asked = []
    dialog.confirm_stranded = lambda stranded: asked.append([a.id for a in stranded]) or True
    dialog.save()
    wait_for_answers()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert asked == [[visit.id]]
    assert [
        c.reason for c in list_closures(settings_ctx.db, date(2026, 3, 1), date(2026, 3, 31))
    ] == ["Staff training"]
    assert get_appointment(settings_ctx.db, visit.id).status.value == "booked"


def test_a_closure_on_a_free_day_does_not_ask(qtbot, settings_page, settings_ctx, booked):
    dialog = closure_dialog(qtbot, settings_page, QDate(2026, 3, 4), "Staff training")
    dialog.confirm_stranded = lambda stranded: pytest.fail("nothing is booked that day")
    dialog.save()
    wait_for_answers()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_closing_on_tuesdays_asks_before_saving_the_opening_hours(
    qtbot, settings_page, settings_ctx, booked
):
    _mei, visit = booked
    tab = settings_page.hours
    settings_page.show_section(tab)
    wait_for_answers()
    tab.grid.rows[1].on.click()  # closed on Tuesdays
    answers = [False, True]
    asked = []
    tab.confirm_stranded = lambda stranded: asked.append([a.id for a in stranded]) or answers.pop(0)
    tab.save()  # the check runs on a worker, then asks
    wait_for_answers()
    assert 1 in get_clinic(settings_ctx.db).opening_hours and tab.dirty
    tab.save()
    wait_for_answers()
    assert not tab.dirty
    assert asked == [[visit.id], [visit.id]]
    assert 1 not in get_clinic(settings_ctx.db).opening_hours


def test_changing_a_practitioners_week_asks_before_stranding_their_visit(
    qtbot, settings_page, settings_ctx, booked
):
    mei, visit = booked
    dialog = settings_page.practitioners.open_dialog(mei.id)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.loaded)  # her week, read on a worker
    dialog.grid.rows[1].on.click()  # Mei stops working Tuesdays
    asked = []
    dialog.confirm_stranded = lambda stranded: asked.append([a.id for a in stranded]) or False
    dialog.save()
    wait_for_answers()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert 1 in get_practitioner_setup(settings_ctx.db, mei.id).hours
    dialog.confirm_stranded = lambda stranded: True
    dialog.save()
    wait_for_answers()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert asked == [[visit.id]]
    assert 1 not in get_practitioner_setup(settings_ctx.db, mei.id).hours
    assert get_appointment(settings_ctx.db, visit.id).status.value == "booked"
