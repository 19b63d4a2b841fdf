"""The treatment-plan handout, read back the way a checker reads paper: by extracting its text."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader

from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, ClinicSettings
from frontdesk.domain import PageSize
from frontdesk.plans import (
    ConditionChoice,
    PlanInput,
    draft_handout_data,
    get_plan,
    handout_data,
)
from frontdesk.plans.sample import sample_handout, seed_sample_plan
from frontdesk.reports import plan_handout_pdf, render_plan_handout
from frontdesk.reports.template import FOOTER_H, RUNNING_H, TOP
from frontdesk.timefmt import fmt_date, fmt_time

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
NAMES = ("Zoë", "Łukasz", "Nguyễn Thị Ánh", "O'Brien-Smith", "王秀英")


def pdf_text(pdf: bytes) -> list[str]:
    """Each page's text with runs of whitespace made single spaces (lines wrap anywhere)."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def body_text(pdf: bytes) -> str:
    """Text inside the story frames of all pages, without the running header and footer, so
    text that continues over a page break reads as one stream."""
    parts: list[str] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        top = float(page.mediabox.height) - TOP - RUNNING_H

        def visit(
            text: str, cm: list[float], tm: list[float], *_: object, top: float = top
        ) -> None:
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if FOOTER_H < y < top:
                parts.append(text)

        page.extract_text(visitor_text=visit)
    return " ".join(" ".join(parts).split())


