"""Turn booking changes into outbox rows, inside the transaction that made the changes.

Called by the scheduling layer's hook (``frontdesk.scheduling.notices``) just before a booking
change commits: a new visit gets a confirmation (one for a whole course's sessions booked
together) and a reminder ``reminder_hours`` before it; a moved visit a move notice and a new
reminder; a cancelled one a cancellation notice. Reminders still pending for a visit that moved
or was cancelled are marked skipped. Each row is keyed by (appointment, version, kind), so
writing the same message twice is impossible.

A patient without consent, without the email preference or without an address still gets the
row, marked "not sent", so reception sees why no email went.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.clinic import ClinicInfo, load_clinic
from frontdesk.db.models import Appointment, AppointmentType, OutboxMessage, Patient, Practitioner
from frontdesk.domain import AppointmentStatus
from frontdesk.messaging.ics import CalendarVisit, build_ics
from frontdesk.messaging.settings import load_mail_settings, load_templates
from frontdesk.messaging.templates import render
from frontdesk.timefmt import fmt_long_date, fmt_time

NO_CONSENT = "not sent: no consent"
NO_EMAIL_WANTED = "not sent: the patient does not want email"
NO_ADDRESS = "not sent: no email address on the record"
MOVED = "skipped: the visit was moved"
CANCELLED = "skipped: the visit was cancelled"


@dataclass
class Change:
    """What happened to one appointment in this transaction."""

    appointment_id: int
    new: bool = False  # booked, or booked back after a cancellation
    moved_from: datetime | None = None  # its start before the first move
    moved: bool = False  # another time, or another practitioner
    previous_practitioner_id: int | None = None
    cancelled: bool = False


def consent_problem(patient: Patient) -> str | None:
    """Why this patient may not be emailed, or None."""
    if not patient.email_consent:
        return NO_CONSENT
    if not patient.contact_by_email:
        return NO_EMAIL_WANTED
    if not patient.email.strip():
        return NO_ADDRESS
    return None


_Row = TypeVar("_Row")


def write_messages(session: Session, changes: Iterable[Change], now: datetime) -> None:
    """Write the outbox rows for ``changes`` into ``session`` (the booking's transaction);
    ``now`` is the clock of the user action (notices are due then)."""
    changes = list(changes)
    if not changes:
        return
    rows = {
        row.id: row
        for row in session.scalars(
            select(Appointment).where(Appointment.id.in_([c.appointment_id for c in changes]))
        )
    }
    clinic = load_clinic(session)
    writer = _Writer(session, clinic, now)
    new_by_course: dict[int, list[Appointment]] = defaultdict(list)
    for change in changes:
        row = rows.get(change.appointment_id)
        if row is None:
            continue
        booked = row.status == AppointmentStatus.BOOKED.value
        if row.status == AppointmentStatus.CANCELLED.value and not change.new:
            writer.supersede(row, CANCELLED)
            writer.write(row, "cancellation")
        elif booked and change.new:
            if row.course_id is not None:
                new_by_course[row.course_id].append(row)
            else:
                writer.write(row, "confirmation")
            writer.reminder(row)
        elif booked and change.moved:
            writer.supersede(row, MOVED)
            writer.write(
                row,
                "move",
                previous=change.moved_from or row.start_at,
                previous_practitioner_id=change.previous_practitioner_id,
            )
            writer.reminder(row)
    for course_rows in new_by_course.values():
        course_rows.sort(key=lambda r: r.start_at)
        if len(course_rows) == 1:
            writer.write(course_rows[0], "confirmation")
        else:
            writer.write(course_rows[0], "course_confirmation", sessions=course_rows)


class _Writer:
    def __init__(self, session: Session, clinic: ClinicInfo, now: datetime) -> None:
        self.s = session
        self.now = now
        self.clinic = clinic
        self.tz = clinic.tz
        self.settings = load_mail_settings(session)
        self.templates = load_templates(session)
        # Rows each message names, held here: the session keeps only weak references, so a
        # booking's confirmation and reminder would each read the patient again.
        self._rows: dict[tuple[type, int], Any] = {}

    def _get(self, model: type[_Row], row_id: int) -> _Row:
        key = (model, row_id)
        if key not in self._rows:
            self._rows[key] = self.s.get(model, row_id)
        found = self._rows[key]
        assert found is not None, f"{model.__name__} {row_id} is missing"
        return cast(_Row, found)

    def supersede(self, row: Appointment, reason: str) -> None:
        for waiting in self.s.scalars(
            select(OutboxMessage).where(
                OutboxMessage.appointment_id == row.id,
                OutboxMessage.kind == "reminder",
                OutboxMessage.status == "pending",
            )
        ):
            waiting.status = "skipped"
            waiting.reason = reason

    def reminder(self, row: Appointment) -> None:
        now = self.now
        due = row.start_at - timedelta(hours=self.settings.reminder_hours)
        if due <= now:
            return  # booked or moved inside the lead time: its confirmation is the reminder
        self.write(row, "reminder", due=due)

    def write(
        self,
        row: Appointment,
        kind: str,
        *,
        due: datetime | None = None,
        previous: datetime | None = None,
        previous_practitioner_id: int | None = None,
        sessions: list[Appointment] | None = None,
    ) -> None:
        exists = self.s.scalar(
            select(OutboxMessage.id).where(
                OutboxMessage.appointment_id == row.id,
                OutboxMessage.appointment_version == row.version,
                OutboxMessage.kind == kind,
            )
        )
        if exists is not None:
            return
        patient = self._get(Patient, row.patient_id)
        practitioner = self._get(Practitioner, row.practitioner_id)
        type_ = self._get(AppointmentType, row.appointment_type_id)
        now = self.now
        local = row.start_at.astimezone(self.tz)
        values = {
            "first_name": patient.preferred_name or patient.given_name,
            "date": fmt_long_date(local.date()),
            "time": fmt_time(local),
            "practitioner": practitioner.display_name,
            "appointment_type": type_.name,
            "clinic_name": self.clinic.name,
            "clinic_address": self.clinic.address,
            "clinic_phone": self.clinic.phone,
            "sessions": "",
            "previous": "",
        }
        if previous is not None:
            old = previous.astimezone(self.tz)
            values["previous"] = f"{fmt_long_date(old.date())} at {fmt_time(old)}"
            if previous_practitioner_id not in (None, row.practitioner_id):
                before = self.s.get(Practitioner, previous_practitioner_id)
                if before is not None:
                    values["previous"] += f" with {before.display_name}"
        visits = sessions or [row]
        if sessions:
            values["sessions"] = "\n".join(
                f"{n}. {fmt_long_date(r.start_at.astimezone(self.tz).date())} at "
                f"{fmt_time(r.start_at.astimezone(self.tz))}"
                for n, r in enumerate(sessions, start=1)
            )
        subject_t, body_t = self.templates[kind]
        ics = build_ics(
            [
                CalendarVisit(
                    r.id,
                    r.version,
                    r.start_at,
                    r.end_at,
                    f"{type_.name} with {practitioner.display_name}",
                    ", ".join(p for p in (self.clinic.name, self.clinic.address) if p),
                )
                for r in visits
            ],
            self.tz,
            cancelled=kind == "cancellation",
            organizer=self.settings.sender,
            stamp=now,
        )
        problem = consent_problem(patient)
        self.s.add(
            OutboxMessage(
                appointment_id=row.id,
                appointment_version=row.version,
                kind=kind,
                patient_id=row.patient_id,
                visit_start=row.start_at,
                to_address=patient.email.strip(),
                subject=render(subject_t, values),
                body=render(body_t, values),
                ics=ics,
                status="not_sent" if problem else "pending",
                reason=problem or "",
                due_at=due or now,
                next_attempt_at=due or now,
                attempts=0,
                claimed_by="",
                created_at=now,
            )
        )
