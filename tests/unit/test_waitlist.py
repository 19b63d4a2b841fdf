"""The wait list: who is offered a freed time, in which order, and booking one of them.

The clinic is the scheduling tests' fixed week (Monday 2026-03-02 in Edmonton, "now" the
Sunday before): Dr Mei Lin gives acupuncture Mon–Fri 09–17 with lunch 12–13, Sam Patel
physiotherapy Mon–Thu 10–19.
"""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, WaitlistEntry
from frontdesk.domain import BookingError, PermissionDenied, Role, ValidationError
from frontdesk.scheduling import BookingRequest, book_appointment, cancel
from frontdesk.scheduling.waitlist import (
    WaitlistRequest,
    add_to_waitlist,
    book_from_waitlist,
    list_waitlist,
    remove_from_waitlist,
    waitlist_matches,
)
from tests.accounts_support import as_role
from tests.unit.test_scheduling_support import MONDAY, NOW, Clinic, add_patient, local

pytestmark = pytest.mark.usefixtures("clinic")


def wait(db: Database, c: Clinic, patient: int, *, after_days: int = 0, **kw: object) -> int:
    req = WaitlistRequest(
        patient_id=patient,
        type_id=kw.pop("type_id", c.acupuncture),  # type: ignore[arg-type]
        until=kw.pop("until", date(2026, 3, 20)),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )
    return add_to_waitlist(db, req, now=NOW + timedelta(days=after_days, seconds=1)).id


def entries(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count(WaitlistEntry.id))) or 0


def names(matches: list) -> list[str]:  # type: ignore[type-arg]
    return [m.entry.patient_name for m in matches]


def test_bad_requests_are_refused_field_by_field_and_nothing_is_written(
    db: Database, clinic: Clinic
) -> None:
    c = clinic
    cases = {
        "weekdays": WaitlistRequest(c.ann, c.acupuncture, weekdays=frozenset()),
        "latest": WaitlistRequest(c.ann, c.acupuncture, earliest=time(15), latest=time(9)),
        "until": WaitlistRequest(c.ann, c.acupuncture, until=date(2026, 2, 27)),
        "practitioner_id": WaitlistRequest(c.ann, c.acupuncture, practitioner_id=c.physio),
        "patient_id": WaitlistRequest(c.archived, c.acupuncture),
    }
    for field, req in cases.items():
        with pytest.raises(ValidationError) as refused:
            add_to_waitlist(db, req, now=NOW)
        assert field in refused.value.errors, (field, refused.value.errors)
    short = WaitlistRequest(c.ann, c.consult, earliest=time(9), latest=time(9, 30))
    with pytest.raises(ValidationError) as refused:
        add_to_waitlist(db, short, now=NOW)
    assert "shorter than a 60-minute" in refused.value.errors["latest"]
    assert entries(db) == 0

    wait(db, c, c.ann)
    with pytest.raises(ValidationError) as twice:
        wait(db, c, c.ann)
    assert "already on the wait list" in twice.value.errors["type_id"]
    assert entries(db) == 1


def test_matches_rank_own_practitioner_then_soonest_deadline_then_longest_wait(
    db: Database, clinic: Clinic
) -> None:
    c = clinic
    wait(db, c, c.ann, after_days=0, until=date(2026, 3, 20))  # any practitioner, waited longest
    wait(db, c, c.bob, after_days=1, until=date(2026, 3, 31), practitioner_id=c.acu)
    wait(db, c, c.cara, after_days=2, until=date(2026, 3, 10), type_id=c.consult)
    # Not offered: wants the physiotherapist; only Tuesdays; only afternoons.
    with db.write() as s:
        dan, eve, fay = (add_patient(s, n, "Other") for n in ("Dan", "Eve", "Fay"))
    wait(db, c, dan, type_id=c.physio_type, practitioner_id=c.physio)
    wait(db, c, eve, weekdays=frozenset({1}))
    wait(db, c, fay, earliest=time(14), latest=time(17))

    found = waitlist_matches(db, c.acu, local(MONDAY, 10), now=NOW)

    assert names(found) == ["Bob Jones", "Cara Diaz", "Ann Smith"]
    assert [m.start for m in found] == [local(MONDAY, 10)] * 3
    assert found[0].why.startswith("asked for Dr Mei Lin")
    assert found[1].end - found[1].start == timedelta(minutes=60)  # Cara's consultation


def test_a_free_stretch_offers_each_patient_the_first_time_in_it_that_suits_them(
    db: Database, clinic: Clinic
) -> None:
    c = clinic
    wait(db, c, c.ann, earliest=time(14), latest=time(17))
    found = waitlist_matches(db, c.acu, local(MONDAY, 13), end=local(MONDAY, 16), now=NOW)
    assert [(m.entry.patient_name, m.start) for m in found] == [("Ann Smith", local(MONDAY, 14))]
    # A stretch too short for the visit in the patient's hours offers nothing.
    assert waitlist_matches(db, c.acu, local(MONDAY, 13), end=local(MONDAY, 14), now=NOW) == []


