"""Treatment rooms: the names the booking dialog offers, and which are still in use."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.accounts.operation import operation
from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, Room
from frontdesk.domain import NotFound, ValidationError
from frontdesk.scheduling.dto import RoomView
from frontdesk.setup.bookings import future_count, refuse_if_booked
from frontdesk.text import unstorable_problem


def _view(row: Room) -> RoomView:
    return RoomView(row.id, row.name, row.active)


def _check_name(s: Session, name: str, room_id: int | None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError.single("name", "Enter the room's name, such as Room 1.")
    if len(name) > 60:
        raise ValidationError.single("name", "The room's name is too long (60 characters).")
    problem = unstorable_problem(name, "room's name")
    if problem:
        raise ValidationError.single("name", problem)
    clash = s.scalar(select(Room.id).where(func.lower(Room.name) == name.lower()))
    if clash is not None and clash != room_id:
        raise ValidationError.single("name", f"There is already a room called {name}.")
    return name


@operation("list_all_rooms")
def list_all_rooms(db: Database) -> list[RoomView]:
    """Every room, active first, by name."""
    with db.read() as s:
        rows = s.scalars(select(Room).order_by(Room.active.desc(), Room.name, Room.id))
        return [_view(r) for r in rows]


@operation("add_room")
def add_room(db: Database, name: str) -> RoomView:
    """A new active room; its name must differ from every other room's (case aside)."""
    with db.write() as s:
        row = Room(name=_check_name(s, name, None), active=True)
        s.add(row)
        s.flush()
        return _view(row)


def _get(s: Session, room_id: int) -> Room:
    row = s.scalars(select(Room).where(Room.id == room_id).with_for_update()).one_or_none()
    if row is None:
        raise NotFound("This room no longer exists; the list has been refreshed.")
    return row


@operation("rename_room")
def rename_room(db: Database, room_id: int, name: str) -> RoomView:
    """A new name; booked appointments follow the room, not its old name."""
    with db.write() as s:
        row = _get(s, room_id)
        row.name = _check_name(s, name, room_id)
        return _view(row)


@operation("deactivate_room")
def deactivate_room(db: Database, room_id: int, *, now: datetime) -> RoomView:
    """Stop offering a room; refused (``StillBooked``) while appointments still use it."""
    with db.write() as s:
        row = _get(s, room_id)
        refuse_if_booked(future_count(s, Appointment.room_id, row.id, now), row.name)
        row.active = False
        return _view(row)


@operation("reactivate_room")
def reactivate_room(db: Database, room_id: int) -> RoomView:
    with db.write() as s:
        row = _get(s, room_id)
        row.active = True
        return _view(row)
