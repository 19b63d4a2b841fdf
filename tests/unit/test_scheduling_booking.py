"""Booking one appointment: every rule refuses with a message naming the reason."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, ClinicSettings
from frontdesk.domain import BookingConflict, BookingError, SlotTaken, ValidationError
from frontdesk.scheduling import (
    BookingRequest,
    add_closure,
    book_appointment,
    check_booking,
    check_booking_in_rooms,
    get_appointment,
    list_appointment_types,
    list_practitioners,
    list_rooms,
    reschedule,
)
from tests.unit.test_scheduling_support import (
    MONDAY,
    NOW,
    TZ,
    Clinic,
    add_practitioner,
    local,
)

pytestmark = pytest.mark.usefixtures("clinic")


def consult(c: Clinic, start, **kw) -> BookingRequest:  # type: ignore[no-untyped-def]
    return BookingRequest(
        patient_id=c.ann,
        practitioner_id=c.acu,
        type_id=c.consult,
        start=start,
        room_id=c.room1,
        **kw,
    )


def count(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count(Appointment.id))) or 0


def refused(db: Database, req: BookingRequest, now: datetime = NOW) -> BookingError:
    """The error both check_booking and book_appointment give, with nothing written."""
    before = count(db)
    with pytest.raises(BookingError) as checked:
        check_booking(db, req, now=now)
    with pytest.raises(BookingError) as booked:
        book_appointment(db, req, now=now)
    assert str(checked.value) == str(booked.value)
    assert count(db) == before
    return booked.value


def test_books_a_one_hour_consultation(db: Database, clinic: Clinic) -> None:
    view = book_appointment(db, consult(clinic, local(MONDAY, 10), notes="first visit"), now=NOW)
    assert view.end - view.start == timedelta(hours=1)
    assert (view.patient_name, view.practitioner_name, view.room_name) == (
        "Ann Smith",
        "Dr Mei Lin",
        "Room 1",
    )
    assert view.type_name == "Initial consultation" and view.notes == "first visit"
    assert view.start.utcoffset() == timedelta(0) and view.version == 1
    assert get_appointment(db, view.id) == view


def test_start_given_in_local_zone_is_stored_as_the_same_instant(
    db: Database, clinic: Clinic
) -> None:
    start = local(MONDAY, 10).astimezone(TZ)
    assert book_appointment(db, consult(clinic, start), now=NOW).start == local(MONDAY, 10)


def test_naive_start_is_a_validation_error(db: Database, clinic: Clinic) -> None:
    with pytest.raises(ValidationError) as err:
        book_appointment(db, consult(clinic, local(MONDAY, 10).replace(tzinfo=None)), now=NOW)
    assert "start" in err.value.errors


def test_outside_working_hours_names_the_hours(db: Database, clinic: Clinic) -> None:
    err = refused(db, consult(clinic, local(MONDAY, 16, 30)))
    assert "outside Dr Mei Lin's working hours on Mondays (09:00–17:00)" in str(err)
    assert "16:30–17:30 on Mon 2 Mar 2026" in str(err)


def test_practitioner_not_working_that_day(db: Database, clinic: Clinic) -> None:
    req = replace(
        consult(clinic, local(MONDAY + timedelta(days=4), 11)), practitioner_id=clinic.physio
    )
    assert str(refused(db, req)) == "Sam Patel does not work on Fridays."


def test_clinic_closed_on_sundays(db: Database, clinic: Clinic) -> None:
    assert (
        str(refused(db, consult(clinic, local(MONDAY + timedelta(days=6), 10))))
        == "The clinic is closed on Sundays."
    )


def test_outside_opening_hours(db: Database, clinic: Clinic) -> None:
    # Sam works until 19:00 and the clinic closes at 20:00 on Mondays; Saturdays close at 15:00.
    saturday = MONDAY + timedelta(days=5)
    with db.write() as s:
        late = add_practitioner(s, "Jo Late", "physiotherapy", {5: (time(9), time(18))})
    req = replace(consult(clinic, local(saturday, 14, 30)), practitioner_id=late)
    msg = str(refused(db, req))
    assert msg == (
        "14:30–15:30 on Sat 7 Mar 2026 is outside the clinic's opening hours "
        "(09:00–15:00 on Saturdays)."
    )


def test_break_is_not_bookable(db: Database, clinic: Clinic) -> None:
    msg = str(refused(db, consult(clinic, local(MONDAY, 11, 30))))
    assert "overlaps Dr Mei Lin's lunch (12:00–13:00)" in msg


def test_holiday_closes_the_clinic(db: Database, clinic: Clinic) -> None:
    christmas = date(2026, 12, 25)  # a Friday
    msg = str(refused(db, consult(clinic, local(christmas, 10))))
    assert msg == "The clinic is closed on 2026-12-25 (Christmas Day)."


def test_optional_holiday_closes_only_when_chosen(db: Database, clinic: Clinic) -> None:
    heritage = date(2026, 8, 3)  # Heritage Day, a Monday: optional in Alberta
    book_appointment(db, consult(clinic, local(heritage, 10)), now=NOW)
    with db.write() as s:
        s.get(ClinicSettings, 1).closed_optional_holidays = ["heritage_day"]  # type: ignore[union-attr]
    msg = str(refused(db, replace(consult(clinic, local(heritage, 14)), patient_id=clinic.bob)))
    assert msg == "The clinic is closed on 2026-08-03 (Heritage Day)."


def test_closure_closes_the_clinic(db: Database, clinic: Clinic) -> None:
    add_closure(db, MONDAY, MONDAY + timedelta(days=2), "Floor renovation")
    assert str(refused(db, consult(clinic, local(MONDAY + timedelta(days=1), 10)))) == (
        "The clinic is closed on 2026-03-03 (Floor renovation)."
    )
    book_appointment(db, consult(clinic, local(MONDAY + timedelta(days=3), 10)), now=NOW)


def test_in_the_past_unless_back_entered(db: Database, clinic: Clinic) -> None:
    later = local(MONDAY, 15)
    msg = str(refused(db, consult(clinic, local(MONDAY, 10)), now=later))
    assert "10:00–11:00 on Mon 2 Mar 2026 is in the past" in msg
    view = book_appointment(db, consult(clinic, local(MONDAY, 10), back_entered=True), now=later)
    assert view.back_entered


def test_archived_patient(db: Database, clinic: Clinic) -> None:
    err = refused(db, replace(consult(clinic, local(MONDAY, 10)), patient_id=clinic.archived))
    assert str(err) == "Carl Gone's record is archived; restore it before booking."
    assert err.field == "patient_id"


def test_inactive_practitioner(db: Database, clinic: Clinic) -> None:
    err = refused(db, replace(consult(clinic, local(MONDAY, 10)), practitioner_id=clinic.retired))
    assert str(err) == "Dr Old is no longer active and cannot be booked."


def test_type_of_another_discipline(db: Database, clinic: Clinic) -> None:
    err = refused(db, replace(consult(clinic, local(MONDAY, 10)), type_id=clinic.physio_type))
    assert (
        "Physiotherapy is given by physiotherapy practitioners; Dr Mei Lin practises acupuncture"
        in str(err)
    )


def test_room_needed_and_inactive_room(db: Database, clinic: Clinic) -> None:
    err = refused(db, replace(consult(clinic, local(MONDAY, 10)), room_id=None))
    assert (str(err), err.field) == ("Initial consultation needs a room; choose one.", "room_id")
    err = refused(db, replace(consult(clinic, local(MONDAY, 10)), room_id=clinic.old_room))
    assert err.field == "room_id"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"patient_id": "bob", "room_id": "room2"},
            "Dr Mei Lin is already seeing Ann Smith (Initial consultation) at 10:00–11:00 on Mon 2 Mar 2026.",
        ),
        (
            {"practitioner_id": "physio", "patient_id": "bob"},
            "Room 1 is already in use at 10:00–11:00 on Mon 2 Mar 2026 (Ann Smith with Dr Mei Lin).",
        ),
        (
            {"practitioner_id": "physio", "room_id": "room2"},
            "Ann Smith already has an appointment at 10:00–11:00 on Mon 2 Mar 2026 (Initial consultation with Dr Mei Lin).",
        ),
    ],
    ids=["practitioner", "room", "patient"],
)
def test_overlap_names_the_clashing_appointment(
    db: Database, clinic: Clinic, change: dict[str, str], expected: str
) -> None:
    first = book_appointment(db, consult(clinic, local(MONDAY, 10)), now=NOW)
    req = replace(
        consult(clinic, local(MONDAY, 10, 30)), **{k: getattr(clinic, v) for k, v in change.items()}
    )
    err = refused(db, req)
    assert isinstance(err, BookingConflict) and not isinstance(err, SlotTaken)
    assert err.clash_id == first.id
    assert str(err) == expected


def test_a_screen_without_a_room_choice_gets_the_first_free_room(
    db: Database, clinic: Clinic
) -> None:
    """Room 1 is taken by Bob with Sam: Ann's visit with Dr Lin goes to room 2."""
    other = BookingRequest(
        clinic.bob, clinic.physio, clinic.consult, local(MONDAY, 10), clinic.room1
    )
    book_appointment(db, other, now=NOW)
    ann = replace(consult(clinic, local(MONDAY, 10)), room_id=None)
    rooms = [clinic.room1, clinic.room2]
    assert check_booking_in_rooms(db, ann, rooms, now=NOW) == (
        replace(ann, room_id=clinic.room2),
        None,
    )
    lunch = replace(ann, start=local(MONDAY, 12, 15))
    req, error = check_booking_in_rooms(db, lunch, rooms, now=NOW)
    assert req.room_id == clinic.room1 and "lunch" in str(error)  # refused in every room: the first
    assert check_booking_in_rooms(db, ann, [], now=NOW)[0].room_id is None


