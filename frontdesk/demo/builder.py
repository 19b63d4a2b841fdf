"""A deterministic demo clinic: the same seed always writes the same clinic.

Used by ``frontdesk --demo`` / ``frontdesk build-demo``, screenshots, and the benchmarks, which
ask for 100,000 patients and 500,000 appointments. To make that take well under three minutes,
rows are generated as plain dicts with explicit ids and written with bulk inserts in chunks,
in one transaction (all or nothing), instead of going through the booking services one at a
time; the appointments are laid on a grid that cannot clash (see ``appointments``). The rules
are still the services' own: which days the clinic is shut comes from the scheduling
``Calendar`` (opening hours, closures, the province's holidays), and patient search tokens are
computed by the patient service's function, so demo patients are found exactly like patients
typed in at the desk.
"""

from __future__ import annotations

import math
import random
import time as clock
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from frontdesk.accounts.passwords import hash_password
from frontdesk.clinic import ClinicInfo, clinic_today, load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Appointment,
    AppointmentType,
    ClinicSettings,
    Closure,
    Invoice,
    OutcomeResponse,
    Patient,
    PatientSearchToken,
    Payment,
    PlanRevision,
    Practitioner,
    PractitionerBreak,
    Room,
    SessionNote,
    StaffAccount,
    TreatmentCourse,
    TreatmentPlan,
    WorkingHours,
)
from frontdesk.demo.activity import desk_morning
from frontdesk.demo.appointments import (
    EARLIEST_DAY,
    AppointmentWriter,
    Grid,
    appointment_chunks,
)
from frontdesk.demo.billing import write_billing
from frontdesk.demo.billing_corrections import renumber_in_issue_order, write_billing_corrections
from frontdesk.demo.clinical import course_row, draft_courses, note_rows, plan_rows
from frontdesk.demo.dayend import write_corrections
from frontdesk.demo.intake import write_intakes
from frontdesk.demo.needling import write_needling
from frontdesk.demo.outbox import write_outbox
from frontdesk.demo.outcomes import outcome_rows
from frontdesk.demo.packages import cancel_one_package, write_packages
from frontdesk.demo.people import PatientPool, PeopleFactory, patient_chunks, patient_row
from frontdesk.demo.staff import DEMO_ACCOUNTS, DEMO_PASSWORD, room_names, staff_for
from frontdesk.demo.waitlist import write_waitlist
from frontdesk.domain import Discipline, FrontdeskError, Role, ValidationError
from frontdesk.patients.rows import token_rows
from frontdesk.plans.library import load_library
from frontdesk.scheduling.availability import Calendar

# Bump when the generator's output changes, so cached benchmark databases are rebuilt.
DEMO_VERSION = 13  # 3: the demo's morning at the desks in the audit trail; 4: a year of billing;
# 5: a wait list; 6: course packages; 7: outcome questionnaires; 8: intakes and signed consents;
# 9: acupuncture points and needles in the session notes, prescriptions, adverse events;
# 10: a few waived fees (voids) and refunded credit, for the day sheet (money);
# 11: voids with reissues, refunds and credit on account in the last two months;
# 12: email consent for most patients and a few days of the outbox;
# 13: 1,000 patients and a past spread over 13 months, so the reports show a year
CLINIC = {
    "name": "Aspen Ravine Wellness Clinic",
    "address": "8815 92 Street NW\nEdmonton, AB  T6C 3P9",
    "phone": "+17805550142",
    "email": "frontdesk@aspenravine.example",
    "closed_optional_holidays": ["boxing_day"],
}
# A year at three practitioners is about 5,500 visits: 1,000 patients at six visits each
# fill it at a realistic pace (the past spreads over 13 months, see ``appointments``).
DEMO_PATIENTS = 1000
APPOINTMENTS_PER_PATIENT = 6
MAX_PATIENTS = 1_000_000  # ten times the benchmarks' clinic
APPOINTMENTS_PER_PRACTITIONER = 50_000
_ID_TABLES = (
    Patient,
    Practitioner,
    Room,
    TreatmentCourse,
    Appointment,
    TreatmentPlan,
    PlanRevision,
    SessionNote,
    WorkingHours,
    PractitionerBreak,
    Closure,
    Invoice,
    Payment,
)


@dataclass(frozen=True)
class DemoSummary:
    """What ``build_demo`` wrote, and how long it took."""

    clinic_name: str
    practitioners: int
    rooms: int
    patients: int
    appointments: int
    courses: int
    plans: int
    session_notes: int
    today: date
    seconds: float
    invoices: int = 0

    def __str__(self) -> str:
        return (
            f"{self.clinic_name}: {self.patients} patients, {self.appointments} appointments, "
            f"{self.practitioners} practitioners, {self.rooms} rooms, {self.courses} courses, "
            f"{self.plans} plans, {self.session_notes} session notes, {self.invoices} invoices "
            f"around {self.today} "
            f"(built in {self.seconds:.1f} s)"
        )


