""" "Who accessed this record": one patient's lines of the audit trail, printable.

What a patient may ask the clinic (the custodian) for: every opening, print, export and change
of their record, with who, when and from which workstation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import IO

from reportlab.platypus import Flowable, Paragraph

from frontdesk.accounts.operation import by_patient, operation
from frontdesk.accounts.trail import action_words, kind_words, list_audit
from frontdesk.accounts.types import AuditFilter, AuditRow
from frontdesk.clinic import ClinicInfo, get_clinic
from frontdesk.db.engine import Database
from frontdesk.names import display_name
from frontdesk.patients import get_patient
from frontdesk.reports.fonts import markup
from frontdesk.reports.styles import Styles, listing_table
from frontdesk.reports.template import ClinicDocTemplate, Output, write_pdf
from frontdesk.timefmt import fmt_date, fmt_time

TITLE = "Who accessed this record"


@dataclass(frozen=True)
class AccessReportData:
    clinic: ClinicInfo
    patient_name: str
    rows: tuple[AuditRow, ...]  # oldest first
    printed_at: datetime


@operation(
    "access_report_pdf",
    patient=by_patient,
    access="print",
    entity="patients",
    record="patient_id",
)
def access_report_pdf(db: Database, patient_id: int, *, now: datetime, out: Output = None) -> bytes:
    """The patient's access report as PDF bytes (also written to ``out`` when given)."""
    patient = get_patient(db, patient_id)
    rows = list_audit(db, AuditFilter(patient_id=patient_id, limit=100_000))
    data = AccessReportData(
        get_clinic(db),
        display_name(patient.given_name, patient.family_name),
        tuple(reversed(rows)),
        now,
    )
    return render_access_report(data, out)


def render_access_report(data: AccessReportData, out: Output = None) -> bytes:
    def build(target: IO[bytes]) -> None:
        doc = ClinicDocTemplate(
            target,
            data.clinic,
            title=f"{TITLE} \u2013 {data.patient_name}",
            running_title=f"{TITLE}: {data.patient_name}",
        )
        doc.build_story(_story(data, doc.width))

    return write_pdf(build, out)


def _story(data: AccessReportData, width: float) -> list[Flowable]:
    st = Styles.get()
    tz = data.clinic.tz
    printed = data.printed_at.astimezone(tz)
    story: list[Flowable] = [
        Paragraph(TITLE, st.title),
        Paragraph(
            f"Every time {markup(data.clinic.name)}'s staff opened, printed, exported or "
            f"changed the record of {markup(data.patient_name)}, as of "
            f"{fmt_date(printed.date())} {fmt_time(printed)}",
            st.subtitle,
        ),
    ]
    if not data.rows:
        return [*story, Paragraph("Nobody has accessed this record yet.", st.italic)]
    rows: list[list[object]] = [["When", "Who", "Workstation", "What"]]
    for r in data.rows:
        at = r.at.astimezone(tz)
        what = f"{kind_words(r.kind)}: {action_words(r.action)}"
        rows.append(
            [
                Paragraph(f"{fmt_date(at.date())} {fmt_time(at)}", st.notes),
                Paragraph(markup(r.username), st.notes),
                Paragraph(markup(r.workstation), st.notes),
                Paragraph(markup(what), st.notes),
            ]
        )
    story.append(listing_table(rows, [width * w for w in (0.24, 0.2, 0.2, 0.36)]))
    return story
