"""Search-as-you-type over patients (body follows)."""

from __future__ import annotations

from frontdesk.db.engine import Database
from frontdesk.patients.types import PatientSummary, SortKey


def search_patients(
    db: Database,
    query: str,
    *,
    include_archived: bool = False,
    limit: int = 50,
    after: SortKey | None = None,
) -> list[PatientSummary]:
    """Patients matching every word of ``query``, sorted by family, given name, id."""
    raise NotImplementedError
