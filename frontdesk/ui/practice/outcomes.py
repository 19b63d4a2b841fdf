"""What the chart shows of outcome questionnaires: the score lines and what is due now.

Read on a worker with the rest of the chart (``read_outcomes`` makes only service calls).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from frontdesk.db.engine import Database
from frontdesk.outcomes.questionnaires import Questionnaire, load_questionnaires
from frontdesk.outcomes.service import DueOutcome, chart_lines, outcome_history, outcomes_due
from frontdesk.ui.practice.pain_chart import OutcomeLine


@dataclass(frozen=True)
class ChartOutcomes:
    lines: tuple[OutcomeLine, ...]
    due: tuple[DueOutcome, ...]
    questionnaires: dict[str, Questionnaire]

    @property
    def due_text(self) -> str:
        """e.g. "Due at this visit: Numeric Pain Rating Scale (3 sessions since …)"."""
        if not self.due:
            return ""
        parts = [f"{d.title} ({d.reason.rstrip('.')})" for d in self.due]
        return "Questionnaire due at this visit: " + "; ".join(parts) + "."


def read_outcomes(db: Database, patient_id: int, now: datetime) -> ChartOutcomes:
    known = load_questionnaires()
    lines = tuple(
        OutcomeLine(name, points) for name, points in chart_lines(outcome_history(db, patient_id))
    )
    due = tuple(outcomes_due(db, patient_id, now=now, questionnaires=known))
    return ChartOutcomes(lines, due, known)
