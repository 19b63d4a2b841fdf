"""Practitioners: who can be booked, in which colour, and on which hours of the week.

Adding or editing saves the details, the whole weekly grid and the profession and registration
number receipts print in one transaction, so a half-saved week can never be booked against and
a refusal half-way leaves no practitioner behind (saving again adds no second one).
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.accounts.operation import operation
from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, Practitioner
from frontdesk.domain import Discipline, NotFound, ValidationError
from frontdesk.setup.bookings import future_count, refuse_if_booked
from frontdesk.setup.hours import load_working_hours, store_working_hours, weekly_errors
from frontdesk.setup.types import PractitionerInput, PractitionerSetup
from frontdesk.text import unstorable_errors

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def colour_error(colour: str) -> str | None:
    """Why a calendar colour is refused (it must be #rrggbb), or None."""
    if COLOUR.match(colour.strip()):
        return None
    return "Choose a colour (it is stored as # and six hex digits, like #4a7ab5)."


def registration_errors(profession: str, registration_number: str) -> dict[str, str]:
    """What an insurer needs on a receipt, checked: one message per field that cannot be
    saved (``profession``, ``registration_number``)."""
    errors: dict[str, str] = {}
    if len(profession.strip()) > 80:
        errors["profession"] = "A profession is at most 80 characters."
    if len(registration_number.strip()) > 40:
        errors["registration_number"] = "A registration number is at most 40 characters."
    errors.update(
        unstorable_errors(
            (
                ("profession", profession, "profession"),
                ("registration_number", registration_number, "registration number"),
            )
        )
    )
    return errors


def practitioner_errors(data: PractitionerInput) -> dict[str, str]:
    """One message per wrong field or weekday; empty when the practitioner can be saved."""
    errors: dict[str, str] = {}
    name = data.display_name.strip()
    if not name:
        errors["display_name"] = "Enter the name patients and the calendar will see."
    elif len(name) > 120:
        errors["display_name"] = "The name is too long (120 characters at most)."
    if len(data.credentials.strip()) > 60:
        errors["credentials"] = "Credentials are too long (60 characters at most)."
    try:
        Discipline(data.discipline)
    except ValueError:
        errors["discipline"] = "Choose acupuncture, physiotherapy or chiropractic."
    message = colour_error(data.colour)
    if message:
        errors["colour"] = message
    errors.update(weekly_errors(data.hours))
    errors.update(registration_errors(data.profession or "", data.registration_number or ""))
    errors.update(
        unstorable_errors(
            (
                ("display_name", data.display_name, "name"),
                ("credentials", data.credentials, "credentials"),
            )
        )
    )
    return errors


def _setup(s: Session, row: Practitioner) -> PractitionerSetup:
    return PractitionerSetup(
        row.id,
        row.display_name,
        row.credentials,
        Discipline(row.discipline),
        row.colour,
        row.active,
        load_working_hours(s, row.id),
    )


def _get(s: Session, practitioner_id: int) -> Practitioner:
    row = s.get(Practitioner, practitioner_id)
    if row is None:
        raise NotFound("This practitioner no longer exists; the list has been refreshed.")
    return row


@operation("list_practitioner_setups")
def list_practitioner_setups(db: Database) -> list[PractitionerSetup]:
    """Every practitioner, active first, each with their weekly hours."""
    with db.read() as s:
        rows = s.scalars(
            select(Practitioner).order_by(
                Practitioner.active.desc(), Practitioner.display_name, Practitioner.id
            )
        )
        return [_setup(s, row) for row in rows]


@operation("get_practitioner_setup")
def get_practitioner_setup(db: Database, practitioner_id: int) -> PractitionerSetup:
    with db.read() as s:
        return _setup(s, _get(s, practitioner_id))


def _apply(row: Practitioner, data: PractitionerInput) -> None:
    row.display_name = data.display_name.strip()
    row.credentials = data.credentials.strip()
    row.discipline = Discipline(data.discipline).value
    row.colour = data.colour.strip().lower()
    if data.profession is not None:
        row.profession = data.profession.strip()
    if data.registration_number is not None:
        row.registration_number = data.registration_number.strip()


@operation("add_practitioner")
def add_practitioner(db: Database, data: PractitionerInput) -> PractitionerSetup:
    """A new, active practitioner with their weekly hours and receipt line, bookable at once."""
    errors = practitioner_errors(data)
    if errors:
        raise ValidationError(errors)
    with db.write() as s:
        row = Practitioner(active=True)
        _apply(row, data)
        s.add(row)
        s.flush()
        store_working_hours(s, row.id, data.hours)
        s.flush()
        return _setup(s, row)


@operation("update_practitioner")
def update_practitioner(
    db: Database, practitioner_id: int, data: PractitionerInput
) -> PractitionerSetup:
    """Change details, hours and receipt line together; appointments already booked are kept
    as they are."""
    errors = practitioner_errors(data)
    if errors:
        raise ValidationError(errors)
    with db.write() as s:
        row = _get(s, practitioner_id)
        _apply(row, data)
        store_working_hours(s, row.id, data.hours)
        s.flush()
        return _setup(s, row)


@operation("deactivate_practitioner")
def deactivate_practitioner(
    db: Database, practitioner_id: int, *, now: datetime
) -> PractitionerSetup:
    """Stop offering this practitioner; refused (``StillBooked``) while appointments remain."""
    with db.write() as s:
        row = s.scalars(
            select(Practitioner).where(Practitioner.id == practitioner_id).with_for_update()
        ).one_or_none()
        if row is None:
            raise NotFound("This practitioner no longer exists; the list has been refreshed.")
        refuse_if_booked(
            future_count(s, Appointment.practitioner_id, row.id, now), row.display_name
        )
        row.active = False
        return _setup(s, row)


@operation("reactivate_practitioner")
def reactivate_practitioner(db: Database, practitioner_id: int) -> PractitionerSetup:
    """Offer a practitioner for booking again, with the hours they had."""
    with db.write() as s:
        row = _get(s, practitioner_id)
        row.active = True
        return _setup(s, row)
