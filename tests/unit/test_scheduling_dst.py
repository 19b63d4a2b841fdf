"""Daylight saving in America/Edmonton: wall-clock times hold, odd local times are deliberate.

Spring forward 2027-03-14 (02:00 → 03:00), fall back 2027-11-07 (02:00 → 01:00), both Sundays.
Rule (frontdesk.scheduling.localtime): a local time in the gap moves forward by the gap; a
local time that happens twice means the first (daylight-time) occurrence.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, time, timedelta

import pytest

from frontdesk.db.engine import Database
from frontdesk.db.models import OpeningHours, WorkingHours
from frontdesk.domain import Frequency, TimeOfDay
from frontdesk.scheduling import (
    CourseRequest,
    book_course,
    first_available,
    preview_course,
    shift_following,
)
from frontdesk.scheduling.localtime import to_utc, wall_clock_note
from tests.unit.test_scheduling_support import NOW, TZ, Clinic, local

SPRING = date(2027, 3, 14)
AUTUMN = date(2027, 11, 7)


def course(
    c: Clinic, start: date, clock: time = time(10), *, interval: int | None = None
) -> CourseRequest:
    return CourseRequest(
        patient_id=c.ann,
        practitioner_id=c.acu,
        type_id=c.acupuncture,
        sessions=3,
        frequency=Frequency.EVERY_K_DAYS if interval else Frequency.WEEKLY,
        interval_days=interval,
        preferred_time=clock,
        start_date=start,
        room_id=c.room1,
    )


@pytest.fixture
def open_sundays(db: Database, clinic: Clinic) -> Clinic:
    """The clinic and Dr Lin work all of every Sunday, so the DST night itself is bookable."""
    with db.write() as s:
        s.add(OpeningHours(weekday=6, opens_at=time(0), closes_at=time(23, 59)))
        s.add(
            WorkingHours(
                practitioner_id=clinic.acu, weekday=6, starts_at=time(0), ends_at=time(23, 59)
            )
        )
    return clinic


@pytest.mark.parametrize("first", [date(2027, 3, 8), date(2027, 11, 1)], ids=["spring", "autumn"])
def test_weekly_course_keeps_its_wall_clock_time(db: Database, clinic: Clinic, first: date) -> None:
    preview = preview_course(db, course(clinic, first), now=NOW)
    assert [p.start.astimezone(TZ).time() for p in preview] == [time(10)] * 3
    offsets = {p.start.astimezone(TZ).utcoffset() for p in preview}
    assert len(offsets) == 2  # the instants really are 7 days ± 1 hour apart
    booked = book_course(db, course(clinic, first), [p.start for p in preview], now=NOW)
    assert [a.start.astimezone(TZ).hour for a in booked.appointments] == [10, 10, 10]


def test_shift_following_keeps_wall_clock_across_dst(db: Database, clinic: Clinic) -> None:
    req = course(clinic, date(2027, 3, 1))
    booked = book_course(db, req, [p.start for p in preview_course(db, req, now=NOW)], now=NOW)
    first = booked.appointments[0]
    moved = shift_following(db, first.id, first.start + timedelta(hours=1), now=NOW)
    assert [a.start.astimezone(TZ).time() for a in moved.appointments] == [time(11)] * 3


def test_nonexistent_local_time_moves_forward_and_says_so(
    db: Database, open_sundays: Clinic
) -> None:
    assert to_utc(SPRING, time(2, 30), TZ) == to_utc(SPRING, time(3, 30), TZ)
    preview = preview_course(
        db, course(open_sundays, SPRING - timedelta(days=7), time(2, 30), interval=7), now=NOW
    )
    before, spring, after = preview
    assert before.start.astimezone(TZ).time() == time(2, 30) and before.problem is None
    assert spring.free and spring.start.astimezone(TZ).time() == time(3, 30)
    assert (
        spring.problem
        == "02:30 does not exist on Sun 14 Mar 2027 (the clocks go forward); 03:30 is used"
    )
    assert after.start.astimezone(TZ).time() == time(2, 30)


def test_ambiguous_local_time_is_the_first_occurrence(db: Database, open_sundays: Clinic) -> None:
    first = to_utc(AUTUMN, time(1, 30), TZ)
    assert first == local(AUTUMN, 1, 30) and first.astimezone(TZ).utcoffset() == timedelta(hours=-6)
    assert wall_clock_note(AUTUMN, time(1, 30), TZ) == (
        "01:30 happens twice on Sun 7 Nov 2027 (the clocks go back); the first one is used"
    )
    assert wall_clock_note(AUTUMN, time(10), TZ) is None
    preview = preview_course(db, course(open_sundays, AUTUMN, time(1, 30), interval=7), now=NOW)
    assert preview[0].start == first and preview[0].free


def test_first_available_grid_skips_the_missing_hour(db: Database, open_sundays: Clinic) -> None:
    slots = first_available(db, open_sundays.acupuncture, start_from=local(SPRING, 1), count=6)
    assert [s.start.astimezone(TZ).strftime("%H:%M") for s in slots] == [
        "01:00",
        "01:15",
        "01:30",
        "01:45",
        "03:00",
        "03:15",
    ]
    assert all(b.start - a.start == timedelta(minutes=15) for a, b in itertools.pairwise(slots))


def test_first_available_offers_both_repeated_hours(db: Database, open_sundays: Clinic) -> None:
    slots = first_available(
        db,
        open_sundays.acupuncture,
        start_from=local(AUTUMN, 0, 45),
        count=10,
        time_of_day=TimeOfDay.MORNING,
    )
    shown = [s.start.astimezone(TZ).strftime("%H:%M") for s in slots]
    assert shown == [
        "00:45",
        "01:00",
        "01:15",
        "01:30",
        "01:45",
        "01:00",
        "01:15",
        "01:30",
        "01:45",
        "02:00",
    ]
    assert len({s.start.astimezone(UTC) for s in slots}) == 10
