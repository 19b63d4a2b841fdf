"""A practitioner's schedule as an iCalendar file (``.ics``), for their own calendar app.

The file can be imported once or published on the clinic's own network as a read-only feed
that a phone or desktop calendar subscribes to (``frontdesk export-calendar`` rewrites it on a
schedule). Times carry the clinic's zone (``TZID`` with its ``VTIMEZONE``), so a visit booked
for 09:00 in Edmonton shows at 09:00 there on either side of a clock change.

Patient names are left out unless the clinic asks for them: a feed file on a shared drive or a
phone is outside the app's accounts and audit, so by default each visit reads only as its type
("Acupuncture treatment") and room. Each event's ``UID`` is the appointment's, so a calendar
that reads the file again updates a moved visit instead of adding a second one; cancelled
and missed visits are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import select

from frontdesk.accounts.operation import operation
from frontdesk.clinic import load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, AppointmentType, Patient, Practitioner, Room
from frontdesk.domain import AppointmentStatus, NotFound, ValidationError
from frontdesk.names import display_name
from frontdesk.scheduling.localtime import day_bounds

PRODUCT_ID = "-//Frontdesk//Clinic schedule//EN"
LONGEST_RANGE = timedelta(days=400)
SHOWN = (
    AppointmentStatus.BOOKED.value,
    AppointmentStatus.CHECKED_IN.value,
    AppointmentStatus.COMPLETED.value,
)


@dataclass(frozen=True)
class ScheduleFile:
    """The ``.ics`` bytes and what they hold, for the message that follows an export."""

    data: bytes
    practitioner_name: str
    events: int
    first_day: date
    last_day: date
    patient_names: bool


def _uid_domain(clinic_name: str) -> str:
    slug = "".join(ch if ch.isalnum() else "-" for ch in clinic_name.lower()).strip("-")
    return f"{slug or 'clinic'}.frontdesk"


@operation(
    "export_schedule_ics",
    access="export",
    entity="practitioner_schedule",
    record="practitioner_id",
)
def export_schedule_ics(
    db: Database,
    practitioner_id: int,
    first_day: date,
    last_day: date,
    *,
    now: datetime,
    patient_names: bool = False,
) -> ScheduleFile:
    """The practitioner's visits from ``first_day`` to ``last_day`` (local days, inclusive)."""
    if last_day < first_day:
        raise ValidationError.single("last_day", "The last day must be on or after the first.")
    if last_day - first_day > LONGEST_RANGE:
        raise ValidationError.single(
            "last_day", "Export at most about a year at a time (400 days)."
        )
    with db.read() as s:
        clinic = load_clinic(s)
        tz = clinic.tz
        practitioner = s.get(Practitioner, practitioner_id)
        if practitioner is None:
            raise NotFound("This practitioner no longer exists.")
        start, _ = day_bounds(first_day, tz)
        _, end = day_bounds(last_day, tz)
        rows = s.execute(
            select(Appointment, AppointmentType.name, Room.name, Patient)
            .join(AppointmentType, AppointmentType.id == Appointment.appointment_type_id)
            .join(Patient, Patient.id == Appointment.patient_id)
            .outerjoin(Room, Room.id == Appointment.room_id)
            .where(
                Appointment.practitioner_id == practitioner_id,
                Appointment.start_at >= start,
                Appointment.start_at < end,
                Appointment.status.in_(SHOWN),
            )
            .order_by(Appointment.start_at, Appointment.id)
        ).all()
        calendar = Calendar()
        calendar.add("prodid", PRODUCT_ID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", f"{practitioner.display_name} · {clinic.name}")
        calendar.add("x-wr-timezone", clinic.timezone)
        domain = _uid_domain(clinic.name)
        stamp = now.astimezone(UTC)
        for appt, type_name, room_name, patient in rows:
            event = Event()
            event.add("uid", f"appointment-{appt.id}@{domain}")
            event.add("dtstamp", stamp)
            event.add("dtstart", appt.start_at.astimezone(tz))
            event.add("dtend", appt.end_at.astimezone(tz))
            event.add("last-modified", appt.updated_at.astimezone(UTC))
            event.add("sequence", appt.version)
            if patient_names:
                who = display_name(patient.given_name, patient.family_name, patient.preferred_name)
                event.add("summary", f"{who} · {type_name}")
            else:
                event.add("summary", type_name)
            event.add("location", ", ".join(p for p in (room_name, clinic.name) if p))
            event.add("status", "CONFIRMED")
            event.add("transp", "OPAQUE")
            calendar.add_component(event)
        calendar.add_missing_timezones()
        return ScheduleFile(
            data=calendar.to_ical(),
            practitioner_name=practitioner.display_name,
            events=len(rows),
            first_day=first_day,
            last_day=last_day,
            patient_names=patient_names,
        )
