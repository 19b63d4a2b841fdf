"""The province's holidays as the Settings page shows them, and the clinic's choices about them.

Which holiday closes the clinic is decided in ``frontdesk.scheduling.holiday_calendar`` (the
same rule bookings follow); this module lists the calendar for the Settings page and stores
the clinic's choices: the optional holidays it closes for (by key) and whether it also closes
on observed days.
"""

from __future__ import annotations

from datetime import date, timedelta

from frontdesk.accounts.operation import operation
from frontdesk.clinic import load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import ClinicSettings
from frontdesk.domain import NotFound, ValidationError
from frontdesk.scheduling.holiday_calendar import (
    OptionalHoliday,
    closes_clinic,
    holidays_in,
    optional_holidays,
)
from frontdesk.setup.types import HolidayDay

__all__ = [
    "OptionalHoliday",
    "coming_holidays",
    "optional_holidays",
    "set_close_on_observed_days",
    "set_closed_optional_holidays",
]


@operation("coming_holidays")
def coming_holidays(db: Database, today: date, *, days: int = 365) -> list[HolidayDay]:
    """Statutory and optional holidays (observed days included) from ``today``, by date."""
    with db.read() as s:
        clinic = load_clinic(s)
    last = today + timedelta(days=days - 1)
    return [
        HolidayDay(
            h.day,
            h.name,
            h.statutory,
            closes_clinic(h, clinic.closed_optional_holidays, clinic.close_on_observed_days),
            h.observed,
            h.key,
        )
        for h in holidays_in(clinic.province, today, last)
    ]


@operation("set_closed_optional_holidays")
def set_closed_optional_holidays(db: Database, keys: tuple[str, ...]) -> tuple[str, ...]:
    """Choose which optional holidays close the clinic, by key (statutory ones always do)."""
    with db.write() as s:
        row = s.get(ClinicSettings, 1)
        if row is None:
            raise NotFound("The clinic settings are missing; open the database with Frontdesk.")
        province = row.province
        known = {o.key for o in optional_holidays(province)}
        unknown = [k for k in keys if k not in known]
        if unknown:
            raise ValidationError.single(
                "closed_optional_holidays",
                f"{', '.join(unknown)} is not an optional holiday in {province}; "
                "tick only holidays from the list.",
            )
        row.closed_optional_holidays = list(dict.fromkeys(keys))
        return tuple(row.closed_optional_holidays)


@operation("set_close_on_observed_days")
def set_close_on_observed_days(db: Database, close: bool) -> bool:
    """Choose whether the clinic also closes on the weekday a weekend holiday is observed on."""
    with db.write() as s:
        row = s.get(ClinicSettings, 1)
        if row is None:
            raise NotFound("The clinic settings are missing; open the database with Frontdesk.")
        row.close_on_observed_days = close
        return row.close_on_observed_days
