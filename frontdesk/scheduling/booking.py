"""Booking, checking and moving single appointments under every clinic rule."""

from __future__ import annotations

from datetime import date, datetime

from frontdesk.db.engine import Database
from frontdesk.domain import Discipline, TimeOfDay
from frontdesk.scheduling.dto import *  # noqa: F403  (placeholder until implemented)


def check_booking(db: Database, req: BookingRequest, *, now: datetime) -> None:
    raise NotImplementedError


def book_appointment(db: Database, req: BookingRequest, *, now: datetime) -> AppointmentView:
    raise NotImplementedError


def get_appointment(db: Database, appointment_id: int) -> AppointmentView:
    raise NotImplementedError


def reschedule(db: Database, appointment_id: int, new_start: datetime, *, now: datetime, practitioner_id: int | None = None, room_id: int | None = None) -> AppointmentView:
    raise NotImplementedError


def restore_cancelled(db: Database, appointment_id: int, *, now: datetime) -> AppointmentView:
    raise NotImplementedError
