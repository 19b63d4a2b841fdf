"""The wait list: patients waiting for an opening, matched to a time that frees up.

Reception adds a patient with what they want (an appointment type, one practitioner or any
who gives it, the weekdays and hours that suit, until when). When a time frees (a cancelled
or missed visit, a move, a gap on an empty calendar) ``waitlist_matches`` lists the waiting
patients who could take it, best match first, each at a start the clinic's booking rules
accept; ``book_from_waitlist`` books one and closes their entry in the same transaction.

Ranking, in order: a patient who asked for this practitioner before one who takes anyone; then
the entry whose "until" date comes soonest (they lose the most by waiting); then the one who
has waited longest. No Qt here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.accounts.operation import field_of, operation, via
from frontdesk.clinic import load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Appointment,
    AppointmentType,
    Patient,
    Practitioner,
    WaitlistEntry,
)
from frontdesk.domain import (
    AppointmentStatus,
    BookingError,
    FrontdeskError,
    NotFound,
    ValidationError,
)
from frontdesk.names import display_name
from frontdesk.phones import format_phone
from frontdesk.scheduling.conflicts import active_room_ids, first_free_room, room_needed
from frontdesk.scheduling.dto import AppointmentView
from frontdesk.scheduling.localtime import to_local
from frontdesk.scheduling.rules import checked_write, gives_treatment, precheck_clash, validate
from frontdesk.scheduling.slots import GRID
from frontdesk.scheduling.views import load_view
from frontdesk.timefmt import fmt_date, fmt_time

WAITING, BOOKED, REMOVED = "waiting", "booked", "removed"
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ALL_WEEKDAYS = frozenset(range(7))


@dataclass(frozen=True)
class WaitlistRequest:
    """What a patient on the wait list wants. ``weekdays``: 0 = Monday … 6 = Sunday, local;
    the visit starts at or after ``earliest`` and ends by ``latest`` (local clock times)."""

    patient_id: int
    type_id: int
    practitioner_id: int | None = None  # None: any practitioner who gives the type
    weekdays: frozenset[int] = frozenset(range(5))
    earliest: time = time(8, 0)
    latest: time = time(18, 0)
    until: date | None = None  # None: four weeks from today
    notes: str = ""


@dataclass(frozen=True)
class WaitlistEntryView:
    id: int
    patient_id: int
    patient_name: str
    patient_phone: str
    practitioner_id: int | None
    practitioner_name: str  # "Any practitioner" when none was asked for
    type_id: int
    type_name: str
    duration_minutes: int
    weekdays: tuple[int, ...]
    earliest: time
    latest: time
    until: date
    notes: str
    status: str
    created_at: datetime
    expired: bool
    appointment_id: int | None
    close_reason: str

    @property
    def when_text(self) -> str:
        """e.g. "Mon, Wed, Fri · 09:00–12:00 · until 15 Jun 2027"."""
        days = (
            "Any day"
            if set(self.weekdays) == ALL_WEEKDAYS
            else "Weekdays"
            if set(self.weekdays) == set(range(5))
            else ", ".join(DAY_NAMES[d] for d in self.weekdays)
        )
        return (
            f"{days} · {fmt_time(self.earliest)}–{fmt_time(self.latest)} · "
            f"until {fmt_date(self.until)}"
        )


@dataclass(frozen=True)
class WaitlistMatch:
    """A waiting patient who could take a freed time: where and when the rules accept them."""

    entry: WaitlistEntryView
    practitioner_id: int
    start: datetime  # UTC
    end: datetime
    room_id: int | None
    why: str  # e.g. "asked for Dr Lee · waiting since 3 May"


# ----- helpers ---------------------------------------------------------------------------------


def _minutes(clock: time) -> int:
    return clock.hour * 60 + clock.minute


def _clock(minutes: int) -> time:
    return time(23, 59) if minutes >= 1440 else time(minutes // 60, minutes % 60)


def _bits(days: Iterable[int]) -> int:
    return sum(1 << d for d in set(days))


def _days(bits: int) -> tuple[int, ...]:
    return tuple(d for d in range(7) if bits & (1 << d))


def _view(s: Session, row: WaitlistEntry, today: date) -> WaitlistEntryView:
    patient = s.get(Patient, row.patient_id)
    kind = s.get(AppointmentType, row.appointment_type_id)
    practitioner = s.get(Practitioner, row.practitioner_id) if row.practitioner_id else None
    assert patient is not None and kind is not None
    return WaitlistEntryView(
        id=row.id,
        patient_id=row.patient_id,
        patient_name=display_name(patient.given_name, patient.family_name, patient.preferred_name),
        patient_phone=format_phone(patient.phone) if patient.phone else "",
        practitioner_id=row.practitioner_id,
        practitioner_name=practitioner.display_name if practitioner else "Any practitioner",
        type_id=row.appointment_type_id,
        type_name=kind.name,
        duration_minutes=kind.duration_minutes,
        weekdays=_days(row.weekdays),
        earliest=_clock(row.earliest_minute),
        latest=_clock(row.latest_minute),
        until=row.until,
        notes=row.notes,
        status=row.status,
        created_at=row.created_at,
        expired=row.status == WAITING and row.until < today,
        appointment_id=row.appointment_id,
        close_reason=row.close_reason,
    )


def _today(s: Session, now: datetime) -> date:
    return to_local(now, load_clinic(s).tz).date()


def _check_request(s: Session, req: WaitlistRequest, now: datetime) -> date:
    """Every message about the request at once, keyed by field; returns the "until" date."""
    errors: dict[str, str] = {}
    today = _today(s, now)
    until = req.until or today + timedelta(weeks=4)
    patient = s.get(Patient, req.patient_id)
    if patient is None:
        errors["patient_id"] = "Choose the patient who is waiting."
    elif patient.archived:
        errors["patient_id"] = "This patient's record is archived; restore it first."
    kind = s.get(AppointmentType, req.type_id)
    if kind is None or not kind.active:
        errors["type_id"] = "Choose an appointment type the clinic offers."
    if req.practitioner_id is not None:
        practitioner = s.get(Practitioner, req.practitioner_id)
        if practitioner is None or not practitioner.active:
            errors["practitioner_id"] = "This practitioner no longer sees patients."
        elif kind is not None and not gives_treatment(kind.discipline, practitioner.discipline):
            errors["practitioner_id"] = (
                f"{practitioner.display_name} does not give {kind.name}; choose another "
                "practitioner or any practitioner."
            )
    if not req.weekdays or not set(req.weekdays) <= ALL_WEEKDAYS:
        errors["weekdays"] = "Tick at least one day of the week that suits the patient."
    if _minutes(req.latest) <= _minutes(req.earliest):
        errors["latest"] = "The latest time must be after the earliest time."
    elif kind is not None and _minutes(req.latest) - _minutes(req.earliest) < kind.duration_minutes:
        errors["latest"] = (
            f"{fmt_time(req.earliest)}–{fmt_time(req.latest)} is shorter than a "
            f"{kind.duration_minutes}-minute {kind.name}."
        )
    if until < today:
        errors["until"] = "The wait list date must be today or later."
    if not errors:
        waiting = s.scalar(
            select(WaitlistEntry.id).where(
                WaitlistEntry.patient_id == req.patient_id,
                WaitlistEntry.appointment_type_id == req.type_id,
                WaitlistEntry.status == WAITING,
                WaitlistEntry.until >= today,
            )
        )
        if waiting is not None:
            errors["type_id"] = "This patient is already on the wait list for this type of visit."
    if errors:
        raise ValidationError(errors)
    return until


# ----- operations ------------------------------------------------------------------------------


@operation("add_to_waitlist", patient=field_of("req"))
def add_to_waitlist(db: Database, req: WaitlistRequest, *, now: datetime) -> WaitlistEntryView:
    """Put a patient on the wait list; refused, field by field, when the request cannot be met."""
    with db.write() as s:
        until = _check_request(s, req, now)
        row = WaitlistEntry(
            patient_id=req.patient_id,
            practitioner_id=req.practitioner_id,
            appointment_type_id=req.type_id,
            weekdays=_bits(req.weekdays),
            earliest_minute=_minutes(req.earliest),
            latest_minute=_minutes(req.latest),
            until=until,
            notes=req.notes.strip(),
            status=WAITING,
            created_at=now.astimezone(UTC),
            close_reason="",
        )
        s.add(row)
        s.flush()
        return _view(s, row, _today(s, now))


@operation("list_waitlist")
def list_waitlist(
    db: Database, *, now: datetime, include_closed: bool = False
) -> list[WaitlistEntryView]:
    """The wait list, longest waiting first, then entries whose date has passed; closed entries
    too when asked (newest first)."""
    with db.read() as s:
        today = _today(s, now)
        query = select(WaitlistEntry)
        if not include_closed:
            query = query.where(WaitlistEntry.status == WAITING)
        rows = s.scalars(query.order_by(WaitlistEntry.created_at, WaitlistEntry.id)).all()
        views = [_view(s, row, today) for row in rows]
    # Those still waiting first, longest wait first; entries whose date has passed after them.
    waiting = [v for v in views if v.status == WAITING and not v.expired]
    waiting += [v for v in views if v.status == WAITING and v.expired]
    closed = sorted((v for v in views if v.status != WAITING), key=lambda v: -v.id)
    return waiting + closed


@operation("remove_from_waitlist", patient=via(WaitlistEntry, "entry_id"))
def remove_from_waitlist(db: Database, entry_id: int, reason: str, *, now: datetime) -> None:
    """Take a patient off the wait list (they found a time, or no longer want one)."""
    if not reason.strip():
        raise ValidationError.single("reason", "Say why the patient comes off the wait list.")
    with db.write() as s:
        row = _waiting_row(s, entry_id)
        row.status = REMOVED
        row.closed_at = now.astimezone(UTC)
        row.close_reason = reason.strip()


def _waiting_row(s: Session, entry_id: int) -> WaitlistEntry:
    row = s.get(WaitlistEntry, entry_id)
    if row is None:
        raise NotFound("This wait list entry no longer exists.")
    if row.status != WAITING:
        word = "was booked" if row.status == BOOKED else "was taken off the list"
        raise BookingError(f"This patient {word} at another workstation.", field="entry_id")
    return row


def _candidate_starts(start: datetime, end: datetime | None, minutes: int) -> list[datetime]:
    """``start``, and when the free time runs to ``end``, every later quarter hour that fits."""
    starts = [start]
    if end is not None:
        step = start + GRID
        while step + timedelta(minutes=minutes) <= end:
            starts.append(step)
            step += GRID
    return starts


def _fits_entry(row: WaitlistEntry, local_start: datetime, minutes: int) -> bool:
    if not row.weekdays & (1 << local_start.weekday()):
        return False
    first = local_start.hour * 60 + local_start.minute
    return row.earliest_minute <= first and first + minutes <= row.latest_minute


def _bookable(
    s: Session,
    row: WaitlistEntry,
    kind: AppointmentType,
    practitioner_id: int,
    start: datetime,
    now: datetime,
) -> tuple[datetime, datetime, int | None] | None:
    """The time and room if every booking rule accepts this patient then, else None."""
    try:
        begin, end = validate(
            s,
            patient_id=row.patient_id,
            practitioner_id=practitioner_id,
            type_id=kind.id,
            room_id=None,
            start=start,
            now=now,
            room_chosen_later=True,
        )
    except FrontdeskError:
        return None
    room_id: int | None = None
    if room_needed(s, kind.needs_room):
        room_id = first_free_room(s, active_room_ids(s), begin, end)
        if room_id is None:
            return None
    return begin, end, room_id


def _rank(row: WaitlistEntry, practitioner_id: int) -> tuple[int, date, datetime, int]:
    return (0 if row.practitioner_id == practitioner_id else 1, row.until, row.created_at, row.id)


def _why(view: WaitlistEntryView, practitioner_id: int) -> str:
    asked = (
        f"asked for {view.practitioner_name}"
        if view.practitioner_id == practitioner_id
        else "any practitioner"
    )
    return f"{asked} · until {fmt_date(view.until)} · waiting since {fmt_date(view.created_at)}"


@operation("waitlist_matches")
def waitlist_matches(
    db: Database,
    practitioner_id: int,
    start: datetime,
    *,
    now: datetime,
    end: datetime | None = None,
    limit: int = 10,
) -> list[WaitlistMatch]:
    """Waiting patients who could be booked with ``practitioner_id`` from ``start``, best first.

    With ``end`` (the free time runs until then), each patient is offered the first quarter
    hour in that stretch that suits them; without it, only ``start`` itself. Every offer has
    passed the clinic's booking rules (hours, closures, the practitioner's, the room's and the
    patient's own appointments) as they stand now.
    """
    start = start.astimezone(UTC)
    with db.read() as s:
        clinic = load_clinic(s)
        today = to_local(now, clinic.tz).date()
        day = to_local(start, clinic.tz).date()
        practitioner = s.get(Practitioner, practitioner_id)
        if practitioner is None:
            raise NotFound("This practitioner no longer exists.")
        rows = s.scalars(
            select(WaitlistEntry).where(
                WaitlistEntry.status == WAITING,
                WaitlistEntry.until >= max(day, today),
                (WaitlistEntry.practitioner_id.is_(None))
                | (WaitlistEntry.practitioner_id == practitioner_id),
            )
        ).all()
        matches: list[WaitlistMatch] = []
        for row in sorted(rows, key=lambda r: _rank(r, practitioner_id)):
            kind = s.get(AppointmentType, row.appointment_type_id)
            if kind is None or not gives_treatment(kind.discipline, practitioner.discipline):
                continue
            for candidate in _candidate_starts(start, end, kind.duration_minutes):
                if not _fits_entry(row, to_local(candidate, clinic.tz), kind.duration_minutes):
                    continue
                found = _bookable(s, row, kind, practitioner_id, candidate, now)
                if found is None:
                    continue
                view = _view(s, row, today)
                matches.append(
                    WaitlistMatch(
                        entry=view,
                        practitioner_id=practitioner_id,
                        start=found[0],
                        end=found[1],
                        room_id=found[2],
                        why=_why(view, practitioner_id),
                    )
                )
                break
            if len(matches) >= limit:
                break
        return matches


@operation("book_from_waitlist", patient=via(WaitlistEntry, "entry_id"))
def book_from_waitlist(
    db: Database,
    entry_id: int,
    practitioner_id: int,
    start: datetime,
    *,
    now: datetime,
    room_id: int | None = None,
) -> AppointmentView:
    """Book a waiting patient into a freed time and close their entry, in one transaction.

    Refused with the broken rule's reason (the time was just taken, the patient was booked
    elsewhere) and then nothing changes: the entry stays on the list.
    """

    def check(s: Session) -> tuple[WaitlistEntry, tuple[datetime, datetime]]:
        row = _waiting_row(s, entry_id)
        if row.practitioner_id not in (None, practitioner_id):
            raise BookingError(
                "This patient asked for another practitioner.", field="practitioner_id"
            )
        span = validate(
            s,
            patient_id=row.patient_id,
            practitioner_id=practitioner_id,
            type_id=row.appointment_type_id,
            room_id=room_id,
            start=start,
            now=now,
        )
        return row, span

    def apply(
        s: Session, checked: tuple[WaitlistEntry, tuple[datetime, datetime]]
    ) -> AppointmentView:
        row, (begin, end) = checked
        appointment = Appointment(
            patient_id=row.patient_id,
            practitioner_id=practitioner_id,
            room_id=room_id,
            appointment_type_id=row.appointment_type_id,
            start_at=begin,
            end_at=end,
            status=AppointmentStatus.BOOKED.value,
            notes=f"From the wait list. {row.notes}".strip(),
            created_at=now,
            updated_at=now,
        )
        s.add(appointment)
        s.flush()
        row.status = BOOKED
        row.closed_at = now.astimezone(UTC)
        row.close_reason = "Booked from the wait list."
        row.appointment_id = appointment.id
        return load_view(s, appointment.id)

    def precheck(s: Session) -> None:
        row = _waiting_row(s, entry_id)
        precheck_clash(
            s,
            patient_id=row.patient_id,
            practitioner_id=practitioner_id,
            type_id=row.appointment_type_id,
            room_id=room_id,
            start=start,
        )

    return checked_write(db, check, apply, precheck=precheck)
