"""A deterministic demo clinic (body follows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from frontdesk.db.engine import Database

DEMO_VERSION = 1


@dataclass(frozen=True)
class DemoSummary:
    """What ``build_demo`` wrote, and how long it took."""

    clinic_name: str
    practitioners: int
    rooms: int
    patients: int
    appointments: int
    courses: int
    plans: int
    session_notes: int
    today: date
    seconds: float


def build_demo(
    db: Database,
    *,
    patients: int = 300,
    appointments: int | None = None,
    seed: int = 2026,
    today: date | None = None,
) -> DemoSummary:
    """Fill an empty clinic database with a realistic, reproducible demo clinic."""
    raise NotImplementedError
