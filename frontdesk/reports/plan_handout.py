"""The treatment-plan handout: what the patient takes home after a consultation.

A pure function from ``HandoutData`` to PDF bytes. Sections follow the order a patient reads
in: who and when, the condition, goals, the plan, the booked sessions, home care, when to call,
then the practitioner's notes. Free text is laid out as plain paragraphs in the main story (never
inside a table cell) so text of any length flows onto further pages instead of being clipped.
"""

from __future__ import annotations

import math
from datetime import date
from typing import IO

from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from frontdesk.plans.types import HandoutAppointment, HandoutData
from frontdesk.reports.blocks import BULLET, bullets, paragraphs, section_heading
from frontdesk.reports.flowables import LabelledCheck, PainScale, Para, TickBox
from frontdesk.reports.fonts import SANS, SANS_BOLD, markup, needs_fallback
from frontdesk.reports.styles import (
    ACCENT,
    ACCENT_LIGHT,
    CELL_LEADING,
    CELL_PADDING,
    CELL_SIZE,
    INK,
    MUTED,
    WARN,
    WARN_LIGHT,
    Styles,
    listing_table,
    table_style,
)
from frontdesk.reports.template import ClinicDocTemplate, Output, write_pdf
from frontdesk.timefmt import fmt_date, fmt_long_date, fmt_time

TITLE = "Your treatment plan"


def render_plan_handout(data: HandoutData, out: Output = None) -> bytes:
    """The handout as PDF bytes; also written to ``out`` (path or binary file) if given."""

    def build(target: IO[bytes]) -> None:
        doc = ClinicDocTemplate(
            target,
            data.clinic,
            title=f"{TITLE} \u2013 {data.patient_name}",
            running_title=f"Treatment plan for {data.patient_name}  \u00b7  "
            f"revision {data.plan.number}",
        )
        doc.build_story(plan_story(data, doc.width))

    return write_pdf(build, out)


def plan_story(data: HandoutData, width: float) -> list[Flowable]:
    """The handout's flowables for a frame ``width`` points wide."""
    st = Styles.get()
    story: list[Flowable] = [Para(TITLE, st.title)]
    who = markup(data.practitioner_name)
    if data.practitioner_credentials:
        who += ", " + markup(data.practitioner_credentials)
    story.append(Para(f"Prepared for you by {who}", st.subtitle))
    story.append(_info_box(data, width))
    story += _condition(data)
    story += _goals(data)
    story += _plan(data)
    story += _appointments(data, width)
    story += _progress(data, width)
    story += _homecare(data, width)
    story += _precautions(data)
    story += _when_to_call(data, width)
    story += _notes(data)
    story += _sign_off(data, who)
    return story


# -- sections ------------------------------------------------------------------------------


def _info_box(data: HandoutData, width: float) -> Flowable:
    st = Styles.get()
    plan = data.plan

    def cell(label: str, value: str) -> list[Flowable]:
        return [Para(label.upper(), st.label), Para(markup(value), st.value)]

    revision = f"Revision {plan.number}"
    if plan.number > 1 or plan.updated_at.date() != data.printed_on:
        revision += f" of {fmt_date(plan.updated_at, data.clinic.tz)}"
    rows = [
        [
            cell("Patient", data.patient_name),
            cell("Date of birth", fmt_date(data.patient_dob)),
            cell("Practitioner", data.practitioner_name),
        ],
        [
            cell("Date", fmt_long_date(data.printed_on)),
            cell("Plan", revision),
            cell("Sessions", _sessions_phrase(data) or "To be arranged"),
        ],
    ]
    table = Table(rows, colWidths=[width * 0.38, width * 0.27, width * 0.35])
    table.setStyle(
        table_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), ACCENT_LIGHT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, 0), 9),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 9),
                ("LINEBEFORE", (0, 0), (0, -1), 3, ACCENT),
            ]
        )
    )
    return table


def _condition(data: HandoutData) -> list[Flowable]:
    st = Styles.get()
    plan = data.plan
    out = section_heading("Your condition")
    for i, line in enumerate(data.condition_lines):
        detail = data.condition_details[i] if i < len(data.condition_details) else ""
        text = f"<b>{markup(line)}</b>"
        if detail:
            text += f"<br/><font color='{MUTED.hexval()}'>{markup(detail)}</font>"
        out.append(Para(text, st.bullet, bulletText=BULLET))
    out += paragraphs(plan.condition_notes)
    if data.symptom_labels:
        symptoms = markup(_as_phrase(data.symptom_labels))
        out.append(Para(f"<b>Symptoms:</b> {symptoms}", st.notes))
    if plan.pain_score is not None:
        out.append(
            _pain_row(f"<b>Pain at your visit:</b> {plan.pain_score} out of 10", plan.pain_score)
        )
    for label, text in (("Makes it worse", plan.worse_with), ("Helps", plan.better_with)):
        out += paragraphs(text, lead=f"<b>{label}:</b> ")
    return out


