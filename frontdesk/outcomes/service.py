"""Recording outcome questionnaires, reading a patient's scores, and saying when one is due.

A questionnaire is asked at the first visit and again every few completed sessions (its
``repeat_every_sessions``); ``outcomes_due`` is what reminds the practitioner. Anyone at the
clinic may record a response (the patient fills it in at the desk or with the practitioner);
only practitioners and administrators read them, as with session notes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import func, select

from frontdesk.accounts.operation import by_patient, operation
from frontdesk.clinic import clinic_today, load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, OutcomeResponse, Patient
from frontdesk.domain import AppointmentStatus, NotFound, ValidationError
from frontdesk.outcomes.questionnaires import Answer, Questionnaire, load_questionnaires, score


@dataclass(frozen=True)
class OutcomeView:
    id: int
    patient_id: int
    questionnaire: str
    title: str
    short: str
    direction: str
    scale_min: int
    scale_max: int
    taken_on: date
    score: Decimal
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class DueOutcome:
    """A questionnaire to ask at this visit, why, and the activities to rate again."""

    questionnaire: str
    title: str
    reason: str
    activity_names: tuple[tuple[str, str], ...] = ()  # (item key, the patient's name for it)


def _view(row: OutcomeResponse) -> OutcomeView:
    answers = tuple(
        Answer(str(a["item"]), a.get("value"), str(a.get("name", "")))
        for a in json.loads(row.answers)
    )
    return OutcomeView(
        id=row.id,
        patient_id=row.patient_id,
        questionnaire=row.questionnaire,
        title=row.title,
        short=row.short,
        direction=row.direction,
        scale_min=row.scale_min,
        scale_max=row.scale_max,
        taken_on=row.taken_on,
        score=Decimal(row.score_hundredths) / 100,
        answers=answers,
    )


def _questionnaire(key: str, questionnaires: Mapping[str, Questionnaire] | None) -> Questionnaire:
    found = (questionnaires or load_questionnaires()).get(key)
    if found is None:
        raise ValidationError.single("questionnaire", "Choose a questionnaire the clinic uses.")
    return found


@operation("record_outcome", patient=by_patient)
def record_outcome(
    db: Database,
    patient_id: int,
    key: str,
    answers: Sequence[Answer],
    *,
    now: datetime,
    taken_on: date | None = None,
    appointment_id: int | None = None,
    questionnaires: Mapping[str, Questionnaire] | None = None,
) -> OutcomeView:
    """Score and keep one filled-in questionnaire; refused item by item when incomplete."""
    q = _questionnaire(key, questionnaires)
    value = score(q, answers)
    kept = [
        {"item": a.item, "value": a.value, "name": a.name.strip()}
        for a in answers
        if a.value is not None
    ]
    with db.write() as s:
        if s.get(Patient, patient_id) is None:
            raise NotFound("This patient no longer exists.")
        day = taken_on or clinic_today(now, load_clinic(s).tz)
        if day > clinic_today(now, load_clinic(s).tz):
            raise ValidationError.single("taken_on", "A questionnaire cannot be dated ahead.")
        row = OutcomeResponse(
            patient_id=patient_id,
            questionnaire=q.key,
            title=q.title,
            short=q.short,
            direction=q.direction,
            scale_min=q.scale_min,
            scale_max=q.scale_max,
            taken_on=day,
            recorded_at=now.astimezone(UTC),
            appointment_id=appointment_id,
            answers=json.dumps(kept, ensure_ascii=False),
            score_hundredths=int(value * 100),
        )
        s.add(row)
        s.flush()
        return _view(row)


@operation("outcome_history", patient=by_patient, access="open", entity="outcome_responses")
def outcome_history(db: Database, patient_id: int) -> list[OutcomeView]:
    """Every response of the patient, oldest first (the chart's series)."""
    with db.read() as s:
        rows = s.scalars(
            select(OutcomeResponse)
            .where(OutcomeResponse.patient_id == patient_id)
            .order_by(OutcomeResponse.taken_on, OutcomeResponse.id)
        ).all()
        return [_view(r) for r in rows]


def series(history: Sequence[OutcomeView]) -> dict[str, list[tuple[date, Decimal]]]:
    """Scores by questionnaire, oldest first: what the chart plots."""
    found: dict[str, list[tuple[date, Decimal]]] = {}
    for view in history:
        found.setdefault(view.questionnaire, []).append((view.taken_on, view.score))
    return found


@operation("outcomes_due", patient=by_patient)
def outcomes_due(
    db: Database,
    patient_id: int,
    *,
    now: datetime,
    questionnaires: Mapping[str, Questionnaire] | None = None,
) -> list[DueOutcome]:
    """The questionnaires to ask this patient now: never asked, or asked ``repeat_every_sessions``
    or more completed sessions ago."""
    known = questionnaires or load_questionnaires()
    due: list[DueOutcome] = []
    with db.read() as s:
        for q in known.values():
            last = s.scalars(
                select(OutcomeResponse)
                .where(
                    OutcomeResponse.patient_id == patient_id,
                    OutcomeResponse.questionnaire == q.key,
                )
                .order_by(OutcomeResponse.taken_on.desc(), OutcomeResponse.id.desc())
                .limit(1)
            ).first()
            if last is None:
                due.append(DueOutcome(q.key, q.title, "Not asked yet: ask at this visit."))
                continue
            if q.repeat_every_sessions <= 0:
                continue
            since = (
                s.scalar(
                    select(func.count(Appointment.id)).where(
                        Appointment.patient_id == patient_id,
                        Appointment.status == AppointmentStatus.COMPLETED.value,
                        Appointment.start_at > last.recorded_at,
                    )
                )
                or 0
            )
            if since >= q.repeat_every_sessions:
                names = tuple((a.item, a.name) for a in _view(last).answers if a.name)
                due.append(
                    DueOutcome(
                        q.key,
                        q.title,
                        f"{since} sessions since it was last asked on {last.taken_on:%d %b %Y}.",
                        names,
                    )
                )
    return due


def chart_lines(history: Sequence[OutcomeView]) -> list[tuple[str, tuple[tuple[date, float], ...]]]:
    """Each questionnaire's scores as the chart draws them: a legend text saying which way is
    better ("Pain, ↓ better"), and points on a 0–10 axis (a scale other than 0–10 is stretched onto it)."""
    lines: dict[str, tuple[str, list[tuple[date, float]]]] = {}
    for view in history:
        better = "\u2191 better" if view.direction == "higher_better" else "\u2193 better"
        name = f"{view.short}, {better}"
        span = view.scale_max - view.scale_min
        value = float(view.score - view.scale_min) * 10 / span
        lines.setdefault(view.questionnaire, (name, []))[1].append((view.taken_on, value))
    return [(name, tuple(points)) for name, points in lines.values()]
