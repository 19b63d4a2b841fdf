"""What the calendar draws: a day or a week with hours, breaks, closures and appointments.

One read session per call and a fixed number of queries, whatever the number of practitioners
or appointments shown, so paging through weeks stays instant on a large database.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.accounts.operation import by_patient, operation
from frontdesk.clinic import load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, Practitioner
from frontdesk.domain import ACTIVE_STATUSES
from frontdesk.scheduling.availability import Calendar
from frontdesk.scheduling.catalogue import practitioner_view
from frontdesk.scheduling.dto import (
    AppointmentView,
    DaySchedule,
    Interval,
    PractitionerDay,
    PractitionerView,
)
from frontdesk.scheduling.localtime import day_bounds
from frontdesk.scheduling.views import load_views


def _schedules(
    s: Session,
    first_day: date,
    days: int,
    practitioner_ids: list[int] | None,
    include_cancelled: bool,
) -> list[DaySchedule]:
    clinic = load_clinic(s)
    tz = clinic.tz
    stmt = select(Practitioner).order_by(Practitioner.display_name, Practitioner.id)
    if practitioner_ids is None:
        stmt = stmt.where(Practitioner.active.is_(True))
    else:
        stmt = stmt.where(Practitioner.id.in_(practitioner_ids))
    practitioners: list[PractitionerView] = [practitioner_view(p) for p in s.scalars(stmt)]
    ids = [p.id for p in practitioners]
    last_day = first_day + timedelta(days=days - 1)
    calendar = Calendar(s, clinic, first_day, last_day, ids)
    lo, hi = day_bounds(first_day, tz)[0], day_bounds(last_day, tz)[1]
    conditions = [
        Appointment.practitioner_id.in_(ids),
        Appointment.start_at >= lo,
        Appointment.start_at < hi,
    ]
    if not include_cancelled:
        conditions.append(Appointment.status.in_(ACTIVE_STATUSES))
    appointments = load_views(s, *conditions)
    out: list[DaySchedule] = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        start, end = day_bounds(day, tz)
        closed = calendar.closed.reason(day)
        opening = calendar.opening(day)
        out.append(
            DaySchedule(
                day=day,
                tz=tz,
                opening=Interval(*opening) if opening and not closed else None,
                closed_reason=closed,
                practitioners=[
                    PractitionerDay(
                        p,
                        [] if closed else [Interval(*w) for w in calendar.working(p.id, day)],
                        [] if closed else [Interval(*b) for b in calendar.breaks(p.id, day)],
                    )
                    for p in practitioners
                ],
                appointments=[a for a in appointments if start <= a.start < end],
            )
        )
    return out


@operation("day_schedule")
def day_schedule(
    db: Database,
    day: date,
    *,
    practitioner_ids: list[int] | None = None,
    include_cancelled: bool = True,
) -> DaySchedule:
    """One local day; all active practitioners unless ``practitioner_ids`` names some."""
    with db.read() as s:
        return _schedules(s, day, 1, practitioner_ids, include_cancelled)[0]


@operation("week_schedule")
def week_schedule(
    db: Database, first_day: date, practitioner_id: int, *, include_cancelled: bool = True
) -> list[DaySchedule]:
    """Seven consecutive local days of one practitioner, from ``first_day``."""
    with db.read() as s:
        return _schedules(s, first_day, 7, [practitioner_id], include_cancelled)


@operation("patient_appointments", patient=by_patient)
def patient_appointments(db: Database, patient_id: int) -> list[AppointmentView]:
    """All of a patient's appointments, latest first (their history and upcoming visits)."""
    with db.read() as s:
        return load_views(
            s,
            Appointment.patient_id == patient_id,
            order_by=(Appointment.start_at.desc(), Appointment.id.desc()),
        )
