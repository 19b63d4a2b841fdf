"""Archive and restore patients, refusing while visits are still booked ahead.

An archived patient drops out of searches and the booking dialog, so a visit still on the
calendar could no longer be found, moved or restored through them. Archiving is therefore
refused while any active appointment lies ahead; the refusal carries those appointments, and
``cancel_visits_and_archive`` cancels exactly those and archives in one transaction, so the
front desk never ends up with some visits cancelled and the patient still on the list.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from frontdesk.accounts.operation import by_patient, operation
from frontdesk.clinic import load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment
from frontdesk.domain import AppointmentStatus, BookingError, InvalidTransition, StaleRecord
from frontdesk.names import listing_name
from frontdesk.patients.rows import record_from_row
from frontdesk.patients.service import lock_patient
from frontdesk.patients.types import PatientRecord
from frontdesk.scheduling import AppointmentView, patient_appointments
from frontdesk.scheduling.booking import check_restorable, mark_restored
from frontdesk.scheduling.rules import aware_utc
from frontdesk.scheduling.status import cancel_in_session, cancellation_reason
from frontdesk.scheduling.views import load_views
from frontdesk.timefmt import fmt_span_on

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


def _pending_ahead(patient_id: int, now: datetime) -> tuple[ColumnElement[bool], ...]:
    """The patient's appointments that still hold a place and are not over at ``now``."""
    return (
        Appointment.patient_id == patient_id,
        Appointment.end_at > now,
        Appointment.status.in_([s.value for s in _PENDING]),
    )


def _pending_count(session: Session, patient_id: int, now: datetime) -> int:
    return int(
        session.scalar(select(func.count(Appointment.id)).where(*_pending_ahead(patient_id, now)))
        or 0
    )


@operation("upcoming_appointments", patient=by_patient)
def upcoming_appointments(db: Database, patient_id: int, *, now: datetime) -> list[AppointmentView]:
    """The patient's booked or checked-in appointments not yet over at ``now``, soonest first."""
    now = aware_utc(now, "now")
    ahead = [
        a for a in patient_appointments(db, patient_id) if a.status in _PENDING and a.end > now
    ]
    return sorted(ahead, key=lambda a: (a.start, a.id))


@operation("archive_patient")
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


@operation("cancel_visits_and_archive")
def cancel_visits_and_archive(
    db: Database,
    patient_id: int,
    reason: str,
    *,
    now: datetime,
    expected: Sequence[AppointmentView],
) -> PatientRecord:
    """Cancel the visits still booked ahead, with ``reason``, and archive: one transaction.

    ``expected`` is the list the front desk was shown and agreed to cancel (the appointments
    of a ``PatientStillBooked`` refusal). If the visits ahead are no longer exactly those, as
    they were (one booked, moved, cancelled or otherwise changed at another workstation in the
    meantime), nothing changes: ``PatientStillBooked`` is raised again with the visits as they
    now are, or ``StaleRecord`` when none remain. A visit that cannot be cancelled (checked in
    already) is named in an ``InvalidTransition``, and again nothing changes.
    """
    now = aware_utc(now, "now")
    reason = cancellation_reason(reason)
    shown = {a.id: a.version for a in expected}
    try:
        with db.write() as session:
            patient = lock_patient(session, patient_id)
            name = listing_name(patient.given_name, patient.family_name, patient.preferred_name)
            if patient.archived:
                return record_from_row(patient)
            rows = list(
                session.scalars(
                    select(Appointment)
                    .where(*_pending_ahead(patient_id, now))
                    .order_by(Appointment.start_at, Appointment.id)
                    .with_for_update()
                )
            )
            if {r.id: r.version for r in rows} != shown:
                raise _changed_meanwhile(session, name, patient_id, now)
            tz = load_clinic(session).tz
            for row in rows:
                what = f"The appointment at {fmt_span_on(row.start_at, row.end_at, tz)}"
                try:
                    cancel_in_session(row, reason, now, what=what)
                except InvalidTransition as exc:
                    raise InvalidTransition(
                        f"{exc} Nothing was cancelled and {name} was not archived."
                    ) from exc
            patient.archived = True
            session.flush()
            return record_from_row(patient)
    except StaleDataError as exc:
        raise StaleRecord(
            "An appointment was changed at another workstation; nothing was cancelled. "
            "Try archiving again."
        ) from exc


def _changed_meanwhile(
    session: Session, name: str, patient_id: int, now: datetime
) -> PatientStillBooked | StaleRecord:
    """The refusal when the visits ahead differ from those the front desk agreed to cancel."""
    ahead = tuple(load_views(session, *_pending_ahead(patient_id, now)))
    changed = (
        f"{name}'s appointments were changed at another workstation while you were "
        f"deciding, so nothing was cancelled and {name} was not archived."
    )
    if not ahead:
        return StaleRecord(f"{changed} No booked appointments remain: archive again.")
    now_ahead = (
        "This booked appointment is"
        if len(ahead) == 1
        else f"These {len(ahead)} booked appointments are"
    )
    return PatientStillBooked(
        f"{changed} {now_ahead} ahead now.", count=len(ahead), appointments=ahead
    )


@operation("restore_patient")
def restore_patient(
    db: Database, patient_id: int, *, visits: Sequence[int] = (), now: datetime | None = None
) -> PatientRecord:
    """Bring an archived patient back into the list.

    ``visits`` are appointments cancelled when the patient was archived (undoing
    ``cancel_visits_and_archive``): they are booked back in the same transaction, each checked
    against every booking rule as of ``now``. If any of them can no longer be booked back (its
    time was taken meanwhile, a colleague changed it), nothing changes.
    """
    with db.write() as session:
        patient = lock_patient(session, patient_id)
        if patient.archived:
            patient.archived = False
            session.flush()
        if visits:
            if now is None:
                raise ValueError("now is needed to book visits back")
            _book_back(session, patient_id, visits, aware_utc(now, "now"))
        return record_from_row(patient)


def _book_back(session: Session, patient_id: int, visits: Sequence[int], now: datetime) -> None:
    patient = lock_patient(session, patient_id)
    name = listing_name(patient.given_name, patient.family_name, patient.preferred_name)
    rows = list(
        session.scalars(
            select(Appointment)
            .where(Appointment.id.in_(visits), Appointment.patient_id == patient_id)
            .order_by(Appointment.start_at, Appointment.id)
            .with_for_update()
        )
    )
    unchanged = f"Nothing was changed: {name} stays archived and no appointment was booked back."
    if len(rows) != len(set(visits)):
        raise StaleRecord(f"An appointment cancelled with the archiving is gone. {unchanged}")
    tz = load_clinic(session).tz
    for row in rows:
        try:
            check_restorable(session, row, now)
        except BookingError as exc:
            when = fmt_span_on(row.start_at, row.end_at, tz)
            raise BookingError(
                f"The appointment at {when} cannot be booked back: {exc} {unchanged}"
            ) from exc
        mark_restored(row, now)
    session.flush()
