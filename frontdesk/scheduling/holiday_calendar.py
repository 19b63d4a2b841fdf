"""The province's holiday calendar, in the clinic's language, and which holidays close it.

The one home of the holiday rule (bookings, the Settings page and the demo generator call it):

* names come from the ``holidays`` package in ``HOLIDAY_LANGUAGE`` (Canadian English) whatever
  the computer's locale, so every desk shows and prints the same words;
* statutory holidays (the package's ``public`` category) always close the clinic, on the day
  itself: Alberta's general holidays are not moved to a weekday;
* optional holidays (``optional`` category: Heritage Day, Easter Monday...) close it only when
  the clinic chose them, by a stable key such as ``"easter_monday"`` (never a display name);
* the weekday a holiday is "observed" on when it falls on a weekend closes the clinic only when
  the clinic chose to close on observed days (off by default).

No database access and no fixed years: every year is computed when first asked for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

HOLIDAY_LANGUAGE = "en_CA"
# The ``holidays`` package's category names. The package itself (tens of milliseconds of
# imports) is loaded the first time a year's calendar is computed, not when the app starts.
_PUBLIC = "public"
_OPTIONAL = "optional"
_OBSERVED = " (observed)"


@dataclass(frozen=True)
class Holiday:
    """One holiday on one day of the province's calendar."""

    day: date
    key: str  # stable, stored in the clinic's settings: "easter_monday"
    name: str  # shown and printed: "Easter Monday", "Christmas Day (observed)"
    statutory: bool
    observed: bool  # the weekday a weekend holiday moves to, not the holiday itself


@dataclass(frozen=True)
class OptionalHoliday:
    """An optional holiday the clinic may choose to close for."""

    key: str
    name: str


def holiday_key(name: str) -> str:
    """The stable key of a holiday from its Canadian English name ("(observed)" dropped)."""
    base = name.removesuffix(_OBSERVED)
    return re.sub(r"[^a-z0-9]+", "_", base.lower().replace("'", "")).strip("_")


def _table(province: str, year: int, category: str, observed: bool) -> dict[date, list[str]]:
    import holidays

    table = holidays.country_holidays(
        "CA",
        subdiv=province,
        years=year,
        categories=(category,),
        observed=observed,
        language=HOLIDAY_LANGUAGE,
    )
    return {day: table.get_list(day) for day in table}


@lru_cache(maxsize=128)
def year_holidays(province: str, year: int) -> tuple[Holiday, ...]:
    """Every statutory and optional holiday of ``year``, observed days included, by date."""
    found: list[Holiday] = []
    public_keys: set[str] = set()
    for category in (_PUBLIC, _OPTIONAL):
        statutory = category == _PUBLIC
        actual = _table(province, year, category, observed=False)
        with_observed = _table(province, year, category, observed=True)
        for day in sorted(with_observed):
            for name in with_observed[day]:
                key = holiday_key(name)
                if not statutory and key in public_keys:
                    continue  # also statutory here: it closes the clinic anyway
                observed = name not in actual.get(day, ())
                found.append(Holiday(day, key, name, statutory, observed))
                if statutory:
                    public_keys.add(key)
    return tuple(sorted(found, key=lambda h: (h.day, not h.statutory, h.observed)))


@lru_cache(maxsize=128)
def _by_day(province: str, year: int) -> dict[date, tuple[Holiday, ...]]:
    days: dict[date, list[Holiday]] = {}
    for h in year_holidays(province, year):
        days.setdefault(h.day, []).append(h)
    return {day: tuple(found) for day, found in days.items()}


def holidays_in(province: str, first: date, last: date) -> list[Holiday]:
    """The calendar for the inclusive range ``first``..``last``, by date."""
    return [
        h
        for year in range(first.year, last.year + 1)
        for h in year_holidays(province, year)
        if first <= h.day <= last
    ]


def optional_holidays(province: str, around: int | None = None) -> tuple[OptionalHoliday, ...]:
    """The optional holidays the clinic may close for, sorted by name.

    Read from the year ``around`` (this year by default) and the next, so a holiday new this
    year or next is offered.
    """
    year = around if around is not None else date.today().year
    found: dict[str, str] = {}
    for y in (year, year + 1):
        for h in year_holidays(province, y):
            if not h.statutory and not h.observed:
                found.setdefault(h.key, h.name)
    return tuple(sorted((OptionalHoliday(k, n) for k, n in found.items()), key=lambda o: o.name))


def closes_clinic(
    holiday: Holiday, closed_optional: Iterable[str], close_on_observed: bool
) -> bool:
    """Whether this holiday shuts the clinic under its choices."""
    if holiday.observed and not close_on_observed:
        return False
    return holiday.statutory or holiday.key in set(closed_optional)


def closing_holiday(
    province: str, closed_optional: Iterable[str], close_on_observed: bool, day: date
) -> str | None:
    """The name of the holiday that shuts the clinic on ``day``, or None when none does."""
    chosen = set(closed_optional)
    names = [
        h.name
        for h in _by_day(province, day.year).get(day, ())
        if closes_clinic(h, chosen, close_on_observed)
    ]
    return "; ".join(dict.fromkeys(names)) or None
