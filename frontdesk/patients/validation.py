"""Checking and tidying what was typed into the patient form.

Every field is checked before anything is saved and every problem is reported at once, keyed by
field name, in words a receptionist can act on. The database's constraints (non-empty names,
9-digit unique health number) remain the last line of defence behind these checks.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from frontdesk.domain import ValidationError
from frontdesk.patients.types import PatientInput, ValidPatient
from frontdesk.phones import parse_phone
from frontdesk.text import unstorable_errors

EARLIEST_BIRTH = date(1900, 1, 1)
NAME_MAX = 100
EMAIL_MAX = 200
EMERGENCY_MAX = 200
REFERRAL_MAX = 100
ADDRESS_MAX = 500
NOTES_MAX = 10_000

_NAME_PUNCTUATION = frozenset(" '’-.")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_HEALTH_SEPARATORS = re.compile(r"[\s\-]")
_SPACES = re.compile(r"\s+")


def _tidy(text: str) -> str:
    """Trim and collapse runs of spaces: what people mean, not what they happened to type."""
    return _SPACES.sub(" ", text).strip()


def _name_problem(name: str, label: str, *, required: bool) -> str | None:
    if not name:
        return f"Enter the patient's {label}." if required else None
    if len(name) > NAME_MAX:
        return f"The {label} is too long (at most {NAME_MAX} characters)."
    for ch in name:
        if ch in _NAME_PUNCTUATION:
            continue
        if unicodedata.category(ch)[0] not in ("L", "M"):
            return (
                f"The {label} can contain only letters, spaces, hyphens (-), "
                "apostrophes (') and periods."
            )
    if not any(unicodedata.category(ch)[0] == "L" for ch in name):
        return f"The {label} must contain at least one letter."
    return None


def normalise_health_number(text: str) -> str | None:
    """Nine digits, or None when empty; ValueError with the message otherwise."""
    digits = _HEALTH_SEPARATORS.sub("", text)
    if not digits:
        return None
    if not digits.isdigit() or len(digits) != 9:
        raise ValueError(
            "An Alberta health number has exactly 9 digits (spaces or dashes are fine), "
            "for example 12345-6789."
        )
    return digits


def _birth_problem(born: date | None, today: date) -> str | None:
    if born is None or not isinstance(born, date):
        return "Enter the date of birth."
    if born > today:
        return "The date of birth cannot be in the future."
    if born < EARLIEST_BIRTH:
        return "The date of birth cannot be before 1900; please check the year."
    return None


def _length_problem(text: str, limit: int, label: str) -> str | None:
    if len(text) > limit:
        return f"The {label} is too long (at most {limit} characters)."
    return None


def validate_patient(data: PatientInput, *, today: date) -> ValidPatient:
    """Check and normalise every field; raise ValidationError naming every bad field at once.

    Uniqueness of the health number needs the database and is checked by the save functions.
    """
    errors: dict[str, str] = {}
    given, family, preferred = (
        _tidy(data.given_name),
        _tidy(data.family_name),
        _tidy(data.preferred_name),
    )
    for field, value, label, required in (
        ("given_name", given, "given name", True),
        ("family_name", family, "family name", True),
        ("preferred_name", preferred, "preferred name", False),
    ):
        problem = _name_problem(value, label, required=required)
        if problem:
            errors[field] = problem
    problem = _birth_problem(data.date_of_birth, today)
    if problem:
        errors["date_of_birth"] = problem
    phones: dict[str, str] = {}
    for field in ("phone", "phone_alt"):
        try:
            phones[field] = parse_phone(getattr(data, field))
        except ValueError as exc:
            errors[field] = str(exc)
    email = data.email.strip()
    if email and (len(email) > EMAIL_MAX or not _EMAIL.match(email)):
        errors["email"] = "Enter an email address like name@example.com, or leave it empty."
    if data.contact_by_email and not email and "email" not in errors:
        errors["email"] = 'Enter the email address to use, or untick "Email about visits".'
    health: str | None = None
    try:
        health = normalise_health_number(data.health_number)
    except ValueError as exc:
        errors["health_number"] = str(exc)
    address = data.address.strip()
    emergency = _tidy(data.emergency_contact)
    referral = _tidy(data.referral_source)
    notes = data.notes.strip()
    for field, value, limit, label in (
        ("address", address, ADDRESS_MAX, "address"),
        ("emergency_contact", emergency, EMERGENCY_MAX, "emergency contact"),
        ("referral_source", referral, REFERRAL_MAX, "referral source"),
        ("notes", notes, NOTES_MAX, "note"),
    ):
        problem = _length_problem(value, limit, label)
        if problem:
            errors[field] = problem
    # A character no database can hold explains the field better than any rule above.
    errors.update(
        unstorable_errors(
            (field, getattr(data, field), label)
            for field, label in (
                ("given_name", "given name"),
                ("family_name", "family name"),
                ("preferred_name", "preferred name"),
                ("phone", "phone number"),
                ("phone_alt", "other phone number"),
                ("email", "email address"),
                ("address", "address"),
                ("health_number", "health number"),
                ("emergency_contact", "emergency contact"),
                ("referral_source", "referral source"),
                ("notes", "note"),
            )
        )
    )
    if errors:
        raise ValidationError(errors)
    assert data.date_of_birth is not None
    return ValidPatient(
        given_name=given.replace("’", "'"),
        family_name=family.replace("’", "'"),
        date_of_birth=data.date_of_birth,
        preferred_name=preferred.replace("’", "'"),
        phone=phones["phone"],
        phone_alt=phones["phone_alt"],
        email=email,
        address=address,
        health_number=health,
        emergency_contact=emergency,
        referral_source=referral,
        notes=notes,
        contact_by_email=bool(data.contact_by_email),
        email_consent=bool(data.email_consent),
    )
