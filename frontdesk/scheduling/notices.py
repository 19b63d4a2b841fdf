"""The one place booking changes become patient emails (issue 19).

Every service that books, moves, cancels or restores a visit changes ``Appointment`` rows in a
write session; this hook watches those sessions, notes what happened to each appointment after
every flush, and just before the commit writes the matching outbox rows
(``frontdesk.messaging.compose``) into the same transaction. So a booking and its confirmation
commit together or not at all, whichever service (calendar, course wizard, archiving, a script)
made the change. It runs before the audit trail's own commit hook, so the outbox rows are in
the audit trail of the operation that caused them.

Only changes made inside an operation (a signed-in user's action) count: the demo builder's and
tests' raw inserts write no mail.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from frontdesk.accounts.scope import current_call
from frontdesk.db.models import Appointment
from frontdesk.domain import AppointmentStatus
from frontdesk.messaging.compose import Change, write_messages

_NOTED = "frontdesk_booking_notices"


def _note(session: Session, appointment_id: int) -> Change:
    noted: dict[int, Change] = session.info.setdefault(_NOTED, {})
    return noted.setdefault(appointment_id, Change(appointment_id))


def _after_flush(session: Session, _context: Any) -> None:
    if current_call() is None:
        return
    for obj in session.new:
        if isinstance(obj, Appointment) and obj.status == AppointmentStatus.BOOKED.value:
            _note(session, obj.id).new = True
    for obj in session.dirty:
        if not isinstance(obj, Appointment) or not session.is_modified(obj):
            continue
        attrs = inspect(obj).attrs
        status = attrs.status.history
        if status.has_changes():
            old = status.deleted[0] if status.deleted else None
            if obj.status == AppointmentStatus.CANCELLED.value:
                change = _note(session, obj.id)
                change.cancelled = True
            elif (
                old == AppointmentStatus.CANCELLED.value
                and obj.status == AppointmentStatus.BOOKED.value
            ):
                change = _note(session, obj.id)
                change.new, change.cancelled = True, False
            continue
        start = attrs.start_at.history
        if start.has_changes() and start.deleted:
            change = _note(session, obj.id)
            if change.moved_from is None:
                change.moved_from = start.deleted[0]
            change.moved = True
        who = attrs.practitioner_id.history
        if who.has_changes():
            change = _note(session, obj.id)
            change.moved = True  # the email names the practitioner
            if change.previous_practitioner_id is None and who.deleted:
                change.previous_practitioner_id = who.deleted[0]


def _before_commit(session: Session) -> None:
    if not session.info.get(_NOTED):
        return
    session.flush()
    noted: dict[int, Change] = session.info.pop(_NOTED, {})
    call = current_call()
    now = call.now if call is not None and call.now is not None else datetime.now(UTC)
    write_messages(session, noted.values(), now)
    session.flush()


def _after_rollback(session: Session) -> None:
    session.info.pop(_NOTED, None)


def _soft_rollback(session: Session, _transaction: Any) -> None:
    _after_rollback(session)


def install() -> None:
    """Listen to every write session (once, however often it is called)."""
    if event.contains(Session, "after_flush", _after_flush):
        return
    event.listen(Session, "after_flush", _after_flush)
    # insert=True: before the audit trail's hook, which then records the outbox rows too.
    event.listen(Session, "before_commit", _before_commit, insert=True)
    event.listen(Session, "after_soft_rollback", _soft_rollback)
