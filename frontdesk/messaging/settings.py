"""The clinic's mail server, reminder lead time and message wording: read and saved here.

Administrators set them (Settings ▸ Email); everyone reads the lead time because every booking
writes its reminder. The password is written only through ``save_email_settings`` and comes
back out only to the sender (``mail_server``), never in a DTO a screen shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.accounts.operation import operation
from frontdesk.db.engine import Database
from frontdesk.db.models import EmailSettings, MessageTemplate
from frontdesk.domain import ValidationError
from frontdesk.messaging import secret
from frontdesk.messaging.templates import (
    DEFAULTS,
    KIND_LABELS,
    KINDS,
    TemplateView,
    template_problem,
)

SECURITY = ("starttls", "tls", "none")
SECURITY_LABELS = {
    "starttls": "STARTTLS (usually port 587)",
    "tls": "TLS from the start (usually port 465)",
    "none": "None (a test server only)",
}
REMINDER_HOURS_DEFAULT = 48
_ADDRESS = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_HOST = re.compile(r"^[A-Za-z0-9.\-:\[\]]+$")


@dataclass(frozen=True)
class MailSettingsInput:
    """The Email settings form as typed."""

    host: str
    port: int
    security: str
    username: str
    sender: str
    reminder_hours: int = REMINDER_HOURS_DEFAULT
    give_up_hours: int = 24


@dataclass(frozen=True)
class MailSettingsView:
    """What the form shows: everything but the password, and where the password is kept."""

    host: str
    port: int
    security: str
    username: str
    sender: str
    reminder_hours: int
    give_up_hours: int
    password_kept: str  # "keyring", "database" or "" (none saved)

    @property
    def configured(self) -> bool:
        return bool(self.host and self.sender)


@dataclass(frozen=True)
class MailServer:
    """The sender's view: the settings and the password itself."""

    settings: MailSettingsView
    password: str | None


def _view(row: EmailSettings | None) -> MailSettingsView:
    if row is None:
        return MailSettingsView("", 587, "starttls", "", "", REMINDER_HOURS_DEFAULT, 24, "")
    kept = "keyring" if row.password_in_keyring else ("database" if row.password_sealed else "")
    return MailSettingsView(
        row.host,
        row.port,
        row.security,
        row.username,
        row.sender,
        row.reminder_hours,
        row.give_up_hours,
        kept,
    )


def load_mail_settings(session: Session) -> MailSettingsView:
    """The settings inside a caller's transaction (the booking hook reads the lead time)."""
    return _view(session.get(EmailSettings, 1))


@operation("get_email_settings")
def get_email_settings(db: Database) -> MailSettingsView:
    """The mail server and reminder settings, without the password."""
    with db.read() as s:
        return load_mail_settings(s)


