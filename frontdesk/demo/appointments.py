"""The demo clinic's appointments, laid on a grid so they can never clash.

Each practitioner's working periods on an open day are walked from start to end; an
appointment is placed at the cursor and the cursor moves past it, so appointments of one
practitioner never overlap and never cross a break or the end of the day. On any day each
practitioner works in a room of their own (rooms rotate daily), so rooms cannot clash; and a
patient is booked at most once a day, so patients cannot either. Course sessions are reserved on
the grid first and the random bookings flow around them.

Today and the weeks ahead are filled first (thinning out with distance), then the past going
back until the number of appointments asked for is reached. The past is spread over at least
``HISTORY_DAYS`` when the number asked for allows it, so the reports have a year to show: each
past day's density is worked out from the appointments still to place and the working time left
back to that horizon (never busier than ``PAST_DENSITY``, never thinner than
``MIN_PAST_DENSITY``); the last ``RECENT_DAYS`` are filled at ``PAST_DENSITY``, like today.
A large clinic's budget outruns that year, so its past is filled at ``PAST_DENSITY`` all the
way back, as before. Statuses follow the clock: before ``now`` appointments are completed
(some cancelled or no-shows), the one in progress is checked in, later ones are booked (a few
cancelled).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from frontdesk.demo.people import PatientPool
from frontdesk.demo.staff import StaffMember
from frontdesk.domain import AppointmentStatus, Discipline

UTC = UTC
STEP = 15  # minutes; every start lies on this grid
FUTURE_DAYS = 56
FUTURE_SHARE = 0.3  # of the random bookings, at most, go to today and later
EARLIEST_DAY = date(1960, 1, 1)
CHUNK = 10_000
PAST_DENSITY = 0.85  # share of the grid's 15-minute steps that start a booking, at the busiest
MIN_PAST_DENSITY = 0.25  # a thinner past would leave the calendar's recent weeks looking empty
HISTORY_DAYS = 396  # about 13 months: the reports' year of money, and a month before it
RECENT_DAYS = 14  # the past fortnight stays as busy as today: the week view and My day show it
CANCEL_REASONS = (
    "Patient unwell",
    "Work conflict",
    "Car trouble",
    "Roads too icy to drive",
    "Family emergency",
    "Rescheduled by patient",
    "Practitioner away sick",
)
COURSE_STOPPED = "Course stopped at the patient's request"


@dataclass(frozen=True)
class Reserved:
    """A course session held on the grid before the random bookings are placed."""

    start: int  # minutes from local midnight
    end: int
    course_id: int
    patient_id: int
    cancelled: bool  # the course was stopped before this session


@dataclass(frozen=True)
class CourseSession:
    """A course appointment as written, for the clinical notes that follow it."""

    appointment_id: int
    course_id: int
    day: date
    status: AppointmentStatus


@dataclass
class Grid:
    """Everything that decides where appointments may go."""

    staff: list[StaffMember]
    rooms: list[int]
    closed: Callable[[date], bool]
    tz: ZoneInfo
    pool: PatientPool
    # name -> (id, minutes)
    types: dict[str, tuple[int, int]]
    reserved: dict[tuple[int, date], list[Reserved]] = field(default_factory=dict)
    course_days: dict[date, set[int]] = field(default_factory=dict)

    def free(self, staff_id: int, day: date, start: int, end: int, patient_id: int) -> bool:
        """Whether a course session fits: inside a working period, clear of other sessions."""
        member = self.staff[staff_id - 1]
        if self.closed(day) or patient_id in self.course_days.get(day, ()):
            return False
        if not any(a <= start and end <= b for a, b in member.periods.get(day.weekday(), ())):
            return False
        return all(r.end <= start or end <= r.start for r in self.reserved.get((staff_id, day), ()))

    def reserve(self, staff_id: int, day: date, session: Reserved) -> None:
        self.reserved.setdefault((staff_id, day), []).append(session)
        self.course_days.setdefault(day, set()).add(session.patient_id)


def _type_mix(discipline: Discipline) -> tuple[tuple[str, float], ...]:
    main = {
        Discipline.ACUPUNCTURE: "Acupuncture treatment",
        Discipline.PHYSIOTHERAPY: "Physiotherapy",
    }.get(discipline)
    if main is None:  # chiropractic: assessments and trigger point work
        return (("Initial consultation", 0.35), ("Trigger point therapy", 1.0))
    return ((main, 0.7), ("Initial consultation", 0.88), ("Trigger point therapy", 1.0))


def _status(
    rng: random.Random, start: datetime, end: datetime, now: datetime
) -> tuple[AppointmentStatus, str | None, bool]:
    """(status, cancellation reason, late cancellation) consistent with the clock."""
    roll = rng.random()
    if end <= now:
        if roll < 0.07:
            return AppointmentStatus.CANCELLED, rng.choice(CANCEL_REASONS), rng.random() < 0.3
        if roll < 0.11:
            return AppointmentStatus.NO_SHOW, None, False
        return AppointmentStatus.COMPLETED, None, False
    if start <= now:
        return AppointmentStatus.CHECKED_IN, None, False
    if roll < 0.05:
        return AppointmentStatus.CANCELLED, rng.choice(CANCEL_REASONS), False
    return AppointmentStatus.BOOKED, None, False


class AppointmentWriter:
    """Turns grid placements into ``appointments`` rows with explicit, increasing ids."""

    def __init__(self, rng: random.Random, tz: ZoneInfo, now: datetime) -> None:
        self.rng, self.tz, self.now = rng, tz, now
        self.next_id = 1
        self.sessions: list[CourseSession] = []
        self._day: date | None = None
        self._midnight = datetime.min.replace(tzinfo=UTC)

    def row(
        self,
        day: date,
        start: int,
        minutes: int,
        patient_id: int,
        staff_id: int,
        room_id: int,
        type_id: int,
        course: Reserved | None = None,
    ) -> dict[str, Any]:
        if day != self._day:
            local_noon = datetime.combine(day, time(12), self.tz)
            offset = local_noon.utcoffset() or timedelta(0)
            self._day, self._midnight = day, datetime.combine(day, time(), UTC) - offset
        starts = self._midnight + timedelta(minutes=start)
        ends = starts + timedelta(minutes=minutes)
        reason: str | None
        if course is not None and course.cancelled:
            status, reason, late = AppointmentStatus.CANCELLED, COURSE_STOPPED, False
        else:
            status, reason, late = _status(self.rng, starts, ends, self.now)
        booked_at = min(starts - timedelta(days=7 + start % 20), self.now)
        row = {
            "id": self.next_id,
            "patient_id": patient_id,
            "practitioner_id": staff_id,
            "room_id": room_id,
            "appointment_type_id": type_id,
            "course_id": course.course_id if course else None,
            "start_at": starts,
            "end_at": ends,
            "status": status.value,
            "cancellation_reason": reason,
            "late_cancellation": late,
            "back_entered": False,
            "notes": "",
            "created_at": booked_at,
            "updated_at": booked_at,
            "version": 1,
        }
        if course is not None:
            self.sessions.append(CourseSession(self.next_id, course.course_id, day, status))
        self.next_id += 1
        return row


def _pick_patient(
    rng: random.Random, pool: PatientPool, day: date, future: bool, taken: set[int]
) -> int | None:
    for _ in range(12):
        pid = rng.randrange(len(pool)) + 1
        if pid in taken or pool.born[pid - 1] >= day or (future and pool.archived[pid - 1]):
            continue
        return pid
    return None


class _DayFiller:
    """Places one open day's appointments for every practitioner, within a budget."""

    def __init__(self, grid: Grid, writer: AppointmentWriter, rng: random.Random) -> None:
        self.grid, self.writer, self.rng = grid, writer, rng
        self.mixes = {m.id: _type_mix(m.discipline) for m in grid.staff}
        self.course_type = grid.types["Acupuncture treatment"]

    def fill(self, day: date, fill: float, budget: int, future: bool) -> list[dict[str, Any]]:
        """Rows for ``day``: its reserved course sessions, then up to ``budget`` others."""
        grid, rng, rows = self.grid, self.rng, []
        taken = set(grid.course_days.get(day, ()))
        for member in grid.staff:
            periods = member.periods.get(day.weekday())
            if not periods:
                continue
            room = grid.rooms[(member.id + day.toordinal()) % len(grid.rooms)]
            held = sorted(grid.reserved.get((member.id, day), ()), key=lambda r: r.start)
            for r in held:
                rows.append(
                    self.writer.row(
                        day,
                        r.start,
                        self.course_type[1],
                        r.patient_id,
                        member.id,
                        room,
                        self.course_type[0],
                        r,
                    )
                )
            for p_start, p_end in periods:
                t = p_start
                while budget > 0 and t + 30 <= p_end:
                    clash = next((r for r in held if r.start < t + 60 and t < r.end), None)
                    if rng.random() > fill:
                        t += STEP
                        continue
                    roll = rng.random()
                    type_id, minutes = grid.types[
                        next(n for n, cum in self.mixes[member.id] if roll <= cum)
                    ]
                    if t + minutes > p_end or (clash and clash.start < t + minutes):
                        t = clash.end if clash and clash.start <= t else t + STEP
                        continue
                    pid = _pick_patient(rng, grid.pool, day, future, taken)
                    if pid is None:
                        t += STEP
                        continue
                    taken.add(pid)
                    rows.append(self.writer.row(day, t, minutes, pid, member.id, room, type_id))
                    budget -= 1
                    t += minutes
        return rows


