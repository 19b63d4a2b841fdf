"""What the calendar shows, as plain values: its columns, its time range and where things go.

Day view and week view differ only in what a column is (a practitioner on one day, or one
practitioner on each day of a week). Both are turned into ``CalendarColumn`` values here, from
the service's ``DaySchedule`` DTOs, once per date change; the scene then draws columns without
knowing which view it is in, and nothing in the paint path touches the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from frontdesk.domain import AppointmentStatus
from frontdesk.scheduling import AppointmentView, DaySchedule, Interval, PractitionerView
from frontdesk.scheduling.localtime import to_utc
from frontdesk.ui.calendar.style import MIN_COLUMN_WIDTH, SLOT_HEIGHT, SLOT_MINUTES

DEFAULT_RANGE = (8 * 60, 18 * 60)


@dataclass(frozen=True)
class CalendarColumn:
    """One practitioner on one day, with everything its background and blocks need."""

    day: date
    tz: ZoneInfo
    practitioner: PractitionerView | None
    title: str
    subtitle: str
    opening: Interval | None
    closed_reason: str | None
    working: tuple[Interval, ...]
    breaks: tuple[Interval, ...]
    appointments: tuple[AppointmentView, ...]
    is_today: bool = False

    @property
    def practitioner_id(self) -> int | None:
        return self.practitioner.id if self.practitioner else None

    def minute_of(self, instant: datetime) -> int:
        """Local minutes after this column's midnight (may pass 1440 or go below 0)."""
        return _local_minute(instant, self.tz, self.day)

    def instant_at(self, minute: int) -> datetime:
        """The UTC instant of a local minute of this column's day."""
        minute = max(0, min(minute, 24 * 60 - 1))
        return to_utc(self.day, time(minute // 60, minute % 60), self.tz)


@lru_cache(maxsize=4096)
def _local_minute(instant: datetime, tz: ZoneInfo, day: date) -> int:
    """Worked out once per instant shown: the time range, each block's place and its lanes
    all ask for the same starts and ends."""
    local = instant.astimezone(tz)
    days = local.toordinal() - day.toordinal()  # cheaper than a date difference
    return days * 1440 + local.hour * 60 + local.minute


def _visible(
    appointments: Iterable[AppointmentView], hide_cancelled: bool
) -> tuple[AppointmentView, ...]:
    if not hide_cancelled:
        return tuple(appointments)
    return tuple(a for a in appointments if a.status is not AppointmentStatus.CANCELLED)


def day_columns(
    schedule: DaySchedule, *, today: date, hide_cancelled: bool
) -> list[CalendarColumn]:
    """Day view: one column per practitioner the schedule lists."""
    by_practitioner: dict[int, list[AppointmentView]] = {}
    for a in schedule.appointments:  # once, not once per column
        by_practitioner.setdefault(a.practitioner_id, []).append(a)
    columns = []
    for pday in schedule.practitioners:
        p = pday.practitioner
        mine = by_practitioner.get(p.id, ())
        columns.append(
            CalendarColumn(
                day=schedule.day,
                tz=schedule.tz,
                practitioner=p,
                title=p.display_name,
                subtitle=" · ".join(x for x in (p.credentials, p.discipline.label) if x),
                opening=schedule.opening,
                closed_reason=schedule.closed_reason,
                working=tuple(pday.working),
                breaks=tuple(pday.breaks),
                appointments=_visible(mine, hide_cancelled),
                is_today=schedule.day == today,
            )
        )
    return columns


def week_columns(
    schedules: Sequence[DaySchedule],
    practitioner: PractitionerView,
    *,
    today: date,
    hide_cancelled: bool,
) -> list[CalendarColumn]:
    """Week view: one column per day for one practitioner."""
    columns = []
    for schedule in schedules:
        pday = next(
            (d for d in schedule.practitioners if d.practitioner.id == practitioner.id), None
        )
        mine = (a for a in schedule.appointments if a.practitioner_id == practitioner.id)
        columns.append(
            CalendarColumn(
                day=schedule.day,
                tz=schedule.tz,
                practitioner=practitioner,
                title=f"{schedule.day:%a} {schedule.day.day}",
                subtitle="Today" if schedule.day == today else "",
                opening=schedule.opening,
                closed_reason=schedule.closed_reason,
                working=tuple(pday.working) if pday else (),
                breaks=tuple(pday.breaks) if pday else (),
                appointments=_visible(mine, hide_cancelled),
                is_today=schedule.day == today,
            )
        )
    return columns


def time_range(
    columns: Sequence[CalendarColumn], weekly_hours: Iterable[tuple[time, time]] = ()
) -> tuple[int, int]:
    """First and last minute shown: whole hours covering opening, working hours and bookings.

    The clinic's weekly opening hours are included so the view keeps the same rows from one day
    to the next instead of jumping when a short Saturday follows a long Friday.
    """
    starts: list[int] = [t0.hour * 60 + t0.minute for t0, _ in weekly_hours]
    ends: list[int] = [t1.hour * 60 + t1.minute for _, t1 in weekly_hours]
    for col in columns:
        spans: list[tuple[datetime, datetime]] = [(i.start, i.end) for i in col.working]
        if col.opening is not None:
            spans.append((col.opening.start, col.opening.end))
        spans.extend((a.start, a.end) for a in col.appointments)
        for start, end in spans:
            starts.append(max(0, col.minute_of(start)))
            ends.append(min(24 * 60, col.minute_of(end)))
    if not starts:
        return DEFAULT_RANGE
    first = min(starts) // 60 * 60
    last = -(-max(ends) // 60) * 60
    return (first, max(last, first + 60))


@dataclass(frozen=True)
class TimeGrid:
    """Pixel geometry: minutes to y, x to column, snapping to the 15-minute grid."""

    first_minute: int
    last_minute: int
    columns: int
    column_width: float = MIN_COLUMN_WIDTH
    slot_height: float = SLOT_HEIGHT

    @property
    def slots(self) -> int:
        return (self.last_minute - self.first_minute) // SLOT_MINUTES

    @property
    def height(self) -> float:
        return self.slots * self.slot_height

    @property
    def width(self) -> float:
        return self.columns * self.column_width

    def y(self, minute: float) -> float:
        return (minute - self.first_minute) / SLOT_MINUTES * self.slot_height

    def slot_at(self, y: float) -> int:
        """Index of the slot under ``y``, clamped to the grid."""
        return max(0, min(self.slots - 1, int(y // self.slot_height)))

    def slot_minute(self, slot: int) -> int:
        return self.first_minute + slot * SLOT_MINUTES

    def column_at(self, x: float) -> int:
        return max(0, min(self.columns - 1, int(x // self.column_width)))

    def x(self, column: int) -> float:
        return column * self.column_width


def assign_lanes(appointments: Sequence[AppointmentView]) -> dict[int, tuple[int, int]]:
    """Side-by-side lanes for overlapping blocks: id -> (lane, lanes in its cluster).

    Overlaps happen when a cancelled or no-show appointment shares its time with a new booking;
    both stay visible, each at a fraction of the column's width.
    """
    result: dict[int, tuple[int, int]] = {}
    cluster: list[tuple[AppointmentView, int]] = []
    lane_ends: list[datetime] = []
    cluster_end: datetime | None = None

    def close_cluster() -> None:
        for appt, lane in cluster:
            result[appt.id] = (lane, len(lane_ends))

    for appt in sorted(appointments, key=lambda a: (a.start, not a.is_active, a.id)):
        if cluster_end is not None and appt.start >= cluster_end:
            close_cluster()
            cluster, lane_ends, cluster_end = [], [], None
        lane = next((i for i, end in enumerate(lane_ends) if end <= appt.start), None)
        if lane is None:
            lane = len(lane_ends)
            lane_ends.append(appt.end)
        else:
            lane_ends[lane] = appt.end
        cluster.append((appt, lane))
        cluster_end = appt.end if cluster_end is None else max(cluster_end, appt.end)
    close_cluster()
    return result


def week_start(day: date) -> date:
    """Monday of the week holding ``day`` (the week view always starts on a Monday)."""
    return day - timedelta(days=day.weekday())
