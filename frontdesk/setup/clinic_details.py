"""The clinic's identity: name, contact details, time zone, province, paper size and logo,
and how many idle minutes before a desk locks.

Everything a handout prints and every rule about days and hours depends on these, so each
field is checked before anything is stored and a refused save changes nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from zoneinfo import available_timezones

from sqlalchemy import select

from frontdesk.accounts.operation import operation
from frontdesk.accounts.service import lock_minutes_problem
from frontdesk.clinic import load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import ClinicSettings
from frontdesk.domain import NotFound, PageSize, ValidationError
from frontdesk.logo import MAX_LOGO_BYTES, LogoError, decode_logo, prepare_logo  # noqa: F401
from frontdesk.phones import format_phone, parse_phone
from frontdesk.setup.holidays import optional_holidays
from frontdesk.setup.types import ClinicDetails
from frontdesk.text import unstorable_errors

PROVINCES: dict[str, str] = {
    "AB": "Alberta",
    "BC": "British Columbia",
    "MB": "Manitoba",
    "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador",
    "NS": "Nova Scotia",
    "NT": "Northwest Territories",
    "NU": "Nunavut",
    "ON": "Ontario",
    "PE": "Prince Edward Island",
    "QC": "Quebec",
    "SK": "Saskatchewan",
    "YT": "Yukon",
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@lru_cache(maxsize=1)
def time_zones() -> tuple[str, ...]:
    """Every IANA zone name this computer knows, sorted, for the time zone picker."""
    return tuple(sorted(available_timezones()))


@operation("get_clinic_details")
def get_clinic_details(db: Database) -> ClinicDetails:
    """The clinic's details as the Clinic form edits them."""
    with db.read() as s:
        info = load_clinic(s)
        lock_after = s.scalar(select(ClinicSettings.lock_after_minutes))
    return ClinicDetails(
        name=info.name,
        address=info.address,
        phone=info.phone,
        email=info.email,
        timezone=info.timezone,
        province=info.province,
        closed_optional_holidays=info.closed_optional_holidays,
        page_size=info.page_size,
        logo=info.logo_png,
        lock_after_minutes=lock_after,
    )


def logo_error(data: bytes) -> str | None:
    """Why these bytes cannot be the handout's logo, or None when they can (``frontdesk.logo``
    decodes the whole picture, so damaged image data is caught here, not on paper)."""
    try:
        decode_logo(data)
    except LogoError as exc:
        return str(exc)
    return None


def clinic_errors(details: ClinicDetails) -> dict[str, str]:
    """One message per wrong field; empty when the details can be saved."""
    errors: dict[str, str] = {}
    name = details.name.strip()
    if not name:
        errors["name"] = "Enter the clinic's name; it is printed on every handout."
    elif len(name) > 200:
        errors["name"] = "The clinic's name is too long (200 characters at most)."
    try:
        parse_phone(details.phone)
    except ValueError as exc:
        errors["phone"] = str(exc)
    email = details.email.strip()
    if email and not _EMAIL.match(email):
        errors["email"] = "This is not an email address; it should look like desk@clinic.ca."
    elif len(email) > 200:
        errors["email"] = "The email address is too long (200 characters at most)."
    if details.timezone not in time_zones():
        errors["timezone"] = (
            f"“{details.timezone}” is not a time zone; choose one from the "
            "list, such as America/Edmonton."
        )
    if details.province not in PROVINCES:
        errors["province"] = "Choose the province or territory whose holidays the clinic keeps."
    else:
        known = {o.key for o in optional_holidays(details.province)}
        unknown = [n for n in details.closed_optional_holidays if n not in known]
        if unknown:
            errors["closed_optional_holidays"] = (
                f"{', '.join(unknown)} is not an optional holiday in "
                f"{PROVINCES[details.province]}; tick only holidays from the list."
            )
    try:
        PageSize(details.page_size)
    except ValueError:
        errors["page_size"] = "Choose Letter or A4 for printed handouts."
    if details.logo is not None:
        message = logo_error(details.logo)
        if message:
            errors["logo"] = message
    if details.lock_after_minutes is not None:
        problem = lock_minutes_problem(details.lock_after_minutes)
        if problem:
            errors["lock_after_minutes"] = problem
    errors.update(
        unstorable_errors(
            (
                ("name", details.name, "clinic's name"),
                ("address", details.address, "address"),
                ("phone", details.phone, "phone number"),
                ("email", details.email, "email address"),
            )
        )
    )
    return errors


@operation("update_clinic_details")
def update_clinic_details(db: Database, details: ClinicDetails) -> ClinicDetails:
    """Save every field at once, or nothing when any is wrong (``ValidationError``)."""
    errors = clinic_errors(details)
    if errors:
        raise ValidationError(errors)
    with db.write() as s:
        row = s.get(ClinicSettings, 1)
        if row is None:
            raise NotFound("The clinic settings are missing; open the database with Frontdesk.")
        row.name = details.name.strip()
        row.address = details.address.strip()
        row.phone = parse_phone(details.phone)
        row.email = details.email.strip()
        row.timezone = details.timezone
        row.province = details.province
        row.closed_optional_holidays = list(dict.fromkeys(details.closed_optional_holidays))
        row.page_size = PageSize(details.page_size).value
        row.logo_png = prepare_logo(details.logo) if details.logo is not None else None
        if details.lock_after_minutes is not None:
            row.lock_after_minutes = details.lock_after_minutes
        return ClinicDetails(
            row.name,
            row.address,
            format_phone(row.phone),
            row.email,
            row.timezone,
            row.province,
            tuple(row.closed_optional_holidays),
            PageSize(row.page_size),
            row.logo_png,
            row.lock_after_minutes,
        )
