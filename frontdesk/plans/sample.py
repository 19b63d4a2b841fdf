"""A realistic sample plan, for screenshots, benchmarks, the headless command's tests and demos.

``sample_handout`` is pure (no database) so the PDF benchmark times composition alone.
``seed_sample_plan`` writes a practitioner, a patient, a course of booked sessions and a plan
into a database. Practitioners, rooms, courses and appointments are inserted as rows because
they are fixtures here, not bookings: real bookings go through ``frontdesk.scheduling``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from frontdesk.accounts.operation import operation
from frontdesk.clinic import ClinicInfo, clinic_today, load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Appointment,
    AppointmentType,
    ClinicSettings,
    Practitioner,
    Room,
    TreatmentCourse,
)
from frontdesk.domain import Frequency, PageSize, course_rhythm
from frontdesk.patients import PatientInput, create_patient
from frontdesk.plans.handout import assemble_handout
from frontdesk.plans.library import HomecareLibrary, load_library
from frontdesk.plans.service import create_plan
from frontdesk.plans.types import (
    ConditionChoice,
    HandoutAppointment,
    HandoutData,
    PlanInput,
    PlanRevisionView,
)

SAMPLE_CONDITIONS = (ConditionChoice("pinched_nerve", "lumbar", "L4-L5", "right"),)
SAMPLE_NOTES = (
    "Thank you for coming in today. Your lower back and right leg symptoms fit a pinched "
    "nerve at L4\u2013L5. The plan below is a starting point; we will check how you respond "
    "after the first three sessions and adjust it together.\n\n"
    "After a session you may feel tired or a little sore for a day. That is normal. Drink "
    "water, take it easy that evening, and note anything that changes so we can talk about it "
    "next time."
)


def sample_input(
    patient_id: int,
    practitioner_id: int,
    course_id: int | None,
    library: HomecareLibrary,
    notes: str = SAMPLE_NOTES,
) -> PlanInput:
    """The content of the sample plan: a right-sided L4-L5 pinched nerve, 8 sessions."""
    return PlanInput(
        patient_id=patient_id,
        practitioner_id=practitioner_id,
        course_id=course_id,
        conditions=SAMPLE_CONDITIONS,
        condition_notes="Numbness down the right leg when standing for more than 5 minutes; "
        "sitting down eases it.",
        symptoms=("numbness", "tingling", "pain"),
        pain_score=6,
        worse_with="Standing in one place, bending to lift, long drives.",
        better_with="Sitting down, a warm shower, short walks.",
        goals=(
            "Stand for 20 minutes while cooking without leg numbness",
            "Sleep through the night without pain waking you",
            "Return to walking the dog for 30 minutes",
        ),
        techniques=("acupuncture", "trigger_point", "stretching"),
        planned_sessions=8,
        frequency_text="Twice a week for 4 weeks",
        homecare=library.entries(library.default_items(SAMPLE_CONDITIONS)),
        patient_notes=notes,
    )


def sample_clinic(page_size: PageSize = PageSize.LETTER) -> ClinicInfo:
    """An Edmonton clinic as the settings screen would hold it."""
    return ClinicInfo(
        name="Glenora Acupuncture & Physiotherapy",
        address="10240 142 Street NW\nEdmonton, AB  T5N 2N6",
        phone="(780) 555-0142",
        email="hello@glenora-clinic.example",
        timezone="America/Edmonton",
        province="AB",
        closed_optional_holidays=(),
        page_size=page_size,
        logo_png=None,
        opening_hours={},
    )


def sample_handout(
    *,
    patient_name: str = "Nguyễn Thị Ánh",
    notes: str = SAMPLE_NOTES,
    sessions: int = 8,
    page_size: PageSize = PageSize.LETTER,
    library: HomecareLibrary | None = None,
) -> HandoutData:
    """A complete handout without a database, for benchmarks and layout work."""
    library = library or load_library()
    clinic = sample_clinic(page_size)
    data = sample_input(1, 1, 1, library, notes)
    now = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
    plan = PlanRevisionView(
        plan_id=1,
        revision_id=1,
        number=1,
        created_at=now,
        updated_at=now,
        printed_at=None,
        **{k: getattr(data, k) for k in PlanInput.__dataclass_fields__},
    )
    first = datetime.combine(date(2026, 3, 2), time(16, 30), clinic.tz)
    appts = tuple(
        HandoutAppointment(
            starts_local=first + timedelta(days=7 * (i // 2) + 3 * (i % 2)),
            ends_local=first + timedelta(days=7 * (i // 2) + 3 * (i % 2), minutes=45),
            practitioner_name="Mei Lin Chen",
            type_name="Acupuncture treatment",
            status="completed" if i < 2 else "booked",
            attended=i < 2,
        )
        for i in range(sessions)
    )
    return assemble_handout(
        library,
        clinic=clinic,
        patient_name=patient_name,
        patient_dob=date(1968, 5, 14),
        practitioner_name="Mei Lin Chen",
        practitioner_credentials="R.Ac.",
        plan=plan,
        appointments=appts,
        printed_on=clinic_today(now, clinic.tz),
        course_planned_sessions=sessions,
        course_rhythm=course_rhythm(Frequency.TWICE_WEEKLY, None, sessions),
    )


@dataclass(frozen=True)
class SeededPlan:
    """Ids of what ``seed_sample_plan`` wrote."""

    patient_id: int
    practitioner_id: int
    course_id: int
    appointment_ids: tuple[int, ...]
    plan: PlanRevisionView


@operation("seed_sample_plan")
def seed_sample_plan(
    db: Database,
    *,
    now: datetime,
    given_name: str = "Ánh",
    family_name: str = "Nguyễn Thị",
    sessions: int = 8,
    first_session: datetime | None = None,
    attended: int = 2,
    notes: str = SAMPLE_NOTES,
    page_size: PageSize | None = None,
    practitioner_name: str = "Mei Lin Chen",
    library: HomecareLibrary | None = None,
) -> SeededPlan:
    """Write a patient with a course of ``sessions`` weekly-twice bookings and a plan for it."""
    library = library or load_library()
    patient = create_patient(
        db,
        PatientInput(given_name, family_name, date(1968, 5, 14), phone="780-555-0199"),
        today=now.date(),
    )
    with db.write() as s:
        if page_size is not None:
            settings = s.get(ClinicSettings, 1)
            assert settings is not None
            settings.page_size = page_size.value
        tz: ZoneInfo = load_clinic(s).tz
        pract = Practitioner(
            display_name=practitioner_name, credentials="R.Ac.", discipline="acupuncture"
        )
        room = Room(name=f"Room {patient.id}")
        s.add_all([pract, room])
        atype = s.query(AppointmentType).filter_by(name="Acupuncture treatment").one()
        start = first_session or datetime.combine(clinic_today(now, tz), time(16, 30), tz)
        s.flush()
        course = TreatmentCourse(
            patient_id=patient.id,
            practitioner_id=pract.id,
            appointment_type_id=atype.id,
            planned_sessions=sessions,
            frequency="twice_weekly",
            weekdays=[start.weekday(), (start.weekday() + 3) % 7],
            preferred_time=start.astimezone(tz).time().replace(tzinfo=None),
            start_date=start.astimezone(tz).date(),
        )
        s.add(course)
        s.flush()
        appts = []
        for i in range(sessions):
            local = start.astimezone(tz) + timedelta(days=7 * (i // 2) + 3 * (i % 2))
            begin = datetime.combine(local.date(), local.time().replace(tzinfo=None), tz)
            appts.append(
                Appointment(
                    patient_id=patient.id,
                    practitioner_id=pract.id,
                    room_id=room.id,
                    appointment_type_id=atype.id,
                    course_id=course.id,
                    start_at=begin.astimezone(UTC),
                    end_at=(begin + timedelta(minutes=45)).astimezone(UTC),
                    status="completed" if i < attended else "booked",
                )
            )
        s.add_all(appts)
        s.flush()
        ids = (patient.id, pract.id, course.id, tuple(a.id for a in appts))
    plan = create_plan(
        db, sample_input(ids[0], ids[1], ids[2], library, notes), now=now, library=library
    )
    return SeededPlan(ids[0], ids[1], ids[2], ids[3], plan)