def _minutes_back_to(grid: Grid, today: date, horizon: date) -> dict[date, int]:
    """For each day from yesterday back to ``horizon``: the practitioners' working minutes
    from that day back to the horizon (both included), closed days counting nothing."""
    left: dict[date, int] = {}
    total = 0
    day = horizon
    while day < today:
        if not grid.closed(day):
            for member in grid.staff:
                total += sum(b - a for a, b in member.periods.get(day.weekday(), ()))
        left[day] = total
        day += timedelta(days=1)
    return left


def _mean_minutes(grid: Grid) -> float:
    """The average length of a random booking, over the practitioners' type mixes."""
    means = []
    for member in grid.staff:
        mean, below = 0.0, 0.0
        for name, cumulative in _type_mix(member.discipline):
            mean += (cumulative - below) * grid.types[name][1]
            below = cumulative
        means.append(mean)
    return sum(means) / len(means) if means else 60.0


def _density_for(budget: int, minutes: int, mean: float) -> float:
    """The fill density that places about ``budget`` bookings in ``minutes`` of working time.

    At density ``f`` each 15-minute step starts a booking of ``mean`` minutes with chance
    ``f`` and is skipped otherwise, so a booking takes ``mean + STEP * (1 - f) / f`` minutes
    of the day on average; solved for ``f`` and kept within the past's bounds.
    """
    if budget <= 0 or minutes <= 0:
        return PAST_DENSITY
    rate = budget / minutes  # bookings wanted per working minute
    spare = 1 - rate * mean + STEP * rate
    if rate * mean >= 1 or spare <= 0:
        return PAST_DENSITY
    return max(MIN_PAST_DENSITY, min(PAST_DENSITY, STEP * rate / spare))


