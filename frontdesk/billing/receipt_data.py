"""Everything a receipt prints, loaded in one read: what an insurer checks on a claim.

Clinic name, address and GST number; the practitioner's name, profession and registration
number; the patient; the date, description and length of the service; amounts, tax, what was
paid and how, and the balance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from frontdesk.accounts.operation import operation
from frontdesk.billing.invoices import by_invoice, invoice_view
from frontdesk.billing.types import InvoiceView
from frontdesk.clinic import ClinicInfo, load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import ClinicSettings, Invoice, Patient, Practitioner
from frontdesk.domain import NotFound
from frontdesk.names import display_name


@dataclass(frozen=True)
class ReceiptData:
    clinic: ClinicInfo
    gst_number: str
    invoice: InvoiceView
    patient_name: str  # the name on the patient's record, as an insurer matches it
    patient_birth_date: date
    patient_address: str
    practitioner_name: str
    practitioner_credentials: str
    profession: str
    registration_number: str
    replaces_number: int | None  # the voided invoice this one reissues
    reissued_as_number: int | None
    printed_at: datetime


@operation("load_receipt", patient=by_invoice)
def load_receipt(db: Database, invoice_id: int, *, now: datetime) -> ReceiptData:
    with db.read() as s:
        invoice = s.get(Invoice, invoice_id)
        if invoice is None:
            raise NotFound("This invoice does not exist.")
        clinic = load_clinic(s)
        settings = s.get(ClinicSettings, 1)
        patient = s.get(Patient, invoice.patient_id)
        assert settings is not None and patient is not None
        practitioner = (
            s.get(Practitioner, invoice.practitioner_id) if invoice.practitioner_id else None
        )
        view = invoice_view(s, invoice)

        def number_of(row_id: int | None) -> int | None:
            if row_id is None:
                return None
            return s.scalar(select(Invoice.number).where(Invoice.id == row_id))

        return ReceiptData(
            clinic=clinic,
            gst_number=settings.gst_number,
            invoice=view,
            patient_name=display_name(patient.given_name, patient.family_name),
            patient_birth_date=patient.date_of_birth,
            patient_address=patient.address,
            practitioner_name=practitioner.display_name if practitioner else "",
            practitioner_credentials=practitioner.credentials if practitioner else "",
            profession=practitioner.profession if practitioner else "",
            registration_number=practitioner.registration_number if practitioner else "",
            replaces_number=number_of(view.reissue_of_id),
            reissued_as_number=number_of(view.reissued_as_id),
            printed_at=now.astimezone(clinic.tz),
        )
