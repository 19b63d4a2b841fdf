"""My day, the patient chart and the session-note editor, as a practitioner uses them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QWidget

from frontdesk.db.engine import Database
from frontdesk.notes import list_notes, note_for_appointment
from frontdesk.ui.practice.chart import PatientChartWindow
from frontdesk.ui.practice.day_model import COURSE, NOTE, PATIENT, STATUS, TIME, TYPE
from frontdesk.ui.practice.my_day import PRACTITIONER_KEY, MyDayPage
from frontdesk.ui.practice.note_editor import SessionNoteEditor
from frontdesk.ui.practice.windows import WindowRegistry
from tests.ui.answers import wait_for_answers
from tests.ui.test_practice_data import Week, build_week, open_note, read_chart

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")


@pytest.fixture
def week(db: Database) -> Week:
    return build_week(db)


@pytest.fixture
def my_day(qtbot, week: Week) -> MyDayPage:
    page = MyDayPage(week.ctx, QUndoStack())
    qtbot.addWidget(page)
    page.set_practitioner(week.clinic.acu)
    page.show()
    wait_for_answers()  # the practitioners and the day are read on a worker
    return page


def _cells(page: MyDayPage, row: int) -> list[str]:
    model = page.model
    return [model.index(row, col).data() for col in (TIME, PATIENT, STATUS, TYPE, COURSE, NOTE)]


def _registered(qtbot, page: QWidget, kind: type) -> list:
    windows = [w for w in WindowRegistry.of(page).windows() if isinstance(w, kind)]
    for window in windows:
        qtbot.addWidget(window)
    return windows


def test_my_day_lists_todays_patients_in_order_with_course_progress(my_day: MyDayPage) -> None:
    assert my_day.day().isoformat() == "2026-03-09"  # the clinic's today, from the app clock
    assert _cells(my_day, 0) == [
        "09:00\u201309:45",
        "Ann Smith",
        "Completed",
        "Acupuncture treatment",
        "session 2 of 6",
        "\u2713 written",
    ]
    assert _cells(my_day, 1) == [
        "14:00\u201314:45",
        "Bob Jones",
        "Booked",
        "Acupuncture treatment",
        "",
        "",
    ]
    assert "2 patients" in my_day.subtitle.text()
    assert my_day.selected_appointment().patient_name == "Bob Jones"  # the next one still to come


def test_my_day_moves_between_days_and_says_when_nobody_is_booked(my_day: MyDayPage) -> None:
    my_day.shift_day(7)
    wait_for_answers()
    assert _cells(my_day, 0)[PATIENT] == "Ann Smith"
    assert _cells(my_day, 0)[COURSE] == "session 3 of 6"
    my_day.shift_day(1)
    wait_for_answers()
    assert my_day.model.rowCount() == 0
    assert "No appointments for Dr Mei Lin" in my_day.empty.text()
    my_day.go_today()
    wait_for_answers()
    assert my_day.model.rowCount() == 2


def test_my_day_remembers_the_chosen_practitioner(qtbot, my_day: MyDayPage, week: Week) -> None:
    my_day.set_practitioner(week.clinic.physio)
    wait_for_answers()
    assert int(QSettings().value(PRACTITIONER_KEY)) == week.clinic.physio
    again = MyDayPage(week.ctx, QUndoStack())
    qtbot.addWidget(again)
    wait_for_answers()
    assert again.practitioner_id() == week.clinic.physio
    assert again.model.rowCount() == 0


def test_enter_opens_the_chart_once(qtbot, my_day: MyDayPage, week: Week) -> None:
    my_day.table.selectRow(0)
    my_day.table.setFocus()
    qtbot.keyClick(my_day.table, Qt.Key.Key_Return)
    charts = _registered(qtbot, my_day, PatientChartWindow)
    assert len(charts) == 1
    chart = charts[0]
    assert chart.patient_id == week.clinic.ann
    assert chart.name_label.text() == "Reading the chart\u2026"  # open at once, read on a worker
    assert not chart.note_action.isEnabled()  # nothing to write a note on yet
    read_chart(chart)
    assert chart.name_label.text() == "Ann Smith"
    assert chart.note_action.isEnabled()
    assert chart.selected_appointment().id == week.sessions[1]
    assert my_day.open_chart(0) is chart  # asked again: the same window, not a second copy


def test_chart_shows_visits_notes_and_the_pain_trend(qtbot, my_day: MyDayPage) -> None:
    chart = my_day.open_chart(0)
    qtbot.addWidget(chart)
    read_chart(chart)
    assert chart.upcoming.childCount() == 4 and chart.past.childCount() == 2
    assert chart.past.child(0).text(3) == "session 2 of 6"  # newest past visit first
    assert chart.notes_tree.topLevelItemCount() == 2
    assert chart.notes_tree.topLevelItem(0).text(2) == "Not signed"
    assert chart.notes_tree.topLevelItem(0).text(3) == "6 \u2192 3"
    assert chart.pain_chart.point_counts() == (2, 2)
    assert chart.pain_chart.view.isVisibleTo(chart)


def _open_bobs_note(qtbot, my_day: MyDayPage) -> SessionNoteEditor:
    chart = my_day.open_chart(1)
    qtbot.addWidget(chart)
    return open_note(chart)


def test_note_closed_mid_typing_is_in_the_database(qtbot, my_day: MyDayPage, week: Week) -> None:
    editor = _open_bobs_note(qtbot, my_day)
    editor.technique_boxes["acupuncture"].setChecked(True)
    editor.pain_before.setValue(8)
    qtbot.keyClicks(editor.points, "LI4, ST36")
    qtbot.keyClicks(editor.body, "Tingling in the left hand eased during the sess")
    assert editor._timer.isActive()  # typing has not paused long enough to autosave yet
    editor.close()
    note = note_for_appointment(week.ctx.db, week.bob_visit)
    assert note is not None
    assert note.body == "Tingling in the left hand eased during the sess"
    assert note.points == "LI4, ST36"
    assert note.techniques == ("acupuncture",)
    assert (note.pain_before, note.pain_after) == (8, None)  # "not recorded" is not a zero


def test_note_saves_itself_when_typing_pauses(qtbot, my_day: MyDayPage, week: Week) -> None:
    editor = _open_bobs_note(qtbot, my_day)
    qtbot.keyClicks(editor.response, "Drowsy, then relaxed")
    with qtbot.waitSignal(editor.saved, timeout=3000):
        pass
    assert note_for_appointment(week.ctx.db, week.bob_visit).response == "Drowsy, then relaxed"
    assert editor.status.text() == "Saved 11:00"  # clinic time of the (fixed) app clock


def test_quitting_the_app_saves_an_open_note(qtbot, my_day: MyDayPage, week: Week) -> None:
    editor = _open_bobs_note(qtbot, my_day)
    qtbot.keyClicks(editor.body, "Wants Thursday mornings")
    QApplication.instance().aboutToQuit.emit()
    assert note_for_appointment(week.ctx.db, week.bob_visit).body == "Wants Thursday mornings"


def test_reopening_continues_the_same_note(qtbot, my_day: MyDayPage, week: Week) -> None:
    editor = _open_bobs_note(qtbot, my_day)
    qtbot.keyClicks(editor.body, "First part.")
    editor.close()
    again = _open_bobs_note(qtbot, my_day)
    assert again is not editor  # read again from the database, not the closed window
    assert again.body.toPlainText() == "First part."
    qtbot.keyClick(again.body, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(again.body, " Second part.")
    again.close()
    bobs = list_notes(week.ctx.db, week.clinic.bob)
    assert [n.body for n in bobs] == ["First part. Second part."]


def test_an_empty_note_is_not_stored(qtbot, my_day: MyDayPage, week: Week) -> None:
    editor = _open_bobs_note(qtbot, my_day)
    editor.close()
    assert note_for_appointment(week.ctx.db, week.bob_visit) is None


def test_a_saved_note_updates_the_open_chart(qtbot, my_day: MyDayPage, week: Week) -> None:
    chart = my_day.open_chart(0)
    qtbot.addWidget(chart)
    read_chart(chart).select_appointment(week.sessions[2])
    editor = open_note(chart)
    editor.pain_before.setValue(5)
    editor.pain_after.setValue(2)
    assert editor.save_now()
    wait_for_answers()  # the chart reads itself again on a worker
    assert chart.pain_chart.point_counts() == (3, 3)
    assert chart.notes_tree.topLevelItemCount() == 3


def test_plans_page_lists_a_patients_plans_and_opens_the_editor(qtbot, week: Week) -> None:
    from frontdesk.plans import ConditionChoice, PlanInput, create_plan
    from frontdesk.ui.practice.plan_editor import PlanEditorWindow
    from frontdesk.ui.practice.plans_page import PlansPage

    plan = create_plan(
        week.ctx.db,
        PlanInput(week.clinic.ann, week.clinic.acu, week.course, (ConditionChoice("sciatica"),)),
        now=week.ctx.clock(),
    )
    page = PlansPage(week.ctx, QUndoStack())
    qtbot.addWidget(page)
    assert not page.new_button.isEnabled()  # no patient chosen yet
    page.show_patient(week.clinic.bob)
    wait_for_answers()  # the patient is read on a worker
    assert "Bob Jones has no treatment plan yet" in page.empty.text()
    page.show_patient(week.clinic.ann)
    wait_for_answers()
    assert page.tree.topLevelItem(0).text(0) == "Sciatica"
    assert page.tree.selected_plan() == (plan.plan_id, None)
    editor = page.open_selected()
    qtbot.addWidget(editor)
    assert isinstance(editor, PlanEditorWindow)
    wait_for_answers()  # the plan is read on a worker
    assert editor.revision.plan_id == plan.plan_id
    assert editor.title.text() == "Treatment plan for Ann Smith"


def test_closing_the_main_window_mid_note_keeps_the_note(qtbot, week: Week, tmp_path) -> None:
    from frontdesk.ui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(week.ctx, settings=settings)
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("myday")
    assert isinstance(page, MyDayPage)
    page.set_practitioner(week.clinic.acu)
    wait_for_answers()
    chart = page.open_chart(1)
    editor = open_note(chart)
    assert editor.window() is editor and chart.parent() is window  # own windows, app-owned
    qtbot.keyClicks(editor.body, "Left in the middle of a sent")
    window.close()
    assert note_for_appointment(week.ctx.db, week.bob_visit).body == "Left in the middle of a sent"


def test_day_model_passes_qt_model_checks(qtbot, my_day: MyDayPage) -> None:
    from PySide6.QtTest import QAbstractItemModelTester

    QAbstractItemModelTester(my_day.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    my_day.shift_day(1)
    my_day.go_today()
    wait_for_answers()
    assert my_day.model.rowCount() == 2
