"""Appointments read as ``AppointmentView`` rows, with every name a screen shows, in one query.

The course position ("session 3 of 10") is computed for all courses on the page in one extra
query, so a day view of forty appointments costs two queries whatever the database size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from frontdesk.db.models import (
    Appointment,
    AppointmentType,
    Patient,
    Practitioner,
    Room,
    TreatmentCourse,
)
from frontdesk.domain import AppointmentStatus, NotFound
from frontdesk.messaging.outbox import email_summaries
from frontdesk.names import display_name
from frontdesk.scheduling.dto import AppointmentView

_CANCELLED = AppointmentStatus.CANCELLED.value


def status_phrase(status: AppointmentStatus) -> str:
    """How a message says where an appointment stands: 'cancelled', 'marked as a no-show'."""
    if status == AppointmentStatus.NO_SHOW:
        return "marked as a no-show"
    return status.label.lower()


def load_views(
    session: Session,
    *conditions: ColumnElement[bool],
    order_by: Sequence[Any] = (Appointment.start_at, Appointment.id),
) -> list[AppointmentView]:
    """Appointments matching ``conditions`` as views, in ``order_by`` order."""
    stmt = (
        select(
            Appointment.id,
            Appointment.patient_id,
            Patient.given_name,
            Patient.family_name,
            Patient.preferred_name,
            Appointment.practitioner_id,
            Practitioner.display_name,
            Appointment.room_id,
            Room.name,
            Appointment.appointment_type_id,
            AppointmentType.name,
            AppointmentType.colour,
            Appointment.start_at,
            Appointment.end_at,
            Appointment.status,
            Appointment.course_id,
            TreatmentCourse.planned_sessions,
            Appointment.cancellation_reason,
            Appointment.late_cancellation,
            Appointment.notes,
            Appointment.version,
            Appointment.back_entered,
        )
        .join(Patient, Patient.id == Appointment.patient_id)
        .join(Practitioner, Practitioner.id == Appointment.practitioner_id)
        .join(AppointmentType, AppointmentType.id == Appointment.appointment_type_id)
        .outerjoin(Room, Room.id == Appointment.room_id)
        .outerjoin(TreatmentCourse, TreatmentCourse.id == Appointment.course_id)
        .where(*conditions)
        .order_by(*order_by)
    )
    # Plain rows, not Appointment objects: a day of forty practitioners is hundreds of rows,
    # and ORM instances (identity map, state, the timestamps no view shows) cost more to build
    # than the view itself.
    rows = session.execute(stmt).all()
    positions = course_positions(session, {r.course_id for r in rows if r.course_id})
    emails = email_summaries(session, [r.id for r in rows])
    return [
        AppointmentView(
            id=appt_id,
            patient_id=patient_id,
            patient_name=display_name(given, family, preferred),
            practitioner_id=practitioner_id,
            practitioner_name=pr_name,
            room_id=room_id,
            room_name=room_name,
            type_id=type_id,
            type_name=type_name,
            type_colour=colour,
            start=start,
            end=end,
            status=AppointmentStatus(status),
            course_id=course_id,
            course_index=positions.get(appt_id),
            course_total=planned,
            cancellation_reason=reason,
            late_cancellation=late,
            notes=notes,
            version=version,
            back_entered=back_entered,
            emails=emails.get(appt_id, ""),
        )
        for (
            appt_id,
            patient_id,
            given,
            family,
            preferred,
            practitioner_id,
            pr_name,
            room_id,
            room_name,
            type_id,
            type_name,
            colour,
            start,
            end,
            status,
            course_id,
            planned,
            reason,
            late,
            notes,
            version,
            back_entered,
        ) in rows
    ]


def course_positions(session: Session, course_ids: set[int]) -> dict[int, int]:
    """appointment id -> 1-based place among its course's non-cancelled sessions.

    Public so every printout numbers course visits exactly as the calendar does.
    """
    if not course_ids:
        return {}
    counters: dict[int, int] = defaultdict(int)
    positions: dict[int, int] = {}
    for appt_id, course_id in session.execute(
        select(Appointment.id, Appointment.course_id)
        .where(Appointment.course_id.in_(course_ids), Appointment.status != _CANCELLED)
        .order_by(Appointment.course_id, Appointment.start_at, Appointment.id)
    ).all():
        assert course_id is not None
        counters[course_id] += 1
        positions[appt_id] = counters[course_id]
    return positions


def load_view(session: Session, appointment_id: int) -> AppointmentView:
    """One appointment as a view, or NotFound."""
    found = load_views(session, Appointment.id == appointment_id)
    if not found:
        raise NotFound(f"Appointment {appointment_id} no longer exists.")
    return found[0]