def test_the_booking_rules_decide_who_is_offered(db: Database, clinic: Clinic) -> None:
    c = clinic
    wait(db, c, c.ann)
    wait(db, c, c.bob, after_days=1)
    # Bob has a physiotherapy visit at 10:00 that Monday: he cannot be in two rooms at once.
    book_appointment(
        db,
        BookingRequest(c.bob, c.physio, c.physio_type, local(MONDAY, 10), room_id=c.room1),
        now=NOW,
    )
    assert names(waitlist_matches(db, c.acu, local(MONDAY, 10), now=NOW)) == ["Ann Smith"]
    # 11:30 for a 45-minute visit runs into Dr Lin's lunch; nobody is offered it.
    assert waitlist_matches(db, c.acu, local(MONDAY, 11, 30), now=NOW) == []
    # An entry whose date has passed is listed as expired and never offered.
    later = NOW + timedelta(days=30)
    assert waitlist_matches(db, c.acu, local(MONDAY, 10) + timedelta(days=28), now=later) == []
    assert all(v.expired for v in list_waitlist(db, now=later))


def test_a_cancelled_visit_frees_its_time_for_the_waiting_patient(
    db: Database, clinic: Clinic
) -> None:
    c = clinic
    taken = book_appointment(
        db,
        BookingRequest(c.cara, c.acu, c.acupuncture, local(MONDAY, 10), room_id=c.room1),
        now=NOW,
    )
    wait(db, c, c.ann)
    assert waitlist_matches(db, c.acu, local(MONDAY, 10), now=NOW) == []
    cancel(db, taken.id, "Patient is unwell", now=NOW)
    found = waitlist_matches(db, c.acu, local(MONDAY, 10), now=NOW)
    assert names(found) == ["Ann Smith"]

    booked = book_from_waitlist(
        db, found[0].entry.id, c.acu, found[0].start, room_id=found[0].room_id, now=NOW
    )

    assert (booked.patient_id, booked.start) == (c.ann, local(MONDAY, 10))
    with db.read() as s:
        row = s.scalars(select(WaitlistEntry)).one()
        assert (row.status, row.appointment_id) == ("booked", booked.id)
    assert list_waitlist(db, now=NOW) == []
    assert [v.status for v in list_waitlist(db, now=NOW, include_closed=True)] == ["booked"]


def test_booking_a_taken_time_or_a_closed_entry_changes_nothing(
    db: Database, clinic: Clinic
) -> None:
    c = clinic
    entry = wait(db, c, c.ann)
    book_appointment(
        db,
        BookingRequest(c.bob, c.acu, c.acupuncture, local(MONDAY, 10), room_id=c.room1),
        now=NOW,
    )
    with db.read() as s:
        before = s.scalar(select(func.count(Appointment.id)))
    with pytest.raises(BookingError):
        book_from_waitlist(db, entry, c.acu, local(MONDAY, 10), room_id=c.room2, now=NOW)
    with db.read() as s:
        assert s.scalar(select(func.count(Appointment.id))) == before
        assert s.get(WaitlistEntry, entry).status == "waiting"  # type: ignore[union-attr]

    book_from_waitlist(db, entry, c.acu, local(MONDAY, 14), room_id=c.room1, now=NOW)
    with pytest.raises(BookingError, match="was booked at another workstation"):
        book_from_waitlist(db, entry, c.acu, local(MONDAY, 15), room_id=c.room1, now=NOW)


def test_removing_needs_a_reason_and_keeps_the_entry_as_closed(
    db: Database, clinic: Clinic
) -> None:
    entry = wait(db, clinic, clinic.ann)
    with pytest.raises(ValidationError):
        remove_from_waitlist(db, entry, "  ", now=NOW)
    remove_from_waitlist(db, entry, "Found a time elsewhere", now=NOW)
    assert list_waitlist(db, now=NOW) == []
    closed = list_waitlist(db, now=NOW, include_closed=True)
    assert [(v.status, v.close_reason) for v in closed] == [("removed", "Found a time elsewhere")]


def test_practitioners_do_not_keep_the_wait_list(db: Database, clinic: Clinic) -> None:
    wait(db, clinic, clinic.ann)
    practitioner = as_role(db, Role.PRACTITIONER, practitioner_id=clinic.acu)
    with pytest.raises(PermissionDenied, match="keep the wait list"):
        list_waitlist(practitioner, now=NOW)
    reception = as_role(db, Role.RECEPTION)
    assert [v.patient_name for v in list_waitlist(reception, now=NOW)] == ["Ann Smith"]


def test_booking_from_the_wait_list_writes_its_confirmation_with_the_booking(
    db: Database, clinic: Clinic
) -> None:
    from frontdesk.db.models import OutboxMessage

    entry = wait(db, clinic, clinic.ann)
    booked = book_from_waitlist(
        db, entry, clinic.acu, local(MONDAY, 10), room_id=clinic.room1, now=NOW
    )
    with db.read() as s:
        kinds = sorted(
            s.scalars(select(OutboxMessage.kind).where(OutboxMessage.appointment_id == booked.id))
        )
    # The reminder would be due 48 hours before: already past on Sunday for Monday 10:00.
    assert kinds == ["confirmation"]
