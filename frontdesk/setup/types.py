"""The values the clinic set-up service takes in and hands out.

Frozen dataclasses, never ORM objects, so the Settings page can hold them while the user edits
and compare them to see whether anything changed. Clock times are the clinic's local
wall-clock times; weekdays count from Monday = 0 like ``date.weekday()``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, time

from frontdesk.domain import Discipline, PageSize

WEEKDAYS: tuple[int, ...] = tuple(range(7))


def weekday_name(weekday: int) -> str:
    """ "Monday" for 0; the name validation messages start with."""
    return calendar.day_name[weekday]


def weekday_key(weekday: int) -> str:
    """The ValidationError key for one weekday's row ("monday"), shared by every hours grid."""
    return calendar.day_name[weekday].lower()


@dataclass(frozen=True)
class ClinicDetails:
    """Who the clinic is and how it prints; ``phone`` is as typed or shown, never E.164."""

    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    timezone: str = "America/Edmonton"
    province: str = "AB"
    closed_optional_holidays: tuple[str, ...] = ()  # keys, e.g. ("heritage_day",)
    page_size: PageSize = PageSize.LETTER
    logo: bytes | None = None
    # Idle minutes before a desk locks its screen; None (a caller that does not edit it)
    # leaves the stored number as it is.
    lock_after_minutes: int | None = None


@dataclass(frozen=True)
class Break:
    """A recurring pause inside one day's working hours (lunch, admin)."""

    starts_at: time
    ends_at: time
    label: str = "Break"


@dataclass(frozen=True)
class DayHours:
    """One weekday's working stretch and the breaks inside it."""

    starts_at: time
    ends_at: time
    breaks: tuple[Break, ...] = ()


# weekday -> hours; a missing weekday is a day off (or a day the clinic is closed).
WeeklyHours = dict[int, DayHours]


@dataclass(frozen=True)
class PractitionerInput:
    """What the practitioner dialog saves in one go: who they are, when they work and what
    their receipts print (``profession``, ``registration_number``; None keeps what is stored,
    nothing for someone new)."""

    display_name: str
    discipline: Discipline
    credentials: str = ""
    colour: str = "#4a7ab5"
    hours: WeeklyHours = field(default_factory=dict)
    profession: str | None = None
    registration_number: str | None = None


@dataclass(frozen=True)
class PractitionerSetup:
    """A practitioner as the Settings page lists and edits them."""

    id: int
    display_name: str
    credentials: str
    discipline: Discipline
    colour: str
    active: bool
    hours: WeeklyHours

    def to_input(self) -> PractitionerInput:
        return PractitionerInput(
            self.display_name, self.discipline, self.credentials, self.colour, dict(self.hours)
        )


@dataclass(frozen=True)
class AppointmentTypeInput:
    """What can be booked: its length, calendar colour, and whether it takes a room."""

    name: str
    duration_minutes: int
    colour: str = "#7aa6d6"
    needs_room: bool = True
    discipline: Discipline | None = None


@dataclass(frozen=True)
class HolidayDay:
    """One holiday in the province, and whether the clinic is shut for it."""

    day: date
    name: str
    statutory: bool
    closes_clinic: bool
    observed: bool = False  # the weekday a weekend holiday is observed on
    key: str = ""  # the holiday's stable key ("heritage_day"), shared by its observed day
