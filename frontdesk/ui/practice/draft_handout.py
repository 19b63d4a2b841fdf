"""The handout of a plan that is still being edited, for the editor's live preview.

``frontdesk.plans.handout_data`` reads a saved revision; the preview must show the form as it is
now, saved or not, without writing anything. This builds the same ``HandoutData`` from a
``PlanInput`` through the public services and the library, following the rules ``handout_data``
documents (a linked course lists its sessions, cancelled ones left out; otherwise the patient's
next bookings). No Qt here. It belongs in ``frontdesk.plans`` and should move there.
"""

from __future__ import annotations

from datetime import datetime

from frontdesk.clinic import get_clinic
from frontdesk.db.engine import Database
from frontdesk.domain import AppointmentStatus, NotFound
from frontdesk.patients import get_patient
from frontdesk.plans import (
    HandoutAppointment,
    HandoutData,
    HomecareLibrary,
    PlanInput,
    PlanRevisionView,
)
from frontdesk.plans.handout import MAX_UPCOMING_WITHOUT_COURSE
from frontdesk.scheduling import (
    AppointmentView,
    get_course,
    list_practitioners,
    patient_appointments,
)

_ATTENDED = (AppointmentStatus.CHECKED_IN, AppointmentStatus.COMPLETED)


def draft_handout_data(
    db: Database,
    data: PlanInput,
    *,
    now: datetime,
    library: HomecareLibrary,
    base: PlanRevisionView | None = None,
) -> HandoutData:
    """The handout for ``data`` as if saved now; ``base`` is the revision being edited (its
    number and dates are kept; the number goes up if that revision was already printed)."""
    clinic = get_clinic(db)
    patient = get_patient(db, data.patient_id)
    practitioner = next(
        (p for p in list_practitioners(db, active_only=False) if p.id == data.practitioner_id), None
    )
    if practitioner is None:
        raise NotFound("Choose the practitioner responsible for this plan.")
    course = get_course(db, data.course_id) if data.course_id else None
    if course is not None:
        rows = sorted((a for a in course.appointments
                       if a.status != AppointmentStatus.CANCELLED), key=lambda a: a.start)
    else:
        upcoming = [a for a in patient_appointments(db, data.patient_id)
                    if a.start >= now and a.status.is_active]
        rows = sorted(upcoming, key=lambda a: a.start)[:MAX_UPCOMING_WITHOUT_COURSE]
    number = 1 if base is None else base.number + (1 if base.is_printed else 0)
    plan = PlanRevisionView(
        plan_id=base.plan_id if base else 0,
        revision_id=base.revision_id if base and not base.is_printed else 0,
        number=number,
        created_at=base.created_at if base and not base.is_printed else now,
        updated_at=now,
        printed_at=None,
        **{name: getattr(data, name) for name in _CONTENT},
    )
    return HandoutData(
        clinic=clinic,
        patient_name=f"{patient.given_name} {patient.family_name}",
        patient_dob=patient.date_of_birth,
        practitioner_name=practitioner.display_name,
        practitioner_credentials=practitioner.credentials,
        plan=plan,
        condition_lines=tuple(library.condition_line(c) for c in data.conditions),
        symptom_labels=tuple(library.symptom_label(x) for x in data.symptoms),
        technique_labels=tuple(library.technique_label(x) for x in data.techniques),
        homecare_items=tuple(entry.text for entry in data.homecare),
        red_flags=library.red_flags,
        appointments=tuple(_appointment(a, clinic.tz) for a in rows),
        printed_on=now.astimezone(clinic.tz).date(),
        course_planned_sessions=course.planned if course else None,
        condition_details=tuple(
            (cond.description if (cond := library.condition(c.code)) else "")
            for c in data.conditions
        ),
        technique_details=tuple(
            next((t.description for t in library.techniques if t.code == x), "")
            for x in data.techniques
        ),
    )


_CONTENT = (
    "patient_id", "practitioner_id", "course_id", "conditions", "condition_notes", "symptoms",
    "pain_score", "worse_with", "better_with", "goals", "techniques", "planned_sessions",
    "frequency_text", "homecare", "patient_notes",
)  # fmt: skip


def _appointment(a: AppointmentView, tz) -> HandoutAppointment:  # type: ignore[no-untyped-def]
    return HandoutAppointment(
        starts_local=a.start.astimezone(tz),
        ends_local=a.end.astimezone(tz),
        practitioner_name=a.practitioner_name,
        type_name=a.type_name,
        status=a.status.value,
        attended=a.status in _ATTENDED,
    )
