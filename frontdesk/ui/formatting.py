"""How dates, ages and numbers look on screen, and reading a typed date back.

Display only: nothing here decides whether a value is acceptable; the patients service does.
"""

from __future__ import annotations

import re
from datetime import date

from frontdesk.clinic import clinic_today as today_in_zone
from frontdesk.context import AppContext

_TYPED_DATE = re.compile(r"^\s*(\d{4})[-/. ]?(\d{1,2})[-/. ]?(\d{1,2})\s*$")
DATE_FORMAT_HINT = "yyyy-mm-dd"


class TypedDateError(ValueError):
    """Typed text that is not a date; the message says how to type one."""


def clinic_today(ctx: AppContext) -> date:
    """Today's date where the clinic is, not where the computer's clock thinks it is: the
    clock asked now, in the zone the window keeps (``AppContext.clinic``), no database."""
    return today_in_zone(ctx.clock(), ctx.clinic.tz)


def parse_typed_date(text: str) -> date | None:
    """A date typed year first (``1984-03-21``, ``1984/3/21``, ``19840321``); None if blank.

    Year first is the only unambiguous order: 03/04/1984 is March in one clinic's habits and
    April in another's, so day-first and month-first are refused rather than guessed.
    """
    if not text.strip():
        return None
    match = _TYPED_DATE.match(text)
    if not match:
        raise TypedDateError("Type the date as year-month-day, for example 1984-03-21.")
    year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise TypedDateError(
            f"There is no such date as {text.strip()}; check the month and the day."
        ) from None


def age_on(born: date, today: date) -> int:
    """Whole years of age on ``today``."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def format_date(value: date | None) -> str:
    """ISO order on screen too: the same order people are asked to type."""
    return value.isoformat() if value else ""


def format_long_date(value: date) -> str:
    """A date spelled out ("21 March 1984") to confirm what was typed."""
    return f"{value.day} {value:%B %Y}"


def format_health_number(digits: str | None) -> str:
    """Alberta health numbers are read out as 5 + 4 digits (12345-6789)."""
    if not digits:
        return ""
    if len(digits) == 9 and digits.isdigit():
        return f"{digits[:5]}-{digits[5:]}"
    return digits
