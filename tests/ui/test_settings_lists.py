"""Settings tabs that list records: rooms, closures, appointment types, and the clinic logo."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from PIL import Image
from PySide6.QtCore import QDate, Qt

from frontdesk.billing.setup import get_practitioner_registration
from frontdesk.clinic import get_clinic
from frontdesk.domain import Discipline
from frontdesk.patients import PatientInput, create_patient
from frontdesk.scheduling import (
    BookingRequest,
    book_appointment,
    list_appointment_types,
    list_closures,
)
from frontdesk.setup import (
    DayHours,
    PractitionerInput,
    add_practitioner,
    add_room,
    list_all_rooms,
    list_practitioner_setups,
)
from frontdesk.ui.settings.practitioner_dialog import PractitionerDialog
from tests.ui.answers import wait_for_answers
from tests.ui.test_settings_page import in_modal, save_button

TZ = ZoneInfo("America/Edmonton")
NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)  # Monday 10:00 in Edmonton


def test_a_room_is_renamed_and_one_still_booked_is_not_deactivated(
    qtbot, settings_page, settings_ctx
):
    room = add_room(settings_ctx.db, "Room 1")
    who = add_practitioner(
        settings_ctx.db,
        PractitionerInput(
            "Priya Sandhu", Discipline.PHYSIOTHERAPY, hours={1: DayHours(time(9), time(17))}
        ),
    )
    patient = create_patient(
        settings_ctx.db, PatientInput("Ann", "Lee", date(1980, 1, 2)), today=NOW.date()
    )
    physio = next(t for t in list_appointment_types(settings_ctx.db) if t.name == "Physiotherapy")
    for hour in (9, 11):
        book_appointment(
            settings_ctx.db,
            BookingRequest(
                patient.id,
                who.id,
                physio.id,
                datetime(2026, 3, 3, hour, tzinfo=TZ),
                room_id=room.id,
            ),
            now=NOW,
        )
    tab = settings_page.rooms
    settings_page.show_section(tab)
    wait_for_answers()  # the rooms are read on a worker
    tab.table.selectRow(0)

    def rename(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.name.clear()
        qtbot.keyClicks(dialog.name, "Cedar Room")
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)

    problems = in_modal(qtbot, rename)
    qtbot.mouseClick(tab.rename_button, Qt.MouseButton.LeftButton)
    wait_for_answers()
    assert problems == []
    assert [r.name for r in list_all_rooms(settings_ctx.db)] == ["Cedar Room"]
    assert tab.table.item(0, 0).text() == "Cedar Room"
    told: list[str] = []
    tab.tell = lambda title, message: told.append(message)  # type: ignore[method-assign]
    qtbot.mouseClick(tab.deactivate_button, Qt.MouseButton.LeftButton)
    wait_for_answers()
    assert told and told[0].startswith("Cedar Room still has 2 booked appointments")
    assert list_all_rooms(settings_ctx.db)[0].active


def test_a_duplicate_room_name_is_shown_at_the_field(qtbot, settings_page, settings_ctx):
    add_room(settings_ctx.db, "Room 1")
    dialog = settings_page.rooms.open_dialog(None)
    qtbot.addWidget(dialog)
    dialog.confirm_discard = lambda: True
    dialog.show()
    qtbot.keyClicks(dialog.name, "room 1")
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert dialog.saving and not save_button(dialog).isEnabled()  # until the service answers
    wait_for_answers()
    assert dialog.isVisible() and save_button(dialog).isEnabled()
    assert dialog.error_text("name") == "There is already a room called room 1."
    assert len(list_all_rooms(settings_ctx.db)) == 1


def test_a_closure_is_added_then_removed(qtbot, settings_page, settings_ctx):
    tab = settings_page.closures
    settings_page.show_section(tab)

    def close_for_training(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.starts_on.setDate(QDate(2026, 4, 8))  # the last day follows
        assert dialog.ends_on.date() == QDate(2026, 4, 8)
        qtbot.keyClicks(dialog.reason, "Staff training")
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)

    problems = in_modal(qtbot, close_for_training)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    wait_for_answers()
    assert problems == []
    [closure] = list_closures(settings_ctx.db, date(2026, 4, 1), date(2026, 4, 30))
    assert (closure.starts_on, closure.ends_on, closure.reason) == (
        date(2026, 4, 8),
        date(2026, 4, 8),
        "Staff training",
    )
    assert tab.table.item(0, 2).text() == "Staff training"
    tab.table.selectRow(0)
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    wait_for_answers()
    assert list_closures(settings_ctx.db, date(2026, 4, 1), date(2026, 4, 30)) == []
    assert tab.table.rowCount() == 0


def test_an_appointment_type_is_edited_and_a_bad_length_is_shown_at_the_field(
    qtbot, settings_page, settings_ctx
):
    tab = settings_page.types
    settings_page.show_section(tab)
    wait_for_answers()
    row = next(
        r
        for r in range(tab.table.rowCount())
        if tab.table.item(r, 0).text() == "Trigger point therapy"
    )
    tab.table.selectRow(row)
    dialog = tab.open_dialog(tab.selected_id())
    qtbot.addWidget(dialog)
    dialog.confirm_discard = lambda: True
    dialog.show()
    dialog.duration.setValue(32)
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    wait_for_answers()
    assert "steps of 5 minutes" in dialog.error_text("duration_minutes")
    dialog.duration.setValue(40)
    dialog.needs_room.click()
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    wait_for_answers()
    assert not dialog.isVisible()  # saved and closed
    kind = next(
        t for t in list_appointment_types(settings_ctx.db) if t.name == "Trigger point therapy"
    )
    assert (kind.duration_minutes, kind.needs_room) == (40, False)


def test_a_logo_file_is_checked_when_chosen(qtbot, settings_page, settings_ctx, tmp_path):
    tab = settings_page.clinic
    bad = tmp_path / "logo.png"
    bad.write_bytes(b"not a picture at all")
    tab.load_logo(bad)
    assert "not a picture" in tab.errors.text("logo")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert get_clinic(settings_ctx.db).logo_png is None
    good = tmp_path / "logo2.png"
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), "#2b7a78").save(buffer, "PNG")
    good.write_bytes(buffer.getvalue())
    tab.load_logo(good)
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    wait_for_answers()
    assert get_clinic(settings_ctx.db).logo_png == buffer.getvalue()
    assert tab.errors.text("logo") == "" and tab.remove_logo.isEnabled()


BUSY = "The clinic database is busy with another workstation. Try again."


def test_a_list_the_database_cannot_give_says_why_in_its_place(qtbot, settings_page, monkeypatch):
    from frontdesk.domain import DatabaseUnavailable
    from frontdesk.ui.settings import rooms_tab

    def busy(_db):  # type: ignore[no-untyped-def]
        raise DatabaseUnavailable(BUSY)

    monkeypatch.setattr(rooms_tab, "list_all_rooms", busy)
    tab = settings_page.rooms
    settings_page.show_section(tab)
    wait_for_answers()
    assert tab.table_area.currentWidget() is tab.empty
    assert tab.empty.text() == f"The rooms could not be read: {BUSY}"


def test_a_busy_database_keeps_the_clinic_form_and_says_why(
    qtbot, settings_page, settings_ctx, monkeypatch
):
    from frontdesk.domain import DatabaseUnavailable
    from frontdesk.ui.settings import clinic_tab

    def busy(_db, _details):  # type: ignore[no-untyped-def]
        raise DatabaseUnavailable(BUSY)

    monkeypatch.setattr(clinic_tab, "update_clinic_details", busy)
    tab = settings_page.clinic
    qtbot.keyClicks(tab.name, " Annex")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    wait_for_answers()
    assert tab.form_error.isVisible() and tab.form_error.text() == BUSY
    assert tab.name.text().endswith(" Annex") and tab.dirty and tab.save_button.isEnabled()
    assert not get_clinic(settings_ctx.db).name.endswith(" Annex")


def test_saving_again_after_a_refused_registration_adds_one_practitioner(qtbot, settings_ctx):
    """The practitioner and their receipt line are saved as one: a number refused at its
    field leaves nobody half added, and pressing Save again does not add them twice."""
    dialog = PractitionerDialog(settings_ctx, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded)
    qtbot.keyClicks(dialog.display_name, "Mei Chen")
    qtbot.keyClicks(dialog.profession, "Registered Acupuncturist")
    dialog.registration.setText("CAAA\x00-0412")  # pasted with an invisible character
    for _attempt in range(2):
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "invisible character" in dialog.error_text("registration_number"))
        qtbot.waitUntil(lambda: not dialog.saving)
        assert dialog.isVisible() and dialog.saved is None
        assert list_practitioner_setups(settings_ctx.db) == []
        dialog.clear_errors()
    dialog.registration.setText("CAAA-0412")
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.saved is not None)
    [mei] = list_practitioner_setups(settings_ctx.db)
    assert mei.display_name == "Mei Chen"
    assert get_practitioner_registration(settings_ctx.db, mei.id).registration_number == "CAAA-0412"
