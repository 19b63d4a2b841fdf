"""Counting the appointments still to come for a practitioner or a room.

Deactivating either is refused while any are booked: the calendar only has columns for active
practitioners, and the booking dialog only offers active rooms, so those appointments would
drop out of sight. Reception moves or cancels them first, then deactivates.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import InstrumentedAttribute

from frontdesk.db.models import Appointment
from frontdesk.domain import ACTIVE_STATUSES, BookingError


class StillBooked(BookingError):
    """Deactivation refused: ``count`` appointments from now on still need this person/room."""

    def __init__(self, message: str, *, count: int) -> None:
        self.count = count
        super().__init__(message)


def future_count(s: Session, column: InstrumentedAttribute[Any], row_id: int, now: datetime) -> int:
    """Active appointments (booked or checked in) ending after ``now`` that use ``row_id``."""
    return int(
        s.scalar(
            select(func.count(Appointment.id)).where(
                column == row_id,
                Appointment.end_at > now,
                Appointment.status.in_(ACTIVE_STATUSES),
                Appointment.status != "completed",
            )
        )
        or 0
    )


def refuse_if_booked(count: int, who: str) -> None:
    """Raise ``StillBooked`` naming how many appointments stand in the way."""
    if count:
        plural = "appointment" if count == 1 else "appointments"
        raise StillBooked(
            f"{who} still has {count} booked {plural} from now on. Move or cancel "
            f"{'it' if count == 1 else 'them'} on the Calendar first, then deactivate.",
            count=count,
        )
