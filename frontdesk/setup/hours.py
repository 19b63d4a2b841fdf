"""Weekly patterns: the clinic's opening hours and each practitioner's working hours.

Both are one stretch per weekday; a practitioner's day may also hold breaks. Every message
names the weekday, because the grid that shows them has seven rows that look alike.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import time

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from frontdesk.accounts.operation import operation
from frontdesk.db.engine import Database
from frontdesk.db.models import OpeningHours, PractitionerBreak, WorkingHours
from frontdesk.domain import ValidationError
from frontdesk.setup.types import Break, DayHours, WeeklyHours, weekday_key, weekday_name
from frontdesk.timefmt import fmt_time


def day_error(weekday: int, day: DayHours, *, what: str = "work") -> str | None:
    """Why one weekday's hours cannot be saved, or None when they are fine."""
    name = weekday_name(weekday)
    if day.starts_at >= day.ends_at:
        if what == "open":
            return (
                f"{name}: the clinic must open before it closes ({fmt_time(day.starts_at)} "
                f"is not before {fmt_time(day.ends_at)})."
            )
        return (
            f"{name}: work must start before it ends ({fmt_time(day.starts_at)} is not "
            f"before {fmt_time(day.ends_at)})."
        )
    previous: Break | None = None
    for pause in sorted(day.breaks, key=lambda b: (b.starts_at, b.ends_at)):
        span = f"{fmt_time(pause.starts_at)}–{fmt_time(pause.ends_at)}"
        if pause.starts_at >= pause.ends_at:
            return f"{name}: a break must start before it ends ({span})."
        if pause.starts_at < day.starts_at or pause.ends_at > day.ends_at:
            return (
                f"{name}: the break {span} is outside the working hours "
                f"{fmt_time(day.starts_at)}–{fmt_time(day.ends_at)}."
            )
        if previous is not None and pause.starts_at < previous.ends_at:
            return (
                f"{name}: the breaks {fmt_time(previous.starts_at)}–"
                f"{fmt_time(previous.ends_at)} and {span} overlap."
            )
        if not pause.label.strip():
            return f"{name}: give the break {span} a name (such as Lunch)."
        previous = pause
    return None


def weekly_errors(hours: Mapping[int, DayHours], *, what: str = "work") -> dict[str, str]:
    """One message per wrong weekday, keyed ``"monday"``…``"sunday"``."""
    errors: dict[str, str] = {}
    for weekday in sorted(hours):
        if weekday not in range(7):
            errors[""] = f"There is no weekday number {weekday} (Monday is 0, Sunday is 6)."
            continue
        message = day_error(weekday, hours[weekday], what=what)
        if message:
            errors[weekday_key(weekday)] = message
    return errors


# -- opening hours -------------------------------------------------------------------------------
@operation("get_opening_hours")
def get_opening_hours(db: Database) -> WeeklyHours:
    """The clinic's opening hours; a weekday missing from the result is closed."""
    with db.read() as s:
        return {
            row.weekday: DayHours(row.opens_at, row.closes_at)
            for row in s.scalars(select(OpeningHours).order_by(OpeningHours.weekday))
        }


@operation("set_opening_hours")
def set_opening_hours(db: Database, hours: Mapping[int, DayHours]) -> WeeklyHours:
    """Replace the whole week at once (a missing weekday closes it); breaks are ignored."""
    errors = weekly_errors(
        {d: DayHours(h.starts_at, h.ends_at) for d, h in hours.items()}, what="open"
    )
    if errors:
        raise ValidationError(errors)
    with db.write() as s:
        s.execute(delete(OpeningHours))
        for weekday, day in sorted(hours.items()):
            s.add(OpeningHours(weekday=weekday, opens_at=day.starts_at, closes_at=day.ends_at))
    return {d: DayHours(h.starts_at, h.ends_at) for d, h in sorted(hours.items())}


def outside_opening(hours: Mapping[int, DayHours], opening: Mapping[int, DayHours]) -> list[str]:
    """Notes (not errors) on working hours that cannot be booked because the clinic is shut.

    Bookable time is working hours inside opening hours, so a practitioner may be entered as
    working longer (paperwork); the notes only say which part the calendar will not offer.
    """
    notes: list[str] = []
    for weekday, day in sorted(hours.items()):
        name = weekday_name(weekday)
        doors = opening.get(weekday)
        if doors is None:
            notes.append(f"The clinic is closed on {name}s, so nothing can be booked then.")
        elif day.starts_at < doors.starts_at or day.ends_at > doors.ends_at:
            notes.append(
                f"On {name}s only {fmt_time(max(day.starts_at, doors.starts_at))}–"
                f"{fmt_time(min(day.ends_at, doors.ends_at))} can be booked: the clinic "
                f"is open {fmt_time(doors.starts_at)}–{fmt_time(doors.ends_at)}."
            )
    return notes


# -- practitioners' hours ------------------------------------------------------------------------
def load_working_hours(s: Session, practitioner_id: int) -> WeeklyHours:
    """A practitioner's week from its rows.

    Several stretches on one day (written by a script or an older version) are read as one
    stretch from the first start to the last end, with the gaps between them as breaks, so
    what the grid shows books exactly the same times.
    """
    stretches: dict[int, list[tuple[time, time]]] = {}
    for row in s.scalars(
        select(WorkingHours).where(WorkingHours.practitioner_id == practitioner_id)
    ):
        stretches.setdefault(row.weekday, []).append((row.starts_at, row.ends_at))
    breaks: dict[int, list[Break]] = {}
    for pause in s.scalars(
        select(PractitionerBreak).where(PractitionerBreak.practitioner_id == practitioner_id)
    ):
        breaks.setdefault(pause.weekday, []).append(
            Break(pause.starts_at, pause.ends_at, pause.label)
        )
    week: WeeklyHours = {}
    for weekday, spans in sorted(stretches.items()):
        spans.sort()
        gaps = [Break(a[1], b[0], "Break") for a, b in itertools.pairwise(spans) if a[1] < b[0]]
        day_breaks = sorted(breaks.get(weekday, []) + gaps, key=lambda b: b.starts_at)
        week[weekday] = DayHours(spans[0][0], max(e for _s, e in spans), tuple(day_breaks))
    return week


def store_working_hours(s: Session, practitioner_id: int, hours: Mapping[int, DayHours]) -> None:
    """Replace a practitioner's week inside the caller's transaction (already validated)."""
    s.execute(delete(WorkingHours).where(WorkingHours.practitioner_id == practitioner_id))
    s.execute(delete(PractitionerBreak).where(PractitionerBreak.practitioner_id == practitioner_id))
    for weekday, day in sorted(hours.items()):
        s.add(
            WorkingHours(
                practitioner_id=practitioner_id,
                weekday=weekday,
                starts_at=day.starts_at,
                ends_at=day.ends_at,
            )
        )
        for pause in day.breaks:
            s.add(
                PractitionerBreak(
                    practitioner_id=practitioner_id,
                    weekday=weekday,
                    starts_at=pause.starts_at,
                    ends_at=pause.ends_at,
                    label=pause.label.strip(),
                )
            )
