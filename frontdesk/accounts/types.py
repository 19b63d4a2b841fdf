"""Accounts and audit rows as frozen values for the screens, commands and tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from frontdesk.domain import Actor, Role


@dataclass(frozen=True)
class AccountInput:
    """The account form: ``practitioner_id`` links a practitioner's account to their record."""

    username: str
    display_name: str
    role: Role
    practitioner_id: int | None = None


@dataclass(frozen=True)
class AccountView:
    id: int
    username: str
    display_name: str
    role: Role
    practitioner_id: int | None
    practitioner_name: str
    disabled: bool
    failed_attempts: int
    locked_until: datetime | None
    version: int

    def as_actor(self) -> Actor:
        return Actor(self.id, self.username, self.display_name, self.role, self.practitioner_id)


@dataclass(frozen=True)
class AuditFilter:
    """What the audit screen shows; ``None`` means any. Dates are days where the clinic is,
    inclusive. ``limit`` rows at most, newest first; ``before_seq`` continues a list below the
    row it last showed (the screen pages in more rows as it scrolls)."""

    username: str | None = None
    patient_id: int | None = None
    action: str | None = None
    first_day: date | None = None
    last_day: date | None = None
    limit: int = 1000
    before_seq: int | None = None


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime
    username: str
    workstation: str
    action: str
    kind: str
    entity: str
    record_id: int | None
    patient_id: int | None
    before: str
    after: str
    patient_name: str = ""  # the patient's name now ("" when the row names no patient)
