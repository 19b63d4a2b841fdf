"""Clinic set-up: details, opening hours, holidays, closures and appointment types."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, time

import pytest
from PIL import Image

from frontdesk.accounts.service import get_lock_minutes
from frontdesk.clinic import get_clinic
from frontdesk.domain import NotFound, PageSize, ValidationError
from frontdesk.scheduling import list_appointment_types
from frontdesk.setup import (
    AppointmentTypeInput,
    ClinicDetails,
    DayHours,
    add_appointment_type,
    add_closure,
    coming_holidays,
    get_clinic_details,
    get_opening_hours,
    list_closures,
    optional_holidays,
    remove_closure,
    set_closed_optional_holidays,
    set_opening_hours,
    update_appointment_type,
    update_clinic_details,
)

TODAY = date(2026, 3, 2)


def png(size: tuple[int, int] = (40, 20), fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "#2b7a78").save(out, fmt)
    return out.getvalue()


def details(**changes) -> ClinicDetails:  # type: ignore[no-untyped-def]
    base = ClinicDetails(
        name="Riverbend Physio & Acupuncture",
        address="10250 101 St NW\nEdmonton AB",
        phone="780 555 0142",
        email="desk@riverbend.ca",
        timezone="America/Edmonton",
        province="AB",
        closed_optional_holidays=("heritage_day",),
        page_size=PageSize.A4,
        logo=png(),
    )
    return replace(base, **changes)


def test_clinic_details_are_saved_and_read_back_formatted(db):
    saved = update_clinic_details(db, details())
    assert saved.phone == "(780) 555-0142"
    assert get_clinic_details(db) == saved
    info = get_clinic(db)
    assert info.name == "Riverbend Physio & Acupuncture"
    assert info.page_size is PageSize.A4
    assert info.closed_optional_holidays == ("heritage_day",)
    assert info.logo_png == png()


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("name", "  ", "clinic's name"),
        ("phone", "555", "not a valid phone number"),
        ("email", "desk at clinic", "not an email address"),
        ("timezone", "Mars/Olympus", "not a time zone"),
        ("province", "XX", "province or territory"),
        ("closed_optional_holidays", ("saint_swithins_day",), "saint_swithins_day"),
        ("page_size", "Legal", "Letter or A4"),
        ("logo", b"GIF89a not really", "not a picture"),
        ("logo", b"\x89PNG" + bytes(5_100_000), "under 5 MB"),
        ("lock_after_minutes", 0, "1 to 240 idle minutes"),
        ("lock_after_minutes", 241, "1 to 240 idle minutes"),
    ],
)
def test_each_wrong_clinic_field_is_named_and_nothing_is_saved(db, field, value, words):
    before = get_clinic_details(db)
    with pytest.raises(ValidationError) as exc:
        update_clinic_details(db, details(**{field: value}))
    assert list(exc.value.errors) == [field]
    assert words in exc.value.errors[field]
    assert get_clinic_details(db) == before


def test_the_idle_minutes_before_desks_lock_are_saved_with_the_details(db):
    assert get_clinic_details(db).lock_after_minutes == 5  # a new clinic's
    assert update_clinic_details(db, details(lock_after_minutes=12)).lock_after_minutes == 12
    assert get_lock_minutes(db) == 12  # what every desk reads
    # A caller that does not edit the minutes (None) leaves them as they are.
    assert update_clinic_details(db, details()).lock_after_minutes == 12


def test_a_jpeg_logo_is_accepted_but_a_gif_is_not(db):
    assert update_clinic_details(db, details(logo=png(fmt="JPEG"))).logo == png(fmt="JPEG")
    with pytest.raises(ValidationError) as exc:
        update_clinic_details(db, details(logo=png(fmt="GIF")))
    assert "PNG or JPEG" in exc.value.errors["logo"]


def test_optional_holidays_are_listed_per_province_without_statutory_ones():
    alberta = {o.key: o.name for o in optional_holidays("AB", 2026)}
    assert alberta["heritage_day"] == "Heritage Day" and alberta["boxing_day"] == "Boxing Day"
    assert "christmas_day" not in alberta  # statutory there, it closes the clinic anyway
    assert not any(name.endswith("(observed)") for name in alberta.values())


def test_coming_holidays_say_which_close_the_clinic(db):
    set_closed_optional_holidays(db, ("heritage_day",))
    days = {h.name: h for h in coming_holidays(db, TODAY)}
    assert days["Good Friday"].statutory and days["Good Friday"].closes_clinic
    assert days["Heritage Day"].day == date(2026, 8, 3) and days["Heritage Day"].closes_clinic
    assert not days["Easter Monday"].closes_clinic
    assert all(TODAY <= h.day < date(2027, 3, 2) for h in days.values())
    with pytest.raises(ValidationError):
        set_closed_optional_holidays(db, ("groundhog_day",))


def test_opening_hours_replace_the_week_and_closed_days_are_missing(db):
    week = {0: DayHours(time(9), time(17)), 5: DayHours(time(10), time(14))}
    assert set_opening_hours(db, week) == week
    assert get_opening_hours(db) == week
    assert get_clinic(db).opening_hours == {0: (time(9), time(17)), 5: (time(10), time(14))}


def test_opening_hours_must_open_before_closing_and_name_the_weekday(db):
    before = get_opening_hours(db)
    with pytest.raises(ValidationError) as exc:
        set_opening_hours(db, {2: DayHours(time(18), time(9)), 3: DayHours(time(9), time(9))})
    assert exc.value.errors["wednesday"].startswith("Wednesday: the clinic must open before")
    assert "Thursday" in exc.value.errors["thursday"]
    assert get_opening_hours(db) == before


def test_closures_are_added_listed_and_removed(db):
    closure = add_closure(db, date(2026, 4, 6), date(2026, 4, 8), "Floor refinishing")
    assert list_closures(db, date(2026, 4, 1), date(2026, 4, 30)) == [closure]
    remove_closure(db, closure.id)
    assert list_closures(db, date(2026, 4, 1), date(2026, 4, 30)) == []
    with pytest.raises(NotFound):
        remove_closure(db, closure.id)


def test_appointment_types_are_edited_and_added(db):
    physio = next(t for t in list_appointment_types(db) if t.name == "Physiotherapy")
    changed = update_appointment_type(
        db, physio.id, AppointmentTypeInput("Physiotherapy", 30, "#E08A3C", False, None)
    )
    assert (changed.duration_minutes, changed.colour, changed.needs_room) == (30, "#e08a3c", False)
    added = add_appointment_type(db, AppointmentTypeInput("Cupping", 20, "#aa5500"))
    assert added in list_appointment_types(db)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (AppointmentTypeInput("", 30), "name"),
        (AppointmentTypeInput("physiotherapy", 30), "name"),
        (AppointmentTypeInput("Cupping", 0), "duration_minutes"),
        (AppointmentTypeInput("Cupping", 500), "duration_minutes"),
        (AppointmentTypeInput("Cupping", 32), "duration_minutes"),
        (AppointmentTypeInput("Cupping", 30, "green"), "colour"),
    ],
)
def test_wrong_appointment_types_are_refused_per_field(db, data, field):
    before = list_appointment_types(db)
    with pytest.raises(ValidationError) as exc:
        add_appointment_type(db, data)
    assert field in exc.value.errors
    assert list_appointment_types(db) == before
