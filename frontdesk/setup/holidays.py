"""The province's holidays as the Settings page shows them, and which optional ones close.

Statutory holidays always close the clinic (``frontdesk.scheduling.closures`` decides that for
bookings); the optional ones (Heritage Day, Boxing Day...) close it only when ticked here.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays as holiday_tables

from frontdesk.clinic import load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import ClinicSettings
from frontdesk.domain import ValidationError
from frontdesk.scheduling.closures import OBSERVED, holiday_on
from frontdesk.setup.types import HolidayDay


def _table(province: str, years: tuple[int, ...], category: str) -> dict[date, list[str]]:
    table = holiday_tables.country_holidays(
        "CA", subdiv=province, years=years, categories=(category,)
    )
    return {day: table.get_list(day) for day in table}


@lru_cache(maxsize=32)
def optional_holiday_names(province: str) -> tuple[str, ...]:
    """Optional holidays the clinic may choose to close for, by name ("(observed)" folded in).

    Names that are also statutory in the province (they close the clinic anyway) are left out.
    """
    years = (2024, 2025, 2026, 2027, 2028)
    public = {n.removesuffix(OBSERVED) for names in _table(province, years, holiday_tables.PUBLIC)
              .values() for n in names}
    names = {n.removesuffix(OBSERVED) for found in _table(province, years,
             holiday_tables.OPTIONAL).values() for n in found}
    return tuple(sorted(names - public))


def coming_holidays(db: Database, today: date, *, days: int = 365) -> list[HolidayDay]:
    """Statutory and optional holidays from ``today`` for ``days`` days, by date."""
    with db.read() as s:
        clinic = load_clinic(s)
    last = today + timedelta(days=days - 1)
    years = tuple(range(today.year, last.year + 1))
    public = _table(clinic.province, years, holiday_tables.PUBLIC)
    optional = _table(clinic.province, years, holiday_tables.OPTIONAL)
    found: list[HolidayDay] = []
    for day in sorted(set(public) | set(optional)):
        if not today <= day <= last:
            continue
        if day in public:
            found.append(HolidayDay(day, "; ".join(public[day]), True, True))
            continue
        for name in optional[day]:
            found.append(HolidayDay(day, name, False, holiday_on(clinic, day) == name))
    return found


def set_closed_optional_holidays(db: Database, names: tuple[str, ...]) -> tuple[str, ...]:
    """Choose which optional holidays close the clinic (statutory ones always do)."""
    with db.write() as s:
        row = s.get(ClinicSettings, 1)
        province = row.province if row is not None else "AB"
        known = set(optional_holiday_names(province))
        unknown = [n for n in names if n not in known]
        if unknown or row is None:
            raise ValidationError.single(
                "closed_optional_holidays",
                f"{', '.join(unknown)} is not an optional holiday in {province}.",
            )
        row.closed_optional_holidays = list(dict.fromkeys(names))
        return tuple(row.closed_optional_holidays)
