"""Send what the outbox holds: due messages once each, failures retried, then given up.

``send_due`` is what the app's timer and ``frontdesk send-reminders`` run. Each message is
claimed by one atomic ``UPDATE … WHERE status = 'pending'`` in its own short transaction, so two
desks running the sender at the same moment never both send it: the second finds nothing to
claim. The email is sent outside any transaction (a slow mail server holds no lock), then the
row is marked sent, or put back with a later attempt time (1, 2, 4 … minutes, at most an hour),
or marked failed with the reason once ``give_up_hours`` have passed since it was due.

Just before sending, a reminder is checked against its visit: moved or cancelled since it was
written, it is skipped. Consent is checked again too: withdrawn since, nothing is sent.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from frontdesk.accounts.operation import operation
from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, OutboxMessage, Patient
from frontdesk.domain import AppointmentStatus, FrontdeskError, ValidationError
from frontdesk.messaging.compose import CANCELLED, MOVED, consent_problem
from frontdesk.messaging.settings import MailServer, mail_server

Transport = Callable[[MailServer, EmailMessage], None]
# A claim older than this is a sender that died mid-send: the message goes back to pending.
STALE_CLAIM = timedelta(minutes=15)
BATCH = 50
SMTP_TIMEOUT = 20.0


@dataclass(frozen=True)
class SendReport:
    """What one run of the sender did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0
    configured: bool = True

    def summary(self) -> str:
        if not self.configured:
            return "Email is not set up (Settings ▸ Email): nothing was sent."
        return (
            f"{self.sent} sent, {self.retrying} to retry, {self.failed} given up, "
            f"{self.skipped} skipped"
        )


def backoff(attempts: int) -> timedelta:
    """Wait before attempt ``attempts + 1``: 1, 2, 4 … minutes, at most an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def smtp_send(server: MailServer, message: EmailMessage) -> None:
    """Send through the clinic's mail server (STARTTLS, TLS, or none for a test server)."""
    cfg = server.settings
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if cfg.security == "tls":
        smtp = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=SMTP_TIMEOUT, context=context)
    else:
        smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=SMTP_TIMEOUT)
    with smtp:
        if cfg.security == "starttls":
            smtp.starttls(context=context)
        if cfg.username and server.password:
            smtp.login(cfg.username, server.password)
        smtp.send_message(message)


def failure_words(exc: BaseException) -> str:
    """A mail failure in words reception can act on (never the password)."""
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "The mail server refused the user name or password (Settings ▸ Email)."
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "The mail server refused the patient's address; check it on their record."
    if isinstance(exc, ConnectionRefusedError | socket.gaierror | TimeoutError | OSError):
        return f"Could not reach the mail server: {exc.strerror or exc}"
    if isinstance(exc, smtplib.SMTPException):
        return f"The mail server answered: {exc}"
    return f"Sending failed: {exc}"


def build_email(server: MailServer, to: str, subject: str, body: str, ics: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = server.settings.sender
    msg["To"] = to
    msg["Subject"] = subject
    domain = server.settings.sender.rpartition("@")[2] or None
    msg["Message-ID"] = make_msgid(domain=domain)
    msg.set_content(body)
    if ics:
        msg.add_attachment(
            ics.encode("utf-8"),
            maintype="text",
            subtype="calendar",
            filename="appointment.ics",
            params={"method": "CANCEL" if "METHOD:CANCEL" in ics else "PUBLISH"},
        )
    return msg


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:80]


@operation("send_due_messages")
def send_due_messages(
    db: Database,
    *,
    now: datetime,
    transport: Transport | None = None,
    worker: str | None = None,
    limit: int = 500,
) -> SendReport:
    """Send every message due by ``now``, each once; see the module docstring."""
    send = transport or smtp_send
    worker = worker or _worker_name()
    with db.read() as s:
        server = mail_server(s)
    if not server.settings.configured:
        return SendReport(configured=False)
    with db.write() as s:  # senders that died mid-send: their messages go back to pending
        s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - STALE_CLAIM)
            .values(status="pending")
        )
    counts = {"sent": 0, "retrying": 0, "failed": 0, "skipped": 0}
    done = 0
    while done < limit:
        with db.read() as s:
            ids = list(
                s.scalars(
                    select(OutboxMessage.id)
                    .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
                    .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                    .limit(BATCH)
                )
            )
        if not ids:
            break
        claimed_any = False
        for message_id in ids:
            outcome = _send_one(db, server, message_id, now, send, worker)
            if outcome is not None:
                claimed_any = True
                counts[outcome] += 1
                done += 1
        if not claimed_any:
            break
    return SendReport(
        sent=counts["sent"],
        retrying=counts["retrying"],
        failed=counts["failed"],
        skipped=counts["skipped"],
    )


