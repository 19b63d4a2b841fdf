"""First available slots."""

from __future__ import annotations

from datetime import date, datetime

from frontdesk.db.engine import Database
from frontdesk.domain import Discipline, TimeOfDay
from frontdesk.scheduling.dto import *  # noqa: F403  (placeholder until implemented)


def first_available(db: Database, type_id: int, *, start_from: datetime, count: int = 10, practitioner_id: int | None = None, discipline: Discipline | None = None, time_of_day: TimeOfDay = TimeOfDay.ANY) -> list[Slot]:
    raise NotImplementedError
