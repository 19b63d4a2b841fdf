"""A morning at the demo clinic's desks, done through the services: what its audit trail shows.

The builder writes the demo's patients, visits and notes in bulk, which leaves no audit rows,
so the demo's Audit trail page would open empty. This replays a few everyday steps as the
demo's own accounts through the same services (the same permission checks, the same audit
rows) as at a desk: the practitioner opens the charts and a plan of patients they see, and
reception prints appointment cards and the day sheet. Nothing but the trail changes.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime

from sqlalchemy import select

from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, SessionNote, StaffAccount, TreatmentPlan
from frontdesk.domain import Actor, Role

CHARTS_OPENED = 3
CARDS_PRINTED = 2


def _signed_in(db: Database, username: str) -> Database | None:
    with db.read() as s:
        account = s.scalar(select(StaffAccount).where(StaffAccount.username == username))
        if account is None:
            return None
        actor = Actor(
            account.id,
            account.username,
            account.display_name,
            Role(account.role),
            account.practitioner_id,
        )
    return db.as_actor(actor)


def desk_morning(db: Database, today: date, now: datetime) -> None:
    """Charts opened and cards printed by the demo's practitioner and reception accounts."""
    from frontdesk.notes import list_notes
    from frontdesk.plans import get_plan
    from frontdesk.reports import appointment_card_pdf, day_sheet_pdf

    practitioner = _signed_in(db, "practitioner")
    reception = _signed_in(db, "reception")
    if practitioner is None or reception is None or practitioner.actor is None:
        return
    mine = practitioner.actor.practitioner_id
    with db.read() as s:
        charts = list(
            s.scalars(
                select(SessionNote.patient_id)
                .where(SessionNote.practitioner_id == mine)
                .group_by(SessionNote.patient_id)
                .order_by(SessionNote.patient_id)
                .limit(CHARTS_OPENED)
            )
        )
        plan = s.scalar(
            select(TreatmentPlan.id)
            .where(TreatmentPlan.practitioner_id == mine)
            .order_by(TreatmentPlan.id)
            .limit(1)
        )
        coming = list(
            s.scalars(
                select(Appointment.patient_id)
                .where(Appointment.start_at > now, Appointment.status == "booked")
                .group_by(Appointment.patient_id)
                .order_by(Appointment.patient_id)
                .limit(CARDS_PRINTED)
            )
        )
    with contextlib.suppress(ValueError):  # a day nobody is booked has no sheet to print
        day_sheet_pdf(reception, today, now=now)
    for patient_id in coming:
        appointment_card_pdf(reception, patient_id, now=now)
    for patient_id in charts:
        list_notes(practitioner, patient_id)
    if plan is not None:
        get_plan(practitioner, plan)
