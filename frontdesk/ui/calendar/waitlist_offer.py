"""The calendar's side of the wait list: who could fill a freed or empty time.

*Who could fill this time?* (Ctrl+Shift+W, or the menu of an empty time or of a cancelled or
missed visit) opens the wait list's matches for that practitioner's free stretch. After a
cancellation or a no-show, the calendar asks the wait list in the background and, when someone
could take the time, says so in its message line; nobody is booked without a click.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, time

from PySide6.QtWidgets import QWidget

from frontdesk.accounts.permissions import is_allowed
from frontdesk.context import AppContext
from frontdesk.domain import AppointmentStatus, FrontdeskError
from frontdesk.scheduling import AppointmentView
from frontdesk.scheduling.dto import Interval
from frontdesk.scheduling.localtime import to_utc
from frontdesk.scheduling.waitlist import WaitlistMatch, waitlist_matches
from frontdesk.ui.calendar.layout import CalendarColumn
from frontdesk.ui.waitlist.fill_dialog import FillGapDialog
from frontdesk.ui.worker import run_query

FREEING = (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW)
SHORTCUT = "Ctrl+Shift+W"


def may_fill(ctx: AppContext) -> bool:
    """Whether the signed-in role keeps the wait list (reception and administrators)."""
    actor = ctx.db.actor
    return actor is None or is_allowed("waitlist_matches", actor.role)


def free_stretch(
    column: CalendarColumn, start: datetime, *, ignore: int | None = None
) -> tuple[datetime, datetime] | None:
    """From ``start`` to the next visit or the end of the working period holding it; None when
    ``start`` is outside the practitioner's working time. ``ignore`` is the freed visit."""
    period: Interval | None = next((p for p in column.working if p.start <= start < p.end), None)
    if period is None:
        return None
    end = period.end
    for b in column.breaks:
        if start < b.start < end:
            end = b.start
    for appt in column.appointments:
        if appt.id == ignore or appt.status in FREEING:
            continue
        if appt.start <= start < appt.end:
            return None  # the time is taken
        if start < appt.start < end:
            end = appt.start
    return start, end


def slot_start(column: CalendarColumn, minute: int) -> datetime:
    """The instant of ``minute`` local minutes after the column's midnight."""
    return to_utc(column.day, time(minute // 60, minute % 60), column.tz)


def open_fill_dialog(
    parent: QWidget,
    ctx: AppContext,
    column: CalendarColumn,
    start: datetime,
    on_booked: Callable[[AppointmentView], None],
    *,
    ignore: int | None = None,
) -> FillGapDialog | None:
    """The matches for ``column``'s practitioner from ``start`` to the end of the free stretch."""
    if column.practitioner is None:
        return None
    stretch = free_stretch(column, start, ignore=ignore)
    end = stretch[1] if stretch is not None else None
    dialog = FillGapDialog(
        ctx,
        column.practitioner.id,
        column.practitioner.display_name,
        start,
        column.tz,
        parent,
        end=end,
    )
    dialog.booked.connect(on_booked)
    dialog.open()
    return dialog


def offer_after_freeing(
    owner: QWidget,
    ctx: AppContext,
    appt: AppointmentView,
    columns: Sequence[CalendarColumn],
    say: Callable[[str], None],
    done_text: str,
) -> None:
    """After ``appt`` was cancelled or missed: ask the wait list on a worker and, when someone
    could take the time, add it to the calendar's message."""
    if not may_fill(ctx):
        return
    column = next(
        (
            c
            for c in columns
            if c.practitioner_id == appt.practitioner_id
            and c.day == appt.start.astimezone(c.tz).date()
        ),
        None,
    )
    if column is None:
        return
    stretch = free_stretch(column, appt.start, ignore=appt.id)
    end = stretch[1] if stretch is not None else appt.end
    db, now, pid, start = ctx.db, ctx.clock(), appt.practitioner_id, appt.start

    def found(matches: list[WaitlistMatch]) -> None:
        if matches:
            who = "patient" if len(matches) == 1 else "patients"
            say(
                f"{done_text} {len(matches)} {who} on the wait list could take this time: "
                f"{SHORTCUT} shows who."
            )

    def failed(exc: Exception) -> None:
        if not isinstance(exc, FrontdeskError):
            raise exc

    run_query(
        owner,
        lambda: waitlist_matches(db, pid, start, end=end, now=now),
        found,
        failed,
        busy=False,
    )
