"""Overlap queries that stay fast on half a million appointments.

An overlap test ``start_at < :end AND end_at > :start`` alone cannot use an index on
``start_at`` from both sides. Every appointment type lasts at most ``MAX_MINUTES`` (a CHECK on
``appointment_types``; bookings always take the type's duration), so an overlapping appointment
also has ``start_at > :start - MAX_MINUTES``: a bounded range scan of the
``(practitioner_id, start_at)``, ``(room_id, start_at)`` or ``(patient_id, start_at)`` index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import Select, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from frontdesk.db.models import Appointment, Patient, Practitioner, Room
from frontdesk.domain import ACTIVE_STATUSES, BookingConflict
from frontdesk.scheduling.localtime import fmt_span
from frontdesk.scheduling.views import load_view

MAX_MINUTES = 480
MAX_LENGTH = timedelta(minutes=MAX_MINUTES)
Span = tuple[datetime, datetime]
Busy = tuple[datetime, datetime, int]  # start, end, appointment id
Column = InstrumentedAttribute[int] | InstrumentedAttribute[int | None]


def _overlapping(
    column: Column,
    value: int,
    start: datetime,
    end: datetime,
    exclude: Collection[int],
) -> Select[tuple[int]]:
    stmt = select(Appointment.id).where(
        column == value,
        Appointment.start_at < end,
        Appointment.start_at > start - MAX_LENGTH,
        Appointment.end_at > start,
        Appointment.status.in_(ACTIVE_STATUSES),
    )
    if exclude:
        stmt = stmt.where(Appointment.id.not_in(exclude))
    return stmt.order_by(Appointment.start_at).limit(1)


def lock_parties(
    session: Session, practitioner_id: int, room_id: int | None, patient_id: int
) -> None:
    """On PostgreSQL, serialise bookings that share a practitioner, room or patient.

    SQLite's ``BEGIN IMMEDIATE`` already serialises every write transaction (and its dialect
    renders no ``FOR UPDATE``), so nothing is queried there.
    """
    if session.get_bind().dialect.name == "sqlite":
        return
    session.execute(
        select(Practitioner.id).where(Practitioner.id == practitioner_id).with_for_update()
    )
    if room_id is not None:
        session.execute(select(Room.id).where(Room.id == room_id).with_for_update())
    session.execute(select(Patient.id).where(Patient.id == patient_id).with_for_update())


def find_clash(
    session: Session,
    tz: tzinfo,
    *,
    start: datetime,
    end: datetime,
    practitioner_id: int,
    room_id: int | None,
    patient_id: int,
    exclude: Collection[int] = (),
) -> BookingConflict | None:
    """The first active appointment sharing the practitioner, room or patient, as an error."""
    checks: list[tuple[str, Column, int | None]] = [
        ("practitioner", Appointment.practitioner_id, practitioner_id),
        ("room", Appointment.room_id, room_id),
        ("patient", Appointment.patient_id, patient_id),
    ]
    for kind, column, value in checks:
        if value is None:
            continue
        clash_id = session.scalar(_overlapping(column, value, start, end, exclude))
        if clash_id is not None:
            message = clash_message(session, kind, clash_id, tz)
            return BookingConflict(message, clash_id=clash_id, field="start")
    return None


def clash_message(session: Session, kind: str, clash_id: int, tz: tzinfo) -> str:
    other = load_view(session, clash_id)
    span = fmt_span(other.start, other.end, tz)
    if kind == "practitioner":
        return (
            f"{other.practitioner_name} is already seeing {other.patient_name} "
            f"({other.type_name}) at {span}."
        )
    if kind == "room":
        return (
            f"{other.room_name} is already in use at {span} "
            f"({other.patient_name} with {other.practitioner_name})."
        )
    return (
        f"{other.patient_name} already has an appointment at {span} "
        f"({other.type_name} with {other.practitioner_name})."
    )


def busy_spans(
    session: Session,
    column: Column,
    values: Iterable[int],
    start: datetime,
    end: datetime,
) -> dict[int, list[Busy]]:
    """Active appointments per practitioner/room/patient id touching ``[start, end)``."""
    ids = list(values)
    found: dict[int, list[Busy]] = defaultdict(list)
    if not ids:
        return found
    rows = session.execute(
        select(column, Appointment.start_at, Appointment.end_at, Appointment.id).where(
            column.in_(ids),
            Appointment.start_at < end,
            Appointment.start_at > start - MAX_LENGTH,
            Appointment.end_at > start,
            Appointment.status.in_(ACTIVE_STATUSES),
        )
    ).all()
    for key, a, b, appt_id in rows:
        found[key].append((a, b, appt_id))  # type: ignore[index]
    for spans in found.values():
        spans.sort()
    return found


def first_overlap(spans: Iterable[Busy], start: datetime, end: datetime) -> int | None:
    """The appointment id of the first span overlapping ``[start, end)``, or None."""
    for a, b, appt_id in spans:
        if a < end and start < b:
            return appt_id
    return None


def active_room_ids(session: Session) -> list[int]:
    return list(session.scalars(select(Room.id).where(Room.active.is_(True)).order_by(Room.id)))


def first_free_room(
    session: Session, room_ids: list[int], start: datetime, end: datetime
) -> int | None:
    """The first of ``room_ids`` with no active appointment overlapping ``[start, end)``."""
    busy = busy_spans(session, Appointment.room_id, room_ids, start, end)
    return next((r for r in room_ids if not busy.get(r)), None)
