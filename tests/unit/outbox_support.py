"""A real SMTP server on 127.0.0.1 (aiosmtpd) and a clinic set up to email its patients."""

from __future__ import annotations

import email
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from types import SimpleNamespace

from aiosmtpd.controller import Controller
from sqlalchemy import select

from frontdesk.db.engine import Database
from frontdesk.db.models import OutboxMessage, Patient
from frontdesk.messaging.settings import MailSettingsInput, save_email_settings


@dataclass
class Inbox:
    """What the test server received, parsed."""

    messages: list[Message] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        raw = envelope.content  # type: ignore[attr-defined]
        with self.lock:
            self.messages.append(email.message_from_bytes(raw))
        return "250 Message accepted for delivery"

    def subjects(self) -> list[str]:
        with self.lock:
            return [str(m["Subject"]) for m in self.messages]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class MailServer:
    """Start and stop an aiosmtpd server on a fixed local port (stopped = "the server is down")."""

    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def running_server() -> Iterator[MailServer]:
    """The body of each test module's ``smtp`` fixture: a started server, stopped after."""
    server = MailServer()
    server.start()
    yield server
    server.stop()


def use_server(db: Database, port: int, *, give_up_hours: int = 24) -> None:
    save_email_settings(
        db,
        MailSettingsInput(
            host="127.0.0.1",
            port=port,
            security="none",
            username="",
            sender="reception@clinic.example",
            reminder_hours=48,
            give_up_hours=give_up_hours,
        ),
    )


def consent(db: Database, patient_id: int, address: str = "ann@example.com") -> None:
    with db.write() as s:
        p = s.get(Patient, patient_id)
        assert p is not None
        p.email, p.contact_by_email, p.email_consent = address, True, True


def outbox(db: Database) -> list[SimpleNamespace]:
    """The outbox rows as plain values (read sessions roll back, expiring ORM objects)."""
    columns = OutboxMessage.__table__.columns
    with db.read() as s:
        return [
            SimpleNamespace(**{c.key: getattr(row, c.key) for c in columns})
            for row in s.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        ]


def attachment(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode("utf-8")
    raise AssertionError("no text/calendar attachment")


def body_text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode("utf-8")
    raise AssertionError("no text part")
