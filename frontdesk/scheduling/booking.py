"""Booking, moving and restoring single appointments under every clinic rule.

Each change checks and writes in one ``db.write()`` transaction (SQLite ``BEGIN IMMEDIATE``;
on PostgreSQL the practitioner, room and patient rows are locked first), so two workstations
can never both book the same time: the second one gets ``SlotTaken``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from frontdesk.accounts.operation import operation
from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, TreatmentCourse
from frontdesk.domain import (
    AppointmentStatus,
    BookingError,
    CourseStatus,
    FrontdeskError,
    InvalidTransition,
    NotFound,
    StaleRecord,
)
from frontdesk.scheduling.dto import AppointmentView, BookingRequest
from frontdesk.scheduling.rules import checked_write, precheck_clash, validate, validate_in_place
from frontdesk.scheduling.views import load_view, status_phrase

Span = tuple[datetime, datetime]


def _check_request(session: Session, req: BookingRequest, now: datetime) -> Span:
    if req.course_id is not None:
        course = session.get(TreatmentCourse, req.course_id)
        if course is None or course.patient_id != req.patient_id:
            raise BookingError("This course is not one of this patient's.", field="course_id")
        if course.status != CourseStatus.ACTIVE.value:
            raise BookingError(
                f"This course is {course.status}; sessions cannot be added to it.",
                field="course_id",
            )
    return validate(
        session,
        patient_id=req.patient_id,
        practitioner_id=req.practitioner_id,
        type_id=req.type_id,
        room_id=req.room_id,
        start=req.start,
        now=now,
        back_entered=req.back_entered,
    )


@operation("check_booking")
def check_booking(db: Database, req: BookingRequest, *, now: datetime) -> None:
    """Tell a dialog whether ``book_appointment`` would accept ``req``, without writing."""
    with db.read() as s:
        _check_request(s, req, now)


@operation("check_booking_in_rooms")
def check_booking_in_rooms(
    db: Database, req: BookingRequest, room_ids: Sequence[int], *, now: datetime
) -> tuple[BookingRequest, FrontdeskError | None]:
    """Check ``req`` in each room in turn: the first room the rules accept, else the first refusal.

    For screens where reception has not picked a room: the room is a detail they expect filled
    in. Returns ``req`` with that room and the refusal (None when it can be booked); with no
    rooms listed, ``req`` is checked without a room.
    """
    first: tuple[BookingRequest, FrontdeskError | None] | None = None
    choices: list[int | None] = list(room_ids) or [None]
    with db.read() as s:
        for room_id in choices:
            candidate = replace(req, room_id=room_id)
            try:
                _check_request(s, candidate, now)
            except FrontdeskError as exc:
                first = first or (candidate, exc)
                continue
            return candidate, None
    assert first is not None
    return first


@operation("book_appointment")
def book_appointment(db: Database, req: BookingRequest, *, now: datetime) -> AppointmentView:
    """Book one appointment of the type's duration; refused with the broken rule's reason."""

    def apply(s: Session, span: Span) -> AppointmentView:
        row = Appointment(
            patient_id=req.patient_id,
            practitioner_id=req.practitioner_id,
            room_id=req.room_id,
            appointment_type_id=req.type_id,
            course_id=req.course_id,
            start_at=span[0],
            end_at=span[1],
            status=AppointmentStatus.BOOKED.value,
            back_entered=req.back_entered,
            notes=req.notes,
            created_at=now,
            updated_at=now,
        )
        s.add(row)
        s.flush()
        return load_view(s, row.id)

    def precheck(s: Session) -> None:
        precheck_clash(
            s,
            patient_id=req.patient_id,
            practitioner_id=req.practitioner_id,
            type_id=req.type_id,
            room_id=req.room_id,
            start=req.start,
        )

    return checked_write(db, lambda s: _check_request(s, req, now), apply, precheck=precheck)


@operation("get_appointment")
def get_appointment(db: Database, appointment_id: int) -> AppointmentView:
    """One appointment as the calendar shows it (NotFound if it was deleted)."""
    with db.read() as s:
        return load_view(s, appointment_id)


def load_row(
    session: Session, appointment_id: int, expected_version: int | None = None
) -> Appointment:
    """The appointment to change, refusing a missing one or one changed since it was shown."""
    row = session.get(Appointment, appointment_id)
    if row is None:
        raise NotFound(f"Appointment {appointment_id} no longer exists.")
    if expected_version is not None and row.version != expected_version:
        raise StaleRecord(
            "This appointment was changed at another workstation; reopen it and try again."
        )
    return row


def _check_move(
    s: Session,
    appointment_id: int,
    new_start: datetime,
    *,
    now: datetime,
    practitioner_id: int | None,
    room_id: int | None,
    expected_version: int | None,
) -> tuple[Appointment, Span]:
    row = load_row(s, appointment_id, expected_version)
    if row.status != AppointmentStatus.BOOKED.value:
        raise InvalidTransition(
            f"Only a booked appointment can be moved; this one is "
            f"{status_phrase(AppointmentStatus(row.status))}.",
            field="start",
        )
    span = validate(
        s,
        patient_id=row.patient_id,
        practitioner_id=practitioner_id or row.practitioner_id,
        type_id=row.appointment_type_id,
        room_id=room_id if room_id is not None else row.room_id,
        start=new_start,
        now=now,
        exclude=(row.id,),
    )
    return row, span


@operation("check_reschedule")
def check_reschedule(
    db: Database,
    appointment_id: int,
    new_start: datetime,
    *,
    now: datetime,
    practitioner_id: int | None = None,
) -> None:
    """Raise what ``reschedule`` would refuse the move with, without writing.

    The calendar asks this for the slot a dragged visit hovers over, so a busy, closed or
    out-of-hours slot shows before the drop; the drop itself still goes through ``reschedule``.
    """
    with db.read() as s:
        _check_move(
            s,
            appointment_id,
            new_start,
            now=now,
            practitioner_id=practitioner_id,
            room_id=None,
            expected_version=None,
        )


@operation("reschedule")
def reschedule(
    db: Database,
    appointment_id: int,
    new_start: datetime,
    *,
    now: datetime,
    practitioner_id: int | None = None,
    room_id: int | None = None,
    expected_version: int | None = None,
) -> AppointmentView:
    """Move a booked appointment, optionally to another practitioner or room; same length."""

    def check(s: Session) -> tuple[Appointment, Span]:
        return _check_move(
            s,
            appointment_id,
            new_start,
            now=now,
            practitioner_id=practitioner_id,
            room_id=room_id,
            expected_version=expected_version,
        )

    def apply(s: Session, checked: tuple[Appointment, Span]) -> AppointmentView:
        row, (start, end) = checked
        row.start_at, row.end_at = start, end
        if practitioner_id:
            row.practitioner_id = practitioner_id
        if room_id is not None:
            row.room_id = room_id
        row.updated_at = now
        s.flush()
        return load_view(s, row.id)

    return checked_write(db, check, apply)


@operation("restore_cancelled")
def restore_cancelled(
    db: Database, appointment_id: int, *, now: datetime, expected_version: int | None = None
) -> AppointmentView:
    """Undo a cancellation if the time is still free (its past-time rule is not re-applied)."""

    def check(s: Session) -> Appointment:
        row = load_row(s, appointment_id, expected_version)
        check_restorable(s, row, now)
        return row

    def apply(s: Session, row: Appointment) -> AppointmentView:
        mark_restored(row, now)
        s.flush()
        return load_view(s, row.id)

    return checked_write(db, check, apply)


def check_restorable(s: Session, row: Appointment, now: datetime) -> None:
    """Refuse to book a cancelled appointment back unless every booking rule still allows it.

    Shared by ``restore_cancelled`` and by undoing a patient's archiving, which books back the
    visits the archiving cancelled in the same transaction as the patient's return.
    """
    if row.status != AppointmentStatus.CANCELLED.value:
        raise InvalidTransition("Only a cancelled appointment can be restored.")
    validate_in_place(s, row, now)


def mark_restored(row: Appointment, now: datetime) -> None:
    """A checked cancelled appointment is booked again, its cancellation forgotten."""
    row.status = AppointmentStatus.BOOKED.value
    row.cancellation_reason = None
    row.late_cancellation = False
    row.updated_at = now
