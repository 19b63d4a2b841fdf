"""The values the scheduling service hands out and takes in.

Frozen dataclasses, never ORM objects: a calendar widget or a script can keep them as long as it
likes without a session behind them. Every ``datetime`` here is an aware UTC instant; the clinic's
zone (``DaySchedule.tz``) is what a screen uses to show them as local wall-clock times.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from frontdesk.domain import (
    AppointmentStatus,
    CourseStatus,
    Discipline,
    Frequency,
    course_rhythm,
)


@dataclass(frozen=True)
class PractitionerView:
    """A practitioner as pickers and calendar columns show them."""

    id: int
    display_name: str
    credentials: str
    discipline: Discipline
    colour: str
    active: bool


@dataclass(frozen=True)
class RoomView:
    """A treatment room."""

    id: int
    name: str
    active: bool


@dataclass(frozen=True)
class AppointmentTypeView:
    """What can be booked, and for how long; ``discipline`` limits who gives it."""

    id: int
    name: str
    duration_minutes: int
    colour: str
    needs_room: bool
    discipline: Discipline | None


@dataclass(frozen=True)
class AppointmentView:
    """One appointment with the names a calendar cell or a list row needs."""

    id: int
    patient_id: int
    patient_name: str
    practitioner_id: int
    practitioner_name: str
    room_id: int | None
    room_name: str | None
    type_id: int
    type_name: str
    type_colour: str
    start: datetime
    end: datetime
    status: AppointmentStatus
    course_id: int | None
    course_index: int | None  # 1-based among the course's non-cancelled sessions
    course_total: int | None  # the course's planned sessions
    cancellation_reason: str | None
    late_cancellation: bool
    notes: str
    version: int
    back_entered: bool = False
    # The patient emails about this visit, latest of each kind (issue 19), in words. Not part
    # of the visit's identity: the view a booking returns is built before its emails are
    # queued (at the commit), and is still equal to the same visit read back.
    emails: str = field(default="", compare=False)

    @property
    def is_active(self) -> bool:
        return self.status.is_active


@dataclass(frozen=True)
class BookingRequest:
    """What a receptionist asks for; ``start`` is an aware instant (UTC or local zone)."""

    patient_id: int
    practitioner_id: int
    type_id: int
    start: datetime
    room_id: int | None = None
    course_id: int | None = None
    back_entered: bool = False
    notes: str = ""


@dataclass(frozen=True)
class Slot:
    """A free time for one practitioner (and a free room when the type needs one)."""

    practitioner_id: int
    start: datetime
    end: datetime
    room_id: int | None


@dataclass(frozen=True)
class Interval:
    """A stretch of time (UTC instants) with a label, e.g. a working period or 'Lunch'."""

    start: datetime
    end: datetime
    label: str = ""


@dataclass(frozen=True)
class PractitionerDay:
    """One practitioner's working periods and breaks on a day (empty when off)."""

    practitioner: PractitionerView
    working: list[Interval]
    breaks: list[Interval]


@dataclass(frozen=True)
class DaySchedule:
    """Everything a day column of the calendar draws, read in one go."""

    day: date
    tz: ZoneInfo
    opening: Interval | None  # None: the clinic does not open that day
    closed_reason: str | None  # the holiday's or closure's name when closed for one
    practitioners: list[PractitionerDay]
    appointments: list[AppointmentView]


@dataclass(frozen=True)
class CourseRequest:
    """A plan for a series of sessions at one local wall-clock time.

    ``weekdays`` (Monday = 0) picks the day for weekly courses (optional) and the two days of
    twice-weekly ones (required); ``interval_days`` is the k of every-k-days courses.
    """

    patient_id: int
    practitioner_id: int
    type_id: int
    sessions: int
    frequency: Frequency
    preferred_time: time
    start_date: date
    weekdays: tuple[int, ...] = ()
    interval_days: int | None = None
    room_id: int | None = None
    notes: str = ""


@dataclass(frozen=True)
class SessionPreview:
    """One planned session: free as asked, or why not and the nearest free alternative."""

    index: int  # 1-based
    start: datetime
    end: datetime
    free: bool
    problem: str | None = None
    suggestion: Slot | None = None


@dataclass(frozen=True)
class CourseView:
    """A course with its sessions; ``attended`` counts checked-in and completed ones."""

    id: int
    patient_id: int
    practitioner_id: int
    planned: int
    attended: int  # checked in or completed
    status: CourseStatus
    appointments: list[AppointmentView] = field(default_factory=list)
    type_id: int | None = None
    frequency: Frequency | None = None
    preferred_time: time | None = None
    interval_days: int | None = None  # every_k_days courses only

    @property
    def rhythm(self) -> str:
        """ "weekly, 8 sessions" (``domain.course_rhythm``); "" when the frequency is unknown."""
        if self.frequency is None:
            return ""
        return course_rhythm(self.frequency, self.interval_days, self.planned)

    @property
    def progress_text(self) -> str:
        return f"{self.attended} of {self.planned} sessions attended"


@dataclass(frozen=True)
class ClosureView:
    """Days the clinic is closed for its own reason (both ends included)."""

    id: int
    starts_on: date
    ends_on: date
    reason: str
