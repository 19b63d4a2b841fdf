"""Practitioners, rooms and appointment types, as the pickers of every screen list them."""

from __future__ import annotations

from sqlalchemy import select

from frontdesk.accounts.operation import operation
from frontdesk.db.engine import Database
from frontdesk.db.models import AppointmentType, Practitioner, Room
from frontdesk.domain import Discipline
from frontdesk.scheduling.dto import AppointmentTypeView, PractitionerView, RoomView


def practitioner_view(p: Practitioner) -> PractitionerView:
    """A practitioner row as a DTO (shared with the calendar's schedule)."""
    return PractitionerView(
        p.id, p.display_name, p.credentials, Discipline(p.discipline), p.colour, p.active
    )


def type_view(t: AppointmentType) -> AppointmentTypeView:
    """An appointment type row as a DTO."""
    return AppointmentTypeView(
        t.id,
        t.name,
        t.duration_minutes,
        t.colour,
        t.needs_room,
        Discipline(t.discipline) if t.discipline else None,
    )


@operation("list_practitioners")
def list_practitioners(db: Database, *, active_only: bool = True) -> list[PractitionerView]:
    """Practitioners by name; inactive ones only when asked (for old appointments' names)."""
    stmt = select(Practitioner).order_by(Practitioner.display_name, Practitioner.id)
    if active_only:
        stmt = stmt.where(Practitioner.active.is_(True))
    with db.read() as s:
        return [practitioner_view(p) for p in s.scalars(stmt)]


@operation("list_rooms")
def list_rooms(db: Database, *, active_only: bool = True) -> list[RoomView]:
    """Rooms by name, for the booking dialog's room picker."""
    stmt = select(Room).order_by(Room.name, Room.id)
    if active_only:
        stmt = stmt.where(Room.active.is_(True))
    with db.read() as s:
        return [RoomView(r.id, r.name, r.active) for r in s.scalars(stmt)]


@operation("list_appointment_types")
def list_appointment_types(db: Database, *, active_only: bool = True) -> list[AppointmentTypeView]:
    """Appointment types by name, with the duration and colour a booking uses."""
    stmt = select(AppointmentType).order_by(AppointmentType.name, AppointmentType.id)
    if active_only:
        stmt = stmt.where(AppointmentType.active.is_(True))
    with db.read() as s:
        return [type_view(t) for t in s.scalars(stmt)]
