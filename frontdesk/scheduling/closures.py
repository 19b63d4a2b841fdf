"""Days the clinic is shut: its own closures and the province's holidays.

Statutory holidays come from the ``holidays`` package (its ``public`` category for the clinic's
province). Optional ones (its ``optional`` category: Heritage Day, Boxing Day, Easter Monday...)
close the clinic only when ``ClinicSettings.closed_optional_holidays`` names them; naming
"Boxing Day" also closes its "(observed)" weekday.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.clinic import ClinicInfo, load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import Closure
from frontdesk.domain import ValidationError
from frontdesk.scheduling.dto import ClosureView

OBSERVED = " (observed)"


@lru_cache(maxsize=64)
def _holiday_names(province: str, year: int, category: str) -> dict[date, tuple[str, ...]]:
    table = holidays.country_holidays("CA", subdiv=province, years=year, categories=(category,))
    return {day: tuple(table.get_list(day)) for day in table}


def holiday_on(clinic: ClinicInfo, day: date) -> str | None:
    """The name of the holiday that closes the clinic on ``day``, if one does."""
    public = _holiday_names(clinic.province, day.year, holidays.PUBLIC).get(day)
    if public:
        return "; ".join(public)
    chosen = set(clinic.closed_optional_holidays)
    for name in _holiday_names(clinic.province, day.year, holidays.OPTIONAL).get(day, ()):
        if name in chosen or name.removesuffix(OBSERVED) in chosen:
            return name
    return None


class ClosedDays:
    """Closures and holidays loaded once for a date range, answered from memory."""

    def __init__(self, session: Session, clinic: ClinicInfo, first: date, last: date) -> None:
        self.clinic = clinic
        self.closures = [
            (c.starts_on, c.ends_on, c.reason)
            for c in session.scalars(
                select(Closure)
                .where(Closure.starts_on <= last, Closure.ends_on >= first)
                .order_by(Closure.starts_on)
            )
        ]

    def reason(self, day: date) -> str | None:
        """Why the clinic is shut on ``day`` (closure first, then holiday), or None."""
        for starts_on, ends_on, reason in self.closures:
            if starts_on <= day <= ends_on:
                return reason
        return holiday_on(self.clinic, day)


def _view(row: Closure) -> ClosureView:
    return ClosureView(row.id, row.starts_on, row.ends_on, row.reason)


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


def list_closures(db: Database, start: date, end: date) -> list[ClosureView]:
    """Closures touching the inclusive range ``start``..``end``."""
    with db.read() as s:
        rows = s.scalars(
            select(Closure)
            .where(Closure.starts_on <= end, Closure.ends_on >= start)
            .order_by(Closure.starts_on, Closure.id)
        )
        return [_view(r) for r in rows]


def holidays_between(db: Database, start: date, end: date) -> dict[date, str]:
    """Holidays that close the clinic in the inclusive range (optional ones only if chosen)."""
    with db.read() as s:
        clinic = load_clinic(s)
    found: dict[date, str] = {}
    for year in range(start.year, end.year + 1):
        candidates = set(_holiday_names(clinic.province, year, holidays.PUBLIC))
        candidates |= set(_holiday_names(clinic.province, year, holidays.OPTIONAL))
        for day in sorted(candidates):
            name = holiday_on(clinic, day) if start <= day <= end else None
            if name:
                found[day] = name
    return found