def appointment_chunks(
    grid: Grid, writer: AppointmentWriter, rng: random.Random, today: date, target: int
) -> Iterator[list[dict[str, Any]]]:
    """Rows for ``target`` appointments (course sessions included) in chunks.

    Today and the coming eight weeks are filled first, thinning out with distance and taking
    at most ``FUTURE_SHARE`` of the bookings; then past days going back until the target is
    met (and every reserved course session is written), spread over ``HISTORY_DAYS`` at least
    when the target allows (see the module's docstring).
    """
    held = sum(len(v) for v in grid.reserved.values())
    budget = max(0, target - held)
    future_budget = round(budget * FUTURE_SHARE)
    oldest = min((d for _, d in grid.reserved), default=today)
    newest = max((d for _, d in grid.reserved), default=today)
    filler = _DayFiller(grid, writer, rng)
    chunk: list[dict[str, Any]] = []
    day = today
    while day <= max(today + timedelta(days=FUTURE_DAYS), newest):
        if not grid.closed(day):
            ahead = (day - today).days
            density = 0.85 if ahead == 0 else 0.8 * max(0.15, 1 - ahead / 60)
            rows = filler.fill(day, density, future_budget, future=ahead > 0)
            future_budget -= sum(1 for r in rows if r["course_id"] is None)
            chunk += rows
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
        day += timedelta(days=1)
    budget -= round(budget * FUTURE_SHARE) - future_budget
    horizon = today - timedelta(days=HISTORY_DAYS)
    left = _minutes_back_to(grid, today, horizon)
    mean = _mean_minutes(grid)
    day = today - timedelta(days=1)
    while (budget > 0 or day >= oldest) and day >= EARLIEST_DAY:
        if not grid.closed(day):
            density = PAST_DENSITY
            if horizon <= day < today - timedelta(days=RECENT_DAYS):
                density = _density_for(budget, left[day], mean)
            rows = filler.fill(day, density, budget, future=False)
            budget -= sum(1 for r in rows if r["course_id"] is None)
            chunk += rows
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
        day -= timedelta(days=1)
    if chunk:
        yield chunk
