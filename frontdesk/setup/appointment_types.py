"""Appointment types: what reception can book, for how long, and in which colour."""

from __future__ import annotations

from sqlalchemy import func, select

from frontdesk.accounts.operation import operation
from frontdesk.db.engine import Database
from frontdesk.db.models import AppointmentType
from frontdesk.domain import Discipline, NotFound, ValidationError
from frontdesk.scheduling.catalogue import type_view
from frontdesk.scheduling.dto import AppointmentTypeView
from frontdesk.setup.staff import colour_error
from frontdesk.setup.types import AppointmentTypeInput
from frontdesk.text import unstorable_errors


def type_errors(data: AppointmentTypeInput) -> dict[str, str]:
    """One message per wrong field (the name's uniqueness is checked when saving)."""
    errors: dict[str, str] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = "Enter the name reception picks when booking."
    elif len(name) > 80:
        errors["name"] = "The name is too long (80 characters at most)."
    if not 5 <= data.duration_minutes <= 480:
        errors["duration_minutes"] = "An appointment lasts between 5 minutes and 8 hours."
    elif data.duration_minutes % 5:
        errors["duration_minutes"] = "Use a length in steps of 5 minutes, to fit the calendar."
    message = colour_error(data.colour)
    if message:
        errors["colour"] = message
    if data.discipline is not None:
        try:
            Discipline(data.discipline)
        except ValueError:
            errors["discipline"] = "Choose a discipline, or Any practitioner."
    errors.update(unstorable_errors([("name", data.name, "name")]))
    return errors


def _save(db: Database, type_id: int | None, data: AppointmentTypeInput) -> AppointmentTypeView:
    errors = type_errors(data)
    if errors:
        raise ValidationError(errors)
    name = data.name.strip()
    with db.write() as s:
        clash = s.scalar(
            select(AppointmentType.id).where(func.lower(AppointmentType.name) == name.lower())
        )
        if clash is not None and clash != type_id:
            raise ValidationError.single("name", f"There is already a type called {name}.")
        row = AppointmentType(active=True) if type_id is None else s.get(AppointmentType, type_id)
        if row is None:
            raise NotFound("This appointment type no longer exists; the list was refreshed.")
        row.name = name
        row.duration_minutes = data.duration_minutes
        row.colour = data.colour.strip().lower()
        row.needs_room = data.needs_room
        row.discipline = Discipline(data.discipline).value if data.discipline else None
        s.add(row)
        s.flush()
        return type_view(row)


@operation("add_appointment_type")
def add_appointment_type(db: Database, data: AppointmentTypeInput) -> AppointmentTypeView:
    """A new type, bookable at once."""
    return _save(db, None, data)


@operation("update_appointment_type")
def update_appointment_type(
    db: Database, type_id: int, data: AppointmentTypeInput
) -> AppointmentTypeView:
    """Change a type; appointments already booked keep the length they were booked with."""
    return _save(db, type_id, data)
