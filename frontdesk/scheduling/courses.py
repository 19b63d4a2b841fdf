"""Multi-week courses."""

from __future__ import annotations

from datetime import date, datetime

from frontdesk.db.engine import Database
from frontdesk.domain import Discipline, TimeOfDay
from frontdesk.scheduling.dto import *  # noqa: F403  (placeholder until implemented)


def preview_course(db: Database, req: CourseRequest, *, now: datetime) -> list[SessionPreview]:
    raise NotImplementedError


def book_course(db: Database, req: CourseRequest, starts: list[datetime], *, now: datetime) -> CourseView:
    raise NotImplementedError


def get_course(db: Database, course_id: int) -> CourseView:
    raise NotImplementedError


def shift_following(db: Database, appointment_id: int, new_start: datetime, *, now: datetime) -> CourseView:
    raise NotImplementedError


def cancel_remaining(db: Database, course_id: int, reason: str, *, now: datetime) -> CourseView:
    raise NotImplementedError


def extend_course(db: Database, course_id: int, extra: int, *, now: datetime) -> CourseView:
    raise NotImplementedError
