"""The demo clinic's acupuncture points and needles (issue 18): point prescriptions for the
conditions it sees most, the points, needles and stimulation of every acupuncture session
note, and two adverse events with what was done.

Kept apart from the rest of the demo (its own random source, written after the notes), so the
other demo data stays as it was. Each session's points follow its course's condition and
side; the needles counted out always match the needles in, so every demo note can be signed.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from frontdesk.db.models import AdverseEvent, NoteNeedling, PointPrescription, SessionNote
from frontdesk.demo.appointments import CourseSession
from frontdesk.demo.clinical import CourseDraft
from frontdesk.domain import AppointmentStatus
from frontdesk.needling.types import AdverseKind, ChosenPoint, Needling, Side

# name, condition, points (code, side: "both", "side" = the course's side, "mid"), retention,
# electro Hz, moxibustion, cupping, notes
PRESCRIPTIONS: tuple[
    tuple[str, str, tuple[tuple[str, str], ...], int, int | None, bool, bool, str], ...
] = (
    (
        "Neck, pinched nerve (C5-C7)",
        "Cervical radiculopathy: neck pain into the shoulder and arm",
        (("GB20", "both"), ("GB21", "side"), ("EX-B2", "both"), ("SI3", "side"), ("LI4", "both")),
        20,
        2,
        False,
        False,
        "Electro at 2 Hz between the Jiaji points for the first three sessions.",
    ),
    (
        "Low back, pinched nerve (L4-L5)",
        "Lumbar radiculopathy: low back pain with leg numbness",
        (("BL23", "both"), ("BL25", "both"), ("EX-B2", "both"), ("GB30", "side"), ("BL40", "side")),
        25,
        2,
        False,
        True,
        "Cupping over the low back after the needles are out.",
    ),
    (
        "Sciatica",
        "Pain from the buttock down the back of the thigh",
        (("GB30", "side"), ("BL36", "side"), ("BL37", "side"), ("BL40", "side"), ("GB34", "side")),
        25,
        None,
        False,
        False,
        "",
    ),
    (
        "Carpal tunnel",
        "Numb, tingling fingers; worse at night",
        (("PC7", "side"), ("PC6", "side"), ("TE5", "side"), ("LI4", "side"), ("LU5", "side")),
        20,
        None,
        True,
        False,
        "Moxa over PC7 for cold hands.",
    ),
    (
        "Calm and sleep",
        "Poor sleep, stress",
        (("GV20", "mid"), ("EX-HN3", "mid"), ("HT7", "both"), ("PC6", "both"), ("SP6", "both")),
        30,
        None,
        False,
        False,
        "Avoid SP6 in pregnancy.",
    ),
)
# The demo's plan conditions (code, region) and the prescription each session follows.
FOR_CONDITION = {
    ("pinched_nerve", "cervical"): 0,
    ("pinched_nerve", "lumbar"): 1,
    ("sciatica", None): 2,
    ("carpal_tunnel", None): 3,
}


def _points(template: tuple[tuple[str, str], ...], side: str | None) -> tuple[ChosenPoint, ...]:
    own = {"left": Side.LEFT, "right": Side.RIGHT}.get(side or "", Side.BOTH)
    return tuple(
        ChosenPoint(code, {"both": Side.BOTH, "mid": Side.MIDLINE}.get(how, own))
        for code, how in template
    )


def write_needling(
    session: Session,
    drafts: list[CourseDraft],
    sessions: list[CourseSession],
    now: datetime,
    seed: int,
) -> int:
    """Prescriptions, each course session note's needling, two adverse events; the number of
    notes given points."""
    rng = random.Random(seed * 18 + 1)
    session.execute(
        insert(PointPrescription),
        [
            {
                "name": name,
                "condition": condition,
                "points": [p.as_dict() for p in _points(points, None)],
                "retention_minutes": retention,
                "electro_hz": hz,
                "moxibustion": moxa,
                "cupping": cupping,
                "notes": notes,
                "active": True,
                "created_at": now - timedelta(days=400),
            }
            for name, condition, points, retention, hz, moxa, cupping, notes in PRESCRIPTIONS
        ],
    )
    note_of: dict[int | None, int] = {
        appointment_id: note_id
        for appointment_id, note_id in session.execute(
            select(SessionNote.appointment_id, SessionNote.id).where(
                SessionNote.appointment_id.is_not(None)
            )
        )
    }
    by_course = {d.id: d for d in drafts}
    rows: list[dict[str, Any]] = []
    noted: list[tuple[int, CourseDraft]] = []
    for s in sessions:
        note_id = note_of.get(s.appointment_id)
        if s.status is not AppointmentStatus.COMPLETED or note_id is None:
            continue
        d = by_course[s.course_id]
        which = FOR_CONDITION.get((d.condition.code, d.condition.region))
        if which is None:
            continue
        _name, _cond, template, retention, hz, moxa, cupping, _notes = PRESCRIPTIONS[which]
        needling = Needling(points=_points(template, d.condition.side))
        count = needling.needle_count
        rows.append(
            {
                "note_id": note_id,
                "points": [p.as_dict() for p in needling.points],
                "needles_in": count,
                "needles_out": count,
                "retention_minutes": retention + rng.choice((-5, 0, 0, 5)),
                "electro_hz": hz if hz is not None and rng.random() < 0.6 else None,
                "moxibustion": moxa,
                "cupping": cupping,
            }
        )
        noted.append((note_id, d))
    if rows:
        session.execute(insert(NoteNeedling), rows)
    _adverse_events(session, noted, now, rng)
    return len(rows)


def _adverse_events(
    session: Session, noted: list[tuple[int, CourseDraft]], now: datetime, rng: random.Random
) -> None:
    """A bruise and a near-faint, on two of the first acupuncturist's sessions."""
    if len(noted) < 2:
        return
    first = min(d.staff_id for _n, d in noted)
    theirs = [(n, d) for n, d in noted if d.staff_id == first] or noted
    events = (
        (
            AdverseKind.BRUISING,
            "Small bruise at a needle site, noticed as the needles came out.",
            "Pressure with gauze for two minutes; told the patient it may show for a few days.",
        ),
        (
            AdverseKind.FAINTING,
            "Felt light-headed and pale five minutes after the needles went in (first session, "
            "skipped lunch).",
            "Needles removed, patient laid flat with legs raised, water and a snack; recovered "
            "in ten minutes and went home by taxi. Next time: treat lying down, eat beforehand.",
        ),
    )
    picks = rng.sample(theirs, k=min(2, len(theirs)))
    for (note_id, d), (kind, description, action) in zip(picks, events, strict=False):
        written = session.get(SessionNote, note_id)
        when = written.created_at if written is not None else now
        session.add(
            AdverseEvent(
                patient_id=d.patient_id,
                practitioner_id=d.staff_id,
                note_id=note_id,
                kind=kind.value,
                occurred_at=when,
                description=description,
                action_taken=action,
                recorded_at=when,
            )
        )
    session.flush()
