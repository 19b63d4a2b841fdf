"""What a handout may add when the practitioner ticks it: progress so far and home precautions.

Both come from the clinical record, so only those who read it (practitioners, administrators)
can ask for them: the pain score before each session and the outcome questionnaires' scores,
as lines for a small chart; and, for each caution the latest intake raised, the advice the
intake form gives the patient for home. Reception prints the handout without them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from frontdesk.accounts.operation import by_patient, operation
from frontdesk.db.engine import Database
from frontdesk.intake.forms import load_forms
from frontdesk.intake.service import intake_cautions
from frontdesk.notes import pain_trend
from frontdesk.outcomes.service import chart_lines, outcome_history
from frontdesk.plans.types import HandoutData

Line = tuple[str, tuple[tuple[date, float], ...]]


@dataclass(frozen=True)
class HandoutExtras:
    progress: tuple[Line, ...] = ()
    precautions: tuple[str, ...] = ()


@operation(
    "handout_extras", patient=by_patient, access="open", entity="patients", record="patient_id"
)
def handout_extras(
    db: Database, patient_id: int, *, progress: bool, precautions: bool
) -> HandoutExtras:
    """The progress lines and home precautions to print, each only when asked for."""
    lines: list[Line] = []
    if progress:
        before = tuple(
            (p.day, float(p.pain_before))
            for p in pain_trend(db, patient_id)
            if p.pain_before is not None
        )
        if before:
            lines.append(("Pain at the start of each session, \u2193 better", before))
        lines += chart_lines(outcome_history(db, patient_id))
    advice: list[str] = []
    if precautions:
        questions = {q.id: q for form in load_forms().intakes for q in form.questions}
        for caution in intake_cautions(db, patient_id):
            question = questions.get(caution.question_id)
            text = question.home_advice if question is not None else ""
            if text and text not in advice:
                advice.append(text)
    return HandoutExtras(tuple(lines), tuple(advice))


def with_extras(data: HandoutData, extras: HandoutExtras) -> HandoutData:
    """``data`` with the ticked extras to print."""
    return replace(data, progress=extras.progress, precautions=extras.precautions)
