"""Reference rows every clinic database starts with (idempotent).

A new database is usable at once: a settings row for an Edmonton clinic, weekday opening hours
and the four appointment types the clinic offers. Existing rows are never changed, so running
this on a configured clinic is harmless.
"""

from __future__ import annotations

from datetime import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.models import AppointmentType, ClinicSettings, OpeningHours

DEFAULT_TYPES: tuple[tuple[str, int, str, bool, str | None], ...] = (
    # name, minutes, colour, needs a room, discipline
    ("Initial consultation", 60, "#5b8def", True, None),
    ("Acupuncture treatment", 45, "#3aa67a", True, "acupuncture"),
    ("Physiotherapy", 45, "#e08a3c", True, "physiotherapy"),
    ("Trigger point therapy", 30, "#a66bd3", True, None),
)

DEFAULT_OPENING_HOURS: dict[int, tuple[time, time]] = {
    0: (time(8, 0), time(20, 0)),
    1: (time(8, 0), time(20, 0)),
    2: (time(8, 0), time(20, 0)),
    3: (time(8, 0), time(20, 0)),
    4: (time(8, 0), time(18, 0)),
    5: (time(9, 0), time(15, 0)),
}

INITIAL_CONSULTATION = "Initial consultation"
PLACEHOLDER_NAME = "My Clinic"  # a new clinic's name until Settings ▸ Clinic gives its own


def missing_reference_data(session: Session) -> bool:
    """Whether ``seed_reference_data`` would add anything (a read: no lock needed)."""
    return (
        session.get(ClinicSettings, 1) is None
        or session.scalar(select(OpeningHours.weekday).limit(1)) is None
        or session.scalar(select(AppointmentType.id).limit(1)) is None
    )


def seed_reference_data(session: Session, *, clinic_name: str = PLACEHOLDER_NAME) -> None:
    if session.get(ClinicSettings, 1) is None:
        session.add(ClinicSettings(id=1, name=clinic_name))
    if session.scalar(select(OpeningHours.weekday).limit(1)) is None:
        for weekday, (opens, closes) in DEFAULT_OPENING_HOURS.items():
            session.add(OpeningHours(weekday=weekday, opens_at=opens, closes_at=closes))
    if session.scalar(select(AppointmentType.id).limit(1)) is None:
        for name, minutes, colour, needs_room, discipline in DEFAULT_TYPES:
            session.add(
                AppointmentType(
                    name=name,
                    duration_minutes=minutes,
                    colour=colour,
                    needs_room=needs_room,
                    discipline=discipline,
                )
            )
