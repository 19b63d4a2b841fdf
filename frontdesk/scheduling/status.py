"""The status workflow of an appointment."""

from __future__ import annotations

from datetime import date, datetime

from frontdesk.db.engine import Database
from frontdesk.domain import Discipline, TimeOfDay
from frontdesk.scheduling.dto import *  # noqa: F403  (placeholder until implemented)


def check_in(db: Database, appointment_id: int, *, now: datetime) -> AppointmentView:
    raise NotImplementedError


def complete(db: Database, appointment_id: int, *, now: datetime) -> AppointmentView:
    raise NotImplementedError


def mark_no_show(db: Database, appointment_id: int, *, now: datetime) -> AppointmentView:
    raise NotImplementedError


def cancel(db: Database, appointment_id: int, reason: str, *, now: datetime) -> AppointmentView:
    raise NotImplementedError
