"""Courses that start right: the right practitioner, a start ahead in their hours, a steady slot."""

from __future__ import annotations

from datetime import UTC, time, timedelta

import pytest
from PySide6.QtCore import QTime
from PySide6.QtWidgets import QTimeEdit

from frontdesk.context import AppContext
from frontdesk.plans import create_plan, load_library
from frontdesk.plans.sample import sample_input
from frontdesk.ui.booking import CourseWizard
from frontdesk.ui.qtbits import py_date, py_time
from tests.ui.answers import wait_for_answers
from tests.ui.test_booking_support import (
    MONDAY,
    TZ,
    Actions,
    Clinic,
    appointments,
    book,
    build_clinic,
    local,
)

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

WEEK = timedelta(days=7)


@pytest.fixture
def clinic(db) -> Clinic:
    return build_clinic(db)


def wizard_for(qtbot, ctx: AppContext, **kw) -> CourseWizard:  # type: ignore[no-untyped-def]
    wizard = CourseWizard(None, ctx, **kw)
    wait_for_answers()  # the lists, the start and the preview come from workers
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def test_an_acupuncture_course_never_defaults_to_a_physiotherapist(qtbot, clinic) -> None:
    wizard = wizard_for(qtbot, clinic.ctx, practitioner_id=clinic.physio, patient_id=clinic.ann)
    form = wizard.form
    assert form.type.currentText().startswith("Acupuncture treatment")
    offered = [form.practitioner.itemData(i) for i in range(form.practitioner.count())]
    assert offered == [clinic.acu]
    assert form.practitioner.currentData() == clinic.acu
    # Choosing a type any discipline gives offers everyone again, keeping the choice.
    form.type.setCurrentIndex(form.type.findData(clinic.consult))
    wait_for_answers()
    offered = {form.practitioner.itemData(i) for i in range(form.practitioner.count())}
    assert offered == {clinic.acu, clinic.physio}
    assert form.practitioner.currentData() == clinic.acu


def test_the_course_starts_ahead_inside_the_practitioners_hours(qtbot, clinic) -> None:
    # Monday 10:07: opened from a menu, the course starts at the next quarter hour, not 10:00.
    ctx = AppContext(db=clinic.ctx.db, clock=lambda: local(MONDAY, 10, 7).astimezone(UTC))
    wizard = wizard_for(qtbot, ctx, practitioner_id=clinic.acu, patient_id=clinic.ann)
    assert py_date(wizard.form.start_date.date()) == MONDAY
    assert py_time(wizard.form.preferred_time.time()) == time(10, 15)
    assert all(s.start >= local(MONDAY, 10, 7) for s in wizard.model.sessions())
    # Opened on Sam Patel's Friday (he works Monday to Thursday from 10:00): next Monday 10:00.
    physio = wizard_for(
        qtbot,
        ctx,
        practitioner_id=clinic.physio,
        patient_id=clinic.ann,
        start_date=local(MONDAY + timedelta(days=4), 8),
    )
    physio.form.type.setCurrentIndex(physio.form.type.findData(clinic.consult))
    wait_for_answers()
    physio.form.practitioner.setCurrentIndex(physio.form.practitioner.findData(clinic.physio))
    wait_for_answers()
    assert py_date(physio.form.start_date.date()) == MONDAY + WEEK
    assert py_time(physio.form.preferred_time.time()) == time(10, 0)


def test_typing_a_time_goes_into_the_hour_wherever_the_cursor_was(qtbot, clinic) -> None:
    wizard = wizard_for(
        qtbot,
        clinic.ctx,
        practitioner_id=clinic.acu,
        patient_id=clinic.ann,
        start_date=local(MONDAY, 10),
    )
    field = wizard.form.preferred_time
    qtbot.waitExposed(wizard)
    field.setFocus()
    field.setCurrentSection(QTimeEdit.Section.MinuteSection)  # a click that landed on the minutes
    qtbot.keyClicks(field, "13:00")
    wait_for_answers()
    assert field.time() == QTime(13, 0)
    assert all(s.start.astimezone(TZ).time() == time(13) for s in wizard.model.sessions())


def test_a_steady_slot_books_eight_weekly_sessions_in_few_actions(qtbot, db, clinic) -> None:
    """Journey 3: 8 weekly acupuncture sessions on one steady slot, the clash resolved by
    choosing the slot, and the handout printed."""
    create_plan(
        db, sample_input(clinic.ann, clinic.acu, None, load_library()), now=clinic.ctx.clock()
    )
    book(clinic, clinic.bob, local(MONDAY + 2 * WEEK, 10), clinic.room2)  # Monday 10:00, week 3
    actions = Actions(qtbot)
    actions.happened("New course on the patient hub")
    wizard = wizard_for(qtbot, clinic.ctx, patient_id=clinic.ann, start_date=local(MONDAY, 10))
    assert wizard.model.conflicts() == 1
    strip = wizard.steady
    assert strip.isVisible() and 1 <= len(strip.buttons) <= 3
    best = strip.slots[0]
    assert best.weekday == 0 and best.at != time(10)
    actions.click(strip.buttons[0], "choose the steady slot")
    wait_for_answers()
    sessions = wizard.model.sessions()
    assert wizard.model.conflicts() == 0 and len(sessions) == 8
    assert {s.start.astimezone(TZ).time() for s in sessions} == {best.at}
    assert {s.start.astimezone(TZ).weekday() for s in sessions} == {0}
    actions.click(wizard.book_button, "Book course")
    wait_for_answers()
    assert wizard.course is not None
    ann = [a for a in appointments(db) if a.patient_id == clinic.ann]
    assert [a.start_at for a in ann] == list(best.starts)
    actions.click(wizard.done_page.print_button, "Print treatment-plan handout…")
    wait_for_answers()
    assert wizard.follow_up == "print" and wizard.last_preview is not None
    qtbot.addWidget(wizard.last_preview)
    assert actions.count <= 6, actions.log


def test_no_steady_slot_is_offered_when_the_plan_is_already_free(qtbot, clinic) -> None:
    wizard = wizard_for(qtbot, clinic.ctx, patient_id=clinic.ann, start_date=local(MONDAY, 10))
    assert wizard.model.conflicts() == 0
    assert not wizard.steady.isVisible()