def _send_one(
    db: Database,
    server: MailServer,
    message_id: int,
    now: datetime,
    send: Transport,
    worker: str,
) -> str | None:
    """Claim, check and send one message; its outcome, or None when another desk had it."""
    with db.write() as s:
        claimed = s.execute(  # an UPDATE: a CursorResult, whose rowcount says who won
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.status == "pending")
            .values(
                status="sending",
                claimed_by=worker,
                claimed_at=now,
                attempts=OutboxMessage.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if cast(CursorResult[Any], claimed).rowcount != 1:
            return None
        row = s.get(OutboxMessage, message_id, populate_existing=True)
        assert row is not None
        stale = _stale(s, row)
        if stale is not None:
            row.status, row.reason = stale
            return "skipped"
        patient = s.get(Patient, row.patient_id)
        problem = consent_problem(patient) if patient is not None else "not sent: no patient"
        if problem is not None:
            row.status, row.reason = "not_sent", problem
            return "skipped"
        to = patient.email.strip() if patient is not None else ""
        subject, body, ics = row.subject, row.body, row.ics
        attempts, due_at = row.attempts, row.due_at
    try:  # outside any transaction: a slow mail server holds no lock
        send(server, build_email(server, to, subject, body, ics))
    except Exception as exc:  # any failure is the message's, kept on its row
        error: str | None = failure_words(exc)
    else:
        error = None
    with db.write() as s:
        row = s.get(OutboxMessage, message_id)
        assert row is not None
        if error is None:
            row.status, row.reason, row.sent_at, row.to_address = "sent", "", now, to
            return "sent"
        give_up_at = due_at + timedelta(hours=server.settings.give_up_hours)
        if now >= give_up_at:
            row.status = "failed"
            row.reason = f"Gave up after {attempts} attempts: {error}"
            return "failed"
        row.status = "pending"
        row.reason = error
        row.next_attempt_at = now + backoff(attempts)
        return "retrying"


def _stale(s: Session, row: OutboxMessage) -> tuple[str, str] | None:
    """(status, reason) when the visit changed so that this message must not go."""
    if row.kind not in ("reminder", "confirmation", "move"):
        return None
    visit = s.get(Appointment, row.appointment_id)
    if visit is None or visit.status == AppointmentStatus.CANCELLED.value:
        return "skipped", CANCELLED
    if row.kind == "reminder" and visit.status != AppointmentStatus.BOOKED.value:
        return "skipped", "skipped: the visit has already started or was missed"
    if visit.start_at != row.visit_start:
        return "skipped", MOVED
    return None


@operation("send_test_email", access="send", entity="email_settings")
def send_test_email(db: Database, to: str, *, transport: Transport | None = None) -> str:
    """Send a short test message to ``to`` with the saved settings; what happened, in words.

    Raises ``FrontdeskError`` with the reason when the server cannot be reached or refuses.
    """
    to = to.strip()
    if "@" not in to or " " in to:
        raise ValidationError.single("test_to", "Enter the address to send the test to.")
    with db.read() as s:
        server = mail_server(s)
    if not server.settings.configured:
        raise ValidationError.single(
            "host", "Save the mail server and the sender address first, then send a test."
        )
    email = build_email(
        server,
        to,
        "Frontdesk test email",
        "This test email from Frontdesk shows that appointment emails can be sent "
        f"through {server.settings.host}.",
        "",
    )
    try:
        (transport or smtp_send)(server, email)
    except Exception as exc:
        raise FrontdeskError(failure_words(exc)) from exc
    return f"Sent a test email to {to} through {server.settings.host}."