def _refuse_if_not_empty(session: Session) -> None:
    for model in (Patient, Practitioner, Appointment):
        if session.scalar(select(model.id).limit(1)) is not None:
            raise FrontdeskError(
                "This database already holds patients, staff or appointments. The demo clinic "
                "is only built into an empty database, so nothing was changed."
            )


def _bulk(session: Session, model: type, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(model), rows)


def _write_staff(session: Session, staff: list[Any], rooms: list[str]) -> None:
    _bulk(
        session,
        Practitioner,
        [
            {
                "id": m.id,
                "display_name": m.display_name,
                "credentials": m.credentials,
                "discipline": m.discipline.value,
                "colour": m.colour,
                "active": True,
            }
            for m in staff
        ],
    )
    hours, breaks = [], []
    for m in staff:
        for weekday, (starts, ends, lunch) in sorted(m.pattern.items()):
            hours.append(
                {"practitioner_id": m.id, "weekday": weekday, "starts_at": starts, "ends_at": ends}
            )
            if lunch:
                breaks.append(
                    {
                        "practitioner_id": m.id,
                        "weekday": weekday,
                        "label": "Lunch",
                        "starts_at": lunch[0],
                        "ends_at": lunch[1],
                    }
                )
    _bulk(session, WorkingHours, hours)
    _bulk(session, PractitionerBreak, breaks)
    _bulk(session, Room, [{"id": i + 1, "name": n, "active": True} for i, n in enumerate(rooms)])


def closed_days(session: Session, clinic: ClinicInfo, today: date) -> Callable[[date], bool]:
    """Whether the clinic is shut on a day, as the booking rules decide it (remembered per day).

    Asks the scheduling ``Calendar``, the object that refuses a booking at the desk: a weekday
    without opening hours, a closure in the database, or a holiday that closes the clinic.
    """
    calendar = Calendar(session, clinic, EARLIEST_DAY, today + timedelta(days=366), [])
    answers: dict[date, bool] = {}

    def closed(day: date) -> bool:
        shut = answers.get(day)
        if shut is None:
            shut = calendar.opening(day) is None or calendar.closed.reason(day) is not None
            answers[day] = shut
        return shut

    return closed


def _training_day(today: date, closed: Callable[[date], bool]) -> date:
    """A weekday about two and a half weeks ahead, for a staff-training closure."""
    day = today + timedelta(days=17)
    while day.weekday() != 2 or closed(day):
        day += timedelta(days=1)
    return day


