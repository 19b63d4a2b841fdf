"""One patient's full record as a PDF: what a patient may ask the clinic to give them.

Details, every appointment (kept, missed and cancelled), every treatment plan as its latest
revision says it, and every session note, on the clinic's letterhead in the handout's look.
``load_patient_record`` gathers the DTO through the services; ``render_patient_record`` is a
pure function from it to PDF bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import IO

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table

from frontdesk.accounts.operation import by_patient, operation
from frontdesk.clinic import ClinicInfo, get_clinic
from frontdesk.db.engine import Database
from frontdesk.names import display_name
from frontdesk.notes import SessionNoteView, list_notes
from frontdesk.patients import PatientRecord, get_patient
from frontdesk.plans import PlanRevisionView, get_plan, list_plans
from frontdesk.plans.library import HomecareLibrary, load_library
from frontdesk.reports.blocks import bullets, paragraphs, section_heading
from frontdesk.reports.fonts import markup
from frontdesk.reports.styles import (
    ACCENT,
    ACCENT_LIGHT,
    Styles,
    listing_table,
    table_style,
)
from frontdesk.reports.template import ClinicDocTemplate, Output, write_pdf
from frontdesk.scheduling import AppointmentView, patient_appointments
from frontdesk.timefmt import fmt_date, fmt_long_date, fmt_time

TITLE = "Patient record"


@dataclass(frozen=True)
class RecordPlan:
    """A plan as its latest revision reads, with codes already turned into words."""

    revision: PlanRevisionView
    practitioner_name: str
    condition_lines: tuple[str, ...]
    symptom_labels: tuple[str, ...]
    technique_labels: tuple[str, ...]


@dataclass(frozen=True)
class PatientRecordData:
    """Everything the record prints, gathered at ``printed_at``."""

    clinic: ClinicInfo
    patient: PatientRecord
    patient_name: str
    appointments: tuple[AppointmentView, ...]  # oldest first
    plans: tuple[RecordPlan, ...]
    notes: tuple[SessionNoteView, ...]  # oldest first
    technique_labels: dict[str, str]
    printed_at: datetime


@operation(
    "load_patient_record",
    patient=by_patient,
    access="print",
    entity="patients",
    record="patient_id",
)
def load_patient_record(db: Database, patient_id: int, *, now: datetime) -> PatientRecordData:
    """The patient's record as the services report it; ``NotFound`` for an unknown patient."""
    patient = get_patient(db, patient_id)
    try:
        library: HomecareLibrary | None = load_library()
    except ValueError:
        library = None  # a broken library file: codes print as stored, the record still prints
    plans = []
    for summary in list_plans(db, patient_id, library=library):
        revision = get_plan(db, summary.plan_id)
        plans.append(
            RecordPlan(
                revision=revision,
                practitioner_name=summary.practitioner_name,
                condition_lines=tuple(
                    library.condition_line(c) if library else c.code for c in revision.conditions
                ),
                symptom_labels=tuple(
                    library.symptom_label(x) if library else x for x in revision.symptoms
                ),
                technique_labels=tuple(
                    library.technique_label(x) if library else x for x in revision.techniques
                ),
            )
        )
    labels = {c.code: c.label for c in library.techniques} if library else {}
    return PatientRecordData(
        clinic=get_clinic(db),
        patient=patient,
        patient_name=display_name(patient.given_name, patient.family_name),
        appointments=tuple(reversed(patient_appointments(db, patient_id))),
        plans=tuple(plans),
        notes=tuple(reversed(list_notes(db, patient_id))),
        technique_labels=labels,
        printed_at=now,
    )


@operation(
    "patient_record_pdf", patient=by_patient, access="print", entity="patients", record="patient_id"
)
def patient_record_pdf(
    db: Database, patient_id: int, *, now: datetime, out: Output = None
) -> bytes:
    """Load and render in one call (the chart's button and ``frontdesk export-patient``)."""
    return render_patient_record(load_patient_record(db, patient_id, now=now), out)


def render_patient_record(data: PatientRecordData, out: Output = None) -> bytes:
    """The record as PDF bytes; also written to ``out`` (path or binary file) if given."""

    def build(target: IO[bytes]) -> None:
        doc = ClinicDocTemplate(
            target,
            data.clinic,
            title=f"{TITLE} \u2013 {data.patient_name}",
            running_title=f"Patient record of {data.patient_name}",
        )
        doc.build_story(record_story(data, doc.width))

    return write_pdf(build, out)


def record_story(data: PatientRecordData, width: float) -> list[Flowable]:
    st = Styles.get()
    printed = data.printed_at.astimezone(data.clinic.tz)
    story: list[Flowable] = [
        Paragraph(TITLE, st.title),
        Paragraph(
            f"Everything {markup(data.clinic.name)} holds about "
            f"{markup(data.patient_name)}, as of {fmt_long_date(printed.date())}, "
            f"{fmt_time(printed)}",
            st.subtitle,
        ),
    ]
    story += _details(data, width)
    story += _appointments(data, width)
    story += _plans(data)
    story += _notes(data)
    return story


