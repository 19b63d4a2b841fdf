"""Local wall-clock times and UTC instants, with one deliberate rule for daylight saving.

Weekly patterns (opening hours, working hours, a course's preferred time) are wall-clock times
in the clinic's zone; appointments are UTC instants. Turning a local time into an instant is
done here alone, so the two odd cases of a DST day are handled the same way everywhere:

* A time that does not exist (spring forward: 02:30 on 2027-03-14 in Edmonton) is moved forward
  by the length of the gap, to the time the wall clock shows an hour later (03:30). This is
  what ``zoneinfo`` does for ``fold=0`` and what a person who set an alarm would expect.
* A time that happens twice (fall back: 01:30 on 2027-11-07) means its first occurrence, the
  daylight-time one (``fold=0``), so a booking is never silently an hour later than asked.

``wall_clock_note`` says in words when either case applied, so the course preview can show it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from frontdesk.timefmt import fmt_day, fmt_time

UTC = UTC
WEEKDAY_NAMES = (
    "Mondays",
    "Tuesdays",
    "Wednesdays",
    "Thursdays",
    "Fridays",
    "Saturdays",
    "Sundays",
)


def to_utc(day: date, clock: time, tz: tzinfo) -> datetime:
    """The instant a local wall-clock time names on ``day`` (gaps forward, folds first)."""
    return datetime.combine(day, clock.replace(tzinfo=None, fold=0), tzinfo=tz).astimezone(UTC)


def to_local(instant: datetime, tz: tzinfo) -> datetime:
    """An aware instant shown in the clinic's zone; naive input is refused loudly."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime given where an aware instant is needed")
    return instant.astimezone(tz)


def day_bounds(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """The UTC instants of local midnight starting ``day`` and the next one (23–25 h apart)."""
    return to_utc(day, time(0), tz), to_utc(day + timedelta(days=1), time(0), tz)


def wall_clock_note(day: date, clock: time, tz: tzinfo) -> str | None:
    """Why a local time does not name exactly one instant on ``day``, or None when it does."""
    naive = datetime.combine(day, clock.replace(tzinfo=None, fold=0))
    first = naive.replace(tzinfo=tz)
    second = naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    shown = first.astimezone(UTC).astimezone(tz)
    if shown.replace(tzinfo=None) != naive:
        return (
            f"{fmt_time(clock)} does not exist on {fmt_day(day)} (the clocks go forward); "
            f"{fmt_time(shown)} is used"
        )
    return (
        f"{fmt_time(clock)} happens twice on {fmt_day(day)} (the clocks go back); "
        "the first one is used"
    )


def shift_wall_clock(instant: datetime, delta: timedelta, tz: tzinfo) -> datetime:
    """Move an instant by a wall-clock delta, so 10:00 stays 10:00 across a DST change."""
    local = to_local(instant, tz).replace(tzinfo=None) + delta
    return to_utc(local.date(), local.time(), tz)
