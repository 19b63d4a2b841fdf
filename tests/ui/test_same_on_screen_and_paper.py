"""A patient's name and a visit's time read the same on every screen and on the handout.

王秀英 (family name 王, given name 秀英) has a visit at 14:30: the patients list, My day, the
calendar and the printed treatment-plan handout must all say "王秀英" and "14:30" (paper once
said "秀英 王"-style names on screen and "2:30 PM" on paper).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QUndoStack

from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.plans import handout_data
from frontdesk.plans.sample import SeededPlan, seed_sample_plan
from frontdesk.reports.plan_handout import render_plan_handout
from frontdesk.ui.calendar.page import CalendarPage
from frontdesk.ui.models.patient_table import NAME
from frontdesk.ui.practice.day_model import PATIENT, TIME
from frontdesk.ui.practice.my_day import MyDayPage
from frontdesk.ui.widgets.patients_page import PatientsPage
from tests.ui.answers import wait_for_answers

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")

MORNING = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # Mon 2 Mar 2026, 08:00 Edmonton
AT_1430 = datetime(2026, 3, 2, 21, 30, tzinfo=UTC)  # 14:30 in Edmonton


@pytest.fixture
def seeded(db: Database) -> SeededPlan:
    return seed_sample_plan(
        db, now=MORNING, given_name="秀英", family_name="王", first_session=AT_1430, attended=0
    )


@pytest.fixture
def ctx(db: Database) -> AppContext:
    return AppContext(db=db, clock=lambda: MORNING)


def _handout_text(db: Database, seeded: SeededPlan) -> str:
    data = handout_data(db, seeded.plan.revision_id, now=MORNING)
    reader = PdfReader(io.BytesIO(render_plan_handout(data)))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def test_name_and_time_on_screen_match_the_handout(
    qtbot, db: Database, ctx: AppContext, seeded: SeededPlan
) -> None:
    paper = _handout_text(db, seeded)

    patients = PatientsPage(ctx, QUndoStack())
    qtbot.addWidget(patients)
    qtbot.waitUntil(lambda: patients.model.rowCount() > 0, timeout=5000)
    listed = patients.model.index(0, NAME).data()

    my_day = MyDayPage(ctx, QUndoStack())
    qtbot.addWidget(my_day)
    my_day.set_practitioner(seeded.practitioner_id)
    wait_for_answers()  # the practitioners and the day are read on a worker
    first = my_day.model.appointment_at(0)
    assert first is not None and first.id == seeded.appointment_ids[0]
    day_name = my_day.model.index(0, PATIENT).data()
    day_time = my_day.model.index(0, TIME).data()

    calendar = CalendarPage(ctx, QUndoStack())
    qtbot.addWidget(calendar)
    wait_for_answers()  # the first read: the clinic's zone and the day
    said: list[str] = []
    calendar.status_message.connect(said.append)
    calendar._on_selection(seeded.appointment_ids[0])

    assert listed == day_name == "王秀英"
    assert day_time.startswith("14:30")
    assert said and said[-1].startswith("王秀英 · ") and " 14:30\u2013" in said[-1]
    assert "PATIENT 王秀英" in paper  # the handout's information box
    assert "14:30" in paper and "PM" not in paper  # the session table
