"""Planning a course: its session dates, and each session judged free or not with an alternative.

Sessions are placed at the preferred local wall-clock time on each date (so a weekly 10:00
course stays at 10:00 across a DST change). A session that cannot be booked as planned gets the
nearest free slot with the same practitioner in the same week (Monday to Sunday), else the one
nearest to the same time a week later. Sessions already placed, as planned or suggested, count
as busy for the later ones, so accepting every suggestion never double-books the patient.
"""

from __future__ import annotations

from bisect import insort
from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from frontdesk.clinic import ClinicInfo
from frontdesk.db.models import AppointmentType
from frontdesk.domain import BookingError, Frequency, ValidationError
from frontdesk.scheduling.availability import Calendar
from frontdesk.scheduling.conflicts import (
    Busy,
    active_room_ids,
    busy_spans,
    find_clash,
    first_free_room,
    first_overlap,
)
from frontdesk.scheduling.dto import CourseRequest, SessionPreview, Slot
from frontdesk.scheduling.localtime import day_bounds, to_local, to_utc, wall_clock_note
from frontdesk.scheduling.rules import check_parties
from frontdesk.scheduling.slots import SlotFinder
from frontdesk.timefmt import fmt_span_on

MAX_SESSIONS = 60
WEEK = timedelta(days=7)


def validate_request(req: CourseRequest) -> None:
    """Refuse a course plan that cannot be laid out, one message per wrong field."""
    errors: dict[str, str] = {}
    if not 1 <= req.sessions <= MAX_SESSIONS:
        errors["sessions"] = f"A course has between 1 and {MAX_SESSIONS} sessions."
    if any(not 0 <= d <= 6 for d in req.weekdays):
        errors["weekdays"] = "Weekdays are numbered 0 (Monday) to 6 (Sunday)."
    elif req.frequency == Frequency.TWICE_WEEKLY and len(set(req.weekdays)) != 2:
        errors["weekdays"] = "Choose the two weekdays of a twice-weekly course."
    elif req.frequency == Frequency.WEEKLY and len(set(req.weekdays)) > 1:
        errors["weekdays"] = "A weekly course has one weekday."
    if req.frequency == Frequency.EVERY_K_DAYS and not 1 <= (req.interval_days or 0) <= 60:
        errors["interval_days"] = "Give the number of days between sessions (1 to 60)."
    if errors:
        raise ValidationError(errors)


def session_dates(
    frequency: Frequency,
    start_date: date,
    count: int,
    weekdays: tuple[int, ...] = (),
    interval_days: int | None = None,
) -> list[date]:
    """The local dates of ``count`` sessions from ``start_date`` (included when it matches)."""
    if frequency == Frequency.EVERY_K_DAYS:
        step = timedelta(days=interval_days or 1)
        return [start_date + i * step for i in range(count)]
    days = set(weekdays) if weekdays else {start_date.weekday()}
    found: list[date] = []
    day = start_date
    while len(found) < count:
        if day.weekday() in days:
            found.append(day)
        day += timedelta(days=1)
    return found


def next_dates(
    frequency: Frequency,
    last: date,
    count: int,
    weekdays: tuple[int, ...],
    interval_days: int | None,
) -> list[date]:
    """``count`` more dates continuing a course whose latest session is on ``last``."""
    if frequency == Frequency.EVERY_K_DAYS:
        first = last + timedelta(days=interval_days or 1)
        return session_dates(frequency, first, count, (), interval_days)
    if frequency == Frequency.WEEKLY:
        return [last + (i + 1) * WEEK for i in range(count)]
    return session_dates(frequency, last + timedelta(days=1), count, weekdays)