def _details(data: PatientRecordData, width: float) -> list[Flowable]:
    st = Styles.get()
    p = data.patient

    def cell(label: str, value: str) -> list[Flowable]:
        return [Paragraph(label.upper(), st.label), Paragraph(markup(value or "\u2013"), st.value)]

    rows = [
        [
            cell("Patient", data.patient_name),
            cell("Date of birth", fmt_date(p.date_of_birth)),
            cell("Health number", p.health_number or ""),
        ],
        [
            cell("Phone", p.phone_display),
            cell("Other phone", p.phone_alt_display),
            cell("Email", p.email),
        ],
        [
            cell("Address", p.address),
            cell("Emergency contact", p.emergency_contact_display),
            cell("Referred by", p.referral_source),
        ],
    ]
    if p.preferred_name:
        rows.append(
            [
                cell("Preferred name", p.preferred_name),
                cell("Patient since", fmt_date(p.created_at.astimezone(data.clinic.tz).date())),
                cell("Status", "Archived" if p.archived else "Active"),
            ]
        )
    else:
        rows.append(
            [
                cell("Patient since", fmt_date(p.created_at.astimezone(data.clinic.tz).date())),
                cell("Status", "Archived" if p.archived else "Active"),
                [],
            ]
        )
    table = Table(rows, colWidths=[width * 0.38, width * 0.27, width * 0.35])
    table.setStyle(
        table_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), ACCENT_LIGHT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 9),
                ("LINEBEFORE", (0, 0), (0, -1), 3, ACCENT),
            ]
        )
    )
    out: list[Flowable] = [table]
    if p.notes.strip():
        out += section_heading("Notes on file")
        out += paragraphs(p.notes)
    return out


def _appointments(data: PatientRecordData, width: float) -> list[Flowable]:
    st = Styles.get()
    out = section_heading(f"Appointments ({len(data.appointments)})")
    if not data.appointments:
        return [*out, Paragraph("No appointments.", st.italic)]
    head = [Paragraph(h, st.cell_head) for h in ("Date", "Time", "Visit", "With", "Status")]
    rows: list[list[object]] = [head]
    tz = data.clinic.tz
    for a in data.appointments:
        start = a.start.astimezone(tz)
        status = a.status.value.replace("_", " ").capitalize()
        if a.cancellation_reason:
            status += f": {a.cancellation_reason}"
        visit = a.type_name
        if a.course_index and a.course_total:
            visit += f" ({a.course_index} of {a.course_total})"
        rows.append(
            [
                Paragraph(fmt_date(start.date()), st.cell),
                Paragraph(fmt_time(start), st.cell),
                Paragraph(markup(visit), st.cell),
                Paragraph(markup(a.practitioner_name), st.cell),
                Paragraph(markup(status), st.cell_muted),
            ]
        )
    widths = [0.16, 0.12, 0.30, 0.22, 0.20]
    return [*out, listing_table(rows, [width * w for w in widths])]


def _plans(data: PatientRecordData) -> list[Flowable]:
    st = Styles.get()
    out = section_heading(f"Treatment plans ({len(data.plans)})")
    if not data.plans:
        return [*out, Paragraph("No treatment plans.", st.italic)]
    tz = data.clinic.tz
    for plan in data.plans:
        r = plan.revision
        when = fmt_date(r.updated_at.astimezone(tz).date())
        state = "printed" if r.printed_at else "not printed"
        out.append(
            Paragraph(
                f"{markup(', '.join(plan.condition_lines) or 'Plan')} \u2013 revision {r.number} "
                f"of {when}, {markup(plan.practitioner_name)} ({state})",
                st.subheading,
            )
        )
        out += paragraphs(r.condition_notes)
        facts = [
            ("Symptoms", ", ".join(plan.symptom_labels)),
            ("Pain", f"{r.pain_score} out of 10" if r.pain_score is not None else ""),
            ("Makes it worse", r.worse_with),
            ("Helps", r.better_with),
            ("Techniques", ", ".join(plan.technique_labels)),
            (
                "Sessions",
                "; ".join(
                    x
                    for x in (
                        f"{r.planned_sessions} planned" if r.planned_sessions else "",
                        r.frequency_text,
                    )
                    if x
                ),
            ),
        ]
        for label, value in facts:
            if value.strip():
                out += paragraphs(value, lead=f"<b>{label}:</b> ")
        for label, items in (("Goals", r.goals), ("Home care", [e.text for e in r.homecare])):
            if items:
                listed = bullets(items)  # the label stays with its first item across pages
                out += [
                    KeepTogether([Paragraph(f"<b>{label}</b>", st.notes), listed[0]]),
                    *listed[1:],
                ]
        out += paragraphs(r.patient_notes, lead="<b>Notes for the patient:</b> ")
    return out


def _notes(data: PatientRecordData) -> list[Flowable]:
    st = Styles.get()
    out = section_heading(f"Session notes ({len(data.notes)})")
    if not data.notes:
        return [*out, Paragraph("No session notes.", st.italic)]
    for n in data.notes:
        out.append(
            Paragraph(f"{_day(n.session_date)} \u2013 {markup(n.practitioner_name)}", st.subheading)
        )
        techniques = ", ".join(data.technique_labels.get(t, t) for t in n.techniques)
        pain = ""
        if n.pain_before is not None or n.pain_after is not None:
            pain = f"{_score(n.pain_before)} before, {_score(n.pain_after)} after (out of 10)"
        for label, value in (
            ("Techniques", techniques),
            ("Points and needles", n.needling.summary()),
            ("Point notes", n.points),
            ("Pain", pain),
            ("Response", n.response),
        ):
            if value.strip():
                out += paragraphs(value, lead=f"<b>{label}:</b> ")
        out += paragraphs(n.body)
    return out


def _day(d: date) -> str:
    return fmt_long_date(d)


def _score(value: int | None) -> str:
    return "\u2013" if value is None else str(value)
