"""A practitioner's week for the My day, chart, note and plan editor tests (no tests here).

Builds on the booking tests' small clinic (Dr Mei Lin, acupuncture, Mon-Fri 09-17): Ann Smith
has a six-session weekly course on Mondays at 09:00 from 2026-03-02, booked and then attended
through the scheduling service, and Bob Jones a one-off visit on Monday 9 March. "Now" is
Monday 9 March 2026 at 11:00 in Edmonton, after Ann's second session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from PySide6.QtWidgets import QWidget

from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.domain import Frequency
from frontdesk.notes import SessionNoteInput, save_note
from frontdesk.scheduling import (
    BookingRequest,
    CourseRequest,
    book_appointment,
    book_course,
    check_in,
    complete,
    preview_course,
)
from frontdesk.ui.practice.note_editor import SessionNoteEditor
from tests.ui.answers import wait_for_answers
from tests.ui.test_booking_support import NOW as BOOKED_AT
from tests.ui.test_booking_support import TZ, Clinic, build_clinic, local

MONDAY = date(2026, 3, 9)
NOW = datetime.combine(MONDAY, time(11), tzinfo=TZ).astimezone(UTC)


@dataclass(frozen=True)
class Week:
    clinic: Clinic
    ctx: AppContext  # clock fixed at NOW
    course: int
    sessions: list[int]  # Ann's six course appointments, in order
    bob_visit: int


def build_week(db: Database, *, notes: bool = True) -> Week:
    clinic = build_clinic(db)
    req = CourseRequest(
        patient_id=clinic.ann,
        practitioner_id=clinic.acu,
        type_id=clinic.acupuncture,
        sessions=6,
        frequency=Frequency.WEEKLY,
        preferred_time=time(9),
        start_date=date(2026, 3, 2),
        weekdays=(0,),
        room_id=clinic.room1,
    )
    starts = [p.start for p in preview_course(db, req, now=BOOKED_AT)]
    course = book_course(db, req, starts, now=BOOKED_AT)
    sessions = [a.id for a in sorted(course.appointments, key=lambda a: a.start)]
    bob = book_appointment(
        db,
        BookingRequest(
            clinic.bob, clinic.acu, clinic.acupuncture, local(MONDAY, 14), room_id=clinic.room2
        ),
        now=BOOKED_AT,
    )
    first_done = local(date(2026, 3, 2), 9, 50).astimezone(UTC)
    check_in(db, sessions[0], now=first_done)
    complete(db, sessions[0], now=first_done)
    check_in(db, sessions[1], now=local(MONDAY, 8, 55).astimezone(UTC))
    complete(db, sessions[1], now=local(MONDAY, 9, 50).astimezone(UTC))
    if notes:
        for appt, before, after in ((sessions[0], 7, 5), (sessions[1], 6, 3)):
            save_note(
                db,
                None,
                SessionNoteInput(
                    clinic.ann,
                    clinic.acu,
                    appt,
                    ("acupuncture",),
                    "LI4, GB34",
                    "Relaxed",
                    before,
                    after,
                    "Numbness down the right leg.",
                ),
                now=NOW,
            )
    ctx = AppContext(db=db, clock=lambda: NOW)
    return Week(clinic, ctx, course.id, sessions, bob.id)


def read_chart(chart: QWidget) -> QWidget:
    """``chart`` once it has shown what it read (it opens at once and reads on a worker)."""
    wait_for_answers()
    assert getattr(chart, "loaded", False), "the chart has not shown what it read"
    return chart


def open_note(chart: QWidget) -> SessionNoteEditor:
    """The chart's Session note (Ctrl+N) on the selected appointment: the editor, which opens
    once the appointment's note has been read on a worker."""
    read_chart(chart)
    chart.open_note_for_selection()  # type: ignore[attr-defined]
    return note_editor(chart)


def note_editor(where: QWidget, appointment_id: int | None = None) -> SessionNoteEditor:
    """The one session-note editor open on ``where``'s workstation (for ``appointment_id`` if
    given), once every read asked for has answered."""
    from frontdesk.ui.practice.actions import root_window
    from frontdesk.ui.practice.windows import WindowRegistry

    wait_for_answers()
    editors = [
        w
        for w in WindowRegistry.of(root_window(where)).windows()
        if isinstance(w, SessionNoteEditor)
        and w.isVisible()
        and (appointment_id is None or w.value().appointment_id == appointment_id)
    ]
    assert len(editors) == 1, f"{len(editors)} note editors open"
    return editors[0]  # closed with the root window (its registry closes it)
