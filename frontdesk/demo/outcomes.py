"""The demo clinic's outcome questionnaires: pain and function scores over each course.

Every acupuncture course patient filled in the pain rating and the Patient-Specific Functional
Scale at their first attended session, the pain rating again every third session and the
functional scale every fourth, so the chart draws a pain line coming down beside a function
line going up (with the ups and downs real patients have).
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from frontdesk.demo.appointments import CourseSession
from frontdesk.demo.clinical import CourseDraft
from frontdesk.domain import AppointmentStatus
from frontdesk.outcomes.questionnaires import Answer, Questionnaire, load_questionnaires, score

ACTIVITIES = (
    "Turning my head to reverse the car",
    "Sleeping through the night",
    "Carrying groceries",
    "Sitting at my desk for an hour",
    "Lifting my child",
    "Gardening",
    "Walking the dog",
)


def outcome_rows(
    drafts: list[CourseDraft],
    sessions: list[CourseSession],
    rng: random.Random,
    tz: ZoneInfo,
) -> list[dict[str, Any]]:
    """Rows for ``outcome_responses``, made as ``record_outcome`` would store them."""
    known = load_questionnaires()
    nprs, psfs = known.get("nprs"), known.get("psfs")
    if nprs is None or psfs is None:
        return []
    by_course = {d.id: d for d in drafts}
    attended: dict[int, int] = {}
    named: dict[int, list[str]] = {}
    rows: list[dict[str, Any]] = []
    for s in sorted(sessions, key=lambda s: (s.course_id, s.day)):
        if s.status is not AppointmentStatus.COMPLETED:
            continue
        d = by_course[s.course_id]
        k = attended.get(d.id, 0)
        attended[d.id] = k + 1
        at = datetime.combine(s.day, time(9, 50), tz).astimezone(UTC)
        if k % nprs.repeat_every_sessions == 0:
            pain = max(0, min(10, round(d.pain - 0.6 * k + rng.uniform(-1, 1))))
            answers = [{"item": "now", "value": pain, "name": ""}]
            rows.append(_row(d.patient_id, nprs, s, at, answers, pain * 100))
        if k % psfs.repeat_every_sessions == 0:
            names = named.setdefault(d.id, rng.sample(ACTIVITIES, rng.randint(2, 3)))
            values = [max(0, min(10, round(3 + 0.7 * k + rng.uniform(-1, 1.2)))) for _ in names]
            answers = [
                {"item": f"activity{n + 1}", "value": v, "name": name}
                for n, (name, v) in enumerate(zip(names, values, strict=True))
            ]
            scored = score(
                psfs,
                [
                    Answer(f"activity{n + 1}", v, name)
                    for n, (name, v) in enumerate(zip(names, values, strict=True))
                ],
            )
            rows.append(_row(d.patient_id, psfs, s, at, answers, int(scored * 100)))
    return rows


def _row(
    patient_id: int,
    q: Questionnaire,
    s: CourseSession,
    at: datetime,
    answers: list[dict[str, Any]],
    score: int,
) -> dict[str, Any]:
    return {
        "patient_id": patient_id,
        "questionnaire": q.key,
        "title": q.title,
        "short": q.short,
        "direction": q.direction,
        "scale_min": q.scale_min,
        "scale_max": q.scale_max,
        "taken_on": s.day,
        "recorded_at": at,
        "appointment_id": s.appointment_id,
        "answers": json.dumps(answers, ensure_ascii=False),
        "score_hundredths": score,
    }
