"""Judging a list of course session times against the database and against each other.

One judge serves booking (``check_sessions`` refuses at the first problem, naming the session)
and the course wizard (``check_course_sessions`` gives every session its own verdict), so a time
the wizard's table calls free is a time ``book_course`` accepts: a session edited onto another
session of the same course shows as a clash before reception presses Book.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from frontdesk.accounts.operation import operation
from frontdesk.clinic import ClinicInfo, load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import AppointmentType
from frontdesk.domain import BookingConflict, BookingError
from frontdesk.scheduling.availability import Calendar
from frontdesk.scheduling.conflicts import active_room_ids, first_free_room, room_needed
from frontdesk.scheduling.course_plan import validate_request
from frontdesk.scheduling.dto import CourseRequest
from frontdesk.scheduling.localtime import to_local
from frontdesk.scheduling.rules import aware_utc, check_parties, validate
from frontdesk.timefmt import fmt_span_on

Checked = tuple[datetime, datetime, int | None]  # UTC start, end and the room it will use


@dataclass(frozen=True)
class Verdict:
    """One session's fate: its span and room, what the database refuses, which sessions it overlaps."""

    start: datetime
    end: datetime
    room_id: int | None
    refused: BookingError | None
    overlaps: tuple[int, ...]  # positions (0-based) in the list of the sessions it overlaps


def numbered(index: int, exc: BookingError) -> BookingError:
    """The same refusal, saying which session of the course it is about."""
    message = f"Session {index}: {exc}"
    if isinstance(exc, BookingConflict):
        return type(exc)(message, clash_id=exc.clash_id, field=exc.field)
    return type(exc)(message, field=exc.field)


def auto_room(s: Session, start: datetime, type_id: int) -> int | None:
    """First free active room for a course session when the plan did not fix one."""
    kind = s.get(AppointmentType, type_id)
    if kind is None or not room_needed(s, kind.needs_room):
        return None
    start = aware_utc(start)
    end = start + timedelta(minutes=kind.duration_minutes)
    room = first_free_room(s, active_room_ids(s), start, end)
    if room is None:
        raise BookingConflict(
            f"Every room is taken at {fmt_span_on(start, end, load_clinic(s).tz)}.", field="room_id"
        )
    return room


def judge_sessions(
    s: Session,
    clinic: ClinicInfo,
    *,
    patient_id: int,
    practitioner_id: int,
    type_id: int,
    room_id: int | None,
    starts: Sequence[datetime],
    now: datetime,
    exclude: Sequence[int] = (),
) -> list[Verdict]:
    """Every session checked by every booking rule, and against every other session listed."""
    parties = check_parties(
        s, patient_id, practitioner_id, type_id, room_id, room_chosen_later=True
    )
    duration = parties.duration
    spans = [(aware_utc(t), aware_utc(t) + duration) for t in starts]
    days = [to_local(a, clinic.tz).date() for a, _ in spans]
    calendar = Calendar(s, clinic, min(days), max(days), [practitioner_id]) if days else None
    verdicts: list[Verdict] = []
    for i, (start, end) in enumerate(spans):
        room: int | None = None
        refused: BookingError | None = None
        rules = dict(
            patient_id=patient_id,
            practitioner_id=practitioner_id,
            type_id=type_id,
            start=start,
            now=now,
            exclude=exclude,
            clinic=clinic,
            calendar=calendar,
        )
        try:
            if room_id is not None:
                room = room_id
            else:
                # The practitioner's or patient's own clash, a closure or the hours say more
                # to reception than "every room is taken", so they are checked first.
                validate(s, room_id=None, room_chosen_later=True, **rules)  # type: ignore[arg-type]
                room = auto_room(s, start, type_id)
            validate(s, room_id=room, **rules)  # type: ignore[arg-type]
        except BookingError as exc:
            refused = exc
        overlaps = tuple(j for j, (a, b) in enumerate(spans) if j != i and a < end and start < b)
        verdicts.append(Verdict(start, end, room, refused, overlaps))
    return verdicts


def check_sessions(
    s: Session,
    clinic: ClinicInfo,
    *,
    patient_id: int,
    practitioner_id: int,
    type_id: int,
    room_id: int | None,
    starts: Sequence[datetime],
    now: datetime,
    first_index: int = 1,
    exclude: Sequence[int] = (),
) -> list[Checked]:
    """Validate every session (and that they do not overlap each other); refuse naming it."""
    verdicts = judge_sessions(
        s,
        clinic,
        patient_id=patient_id,
        practitioner_id=practitioner_id,
        type_id=type_id,
        room_id=room_id,
        starts=starts,
        now=now,
        exclude=exclude,
    )
    for i, v in enumerate(verdicts):
        if v.refused is not None:
            raise numbered(first_index + i, v.refused) from v.refused
        earlier = [j for j in v.overlaps if j < i]
        if earlier:
            raise BookingError(
                f"Sessions {first_index + earlier[0]} and {first_index + i} overlap at "
                f"{fmt_span_on(v.start, v.end, clinic.tz)}.",
                field="starts",
            )
    return [(v.start, v.end, v.room_id) for v in verdicts]


@operation("check_course_sessions")
def check_course_sessions(
    db: Database, req: CourseRequest, starts: Sequence[datetime], *, now: datetime
) -> list[str | None]:
    """Why each listed session could not be booked as it stands (None: it can), nothing written.

    ``starts`` are the sessions in the course's order (session 1 first); a session that overlaps
    another of the list is reported on both, naming the other, since moving either one fixes it.
    """
    validate_request(req)
    with db.read() as s:
        clinic = load_clinic(s)
        verdicts = judge_sessions(
            s,
            clinic,
            patient_id=req.patient_id,
            practitioner_id=req.practitioner_id,
            type_id=req.type_id,
            room_id=req.room_id,
            starts=starts,
            now=aware_utc(now, "now"),
        )
    problems: list[str | None] = []
    for v in verdicts:
        if v.refused is not None:
            problems.append(str(v.refused))
        elif v.overlaps:
            others = " and ".join(str(j + 1) for j in v.overlaps)
            noun = "sessions" if len(v.overlaps) > 1 else "session"
            problems.append(
                f"{fmt_span_on(v.start, v.end, clinic.tz)} overlaps {noun} {others} of this course."
            )
        else:
            problems.append(None)
    return problems
