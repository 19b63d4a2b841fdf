"""Day and week views for the calendar."""

from __future__ import annotations

from datetime import date, datetime

from frontdesk.db.engine import Database
from frontdesk.domain import Discipline, TimeOfDay
from frontdesk.scheduling.dto import *  # noqa: F403  (placeholder until implemented)


def day_schedule(db: Database, day: date, *, practitioner_ids: list[int] | None = None, include_cancelled: bool = True) -> DaySchedule:
    raise NotImplementedError


def week_schedule(db: Database, first_day: date, practitioner_id: int, *, include_cancelled: bool = True) -> list[DaySchedule]:
    raise NotImplementedError


def patient_appointments(db: Database, patient_id: int) -> list[AppointmentView]:
    raise NotImplementedError
