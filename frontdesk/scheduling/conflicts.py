"""Overlap queries that stay fast on half a million appointments.

An overlap test ``start_at < :end AND end_at > :start`` alone cannot use an index on
``start_at`` from both sides. Every appointment type lasts at most ``MAX_MINUTES`` (a CHECK on
``appointment_types``; bookings always take the type's duration), so an overlapping appointment
also has ``start_at > :start - MAX_MINUTES``: a bounded range scan of the
``(practitioner_id, start_at)``, ``(room_id, start_at)`` or ``(patient_id, start_at)`` index.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime, timedelta, tzinfo
from operator import itemgetter

from sqlalchemy import ColumnElement, bindparam, exists, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from frontdesk.db.models import Appointment, Patient, Practitioner, Room
from frontdesk.domain import AppointmentStatus, BookingConflict
from frontdesk.scheduling.views import load_view
from frontdesk.timefmt import fmt_span_on

MAX_MINUTES = 480
MAX_LENGTH = timedelta(minutes=MAX_MINUTES)
Span = tuple[datetime, datetime]
Busy = tuple[datetime, datetime, int]  # start, end, appointment id
Column = InstrumentedAttribute[int] | InstrumentedAttribute[int | None]


def _window(column: Column | None) -> tuple[ColumnElement[bool], ...]:
    """Active appointments (of ``:key``) overlapping ``[:start, :end)``, every value bound."""
    return (
        *(() if column is None else (column == bindparam("key"),)),
        Appointment.start_at < bindparam("end"),
        Appointment.start_at > bindparam("floor"),
        Appointment.end_at > bindparam("start"),
        *(Appointment.status != s.value for s in AppointmentStatus if not s.is_active),
    )


# Built once: every call only binds values, so SQLAlchemy reuses the compiled SQL.
_COLUMNS: dict[str, Column] = {
    "practitioner": Appointment.practitioner_id,
    "room": Appointment.room_id,
    "patient": Appointment.patient_id,
}
_FIRST = {
    kind: select(Appointment.id).where(*_window(col)).order_by(Appointment.start_at).limit(1)
    for kind, col in _COLUMNS.items()
}
_FIRST_EXCLUDING = {
    kind: stmt.where(Appointment.id.not_in(bindparam("exclude", expanding=True)))
    for kind, stmt in _FIRST.items()
}
_BUSY = {
    kind: select(Appointment.start_at, Appointment.end_at, Appointment.id).where(*_window(col))
    for kind, col in _COLUMNS.items()
}


# The same window for several practitioners (or rooms) at once: ``column IN (...)`` on the
# leading column of its ``(column, start_at)`` index, so only the asked parties' rows are read.
_BUSY_OF = {
    kind: select(col, Appointment.start_at, Appointment.end_at, Appointment.id).where(
        col.in_(bindparam("keys", expanding=True)), *_window(None)
    )
    for kind, col in _COLUMNS.items()
}


def _params(key: int, start: datetime, end: datetime) -> dict[str, object]:
    return {"key": key, "start": start, "end": end, "floor": start - MAX_LENGTH}


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
    for kind, value in (
        ("practitioner", practitioner_id),
        ("room", room_id),
        ("patient", patient_id),
    ):
        if value is None:
            continue
        params = _params(value, start, end)
        if exclude:
            params["exclude"] = list(exclude)
        clash_id = session.scalar((_FIRST_EXCLUDING if exclude else _FIRST)[kind], params)
        if clash_id is not None:
            message = clash_message(session, kind, clash_id, tz)
            short = {
                "practitioner": "practitioner busy",
                "room": "room in use",
                "patient": "patient booked then",
            }[kind]
            return BookingConflict(message, clash_id=clash_id, field="start", short=short)
    return None


def clash_message(session: Session, kind: str, clash_id: int, tz: tzinfo) -> str:
    """Say who holds the time, from the point of view of the shared party."""
    other = load_view(session, clash_id)
    span = fmt_span_on(other.start, other.end, tz)
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
    kind: str,
    values: Iterable[int],
    start: datetime,
    end: datetime,
) -> dict[int, list[Busy]]:
    """Active appointments per practitioner/room/patient id (``kind``) touching ``[start, end)``.

    One prepared query per id: each is an index range scan, and the compiled SQL is reused.
    """
    found: dict[int, list[Busy]] = defaultdict(list)
    for key in values:
        rows = session.execute(_BUSY[kind], _params(key, start, end)).all()
        found[key] = sorted((a, b, appt_id) for a, b, appt_id in rows)
    return found


def busy_of(
    session: Session, kind: str, keys: Collection[int], start: datetime, end: datetime
) -> dict[int, list[Busy]]:
    """Active appointments touching ``[start, end)`` of each practitioner/room/patient id in
    ``keys`` (``kind``), sorted by start: one query reading only those parties' rows."""
    found: dict[int, list[Busy]] = defaultdict(list)
    if not keys:
        return found
    params = {**_params(0, start, end), "keys": list(keys)}
    for key, a, b, appt_id in session.execute(_BUSY_OF[kind], params):
        if key is not None:  # a room-less visit never matches a room id asked for
            found[key].append((a, b, appt_id))
    for spans in found.values():
        spans.sort()
    return found


def first_overlap(spans: Sequence[Busy], start: datetime, end: datetime) -> int | None:
    """The appointment id of a span overlapping ``[start, end)``, or None.

    ``spans`` must be sorted by start: a binary search finds the spans starting before ``end``
    and only those within the longest appointment's length of ``start`` are looked at.
    """
    i = bisect_left(spans, end, key=itemgetter(0))
    floor = start - MAX_LENGTH
    while i > 0:
        i -= 1
        a, b, appt_id = spans[i]
        if a <= floor:
            break
        if b > start:
            return appt_id
    return None


def active_room_ids(session: Session) -> list[int]:
    """Rooms that can be booked, in a stable order (first free one wins)."""
    return list(session.scalars(select(Room.id).where(Room.active.is_(True)).order_by(Room.id)))


def room_needed(session: Session, needs_room: bool) -> bool:
    """Whether a booking of a type marked "needs a room" must take one.

    Only once the clinic has a room to give: a new clinic (or one that works without
    treatment rooms) books every type, built-in ones included, without a room.
    """
    return needs_room and bool(session.scalar(select(exists().where(Room.active.is_(True)))))


def first_free_room(
    session: Session, room_ids: list[int], start: datetime, end: datetime
) -> int | None:
    """The first of ``room_ids`` with no active appointment overlapping ``[start, end)``."""
    for room_id in room_ids:
        if session.scalar(_FIRST["room"], _params(room_id, start, end)) is None:
            return room_id
    return None
