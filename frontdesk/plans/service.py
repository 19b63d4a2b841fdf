"""Creating, editing and reading treatment plans.

A plan's content lives in numbered revisions. Saving edits the latest revision in place until
that revision has been printed; after that a save makes revision n+1, so the paper the patient
holds always matches a revision that still exists unchanged.
"""

from __future__ import annotations

from datetime import datetime

from frontdesk.db.engine import Database
from frontdesk.plans.types import PlanInput, PlanRevisionView, PlanSummary, RevisionSummary


def create_plan(db: Database, data: PlanInput, *, now: datetime) -> PlanRevisionView:
    """Start a plan with revision 1; ``ValidationError`` per bad field, nothing stored."""
    raise NotImplementedError


def save_plan(db: Database, plan_id: int, data: PlanInput, *, now: datetime) -> PlanRevisionView:
    """Save new content: edits the latest revision unless it was printed, then adds one."""
    raise NotImplementedError


def mark_printed(db: Database, revision_id: int, *, now: datetime) -> None:
    """Freeze a revision because a copy of it left the building."""
    raise NotImplementedError


def get_plan(db: Database, plan_id: int, revision: int | None = None) -> PlanRevisionView:
    """A plan's latest revision, or the numbered one; ``NotFound`` if either is missing."""
    raise NotImplementedError


def list_plans(db: Database, patient_id: int) -> list[PlanSummary]:
    """A patient's plans, most recently changed first."""
    raise NotImplementedError


def list_revisions(db: Database, plan_id: int) -> list[RevisionSummary]:
    """A plan's revisions, oldest first."""
    raise NotImplementedError


def current_plan_for_patient(db: Database, patient_id: int) -> PlanRevisionView | None:
    """Latest revision of the patient's most recently changed, not archived plan."""
    raise NotImplementedError
