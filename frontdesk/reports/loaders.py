"""Reading what the appointment card and the day sheet print, straight from the tables.

Kept apart from the layout modules so those stay pure functions of their DTOs. These queries
read the appointment tables directly (not through the scheduling service) because a printout
only needs a consistent snapshot of what is booked, in the clinic's local time; the local day's
bounds and the course numbering come from scheduling, so paper and screen always agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.accounts.operation import by_patient, operation
from frontdesk.clinic import ClinicInfo, clinic_today, load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Appointment,
    AppointmentType,
    Patient,
    Practitioner,
    Room,
    TreatmentCourse,
)
from frontdesk.domain import ACTIVE_STATUSES, AppointmentStatus, NotFound
from frontdesk.names import display_name
from frontdesk.phones import format_phone
from frontdesk.scheduling.localtime import day_bounds
from frontdesk.scheduling.views import course_positions

CANCELLED = AppointmentStatus.CANCELLED.value
CARD_LIMIT = 12


@dataclass(frozen=True)
class CardAppointment:
    """One upcoming visit as the patient's card shows it (local times)."""

    starts_local: datetime
    ends_local: datetime
    practitioner_name: str
    type_name: str
    room_name: str


@dataclass(frozen=True)
class AppointmentCardData:
    """A patient's next appointments, for the card handed over at the desk."""

    clinic: ClinicInfo
    patient_name: str
    appointments: tuple[CardAppointment, ...]
    printed_on: date


@dataclass(frozen=True)
class DaySheetRow:
    """One appointment on a practitioner's day; ``course_progress`` reads "3 of 8"."""

    starts_local: datetime
    ends_local: datetime
    patient_name: str
    patient_phone: str
    type_name: str
    room_name: str
    course_progress: str
    status: AppointmentStatus
    notes: str


@dataclass(frozen=True)
class DaySheetData:
    """A practitioner's appointments for one local day, in time order."""

    clinic: ClinicInfo
    practitioner_name: str
    day: date
    rows: tuple[DaySheetRow, ...]
    printed_at: datetime  # local time of printing


@operation("load_appointment_card", patient=by_patient)
def load_appointment_card(
    db: Database, patient_id: int, *, now: datetime, limit: int = CARD_LIMIT
) -> AppointmentCardData:
    """The patient's next active appointments from ``now`` (at most ``limit``)."""
    with db.read() as s:
        patient = s.get(Patient, patient_id)
        if patient is None:
            raise NotFound("This patient no longer exists.")
        clinic = load_clinic(s)
        stmt = (
            select(Appointment, Practitioner.display_name, AppointmentType.name, Room.name)
            .join(Practitioner, Practitioner.id == Appointment.practitioner_id)
            .join(AppointmentType, AppointmentType.id == Appointment.appointment_type_id)
            .outerjoin(Room, Room.id == Appointment.room_id)
            .where(
                Appointment.patient_id == patient_id,
                Appointment.start_at >= now,
                Appointment.status.in_(ACTIVE_STATUSES),
            )
            .order_by(Appointment.start_at, Appointment.id)
            .limit(limit)
        )
        tz = clinic.tz
        appointments = tuple(
            CardAppointment(
                a.start_at.astimezone(tz), a.end_at.astimezone(tz), who, kind, room or ""
            )
            for a, who, kind, room in s.execute(stmt)
        )
        return AppointmentCardData(
            clinic=clinic,
            patient_name=display_name(
                patient.given_name, patient.family_name, patient.preferred_name
            ),
            appointments=appointments,
            printed_on=clinic_today(now, tz),
        )


@operation("load_day_sheet")
def load_day_sheet(db: Database, practitioner_id: int, day: date, *, now: datetime) -> DaySheetData:
    """One practitioner's day (cancelled visits left out, no-shows kept and marked)."""
    with db.read() as s:
        practitioner = s.get(Practitioner, practitioner_id)
        if practitioner is None:
            raise NotFound("This practitioner no longer exists.")
        clinic = load_clinic(s)
        rows = _day_rows(s, clinic, day, [practitioner_id])[practitioner_id]
        return DaySheetData(
            clinic, practitioner.display_name, day, tuple(rows), now.astimezone(clinic.tz)
        )


@operation("load_day_sheets")
def load_day_sheets(db: Database, day: date, *, now: datetime) -> list[DaySheetData]:
    """A sheet for every practitioner with appointments that day, by name: the morning print."""
    with db.read() as s:
        clinic = load_clinic(s)
        practitioners = list(s.scalars(select(Practitioner).order_by(Practitioner.display_name)))
        by_id = _day_rows(s, clinic, day, [p.id for p in practitioners])
        printed = now.astimezone(clinic.tz)
        return [
            DaySheetData(clinic, p.display_name, day, tuple(by_id[p.id]), printed)
            for p in practitioners
            if by_id[p.id]
        ]


def _day_rows(
    s: Session, clinic: ClinicInfo, day: date, practitioner_ids: list[int]
) -> dict[int, list[DaySheetRow]]:
    start, end = day_bounds(day, clinic.tz)
    stmt = (
        select(
            Appointment, Patient, AppointmentType.name, Room.name, TreatmentCourse.planned_sessions
        )
        .join(Patient, Patient.id == Appointment.patient_id)
        .join(AppointmentType, AppointmentType.id == Appointment.appointment_type_id)
        .outerjoin(Room, Room.id == Appointment.room_id)
        .outerjoin(TreatmentCourse, TreatmentCourse.id == Appointment.course_id)
        .where(
            Appointment.practitioner_id.in_(practitioner_ids),
            Appointment.start_at >= start,
            Appointment.start_at < end,
            Appointment.status != CANCELLED,
        )
        .order_by(Appointment.start_at, Appointment.id)
    )
    found = list(s.execute(stmt))
    positions = course_positions(s, {a.course_id for a, *_ in found if a.course_id})
    tz = clinic.tz
    out: dict[int, list[DaySheetRow]] = defaultdict(list)
    for appt, patient, type_name, room, planned in found:
        place = positions.get(appt.id)
        out[appt.practitioner_id].append(
            DaySheetRow(
                starts_local=appt.start_at.astimezone(tz),
                ends_local=appt.end_at.astimezone(tz),
                patient_name=display_name(
                    patient.given_name, patient.family_name, patient.preferred_name
                ),
                patient_phone=format_phone(patient.phone),
                type_name=type_name,
                room_name=room or "",
                course_progress=f"{place} of {planned}" if place and planned else "",
                status=AppointmentStatus(appt.status),
                notes=appt.notes or "",
            )
        )
    return out
