"""The appointment card and the morning day sheet, checked through their extracted text."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader

from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment
from frontdesk.domain import NotFound
from frontdesk.plans.sample import seed_sample_plan
from frontdesk.reports import (
    appointment_card_pdf,
    day_sheet_pdf,
    load_appointment_card,
    load_day_sheet,
    load_day_sheets,
)
from frontdesk.timefmt import fmt_date
from tests.unit.test_reports_handout import font_names, pdf_text

# Monday March 2, 2026, 8 AM in Edmonton: before the day's sessions.
MORNING = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
DAY = date(2026, 3, 2)


def _set(db: Database, appointment_id: int, **values: object) -> None:
    with db.write() as s:
        appt = s.get(Appointment, appointment_id)
        assert appt is not None
        for key, value in values.items():
            setattr(appt, key, value)


def test_card_lists_only_upcoming_active_visits(db: Database) -> None:
    seeded = seed_sample_plan(db, now=MORNING, given_name="Łukasz", family_name="Nowak")
    _set(db, seeded.appointment_ids[3], status="cancelled", cancellation_reason="Away")
    later = MORNING + timedelta(days=4)  # after the sessions of March 2 and 5
    card = load_appointment_card(db, seeded.patient_id, now=later)
    assert len(card.appointments) == 8 - 2 - 1
    assert card.appointments[0].starts_local.date() == date(2026, 3, 9)
    text = " ".join(pdf_text(appointment_card_pdf(db, seeded.patient_id, now=later)))
    assert "Łukasz Nowak" in text
    assert fmt_date(date(2026, 3, 9)) in text and fmt_date(date(2026, 3, 5)) not in text
    assert fmt_date(date(2026, 3, 12)) not in text  # the cancelled one


def test_a_long_course_continues_on_a_second_card_with_the_name(db: Database) -> None:
    seeded = seed_sample_plan(db, now=MORNING, given_name="Zoë", family_name="Adams", sessions=24)
    pdf = appointment_card_pdf(db, seeded.patient_id, now=MORNING)
    pages = pdf_text(pdf)
    assert len(pages) == 2
    assert all("Zoë Adams" in p for p in pages)
    assert "Card 2 of 2" in pages[1]
    assert all(font_names(pdf).values())


def test_card_for_a_patient_with_nothing_booked_says_how_to_book(db: Database) -> None:
    seeded = seed_sample_plan(db, now=MORNING, sessions=1)
    later = MORNING + timedelta(days=30)
    text = " ".join(pdf_text(appointment_card_pdf(db, seeded.patient_id, now=later)))
    assert "Nothing is booked yet" in text
    with pytest.raises(NotFound):
        load_appointment_card(db, 9999, now=MORNING)


def test_day_sheet_shows_time_patient_type_room_and_course_progress(db: Database) -> None:
    seeded = seed_sample_plan(db, now=MORNING, given_name="秀英", family_name="王", attended=0)
    # The course's third session moved to today, an hour later: it reads "3 of 8" here.
    third = datetime(2026, 3, 2, 17, 30)  # local wall time in Edmonton (MST, UTC-7)
    _set(
        db,
        seeded.appointment_ids[2],
        start_at=(third + timedelta(hours=7)).replace(tzinfo=UTC),
        end_at=(third + timedelta(hours=7, minutes=45)).replace(tzinfo=UTC),
        notes="Wants the <quiet> room & a blanket",
    )
    _set(
        db,
        seeded.appointment_ids[1],
        start_at=datetime(2026, 3, 2, 16, 0, tzinfo=UTC),
        end_at=datetime(2026, 3, 2, 16, 45, tzinfo=UTC),
    )
    sheet = load_day_sheet(db, seeded.practitioner_id, DAY, now=MORNING)
    assert [r.course_progress for r in sheet.rows] == ["1 of 8", "2 of 8", "3 of 8"]
    text = " ".join(
        pdf_text(day_sheet_pdf(db, DAY, now=MORNING, practitioner_id=seeded.practitioner_id))
    )
    for expected in (
        "Mei Lin Chen",
        "09:00",
        "16:30",
        "17:30",
        "王秀英",
        "Acupuncture treatment",
        "Room",
        "3 of 8",
        "Wants the <quiet> room & a blanket",
        "(780) 555-0199",
    ):
        assert expected in text, expected


def test_day_sheet_leaves_out_cancelled_visits_and_marks_no_shows(db: Database) -> None:
    seeded = seed_sample_plan(db, now=MORNING, attended=0)
    _set(db, seeded.appointment_ids[0], status="no_show")
    sheet = load_day_sheet(db, seeded.practitioner_id, DAY, now=MORNING)
    assert sheet.rows[0].status.label == "No-show"
    assert "No-show" in " ".join(
        pdf_text(day_sheet_pdf(db, DAY, now=MORNING, practitioner_id=seeded.practitioner_id))
    )
    _set(db, seeded.appointment_ids[0], status="cancelled", cancellation_reason="Sick")
    assert load_day_sheet(db, seeded.practitioner_id, DAY, now=MORNING).rows == ()


def test_long_appointment_notes_are_printed_in_full(db: Database) -> None:
    seeded = seed_sample_plan(db, now=MORNING)
    long_note = " ".join(f"Detail {i} for the practitioner." for i in range(1, 80))
    _set(db, seeded.appointment_ids[0], notes=long_note)
    pdf = day_sheet_pdf(db, DAY, now=MORNING, practitioner_id=seeded.practitioner_id)
    text = " ".join(pdf_text(pdf))
    assert "in full below" in text
    assert "Detail 79 for the practitioner." in text
    for i in range(1, 80):
        assert f"Detail {i} for" in text


def test_the_morning_print_has_one_sheet_per_busy_practitioner(db: Database) -> None:
    seed_sample_plan(db, now=MORNING, practitioner_name="Amir Haddad")
    seed_sample_plan(db, now=MORNING, practitioner_name="Beth Olsen")
    sheets = load_day_sheets(db, DAY, now=MORNING)
    assert [s.practitioner_name for s in sheets] == ["Amir Haddad", "Beth Olsen"]
    pages = pdf_text(day_sheet_pdf(db, DAY, now=MORNING))
    assert len(pages) == 2
    assert "Amir Haddad" in pages[0] and "Beth Olsen" in pages[1]
    assert load_day_sheets(db, DAY + timedelta(days=1), now=MORNING) == []
    with pytest.raises(ValueError, match="nobody has appointments"):
        day_sheet_pdf(db, DAY + timedelta(days=1), now=MORNING)


def test_day_sheet_page_is_the_clinic_paper_size(db: Database) -> None:
    seeded = seed_sample_plan(db, now=MORNING)
    pdf = day_sheet_pdf(db, DAY, now=MORNING, practitioner_id=seeded.practitioner_id)
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (float(box.width), float(box.height)) == (612, 792)


def test_day_sheet_numbers_course_visits_and_bounds_the_day_like_the_calendar(db: Database) -> None:
    """The printout and the screen share scheduling's rules: a DST day of 23 hours, and course
    numbering that skips a cancelled visit."""
    from frontdesk.scheduling import day_schedule

    seeded = seed_sample_plan(db, now=MORNING, attended=0)
    _set(db, seeded.appointment_ids[0], status="cancelled", cancellation_reason="Sick")
    dst_day = date(2026, 3, 8)  # clocks go forward at 02:00: local midnight to midnight is 23 h
    late = datetime(2026, 3, 9, 5, 30, tzinfo=UTC)  # 23:30 MDT on 8 March
    _set(db, seeded.appointment_ids[1], start_at=late, end_at=late + timedelta(minutes=45))
    sheet = load_day_sheet(db, seeded.practitioner_id, dst_day, now=MORNING)
    [shown] = [a for s in [day_schedule(db, dst_day)] for a in s.appointments if a.course_id]
    assert [r.course_progress for r in sheet.rows] == [
        f"{shown.course_index} of {shown.course_total}"
    ]
    assert sheet.rows[0].course_progress == "1 of 8"
    next_day = load_day_sheet(db, seeded.practitioner_id, date(2026, 3, 9), now=MORNING)
    assert late not in [r.starts_local for r in next_day.rows]  # 05:30 UTC belongs to the 8th


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_day_sheet_cells_for_times_types_and_rooms_stay_on_one_line(
    db: Database, paper: str
) -> None:
    """ "10:30" over "AM", "Aspen" over "Room": short cells are as wide as their text."""
    from frontdesk.db.models import ClinicSettings, Room

    seeded = seed_sample_plan(db, now=MORNING)
    with db.write() as s:
        s.get_one(ClinicSettings, 1).page_size = paper
        for room in s.query(Room):
            room.name = "Aspen Room"
    ten_thirty = datetime(2026, 3, 2, 17, 30, tzinfo=UTC)  # 10:30 in Edmonton
    _set(
        db,
        seeded.appointment_ids[1],
        start_at=ten_thirty,
        end_at=ten_thirty + timedelta(minutes=45),
    )
    pdf = day_sheet_pdf(db, DAY, now=MORNING, practitioner_id=seeded.practitioner_id)
    lines = PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()
    for whole in ("10:30", "to 11:15", "16:30", "to 17:15", "Aspen Room", "Acupuncture treatment"):
        assert whole in lines, whole
