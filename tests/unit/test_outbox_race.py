"""Two desks running the sender at the same moment send each message once (200 rounds)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest

from frontdesk.db.engine import Database
from frontdesk.db.models import OutboxMessage
from frontdesk.messaging.sender import SendReport, send_due_messages
from frontdesk.scheduling import BookingRequest, book_appointment
from tests.unit.outbox_support import (
    MailServer,
    consent,
    running_server,
    use_server,
)
from tests.unit.test_scheduling_support import MONDAY, NOW, Clinic, local

ROUNDS = 200


@pytest.fixture
def smtp() -> Iterator[MailServer]:
    """A real SMTP server on 127.0.0.1 for this test."""
    yield from running_server()


@pytest.mark.slow
def test_two_senders_at_once_send_each_message_once(
    db: Database, clinic: Clinic, smtp: MailServer
) -> None:
    use_server(db, smtp.port)
    consent(db, clinic.ann)
    visit = book_appointment(
        db,
        BookingRequest(
            patient_id=clinic.ann,
            practitioner_id=clinic.acu,
            type_id=clinic.acupuncture,
            start=local(MONDAY + timedelta(days=7), 10),
            room_id=clinic.room1,
        ),
        now=NOW,
    )
    send_due_messages(db, now=NOW)  # its own confirmation, out of the way
    smtp.inbox.messages.clear()
    duplicates: list[int] = []
    for n in range(ROUNDS):
        with db.write() as s:
            s.add(
                OutboxMessage(
                    appointment_id=visit.id,
                    appointment_version=1000 + n,
                    kind="move",
                    patient_id=clinic.ann,
                    visit_start=visit.start,
                    to_address="ann@example.com",
                    subject=f"round {n}",
                    body="",
                    ics="",
                    status="pending",
                    reason="",
                    due_at=NOW,
                    next_attempt_at=NOW,
                    attempts=0,
                    claimed_by="",
                )
            )
        start = threading.Barrier(2)
        reports: list[SendReport] = []
        desks = [
            threading.Thread(target=_desk, args=(db, f"desk {i}", start, reports)) for i in (1, 2)
        ]
        for t in desks:
            t.start()
        for t in desks:
            t.join(timeout=60)
        if sum(r.sent for r in reports) != 1:
            duplicates.append(n)
    subjects = smtp.inbox.subjects()
    assert duplicates == []
    assert len(subjects) == ROUNDS
    assert sorted(subjects) == sorted(f"round {n}" for n in range(ROUNDS))


def _desk(db: Database, name: str, start: threading.Barrier, reports: list[SendReport]) -> None:
    """One desk's timer firing: wait for the other, then run the sender."""
    start.wait()
    reports.append(send_due_messages(db, now=NOW, worker=name))
