"""Where a course should start: who can give it, the next bookable time, and a steady slot.

Three rules the course wizard (and any other client) asks for before laying a course out:

* ``practitioners_for_type``: only practitioners whose discipline gives the treatment (the same
  rule ``check_parties`` enforces at booking, from ``rules.gives_treatment``);
* ``next_start``: the wanted start when it is still ahead and inside the practitioner's hours,
  else the next quarter hour that is (never a time in the past);
* ``steady_slots``: weekly courses held on one weekday at one time, every session free for the
  practitioner, the patient and a room, starting within a few weeks, best first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from frontdesk.accounts.operation import operation
from frontdesk.clinic import load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import AppointmentType, Practitioner
from frontdesk.domain import Frequency
from frontdesk.scheduling.availability import Calendar
from frontdesk.scheduling.catalogue import practitioner_view
from frontdesk.scheduling.conflicts import active_room_ids, busy_spans
from frontdesk.scheduling.dto import CourseRequest, PractitionerView
from frontdesk.scheduling.localtime import day_bounds, to_local, to_utc
from frontdesk.scheduling.rules import aware_utc, gives_treatment
from frontdesk.scheduling.slots import SlotFinder, ceil_to_grid

START_HORIZON_DAYS = 60
STEADY_WEEKS = 4  # a steady slot must start within this many weeks of the wanted start
STEADY_COUNT = 3
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class SteadySlot:
    """One weekday and local time at which every session of a weekly course is free."""

    weekday: int  # Monday = 0
    at: time  # local wall-clock time
    first_date: date
    starts: tuple[datetime, ...]  # UTC instants of every session


@operation("practitioners_for_type")
def practitioners_for_type(db: Database, type_id: int | None) -> list[PractitionerView]:
    """Active practitioners who give the appointment type (all of them when it has no discipline)."""
    with db.read() as s:
        kind = s.get(AppointmentType, type_id) if type_id is not None else None
        rows = s.scalars(
            select(Practitioner)
            .where(Practitioner.active.is_(True))
            .order_by(Practitioner.display_name, Practitioner.id)
        )
        return [
            practitioner_view(p)
            for p in rows
            if kind is None or gives_treatment(kind.discipline, p.discipline)
        ]


@operation("next_start")
def next_start(
    db: Database, practitioner_id: int, *, wanted: datetime | None, now: datetime
) -> datetime:
    """``wanted`` if it is ahead and inside the practitioner's bookable hours, else the next
    quarter hour that is (searching ``START_HORIZON_DAYS``); with no hours at all, the next
    quarter hour from now."""
    now = aware_utc(now, "now")
    base = max(aware_utc(wanted, "wanted"), now) if wanted is not None else now
    with db.read() as s:
        clinic = load_clinic(s)
        first = to_local(base, clinic.tz).date()
        last = first + timedelta(days=START_HORIZON_DAYS)
        calendar = Calendar(s, clinic, first, last, [practitioner_id])
        if practitioner_id not in calendar.hours:
            return ceil_to_grid(base)
        day = first
        while day <= last:
            for a, b in calendar.free_windows(practitioner_id, day):
                start = ceil_to_grid(max(a, base))
                if start < b:
                    return start
            day += timedelta(days=1)
    return ceil_to_grid(base)


@operation("steady_slots")
def steady_slots(
    db: Database,
    req: CourseRequest,
    *,
    now: datetime,
    weeks: int = STEADY_WEEKS,
    count: int = STEADY_COUNT,
) -> list[SteadySlot]:
    """Up to ``count`` weekday-and-time pairs free for every session of a weekly course.

    Candidates start on or after ``req.start_date`` (and after ``now``), within ``weeks``
    weeks. Best first: the earliest first session, then the time nearest the preferred one;
    one per weekday and time. Other frequencies have no steady slot (an empty list).
    """
    if req.frequency is not Frequency.WEEKLY or req.sessions < 1:
        return []
    now = aware_utc(now, "now")
    with db.read() as s:
        kind = s.get(AppointmentType, req.type_id)
        practitioner = s.get(Practitioner, req.practitioner_id)
        if kind is None or practitioner is None or not practitioner.active:
            return []
        if not gives_treatment(kind.discipline, practitioner.discipline):
            return []
        clinic = load_clinic(s)
        tz = clinic.tz
        first = max(req.start_date, to_local(now, tz).date())
        window_end = first + timedelta(days=7 * weeks)
        last = window_end + WEEK * req.sessions
        calendar = Calendar(s, clinic, first, last, [req.practitioner_id])
        lo, hi = day_bounds(first, tz)[0], day_bounds(last + timedelta(days=1), tz)[0]
        if req.room_id is not None:
            rooms = [req.room_id]
        else:
            rooms = active_room_ids(s) if kind.needs_room else []
        finder = SlotFinder(
            calendar,
            timedelta(minutes=kind.duration_minutes),
            practitioner_busy=busy_spans(s, "practitioner", [req.practitioner_id], lo, hi),
            room_busy=busy_spans(s, "room", rooms, lo, hi),
            room_ids=rooms,
            needs_room=bool(rooms),  # no room in the clinic: none needed
            patient_busy=busy_spans(s, "patient", [req.patient_id], lo, hi).get(req.patient_id, []),
        )
        free: dict[date, set[datetime]] = {}

        def free_on(day: date) -> set[datetime]:
            if day not in free:
                free[day] = {
                    sl.start for sl in finder.day_slots(req.practitioner_id, day, not_before=now)
                }
            return free[day]

        found: list[SteadySlot] = []
        seen: set[tuple[int, time]] = set()
        day = first
        while day < window_end:
            for start in sorted(free_on(day)):
                at = to_local(start, tz).time()
                key = (day.weekday(), at)
                if key in seen:
                    continue
                starts = [start]
                for k in range(1, req.sessions):
                    later = day + k * WEEK
                    candidate = to_utc(later, at, tz)
                    if candidate not in free_on(later):
                        break
                    starts.append(candidate)
                if len(starts) == req.sessions:
                    seen.add(key)
                    found.append(SteadySlot(day.weekday(), at, day, tuple(starts)))
            day += timedelta(days=1)

    def minutes_off(slot: SteadySlot) -> int:
        wanted = req.preferred_time.hour * 60 + req.preferred_time.minute
        return abs(slot.at.hour * 60 + slot.at.minute - wanted)

    found.sort(key=lambda sl: (sl.first_date, minutes_off(sl), sl.at))
    best: list[SteadySlot] = []
    for slot in found:
        if len(best) == count:
            break
        # Variety: a second proposal on the same day only when it is a different half-day.
        if any(
            b.first_date == slot.first_date and (b.at.hour < 12) == (slot.at.hour < 12)
            for b in best
        ):
            continue
        best.append(slot)
    return best
