"""The day sheet reception prints each morning: one practitioner's appointments, in order.

Each sheet starts on a new page. A tick column lets the desk mark arrivals by pen. Long
appointment notes are shortened in the table and printed in full below it, because a table row
cannot break across pages and nothing written for the practitioner may be cut off.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO

from reportlab.platypus import Flowable, PageBreak

from frontdesk.domain import AppointmentStatus
from frontdesk.reports.blocks import paragraphs, section_heading
from frontdesk.reports.flowables import Para, TickBox
from frontdesk.reports.fonts import SANS, SANS_BOLD, markup, runs_width
from frontdesk.reports.loaders import DaySheetData, DaySheetRow
from frontdesk.reports.styles import (
    CELL_PADDING,
    CELL_SIZE,
    MUTED,
    Styles,
    listing_table,
)
from frontdesk.reports.template import ClinicDocTemplate, Output, write_pdf
from frontdesk.timefmt import fmt_date, fmt_long_date, fmt_time

CELL_NOTE_LIMIT = 160
COLUMNS = (  # heading, share of the width left once the short columns have theirs
    ("", 0.0),
    ("Time", 0.0),
    ("Patient", 0.45),
    ("Type", 0.0),
    ("Room", 0.0),
    ("Course", 0.0),
    ("Notes", 0.55),
)
TICK_WIDTH = 22.0
# A type or room named at length may wrap rather than squeeze the patient and the notes.
TYPE_MAX_SHARE = 0.25
ROOM_MAX_SHARE = 0.18


def render_day_sheet(sheets: DaySheetData | Sequence[DaySheetData], out: Output = None) -> bytes:
    """One sheet, or several (one per practitioner, each from a new page), as PDF bytes."""
    many = [sheets] if isinstance(sheets, DaySheetData) else list(sheets)
    if not many:
        raise ValueError("No day sheets to print: nobody has appointments that day.")
    first = many[0]

    def build(target: IO[bytes]) -> None:
        doc = ClinicDocTemplate(
            target,
            first.clinic,
            title=f"Day sheet \u2013 {fmt_date(first.day)}",
            running_title=f"Day sheet  \u00b7  {fmt_long_date(first.day)}",
            letterhead=False,
        )
        story: list[Flowable] = []
        for i, sheet in enumerate(many):
            if i:
                story.append(PageBreak())
            story += sheet_story(sheet, doc.width)
        doc.build_story(story)

    return write_pdf(build, out)


def sheet_story(sheet: DaySheetData, width: float) -> list[Flowable]:
    """One practitioner's sheet: heading, the table, and any notes too long for a cell."""
    st = Styles.get()
    count = len(sheet.rows)
    visits = f"{count} appointment{'s' if count != 1 else ''}"
    summary = (
        f"Day sheet for {fmt_long_date(sheet.day)}  \u00b7  {visits}"
        f"  \u00b7  printed {fmt_date(sheet.printed_at.date())} at {fmt_time(sheet.printed_at)}"
    )
    story: list[Flowable] = [
        Para(markup(sheet.practitioner_name), st.title),
        Para(summary, st.subtitle),
    ]
    if not sheet.rows:
        return [*story, Para("No appointments booked.", st.body)]
    rows: list[list[object]] = [[Para(h, st.cell_head) for h, _ in COLUMNS]]
    overflow: list[tuple[DaySheetRow, str]] = []
    for row in sheet.rows:
        note = " ".join(row.notes.split())
        if len(note) > CELL_NOTE_LIMIT:
            overflow.append((row, row.notes))
            note = note[: CELL_NOTE_LIMIT - 20].rsplit(" ", 1)[0] + "\u2026 (in full below)"
        rows.append(_row(row, note))
    table = listing_table(rows, column_widths(sheet, width), valign="TOP")
    story.append(table)
    if overflow:
        story += section_heading("Notes in full")
        for row, text in overflow:
            who = f"{fmt_time(row.starts_local)}  {markup(row.patient_name)}"
            story.append(Para(who, st.subheading))
            story += paragraphs(text)
    return story


def column_widths(sheet: DaySheetData, width: float) -> list[float]:
    """Time, type, room and course columns as wide as their widest text, so "10:30" and
    "to 11:15", "Aspen Room" and "3 of 8" never break over two lines (a long type or room
    name may, past a share of the page); the patient and the notes share the rest."""

    def fit(heading: str, texts: list[str], font: str = SANS) -> float:
        widest = max(
            [runs_width(heading, CELL_SIZE, SANS_BOLD)]
            + [runs_width(t, CELL_SIZE, font) for t in texts]
        )
        return widest + 2 * CELL_PADDING + 1

    rows = sheet.rows
    time = max(
        fit("Time", [fmt_time(r.starts_local) for r in rows], SANS_BOLD),  # the start is bold
        fit("Time", [f"to {fmt_time(r.ends_local)}" for r in rows]),
    )
    kinds = [r.type_name for r in rows] + [r.status.label for r in rows]
    kind = min(fit("Type", kinds), width * TYPE_MAX_SHARE)
    room = min(fit("Room", [r.room_name for r in rows]), width * ROOM_MAX_SHARE)
    course = fit("Course", [r.course_progress for r in rows])
    left = width - TICK_WIDTH - time - kind - room - course
    widths = {"": TICK_WIDTH, "Time": time, "Type": kind, "Room": room, "Course": course}
    return [widths.get(name, left * share) for name, share in COLUMNS]


def _row(row: DaySheetRow, note: str) -> list[object]:
    st = Styles.get()
    when = f"<b>{fmt_time(row.starts_local)}</b><br/>" + (
        f"<font color='{MUTED.hexval()}'>to {fmt_time(row.ends_local)}</font>"
    )
    who = f"<b>{markup(row.patient_name)}</b>"
    if row.patient_phone:
        who += f"<br/><font color='{MUTED.hexval()}'>{markup(row.patient_phone)}</font>"
    kind = markup(row.type_name)
    if row.status is not AppointmentStatus.BOOKED:
        kind += f"<br/><font color='{MUTED.hexval()}'>{row.status.label}</font>"
    done = row.status in (AppointmentStatus.CHECKED_IN, AppointmentStatus.COMPLETED)
    return [
        TickBox(9, ticked=done),
        Para(when, st.cell),
        Para(who, st.cell),
        Para(kind, st.cell),
        Para(markup(row.room_name), st.cell),
        Para(row.course_progress, st.cell),
        Para(markup(note), st.cell),
    ]
