"""Gathering what a treatment-plan handout prints, in one read, as display-ready values.

The PDF code must not touch the database or the library, so everything is resolved here:
condition lines, labels and appointment times in the clinic's time zone. Home-care texts are
the ones the revision was saved with, so a reprint reads exactly like the first print.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.accounts.operation import by_revision, field_of, operation
from frontdesk.clinic import ClinicInfo, clinic_today, load_clinic
from frontdesk.course_packages import package_usage
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Appointment,
    AppointmentType,
    Patient,
    PlanRevision,
    Practitioner,
    TreatmentCourse,
)
from frontdesk.domain import (
    ACTIVE_STATUSES,
    AppointmentStatus,
    Frequency,
    NotFound,
    course_rhythm,
)
from frontdesk.names import display_name
from frontdesk.plans.library import HomecareLibrary, load_library_or_empty
from frontdesk.plans.service import revision_view
from frontdesk.plans.types import HandoutAppointment, HandoutData, PlanInput, PlanRevisionView
from frontdesk.plans.validation import normalise

ATTENDED_STATUSES = (AppointmentStatus.CHECKED_IN.value, AppointmentStatus.COMPLETED.value)
# Without a course, the handout lists the patient's next appointments, up to this many.
MAX_UPCOMING_WITHOUT_COURSE = 20


@operation("handout_data", patient=by_revision)
def handout_data(
    db: Database, revision_id: int, *, now: datetime, library: HomecareLibrary | None = None
) -> HandoutData:
    """Clinic, patient, practitioner, plan and appointments for one revision.

    With a linked course the appointments are the course's sessions (cancelled ones left out,
    missed ones kept so the count is honest); without one, the patient's upcoming bookings.
    """
    library = library or load_library_or_empty()[0]
    with db.read() as s:
        row = s.get(PlanRevision, revision_id)
        if row is None:
            raise NotFound("This plan revision no longer exists.")
        return _gather(s, revision_view(row.plan, row, library), now, library)


@operation("draft_handout_data", patient=field_of("data"))
def draft_handout_data(
    db: Database,
    data: PlanInput,
    *,
    now: datetime,
    library: HomecareLibrary | None = None,
    base: PlanRevisionView | None = None,
) -> HandoutData:
    """The handout of editor content as if it were saved now, for a live preview; writes nothing.

    ``base`` is the revision being edited: its number and dates are kept, and the number goes
    up by one when that revision was already printed (saving would start a new one).
    """
    library = library or load_library_or_empty()[0]
    data = normalise(data)
    printed = base is not None and base.is_printed
    plan = PlanRevisionView(
        plan_id=base.plan_id if base else 0,
        revision_id=base.revision_id if base and not printed else 0,
        number=1 if base is None else base.number + (1 if printed else 0),
        created_at=base.created_at if base and not printed else now,
        updated_at=now,
        printed_at=None,
        **{name: getattr(data, name) for name in PlanInput.__dataclass_fields__},
    )
    with db.read() as s:
        return _gather(s, plan, now, library)


def _gather(
    s: Session, plan: PlanRevisionView, now: datetime, library: HomecareLibrary
) -> HandoutData:
    """Everything around a plan, read in the caller's session (rows expire when it closes)."""
    clinic = load_clinic(s)
    patient = s.get(Patient, plan.patient_id)
    if patient is None:
        raise NotFound("The plan's patient no longer exists.")
    practitioner = s.get(Practitioner, plan.practitioner_id)
    if practitioner is None:
        raise NotFound("The plan's practitioner no longer exists.")
    course = s.get(TreatmentCourse, plan.course_id) if plan.course_id else None
    return assemble_handout(
        library,
        clinic=clinic,
        patient_name=display_name(patient.given_name, patient.family_name, patient.preferred_name),
        patient_dob=patient.date_of_birth,
        practitioner_name=practitioner.display_name,
        practitioner_credentials=practitioner.credentials,
        plan=plan,
        appointments=_appointments(s, clinic, plan.patient_id, plan.course_id, now),
        printed_on=clinic_today(now, clinic.tz),
        course_planned_sessions=course.planned_sessions if course else None,
        course_rhythm=_rhythm(course) if course else "",
        package_summary=_package_summary(s, course),
    )


def _package_summary(s: Session, course: TreatmentCourse | None) -> str:
    usage = package_usage(s, course.id) if course is not None else None
    return "" if usage is None else usage.summary()


def _rhythm(course: TreatmentCourse) -> str:
    return course_rhythm(Frequency(course.frequency), course.interval_days, course.planned_sessions)


def assemble_handout(
    library: HomecareLibrary,
    *,
    clinic: ClinicInfo,
    patient_name: str,
    patient_dob: date,
    practitioner_name: str,
    practitioner_credentials: str,
    plan: PlanRevisionView,
    appointments: tuple[HandoutAppointment, ...],
    printed_on: date,
    course_planned_sessions: int | None,
    course_rhythm: str = "",
    package_summary: str = "",
) -> HandoutData:
    """Resolve a plan's codes to the library's wording; the one place a handout is put together."""

    def technique_detail(code: str) -> str:
        return next((t.description for t in library.techniques if t.code == code), "")

    def condition_detail(code: str) -> str:
        cond = library.condition(code)
        return cond.description if cond else ""

    return HandoutData(
        clinic=clinic,
        patient_name=patient_name,
        patient_dob=patient_dob,
        practitioner_name=practitioner_name,
        practitioner_credentials=practitioner_credentials,
        plan=plan,
        condition_lines=tuple(library.condition_line(c) for c in plan.conditions),
        symptom_labels=tuple(library.symptom_label(x) for x in plan.symptoms),
        technique_labels=tuple(library.technique_label(x) for x in plan.techniques),
        homecare_items=tuple(entry.text for entry in plan.homecare),  # as saved, not as now
        red_flags=library.red_flags,
        appointments=appointments,
        printed_on=printed_on,
        course_planned_sessions=course_planned_sessions,
        course_rhythm=course_rhythm,
        package_summary=package_summary,
        condition_details=tuple(condition_detail(c.code) for c in plan.conditions),
        technique_details=tuple(technique_detail(x) for x in plan.techniques),
    )


def _appointments(
    s: Session, clinic: ClinicInfo, patient_id: int, course_id: int | None, now: datetime
) -> tuple[HandoutAppointment, ...]:
    stmt = (
        select(Appointment, Practitioner.display_name, AppointmentType.name)
        .join(Practitioner, Practitioner.id == Appointment.practitioner_id)
        .join(AppointmentType, AppointmentType.id == Appointment.appointment_type_id)
        .order_by(Appointment.start_at, Appointment.id)
    )
    if course_id is not None:
        stmt = stmt.where(
            Appointment.course_id == course_id,
            Appointment.status != AppointmentStatus.CANCELLED.value,
        )
    else:
        stmt = stmt.where(
            Appointment.patient_id == patient_id,
            Appointment.start_at >= now,
            Appointment.status.in_(ACTIVE_STATUSES),
        ).limit(MAX_UPCOMING_WITHOUT_COURSE)
    tz = clinic.tz
    return tuple(
        HandoutAppointment(
            starts_local=appt.start_at.astimezone(tz),
            ends_local=appt.end_at.astimezone(tz),
            practitioner_name=practitioner,
            type_name=type_name,
            status=appt.status,
            attended=appt.status in ATTENDED_STATUSES,
        )
        for appt, practitioner, type_name in s.execute(stmt)
    )
