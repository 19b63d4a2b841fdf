"""First available: the earliest free slots for a type, for one practitioner or any suitable one.

Days are searched one at a time, each with range scans of the ``(practitioner_id, start_at)``
and ``(room_id, start_at)`` indexes for only the practitioners and rooms asked about, so a clinic
with free time answers from the first day's rows whatever the size of its history or staff;
closed days cost no query at all.
"""

from __future__ import annotations

import heapq
from datetime import datetime, timedelta
from itertools import islice

from sqlalchemy import select

from frontdesk.accounts.operation import operation
from frontdesk.clinic import load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import AppointmentType, Practitioner
from frontdesk.domain import BookingError, Discipline, TimeOfDay, ValidationError
from frontdesk.scheduling.availability import Calendar
from frontdesk.scheduling.conflicts import active_room_ids, busy_of
from frontdesk.scheduling.dto import Slot
from frontdesk.scheduling.localtime import day_bounds, to_local
from frontdesk.scheduling.rules import aware_utc
from frontdesk.scheduling.slots import SlotFinder

HORIZON_DAYS = 120


@operation("first_available")
def first_available(
    db: Database,
    type_id: int,
    *,
    start_from: datetime,
    count: int = 10,
    practitioner_id: int | None = None,
    discipline: Discipline | None = None,
    time_of_day: TimeOfDay = TimeOfDay.ANY,
    patient_id: int | None = None,
    room_id: int | None = None,
    horizon_days: int = HORIZON_DAYS,
) -> list[Slot]:
    """Up to ``count`` free slots from ``start_from``, earliest first (ties by practitioner).

    A slot is free for the practitioner, for a room when the type needs one (the first free
    room, or only ``room_id``), and for ``patient_id`` when given. Searches ``horizon_days``.
    """
    if count < 1:
        raise ValidationError.single("count", "Ask for at least one slot.")
    start_from = aware_utc(start_from, "start_from")
    with db.read() as s:
        kind = s.get(AppointmentType, type_id)
        if kind is None or not kind.active:
            raise BookingError("This appointment type is no longer offered.", field="type_id")
        stmt = select(Practitioner.id).where(Practitioner.active.is_(True))
        if practitioner_id is not None:
            stmt = stmt.where(Practitioner.id == practitioner_id)
        for wanted in (kind.discipline, discipline.value if discipline else None):
            if wanted:
                stmt = stmt.where(Practitioner.discipline == wanted)
        practitioners = list(s.scalars(stmt.order_by(Practitioner.id)))
        if not practitioners:
            return []
        rooms = [room_id] if room_id is not None else active_room_ids(s) if kind.needs_room else []
        clinic = load_clinic(s)
        first = to_local(start_from, clinic.tz).date()
        calendar = Calendar(
            s, clinic, first, first + timedelta(days=horizon_days - 1), practitioners
        )
        found: list[Slot] = []
        for offset in range(horizon_days):
            day = first + timedelta(days=offset)
            if calendar.opening(day) is None or calendar.closed.reason(day) is not None:
                continue  # closed: no query needed
            lo, hi = day_bounds(day, clinic.tz)
            # Only the practitioners, rooms and patient this search is about: never the rest
            # of the clinic's day.
            by_practitioner = busy_of(s, "practitioner", practitioners, lo, hi)
            by_room = busy_of(s, "room", rooms, lo, hi)
            patient_busy = (
                busy_of(s, "patient", [patient_id], lo, hi) if patient_id is not None else {}
            )
            finder = SlotFinder(
                calendar,
                timedelta(minutes=kind.duration_minutes),
                practitioner_busy=by_practitioner,
                room_busy=by_room,
                room_ids=rooms,
                needs_room=bool(rooms),  # no room in the clinic: none needed
                patient_busy=patient_busy.get(patient_id, []) if patient_id is not None else [],
            )
            # Each practitioner's slots come earliest first; merging them stops after the
            # ``count`` earliest of the day, so later times are never computed.
            merged = heapq.merge(
                *(
                    finder.day_slots(pid, day, not_before=start_from, time_of_day=time_of_day)
                    for pid in practitioners
                ),
                key=lambda sl: (sl.start, sl.practitioner_id),
            )
            found.extend(islice(merged, count - len(found)))
            if len(found) >= count:
                break
        return found
