"""Archiving a patient with visits still booked ahead is refused, naming those visits."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from frontdesk.db.engine import Database
from frontdesk.domain import (
    AppointmentStatus,
    BookingError,
    Discipline,
    InvalidTransition,
    StaleRecord,
    ValidationError,
)
from frontdesk.patients import (
    PatientInput,
    PatientStillBooked,
    archive_patient,
    cancel_visits_and_archive,
    create_patient,
    get_patient,
    restore_patient,
    search_patients,
    upcoming_appointments,
)
from frontdesk.scheduling import (
    BookingRequest,
    book_appointment,
    cancel,
    check_in,
    get_appointment,
    list_appointment_types,
)
from frontdesk.setup import DayHours, PractitionerInput, add_practitioner, add_room

TZ = ZoneInfo("America/Edmonton")
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # Monday 08:00 in Edmonton


def _book(db: Database, patient_id: int, when: datetime) -> int:
    who = add_practitioner(
        db,
        PractitionerInput(
            f"Mei Chen {when:%d%H}",
            Discipline.ACUPUNCTURE,
            hours={d: DayHours(time(8), time(17)) for d in range(5)},
        ),
    )
    room = add_room(db, f"Room {when:%d%H}")
    kind = next(t for t in list_appointment_types(db) if t.name == "Initial consultation")
    return book_appointment(
        db, BookingRequest(patient_id, who.id, kind.id, when, room_id=room.id), now=NOW
    ).id


@pytest.fixture
def ann(db: Database) -> int:
    return create_patient(db, PatientInput("Ann", "Lee", date(1980, 1, 2)), today=NOW.date()).id


def test_archive_is_refused_with_the_count_and_the_visits(db: Database, ann: int) -> None:
    later = _book(db, ann, datetime(2026, 3, 4, 10, tzinfo=TZ))
    sooner = _book(db, ann, datetime(2026, 3, 3, 9, tzinfo=TZ))
    with pytest.raises(PatientStillBooked) as exc:
        archive_patient(db, ann, now=NOW)
    assert exc.value.count == 2
    assert [a.id for a in exc.value.appointments] == [sooner, later]
    assert "Lee, Ann still has 2 booked appointments" in str(exc.value)
    assert not get_patient(db, ann).archived
    assert [p.id for p in search_patients(db, "ann lee")] == [ann]


def test_past_and_cancelled_visits_do_not_stand_in_the_way(db: Database, ann: int) -> None:
    past = _book(db, ann, datetime(2026, 3, 2, 9, tzinfo=TZ))
    ahead = _book(db, ann, datetime(2026, 3, 3, 9, tzinfo=TZ))
    later = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)  # 11:00 local, after the 09:00 visit
    assert [a.id for a in upcoming_appointments(db, ann, now=later)] == [ahead]
    cancel(db, ahead, "Moving away", now=later)
    assert get_appointment(db, past).status is AppointmentStatus.BOOKED
    assert archive_patient(db, ann, now=later).archived


def test_a_visit_in_progress_counts(db: Database, ann: int) -> None:
    visit = _book(db, ann, datetime(2026, 3, 2, 9, tzinfo=TZ))
    during = datetime(2026, 3, 2, 16, 30, tzinfo=UTC)  # 09:30 local
    check_in(db, visit, now=during)
    with pytest.raises(PatientStillBooked) as exc:
        archive_patient(db, ann, now=during)
    assert exc.value.count == 1
    assert exc.value.appointments[0].status is AppointmentStatus.CHECKED_IN


# Cancelling the visits ahead and archiving is one service call and one transaction.


def _state(db: Database, patient_id: int, visits: list[int]) -> tuple[object, ...]:
    rows = [get_appointment(db, v) for v in visits]
    return (
        get_patient(db, patient_id),
        [(a.status, a.version, a.cancellation_reason, a.late_cancellation) for a in rows],
    )


def test_cancel_and_archive_cancels_every_visit_ahead_with_the_reason(
    db: Database, ann: int
) -> None:
    visits = [_book(db, ann, datetime(2026, 3, d, 10, tzinfo=TZ)) for d in (2, 3, 5)]
    with pytest.raises(PatientStillBooked) as refusal:
        archive_patient(db, ann, now=NOW)
    writes = []
    real_write = db.write

    def counted_write():  # type: ignore[no-untyped-def]
        writes.append(1)
        return real_write()

    db.write = counted_write  # type: ignore[method-assign]
    record = cancel_visits_and_archive(
        db, ann, "  Moved to Calgary ", now=NOW, expected=refusal.value.appointments
    )
    del db.write
    assert len(writes) == 1
    assert record.archived and get_patient(db, ann).archived
    cancelled = [get_appointment(db, v) for v in visits]
    assert [a.status for a in cancelled] == [AppointmentStatus.CANCELLED] * 3
    assert {a.cancellation_reason for a in cancelled} == {"Moved to Calgary"}
    # Today's 10:00 visit is two hours away: a late cancellation; Thursday's is not.
    assert [a.late_cancellation for a in cancelled] == [True, False, False]


def test_a_failure_part_way_leaves_every_visit_and_the_patient_as_they_were(
    db: Database, ann: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from frontdesk.patients import archiving

    visits = [_book(db, ann, datetime(2026, 3, d, 10, tzinfo=TZ)) for d in (3, 4, 5)]
    with pytest.raises(PatientStillBooked) as refusal:
        archive_patient(db, ann, now=NOW)
    before = _state(db, ann, visits)
    real = archiving.cancel_in_session
    calls = []

    def second_one_fails(row: object, reason: str, now: datetime, **kw: str) -> None:
        calls.append(row)
        if len(calls) == 2:
            raise RuntimeError("the disk filled up")
        real(row, reason, now, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(archiving, "cancel_in_session", second_one_fails)
    with pytest.raises(RuntimeError):
        cancel_visits_and_archive(db, ann, "Moved", now=NOW, expected=refusal.value.appointments)
    assert len(calls) == 2
    assert _state(db, ann, visits) == before
    assert [a.id for a in upcoming_appointments(db, ann, now=NOW)] == visits


def test_a_visit_changed_meanwhile_is_refused_and_nothing_changes(db: Database, ann: int) -> None:
    from frontdesk.scheduling import reschedule

    visits = [_book(db, ann, datetime(2026, 3, d, 10, tzinfo=TZ)) for d in (3, 4)]
    with pytest.raises(PatientStillBooked) as refusal:
        archive_patient(db, ann, now=NOW)
    moved = get_appointment(db, visits[1])
    reschedule(
        db, visits[1], moved.start + timedelta(hours=2), now=NOW, expected_version=moved.version
    )  # another desk moves Wednesday's visit
    before = _state(db, ann, visits)
    with pytest.raises(PatientStillBooked) as again:
        cancel_visits_and_archive(db, ann, "Moved", now=NOW, expected=refusal.value.appointments)
    assert "changed at another workstation" in str(again.value)
    assert "nothing was cancelled and Lee, Ann was not archived" in str(again.value)
    assert [(a.id, a.version) for a in again.value.appointments] == [
        (v.id, v.version) for v in (get_appointment(db, i) for i in visits)
    ]
    assert _state(db, ann, visits) == before
    # Offered again with the visits as they are now, the front desk can go ahead.
    assert cancel_visits_and_archive(
        db, ann, "Moved", now=NOW, expected=again.value.appointments
    ).archived


def test_a_visit_booked_meanwhile_is_not_cancelled_unseen(db: Database, ann: int) -> None:
    first = _book(db, ann, datetime(2026, 3, 3, 10, tzinfo=TZ))
    with pytest.raises(PatientStillBooked) as refusal:
        archive_patient(db, ann, now=NOW)
    extra = _book(db, ann, datetime(2026, 3, 6, 10, tzinfo=TZ))
    with pytest.raises(PatientStillBooked) as again:
        cancel_visits_and_archive(db, ann, "Moved", now=NOW, expected=refusal.value.appointments)
    assert [a.id for a in again.value.appointments] == [first, extra]
    assert "These 2 booked appointments are ahead now." in str(again.value)
    assert {get_appointment(db, v).status for v in (first, extra)} == {AppointmentStatus.BOOKED}
    assert not get_patient(db, ann).archived


def test_visits_all_cancelled_elsewhere_meanwhile_refuse_with_a_plain_message(
    db: Database, ann: int
) -> None:
    visit = _book(db, ann, datetime(2026, 3, 3, 10, tzinfo=TZ))
    with pytest.raises(PatientStillBooked) as refusal:
        archive_patient(db, ann, now=NOW)
    cancel(db, visit, "Phoned in", now=NOW)
    with pytest.raises(StaleRecord, match=r"No booked appointments remain: archive again\."):
        cancel_visits_and_archive(db, ann, "Moved", now=NOW, expected=refusal.value.appointments)
    assert not get_patient(db, ann).archived
    assert get_appointment(db, visit).cancellation_reason == "Phoned in"


def test_a_checked_in_visit_is_named_and_nothing_is_cancelled(db: Database, ann: int) -> None:
    today = _book(db, ann, datetime(2026, 3, 2, 9, tzinfo=TZ))
    later = _book(db, ann, datetime(2026, 3, 4, 9, tzinfo=TZ))
    during = datetime(2026, 3, 2, 16, 30, tzinfo=UTC)  # 09:30 local
    check_in(db, today, now=during)
    with pytest.raises(PatientStillBooked) as refusal:
        archive_patient(db, ann, now=during)
    before = _state(db, ann, [today, later])
    with pytest.raises(InvalidTransition) as exc:
        cancel_visits_and_archive(db, ann, "Moved", now=during, expected=refusal.value.appointments)
    assert str(exc.value) == (
        "The appointment at 09:00–10:00 on Mon 2 Mar 2026 is checked in; only a booked "
        "appointment can be cancelled. Nothing was cancelled and Lee, Ann was not archived."
    )
    assert _state(db, ann, [today, later]) == before


def test_an_empty_reason_is_refused_at_the_field(db: Database, ann: int) -> None:
    _book(db, ann, datetime(2026, 3, 3, 10, tzinfo=TZ))
    with pytest.raises(PatientStillBooked) as refusal:
        archive_patient(db, ann, now=NOW)
    with pytest.raises(ValidationError) as exc:
        cancel_visits_and_archive(db, ann, "  ", now=NOW, expected=refusal.value.appointments)
    assert "reason" in exc.value.errors
    assert not get_patient(db, ann).archived


def test_restoring_with_the_cancelled_visits_books_them_back_in_one_go(
    db: Database, ann: int
) -> None:
    # Undoing "archive and cancel 2 visits" brings back both the patient and the visits.
    visits = [_book(db, ann, datetime(2026, 3, d, 10, tzinfo=TZ)) for d in (3, 5)]
    with pytest.raises(PatientStillBooked) as refusal:
        archive_patient(db, ann, now=NOW)
    cancel_visits_and_archive(db, ann, "Moved", now=NOW, expected=refusal.value.appointments)
    record = restore_patient(db, ann, visits=visits, now=NOW)
    assert not record.archived and not get_patient(db, ann).archived
    restored = [get_appointment(db, v) for v in visits]
    assert [a.status for a in restored] == [AppointmentStatus.BOOKED] * 2
    assert {a.cancellation_reason for a in restored} == {None}


def test_a_visit_whose_time_was_taken_meanwhile_keeps_everything_archived(
    db: Database, ann: int
) -> None:
    first, second = (_book(db, ann, datetime(2026, 3, d, 10, tzinfo=TZ)) for d in (3, 5))
    with pytest.raises(PatientStillBooked) as refusal:
        archive_patient(db, ann, now=NOW)
    cancel_visits_and_archive(db, ann, "Moved", now=NOW, expected=refusal.value.appointments)
    taken = get_appointment(db, second)
    bob = create_patient(db, PatientInput("Bob", "Ray", date(1970, 5, 6)), today=NOW.date()).id
    book_appointment(
        db,
        BookingRequest(
            bob, taken.practitioner_id, taken.type_id, taken.start, room_id=taken.room_id
        ),
        now=NOW,
    )
    before = _state(db, ann, [first, second])
    with pytest.raises(BookingError, match="cannot be booked back") as exc:
        restore_patient(db, ann, visits=[first, second], now=NOW)
    assert "Lee, Ann stays archived" in str(exc.value)
    assert _state(db, ann, [first, second]) == before
    assert get_patient(db, ann).archived
