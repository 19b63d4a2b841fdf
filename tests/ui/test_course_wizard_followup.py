"""After the course wizard books: the paper handed to the patient lists the course just booked.

Flow tests (issue 10, items 1 and 3): the real wizard is driven as reception would, the printout
is saved through the preview's "Save as PDF…" into a temporary folder, and the PDF's text is
read back with pypdf. A handout that listed an older course, or a patient without a plan left
with nothing on paper, fails here.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from frontdesk.domain import Frequency
from frontdesk.plans import create_plan, get_plan, load_library
from frontdesk.plans.sample import sample_input
from frontdesk.scheduling import CourseRequest, book_course, get_course
from frontdesk.timefmt import fmt_date, fmt_time
from frontdesk.ui import file_dialogs
from frontdesk.ui.booking import CourseWizard
from frontdesk.ui.printing import PdfPreviewDialog
from tests.ui.answers import wait_for_answers
from tests.ui.test_booking_support import MONDAY, TZ, Actions, Clinic, build_clinic, local

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

WEEK = timedelta(days=7)
OLD_START = MONDAY + timedelta(days=2)  # the earlier course: ten Wednesdays at 15:30
ROW = re.compile(r"(\d{1,2} [A-Z][a-z]{2} \d{4})\s*([A-Z][a-z]+day)\s*(\d{1,2}:\d{2})")


@pytest.fixture
def clinic(db) -> Clinic:
    return build_clinic(db)


def book_old_course(clinic: Clinic) -> int:
    """Ann's course booked weeks ago at another visit: ten Wednesdays at 15:30 with Dr Lin."""
    req = CourseRequest(
        patient_id=clinic.ann,
        practitioner_id=clinic.acu,
        type_id=clinic.acupuncture,
        sessions=10,
        frequency=Frequency.WEEKLY,
        preferred_time=time(15, 30),
        start_date=OLD_START,
        weekdays=(OLD_START.weekday(),),
    )
    starts = [local(OLD_START + i * WEEK, 15, 30) for i in range(10)]
    return book_course(clinic.ctx.db, req, starts, now=clinic.ctx.clock()).id


def open_wizard_for_ann(qtbot, clinic: Clinic, actions: Actions) -> CourseWizard:
    actions.happened("open the course wizard from the calendar")
    wizard = CourseWizard(
        None, clinic.ctx, practitioner_id=clinic.acu, start_date=local(MONDAY, 10)
    )
    qtbot.addWidget(wizard)
    wizard.show()
    wait_for_answers()  # the lists and the practitioner's start
    edit = wizard.form.picker.search_edit
    actions.type(edit, "ann")
    qtbot.waitUntil(lambda: wizard.form.picker.model.rowCount() > 0)
    actions.key(edit, Qt.Key.Key_Return, "Enter picks the patient")
    qtbot.waitUntil(lambda: wizard.model.rowCount() == 8)
    wait_for_answers()
    return wizard


def save_preview(qtbot, preview: PdfPreviewDialog, target: Path, monkeypatch) -> Path:
    """Press "Save as PDF…" in the preview and answer the file dialog with ``target``."""
    qtbot.addWidget(preview)
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a: str(target))
    with qtbot.waitSignal(preview.issued):
        qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    assert target.exists()
    return target


def listed_sessions(pdf: Path) -> list[tuple[str, str]]:
    """(date, time) of every appointment row printed in the PDF, in order."""
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    return [(d, t) for d, _day, t in ROW.findall(text)]


def as_printed(starts: list[datetime]) -> list[tuple[str, str]]:
    return [(fmt_date(s.astimezone(TZ).date()), fmt_time(s.astimezone(TZ))) for s in starts]


