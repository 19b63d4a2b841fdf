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

from datetime import date, datetime, time, timedelta, timezone, tzinfo

UTC = timezone.utc
WEEKDAY_NAMES = (
    "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays",
)  # fmt: skip


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
            f"{clock:%H:%M} does not exist on {day.isoformat()} (the clocks go forward); "
            f"{shown:%H:%M} is used"
        )
    return (
        f"{clock:%H:%M} happens twice on {day.isoformat()} (the clocks go back); "
        "the first one is used"
    )


def shift_wall_clock(instant: datetime, delta: timedelta, tz: tzinfo) -> datetime:
    """Move an instant by a wall-clock delta, so 10:00 stays 10:00 across a DST change."""
    local = to_local(instant, tz).replace(tzinfo=None) + delta
    return to_utc(local.date(), local.time(), tz)


def fmt_time(instant: datetime, tz: tzinfo) -> str:
    """'10:00' in the clinic's zone."""
    return f"{to_local(instant, tz):%H:%M}"


def fmt_hours(start: datetime, end: datetime, tz: tzinfo) -> str:
    """'09:00–17:00' in the clinic's zone."""
    return f"{fmt_time(start, tz)}–{fmt_time(end, tz)}"


def fmt_span(start: datetime, end: datetime, tz: tzinfo) -> str:
    """'10:00–11:00 on Mon 2026-03-02' in the clinic's zone, for messages."""
    local = to_local(start, tz)
    return f"{local:%H:%M}–{fmt_time(end, tz)} on {local:%a} {local.date().isoformat()}"
