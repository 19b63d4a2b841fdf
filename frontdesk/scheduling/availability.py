"""When a practitioner can be booked: working hours, breaks, opening hours and closed days.

Everything is loaded once per operation into a ``Calendar`` and then answered from memory, so
searching a month of slots or previewing a twelve-session course costs a few queries, not a
few per candidate time. Local wall-clock rules become UTC instants through ``localtime.to_utc``
(its DST rule applies to hour boundaries too).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.clinic import ClinicInfo
from frontdesk.db.models import Practitioner, PractitionerBreak, WorkingHours
from frontdesk.domain import BookingError
from frontdesk.scheduling.closures import ClosedDays
from frontdesk.scheduling.localtime import WEEKDAY_NAMES, to_local, to_utc
from frontdesk.timefmt import fmt_span, fmt_span_on

Span = tuple[datetime, datetime]


@dataclass(frozen=True)
class WeeklyHours:
    """One practitioner's weekly pattern: weekday -> [(start, end, label)] local times."""

    name: str
    working: dict[int, list[tuple[time, time, str]]]
    breaks: dict[int, list[tuple[time, time, str]]]


def load_hours(
    session: Session, practitioner_ids: list[int], weekdays: Collection[int] | None = None
) -> dict[int, WeeklyHours]:
    """Weekly hours and breaks of several practitioners in three queries; only of
    ``weekdays`` (Monday = 0) when given (a day of forty practitioners needs one weekday's
    rows, not the whole week's)."""
    days = (WorkingHours.weekday.in_(sorted(weekdays)),) if weekdays is not None else ()
    break_days = (PractitionerBreak.weekday.in_(sorted(weekdays)),) if weekdays is not None else ()
    names = dict(
        session.execute(
            select(Practitioner.id, Practitioner.display_name).where(
                Practitioner.id.in_(practitioner_ids)
            )
        ).all()
    )
    working: dict[int, dict[int, list[tuple[time, time, str]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    breaks: dict[int, dict[int, list[tuple[time, time, str]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for pid, weekday, starts_at, ends_at in session.execute(
        select(
            WorkingHours.practitioner_id,
            WorkingHours.weekday,
            WorkingHours.starts_at,
            WorkingHours.ends_at,
        ).where(WorkingHours.practitioner_id.in_(practitioner_ids), *days)
    ):
        working[pid][weekday].append((starts_at, ends_at, ""))
    for pid, weekday, starts_at, ends_at, label in session.execute(
        select(
            PractitionerBreak.practitioner_id,
            PractitionerBreak.weekday,
            PractitionerBreak.starts_at,
            PractitionerBreak.ends_at,
            PractitionerBreak.label,
        ).where(PractitionerBreak.practitioner_id.in_(practitioner_ids), *break_days)
    ):
        breaks[pid][weekday].append((starts_at, ends_at, label))
    return {
        pid: WeeklyHours(
            name,
            {d: sorted(v) for d, v in working[pid].items()},
            {d: sorted(v) for d, v in breaks[pid].items()},
        )
        for pid, name in names.items()
    }


class Calendar:
    """Opening hours, closed days and practitioners' hours for one date range."""

    def __init__(
        self,
        session: Session,
        clinic: ClinicInfo,
        first: date,
        last: date,
        practitioner_ids: list[int],
    ) -> None:
        self.clinic = clinic
        self.tz = clinic.tz
        self.closed = ClosedDays(session, clinic, first, last)
        # Hours of the weekdays from ``first`` to ``last`` only; asking for another day is a
        # mistake in the caller, refused rather than answered with "not working".
        span = (last - first).days + 1
        self._weekdays = (
            frozenset(range(7))
            if span >= 7
            else frozenset((first + timedelta(days=n)).weekday() for n in range(max(span, 0)))
        )
        self.hours = load_hours(
            session, practitioner_ids, None if len(self._weekdays) == 7 else self._weekdays
        )

    def _weekday(self, day: date) -> int:
        weekday = day.weekday()
        if weekday not in self._weekdays:
            raise ValueError(f"{day.isoformat()} is outside the dates this calendar was read for")
        return weekday

    def _spans(
        self, day: date, rows: list[tuple[time, time, str]]
    ) -> list[tuple[datetime, datetime, str]]:
        return [(to_utc(day, a, self.tz), to_utc(day, b, self.tz), label) for a, b, label in rows]

    def opening(self, day: date) -> Span | None:
        """The clinic's open hours on ``day`` as instants, ignoring closures."""
        hours = self.clinic.opening_hours.get(day.weekday())
        if hours is None:
            return None
        return to_utc(day, hours[0], self.tz), to_utc(day, hours[1], self.tz)

    def working(self, practitioner_id: int, day: date) -> list[tuple[datetime, datetime, str]]:
        return self._spans(day, self.hours[practitioner_id].working.get(self._weekday(day), []))

    def breaks(self, practitioner_id: int, day: date) -> list[tuple[datetime, datetime, str]]:
        return self._spans(day, self.hours[practitioner_id].breaks.get(self._weekday(day), []))

    def free_windows(self, practitioner_id: int, day: date) -> list[Span]:
        """Bookable stretches: working hours inside opening hours, minus breaks; none if closed."""
        opening = self.opening(day)
        if opening is None or self.closed.reason(day) is not None:
            return []
        windows = [
            (max(a, opening[0]), min(b, opening[1]))
            for a, b, _ in self.working(practitioner_id, day)
            if max(a, opening[0]) < min(b, opening[1])
        ]
        for b_start, b_end, _ in self.breaks(practitioner_id, day):
            windows = subtract(windows, b_start, b_end)
        return windows

    def check(self, practitioner_id: int, start: datetime, end: datetime) -> None:
        """Refuse a time outside the clinic's or the practitioner's hours, naming the rule."""
        tz = self.tz
        day = to_local(start, tz).date()
        closed = self.closed.reason(day)
        if closed:
            raise BookingError(
                f"The clinic is closed on {day.isoformat()} ({closed}).",
                field="start",
                short=f"closed: {closed}",
            )
        weekday = WEEKDAY_NAMES[day.weekday()]
        opening = self.opening(day)
        if opening is None:
            raise BookingError(
                f"The clinic is closed on {weekday}.", field="start", short="clinic closed"
            )
        span = fmt_span_on(start, end, tz)
        if start < opening[0] or end > opening[1]:
            raise BookingError(
                f"{span} is outside the clinic's opening hours "
                f"({fmt_span(opening[0], opening[1], tz)} on {weekday}).",
                field="start",
                short="clinic closed then",
            )
        name = self.hours[practitioner_id].name
        working = self.working(practitioner_id, day)
        if not working:
            raise BookingError(
                f"{name} does not work on {weekday}.", field="start", short=f"{name} not working"
            )
        if not any(a <= start and end <= b for a, b, _ in working):
            hours = ", ".join(fmt_span(a, b, tz) for a, b, _ in working)
            raise BookingError(
                f"{span} is outside {name}'s working hours on {weekday} ({hours}).",
                field="start",
                short="out of hours",
            )
        for a, b, label in self.breaks(practitioner_id, day):
            if a < end and start < b:
                raise BookingError(
                    f"{span} overlaps {name}'s {label.lower() or 'break'} ({fmt_span(a, b, tz)}).",
                    field="start",
                    short=label.lower() or "break",
                )


def subtract(windows: list[Span], start: datetime, end: datetime) -> list[Span]:
    """Remove ``[start, end)`` from sorted disjoint windows."""
    out: list[Span] = []
    for a, b in windows:
        if end <= a or b <= start:
            out.append((a, b))
            continue
        if a < start:
            out.append((a, start))
        if end < b:
            out.append((end, b))
    return out
