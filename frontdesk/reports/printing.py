"""From the database to a finished PDF in one call, for the GUI's print buttons and commands.

The layout modules never read the database; these functions load the data, render, and (for a
plan handout) record that the revision left the building so later edits start a new revision.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from frontdesk.accounts.operation import by_patient, by_revision, operation
from frontdesk.billing.dayend import money_day_csv, money_day_sheet
from frontdesk.billing.invoices import by_invoice
from frontdesk.billing.receipt_data import load_receipt
from frontdesk.billing.statement import load_statement
from frontdesk.clinic import get_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import Invoice
from frontdesk.intake.service import load_consent
from frontdesk.plans import HomecareLibrary, handout_data, mark_printed
from frontdesk.private_files import create_private_file
from frontdesk.reports.appointment_card import render_appointment_card
from frontdesk.reports.consent import render_consent
from frontdesk.reports.day_sheet import render_day_sheet
from frontdesk.reports.loaders import (
    CARD_LIMIT,
    load_appointment_card,
    load_day_sheet,
    load_day_sheets,
)
from frontdesk.reports.money_sheet import render_money_sheet
from frontdesk.reports.plan_handout import render_plan_handout
from frontdesk.reports.receipt import render_receipt
from frontdesk.reports.statement import render_statement
from frontdesk.reports.template import Output


@operation(
    "plan_handout_pdf",
    patient=by_revision,
    access="print",
    entity="plan_revisions",
    record="revision_id",
)
def plan_handout_pdf(
    db: Database,
    revision_id: int,
    *,
    now: datetime,
    out: Output = None,
    mark: bool = True,
    library: HomecareLibrary | None = None,
) -> bytes:
    """The handout of one plan revision; ``mark`` freezes the revision as printed.

    Pass ``mark=False`` for an on-screen preview that is not handed to anyone.
    """
    data = handout_data(db, revision_id, now=now, library=library)
    pdf = render_plan_handout(data, out)
    if mark:
        # Freeze exactly what was rendered: a save in between is refused, not frozen.
        mark_printed(db, revision_id, now=now, expected_version=data.plan.version)
    return pdf


@operation(
    "appointment_card_pdf",
    patient=by_patient,
    access="print",
    entity="patients",
    record="patient_id",
)
def appointment_card_pdf(
    db: Database, patient_id: int, *, now: datetime, out: Output = None, limit: int = CARD_LIMIT
) -> bytes:
    """A card with the patient's upcoming appointments (at most ``limit``)."""
    data = load_appointment_card(db, patient_id, now=now, limit=limit)
    return render_appointment_card(data, out)


@operation("day_sheet_pdf", access="print", entity="practitioners", record="practitioner_id")
def day_sheet_pdf(
    db: Database,
    day: date,
    *,
    now: datetime,
    practitioner_id: int | None = None,
    out: Output = None,
) -> bytes:
    """One practitioner's day sheet, or (no practitioner) every practitioner busy that day.

    ``ValueError`` when nobody has appointments that day: there is nothing to print.
    """
    if practitioner_id is not None:
        return render_day_sheet(load_day_sheet(db, practitioner_id, day, now=now), out)
    return render_day_sheet(load_day_sheets(db, day, now=now), out)


@operation(
    "receipt_pdf", patient=by_invoice, access="print", entity="invoices", record="invoice_id"
)
def receipt_pdf(db: Database, invoice_id: int, *, now: datetime, out: Output = None) -> bytes:
    """The receipt (or, while something is owed, the invoice) for an insurance claim."""
    return render_receipt(load_receipt(db, invoice_id, now=now), out)


@operation(
    "consent_pdf", patient=by_patient, access="print", entity="consents", record="consent_id"
)
def consent_pdf(
    db: Database, patient_id: int, consent_id: int | None = None, *, out: Output = None
) -> bytes:
    """The patient's signed consent (the latest, or ``consent_id``) with the signature, the
    names and the date; ``NotFound`` when there is none."""
    return render_consent(load_consent(db, patient_id, consent_id), get_clinic(db), out)


@operation("money_day_sheet_pdf", access="print", entity="money_day_closes")
def money_day_sheet_pdf(db: Database, day: date, *, now: datetime, out: Output = None) -> bytes:
    """The day sheet for the money of clinic day ``day``."""
    return render_money_sheet(money_day_sheet(db, day, now=now), out)


@operation("money_day_sheet_csv", access="export", entity="money_day_closes")
def money_day_sheet_csv(db: Database, day: date, path: Path, *, now: datetime) -> int:
    """Write the day sheet for the money to ``path`` as CSV (readable by its owner only, as
    it names patients); the number of entries."""
    sheet = money_day_sheet(db, day, now=now)
    create_private_file(path)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(money_day_csv(sheet))
    return len(sheet.payments) + len(sheet.refunds) + len(sheet.voids)


@operation(
    "statement_pdf", patient=by_patient, access="print", entity="patients", record="patient_id"
)
def statement_pdf(
    db: Database, patient_id: int, year: int, *, now: datetime, out: Output = None
) -> bytes:
    """The patient's statement of paid services in calendar year ``year``."""
    return render_statement(load_statement(db, patient_id, year, now=now), out)


@operation("day_receipts")
def day_receipts(db: Database, day: date) -> list[int]:
    """The invoices issued on clinic day ``day`` and still valid, in number order: the receipts
    a batch print of the day makes."""
    with db.read() as s:
        return list(
            s.scalars(
                select(Invoice.id)
                .where(Invoice.issued_on == day, Invoice.status == "issued")
                .order_by(Invoice.number)
            )
        )
