"""The demo clinic's outbox: a few days of confirmations and reminders, as the sender left them.

Most patients with an email address agreed to be emailed about their visits. The visits of the
next few days were booked a few days ago, so their confirmations went out then; reminders due
by now were sent, the rest wait for their time; one reminder failed because the mail server
could not be reached, so reception has something to look at. The rows are written by the
messaging code itself (``write_messages``), so they read exactly as real ones.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from frontdesk.db.models import Appointment, OutboxMessage, Patient
from frontdesk.messaging.compose import Change, write_messages

UNREACHABLE = "Could not reach the mail server: Connection refused (tried 6 times)"


def write_outbox(session: Session, now: datetime) -> int:
    """Consent for most patients with an address, then the outbox rows; how many rows."""
    session.execute(
        update(Patient)
        .where(Patient.email != "", Patient.id % 10 < 8)
        .values(email_consent=True, contact_by_email=True, updated_at=Patient.updated_at)
    )
    booked_at = now - timedelta(days=3)
    ahead = list(
        session.scalars(
            select(Appointment.id)
            .where(
                Appointment.status == "booked",
                Appointment.start_at >= now,
                Appointment.start_at < now + timedelta(days=4),
            )
            .order_by(Appointment.start_at, Appointment.id)
        )
    )
    upcoming = ahead[:: max(1, len(ahead) // 40)][:40]  # spread over the four days
    write_messages(session, [Change(a, new=True) for a in upcoming], booked_at)
    session.flush()
    rows = list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    failed = False
    for row in rows:
        if row.status != "pending" or row.due_at > now:
            continue
        if row.kind == "reminder" and not failed:
            row.status, row.reason, row.attempts = "failed", UNREACHABLE, 6
            row.next_attempt_at = now
            failed = True
            continue
        row.status, row.attempts = "sent", 1
        row.sent_at = row.due_at + timedelta(seconds=40)
    return len(rows)
