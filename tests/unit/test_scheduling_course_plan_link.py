"""A course booked for a treatment plan becomes the course that plan covers, in one transaction.

The handout lists the sessions of the plan's course; linking in the booking's own transaction is
what makes the handout handed over right after booking list the course just booked.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, TreatmentCourse
from frontdesk.domain import CourseStatus, Frequency, ValidationError, course_rhythm
from frontdesk.plans import archive_plan, create_plan, get_plan, handout_data, load_library
from frontdesk.plans.sample import sample_input
from frontdesk.scheduling import active_courses, book_course, cancel_remaining
from tests.unit.test_scheduling_courses import weekly
from tests.unit.test_scheduling_support import MONDAY, NOW, Clinic, local

WEEK = timedelta(days=7)


def count(db: Database, model) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def book_weekly(  # type: ignore[no-untyped-def]
    db: Database, c: Clinic, start=MONDAY, sessions: int = 4, hour: int = 10, plan_id=None
):
    req = weekly(c, sessions, start_date=start)
    starts = [local(start + i * WEEK, hour) for i in range(sessions)]
    return book_course(db, req, starts, now=NOW, plan_id=plan_id)


def test_booking_for_a_plan_moves_the_plan_to_the_new_course(db: Database, clinic: Clinic) -> None:
    old = book_weekly(db, clinic, sessions=6, hour=14)
    library = load_library()
    plan = create_plan(db, sample_input(clinic.ann, clinic.acu, old.id, library), now=NOW)
    new = book_weekly(db, clinic, start=MONDAY + WEEK, sessions=3, hour=10, plan_id=plan.plan_id)
    assert get_plan(db, plan.plan_id).course_id == new.id
    listed = handout_data(db, plan.revision_id, now=NOW).appointments
    expected = [local(MONDAY + (i + 1) * WEEK, 10) for i in range(3)]
    assert [a.starts_local for a in listed] == expected


def test_a_plan_archived_meanwhile_books_nothing(db: Database, clinic: Clinic) -> None:
    plan = create_plan(db, sample_input(clinic.ann, clinic.acu, None, load_library()), now=NOW)
    archive_plan(db, plan.plan_id)
    with pytest.raises(ValidationError) as err:
        book_weekly(db, clinic, plan_id=plan.plan_id)
    assert "archived" in err.value.errors["plan_id"]
    assert count(db, TreatmentCourse) == 0 and count(db, Appointment) == 0


def test_another_patients_plan_books_nothing(db: Database, clinic: Clinic) -> None:
    plan = create_plan(db, sample_input(clinic.bob, clinic.acu, None, load_library()), now=NOW)
    with pytest.raises(ValidationError) as err:
        book_weekly(db, clinic, plan_id=plan.plan_id)
    assert "another patient" in err.value.errors["plan_id"]
    assert count(db, TreatmentCourse) == 0 and count(db, Appointment) == 0


def test_active_courses_lists_open_courses_of_the_patient(db: Database, clinic: Clinic) -> None:
    first = book_weekly(db, clinic, sessions=2, hour=14)
    second = book_weekly(db, clinic, start=MONDAY + WEEK, sessions=2, hour=10)
    assert [c.id for c in active_courses(db, clinic.ann)] == [first.id, second.id]
    assert active_courses(db, clinic.bob) == []
    cancel_remaining(db, first.id, reason="Patient moved away", now=NOW)
    remaining = active_courses(db, clinic.ann)
    assert [c.id for c in remaining] == [second.id]
    assert remaining[0].status is CourseStatus.ACTIVE


def test_the_handout_prints_the_linked_courses_frequency_not_the_plans_own_words(
    db: Database, clinic: Clinic
) -> None:
    """The plan was written as "twice a week for 4 weeks"; the course booked is weekly."""
    import io

    from pypdf import PdfReader

    from frontdesk.reports import plan_handout_pdf

    library = load_library()
    plan = create_plan(db, sample_input(clinic.ann, clinic.acu, None, library), now=NOW)
    assert plan.frequency_text == "Twice a week for 4 weeks" and plan.planned_sessions == 8
    book_weekly(db, clinic, sessions=4, plan_id=plan.plan_id)
    pdf = plan_handout_pdf(db, plan.revision_id, now=NOW, mark=False)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "How often: weekly, 4 sessions" in text
    assert "4 sessions over 4 weeks" in text
    assert "Twice a week" not in text and "8 sessions" not in text


@pytest.mark.parametrize(
    ("frequency", "interval", "sessions", "words"),
    [
        (Frequency.WEEKLY, None, 8, "weekly, 8 sessions"),
        (Frequency.TWICE_WEEKLY, None, 10, "twice a week, 10 sessions"),
        (Frequency.EVERY_K_DAYS, 3, 6, "every 3 days, 6 sessions"),
        (Frequency.EVERY_K_DAYS, 1, 1, "every day, 1 session"),
    ],
)
def test_a_courses_rhythm_in_words(
    frequency: Frequency, interval: int | None, sessions: int, words: str
) -> None:
    assert course_rhythm(frequency, interval, sessions) == words