def test_back_to_back_is_not_an_overlap(db: Database, clinic: Clinic) -> None:
    book_appointment(db, consult(clinic, local(MONDAY, 10)), now=NOW)
    book_appointment(db, consult(clinic, local(MONDAY, 11)), now=NOW)
    book_appointment(db, consult(clinic, local(MONDAY, 9)), now=NOW)
    assert count(db) == 3


def test_race_loser_in_one_process_is_told_the_time_was_just_taken(
    db: Database, clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another workstation books between our check and our insert: SlotTaken, nothing written."""
    from frontdesk.scheduling import booking, rules

    other = replace(consult(clinic, local(MONDAY, 10)), patient_id=clinic.bob, room_id=clinic.room2)
    interleaved: list[bool] = []

    def checked_write(db_, check, apply, precheck=None):  # type: ignore[no-untyped-def]
        def check_then_other_books(s, precheck):  # type: ignore[no-untyped-def]
            result = precheck(s)
            if not interleaved:
                interleaved.append(True)
                book_appointment(db, other, now=NOW)  # the other workstation wins here
            return result

        return rules.checked_write(
            db_, check, apply, precheck=lambda s: check_then_other_books(s, precheck)
        )

    monkeypatch.setattr(booking, "checked_write", checked_write)
    with pytest.raises(SlotTaken, match="This time was just taken at another workstation") as err:
        book_appointment(db, consult(clinic, local(MONDAY, 10)), now=NOW)
    assert err.value.clash_id is not None
    assert count(db) == 1


def test_reschedule_checks_rules_and_ignores_itself(db: Database, clinic: Clinic) -> None:
    view = book_appointment(db, consult(clinic, local(MONDAY, 10)), now=NOW)
    moved = reschedule(db, view.id, local(MONDAY, 10, 30), now=NOW)
    assert moved.start == local(MONDAY, 10, 30) and moved.version == 2
    with pytest.raises(BookingError, match="lunch"):
        reschedule(db, view.id, local(MONDAY, 11, 30), now=NOW)
    other = book_appointment(
        db, replace(consult(clinic, local(MONDAY, 14)), patient_id=clinic.bob), now=NOW
    )
    with pytest.raises(BookingConflict) as err:
        reschedule(db, view.id, local(MONDAY, 14, 15), now=NOW)
    assert err.value.clash_id == other.id
    moved = reschedule(
        db, view.id, local(MONDAY, 14), now=NOW, practitioner_id=clinic.physio, room_id=clinic.room2
    )
    assert (moved.practitioner_name, moved.room_name) == ("Sam Patel", "Room 2")


def test_catalogue_lists(db: Database, clinic: Clinic) -> None:
    assert [p.display_name for p in list_practitioners(db)] == ["Dr Mei Lin", "Sam Patel"]
    assert len(list_practitioners(db, active_only=False)) == 3
    assert [r.name for r in list_rooms(db)] == ["Room 1", "Room 2"]
    types = {t.name: t for t in list_appointment_types(db)}
    assert types["Initial consultation"].duration_minutes == 60


def test_schedule_views_are_read_as_rows_not_built_as_objects(db: Database, clinic: Clinic) -> None:
    """A day view of a busy clinic reads hundreds of appointments per click: they come back as
    complete views from plain rows, never by building ORM objects (whose session state and
    unshown timestamps cost more to build than the views)."""
    from sqlalchemy import event

    from frontdesk.scheduling.views import load_views

    booked = book_appointment(db, consult(clinic, local(MONDAY, 10), notes="first visit"), now=NOW)
    built: list[object] = []

    def on_load(target: object, context: object) -> None:
        built.append(target)

    event.listen(Appointment, "load", on_load)
    try:
        with db.read() as s:
            views = load_views(s, Appointment.id == booked.id)
    finally:
        event.remove(Appointment, "load", on_load)
    assert views == [booked]
    assert built == []
