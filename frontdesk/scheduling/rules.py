"""The rules one appointment time must pass, shared by booking, moving, restoring and courses.

``validate`` raises the first broken rule as a ``BookingError`` (or ``BookingConflict`` naming the
clashing appointment). ``checked_write`` runs a check in a read session and then again inside the
write transaction that applies the change: a conflict that only appears the second time was
created by another workstation in between, and is reported as ``SlotTaken``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from frontdesk.clinic import ClinicInfo, load_clinic
from frontdesk.db.engine import Database, WriteConflict
from frontdesk.db.models import Appointment, AppointmentType, Patient, Practitioner, Room
from frontdesk.domain import (
    BookingConflict,
    BookingError,
    Discipline,
    SlotTaken,
    StaleRecord,
    ValidationError,
)
from frontdesk.names import display_name
from frontdesk.scheduling.availability import Calendar
from frontdesk.scheduling.conflicts import find_clash, lock_parties, room_needed
from frontdesk.scheduling.localtime import UTC, to_local
from frontdesk.scheduling.notices import install as install_booking_notices
from frontdesk.timefmt import fmt_span_on

# Every module that changes appointments imports this one: from then on each booking change
# writes its patient emails to the outbox in its own transaction (``scheduling.notices``).
install_booking_notices()

T = TypeVar("T")
R = TypeVar("R")


def aware_utc(value: datetime, field: str = "start") -> datetime:
    """An aware instant in UTC; a naive datetime is a caller's bug, refused per field."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError.single(field, "The time has no time zone; give an aware datetime.")
    return value.astimezone(UTC)


def gives_treatment(type_discipline: str | None, practitioner_discipline: str) -> bool:
    """Whether a practitioner of one discipline gives a type limited to ``type_discipline``."""
    return not type_discipline or type_discipline == practitioner_discipline


@dataclass(frozen=True)
class Parties:
    """Who and what an appointment involves, checked to be bookable."""

    patient_name: str
    practitioner_name: str
    duration: timedelta
    room_id: int | None


def check_parties(
    session: Session,
    patient_id: int,
    practitioner_id: int,
    type_id: int,
    room_id: int | None,
    *,
    room_chosen_later: bool = False,
) -> Parties:
    """Refuse an archived patient, an inactive practitioner, type or room, or a missing room.

    ``room_chosen_later`` lets a course plan leave the room open (each session takes a free one).
    """
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise BookingError("This patient no longer exists.", field="patient_id")
    name = display_name(patient.given_name, patient.family_name, patient.preferred_name)
    if patient.archived:
        raise BookingError(
            f"{name}'s record is archived; restore it before booking.", field="patient_id"
        )
    practitioner = session.get(Practitioner, practitioner_id)
    if practitioner is None:
        raise BookingError("This practitioner no longer exists.", field="practitioner_id")
    if not practitioner.active:
        raise BookingError(
            f"{practitioner.display_name} is no longer active and cannot be booked.",
            field="practitioner_id",
        )
    kind = session.get(AppointmentType, type_id)
    if kind is None or not kind.active:
        raise BookingError("This appointment type is no longer offered.", field="type_id")
    if not gives_treatment(kind.discipline, practitioner.discipline):
        raise BookingError(
            f"{kind.name} is given by {Discipline(kind.discipline).label.lower()} practitioners; "
            f"{practitioner.display_name} practises {practitioner.discipline}.",
            field="type_id",
        )
    if room_id is not None:
        room = session.get(Room, room_id)
        if room is None or not room.active:
            raise BookingError("This room is no longer in use; choose another.", field="room_id")
    elif not room_chosen_later and room_needed(session, kind.needs_room):
        raise BookingError(f"{kind.name} needs a room; choose one.", field="room_id")
    duration = timedelta(minutes=kind.duration_minutes)
    return Parties(name, practitioner.display_name, duration, room_id)


