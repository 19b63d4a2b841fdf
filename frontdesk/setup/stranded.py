"""Which booked appointments a closure or an hours change would leave outside bookable time.

Closing days or shortening hours never touches appointments already booked: they stay, and
reception moves them. These read-only questions let the Settings page say which ones before it
saves, so nobody is surprised by a visit sitting on a closed day. Only appointments still ahead
(booked or checked in, not over by ``now``) count.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, tzinfo
from typing import Any

from sqlalchemy.orm import Session

from frontdesk.accounts.operation import operation
from frontdesk.clinic import load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment
from frontdesk.domain import AppointmentStatus, ValidationError
from frontdesk.scheduling.dto import AppointmentView
from frontdesk.scheduling.localtime import day_bounds, to_local
from frontdesk.scheduling.rules import aware_utc
from frontdesk.scheduling.views import load_views
from frontdesk.setup.hours import get_opening_hours, load_working_hours, weekly_errors
from frontdesk.setup.types import DayHours

_PENDING = (AppointmentStatus.BOOKED.value, AppointmentStatus.CHECKED_IN.value)


def _check(errors: dict[str, str]) -> None:
    """Refuse wrong hours up front: every visit would look stranded by them."""
    if errors:
        raise ValidationError(errors)


def _ahead(s: Session, now: datetime, *conditions: Any) -> list[AppointmentView]:
    return load_views(
        s, Appointment.status.in_(_PENDING), Appointment.end_at > aware_utc(now, "now"), *conditions
    )


@operation("closure_strands")
def closure_strands(
    db: Database, starts_on: date, ends_on: date, *, now: datetime
) -> list[AppointmentView]:
    """Appointments ahead that fall (even partly) on the local days ``starts_on``..``ends_on``."""
    if ends_on < starts_on:
        return []
    with db.read() as s:
        tz = load_clinic(s).tz
        first, _ = day_bounds(starts_on, tz)
        _, after_last = day_bounds(ends_on, tz)
        return _ahead(s, now, Appointment.start_at < after_last, Appointment.end_at > first)


def fits(appt: AppointmentView, day: DayHours | None, tz: tzinfo) -> bool:
    """Whether the visit lies inside the day's hours and clear of its breaks."""
    if day is None:
        return False
    start, end = to_local(appt.start, tz), to_local(appt.end, tz)
    if start.date() != end.date():  # hours never run past midnight
        return False
    if start.time() < day.starts_at or end.time() > day.ends_at:
        return False
    return not any(start.time() < b.ends_at and end.time() > b.starts_at for b in day.breaks)


def _newly_outside(
    appointments: list[AppointmentView],
    old: Mapping[int, DayHours],
    new: Mapping[int, DayHours],
    tz: tzinfo,
) -> list[AppointmentView]:
    """Those the new week leaves out that the current week still allows."""
    found = []
    for appt in appointments:
        weekday = to_local(appt.start, tz).weekday()
        if fits(appt, old.get(weekday), tz) and not fits(appt, new.get(weekday), tz):
            found.append(appt)
    return found


@operation("opening_hours_strands")
def opening_hours_strands(
    db: Database, hours: Mapping[int, DayHours], *, now: datetime
) -> list[AppointmentView]:
    """Appointments ahead inside today's opening hours that ``hours`` would put outside them.

    Raises ValidationError, like ``set_opening_hours``, when the hours themselves are wrong.
    """
    plain = {d: DayHours(h.starts_at, h.ends_at) for d, h in hours.items()}
    _check(weekly_errors(plain, what="open"))
    old = get_opening_hours(db)
    with db.read() as s:
        tz = load_clinic(s).tz
        return _newly_outside(_ahead(s, now), old, plain, tz)


@operation("practitioner_hours_strands")
def practitioner_hours_strands(
    db: Database, practitioner_id: int, hours: Mapping[int, DayHours], *, now: datetime
) -> list[AppointmentView]:
    """A practitioner's appointments ahead that ``hours`` would put outside work or in a break.

    Raises ValidationError, like ``update_practitioner``, when the hours themselves are wrong.
    """
    _check(weekly_errors(hours))
    with db.read() as s:
        tz = load_clinic(s).tz
        old = load_working_hours(s, practitioner_id)
        ahead = _ahead(s, now, Appointment.practitioner_id == practitioner_id)
        return _newly_outside(ahead, old, hours, tz)
