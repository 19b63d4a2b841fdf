"""Practitioners, rooms and appointment types as the pickers of every screen list them."""

from __future__ import annotations

from datetime import date, datetime

from frontdesk.db.engine import Database
from frontdesk.domain import Discipline, TimeOfDay
from frontdesk.scheduling.dto import *  # noqa: F403  (placeholder until implemented)


def list_practitioners(db: Database, *, active_only: bool = True) -> list[PractitionerView]:
    raise NotImplementedError


def list_rooms(db: Database, *, active_only: bool = True) -> list[RoomView]:
    raise NotImplementedError


def list_appointment_types(db: Database, *, active_only: bool = True) -> list[AppointmentTypeView]:
    raise NotImplementedError
