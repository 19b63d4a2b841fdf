"""Everything reception sees about one patient beside their details: the patient hub.

Upcoming and recent visits, courses still open with their progress, and treatment plans, read
through the services that own them (three short reads), handed back as one frozen value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from frontdesk.accounts.operation import by_patient, operation
from frontdesk.db.engine import Database
from frontdesk.scheduling.dto import AppointmentView, CourseView
from frontdesk.scheduling.rules import aware_utc
from frontdesk.scheduling.schedule import patient_appointments

if TYPE_CHECKING:  # courses and plans load when a patient is first selected, not at start
    from frontdesk.plans import PlanSummary

PAST_SHOWN = 5


@dataclass(frozen=True)
class PatientOverview:
    """A patient's visits, open courses and plans, as the patient hub lists them."""

    patient_id: int
    upcoming: list[AppointmentView]  # still to come and not cancelled, earliest first
    past: list[AppointmentView]  # already started, latest first, at most ``PAST_SHOWN``
    past_total: int
    courses: list[CourseView]  # active courses
    plans: list[PlanSummary]  # plans not archived, most recently changed first


@operation("patient_overview", patient=by_patient)
def patient_overview(db: Database, patient_id: int, *, now: datetime) -> PatientOverview:
    """The hub's view of ``patient_id`` at ``now``."""
    from frontdesk.plans import list_plans
    from frontdesk.scheduling.courses import active_courses

    now = aware_utc(now, "now")
    visits = patient_appointments(db, patient_id)  # latest first
    upcoming = [a for a in reversed(visits) if a.start >= now and a.is_active]
    past = [a for a in visits if a.start < now]
    return PatientOverview(
        patient_id=patient_id,
        upcoming=upcoming,
        past=past[:PAST_SHOWN],
        past_total=len(past),
        courses=active_courses(db, patient_id),
        plans=[p for p in list_plans(db, patient_id) if not p.archived],
    )
