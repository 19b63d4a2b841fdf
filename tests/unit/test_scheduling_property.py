"""Property: whatever sequence of bookings and changes staff make, the calendar stays valid.

After any sequence of book / reschedule / shift-following / cancel / no-show / course bookings
(each either accepted or refused by the service), no two active appointments of one
practitioner, room or patient overlap, and every active appointment lies inside opening and
working hours, outside breaks, closures and holidays. The check below is an independent oracle:
it reads the rows and uses the fixture's hours directly, not the service's own rule code.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Appointment,
    AppointmentType,
    ClinicSettings,
    OutboxMessage,
    TreatmentCourse,
)
from frontdesk.db.seed import DEFAULT_OPENING_HOURS
from frontdesk.domain import ACTIVE_STATUSES, Frequency, FrontdeskError
from frontdesk.scheduling import (
    BookingRequest,
    CourseRequest,
    add_closure,
    book_appointment,
    book_course,
    cancel,
    mark_no_show,
    preview_course,
    reschedule,
    shift_following,
)
from tests.unit.test_scheduling_support import NOW, TZ, Clinic, local

FIRST = date(2026, 3, 30)  # two weeks holding Good Friday, Easter Monday and a closure
CLOSED = {date(2026, 4, 3), date(2026, 4, 6), date(2026, 4, 8)}
GRID = [time(h, m) for h in range(8, 19) for m in (0, 15, 30, 45)]  # mostly bookable, some not

days = st.integers(0, 13)
clocks = st.sampled_from(GRID)
picks = st.integers(0, 10_000)
book = st.tuples(
    st.just("book"),
    st.integers(0, 2),
    st.integers(0, 1),
    st.integers(0, 1),
    st.integers(0, 1),
    days,
    clocks,
)
ops = st.one_of(
    book,
    book,
    st.tuples(st.just("reschedule"), picks, days, clocks),
    st.tuples(
        st.just("shift"), picks, st.integers(-3, 3), st.sampled_from([-60, -15, 0, 15, 45, 120])
    ),
    st.tuples(st.just("cancel"), picks),
    st.tuples(st.just("no_show"), picks),
    st.tuples(st.just("course"), st.integers(0, 2), st.integers(2, 4), st.booleans(), days, clocks),
)


def _hours(c: Clinic) -> dict[int, dict[int, tuple[time, time]]]:
    acu = {d: (time(9), time(17)) for d in range(5)} | {5: (time(9), time(13))}
    return {c.acu: acu, c.physio: {d: (time(10), time(19)) for d in range(4)}}


def assert_calendar_valid(db: Database, c: Clinic) -> None:
    with db.read() as s:
        rows = [
            SimpleNamespace(
                id=a.id,
                start_at=a.start_at,
                end_at=a.end_at,
                practitioner_id=a.practitioner_id,
                room_id=a.room_id,
                patient_id=a.patient_id,
            )
            for a in s.scalars(select(Appointment).where(Appointment.status.in_(ACTIVE_STATUSES)))
        ]
    hours = _hours(c)
    for a in rows:
        start, end = a.start_at.astimezone(TZ), a.end_at.astimezone(TZ)
        day = start.date()
        assert end.date() == day and day not in CLOSED, a.id
        opens, closes = DEFAULT_OPENING_HOURS[day.weekday()]
        works_from, works_to = hours[a.practitioner_id][day.weekday()]
        assert max(opens, works_from) <= start.time() and end.time() <= min(closes, works_to), a.id
        if a.practitioner_id == c.acu and day.weekday() < 5:
            assert end.time() <= time(12) or start.time() >= time(13), a.id
    for key in ("practitioner_id", "room_id", "patient_id"):
        by: dict[object, list[SimpleNamespace]] = {}
        for a in rows:
            if getattr(a, key) is not None:
                by.setdefault(getattr(a, key), []).append(a)
        for group in by.values():
            group.sort(key=lambda r: r.start_at)
            for x, y in itertools.pairwise(group):
                assert x.end_at <= y.start_at, (key, x.id, y.id)


def _apply(db: Database, c: Clinic, trigger: int, op: tuple) -> None:  # type: ignore[type-arg]
    with db.read() as s:
        ids = list(s.scalars(select(Appointment.id).order_by(Appointment.id)))
        course_ids = list(
            s.scalars(
                select(Appointment.id)
                .where(Appointment.course_id.is_not(None))
                .order_by(Appointment.id)
            )
        )
    patients, practitioners = (c.ann, c.bob, c.cara), (c.acu, c.physio)
    kind = op[0]
    if kind == "book":
        _, pat, pr, ty, room, d, clock = op
        req = BookingRequest(
            patients[pat],
            practitioners[pr],
            (c.consult, trigger)[ty],
            local(FIRST + timedelta(days=d), clock.hour, clock.minute),
            (c.room1, c.room2)[room],
        )
        book_appointment(db, req, now=NOW)
    elif kind == "reschedule" and ids:
        _, pick, d, clock = op
        reschedule(
            db,
            ids[pick % len(ids)],
            local(FIRST + timedelta(days=d), clock.hour, clock.minute),
            now=NOW,
        )
    elif kind == "shift" and course_ids:
        _, pick, dd, dm = op
        appt = course_ids[pick % len(course_ids)]
        with db.read() as s:
            start = s.get(Appointment, appt).start_at  # type: ignore[union-attr]
        shift_following(db, appt, start + timedelta(days=dd, minutes=dm), now=NOW)
    elif kind == "cancel" and ids:
        cancel(db, ids[op[1] % len(ids)], "Property test", now=NOW)
    elif kind == "no_show" and ids:
        appt = ids[op[1] % len(ids)]
        with db.read() as s:
            start = s.get(Appointment, appt).start_at  # type: ignore[union-attr]
        mark_no_show(db, appt, now=start + timedelta(minutes=10))
    elif kind == "course":
        _, pat, sessions, every_3, d, clock = op
        req = CourseRequest(
            patient_id=patients[pat],
            practitioner_id=c.acu,
            type_id=c.acupuncture,
            sessions=sessions,
            frequency=Frequency.EVERY_K_DAYS if every_3 else Frequency.WEEKLY,
            interval_days=3 if every_3 else None,
            preferred_time=clock,
            start_date=FIRST + timedelta(days=d),
            room_id=None,
        )
        starts = [
            p.start if p.free else p.suggestion.start
            for p in preview_course(db, req, now=NOW)
            if p.free or p.suggestion is not None
        ]
        if starts:
            book_course(db, req, starts, now=NOW)


@pytest.mark.slow
@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sequence=st.lists(ops, min_size=1, max_size=18))
def test_any_sequence_keeps_the_calendar_valid(
    db: Database,
    clinic: Clinic,
    sequence: list[tuple],  # type: ignore[type-arg]
) -> None:
    with db.write() as s:  # each example starts from the same empty calendar
        s.execute(delete(OutboxMessage))  # the emails the bookings wrote, which name them
        s.execute(delete(Appointment))
        s.execute(delete(TreatmentCourse))
        settings_row = s.get(ClinicSettings, 1)
        assert settings_row is not None
        settings_row.closed_optional_holidays = ["easter_monday"]
        trigger = s.scalar(
            select(AppointmentType.id).where(AppointmentType.name == "Trigger point therapy")
        )
    for op in sequence:
        try:
            _apply(db, clinic, trigger, op)
            event(f"{op[0]} accepted")
        except FrontdeskError as exc:
            event(f"{op[0]} refused: {type(exc).__name__}")  # allowed; the calendar must stay valid
        assert_calendar_valid(db, clinic)


@pytest.fixture(autouse=True)
def _closure(db: Database, clinic: Clinic) -> None:
    add_closure(db, date(2026, 4, 8), date(2026, 4, 8), "Renovation")


def _force(db: Database, c: Clinic, patient: int, start: datetime) -> None:
    """Write a consultation behind the service's back, as a buggy script could."""
    with db.write() as s:
        s.add(
            Appointment(
                patient_id=patient,
                practitioner_id=c.acu,
                room_id=c.room1,
                appointment_type_id=c.consult,
                start_at=start,
                end_at=start + timedelta(hours=1),
                status="booked",
            )
        )


@pytest.mark.parametrize(
    "starts",
    [
        [local(FIRST, 10), local(FIRST, 10, 30)],  # a double booking
        [local(date(2026, 4, 3), 10)],  # Good Friday
        [local(FIRST, 12, 30)],  # Dr Lin's lunch
        [local(FIRST, 16, 30)],  # past the end of her day
    ],
    ids=["overlap", "holiday", "break", "after-hours"],
)
@pytest.mark.sqlite_only  # PostgreSQL refuses a forced overlap itself (migration 0004)
def test_the_oracle_catches_what_it_must(
    db: Database, clinic: Clinic, starts: list[datetime]
) -> None:
    """The property is only as good as its checker: each forced bad booking must fail it."""
    for patient, start in zip((clinic.ann, clinic.bob), starts, strict=False):
        _force(db, clinic, patient, start)
    with pytest.raises(AssertionError):
        assert_calendar_valid(db, clinic)
