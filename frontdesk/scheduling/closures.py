"""Days the clinic is shut: its own closures and the province's holidays.

``closed_reason`` is the one answer to "is this day closed, and why" (a closure first, then a
holiday as ``holiday_calendar`` decides it); ``is_closed`` adds the weekdays the clinic does
not open. Bookings, the Settings page and the demo generator all ask these.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.accounts.operation import operation
from frontdesk.clinic import ClinicInfo, load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import Closure
from frontdesk.domain import ValidationError
from frontdesk.scheduling.dto import ClosureView
from frontdesk.scheduling.holiday_calendar import closing_holiday, holidays_in

# A closure as the rule reads it: first day, last day (inclusive), reason shown to staff.
ClosureSpan = tuple[date, date, str]


def holiday_on(clinic: ClinicInfo, day: date) -> str | None:
    """The name of the holiday that closes the clinic on ``day``, if one does."""
    return closing_holiday(
        clinic.province, clinic.closed_optional_holidays, clinic.close_on_observed_days, day
    )


def closed_reason(
    clinic: ClinicInfo, day: date, closures: Iterable[ClosureSpan] = ()
) -> str | None:
    """Why the clinic is shut on ``day`` (a closure's reason, else a holiday's name), or None.

    Opening hours are not consulted: a weekday the clinic never opens has no "reason" to show.
    """
    for starts_on, ends_on, reason in closures:
        if starts_on <= day <= ends_on:
            return reason
    return holiday_on(clinic, day)


def is_closed(clinic: ClinicInfo, day: date, closures: Iterable[ClosureSpan] = ()) -> bool:
    """Whether nothing can be booked on ``day``: not an opening weekday, a closure, a holiday."""
    if day.weekday() not in clinic.opening_hours:
        return True
    return closed_reason(clinic, day, closures) is not None


class ClosedDays:
    """Closures and holidays loaded once for a date range, answered from memory."""

    def __init__(self, session: Session, clinic: ClinicInfo, first: date, last: date) -> None:
        self.clinic = clinic
        self.closures: list[ClosureSpan] = [
            (c.starts_on, c.ends_on, c.reason)
            for c in session.scalars(
                select(Closure)
                .where(Closure.starts_on <= last, Closure.ends_on >= first)
                .order_by(Closure.starts_on)
            )
        ]

    def reason(self, day: date) -> str | None:
        """Why the clinic is shut on ``day`` (closure first, then holiday), or None."""
        return closed_reason(self.clinic, day, self.closures)


def _view(row: Closure) -> ClosureView:
    return ClosureView(row.id, row.starts_on, row.ends_on, row.reason)


@operation("add_closure")
def add_closure(db: Database, starts_on: date, ends_on: date, reason: str) -> ClosureView:
    """Close the clinic for a date range; existing appointments stay for staff to move."""
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = "Say why the clinic is closed (it is shown on the calendar)."
    if ends_on < starts_on:
        errors["ends_on"] = "The last day of a closure cannot be before its first day."
    if errors:
        raise ValidationError(errors)
    with db.write() as s:
        row = Closure(starts_on=starts_on, ends_on=ends_on, reason=reason.strip())
        s.add(row)
        s.flush()
        return _view(row)


@operation("list_closures")
def list_closures(db: Database, start: date, end: date) -> list[ClosureView]:
    """Closures touching the inclusive range ``start``..``end``."""
    with db.read() as s:
        rows = s.scalars(
            select(Closure)
            .where(Closure.starts_on <= end, Closure.ends_on >= start)
            .order_by(Closure.starts_on, Closure.id)
        )
        return [_view(r) for r in rows]


@operation("holidays_between")
def holidays_between(db: Database, start: date, end: date) -> dict[date, str]:
    """Holidays that close the clinic in the inclusive range (optional ones only if chosen)."""
    with db.read() as s:
        clinic = load_clinic(s)
    found: dict[date, str] = {}
    for h in holidays_in(clinic.province, start, end):
        if h.day not in found and (name := holiday_on(clinic, h.day)):
            found[h.day] = name
    return found
