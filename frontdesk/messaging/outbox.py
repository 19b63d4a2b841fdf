"""What was sent, for reception: the outbox list, one visit's or patient's emails, retry.

Reads return frozen ``OutboxEntry`` rows; ``retry_message`` puts a failed (or not-yet-sent)
message back in the queue to go with the next run of the sender.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from frontdesk.accounts.operation import by_appointment, by_patient, operation
from frontdesk.db.engine import Database
from frontdesk.db.models import OutboxMessage, Patient
from frontdesk.domain import InvalidTransition, NotFound
from frontdesk.messaging.templates import KIND_LABELS
from frontdesk.names import listing_name

STATUS_LABELS = {
    "pending": "Waiting",
    "sending": "Sending",
    "sent": "Sent",
    "failed": "Failed",
    "not_sent": "Not sent",
    "skipped": "Skipped",
}


@dataclass(frozen=True)
class OutboxEntry:
    """One message as the outbox page, the chart and the appointment show it."""

    id: int
    appointment_id: int
    patient_id: int
    patient_name: str
    kind: str
    to_address: str
    subject: str
    status: str
    reason: str
    due_at: datetime
    next_attempt_at: datetime
    attempts: int
    sent_at: datetime | None
    visit_start: datetime

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def status_text(self) -> str:
        """ "Sent", "Failed: Could not reach …", "Not sent: no consent" """
        return status_words(self.status, self.reason)


def status_words(status: str, reason: str) -> str:
    """A message's status as reception reads it, with its reason."""
    if status in ("not_sent", "skipped") and reason:
        return reason[:1].upper() + reason[1:]
    if status in ("failed", "pending") and reason:
        prefix = "Failed" if status == "failed" else "Waiting to retry"
        return f"{prefix}: {reason}"
    return STATUS_LABELS.get(status, status)


def email_summaries(session: Session, appointment_ids: Collection[int]) -> dict[int, str]:
    """appointment id -> its emails in one line ("Booking confirmation: Sent; Reminder:
    Waiting"), the latest of each kind, for the calendar's tooltip."""
    if not appointment_ids:
        return {}
    latest: dict[int, dict[str, str]] = {}
    for appointment_id, kind, status, reason in session.execute(
        select(
            OutboxMessage.appointment_id,
            OutboxMessage.kind,
            OutboxMessage.status,
            OutboxMessage.reason,
        )
        .where(OutboxMessage.appointment_id.in_(list(appointment_ids)))
        .order_by(OutboxMessage.id)
    ):
        latest.setdefault(appointment_id, {})[kind] = status_words(status, reason)
    return {
        appointment_id: "; ".join(f"{KIND_LABELS.get(k, k)}: {v}" for k, v in kinds.items())
        for appointment_id, kinds in latest.items()
    }


def _load(db: Database, *conditions: ColumnElement[bool], limit: int = 500) -> list[OutboxEntry]:
    stmt = (
        select(OutboxMessage, Patient.given_name, Patient.family_name, Patient.preferred_name)
        .join(Patient, Patient.id == OutboxMessage.patient_id)
        .where(*conditions)
        .order_by(OutboxMessage.due_at.desc(), OutboxMessage.id.desc())
        .limit(limit)
    )
    with db.read() as s:
        return [
            OutboxEntry(
                id=m.id,
                appointment_id=m.appointment_id,
                patient_id=m.patient_id,
                patient_name=listing_name(given, family, preferred),
                kind=m.kind,
                to_address=m.to_address,
                subject=m.subject,
                status=m.status,
                reason=m.reason,
                due_at=m.due_at,
                next_attempt_at=m.next_attempt_at,
                attempts=m.attempts,
                sent_at=m.sent_at,
                visit_start=m.visit_start,
            )
            for m, given, family, preferred in s.execute(stmt)
        ]


@operation("list_outbox")
def list_outbox(
    db: Database, *, status: str | None = None, text: str = "", limit: int = 500
) -> list[OutboxEntry]:
    """The newest messages first, optionally only those of one status or matching ``text``
    (a patient's name, an address or a subject)."""
    conditions: list[ColumnElement[bool]] = []
    if status:
        conditions.append(OutboxMessage.status == status)
    entries = _load(db, *conditions, limit=limit if not text else 5000)
    words = text.strip().casefold()
    if words:
        entries = [
            e for e in entries if words in f"{e.patient_name} {e.to_address} {e.subject}".casefold()
        ][:limit]
    return entries


@operation("appointment_messages", patient=by_appointment)
def appointment_messages(db: Database, appointment_id: int) -> list[OutboxEntry]:
    """The emails about one visit, newest first."""
    return _load(db, OutboxMessage.appointment_id == appointment_id)


@operation("patient_messages", patient=by_patient)
def patient_messages(db: Database, patient_id: int, *, limit: int = 50) -> list[OutboxEntry]:
    """The emails to one patient, newest first (their chart's Emails section)."""
    return _load(db, OutboxMessage.patient_id == patient_id, limit=limit)


@operation("retry_message")
def retry_message(db: Database, message_id: int, *, now: datetime) -> OutboxEntry:
    """Send a failed or not-sent message again with the next run of the sender."""
    with db.write() as s:
        row = s.get(OutboxMessage, message_id)
        if row is None:
            raise NotFound("This message no longer exists.")
        if row.status not in ("failed", "not_sent", "pending"):
            raise InvalidTransition(
                f"Only a failed or unsent message can be sent again; this one is "
                f"{STATUS_LABELS.get(row.status, row.status).lower()}."
            )
        row.status = "pending"
        row.next_attempt_at = now
        row.due_at = min(row.due_at, now) if row.kind != "reminder" else row.due_at
        if row.due_at < now:
            row.due_at = now  # a fresh give-up window from this retry
        row.reason = ""
    return next(iter(_load(db, OutboxMessage.id == message_id)))
