"""Closures and holidays."""

from __future__ import annotations

from datetime import date, datetime

from frontdesk.db.engine import Database
from frontdesk.domain import Discipline, TimeOfDay
from frontdesk.scheduling.dto import *  # noqa: F403  (placeholder until implemented)


def add_closure(db: Database, starts_on: date, ends_on: date, reason: str) -> ClosureView:
    raise NotImplementedError


def list_closures(db: Database, start: date, end: date) -> list[ClosureView]:
    raise NotImplementedError


def holidays_between(db: Database, start: date, end: date) -> dict[date, str]:
    raise NotImplementedError
