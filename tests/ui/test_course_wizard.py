"""The course wizard: eight weekly sessions booked in a handful of actions, all or nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTime
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMessageBox, QTimeEdit
from sqlalchemy import select

from frontdesk.context import AppContext
from frontdesk.db.models import TreatmentCourse
from frontdesk.demo import build_demo
from frontdesk.plans import create_plan, get_plan, load_library, save_plan
from frontdesk.plans.sample import sample_input
from frontdesk.ui.booking import CourseWizard
from frontdesk.ui.booking.course_model import COL_DATE, COL_STATUS, COL_SUGGESTION, COL_TIME
from frontdesk.ui.booking.showcase import course_wizard_showcase
from frontdesk.ui.printing import PdfPreviewDialog
from tests.ui.answers import wait_for_answers
from tests.ui.test_booking_support import (
    MONDAY,
    NOW,
    Actions,
    Clinic,
    appointments,
    book,
    build_clinic,
    local,
)

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

MAX_ACTIONS_COURSE = 12
WEEK = timedelta(days=7)


@pytest.fixture
def clinic(db) -> Clinic:
    return build_clinic(db)


def clash_on_third_monday(clinic: Clinic) -> None:
    """Bob already sees Dr Lin at 10:00 on the third Monday: session 3 cannot be at 10:00."""
    book(clinic, clinic.bob, local(MONDAY + 2 * WEEK, 10), clinic.room2)


def open_wizard(qtbot, clinic: Clinic, actions: Actions) -> CourseWizard:
    actions.happened("open the course wizard from the calendar")
    wizard = CourseWizard(
        None, clinic.ctx, practitioner_id=clinic.acu, start_date=local(MONDAY, 10)
    )
    qtbot.addWidget(wizard)
    wizard.show()
    wait_for_answers()  # the lists, the practitioner's start and the first preview
    return wizard


def choose_patient(qtbot, wizard: CourseWizard, actions: Actions, text: str) -> None:
    edit = wizard.focusWidget()
    assert edit is wizard.form.picker.search_edit, "the patient search has the focus first"
    actions.type(edit, text)
    qtbot.waitUntil(lambda: wizard.form.picker.model.rowCount() > 0)
    actions.key(edit, Qt.Key.Key_Return, "Enter picks the patient")
    wait_for_answers()  # the preview for the patient


def course_rows(db):
    with db.read() as s:
        rows = list(s.scalars(select(TreatmentCourse)))
        s.expunge_all()
        return rows


def test_eight_session_course_accepting_one_suggestion(qtbot, db, clinic) -> None:
    clash_on_third_monday(clinic)
    actions = Actions(qtbot)
    wizard = open_wizard(qtbot, clinic, actions)
    assert wizard.form.type.currentText().startswith("Acupuncture treatment")
    assert wizard.form.sessions.value() == 8
    choose_patient(qtbot, wizard, actions, "smi")

    model = wizard.model
    assert model.rowCount() == 8
    third = model.session(2)
    assert not third.free and third.suggestion is not None
    assert "Bob Jones" in model.index(2, COL_STATUS).data()
    assert model.index(2, COL_SUGGESTION).data() == "Mon 16 Mar, 09:15"  # nearest free time
    assert model.index(0, COL_STATUS).data() == "Free"
    assert model.index(1, COL_TIME).data() == "10:00–10:45"  # across the DST change of 8 March
    assert not wizard.book_button.isEnabled()

    actions.click_cell(wizard.table, 2, COL_STATUS)
    actions.click(wizard.accept_button, "Accept suggestion")
    wait_for_answers()
    assert model.conflicts() == 0
    assert wizard.book_button.isEnabled()
    actions.click(wizard.book_button, "Book course")
    wait_for_answers()

    assert wizard.pages.currentWidget() is wizard.done_page
    assert wizard.course is not None
    [course] = course_rows(db)
    ann = [a for a in appointments(db) if a.patient_id == clinic.ann]
    assert len(ann) == 8 and course.planned_sessions == 8
    assert {a.course_id for a in ann} == {course.id}
    expected = [local(MONDAY + i * WEEK, 10) for i in range(8)]
    expected[2] = third.suggestion.start
    assert [a.start_at for a in ann] == sorted(expected)
    assert all(a.room_id is not None for a in ann)

    # No plan yet: the page says so and offers the appointment card instead of a handout.
    assert "no treatment plan yet" in wizard.done_page.plan_note.text()
    assert wizard.done_page.card_button.isVisible()
    assert not wizard.done_page.print_button.isVisible()
    actions.click(wizard.done_page.card_button, "Print appointment card…")
    wait_for_answers()
    assert wizard.follow_up == "card" and wizard.result() == 1
    qtbot.addWidget(wizard.last_preview)
    print(f"\ncourse actions = {actions.count}: {actions.log}")
    assert actions.count <= MAX_ACTIONS_COURSE


def test_a_session_taken_meanwhile_books_nothing(qtbot, db, clinic) -> None:
    actions = Actions(qtbot)
    wizard = open_wizard(qtbot, clinic, actions)
    choose_patient(qtbot, wizard, actions, "ann")
    assert wizard.model.conflicts() == 0 and wizard.book_button.isEnabled()
    # Another workstation takes Dr Lin's 10:00 on the fifth Monday before Book is pressed.
    book(clinic, clinic.bob, local(MONDAY + 4 * WEEK, 10), clinic.room1)
    actions.click(wizard.book_button, "Book course")
    wait_for_answers()

    assert wizard.course is None
    assert wizard.pages.currentWidget() is not wizard.done_page
    message = wizard.form_error.text()
    assert message.startswith("Nothing was booked.") and "Session 5" in message
    assert course_rows(db) == []
    assert [a.patient_id for a in appointments(db)] == [clinic.bob]
    assert not wizard.model.session(4).free  # the refused session is marked
    assert not wizard.book_button.isEnabled()


def test_edit_a_session_time_in_the_table(qtbot, db, clinic) -> None:
    clash_on_third_monday(clinic)
    actions = Actions(qtbot)
    wizard = open_wizard(qtbot, clinic, actions)
    choose_patient(qtbot, wizard, actions, "smith")
    table, model = wizard.table, wizard.model

    def edit_time(row: int, at: QTime) -> None:
        table.setCurrentIndex(model.index(row, COL_TIME))
        actions.key(table, Qt.Key.Key_F2, "F2 edits the time")
        [editor] = [e for e in table.viewport().findChildren(QTimeEdit) if e.isVisible()]
        editor.setTime(at)
        actions.key(editor, Qt.Key.Key_Return, "Enter keeps the new time")
        qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)

    edit_time(2, QTime(12, 15))  # Dr Lin's lunch break
    wait_for_answers()
    assert not model.session(2).free
    assert "lunch" in (model.session(2).problem or "").lower()
    assert not wizard.book_button.isEnabled()

    edit_time(1, QTime(11, 0))  # a free session moved to another free time
    wait_for_answers()
    assert model.session(1).free and wizard.course is None, "Enter in the table must not book"

    edit_time(2, QTime(14, 0))
    wait_for_answers()
    assert wizard.course is None
    third = model.session(2)
    assert third.free and third.origin == "edited"
    assert third.start == local(MONDAY + 2 * WEEK, 14)
    assert "changed by hand" in model.index(2, COL_STATUS).data()
    assert wizard.book_button.isEnabled()
    table.setFocus()
    actions.key(table, Qt.Key.Key_Return, "Enter on a row")
    wait_for_answers()
    assert wizard.course is None, "Enter on a row of the table must not book"
    actions.click(wizard.book_button, "Book course")
    wait_for_answers()
    ann = [a.start_at for a in appointments(db) if a.patient_id == clinic.ann]
    assert local(MONDAY + WEEK, 11) in ann and local(MONDAY + 2 * WEEK, 14) in ann
    assert len(ann) == 8


def test_accept_all_and_twice_weekly(qtbot, db, clinic) -> None:
    clash_on_third_monday(clinic)
    book(clinic, clinic.bob, local(MONDAY + WEEK + timedelta(days=3), 10), clinic.room2)
    actions = Actions(qtbot)
    wizard = open_wizard(qtbot, clinic, actions)
    choose_patient(qtbot, wizard, actions, "smith")
    wizard.form.frequency.setCurrentIndex(1)  # twice a week: Monday, and Thursday offered
    wait_for_answers()
    assert wizard.form.weekdays() == (0, 3)
    model = wizard.model
    assert model.rowCount() == 8 and model.conflicts() == 2
    actions.click(wizard.accept_all_button, "Accept all suggestions")
    wait_for_answers()
    assert model.conflicts() == 0
    actions.click(wizard.book_button, "Book course")
    wait_for_answers()
    assert wizard.course is not None and len(wizard.course.appointments) == 8


def test_handout_offered_when_the_patient_has_a_plan(qtbot, db, clinic) -> None:
    create_plan(
        db, sample_input(clinic.ann, clinic.acu, None, load_library()), now=clinic.ctx.clock()
    )
    actions = Actions(qtbot)
    wizard = open_wizard(qtbot, clinic, actions)
    choose_patient(qtbot, wizard, actions, "ann")
    actions.key(wizard.form.picker.search_edit, Qt.Key.Key_Return, "Enter books the course")
    wait_for_answers()
    assert wizard.course is not None
    page = wizard.done_page
    assert page.print_button.isVisible() and not page.card_button.isVisible()
    actions.click(page.print_button, "Print treatment-plan handout…")
    wait_for_answers()
    previews = [w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreviewDialog)]
    assert len(previews) == 1
    qtbot.addWidget(previews[0])
    assert previews[0].preview.page_count() >= 1
    assert wizard.follow_up == "print"
    assert actions.count <= 6


def test_preview_model_is_consistent(qtbot, db, clinic) -> None:
    wizard = CourseWizard(
        None, clinic.ctx, practitioner_id=clinic.acu, patient_id=clinic.ann, start_date=MONDAY
    )
    wait_for_answers()
    qtbot.addWidget(wizard)
    QAbstractItemModelTester(wizard.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    assert wizard.model.rowCount() == 8
    assert wizard.model.rowCount(wizard.model.index(0, 0)) == 0
    assert wizard.model.index(0, 0, QModelIndex()).data() == "1"


def test_screenshot_showcase_previews_a_demo_course_without_booking(qtbot, db) -> None:
    build_demo(db, patients=60, today=date(2026, 3, 1))
    before = len(appointments(db))
    wizard = course_wizard_showcase(None, AppContext(db=db, clock=lambda: NOW))
    wait_for_answers()
    qtbot.addWidget(wizard)
    origins = [s.origin for s in wizard.model.sessions()]
    assert len(origins) == 8 and "suggested" in origins
    assert len(appointments(db)) == before


def test_a_session_edited_onto_another_session_of_the_course_shows_as_a_clash(
    qtbot, db, clinic
) -> None:
    actions = Actions(qtbot)
    wizard = open_wizard(qtbot, clinic, actions)
    choose_patient(qtbot, wizard, actions, "ann")
    model = wizard.model
    assert model.conflicts() == 0
    second_monday = MONDAY + WEEK
    model.setData(model.index(2, COL_DATE), second_monday)  # session 3 typed onto session 2's day
    wait_for_answers()
    assert model.session(2).start == local(second_monday, 10)
    assert not model.session(2).free and not model.session(1).free
    assert "overlaps session 2 of this course" in model.index(2, COL_STATUS).data()
    assert "overlaps session 3 of this course" in model.index(1, COL_STATUS).data()
    assert not wizard.book_button.isEnabled()

    model.setData(model.index(2, COL_TIME), QTime(14, 0))  # same day, after session 2: both free
    wait_for_answers()
    assert model.session(1).free and model.session(2).free
    assert model.index(1, COL_STATUS).data() == "Free"
    assert wizard.book_button.isEnabled()
    actions.click(wizard.book_button, "Book course")
    wait_for_answers()
    assert wizard.course is not None
    ann = sorted(a.start_at for a in appointments(db) if a.patient_id == clinic.ann)
    assert ann[1:3] == [local(second_monday, 10), local(second_monday, 14)]


def _print_from_wizard(qtbot, db, clinic) -> tuple:
    """Book Ann's course with her plan on file and open the handout preview from the wizard."""
    plan = create_plan(
        db, sample_input(clinic.ann, clinic.acu, None, load_library()), now=clinic.ctx.clock()
    )
    actions = Actions(qtbot)
    wizard = open_wizard(qtbot, clinic, actions)
    choose_patient(qtbot, wizard, actions, "ann")
    actions.key(wizard.form.picker.search_edit, Qt.Key.Key_Return, "Enter books the course")
    printed: list[int] = []
    wizard.handoutPrinted.connect(printed.append)
    actions.click(wizard.done_page.print_button, "Print treatment-plan handout…")
    previews = [w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreviewDialog)]
    assert len(previews) == 1
    qtbot.addWidget(previews[0])
    return plan, previews[0], printed


def test_printing_the_handout_from_the_wizard_freezes_the_plan(qtbot, db, clinic) -> None:
    plan, preview, printed = _print_from_wizard(qtbot, db, clinic)
    preview.issued.emit("print")
    wait_for_answers()
    assert get_plan(db, plan.plan_id).is_printed
    assert printed == [plan.revision_id]


def test_a_plan_changed_while_its_handout_is_previewed_is_explained(
    qtbot, db, clinic, monkeypatch
) -> None:
    plan, preview, printed = _print_from_wizard(qtbot, db, clinic)
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda _p, _t, text, *a: shown.append(text))
    )
    save_plan(
        db,
        plan.plan_id,
        replace(plan.as_input(), pain_score=2),
        now=clinic.ctx.clock(),
        expected_version=plan.version,
    )  # edited at the practitioner's desk meanwhile
    preview.issued.emit("print")  # no traceback: the reason is shown instead
    wait_for_answers()
    assert not get_plan(db, plan.plan_id).is_printed
    assert printed == []
    assert len(shown) == 1 and "paper no longer matches" in shown[0]