def font_names(pdf: bytes) -> dict[str, bool]:
    """Every font the pages use -> whether its program is embedded in the file."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            if font.get("/Subtype") == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts[str(font["/BaseFont"])] = embedded
    return fonts


def test_handout_shows_the_patient_every_session_and_every_home_care_item(db: Database) -> None:
    seeded = seed_sample_plan(db, now=NOW, given_name="Zoë", family_name="O'Brien-Smith")
    pdf = plan_handout_pdf(db, seeded.plan.revision_id, now=NOW)
    text = " ".join(pdf_text(pdf))
    assert "Zoë O'Brien-Smith" in text
    data = handout_data(db, seeded.plan.revision_id, now=NOW)
    assert len(data.appointments) == 8
    for appt in data.appointments:
        assert f"{fmt_date(appt.date)} {appt.weekday} {fmt_time(appt.starts_local)}" in text
    for item in seeded.plan.homecare:
        assert item.text in text
    assert text.count("Attended") == 2


def test_sections_come_in_the_order_a_patient_reads_them() -> None:
    text = " ".join(pdf_text(render_plan_handout(sample_handout())))
    headings = [
        "Your treatment plan",
        "Your condition",
        "Your goals",
        "Your plan",
        "Your appointments",
        "Home care",
        "When to call us",
        "Notes from your practitioner",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "8 sessions over 4 weeks" in text


def test_every_page_has_letterhead_or_running_header_and_the_footer() -> None:
    data = sample_handout()
    pages = pdf_text(render_plan_handout(data))
    assert len(pages) >= 2
    assert data.clinic.phone in pages[0] and "10240 142 Street NW" in pages[0]
    for number, page in enumerate(pages, start=1):
        assert data.clinic.name in page
        assert f"Page {number} of {len(pages)}" in page
        assert "Confidential" in page


def test_fonts_are_embedded_and_no_builtin_font_is_used() -> None:
    pdf = render_plan_handout(sample_handout(patient_name="王秀英"))
    fonts = font_names(pdf)
    assert fonts and all(fonts.values()), fonts
    assert any("NotoSans" in name for name in fonts)
    assert any("DroidSansFallback" in name for name in fonts)
    assert not any("Helvetica" in name or "Times" in name for name in fonts)


@pytest.mark.parametrize("name", NAMES)
def test_each_name_round_trips(name: str) -> None:
    text = " ".join(pdf_text(render_plan_handout(sample_handout(patient_name=name))))
    assert name in text


def test_a_mixed_script_name_keeps_every_character() -> None:
    name = "Anna 王秀英-Łukasz"
    assert name in " ".join(pdf_text(render_plan_handout(sample_handout(patient_name=name))))


def test_twenty_pages_of_notes_lose_no_text() -> None:
    paragraphs = [
        " ".join(f"Note {p} sentence {s} keeps every word in its place." for s in range(1, 13))
        for p in range(1, 141)
    ]
    pdf = render_plan_handout(sample_handout(notes="\n\n".join(paragraphs)))
    assert len(pdf_text(pdf)) >= 20
    text = body_text(pdf)
    assert " ".join(paragraphs) in text
    found = [int(m) for m in re.findall(r"Note (\d+) sentence 12 keeps", text)]
    assert found == list(range(1, 141))


def test_user_text_that_looks_like_markup_prints_literally() -> None:
    data = sample_handout(notes="Take <b>2</b> walks & rest; 5 < 7 > 3")
    text = " ".join(pdf_text(render_plan_handout(data)))
    assert "Take <b>2</b> walks & rest; 5 < 7 > 3" in text


def test_a_long_course_table_repeats_its_header_on_each_page() -> None:
    data = sample_handout(sessions=60)
    pages = pdf_text(render_plan_handout(data))
    table_pages = [p for p in pages if "Mei Lin Chen" in p and "16:30" in p]
    assert len(table_pages) >= 2
    for page in table_pages:
        assert "# Date Day Time Practitioner" in page
    text = " ".join(pages)
    for appt in data.appointments:
        assert fmt_date(appt.date) in text


@pytest.mark.parametrize(
    ("size", "expected"), [(PageSize.LETTER, (612, 792)), (PageSize.A4, (595.28, 841.89))]
)
def test_paper_size_follows_the_clinic_setting(
    db: Database, size: PageSize, expected: tuple[float, float]
) -> None:
    seeded = seed_sample_plan(db, now=NOW, page_size=size)
    pdf = plan_handout_pdf(db, seeded.plan.revision_id, now=NOW)
    for page in PdfReader(io.BytesIO(pdf)).pages:
        box = page.mediabox
        assert (round(float(box.width), 2), round(float(box.height), 2)) == expected


def test_printing_freezes_the_revision_and_a_preview_does_not(db: Database) -> None:
    seeded = seed_sample_plan(db, now=NOW)
    plan_handout_pdf(db, seeded.plan.revision_id, now=NOW, mark=False)
    assert get_plan(db, seeded.plan.plan_id).printed_at is None
    plan_handout_pdf(db, seeded.plan.revision_id, now=NOW)
    assert get_plan(db, seeded.plan.plan_id).printed_at == NOW


def test_cancelled_sessions_are_left_out_and_times_are_local(db: Database) -> None:
    # Sessions at 16:30 local straddle the switch to daylight time on March 8, 2026.
    seeded = seed_sample_plan(db, now=NOW)
    with db.write() as s:
        appt = s.get(Appointment, seeded.appointment_ids[-1])
        assert appt is not None
        appt.status, appt.cancellation_reason = "cancelled", "Patient away"
    data = handout_data(db, seeded.plan.revision_id, now=NOW)
    assert len(data.appointments) == 7
    assert {fmt_time(a.starts_local) for a in data.appointments} == {"16:30"}
    assert [a.attended for a in data.appointments[:3]] == [True, True, False]


def test_the_clinic_logo_is_printed_when_set(db: Database) -> None:
    png = _tiny_png()
    with db.write() as s:
        settings = s.get(ClinicSettings, 1)
        assert settings is not None
        settings.logo_png = png
    seeded = seed_sample_plan(db, now=NOW)
    pdf = plan_handout_pdf(db, seeded.plan.revision_id, now=NOW)
    first = PdfReader(io.BytesIO(pdf)).pages[0]
    assert first["/Resources"].get("/XObject")


def test_a_damaged_logo_does_not_stop_printing() -> None:
    data = sample_handout()
    data = replace(data, clinic=replace(data.clinic, logo_png=b"not an image"))
    assert data.patient_name in " ".join(pdf_text(render_plan_handout(data)))


def _tiny_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 20), (29, 106, 106)).save(out, format="PNG")
    return out.getvalue()


def test_a_draft_preview_shows_unsaved_content_and_writes_nothing(db: Database) -> None:
    seeded = seed_sample_plan(db, now=NOW)
    mark = plan_handout_pdf(db, seeded.plan.revision_id, now=NOW)  # revision 1 is printed
    assert mark
    base = get_plan(db, seeded.plan.plan_id)
    draft = replace(base.as_input(), goals=("Carry the groceries upstairs",))
    data = draft_handout_data(db, draft, now=NOW, base=base)
    assert data.plan.number == 2 and len(data.appointments) == 8
    text = " ".join(pdf_text(render_plan_handout(data)))
    assert "Carry the groceries upstairs" in text and "Revision 2" in text
    assert get_plan(db, seeded.plan.plan_id).number == 1


def test_a_plan_with_only_a_condition_still_makes_a_clean_handout(db: Database) -> None:
    seeded = seed_sample_plan(db, now=NOW)
    bare = PlanInput(
        seeded.patient_id, seeded.practitioner_id, None, (ConditionChoice("neck_pain"),)
    )
    data = draft_handout_data(db, bare, now=NOW + timedelta(days=60))
    text = " ".join(pdf_text(render_plan_handout(data)))
    assert "Neck pain" in text and "No sessions are booked yet." in text
    assert "Your goals" not in text and "Home care" not in text


def test_long_unbroken_text_and_long_names_stay_on_the_page() -> None:
    url = "https://example.org/" + "a" * 400
    name = "Maximiliana Wolfeschlegelsteinhausenbergerdorff-" + "Łukaszewicz" * 6
    data = sample_handout(patient_name=name, notes=f"See {url} for the video.")
    pdf = render_plan_handout(data)
    text = "".join(" ".join(pdf_text(pdf)).split())
    assert url in text  # split over lines, but every character printed
    assert "Łukaszewicz" * 6 in text


@pytest.mark.parametrize(
    ("booked", "phrase"),
    [(8, "8 sessions over 4 weeks"), (5, "8 sessions, 5 booked so far"), (1, "1 booked so far")],
)
def test_the_plan_says_how_many_sessions_over_how_long(booked: int, phrase: str) -> None:
    data = sample_handout(sessions=8)
    data = replace(data, appointments=data.appointments[:booked])
    assert phrase in " ".join(pdf_text(render_plan_handout(data)))


def test_practitioner_names_in_the_appointments_table_print_whole_inside_the_page() -> None:
    """Short names are plain table cells; a long one wraps in its column and a CJK one keeps
    its characters (both still need a paragraph)."""
    long_name = "Maximiliana Oyelaran-Featherstonehaugh Wolfeschlegel"
    data = sample_handout()
    names = (long_name, "王秀英", "Mei Lin Chen")
    appts = tuple(
        replace(a, practitioner_name=names[i % 3]) for i, a in enumerate(data.appointments)
    )
    pdf = render_plan_handout(replace(data, appointments=appts))
    text = " ".join(pdf_text(pdf))
    assert "王秀英" in text and "Mei Lin Chen" in text
    assert long_name in text
    page_width = float(PdfReader(io.BytesIO(pdf)).pages[0].mediabox.width)
    right_edges: list[float] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
            if "Wolfeschlegel" in text or "Featherstonehaugh" in text:
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                right_edges.append(x + len(text) * size * 0.6)

        page.extract_text(visitor_text=visit)
    assert right_edges and max(right_edges) < page_width


def test_each_paragraph_is_broken_into_lines_once_per_width(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Tables size their cells and then draw them, frames measure before splitting: asking a
    paragraph for its size again at the same width must not break its lines again (the
    costliest step of printing)."""
    from reportlab.platypus import Paragraph

    seen: dict[tuple[int, tuple[float, ...]], int] = {}
    alive: list[Paragraph] = []  # so that no id is reused by a later paragraph
    original = Paragraph.breakLines

    def counting(self: Paragraph, widths: list[float]) -> object:
        alive.append(self)
        key = (id(self), tuple(widths))
        seen[key] = seen.get(key, 0) + 1
        return original(self, widths)

    monkeypatch.setattr(Paragraph, "breakLines", counting)
    render_plan_handout(sample_handout())
    assert seen
    assert max(seen.values()) == 1