def _check(data: MailSettingsInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    host = data.host.strip()
    if host and not _HOST.match(host):
        errors["host"] = "Enter the mail server's name, like smtp.example.com, with no spaces."
    if not isinstance(data.port, int) or not 1 <= data.port <= 65535:
        errors["port"] = "The port is a number from 1 to 65535 (587 for STARTTLS, 465 for TLS)."
    if data.security not in SECURITY:
        errors["security"] = "Choose STARTTLS, TLS or none."
    sender = data.sender.strip()
    if sender and not _ADDRESS.match(sender):
        errors["sender"] = "Enter the address emails come from, like reception@clinic.ca."
    if host and not sender:
        errors["sender"] = "Enter the address emails come from, like reception@clinic.ca."
    if not isinstance(data.reminder_hours, int) or not 1 <= data.reminder_hours <= 336:
        errors["reminder_hours"] = "Send reminders 1 to 336 hours (14 days) before a visit."
    if not isinstance(data.give_up_hours, int) or not 1 <= data.give_up_hours <= 168:
        errors["give_up_hours"] = "Keep retrying for 1 to 168 hours (7 days)."
    return errors


@operation("save_email_settings")
def save_email_settings(
    db: Database, data: MailSettingsInput, *, password: str | None = None
) -> MailSettingsView:
    """Save the mail server's settings; ``password`` None keeps the saved one, "" removes it.

    The password goes to the OS keyring when one is available, else into the database sealed
    with this computer account's key.
    """
    errors = _check(data)
    if errors:
        raise ValidationError(errors)
    with db.write() as s:
        row = s.get(EmailSettings, 1)
        if row is None:
            row = EmailSettings(id=1, password_in_keyring=False)
            s.add(row)
        old_host, old_user, old_in_keyring = row.host, row.username, row.password_in_keyring
        row.host = data.host.strip()
        row.port = data.port
        row.security = data.security
        row.username = data.username.strip()
        row.sender = data.sender.strip()
        row.reminder_hours = data.reminder_hours
        row.give_up_hours = data.give_up_hours
        moved = (old_host, old_user) != (row.host, row.username)
        if password is None and moved and old_in_keyring:
            kept = secret.keyring_load(old_host, old_user)
            if kept is not None:
                secret.keyring_store(row.host, row.username, kept)
        if password is not None:
            if old_in_keyring:
                secret.keyring_forget(old_host, old_user)
            row.password_in_keyring = False
            row.password_sealed = None
            if password:
                if secret.keyring_available():
                    secret.keyring_store(row.host, row.username, password)
                    row.password_in_keyring = True
                else:
                    row.password_sealed = secret.seal(password)
        s.flush()
        return _view(row)


def mail_server(session: Session) -> MailServer:
    """The settings and the password, for the sender only."""
    row = session.get(EmailSettings, 1)
    password: str | None = None
    if row is not None:
        if row.password_in_keyring:
            password = secret.keyring_load(row.host, row.username)
        elif row.password_sealed:
            password = secret.unseal(row.password_sealed)
    return MailServer(_view(row), password)


# ----- the clinic's wording -------------------------------------------------------------------


def load_templates(session: Session) -> dict[str, tuple[str, str]]:
    """Each kind's (subject, body): the clinic's own where saved, else the default."""
    wording = dict(DEFAULTS)
    for row in session.scalars(select(MessageTemplate)):
        wording[row.kind] = (row.subject, row.body)
    return wording


@operation("list_message_templates")
def list_message_templates(db: Database) -> list[TemplateView]:
    """Every kind of message with its current wording."""
    with db.read() as s:
        custom = {row.kind: row for row in s.scalars(select(MessageTemplate))}
    views = []
    for kind in KINDS:
        row = custom.get(kind)
        subject, body = (row.subject, row.body) if row is not None else DEFAULTS[kind]
        views.append(TemplateView(kind, KIND_LABELS[kind], subject, body, row is not None))
    return views


@operation("save_message_template")
def save_message_template(db: Database, kind: str, subject: str, body: str) -> TemplateView:
    """Replace one kind's wording; an unknown placeholder is refused at its field.

    Saving the default wording (or an empty subject and body) goes back to the default.
    """
    if kind not in KINDS:
        raise ValidationError.single("kind", "Choose one of the kinds of message listed.")
    errors: dict[str, str] = {}
    for field, text in (("subject", subject), ("body", body)):
        problem = template_problem(text)
        if problem:
            errors[field] = problem
    if not subject.strip() and body.strip():
        errors["subject"] = "Enter a subject line."
    if errors:
        raise ValidationError(errors)
    with db.write() as s:
        row = s.get(MessageTemplate, kind)
        back_to_default = (subject, body) == DEFAULTS[kind] or not (subject.strip() or body.strip())
        if back_to_default:
            if row is not None:
                s.delete(row)
            subject, body = DEFAULTS[kind]
            return TemplateView(kind, KIND_LABELS[kind], subject, body, False)
        if row is None:
            s.add(MessageTemplate(kind=kind, subject=subject, body=body))
        else:
            row.subject, row.body = subject, body
    return TemplateView(kind, KIND_LABELS[kind], subject, body, True)
