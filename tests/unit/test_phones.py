"""Numbers are stored one way and printed the way an Albertan reads them."""

from __future__ import annotations

import pytest

from frontdesk.clinic import get_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import ClinicSettings
from frontdesk.phones import format_phone, format_phones_in, parse_phone


@pytest.mark.parametrize(
    "typed", ["780-555-0142", "(780) 555 0142", "+1 780 555 0142", "7805550142"]
)
def test_one_number_typed_many_ways_is_stored_once(typed: str) -> None:
    assert parse_phone(typed) == "+17805550142"


def test_printing_uses_the_national_format_at_home_and_international_abroad() -> None:
    assert format_phone("+17805550142") == "(780) 555-0142"
    assert format_phone("+442079460958") == "+44 20 7946 0958"


def test_text_that_is_not_a_stored_number_is_printed_as_typed() -> None:
    assert format_phone("780-555-0142 ext 2") == "780-555-0142 ext 2"


def test_clinic_phone_on_printouts_is_formatted(db: Database) -> None:
    with db.write() as s:
        s.get_one(ClinicSettings, 1).phone = "+17805550142"
    assert get_clinic(db).phone == "(780) 555-0142"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("Eric Andrews (daughter) +15873090875", "Eric Andrews (daughter) (587) 309-0875"),
        (
            "Mum 780-555-0123, work 780 555 0199 ext 2",
            "Mum (780) 555-0123, work (780) 555-0199 ext. 2",
        ),
        ("Jo (sister) +442079460958", "Jo (sister) +44 20 7946 0958"),
        ("Ask at reception: 555 1234", "Ask at reception: 555 1234"),  # not a whole number
        ("Eric Andrews (daughter)", "Eric Andrews (daughter)"),
    ],
)
def test_phone_numbers_inside_an_emergency_contact_read_like_the_patients_own(
    typed: str, shown: str
) -> None:
    assert format_phones_in(typed) == shown
