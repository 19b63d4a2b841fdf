"""Errors, enums and small value types shared by every layer.

Nothing here imports Qt or SQLAlchemy, so the database, the services, the PDF code, scripts and
the GUI all speak the same language about appointments and their failures.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass


class FrontdeskError(Exception):
    """Base of every error the app shows to a person instead of a traceback."""


class ValidationError(FrontdeskError):
    """Bad input, with one message per offending field.

    The keys are the field names of the input DTO, so a dialog can put each message beside the
    widget that holds the wrong value. ``""`` is used for a message about the whole form.
    """

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors: dict[str, str] = dict(errors)
        super().__init__("; ".join(f"{k or 'form'}: {v}" for k, v in self.errors.items()))

    @classmethod
    def single(cls, field: str, message: str) -> ValidationError:
        return cls({field: message})


class NotFound(FrontdeskError):
    """The record asked for does not exist (or no longer exists)."""


class StaleRecord(FrontdeskError):
    """Someone else saved this record after it was opened here; saving would overwrite them."""


class BookingError(FrontdeskError):
    """A booking rule refused the operation; the message says which rule and why.

    ``short`` is the same reason in two or three words ("Dr Lin busy", "clinic closed") for
    places with no room for a sentence, such as a visit being dragged; empty when not given.
    """

    def __init__(self, message: str, *, field: str = "", short: str = "") -> None:
        self.field = field
        self.short = short
        super().__init__(message)


class BookingConflict(BookingError):
    """The time overlaps another active appointment; ``clash_id`` names it."""

    def __init__(
        self, message: str, *, clash_id: int | None = None, field: str = "", short: str = ""
    ) -> None:
        self.clash_id = clash_id
        super().__init__(message, field=field, short=short)


class SlotTaken(BookingConflict):
    """Another workstation booked this time between our check and our insert."""


class InvalidTransition(BookingError):
    """The status change asked for is not allowed from the appointment's current status."""


class DatabaseUnavailable(FrontdeskError):
    """The database is locked by another workstation for too long, or cannot be reached.

    Nothing of the operation was saved; trying again later is safe.
    """


class DatabaseDamaged(DatabaseUnavailable):
    """SQLite's own check found the database file damaged; the way out is a backup."""


class SchemaTooNew(FrontdeskError):
    """The database was written by a newer Frontdesk; opening it here could damage it."""


class BackupFailed(FrontdeskError):
    """No backup was written, or the copy written did not check out and was removed (a full
    disk, a folder that cannot be written); whatever needed it, such as a schema upgrade, was
    not done."""


class ServerBackupNeeded(FrontdeskError):
    """A PostgreSQL database needs an upgrade and Frontdesk could not back it up itself
    (no ``pg_dump``, or it failed); an administrator must confirm a backup exists first."""


class PermissionDenied(FrontdeskError):
    """The signed-in user's role may not do this (or nobody is signed in); nothing was done."""


class SignInFailed(FrontdeskError):
    """Wrong user name or password, a disabled account, or an account waiting out a delay."""

    def __init__(self, message: str, *, retry_after: float = 0.0) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class Role(str, enum.Enum):
    """What a staff account is for; ``frontdesk.accounts.permissions`` says what each may do."""

    ADMINISTRATOR = "administrator"
    RECEPTION = "reception"
    PRACTITIONER = "practitioner"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True)
class Actor:
    """Who is signed in: every service call carries one (``Database.as_actor``)."""

    account_id: int
    username: str
    display_name: str
    role: Role
    practitioner_id: int | None = None


# Frontdesk itself, for work no person asked for (preparing the demo clinic at first start);
# never handed to a window or a command a person uses.
SYSTEM = Actor(0, "frontdesk", "Frontdesk (start-up)", Role.ADMINISTRATOR)
# The computer account that owns the data folder, restoring a database too damaged to sign in
# to (``frontdesk restore``): the folder is that account's alone (0700), so it is the check.
RECOVERY = Actor(0, "data-folder-owner", "Owner of the data folder (restore)", Role.ADMINISTRATOR)


class Discipline(str, enum.Enum):
    ACUPUNCTURE = "acupuncture"
    PHYSIOTHERAPY = "physiotherapy"
    CHIROPRACTIC = "chiropractic"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class AppointmentStatus(str, enum.Enum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"

    @property
    def label(self) -> str:
        return {
            "booked": "Booked",
            "checked_in": "Checked in",
            "completed": "Completed",
            "cancelled": "Cancelled",
            "no_show": "No-show",
        }[self.value]

    @property
    def is_active(self) -> bool:
        """Active appointments hold their time; cancelled and no-show ones free it."""
        return self not in (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW)


ACTIVE_STATUSES: tuple[str, ...] = tuple(s.value for s in AppointmentStatus if s.is_active)


class CourseStatus(str, enum.Enum):
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Frequency(str, enum.Enum):
    WEEKLY = "weekly"
    TWICE_WEEKLY = "twice_weekly"
    EVERY_K_DAYS = "every_k_days"

    def words(self, interval_days: int | None = None) -> str:
        """How often, as a patient reads it: "weekly", "twice a week", "every 3 days"."""
        if self is Frequency.WEEKLY:
            return "weekly"
        if self is Frequency.TWICE_WEEKLY:
            return "twice a week"
        if interval_days == 1:
            return "every day"
        return f"every {interval_days} days" if interval_days else "every few days"


def course_rhythm(frequency: Frequency, interval_days: int | None, sessions: int) -> str:
    """A course's frequency and length in one phrase, "weekly, 8 sessions": what a plan linked
    to the course shows and prints as its frequency, so plan and course never disagree."""
    return f"{frequency.words(interval_days)}, {sessions} session{'' if sessions == 1 else 's'}"


class PageSize(str, enum.Enum):
    LETTER = "Letter"
    A4 = "A4"


class TimeOfDay(str, enum.Enum):
    """Preference for first-available searches, in the clinic's local time."""

    ANY = "any"
    MORNING = "morning"  # before 12:00
    AFTERNOON = "afternoon"  # 12:00 to 17:00
    EVENING = "evening"  # from 17:00
