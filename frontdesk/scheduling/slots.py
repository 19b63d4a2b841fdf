"""Candidate times on the 15-minute grid, shared by first-available and course suggestions.

The grid is counted in real elapsed time from UTC quarter hours, which are local quarter hours
in every zone whose offset is a multiple of 15 minutes (all of Canada's). On a DST day this
gives each instant once: no slot in the skipped hour, both 01:xx hours on the repeated night.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta

from frontdesk.domain import TimeOfDay
from frontdesk.scheduling.availability import Calendar
from frontdesk.scheduling.conflicts import Busy, first_overlap
from frontdesk.scheduling.dto import Slot
from frontdesk.scheduling.localtime import to_local

GRID = timedelta(minutes=15)
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
NOON_HOUR, EVENING_HOUR = 12, 17


def ceil_to_grid(instant: datetime) -> datetime:
    """The first quarter hour at or after ``instant``."""
    steps = -((_EPOCH - instant) // GRID)
    return _EPOCH + steps * GRID


def fits_time_of_day(local_hour: int, preference: TimeOfDay) -> bool:
    """Whether a slot starting at ``local_hour`` suits the caller's preference."""
    if preference == TimeOfDay.MORNING:
        return local_hour < NOON_HOUR
    if preference == TimeOfDay.AFTERNOON:
        return NOON_HOUR <= local_hour < EVENING_HOUR
    if preference == TimeOfDay.EVENING:
        return local_hour >= EVENING_HOUR
    return True


class SlotFinder:
    """Free grid times for practitioners, given everything already busy in the range."""

    def __init__(
        self,
        calendar: Calendar,
        duration: timedelta,
        *,
        practitioner_busy: Mapping[int, Sequence[Busy]],
        room_busy: Mapping[int, Sequence[Busy]],
        room_ids: Sequence[int],
        needs_room: bool,
        patient_busy: Sequence[Busy] = (),
    ) -> None:
        self.calendar = calendar
        self.duration = duration
        self.practitioner_busy = practitioner_busy
        self.room_busy = room_busy
        self.room_ids = room_ids
        self.needs_room = needs_room
        self.patient_busy = patient_busy
        self.extra_busy: list[Busy] = []  # times already promised (earlier course sessions)

    def free_room(self, start: datetime, end: datetime) -> int | bool | None:
        """A free room id, None when no room is needed, False when every room is taken."""
        for room_id in self.room_ids:
            if first_overlap(self.room_busy.get(room_id, ()), start, end) is None:
                return room_id
        return False if self.needs_room else None

    def day_slots(
        self,
        practitioner_id: int,
        day: date,
        *,
        not_before: datetime,
        time_of_day: TimeOfDay = TimeOfDay.ANY,
    ) -> Iterator[Slot]:
        """Free slots of one practitioner on one local day, earliest first."""
        busy = self.practitioner_busy.get(practitioner_id, ())
        tz = self.calendar.tz
        for a, b in self.calendar.free_windows(practitioner_id, day):
            start = ceil_to_grid(max(a, not_before))
            while start + self.duration <= b:
                end = start + self.duration
                if (
                    fits_time_of_day(to_local(start, tz).hour, time_of_day)
                    and first_overlap(busy, start, end) is None
                    and first_overlap(self.patient_busy, start, end) is None
                    and first_overlap(self.extra_busy, start, end) is None
                ):
                    room = self.free_room(start, end)
                    if room is not False:
                        yield Slot(practitioner_id, start, end, room if room else None)
                start += GRID
