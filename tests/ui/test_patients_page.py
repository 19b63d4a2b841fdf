"""The patients screen: search as you type, new/edit through the dialog, archive and restore."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from frontdesk.context import AppContext
from frontdesk.patients import PatientInput, create_patient, get_patient
from frontdesk.ui.dialogs.patient_dialog import PatientDialog
from frontdesk.ui.models.patient_table import NAME
from frontdesk.ui.undo import UndoHistory
from frontdesk.ui.widgets.patients_page import PatientsPage
from tests.ui.answers import wait_for_answers

TODAY = date(2026, 3, 2)
PEOPLE = [
    ("Zoë", "Tremblay", date(1984, 3, 21), "780-555-0101", "123456789"),
    ("Liam", "O'Brien", date(1990, 5, 4), "780-555-0102", ""),
    ("Thi Mai", "Nguyễn", date(1979, 11, 30), "587-555-0103", "987654321"),
    ("Wei", "Chen", date(2001, 1, 15), "", ""),
]


@pytest.fixture
def ctx(db) -> AppContext:
    for given, family, born, phone, health in PEOPLE:
        create_patient(
            db, PatientInput(given, family, born, phone=phone, health_number=health), today=TODAY
        )
    return AppContext(db=db, clock=lambda: datetime(2026, 3, 2, 17, 0, tzinfo=UTC))


@pytest.fixture
def page(qtbot, ctx) -> PatientsPage:
    widget = PatientsPage(ctx, UndoHistory())
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    wait_for_answers()
    return widget


def names(page: PatientsPage) -> list[str]:
    return [page.model.index(r, NAME).data() for r in range(page.model.rowCount())]


def search(qtbot, page: PatientsPage, text: str) -> None:
    page.search_box.clear()
    qtbot.keyClicks(page.search_box, text)
    qtbot.waitUntil(lambda: page.model.query == text, timeout=2000)


def test_lists_patients_in_name_order(page):
    assert names(page) == ["Chen, Wei", "Nguyễn, Thi Mai", "O'Brien, Liam", "Tremblay, Zoë"]
    assert page.result_label.text() == "4 patients."


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("zoe", ["Tremblay, Zoë"]),
        ("nguyen", ["Nguyễn, Thi Mai"]),
        ("obrien", ["O'Brien, Liam"]),
        ("780-555-0102", ["O'Brien, Liam"]),
        ("1979-11-30", ["Nguyễn, Thi Mai"]),
        ("123456789", ["Tremblay, Zoë"]),
    ],
)
def test_search_as_you_type(qtbot, page, typed, found):
    search(qtbot, page, typed)
    assert names(page) == found
    assert page.result_label.text() == "1 patient found."


def test_no_match_says_so(qtbot, page):
    search(qtbot, page, "xyzzy")
    assert page.model.rowCount() == 0
    assert page.results.currentWidget() is page.empty_label
    assert "No patients match “xyzzy”" in page.empty_label.text()


def test_selecting_a_patient_shows_their_details(settle, qtbot, page, ctx):
    search(qtbot, page, "zoe")
    page.select_patient(page.model.patient_at(0).id)
    settle()
    assert page.details.name.text() == "Zoë Tremblay"
    assert page.details.fields["birth"].text().endswith("age 41")
    assert page.details.fields["health"].text() == "12345-6789"


def test_new_patient_through_the_dialog_is_selected(settle, qtbot, page, monkeypatch):
    def fill_and_save() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PatientDialog)
        dialog.given_name.setText("Ava")
        dialog.family_name.setText("Singh")
        dialog.date_of_birth.setText("2010-06-01")
        dialog.accept()

    search(qtbot, page, "zoe")
    QTimer.singleShot(0, fill_and_save)
    messages = []
    page.status_message.connect(messages.append)
    page.new_button.click()
    settle()
    # The new patient did not match "zoe": the page searched for them to show them.
    assert names(page) == ["Singh, Ava"]
    assert page.selected_id() == page.model.patient_at(0).id
    assert messages == ["Registered Singh, Ava."]


def test_enter_on_a_row_edits_that_patient(settle, qtbot, page, monkeypatch):
    opened = []
    monkeypatch.setattr(
        PatientDialog, "ask", classmethod(lambda cls, parent, ctx, pid=None: opened.append(pid))
    )
    search(qtbot, page, "liam")
    qtbot.keyClick(page.search_box, Qt.Key.Key_Return)  # Enter in the search box: to the list
    settle()
    assert page.selected_id() == page.model.patient_at(0).id
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    settle()
    assert opened == [page.model.patient_at(0).id]
    centre = page.table.visualRect(page.table.currentIndex()).center()
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert opened == [page.model.patient_at(0).id] * 2


def test_edit_saves_and_keeps_the_selection(settle, qtbot, page, ctx):
    search(qtbot, page, "wei")
    patient_id = page.model.patient_at(0).id

    def change_phone() -> None:
        dialog = QApplication.activeModalWidget()
        qtbot.waitUntil(lambda: not dialog.loading)  # the record is read on a worker
        dialog.phone.setText("780 555 0199")
        dialog.accept()

    QTimer.singleShot(0, change_phone)
    page.edit_patient(patient_id)
    settle()
    assert get_patient(ctx.db, patient_id).phone == "+17805550199"
    assert page.selected_id() == patient_id
    assert page.details.fields["phone_display"].text() == "(780) 555-0199"


def test_archive_hides_the_patient_and_undo_restores(settle, qtbot, page, ctx, monkeypatch):
    monkeypatch.setattr(page, "confirm_archive", lambda record: True)
    zoe = page.model.patient_at(3)
    page.select_patient(zoe.id)
    settle()
    page.details.archive_button.click()
    settle()
    assert get_patient(ctx.db, zoe.id).archived
    assert "Tremblay, Zoë" not in names(page)
    assert page.undo_stack.undoText() == "archive Tremblay, Zoë"
    page.show_archived.setChecked(True)
    settle()
    qtbot.waitUntil(lambda: page.model.include_archived)
    assert "Tremblay, Zoë  (archived)" in names(page)
    page.show_archived.setChecked(False)
    settle()
    page.undo_stack.undo()
    settle()
    assert not get_patient(ctx.db, zoe.id).archived
    assert "Tremblay, Zoë" in names(page)
    page.undo_stack.redo()
    settle()
    assert get_patient(ctx.db, zoe.id).archived


def test_archive_needs_confirmation(settle, qtbot, page, ctx, monkeypatch):
    monkeypatch.setattr(page, "confirm_archive", lambda record: False)
    wei = page.model.patient_at(0)
    page.archive_patient(wei.id)
    settle()
    assert not get_patient(ctx.db, wei.id).archived
    assert page.undo_stack.count() == 0


def test_restore_from_the_archived_list(settle, qtbot, page, ctx, monkeypatch):
    monkeypatch.setattr(page, "confirm_archive", lambda record: True)
    liam = page.model.patient_at(2)
    page.archive_patient(liam.id)
    settle()
    page.show_archived.setChecked(True)
    settle()
    qtbot.waitUntil(lambda: page.model.include_archived)
    page.select_patient(liam.id)
    settle()
    assert page.details.restore_button.isVisibleTo(page.details)
    page.details.restore_button.click()
    settle()
    assert not get_patient(ctx.db, liam.id).archived
    assert page.details.archived.isHidden()


def test_details_show_typed_text_literally(settle, qtbot, page, ctx):
    created = create_patient(
        ctx.db,
        PatientInput("Ann", "Lee", date(1970, 1, 1), notes="Needle-shy & <i>nervous</i>"),
        today=TODAY,
    )
    page.show_patient(created.id)
    settle()
    assert page.details.fields["notes"].text() == "Needle-shy & <i>nervous</i>"
    assert page.details.fields["notes"].textFormat() == Qt.TextFormat.PlainText


def test_typing_quickly_runs_one_search_not_one_per_key(qtbot, page):
    searches = []
    page.model.searched.connect(lambda: searches.append(page.model.query))
    qtbot.keyClicks(page.search_box, "tremblay")
    qtbot.waitUntil(lambda: searches == ["tremblay"], timeout=2000)
    assert names(page) == ["Tremblay, Zoë"]


def _book_visits(ctx, patient_id: int, *days: int) -> list[int]:
    from datetime import time
    from zoneinfo import ZoneInfo

    from frontdesk.domain import Discipline
    from frontdesk.scheduling import BookingRequest, book_appointment, list_appointment_types
    from frontdesk.setup import DayHours, PractitionerInput, add_practitioner, add_room

    who = add_practitioner(
        ctx.db,
        PractitionerInput(
            "Mei Chen",
            Discipline.ACUPUNCTURE,
            hours={d: DayHours(time(8), time(17)) for d in range(5)},
        ),
    )
    room = add_room(ctx.db, "Room 1")
    kind = next(t for t in list_appointment_types(ctx.db) if t.name == "Acupuncture treatment")
    tz = ZoneInfo("America/Edmonton")
    return [
        book_appointment(
            ctx.db,
            BookingRequest(
                patient_id, who.id, kind.id, datetime(2026, 3, day, 10, tzinfo=tz), room_id=room.id
            ),
            now=ctx.clock(),
        ).id
        for day in days
    ]


def _statuses(ctx, ids: list[int]) -> list[str]:
    from frontdesk.scheduling import get_appointment

    return [get_appointment(ctx.db, i).status.value for i in ids]


def test_archiving_with_visits_ahead_can_go_back(settle, qtbot, page, ctx, monkeypatch):
    zoe = page.model.patient_at(3)
    visits = _book_visits(ctx, zoe.id, 3, 5)
    offered = []
    monkeypatch.setattr(page, "confirm_archive", lambda record: True)
    monkeypatch.setattr(
        page, "ask_cancel_and_archive", lambda record, refusal: offered.append(refusal) or False
    )
    page.archive_patient(zoe.id)
    settle()
    assert offered[0].count == 2 and [a.id for a in offered[0].appointments] == visits
    assert not get_patient(ctx.db, zoe.id).archived
    assert _statuses(ctx, visits) == ["booked", "booked"]
    assert page.undo_stack.count() == 0


def test_cancel_them_and_archive_then_undo(settle, qtbot, page, ctx, monkeypatch):
    zoe = page.model.patient_at(3)
    visits = _book_visits(ctx, zoe.id, 3, 5)
    monkeypatch.setattr(page, "confirm_archive", lambda record: True)
    monkeypatch.setattr(page, "ask_cancel_and_archive", lambda record, refusal: True)
    monkeypatch.setattr(page, "ask_cancel_reason", lambda record, count: "Moved to Calgary")
    page.archive_patient(zoe.id)
    settle()
    assert get_patient(ctx.db, zoe.id).archived
    assert _statuses(ctx, visits) == ["cancelled", "cancelled"]
    from frontdesk.scheduling import get_appointment

    assert get_appointment(ctx.db, visits[0]).cancellation_reason == "Moved to Calgary"
    assert "Tremblay, Zoë" not in names(page)
    # One step, named for both changes; undo brings the patient and the visits back together.
    assert page.undo_stack.undoText() == "archive Tremblay, Zoë and cancel 2 appointments"
    page.undo_stack.undo()
    settle()
    assert not get_patient(ctx.db, zoe.id).archived
    assert "Tremblay, Zoë" in names(page)
    assert _statuses(ctx, visits) == ["booked", "booked"]
    assert get_appointment(ctx.db, visits[0]).cancellation_reason is None
    page.undo_stack.redo()  # and redo cancels them again with the same reason
    settle()
    assert get_patient(ctx.db, zoe.id).archived
    assert _statuses(ctx, visits) == ["cancelled", "cancelled"]
    assert get_appointment(ctx.db, visits[1]).cancellation_reason == "Moved to Calgary"


def test_visits_changed_meanwhile_cancel_nothing_and_the_offer_is_repeated(
    settle, qtbot, page, ctx, monkeypatch
):
    from frontdesk.scheduling import cancel, get_appointment

    zoe = page.model.patient_at(3)
    visits = _book_visits(ctx, zoe.id, 3, 5)
    offers = []

    def choose(record, refusal):
        offers.append(refusal)
        if len(offers) == 1:  # another desk cancels the second visit while the box is open
            cancel(ctx.db, visits[1], "Phoned in", now=ctx.clock())
            return True
        # Offered again: nothing was cancelled yet and only the visit still booked is listed.
        assert _statuses(ctx, visits) == ["booked", "cancelled"]
        assert not get_patient(ctx.db, zoe.id).archived
        return True

    monkeypatch.setattr(page, "confirm_archive", lambda record: True)
    monkeypatch.setattr(page, "ask_cancel_and_archive", choose)
    monkeypatch.setattr(page, "ask_cancel_reason", lambda record, count: "Moved")
    monkeypatch.setattr(page, "warn_not_archived", lambda message: pytest.fail(message))
    page.archive_patient(zoe.id)
    settle()
    assert [a.id for a in offers[1].appointments] == [visits[0]]
    assert "changed at another workstation while you were deciding" in str(offers[1])
    assert get_patient(ctx.db, zoe.id).archived
    assert [get_appointment(ctx.db, v).cancellation_reason for v in visits] == [
        "Moved",
        "Phoned in",
    ]
    assert page.undo_stack.count() == 1


def test_a_visit_that_cannot_be_cancelled_archives_nothing_and_is_named(
    settle, qtbot, page, ctx, monkeypatch
):
    from frontdesk.scheduling import check_in

    zoe = page.model.patient_at(3)
    visits = _book_visits(ctx, zoe.id, 3, 5)
    warnings = []

    offers = []

    def choose(record, refusal):  # another desk checks in Tuesday's visit meanwhile
        offers.append(refusal)
        if len(offers) == 1:
            check_in(ctx.db, visits[0], now=datetime(2026, 3, 3, 16, 55, tzinfo=UTC))
        return True

    monkeypatch.setattr(page, "confirm_archive", lambda record: True)
    monkeypatch.setattr(page, "ask_cancel_and_archive", choose)
    monkeypatch.setattr(page, "ask_cancel_reason", lambda record, count: "Moved")
    monkeypatch.setattr(page, "warn_not_archived", warnings.append)
    page.archive_patient(zoe.id)
    settle()
    assert offers[1].appointments[0].status.value == "checked_in"
    [message] = warnings
    assert message == (
        "The appointment at 10:00–10:45 on Tue 3 Mar 2026 is checked in; only a "
        "booked appointment can be cancelled. Nothing was cancelled and "
        "Tremblay, Zoë was not archived."
    )
    assert _statuses(ctx, visits) == ["checked_in", "booked"]
    assert not get_patient(ctx.db, zoe.id).archived
    assert page.undo_stack.count() == 0


def test_the_offer_lists_the_visits_and_defaults_to_going_back(settle, qtbot, page, ctx):
    from frontdesk.patients import PatientStillBooked, archive_patient
    from frontdesk.ui.dialogs import stranded

    zoe = page.model.patient_at(3)
    _book_visits(ctx, zoe.id, 3)
    with pytest.raises(PatientStillBooked) as exc:
        archive_patient(ctx.db, zoe.id, now=ctx.clock())
        settle()
    seen = {}

    def answer():
        box = QApplication.activeModalWidget()
        seen["text"] = box.informativeText()
        seen["default"] = box.defaultButton().text()
        qtbot.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)
    record = get_patient(ctx.db, zoe.id)
    assert not page.ask_cancel_and_archive(record, exc.value)
    assert seen["default"] == "Go back"
    assert "Tue 3 Mar 2026, 10:00, Acupuncture treatment with Mei Chen" in seen["text"]
    listed = stranded.visit_lines(exc.value.appointments * 10, record_tz(ctx))
    assert listed.count("•") == stranded.MAX_LISTED and listed.endswith("…and 2 more.")


def record_tz(ctx):
    from frontdesk.clinic import get_clinic

    return get_clinic(ctx.db).tz


def test_redo_is_refused_when_a_visit_was_booked_after_the_undo(
    settle, qtbot, page, ctx, monkeypatch
):
    zoe = page.model.patient_at(3)
    monkeypatch.setattr(page, "confirm_archive", lambda record: True)
    page.archive_patient(zoe.id)
    settle()
    page.undo_stack.undo()
    settle()
    _book_visits(ctx, zoe.id, 3)
    with qtbot.waitSignal(page.status_message) as said:
        page.undo_stack.redo()
        settle()
    assert said.args[0].startswith(
        "Could not redo “archive Tremblay, Zoë”: Tremblay, Zoë still has 1"
    )
    assert not get_patient(ctx.db, zoe.id).archived
    assert "Tremblay, Zoë" in names(page)


def test_the_list_and_the_details_show_the_chart_number_the_command_line_takes(
    settle, qtbot, page, ctx, tmp_path
):
    from frontdesk.patients import find_patient
    from frontdesk.ui.models.patient_table import CHART

    assert page.model.headerData(CHART, Qt.Orientation.Horizontal) == "Chart"
    charts = {
        page.model.index(r, NAME).data(): page.model.index(r, CHART).data()
        for r in range(page.model.rowCount())
    }
    zoe = get_patient(ctx.db, page.model.patient_at(3).id)
    assert charts["Tremblay, Zoë"] == f"{zoe.id:06d}"
    assert len(set(charts.values())) == len(PEOPLE)
    assert not page.table.isColumnHidden(CHART)
    assert page.table.horizontalHeader().sectionSize(CHART) > 0
    page.select_patient(zoe.id)
    settle()
    assert page.details.fields["chart"].text() == f"{zoe.id:06d}"
    assert page.details.fields["chart"].isVisibleTo(page.details)
    # The number on screen is the one ``print-plan --patient`` looks up.
    assert find_patient(ctx.db, charts["Tremblay, Zoë"]).id == zoe.id
    page.grab().save(str(tmp_path / "patients-chart.png"))


def test_emergency_contact_phone_reads_like_the_patients_own(qtbot, page, ctx):
    """Stored as typed ("+15873090875" from an import), shown "(587) 309-0875" on the
    details beside the hub and in the chart; the edit form still gets what was typed."""
    from PySide6.QtWidgets import QFormLayout

    from frontdesk.ui.practice.chart import PatientChartWindow

    typed = "Eric Andrews (daughter) +15873090875"
    created = create_patient(
        ctx.db,
        PatientInput("Ann", "Andrews", date(1970, 1, 1), emergency_contact=typed),
        today=TODAY,
    )
    page.show_patient(created.id)
    shown = "Eric Andrews (daughter) (587) 309-0875"
    qtbot.waitUntil(lambda: page.details.fields["emergency_contact"].text() == shown)
    assert get_patient(ctx.db, created.id).to_input().emergency_contact == typed

    chart = PatientChartWindow(ctx, created.id)
    qtbot.addWidget(chart)
    wait_for_answers()  # the chart reads on a worker
    rows = {
        chart.details.itemAt(r, QFormLayout.ItemRole.LabelRole)
        .widget()
        .text(): chart.details.itemAt(r, QFormLayout.ItemRole.FieldRole).widget().text()
        for r in range(chart.details.rowCount())
    }
    assert rows["Emergency contact"] == shown


def test_names_with_accents_sit_among_the_same_letters(qtbot, page, ctx):
    for given, family in (("Paul", "Cyr"), ("Marc", "Côté"), ("Anne", "Cote")):
        create_patient(ctx.db, PatientInput(given, family, date(1970, 1, 1)), today=TODAY)
    search(qtbot, page, "c")
    assert names(page) == ["Chen, Wei", "Cote, Anne", "Côté, Marc", "Cyr, Paul"]


def test_a_narrow_list_keeps_room_for_the_name(qtbot, ctx, qapp):
    """At 1024 px the chart number, age and health number step aside so names are not cut to
    "Adams, …"; they come back when the window is wide again. Built in the app's own look
    (its fonts decide the columns' widths)."""
    from frontdesk.ui.models.patient_table import AGE, CHART, HEALTH
    from frontdesk.ui.theme import apply_theme
    from frontdesk.ui.widgets.patients_page import NAME_ROOM

    apply_theme(qapp)
    page = PatientsPage(ctx, UndoHistory())
    qtbot.addWidget(page)
    page.show()
    header = page.table.horizontalHeader()

    def shown(*columns: int) -> bool:
        return all(not header.isSectionHidden(c) for c in columns)

    page.resize(1600, 700)
    qtbot.waitUntil(lambda: shown(CHART, AGE, HEALTH))
    page.resize(824, 700)  # a 1024 px screen less the sidebar
    qtbot.waitUntil(lambda: not shown(CHART))
    assert header.sectionSize(NAME) >= NAME_ROOM
    page.resize(1600, 700)
    qtbot.waitUntil(lambda: shown(CHART, AGE, HEALTH))
    assert header.sectionSize(NAME) >= NAME_ROOM