def _as_phrase(labels: tuple[str, ...]) -> str:
    """ "Numbness, tingling, pain": a list read as one phrase (acronyms keep their capitals)."""
    words = [labels[0], *(w if w[:2].isupper() else w[:1].lower() + w[1:] for w in labels[1:])]
    return ", ".join(words)


def _pain_row(label: str, score: int) -> Flowable:
    st = Styles.get()
    cells = [[Para(label, st.body), PainScale(score)]]
    row = Table(cells, colWidths=[150, None], hAlign="LEFT")
    row.setStyle(
        table_style(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return row


def _goals(data: HandoutData) -> list[Flowable]:
    if not data.plan.goals:
        return []
    return section_heading("Your goals") + bullets(data.plan.goals)


def _plan(data: HandoutData) -> list[Flowable]:
    st = Styles.get()
    body: list[Flowable] = []
    summary = _sessions_phrase(data)
    if summary:
        body.append(Para(f"<b>{markup(summary)}</b>", st.body))
    how_often = data.course_rhythm or data.plan.frequency_text  # a linked course's wins
    if how_often:
        body.append(Para("How often: " + markup(how_often), st.body))
    if data.package_summary:  # a course paid as a package: what is used and left
        body.append(Para("Your package: " + markup(data.package_summary), st.body))
    if data.technique_labels:
        body.append(Para("What we will do together:", st.subheading))
        items = []
        for i, label in enumerate(data.technique_labels):
            detail = data.technique_details[i] if i < len(data.technique_details) else ""
            tail = f" \u2013 {markup(detail)}" if detail else ""
            items.append(f"<b>{markup(label)}</b>{tail}")
        body += bullets(items, is_markup=True)
    if not body:
        body.append(Para("We will agree on the next steps at your next visit.", st.body))
    return section_heading("Your plan") + body


def _sessions_phrase(data: HandoutData) -> str:
    """ "8 sessions over 4 weeks", measured over the course's booked sessions once all of them
    are booked; "8 sessions, 5 booked so far" while some are still to be arranged."""
    n = (
        data.course_planned_sessions or data.plan.planned_sessions
        if data.plan.course_id is not None
        else data.plan.planned_sessions
    )
    if not n:
        return ""
    phrase = _plural(n, "session")
    booked = [a for a in data.appointments if a.status != "no_show"]
    if data.plan.course_id is None or not booked:
        return phrase
    if len(booked) < n:
        return f"{phrase}, {len(booked)} booked so far"
    days = (booked[n - 1].date - booked[0].date).days + 1
    return f"{phrase} over {_plural(math.ceil(days / 7), 'week')}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _appointments(data: HandoutData, width: float) -> list[Flowable]:
    st = Styles.get()
    out = section_heading("Your appointments", room=2 * inch)
    if not data.appointments:
        call = f" Call us at {markup(data.clinic.phone)} to book." if data.clinic.phone else ""
        return [*out, Para("No sessions are booked yet." + call, st.body)]
    cols = [width * c for c in (0.06, 0.19, 0.15, 0.13, 0.30, 0.17)]
    rows: list[list[object]] = [["#", "Date", "Day", "Time", "Practitioner", ""]]
    for i, appt in enumerate(data.appointments, start=1):
        rows.append(_appointment_row(i, appt, cols[4] - 2 * CELL_PADDING))
    # Short, fixed-format cells are plain strings set by the table's style (a Paragraph per
    # cell costs a parse and a line break each); only a name that needs wrapping or the CJK
    # font is a paragraph.
    cells = [
        ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
        ("LEADING", (0, 0), (-1, -1), CELL_LEADING),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("FONTNAME", (0, 0), (-1, 0), SANS_BOLD),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("TEXTCOLOR", (0, 1), (0, -1), MUTED),
        ("FONTNAME", (1, 1), (1, -1), SANS_BOLD),
        ("TEXTCOLOR", (5, 1), (5, -1), MUTED),
    ]
    table = listing_table(rows, cols, commands=cells)
    note = (
        "Please arrive 5 minutes early. If you cannot come, call us as soon as you can so "
        "someone else can use the time."
    )
    return [*out, table, Spacer(1, 5), Para(note, st.small)]


def _appointment_row(i: int, appt: HandoutAppointment, name_width: float) -> list[object]:
    st = Styles.get()
    status: object = ""
    if appt.attended:
        status = LabelledCheck("Attended", font_size=CELL_SIZE, leading=CELL_LEADING)
    elif appt.status == "no_show":
        status = "Missed"
    name = appt.practitioner_name
    fits = not needs_fallback(name) and stringWidth(name, SANS, CELL_SIZE) <= name_width
    return [
        str(i),
        fmt_date(appt.date),
        appt.weekday,
        fmt_time(appt.starts_local),
        name if fits else Para(markup(name), st.cell),
        status,
    ]


def _homecare(data: HandoutData, width: float) -> list[Flowable]:
    st = Styles.get()
    if not data.homecare_items:
        return []
    out = section_heading("Home care")
    out.append(
        Para(
            "Between sessions, these help your treatment work. "
            "Tick each one as it becomes part of your day.",
            st.body,
        )
    )
    out.append(Spacer(1, 4))
    rows = [[TickBox(10), Para(markup(item), st.body)] for item in data.homecare_items]
    table = Table(rows, colWidths=[20, width - 20])
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (0, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return [*out, table]


PROGRESS_COLOURS = ("#c2543a", "#6a4c93", "#d08c00", "#1f6fb2")


def _progress(data: HandoutData, width: float) -> list[Flowable]:
    """The progress so far: pain and questionnaire scores on one small 0-10 chart."""
    lines = [(_spelled(name), points) for name, points in data.progress if points]
    if not lines:
        return []
    st = Styles.get()
    days = sorted({day for _, points in lines for day, _ in points})
    first, last = days[0].toordinal(), days[-1].toordinal()
    if first == last:
        first, last = first - 3, last + 3
    drawing = Drawing(width, 150)
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 30, 38, width - 40, 100
    plot.data = [[(day.toordinal(), value) for day, value in points] for _, points in lines]
    for n, _line in enumerate(lines):
        colour = colors.HexColor(PROGRESS_COLOURS[n % len(PROGRESS_COLOURS)])
        plot.lines[n].strokeColor = colour
        plot.lines[n].strokeWidth = 1.6
        plot.lines[n].symbol = makeMarker("FilledCircle", size=4, fillColor=colour)
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = first, last
    steps = days if len(days) <= 6 else days[:: math.ceil(len(days) / 6)]
    plot.xValueAxis.valueSteps = [d.toordinal() for d in steps]
    plot.xValueAxis.labelTextFormat = lambda v: f"{date.fromordinal(int(v)):%d %b}"
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax, plot.yValueAxis.valueStep = 0, 10, 2
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName, axis.labels.fontSize = SANS, 7
        axis.strokeColor = MUTED
    plot.yValueAxis.visibleGrid = True
    plot.yValueAxis.gridStrokeColor = colors.HexColor("#dde5ea")
    drawing.add(plot)
    legend = Legend()
    legend.x, legend.y = 30, 12
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.fontName, legend.fontSize = SANS, 7.5
    legend.deltax = 10
    legend.colorNamePairs = [
        (colors.HexColor(PROGRESS_COLOURS[n % len(PROGRESS_COLOURS)]), name)
        for n, (name, _) in enumerate(lines)
    ]
    drawing.add(legend)
    intro = Para(
        "Scores from 0 to 10 recorded at your visits; each line's name says which way is better.",
        st.body,
    )
    return [KeepTogether([*section_heading("Your progress so far"), intro, drawing])]


def _spelled(name: str) -> str:
    """A legend in words: the handout's font has no arrows ("Pain, ↓ better" → "Pain, lower
    is better")."""
    return name.replace("\u2193 better", "lower is better").replace(
        "\u2191 better", "higher is better"
    )


def _precautions(data: HandoutData) -> list[Flowable]:
    """Precautions from the intake the patient keeps in mind at home."""
    if not data.precautions:
        return []
    return [*section_heading("Keep in mind at home"), *bullets(list(data.precautions))]


def _when_to_call(data: HandoutData, width: float) -> list[Flowable]:
    st = Styles.get()
    if not data.red_flags:
        return []
    phone = f" at <b>{markup(data.clinic.phone)}</b>" if data.clinic.phone else ""
    intro = Para(
        f"Most people feel better step by step. Call us{phone} with any question. "
        "Get help quickly if you notice any of these:",
        st.warn,
    )
    rows: list[list[Flowable]] = [[intro]]
    rows += [[Para(markup(f), st.warn_bullet, bulletText=BULLET)] for f in data.red_flags]
    table = Table(rows, colWidths=[width])
    table.setStyle(
        table_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), WARN_LIGHT),
                ("LINEBEFORE", (0, 0), (0, -1), 3, WARN),
                ("LEFTPADDING", (0, 0), (-1, -1), 12),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, 0), 8),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 5),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
            ]
        )
    )
    # Short and vital: keep the heading and the whole box on one page.
    return [KeepTogether([*section_heading("When to call us")[1:], table])]


def _notes(data: HandoutData) -> list[Flowable]:
    blocks = paragraphs(data.plan.patient_notes)
    if not blocks:
        return []
    return section_heading("Notes from your practitioner") + blocks


def _sign_off(data: HandoutData, who_markup: str) -> list[Flowable]:
    st = Styles.get()
    phone = f" at {markup(data.clinic.phone)}" if data.clinic.phone else ""
    return [
        Spacer(1, 14),
        Para(f"Questions before your next visit? Call us{phone}.", st.body),
        Spacer(1, 6),
        Para(who_markup, st.subheading),
    ]
