"""First available slots, and the day/week views and closed days the calendar shows."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from frontdesk.db.engine import Database
from frontdesk.db.models import ClinicSettings, Room
from frontdesk.domain import Discipline, TimeOfDay, ValidationError
from frontdesk.scheduling import (
    BookingRequest,
    add_closure,
    book_appointment,
    cancel,
    day_schedule,
    first_available,
    holidays_between,
    list_closures,
    patient_appointments,
    week_schedule,
)
from tests.unit.test_scheduling_support import MONDAY, NOW, TZ, Clinic, local


def hm(slots) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    return [(s.start.astimezone(TZ).strftime("%a %H:%M"), s.practitioner_id) for s in slots]


def test_any_practitioner_earliest_first_on_a_15_minute_grid(db: Database, clinic: Clinic) -> None:
    slots = first_available(db, clinic.consult, start_from=local(MONDAY, 8))
    a, p = clinic.acu, clinic.physio
    assert hm(slots) == [
        ("Mon 09:00", a),
        ("Mon 09:15", a),
        ("Mon 09:30", a),
        ("Mon 09:45", a),
        ("Mon 10:00", a),
        ("Mon 10:00", p),
        ("Mon 10:15", a),
        ("Mon 10:15", p),
        ("Mon 10:30", a),
        ("Mon 10:30", p),
    ]
    assert all(s.end - s.start == timedelta(hours=1) and s.room_id == clinic.room1 for s in slots)


def test_start_from_is_rounded_up_to_the_grid(db: Database, clinic: Clinic) -> None:
    slots = first_available(
        db, clinic.consult, start_from=local(MONDAY, 9, 7), count=1, practitioner_id=clinic.acu
    )
    assert hm(slots) == [("Mon 09:15", clinic.acu)]


def test_type_discipline_and_filter(db: Database, clinic: Clinic) -> None:
    assert {
        s.practitioner_id
        for s in first_available(db, clinic.acupuncture, start_from=local(MONDAY, 8))
    } == {clinic.acu}
    physio = first_available(
        db, clinic.consult, start_from=local(MONDAY, 8), discipline=Discipline.PHYSIOTHERAPY
    )
    assert {s.practitioner_id for s in physio} == {clinic.physio}


def test_breaks_and_time_of_day(db: Database, clinic: Clinic) -> None:
    afternoon = first_available(
        db,
        clinic.consult,
        start_from=local(MONDAY, 8),
        count=3,
        practitioner_id=clinic.acu,
        time_of_day=TimeOfDay.AFTERNOON,
    )
    assert hm(afternoon) == [
        ("Mon 13:00", clinic.acu),
        ("Mon 13:15", clinic.acu),
        ("Mon 13:30", clinic.acu),
    ]
    morning = first_available(
        db,
        clinic.consult,
        start_from=local(MONDAY, 10, 30),
        count=3,
        practitioner_id=clinic.acu,
        time_of_day=TimeOfDay.MORNING,
    )
    assert hm(morning) == [
        ("Mon 10:30", clinic.acu),
        ("Mon 10:45", clinic.acu),
        ("Mon 11:00", clinic.acu),
    ]
    evening = first_available(
        db, clinic.consult, start_from=local(MONDAY, 8), count=6, time_of_day=TimeOfDay.EVENING
    )
    assert hm(evening)[-1] == ("Tue 17:00", clinic.physio)
    evening = evening[:5]
    assert hm(evening)[-1] == ("Mon 18:00", clinic.physio) and hm(evening)[0] == (
        "Mon 17:00",
        clinic.physio,
    )


def test_busy_practitioner_patient_and_rooms_are_skipped(db: Database, clinic: Clinic) -> None:
    with db.write() as s:
        s.get(Room, clinic.room2).active = False  # type: ignore[union-attr]
    book_appointment(
        db,
        BookingRequest(clinic.bob, clinic.physio, clinic.consult, local(MONDAY, 10), clinic.room1),
        now=NOW,
    )
    book_appointment(
        db,
        BookingRequest(
            clinic.ann, clinic.acu, clinic.consult, local(MONDAY, 13), None or clinic.room1
        ),
        now=NOW,
    )
    acu = first_available(
        db, clinic.consult, start_from=local(MONDAY, 9), count=3, practitioner_id=clinic.acu
    )
    assert hm(acu) == [
        ("Mon 09:00", clinic.acu),
        ("Mon 11:00", clinic.acu),
        ("Mon 14:00", clinic.acu),
    ]
    for_bob = first_available(
        db,
        clinic.consult,
        start_from=local(MONDAY, 10),
        count=1,
        practitioner_id=clinic.acu,
        patient_id=clinic.bob,
    )
    assert hm(for_bob) == [("Mon 11:00", clinic.acu)]


def test_closed_days_are_skipped(db: Database, clinic: Clinic) -> None:
    slots = first_available(db, clinic.consult, start_from=local(date(2026, 4, 3), 8), count=1)
    assert hm(slots) == [("Sat 09:00", clinic.acu)]  # Good Friday, then Saturday morning


def test_bad_count(db: Database, clinic: Clinic) -> None:
    with pytest.raises(ValidationError):
        first_available(db, clinic.consult, start_from=local(MONDAY, 8), count=0)


def test_day_schedule(db: Database, clinic: Clinic) -> None:
    kept = book_appointment(
        db,
        BookingRequest(clinic.ann, clinic.acu, clinic.consult, local(MONDAY, 10), clinic.room1),
        now=NOW,
    )
    gone = book_appointment(
        db,
        BookingRequest(clinic.bob, clinic.physio, clinic.consult, local(MONDAY, 15), clinic.room2),
        now=NOW,
    )
    cancel(db, gone.id, "Unwell", now=NOW)
    day = day_schedule(db, MONDAY)
    assert (day.opening.start, day.opening.end) == (local(MONDAY, 8), local(MONDAY, 20))  # type: ignore[union-attr]
    assert day.closed_reason is None and day.tz == TZ
    lin = day.practitioners[0]
    assert lin.practitioner.display_name == "Dr Mei Lin"
    assert [(w.start, w.end) for w in lin.working] == [(local(MONDAY, 9), local(MONDAY, 17))]
    assert [(b.start, b.label) for b in lin.breaks] == [(local(MONDAY, 12), "Lunch")]
    assert [a.id for a in day.appointments] == [kept.id, gone.id]
    assert [a.id for a in day_schedule(db, MONDAY, include_cancelled=False).appointments] == [
        kept.id
    ]
    assert [
        p.practitioner.id
        for p in day_schedule(db, MONDAY, practitioner_ids=[clinic.physio]).practitioners
    ] == [clinic.physio]


def test_week_schedule_and_closed_days(db: Database, clinic: Clinic) -> None:
    add_closure(db, MONDAY + timedelta(days=2), MONDAY + timedelta(days=2), "Staff training")
    week = week_schedule(db, MONDAY, clinic.acu)
    assert [d.day for d in week] == [MONDAY + timedelta(days=i) for i in range(7)]
    assert week[2].closed_reason == "Staff training" and week[2].opening is None
    assert week[2].practitioners[0].working == []
    assert week[6].opening is None and week[6].closed_reason is None  # Sunday: not open
    assert week[5].practitioners[0].working[0].end == local(MONDAY + timedelta(days=5), 13)
    christmas = day_schedule(db, date(2026, 12, 25))
    assert christmas.closed_reason == "Christmas Day"


def test_patient_appointments_latest_first(db: Database, clinic: Clinic) -> None:
    first = book_appointment(
        db,
        BookingRequest(clinic.ann, clinic.acu, clinic.consult, local(MONDAY, 10), clinic.room1),
        now=NOW,
    )
    second = book_appointment(
        db,
        BookingRequest(clinic.ann, clinic.acu, clinic.consult, local(MONDAY, 14), clinic.room1),
        now=NOW,
    )
    assert [a.id for a in patient_appointments(db, clinic.ann)] == [second.id, first.id]
    assert patient_appointments(db, clinic.bob) == []


def test_holidays_statutory_and_chosen_optional(db: Database, clinic: Clinic) -> None:
    year = holidays_between(db, date(2026, 1, 1), date(2026, 12, 31))
    assert year[date(2026, 2, 16)] == "Family Day"
    assert year[date(2026, 12, 25)] == "Christmas Day"
    assert date(2026, 8, 3) not in year and date(2026, 12, 28) not in year
    with db.write() as s:
        s.get(ClinicSettings, 1).closed_optional_holidays = ["heritage_day", "boxing_day"]  # type: ignore[union-attr]
    year = holidays_between(db, date(2026, 1, 1), date(2026, 12, 31))
    assert year[date(2026, 8, 3)] == "Heritage Day"
    assert year[date(2026, 12, 26)] == "Boxing Day"  # a Saturday: closed on the day itself
    assert date(2026, 12, 28) not in year  # its observed Monday stays open by default
    with db.write() as s:
        s.get(ClinicSettings, 1).close_on_observed_days = True  # type: ignore[union-attr]
    year = holidays_between(db, date(2026, 1, 1), date(2026, 12, 31))
    assert year[date(2026, 12, 28)] == "Boxing Day (observed)"
    assert list(holidays_between(db, date(2026, 2, 1), date(2026, 2, 28))) == [date(2026, 2, 16)]


def test_closures_validate_and_list(db: Database, clinic: Clinic) -> None:
    with pytest.raises(ValidationError) as err:
        add_closure(db, MONDAY, MONDAY - timedelta(days=1), " ")
    assert set(err.value.errors) == {"reason", "ends_on"}
    made = add_closure(db, MONDAY, MONDAY + timedelta(days=4), "Renovation")
    assert list_closures(db, MONDAY + timedelta(days=4), MONDAY + timedelta(days=10)) == [made]
    assert list_closures(db, MONDAY + timedelta(days=5), MONDAY + timedelta(days=10)) == []
    assert time(0) < time(1)


def _appointment_plans(db: Database, action) -> list[str]:  # type: ignore[no-untyped-def]
    """How SQLite reads the ``appointments`` table for every query ``action`` makes."""
    from sqlalchemy import event

    seen: list[tuple[str, object]] = []

    def remember(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if "FROM appointments" in statement:
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert seen, "no query of the appointments table was made"
    plans: list[str] = []
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        for statement, parameters in seen:
            for row in raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters):
                if "appointments" in row[3]:
                    plans.append(row[3])
    return plans


# The indexes that reach one practitioner's, room's, patient's or course's rows; the plain
# ``start_at`` index (or a scan) reads every practitioner's appointments of the day.
PARTY_INDEXES = (
    "ix_appointments_practitioner_start",
    "ix_appointments_room_start",
    "ix_appointments_patient_start",
    "ix_appointments_course",
    "INTEGER PRIMARY KEY",
)


@pytest.mark.sqlite_only  # reads SQLite's EXPLAIN QUERY PLAN
def test_views_read_only_the_asked_practitioners_rooms_and_patient(
    db: Database, clinic: Clinic
) -> None:
    book_appointment(
        db,
        BookingRequest(clinic.bob, clinic.physio, clinic.consult, local(MONDAY, 10), clinic.room1),
        now=NOW,
    )
    plans = _appointment_plans(db, lambda: day_schedule(db, MONDAY, practitioner_ids=[clinic.acu]))
    plans += _appointment_plans(
        db,
        lambda: first_available(
            db,
            clinic.consult,
            start_from=local(MONDAY, 9),
            count=3,
            practitioner_id=clinic.acu,
            patient_id=clinic.ann,
        ),
    )
    assert plans
    assert [p for p in plans if not any(index in p for index in PARTY_INDEXES)] == []
