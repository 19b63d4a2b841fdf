"""The course wizard set up the way the README pictures it, from whatever clinic is open.

``frontdesk --screenshots`` should show the wizard doing its real job: a plan where most
sessions are free, one clashes and its suggested alternative has been accepted, and perhaps
one more still waits for a decision. The plan is found by asking the scheduling service, so
the picture is an honest preview of the demo clinic, and nothing is booked. Unattended: it asks
the service directly and waits for the wizard's answers (``worker.settle``).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from PySide6.QtWidgets import QWidget

from frontdesk.clinic import clinic_today, get_clinic
from frontdesk.context import AppContext
from frontdesk.domain import Discipline, Frequency, FrontdeskError
from frontdesk.patients import search_patients
from frontdesk.scheduling import (
    CourseRequest,
    list_appointment_types,
    list_practitioners,
    preview_course,
)
from frontdesk.ui import worker
from frontdesk.ui.booking.course_wizard import DEFAULT_SESSIONS, DEFAULT_TYPE, CourseWizard

TIMES = tuple(time(h) for h in (9, 10, 11, 14, 15, 16))
MAX_TRIES = 30


def _find_clashing_plan(ctx: AppContext) -> tuple[int, int, datetime] | None:
    """(patient, practitioner, first start) of the weekly course with the fewest clashes (>0)."""
    tz = get_clinic(ctx.db).tz
    today = clinic_today(ctx.clock(), tz)
    monday = today + timedelta(days=7 - today.weekday())
    types = [t.id for t in list_appointment_types(ctx.db) if t.name == DEFAULT_TYPE]
    staff = [p.id for p in list_practitioners(ctx.db) if p.discipline is Discipline.ACUPUNCTURE]
    people = [p.id for p in search_patients(ctx.db, "", limit=5)]
    if not (types and staff and people):
        return None
    best: tuple[int, tuple[int, int, datetime]] | None = None
    days = [monday + timedelta(days=d) for d in range(5)]
    for n, (at, day) in enumerate((at, day) for at in TIMES for day in days):
        if n >= MAX_TRIES:
            break
        req = CourseRequest(
            patient_id=people[n % len(people)],
            practitioner_id=staff[n % len(staff)],
            type_id=types[0],
            sessions=DEFAULT_SESSIONS,
            frequency=Frequency.WEEKLY,
            preferred_time=at,
            start_date=day,
        )
        try:
            sessions = preview_course(ctx.db, req, now=ctx.clock())
        except FrontdeskError:
            continue
        clashes = [s for s in sessions if not s.free]
        if clashes and all(s.suggestion for s in clashes):
            plan = (req.patient_id, req.practitioner_id, datetime.combine(day, at, tzinfo=tz))
            if best is None or len(clashes) < best[0]:
                best = (len(clashes), plan)
    return best[1] if best else None


def course_wizard_showcase(parent: QWidget | None, ctx: AppContext) -> CourseWizard:
    """A filled-in wizard with one suggestion accepted (or a plain one if no clash is found)."""
    found = _find_clashing_plan(ctx)
    if found is None:
        plain = CourseWizard(parent, ctx)
        worker.settle()
        return plain
    patient_id, practitioner_id, start = found
    wizard = CourseWizard(
        parent, ctx, practitioner_id=practitioner_id, patient_id=patient_id, start_date=start
    )
    worker.settle()
    rows = [i for i, s in enumerate(wizard.model.sessions()) if not s.free]
    if rows:
        wizard.table.selectRow(rows[0])
        wizard.accept_selected_suggestion()
        worker.settle()
        wizard.table.selectRow(rows[-1])
    wizard.resize(1000, 700)
    return wizard


def course_steady_showcase(parent: QWidget | None, ctx: AppContext) -> CourseWizard:
    """The same clashing plan, with the steady slots the wizard offers instead on show."""
    found = _find_clashing_plan(ctx)
    if found is None:
        return CourseWizard(parent, ctx)
    patient_id, practitioner_id, start = found
    wizard = CourseWizard(
        parent, ctx, practitioner_id=practitioner_id, patient_id=patient_id, start_date=start
    )
    worker.settle()
    wizard.resize(1000, 700)
    return wizard
