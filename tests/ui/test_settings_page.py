"""Setting a fresh clinic up through the real Settings page, until it can be booked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from PySide6.QtCore import QSettings, Qt, QTime, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from frontdesk.clinic import get_clinic
from frontdesk.domain import Discipline
from frontdesk.patients import PatientInput, create_patient
from frontdesk.scheduling import BookingRequest, book_appointment, list_appointment_types
from frontdesk.setup import (
    DayHours,
    PractitionerInput,
    add_practitioner,
    add_room,
    get_clinic_details,
    list_all_rooms,
    list_practitioner_setups,
)
from frontdesk.ui.main_window import MainWindow
from tests.ui.answers import wait_for_answers

TZ = ZoneInfo("America/Edmonton")
NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)  # Monday 10:00 in Edmonton


def in_modal(qtbot, action: Callable[..., None]) -> list[BaseException]:
    """Run ``action(dialog)`` on the modal dialog the next click opens; errors are kept and
    the dialog is closed (once a save it started answered) so a failing test cannot hang in
    ``exec()``."""
    problems: list[BaseException] = []

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, run)
            return
        try:
            action(dialog)
            qtbot.waitUntil(lambda: not getattr(dialog, "saving", False))
        except BaseException as exc:
            problems.append(exc)
        if dialog.isVisible():
            dialog.confirm_discard = lambda: True
            dialog.reject()

    QTimer.singleShot(0, run)
    return problems


def save_button(dialog):  # type: ignore[no-untyped-def]
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Save)


def test_a_fresh_clinic_is_set_up_on_the_page_and_can_then_be_booked(
    qtbot, settings_page, settings_ctx
):
    assert list_practitioner_setups(settings_ctx.db) == []

    def new_practitioner(dialog) -> None:  # type: ignore[no-untyped-def]
        qtbot.keyClicks(dialog.display_name, "Mei Chen")
        qtbot.keyClicks(dialog.credentials, "R.Ac")
        dialog.discipline.setCurrentIndex(dialog.discipline.findData("acupuncture"))
        saturday = dialog.grid.rows[5]
        saturday.on.click()
        saturday.starts.setTime(QTime(9, 0))
        saturday.ends.setTime(QTime(13, 0))
        assert not saturday.has_break.isChecked()  # no lunch on a short Saturday
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)

    settings_page.show_section(settings_page.practitioners)
    problems = in_modal(qtbot, new_practitioner)
    qtbot.mouseClick(settings_page.practitioners.add_button, Qt.MouseButton.LeftButton)
    wait_for_answers()  # the list is read again on a worker
    assert problems == []
    [mei] = list_practitioner_setups(settings_ctx.db)
    assert (mei.display_name, mei.credentials, mei.discipline) == (
        "Mei Chen",
        "R.Ac",
        Discipline.ACUPUNCTURE,
    )
    assert sorted(mei.hours) == [0, 1, 2, 3, 4, 5] and mei.hours[5].breaks == ()
    assert settings_page.practitioners.table.item(0, 0).text() == "Mei Chen"
    assert "Mon–Sat" in settings_page.practitioners.table.item(0, 3).text()

    def new_room(dialog) -> None:  # type: ignore[no-untyped-def]
        qtbot.keyClicks(dialog.name, "Cedar Room")
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)

    settings_page.show_section(settings_page.rooms)
    problems = in_modal(qtbot, new_room)
    qtbot.mouseClick(settings_page.rooms.add_button, Qt.MouseButton.LeftButton)
    wait_for_answers()
    assert problems == []
    [room] = list_all_rooms(settings_ctx.db)
    assert room.name == "Cedar Room" and settings_page.rooms.table.item(0, 0).text() == "Cedar Room"

    patient = create_patient(
        settings_ctx.db, PatientInput("Ann", "Lee", date(1980, 1, 2)), today=NOW.date()
    )
    acupuncture = next(
        t for t in list_appointment_types(settings_ctx.db) if t.name == "Acupuncture treatment"
    )
    booked = book_appointment(
        settings_ctx.db,
        BookingRequest(
            patient.id,
            mei.id,
            acupuncture.id,
            datetime(2026, 3, 7, 10, 0, tzinfo=TZ),
            room_id=room.id,
        ),
        now=NOW,
    )
    assert (booked.practitioner_name, booked.room_name) == ("Mei Chen", "Cedar Room")


def test_practitioner_errors_show_at_the_field_and_weekday_and_nothing_is_saved(
    qtbot, settings_page, settings_ctx
):
    dialog = settings_page.practitioners.open_dialog(None)
    qtbot.addWidget(dialog)
    dialog.confirm_discard = lambda: True
    dialog.show()
    dialog.grid.rows[1].break_starts.setTime(QTime(7, 0))
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    wait_for_answers()  # the service checks it on a worker
    assert dialog.isVisible()
    assert "Enter the name" in dialog.error_text("display_name")
    assert dialog.error_text("tuesday").startswith("Tuesday: the break 07:00–13:00 is outside")
    assert dialog.error_text("monday") == ""
    assert dialog.focusWidget() is dialog.display_name
    assert list_practitioner_setups(settings_ctx.db) == []


def test_abandoning_an_edited_practitioner_asks_first(qtbot, settings_page):
    dialog = settings_page.practitioners.open_dialog(None)
    qtbot.addWidget(dialog)
    asked = []
    dialog.confirm_discard = lambda: asked.append(True) or False
    dialog.show()
    dialog.grid.rows[6].on.click()
    dialog.reject()
    assert asked == [True] and dialog.isVisible()


def test_clinic_details_refuse_a_wrong_email_at_the_field_then_save(
    qtbot, settings_page, settings_ctx
):
    tab = settings_page.clinic
    before = get_clinic_details(settings_ctx.db)
    tab.name.clear()
    qtbot.keyClicks(tab.name, "Riverbend Physio")
    qtbot.keyClicks(tab.email, "desk at riverbend")
    assert tab.save_button.isEnabled()
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert not tab.save_button.isEnabled()  # until the service answered
    wait_for_answers()
    assert "not an email address" in tab.errors.text("email")
    assert tab.errors.text("name") == ""
    assert get_clinic_details(settings_ctx.db) == before
    tab.email.clear()
    qtbot.keyClicks(tab.email, "desk@riverbend.ca")
    tab.page_size.setCurrentIndex(tab.page_size.findData("A4"))
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    wait_for_answers()
    saved = get_clinic(settings_ctx.db)
    assert (saved.name, saved.email, saved.page_size.value) == (
        "Riverbend Physio",
        "desk@riverbend.ca",
        "A4",
    )
    assert tab.errors.text("email") == "" and not tab.save_button.isEnabled()


def test_leaving_a_tab_with_unsaved_edits_asks_and_can_keep_them(
    qtbot, settings_page, settings_ctx
):
    qtbot.keyClicks(settings_page.clinic.name, " Annex")
    answers = [False, True]
    settings_page.confirm_discard = lambda where: answers.pop(0)  # type: ignore[method-assign]
    settings_page.show_section(settings_page.rooms)
    assert settings_page.current_section() is settings_page.clinic
    assert settings_page.clinic.name.text().endswith(" Annex")
    settings_page.show_section(settings_page.rooms)
    assert settings_page.current_section() is settings_page.rooms
    wait_for_answers()  # the discarded form is read again
    assert settings_page.clinic.name.text() == get_clinic(settings_ctx.db).name


def test_opening_hours_error_names_the_weekday_under_its_row(qtbot, settings_page, settings_ctx):
    settings_page.show_section(settings_page.hours)
    tab = settings_page.hours
    wait_for_answers()
    assert "America/Edmonton" in tab.zone.text()
    monday = tab.grid.rows[0]
    monday.starts.setTime(QTime(18, 0))
    monday.ends.setTime(QTime(9, 0))
    tab.grid.rows[6].on.click()  # open on Sundays too
    assert tab.save_button.isEnabled()
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    wait_for_answers()
    assert tab.errors.text("monday").startswith("Monday: the clinic must open before it closes")
    assert 6 not in get_clinic(settings_ctx.db).opening_hours
    monday.ends.setTime(QTime(20, 0))
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    wait_for_answers()
    hours = get_clinic(settings_ctx.db).opening_hours
    assert hours[0][0].hour == 18 and 6 in hours


def test_deactivating_someone_still_booked_says_how_many(qtbot, settings_page, settings_ctx):
    who = add_practitioner(
        settings_ctx.db,
        PractitionerInput(
            "Priya Sandhu", Discipline.PHYSIOTHERAPY, hours={1: DayHours(time(9), time(17))}
        ),
    )
    room = add_room(settings_ctx.db, "Room 1")
    patient = create_patient(
        settings_ctx.db, PatientInput("Ann", "Lee", date(1980, 1, 2)), today=NOW.date()
    )
    physio = next(t for t in list_appointment_types(settings_ctx.db) if t.name == "Physiotherapy")
    book_appointment(
        settings_ctx.db,
        BookingRequest(
            patient.id, who.id, physio.id, datetime(2026, 3, 3, 9, 0, tzinfo=TZ), room_id=room.id
        ),
        now=NOW,
    )
    told: list[str] = []
    tab = settings_page.practitioners
    tab.tell = lambda title, message: told.append(message)  # type: ignore[method-assign]
    settings_page.show_section(tab)
    wait_for_answers()
    tab.table.selectRow(0)
    qtbot.mouseClick(tab.deactivate_button, Qt.MouseButton.LeftButton)
    wait_for_answers()
    assert told == [
        "Priya Sandhu still has 1 booked appointment from now on. Move or cancel "
        "it on the Calendar first, then deactivate."
    ]
    assert list_practitioner_setups(settings_ctx.db)[0].active
    assert tab.table.item(0, 4).text() == "Active"


def test_ticking_an_optional_holiday_closes_the_clinic_that_day(qtbot, settings_page, settings_ctx):
    settings_page.show_section(settings_page.closures)
    tab = settings_page.closures
    wait_for_answers()
    items = [tab.optional.item(i) for i in range(tab.optional.count())]
    heritage = next(i for i in items if i.text() == "Heritage Day")
    heritage.setCheckState(Qt.CheckState.Checked)
    assert not tab.optional.isEnabled()  # held still until the choice is saved
    wait_for_answers()
    assert tab.optional.isEnabled() and tab.optional.currentItem().text() == "Heritage Day"
    assert get_clinic(settings_ctx.db).closed_optional_holidays == ("heritage_day",)
    rows = {
        tab.holidays.item(r, 1).text(): tab.holidays.item(r, 2).text()
        for r in range(tab.holidays.rowCount())
    }
    assert rows["Heritage Day"] == "Closed (chosen)" and rows["Good Friday"] == "Closed"


def test_observed_days_stay_open_until_the_clinic_ticks_them(qtbot, settings_page, settings_ctx):
    settings_page.show_section(settings_page.closures)
    tab = settings_page.closures
    wait_for_answers()
    assert not tab.observed.isChecked() and not get_clinic(settings_ctx.db).close_on_observed_days

    def observed_rows() -> list[str]:
        return [
            tab.holidays.item(r, 2).text()
            for r in range(tab.holidays.rowCount())
            if tab.holidays.item(r, 1).text().endswith("(observed)")
        ]

    assert observed_rows() and set(observed_rows()) == {"Open (observed day)"}
    tab.observed.setChecked(True)
    wait_for_answers()
    assert get_clinic(settings_ctx.db).close_on_observed_days
    assert observed_rows() == ["Open (observed day)"]  # Boxing Day's Monday: not chosen yet
    items = [tab.optional.item(i) for i in range(tab.optional.count())]
    next(i for i in items if i.text() == "Boxing Day").setCheckState(Qt.CheckState.Checked)
    wait_for_answers()
    assert observed_rows() == ["Closed (chosen)"] and tab.observed.isChecked()


def test_main_window_opens_a_fresh_clinic_on_the_setup_checklist(qtbot, settings_ctx, tmp_path):
    settings = QSettings(str(tmp_path / "fd.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings_ctx, settings=settings)
    qtbot.addWidget(window)
    assert window.current_key() == "settings"
    checklist = window.stack.currentWidget().checklist
    qtbot.waitUntil(lambda: not checklist.isHidden())  # the steps are read on a worker
    assert checklist.title.text().startswith("Set up your clinic: 0 of 4 steps done")
    add_practitioner(settings_ctx.db, PractitionerInput("Mei Chen", Discipline.ACUPUNCTURE))
    # The next start reads the clinic afresh (``clinic_facts=None``: read again).
    again = MainWindow(
        replace(settings_ctx, clinic_facts=None),
        settings=QSettings(str(tmp_path / "b.ini"), QSettings.Format.IniFormat),
    )
    qtbot.addWidget(again)
    assert again.current_key() == "patients"


def test_enter_on_a_practitioner_row_opens_their_editor(qtbot, settings_page, settings_ctx):
    add_practitioner(settings_ctx.db, PractitionerInput("Mei Chen", Discipline.ACUPUNCTURE))
    tab = settings_page.practitioners
    settings_page.show_section(tab)
    wait_for_answers()
    tab.table.setFocus()
    tab.table.selectRow(0)
    seen: list[str] = []

    def look(dialog) -> None:  # type: ignore[no-untyped-def]
        assert not save_button(dialog).isEnabled()  # nothing to save before they are shown
        qtbot.waitUntil(lambda: dialog.loaded)
        seen.append(dialog.display_name.text())
        assert save_button(dialog).isEnabled()

    problems = in_modal(qtbot, look)
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert problems == [] and seen == ["Mei Chen"]


def test_another_province_keeps_only_the_optional_holidays_it_has(
    qtbot, settings_page, settings_ctx
):
    from frontdesk.setup import set_closed_optional_holidays

    set_closed_optional_holidays(settings_ctx.db, ("heritage_day", "easter_monday"))
    settings_page.clinic.reload()
    wait_for_answers()
    settings_page.clinic.province.setCurrentIndex(settings_page.clinic.province.findData("QC"))
    qtbot.mouseClick(settings_page.clinic.save_button, Qt.MouseButton.LeftButton)
    wait_for_answers()
    clinic = get_clinic(settings_ctx.db)
    assert (clinic.province, clinic.closed_optional_holidays) == ("QC", ("easter_monday",))


def test_the_practitioner_dialog_notes_days_the_clinic_is_closed(qtbot, settings_page):
    dialog = settings_page.practitioners.open_dialog(None)
    qtbot.addWidget(dialog)
    dialog.confirm_discard = lambda: True
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded)  # the clinic's hours, read on a worker
    assert dialog.notes.isHidden()
    dialog.grid.rows[6].on.click()
    assert dialog.notes.text() == "The clinic is closed on Sundays, so nothing can be booked then."


def test_renaming_the_clinic_shows_the_new_name_at_once(qtbot, settings_ctx, tmp_path):
    settings = QSettings(str(tmp_path / "fd.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings_ctx, settings=settings)
    qtbot.addWidget(window)
    tab = window.show_page("settings").clinic
    wait_for_answers()  # the form shows what is saved before it is edited
    tab.name.clear()
    qtbot.keyClicks(tab.name, "Riverbend Physio")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    wait_for_answers()  # the window reads the clinic's new name on a worker
    assert window.windowTitle() == "Frontdesk — Riverbend Physio"
    assert window.brand_sub.text() == "Riverbend Physio"
    assert window.database_label.text().startswith("Riverbend Physio · ")


def test_every_settings_tab_is_in_sight_and_whole_at_1024_and_1366_pixels(
    qtbot, themed, settings_ctx, tmp_path
):
    # At 1024 pixels the tab bar scrolled: Backups was out of sight behind two small arrows.
    from frontdesk.ui.settings.page import SettingsPage
    from tests.ui.screen_fit import text_problem

    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings_ctx, settings=settings)
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    bar = page.tabs.tabBar()
    for width, titles in (
        (
            1024,
            ["Clinic", "Hours", "Practitioners", "Rooms", "Closures", "Types", "Fees", "Backups"],
        ),
        (1366, ["Clinic", "Opening hours", "Practitioners", "Rooms", "Closures & holidays"]),
    ):
        window.resize(width, 768)
        qtbot.waitUntil(lambda w=width: window.width() == w)
        QApplication.processEvents()
        shown = [
            bar.tabText(i).replace("&&", "\0").replace("&", "").replace("\0", "&")
            for i in range(bar.count())
        ]
        assert shown[: len(titles)] == titles
        assert text_problem(bar) is None  # no tab scrolled away or cut short
    page.tabs.setCurrentIndex(1)
    page.hours.mark_dirty()
    asked: list[str] = []
    page.confirm_discard = lambda where: asked.append(where) or False  # type: ignore[method-assign]
    page.tabs.setCurrentIndex(2)
    assert asked == ["Opening hours"]  # the question names the tab in full, whatever it shows
