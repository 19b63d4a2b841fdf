"""The demo clinic's wait list: a handful of patients waiting for an earlier or any opening.

Varied on purpose so the page and the calendar's "Who could fill this time?" have something to
show: some ask for one practitioner and others take anyone, some suit mornings and others
evenings, one entry has run past its date and one was booked from the list last week.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.models import AppointmentType, Patient, Practitioner, WaitlistEntry
from frontdesk.scheduling.rules import gives_treatment

# (type name, ask for a practitioner?, weekdays, earliest, latest, weeks to wait, days ago added)
WANTS = (
    ("Acupuncture treatment", True, 0b0011111, 8 * 60, 12 * 60, 3, 9, "Can come at short notice."),
    ("Acupuncture treatment", False, 0b0010101, 9 * 60, 17 * 60, 4, 6, ""),
    ("Initial consultation", False, 0b0011111, 8 * 60, 20 * 60, 2, 4, "New patient; neck pain."),
    ("Physiotherapy", True, 0b0001010, 16 * 60, 20 * 60, 5, 3, "After work only."),
    ("Acupuncture treatment", False, 0b1100000, 9 * 60, 13 * 60, 6, 2, "Weekends suit best."),
    ("Initial consultation", True, 0b0011111, 12 * 60, 17 * 60, 3, 1, ""),
    ("Acupuncture treatment", False, 0b0011111, 8 * 60, 18 * 60, -1, 30, ""),  # date passed
)


def write_waitlist(session: Session, rng: random.Random, today: date, now: datetime) -> int:
    """Add the demo's wait list; returns how many entries it wrote."""
    types = {t.name: t for t in session.scalars(select(AppointmentType))}
    practitioners = list(session.scalars(select(Practitioner).where(Practitioner.active)))
    patient_ids = list(
        session.scalars(
            select(Patient.id).where(Patient.archived.is_(False)).order_by(Patient.id).limit(400)
        )
    )
    if not patient_ids or not practitioners:
        return 0
    chosen = rng.sample(patient_ids, min(len(WANTS), len(patient_ids)))
    written = 0
    for patient_id, (name, ask, days, first, last, weeks, ago, notes) in zip(
        chosen, WANTS, strict=False
    ):
        kind = types.get(name)
        if kind is None:
            continue
        givers = [p for p in practitioners if gives_treatment(kind.discipline, p.discipline)]
        if not givers:
            continue
        added = now - timedelta(days=ago, hours=rng.randint(0, 6))
        session.add(
            WaitlistEntry(
                patient_id=patient_id,
                practitioner_id=rng.choice(givers).id if ask else None,
                appointment_type_id=kind.id,
                weekdays=days,
                earliest_minute=first,
                latest_minute=last,
                until=today + timedelta(weeks=weeks) if weeks > 0 else today - timedelta(days=2),
                notes=notes,
                status="waiting",
                created_at=added.astimezone(UTC),
                close_reason="",
            )
        )
        written += 1
    return written
