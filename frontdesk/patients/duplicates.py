"""Possible duplicates of a patient being saved (body follows)."""

from __future__ import annotations

from frontdesk.db.engine import Database
from frontdesk.patients.types import DuplicateCandidate, PatientInput


def find_duplicates(
    db: Database, data: PatientInput, *, exclude_id: int | None = None
) -> list[DuplicateCandidate]:
    """Existing patients with the same health number, name and birth date, or phone."""
    raise NotImplementedError