def validate(
    session: Session,
    *,
    patient_id: int,
    practitioner_id: int,
    type_id: int,
    room_id: int | None,
    start: datetime,
    now: datetime,
    back_entered: bool = False,
    exclude: Collection[int] = (),
    clinic: ClinicInfo | None = None,
    calendar: Calendar | None = None,
    room_chosen_later: bool = False,
) -> tuple[datetime, datetime]:
    """Check every rule for one appointment time; returns its UTC (start, end).

    ``room_chosen_later`` checks everything but the room (a course session whose room is
    picked from whichever is free).
    """
    start = aware_utc(start)
    lock_parties(session, practitioner_id, room_id, patient_id)
    parties = check_parties(
        session,
        patient_id,
        practitioner_id,
        type_id,
        room_id,
        room_chosen_later=room_chosen_later,
    )
    end = start + parties.duration
    clinic = clinic or load_clinic(session)
    if not back_entered and start < aware_utc(now, "now"):
        raise BookingError(
            f"{fmt_span_on(start, end, clinic.tz)} is in the past; mark the booking as back-entered "
            "to record an appointment that already happened.",
            field="start",
            short="in the past",
        )
    if calendar is None:
        day = to_local(start, clinic.tz).date()
        calendar = Calendar(session, clinic, day, day, [practitioner_id])
    calendar.check(practitioner_id, start, end)
    clash = find_clash(
        session,
        clinic.tz,
        start=start,
        end=end,
        practitioner_id=practitioner_id,
        room_id=room_id,
        patient_id=patient_id,
        exclude=exclude,
    )
    if clash is not None:
        raise clash
    return start, end


def validate_in_place(session: Session, row: Appointment, now: datetime) -> None:
    """Check a freed appointment may hold its own time again (every rule but the past).

    Booking a cancelled visit back, or undoing a no-show, puts the appointment back where it
    was; whether that time is still free is the same check wherever it is asked.
    """
    validate(
        session,
        patient_id=row.patient_id,
        practitioner_id=row.practitioner_id,
        type_id=row.appointment_type_id,
        room_id=row.room_id,
        start=row.start_at,
        now=now,
        back_entered=True,
        exclude=(row.id,),
    )


def precheck_clash(
    session: Session,
    *,
    patient_id: int,
    practitioner_id: int,
    type_id: int,
    room_id: int | None,
    start: datetime,
    exclude: Collection[int] = (),
) -> None:
    """Only the overlap part of ``validate``: enough to tell a race from an ordinary clash."""
    kind = session.get(AppointmentType, type_id)
    if kind is None:
        return  # validate() in the write transaction says what is wrong
    start = aware_utc(start)
    clash = find_clash(
        session,
        load_clinic(session).tz,
        start=start,
        end=start + timedelta(minutes=kind.duration_minutes),
        practitioner_id=practitioner_id,
        room_id=room_id,
        patient_id=patient_id,
        exclude=exclude,
    )
    if clash is not None:
        raise clash


def checked_write(
    db: Database,
    check: Callable[[Session], T],
    apply: Callable[[Session, T], R],
    *,
    precheck: Callable[[Session], object] | None = None,
) -> R:
    """Check outside the write lock, then check and apply in one write transaction.

    ``precheck`` (default: ``check``) runs first in a read session; it must raise any
    ``BookingConflict`` that already exists, so one found only under the lock is a lost race.
    """
    with db.read() as s:
        (precheck or check)(s)
    try:
        try:
            return _write_checked(db, check, apply)
        except WriteConflict:
            # PostgreSQL cancelled one of two clashing inserts that waited for each other;
            # once more, the check sees the other desk's committed booking.
            return _write_checked(db, check, apply)
    except SlotTaken as exc:
        if exc.clash_id is not None:
            raise
        # The server's exclusion constraint refused an overlap the check under the lock did
        # not see: look again, now that the other booking is committed, to say whose it is.
        try:
            with db.read() as s:
                (precheck or check)(s)
        except BookingConflict as found:
            raise SlotTaken(
                f"This time was just taken at another workstation. {found}",
                clash_id=found.clash_id,
                field=found.field,
            ) from exc
        raise


def _write_checked(
    db: Database, check: Callable[[Session], T], apply: Callable[[Session, T], R]
) -> R:
    try:
        with db.write() as s:
            try:
                value = check(s)
            except SlotTaken:
                raise
            except BookingConflict as exc:
                raise SlotTaken(
                    f"This time was just taken at another workstation. {exc}",
                    clash_id=exc.clash_id,
                    field=exc.field,
                ) from exc
            return apply(s, value)
    except StaleDataError as exc:
        raise StaleRecord(
            "This appointment was changed at another workstation; reopen it and try again."
        ) from exc
