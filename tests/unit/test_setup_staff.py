"""Practitioners and rooms: weekly hours and breaks, and deactivation with bookings ahead."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from frontdesk.accounts.trail import list_audit
from frontdesk.accounts.types import AuditFilter
from frontdesk.billing.setup import get_practitioner_registration
from frontdesk.domain import Discipline, NotFound, ValidationError
from frontdesk.patients import PatientInput, create_patient
from frontdesk.scheduling import (
    BookingRequest,
    book_appointment,
    cancel,
    list_appointment_types,
    list_practitioners,
    list_rooms,
)
from frontdesk.setup import (
    Break,
    DayHours,
    PractitionerInput,
    StillBooked,
    add_practitioner,
    add_room,
    deactivate_practitioner,
    deactivate_room,
    get_practitioner_setup,
    list_all_rooms,
    list_practitioner_setups,
    reactivate_practitioner,
    reactivate_room,
    rename_room,
    update_practitioner,
)

TZ = ZoneInfo("America/Edmonton")
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # Monday 08:00 in Edmonton
LUNCH = Break(time(12), time(13), "Lunch")
WEEK = {d: DayHours(time(9), time(17), (LUNCH,)) for d in range(5)}


def mei(**changes) -> PractitionerInput:  # type: ignore[no-untyped-def]
    fields = dict(
        display_name="Mei Chen",
        discipline=Discipline.ACUPUNCTURE,
        credentials="R.Ac",
        colour="#3AA67A",
        hours=WEEK,
    )
    fields.update(changes)
    return PractitionerInput(**fields)


def book(
    db,
    practitioner_id: int,
    room_id: int | None,  # type: ignore[no-untyped-def]
    when: datetime,
):
    patient = create_patient(db, PatientInput("Ann", "Lee", date(1980, 1, 2)), today=NOW.date())
    consult = next(t for t in list_appointment_types(db) if t.name == "Initial consultation")
    return book_appointment(
        db, BookingRequest(patient.id, practitioner_id, consult.id, when, room_id=room_id), now=NOW
    )


def test_a_new_practitioner_with_hours_and_a_room_can_be_booked(db):
    who = add_practitioner(db, mei())
    room = add_room(db, "Room 1")
    assert who.active and who.colour == "#3aa67a" and who.hours == WEEK
    assert [p.id for p in list_practitioners(db)] == [who.id]
    booked = book(db, who.id, room.id, datetime(2026, 3, 3, 10, 0, tzinfo=TZ))
    assert booked.practitioner_id == who.id and booked.room_name == "Room 1"


def test_editing_replaces_details_and_the_whole_week(db):
    who = add_practitioner(db, mei())
    week = {2: DayHours(time(8), time(12))}
    changed = update_practitioner(db, who.id, mei(display_name="Mei Chen-Wong", hours=week))
    assert changed.display_name == "Mei Chen-Wong"
    assert get_practitioner_setup(db, who.id).hours == week


@pytest.mark.parametrize(
    ("field", "changes", "words"),
    [
        ("display_name", {"display_name": " "}, "Enter the name"),
        ("credentials", {"credentials": "x" * 61}, "too long"),
        ("colour", {"colour": "teal"}, "# and six hex digits"),
        ("discipline", {"discipline": "massage"}, "acupuncture, physiotherapy or chiropractic"),
    ],
)
def test_each_wrong_practitioner_field_is_named(db, field, changes, words):
    with pytest.raises(ValidationError) as exc:
        add_practitioner(db, mei(**changes))
    assert list(exc.value.errors) == [field]
    assert words in exc.value.errors[field]
    assert list_practitioner_setups(db) == []


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (DayHours(time(17), time(9)), "Tuesday: work must start before it ends"),
        (
            DayHours(time(9), time(17), (Break(time(8), time(9, 30)),)),
            "Tuesday: the break 08:00–09:30 is outside the working hours 09:00–17:00",
        ),
        (DayHours(time(9), time(17), (Break(time(16), time(17, 30)),)), "outside"),
        (
            DayHours(time(9), time(17), (Break(time(13), time(12)),)),
            "Tuesday: a break must start before it ends",
        ),
        (
            DayHours(time(9), time(17), (Break(time(12), time(13)), Break(time(12, 30), time(14)))),
            "Tuesday: the breaks 12:00–13:00 and 12:30–14:00 overlap",
        ),
        (DayHours(time(9), time(17), (Break(time(12), time(13), " "),)), "give the break"),
    ],
)
def test_hours_and_breaks_rules_name_the_weekday(db, day, words):
    with pytest.raises(ValidationError) as exc:
        add_practitioner(db, mei(hours={0: WEEK[0], 1: day}))
    assert list(exc.value.errors) == ["tuesday"]
    assert words in exc.value.errors["tuesday"]
    assert list_practitioner_setups(db) == []


@pytest.mark.parametrize(
    ("registration", "words"),
    [("CAAA\x00-1234", "invisible character"), ("x" * 41, "at most 40 characters")],
)
def test_a_refused_registration_number_adds_no_practitioner(db, registration, words):
    """The practitioner and their receipt line are one save: a refusal of the number leaves
    no practitioner behind, so saving again cannot add a second one."""
    wrong = mei(profession="Registered Acupuncturist", registration_number=registration)
    for _attempt in range(2):
        with pytest.raises(ValidationError) as exc:
            add_practitioner(db, wrong)
        assert list(exc.value.errors) == ["registration_number"]
        assert words in exc.value.errors["registration_number"]
    assert list_practitioner_setups(db) == []
    assert list_audit(db, AuditFilter(action="add_practitioner")) == []


def test_the_receipt_line_is_saved_with_the_practitioner_in_one_operation(db):
    who = add_practitioner(
        db, mei(profession=" Registered Acupuncturist ", registration_number="CAAA-0412")
    )
    receipt = get_practitioner_registration(db, who.id)
    assert (receipt.profession, receipt.registration_number) == (
        "Registered Acupuncturist",
        "CAAA-0412",
    )
    rows = list_audit(db, AuditFilter(action="add_practitioner"))
    [row] = [r for r in rows if r.entity == "practitioners"]  # with their hours' rows
    assert "CAAA-0412" in row.after
    update_practitioner(db, who.id, mei(display_name="Mei Chen-Wong"))  # None keeps them
    assert get_practitioner_registration(db, who.id).registration_number == "CAAA-0412"
    with pytest.raises(ValidationError) as exc:  # an edit refused half-way changes nothing
        update_practitioner(
            db, who.id, mei(display_name="Mei Chen-Lee", registration_number="CAAA\x00-1")
        )
    assert list(exc.value.errors) == ["registration_number"]
    assert get_practitioner_setup(db, who.id).display_name == "Mei Chen-Wong"
    update_practitioner(db, who.id, mei(profession="", registration_number="CAAA-0999"))
    receipt = get_practitioner_registration(db, who.id)
    assert (receipt.profession, receipt.registration_number) == ("", "CAAA-0999")


def test_back_to_back_breaks_are_allowed(db):
    day = DayHours(time(9), time(17), (Break(time(12), time(13)), Break(time(13), time(13, 15))))
    assert add_practitioner(db, mei(hours={4: day})).hours == {4: day}


def test_deactivating_a_practitioner_with_bookings_ahead_is_refused_with_the_count(db):
    who = add_practitioner(db, mei())
    room = add_room(db, "Room 1")
    first = book(db, who.id, room.id, datetime(2026, 3, 3, 10, 0, tzinfo=TZ))
    book(db, who.id, room.id, datetime(2026, 3, 4, 10, 0, tzinfo=TZ))
    with pytest.raises(StillBooked) as exc:
        deactivate_practitioner(db, who.id, now=NOW)
    assert exc.value.count == 2
    assert "Mei Chen still has 2 booked appointments" in str(exc.value)
    assert get_practitioner_setup(db, who.id).active
    with pytest.raises(StillBooked) as exc:
        deactivate_room(db, room.id, now=NOW)
    assert "Room 1 still has 2 booked appointments" in str(exc.value)
    cancel(db, first.id, reason="Moving away", now=NOW)
    with pytest.raises(StillBooked) as exc:
        deactivate_practitioner(db, who.id, now=NOW)
    assert exc.value.count == 1 and "1 booked appointment from now on" in str(exc.value)


def test_past_appointments_do_not_stop_deactivation_and_reactivation_restores(db):
    who = add_practitioner(db, mei())
    room = add_room(db, "Room 1")
    book(db, who.id, room.id, datetime(2026, 3, 3, 10, 0, tzinfo=TZ))
    later = datetime(2026, 3, 5, tzinfo=UTC)
    assert not deactivate_practitioner(db, who.id, now=later).active
    assert list_practitioners(db) == []
    assert not deactivate_room(db, room.id, now=later).active
    assert list_rooms(db) == []
    assert reactivate_practitioner(db, who.id).hours == WEEK
    assert reactivate_room(db, room.id).active


def test_rooms_are_renamed_and_names_stay_unique(db):
    one = add_room(db, "Room 1")
    add_room(db, "Room 2")
    assert rename_room(db, one.id, " Quiet room ").name == "Quiet room"
    for bad, words in (("", "Enter the room's name"), ("room 2", "already a room called")):
        with pytest.raises(ValidationError) as exc:
            add_room(db, bad)
        assert words in exc.value.errors["name"]
    assert [r.name for r in list_all_rooms(db)] == ["Quiet room", "Room 2"]
    with pytest.raises(NotFound):
        rename_room(db, 999, "Nowhere")


def test_several_stretches_on_one_day_read_as_one_with_the_gap_as_a_break(db):
    from frontdesk.db.models import WorkingHours

    who = add_practitioner(db, mei(hours={}))
    with db.write() as s:
        s.add(WorkingHours(practitioner_id=who.id, weekday=0, starts_at=time(8), ends_at=time(12)))
        s.add(WorkingHours(practitioner_id=who.id, weekday=0, starts_at=time(13), ends_at=time(18)))
    assert get_practitioner_setup(db, who.id).hours == {
        0: DayHours(time(8), time(18), (Break(time(12), time(13), "Break"),))
    }


def test_hours_the_clinic_is_shut_for_are_noted_not_refused():
    from frontdesk.setup import outside_opening

    opening = {0: DayHours(time(8), time(20)), 4: DayHours(time(8), time(18))}
    hours = {
        0: DayHours(time(9), time(17)),
        4: DayHours(time(12), time(19)),
        6: DayHours(time(10), time(14)),
    }
    assert outside_opening(hours, opening) == [
        "On Fridays only 12:00–18:00 can be booked: the clinic is open 08:00–18:00.",
        "The clinic is closed on Sundays, so nothing can be booked then.",
    ]
