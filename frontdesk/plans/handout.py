"""Gathering what a treatment-plan handout prints, in one read, as display-ready values."""

from __future__ import annotations

from datetime import datetime

from frontdesk.db.engine import Database
from frontdesk.plans.library import HomecareLibrary
from frontdesk.plans.types import HandoutData


def handout_data(
    db: Database, revision_id: int, *, now: datetime, library: HomecareLibrary | None = None
) -> HandoutData:
    """Clinic, patient, practitioner, plan and the course's appointments for one revision."""
    raise NotImplementedError