class CoursePlanner:
    """Judges course sessions one by one against the database and the earlier sessions."""

    def __init__(
        self,
        session: Session,
        clinic: ClinicInfo,
        *,
        patient_id: int,
        practitioner_id: int,
        type_id: int,
        room_id: int | None,
        first: date,
        last: date,
        now: datetime,
    ) -> None:
        check_parties(
            session, patient_id, practitioner_id, type_id, room_id, room_chosen_later=True
        )
        kind = session.get(AppointmentType, type_id)
        assert kind is not None  # checked just above
        self.s, self.clinic, self.tz, self.now = session, clinic, clinic.tz, now
        self.patient_id, self.practitioner_id, self.room_id = patient_id, practitioner_id, room_id
        self.duration = timedelta(minutes=kind.duration_minutes)
        if room_id is not None:
            self.rooms = [room_id]
        else:
            self.rooms = active_room_ids(session) if kind.needs_room else []
        self.needs_room = bool(self.rooms)  # a clinic with no room books without one
        self.calendar = Calendar(session, clinic, first - WEEK, last + 2 * WEEK, [practitioner_id])
        # (start, end, -session index) of accepted sessions, kept sorted for first_overlap
        self.placed: list[Busy] = []
        self._weeks: dict[date, SlotFinder] = {}

    def _problem(self, start: datetime, end: datetime) -> str | None:
        if start < self.now:
            return f"{fmt_span_on(start, end, self.tz)} is in the past."
        try:
            self.calendar.check(self.practitioner_id, start, end)
        except BookingError as exc:
            return str(exc)
        own = first_overlap(self.placed, start, end)
        if own is not None:
            return f"{fmt_span_on(start, end, self.tz)} overlaps session {-own} of this course."
        clash = find_clash(
            self.s,
            self.tz,
            start=start,
            end=end,
            practitioner_id=self.practitioner_id,
            room_id=self.room_id,
            patient_id=self.patient_id,
        )
        if clash is not None:
            return str(clash)
        if self.needs_room and self.room_id is None and self.free_room(start, end) is None:
            return f"No room is free at {fmt_span_on(start, end, self.tz)}."
        return None

    def free_room(self, start: datetime, end: datetime) -> int | None:
        """The room a session would use: the chosen one, else the first free active room."""
        if self.room_id is not None or not self.needs_room:
            return self.room_id
        return first_free_room(self.s, self.rooms, start, end)

    def _finder(self, monday: date) -> SlotFinder:
        if monday not in self._weeks:
            lo, hi = day_bounds(monday, self.tz)[0], day_bounds(monday + WEEK, self.tz)[0]
            practitioner = busy_spans(self.s, "practitioner", [self.practitioner_id], lo, hi)
            patient = busy_spans(self.s, "patient", [self.patient_id], lo, hi)
            # A fixed room's week is loaded here; a free room is found later for the one
            # candidate chosen (loading every room's week would cost far more).
            fixed = [self.room_id] if self.room_id is not None else []
            self._weeks[monday] = SlotFinder(
                self.calendar,
                self.duration,
                practitioner_busy=practitioner,
                room_busy=busy_spans(self.s, "room", fixed, lo, hi),
                room_ids=fixed,
                needs_room=bool(fixed),
                patient_busy=patient.get(self.patient_id, []),
            )
        finder = self._weeks[monday]
        finder.extra_busy = self.placed
        return finder

    def _nearest_in_week(self, target: datetime) -> Slot | None:
        monday = to_local(target, self.tz).date()
        monday -= timedelta(days=monday.weekday())
        finder = self._finder(monday)
        slots = [
            slot
            for offset in range(7)
            for slot in finder.day_slots(
                self.practitioner_id, monday + timedelta(days=offset), not_before=self.now
            )
        ]
        slots.sort(key=lambda sl: (abs(sl.start - target), sl.start))
        if self.room_id is not None or not self.needs_room:
            return slots[0] if slots else None
        for slot in slots:
            room = self.free_room(slot.start, slot.end)
            if room is not None:
                return replace(slot, room_id=room)
        return None

    def suggest(self, start: datetime) -> Slot | None:
        """Nearest free slot in the same week, else nearest to the same time next week."""
        return self._nearest_in_week(start) or self._nearest_in_week(start + WEEK)

    def assess(self, index: int, start: datetime, note: str | None = None) -> SessionPreview:
        """Judge session ``index`` (1-based) at ``start`` and reserve its time or suggestion."""
        end = start + self.duration
        problem = self._problem(start, end)
        if problem is None:
            insort(self.placed, (start, end, -index))
            return SessionPreview(index, start, end, True, note, None)
        suggestion = self.suggest(start)
        if suggestion is not None:
            insort(self.placed, (suggestion.start, suggestion.end, -index))
        return SessionPreview(index, start, end, False, problem, suggestion)


def preview_sessions(
    session: Session,
    clinic: ClinicInfo,
    req: CourseRequest,
    dates: list[date],
    now: datetime,
    *,
    first_index: int = 1,
) -> list[SessionPreview]:
    """Each date at the preferred time, judged in order (DST notes carried as the problem)."""
    planner = CoursePlanner(
        session,
        clinic,
        patient_id=req.patient_id,
        practitioner_id=req.practitioner_id,
        type_id=req.type_id,
        room_id=req.room_id,
        first=dates[0],
        last=dates[-1],
        now=now,
    )
    return [
        planner.assess(
            first_index + i,
            to_utc(d, req.preferred_time, clinic.tz),
            wall_clock_note(d, req.preferred_time, clinic.tz),
        )
        for i, d in enumerate(dates)
    ]
