"""Dates and times as the clinic writes them, on screen and on paper alike.

One style: 24-hour clock times ("14:30"), and dates day first with the month in words
("Tue 3 Mar 2026", "Tuesday 3 March 2026"), which read one way only, unlike 03/04/2026. No Qt,
so the GUI, the PDF documents and the services' messages all use the same functions.

Instants are aware UTC datetimes; pass the clinic's zone to see them on its wall clock.
"""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo


def _local(value: datetime, tz: tzinfo | None) -> datetime:
    if tz is None:
        return value
    if value.tzinfo is None:
        raise ValueError("naive datetime given where an aware instant is needed")
    return value.astimezone(tz)


def fmt_time(value: time | datetime, tz: tzinfo | None = None) -> str:
    """ "14:30": a wall-clock time, or an instant on the clock of ``tz``."""
    if isinstance(value, datetime):
        value = _local(value, tz)
    return f"{value.hour:02d}:{value.minute:02d}"  # not strftime: the calendar paints hundreds


def fmt_span(start: time | datetime, end: time | datetime, tz: tzinfo | None = None) -> str:
    """ "14:30–15:15" """
    return f"{fmt_time(start, tz)}\u2013{fmt_time(end, tz)}"


def fmt_date(value: date | datetime, tz: tzinfo | None = None) -> str:
    """ "3 Mar 2026" """
    d = _local(value, tz).date() if isinstance(value, datetime) else value
    return f"{d.day} {d:%b %Y}"


def fmt_day(value: date | datetime, tz: tzinfo | None = None) -> str:
    """ "Tue 3 Mar 2026": weekday first, because reception thinks in weekdays."""
    d = _local(value, tz).date() if isinstance(value, datetime) else value
    return f"{d:%a} {fmt_date(d)}"


def fmt_long_date(value: date) -> str:
    """ "Tuesday 3 March 2026", for headings and the date a document was printed."""
    return f"{value:%A} {value.day} {value:%B %Y}"


def fmt_when(instant: datetime, tz: tzinfo | None = None) -> str:
    """ "Tue 3 Mar 2026, 14:30" """
    local = _local(instant, tz)
    return f"{fmt_day(local.date())}, {fmt_time(local)}"


def fmt_slot(start: datetime, end: datetime, tz: tzinfo | None = None) -> str:
    """ "Tue 3 Mar 2026, 14:30–15:15" """
    return f"{fmt_day(_local(start, tz).date())}, {fmt_span(start, end, tz)}"


def fmt_short_when(instant: datetime, tz: tzinfo | None = None) -> str:
    """ "Mon 2 Mar, 09:30": for times in the coming weeks, where the year goes without saying."""
    local = _local(instant, tz)
    return f"{local:%a} {local.day} {local:%b}, {fmt_time(local)}"


def fmt_span_on(start: datetime, end: datetime, tz: tzinfo | None = None) -> str:
    """ "10:00–11:00 on Mon 2 Mar 2026", for messages about one visit."""
    return f"{fmt_span(start, end, tz)} on {fmt_day(start, tz)}"
