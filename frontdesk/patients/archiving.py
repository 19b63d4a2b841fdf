"""Archive and restore patients, refusing while visits are still booked ahead.

An archived patient drops out of searches and the booking dialog, so a visit still on the
calendar could no longer be found, moved or restored through them. Archiving is therefore
refused while any active appointment lies ahead; the refusal carries those appointments so the
front desk can cancel them first (through the scheduling service) and then archive.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment
from frontdesk.domain import AppointmentStatus, BookingError
from frontdesk.names import listing_name
from frontdesk.patients.rows import record_from_row
from frontdesk.patients.service import lock_patient
from frontdesk.patients.types import PatientRecord
from frontdesk.scheduling import AppointmentView, patient_appointments
from frontdesk.scheduling.rules import aware_utc

# Booked or checked in: the statuses that still hold a place on the calendar and need a patient.
_PENDING = (AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN)


class PatientStillBooked(BookingError):
    """Archiving refused: ``count`` active appointments lie ahead, listed in ``appointments``."""

    def __init__(
        self, message: str, *, count: int, appointments: tuple[AppointmentView, ...]
    ) -> None:
        self.count = count
        self.appointments = appointments
        super().__init__(message)


def _pending_count(session: Session, patient_id: int, now: datetime) -> int:
    return int(session.scalar(
        select(func.count(Appointment.id)).where(
            Appointment.patient_id == patient_id,
            Appointment.end_at > now,
            Appointment.status.in_([s.value for s in _PENDING]),
        )
    ) or 0)


def upcoming_appointments(db: Database, patient_id: int, *, now: datetime) -> list[AppointmentView]:
    """The patient's booked or checked-in appointments not yet over at ``now``, soonest first."""
    now = aware_utc(now, "now")
    ahead = [a for a in patient_appointments(db, patient_id)
             if a.status in _PENDING and a.end > now]
    return sorted(ahead, key=lambda a: (a.start, a.id))


def archive_patient(db: Database, patient_id: int, *, now: datetime) -> PatientRecord:
    """Hide a patient from the list and searches; their history stays.

    Raises ``PatientStillBooked`` (nothing changed) while booked or checked-in appointments are
    still ahead of ``now``, and NotFound when the patient is gone.
    """
    now = aware_utc(now, "now")
    with db.write() as session:
        patient = lock_patient(session, patient_id)
        name = listing_name(patient.given_name, patient.family_name, patient.preferred_name)
        count = 0 if patient.archived else _pending_count(session, patient_id, now)
        if not count:
            patient.archived = True
            session.flush()
            return record_from_row(patient)
    ahead = tuple(upcoming_appointments(db, patient_id, now=now))
    noun = "appointment" if count == 1 else "appointments"
    raise PatientStillBooked(
        f"{name} still has {count} booked {noun} from now on. Archived patients cannot be "
        f"found to move or restore a visit, so cancel {'it' if count == 1 else 'them'} first.",
        count=count,
        appointments=ahead,
    )


def restore_patient(db: Database, patient_id: int) -> PatientRecord:
    """Bring an archived patient back into the list."""
    with db.write() as session:
        patient = lock_patient(session, patient_id)
        if patient.archived:
            patient.archived = False
            session.flush()
        return record_from_row(patient)