def _sync_sequences(session: Session) -> None:
    """Rows were written with explicit ids; PostgreSQL's sequences must catch up."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in _ID_TABLES:
        table = model.__table__.name  # type: ignore[attr-defined]
        column = model.id
        following = select(func.coalesce(func.max(column), 0) + 1).scalar_subquery()
        sequence = func.pg_get_serial_sequence(table, "id")
        session.execute(select(func.setval(sequence, following, False)))


def check_demo_size(patients: int, appointments: int | None) -> None:
    """Refuse a demo size the generator cannot build, before anything is opened or written.

    Raises ``ValidationError`` keyed by ``patients`` / ``appointments``, each message one
    sentence naming the option and the value given.
    """
    errors: dict[str, str] = {}
    if patients < 1:
        errors["patients"] = (
            f"--patients must be at least 1 (got {patients}): a demo clinic needs patients."
        )
    elif patients > MAX_PATIENTS:
        errors["patients"] = f"--patients can be at most {MAX_PATIENTS:,} (got {patients:,})."
    if appointments is not None and appointments < 0:
        errors["appointments"] = f"--appointments cannot be negative (got {appointments})."
    if errors:
        raise ValidationError(errors)


def build_demo(
    db: Database,
    *,
    patients: int = DEMO_PATIENTS,
    appointments: int | None = None,
    seed: int = 2026,
    today: date | None = None,
) -> DemoSummary:
    """Fill an empty clinic database with a realistic, reproducible demo clinic.

    ``appointments`` defaults to six per patient; practitioners grow with it (one per 50,000
    appointments, at least three) so the calendar has room. ``today`` is the day the
    appointments lie around (default: the clinic's current date); "now" is noon that day.
    Raises FrontdeskError, changing nothing, on a database that already has patients or staff,
    and ValidationError on a size ``check_demo_size`` refuses.
    """
    check_demo_size(patients, appointments)
    started = clock.perf_counter()
    rng = random.Random(seed)
    target = APPOINTMENTS_PER_PATIENT * patients if appointments is None else appointments
    with db.write() as session:
        _refuse_if_not_empty(session)
        session.execute(update(ClinicSettings).where(ClinicSettings.id == 1).values(**CLINIC))
        clinic = load_clinic(session)
        tz = clinic.tz
        today = today or clinic_today(datetime.now(UTC), tz)
        now = datetime.combine(today, time(12), tz).astimezone(UTC)
        factory = PeopleFactory(rng, seed)
        staff = staff_for(
            max(3, math.ceil(target / APPOINTMENTS_PER_PRACTITIONER)),
            [f"{g} {f}" for g, f, _ in (factory.name() for _ in range(60))],
            clinic.opening_hours,
        )
        rooms = room_names(len(staff))
        _write_staff(session, staff, rooms)
        training = _training_day(today, closed_days(session, clinic, today))
        session.add(Closure(starts_on=training, ends_on=training, reason="Staff training day"))
        session.flush()
        closed = closed_days(session, clinic, today)

        pool = PatientPool()
        next_id = 1
        for chunk in patient_chunks(factory, patients, today, pool):
            rows, tokens = [], []
            for p in chunk:
                rows.append(patient_row(next_id, p, pool.archived[next_id - 1], today, rng))
                tokens.extend(token_rows(next_id, p))
                next_id += 1
            _bulk(session, Patient, rows)
            _bulk(session, PatientSearchToken, tokens)

        types = {
            t.name: (t.id, t.duration_minutes) for t in session.scalars(select(AppointmentType))
        }
        grid = Grid(staff, list(range(1, len(rooms) + 1)), closed, tz, pool, types)
        acupuncturists = sum(1 for m in staff if m.discipline is Discipline.ACUPUNCTURE)
        wanted = min(acupuncturists * 10, patients // 10, target // 20)
        courses = draft_courses(grid, rng, today, wanted)
        course_type = types["Acupuncture treatment"][0]
        _bulk(session, TreatmentCourse, [course_row(d, course_type, now) for d in courses])
        writer = AppointmentWriter(rng, tz, now)
        for rows in appointment_chunks(grid, writer, rng, today, target):
            _bulk(session, Appointment, rows)

        library = load_library()
        plans, revisions = [], []
        for d in courses:
            plan, revs = plan_rows(d, library, now, today, rng)
            plans.append(plan)
            revisions.extend(revs)
        _bulk(session, TreatmentPlan, plans)
        _bulk(session, PlanRevision, revisions)
        notes = note_rows(courses, writer.sessions, rng, now)
        _bulk(session, SessionNote, notes)
        _bulk(session, OutcomeResponse, outcome_rows(courses, writer.sessions, rng, tz))
        invoices = write_billing(session, rng, today, now, tz)
        write_waitlist(session, rng, today, now)
        write_needling(session, courses, writer.sessions, now, seed)
        corrections = write_billing_corrections(
            session, random.Random(seed * 31 + 17), today, now, tz
        )
        invoices += corrections["reissued"]
        _sync_sequences(session)
        write_packages(session, tz)  # through the ORM: after the sequences are set
        write_corrections(session, today, tz)  # after the sync: its rows take new ids
        renumber_in_issue_order(session)
        _write_demo_accounts(session, now)
        write_intakes(session, courses, library, rng, today, tz)
        write_outbox(session, now)
    desk_morning(db, today, now)
    cancel_one_package(db, now)
    return DemoSummary(
        clinic_name=str(CLINIC["name"]),
        practitioners=len(staff),
        rooms=len(rooms),
        patients=patients,
        appointments=writer.next_id - 1,
        courses=len(courses),
        plans=len(plans),
        session_notes=len(notes),
        today=today,
        seconds=clock.perf_counter() - started,
        invoices=invoices,
    )


def _write_demo_accounts(session: Session, now: datetime) -> None:
    """One account per role, all with ``DEMO_PASSWORD``; the practitioner is the first
    acupuncturist, so their day and their patients' charts are full."""
    practitioner = session.scalar(
        select(Practitioner.id)
        .where(Practitioner.discipline == Discipline.ACUPUNCTURE.value)
        .order_by(Practitioner.id)
    )
    shared = hash_password(DEMO_PASSWORD)
    for username, display_name, role in DEMO_ACCOUNTS:
        taken = session.scalar(select(StaffAccount.id).where(StaffAccount.username == username))
        if taken is not None:
            continue
        session.add(
            StaffAccount(
                username=username,
                display_name=display_name,
                role=role.value,
                practitioner_id=practitioner if role is Role.PRACTITIONER else None,
                password_hash=shared,
                created_at=now,
            )
        )