def test_handout_after_booking_lists_the_new_course_not_the_old_one(
    qtbot, db, clinic, tmp_path, monkeypatch
) -> None:
    old_course = book_old_course(clinic)
    plan = create_plan(
        db, sample_input(clinic.ann, clinic.acu, old_course, load_library()), now=clinic.ctx.clock()
    )
    old_starts = [a.start for a in get_course(db, old_course).appointments]
    actions = Actions(qtbot)
    wizard = open_wizard_for_ann(qtbot, clinic, actions)

    # Before anything is booked, the wizard names the course already under way.
    warning = wizard.existing_warning
    assert warning.isVisible()
    text = warning.text()
    assert "Ann Smith already has an active course" in text
    assert "10 sessions with Dr Mei Lin from Wed 4 Mar 2026" in text
    assert "next Wed 4 Mar 2026, 15:30" in text
    assert "handout will list the new course" in text

    actions.click(wizard.book_button, "Book course")
    wait_for_answers()
    course = wizard.course
    assert course is not None and len(course.appointments) == 8
    new_starts = [a.start for a in course.appointments]
    assert new_starts == [local(MONDAY + i * WEEK, 10) for i in range(8)]

    # The plan in the database now covers the course just booked.
    assert get_plan(db, plan.plan_id).course_id == course.id
    page = wizard.done_page
    assert "lists these dates" in page.plan_note.text()
    assert "earlier course stays booked" in page.plan_note.text()
    assert page.print_button.isVisible()

    actions.click(page.print_button, "Print treatment-plan handout…")
    wait_for_answers()
    assert wizard.follow_up == "print" and wizard.last_preview is not None
    pdf = save_preview(qtbot, wizard.last_preview, tmp_path / "handout.pdf", monkeypatch)
    printed = listed_sessions(pdf)
    assert printed == as_printed(new_starts)
    assert not set(printed) & set(as_printed(old_starts))
    assert "8 sessions" in "".join(p.extract_text() for p in PdfReader(pdf).pages)


def test_no_warning_for_a_patient_without_an_open_course(qtbot, clinic) -> None:
    wizard = open_wizard_for_ann(qtbot, clinic, Actions(qtbot))
    assert not wizard.existing_warning.isVisible()


def test_without_a_plan_the_appointment_card_lists_the_booked_sessions(
    qtbot, db, clinic, tmp_path, monkeypatch
) -> None:
    actions = Actions(qtbot)
    wizard = open_wizard_for_ann(qtbot, clinic, actions)
    actions.click(wizard.book_button, "Book course")
    wait_for_answers()
    course = wizard.course
    assert course is not None
    page = wizard.done_page
    assert "no treatment plan yet" in page.plan_note.text()
    assert "appointment card" in page.plan_note.text()
    assert page.card_button.isVisible() and not page.print_button.isVisible()
    assert page.card_button.isDefault()

    actions.click(page.card_button, "Print appointment card…")
    wait_for_answers()
    assert wizard.follow_up == "card" and wizard.result() == 1
    assert wizard.last_preview is not None
    pdf = save_preview(qtbot, wizard.last_preview, tmp_path / "card.pdf", monkeypatch)
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Ann Smith" in text
    for start in (a.start for a in course.appointments):
        when = start.astimezone(TZ)
        assert fmt_date(when.date()) in text and fmt_time(when) in text


def test_the_card_lists_a_long_course_whole(qtbot, db, clinic, tmp_path, monkeypatch) -> None:
    """Twenty sessions: more than one card holds, so the card continues rather than cutting."""
    actions = Actions(qtbot)
    wizard = open_wizard_for_ann(qtbot, clinic, actions)
    wizard.form.sessions.setValue(20)
    qtbot.waitUntil(lambda: wizard.model.rowCount() == 20)
    actions.click(wizard.accept_all_button, "Accept all suggestions")  # Victoria Day is closed
    wait_for_answers()
    actions.click(wizard.book_button, "Book course")
    wait_for_answers()
    course = wizard.course
    assert course is not None and len(course.appointments) == 20
    actions.click(wizard.done_page.card_button, "Print appointment card…")
    wait_for_answers()
    pdf = save_preview(qtbot, wizard.last_preview, tmp_path / "card.pdf", monkeypatch)
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    for start in (a.start for a in course.appointments):
        assert fmt_date(start.astimezone(TZ).date()) in text
