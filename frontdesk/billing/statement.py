"""A patient's yearly statement: every paid service of a calendar year, for insurance claims
and the medical expense tax credit.

One row per invoice for a service (a visit, or products sold at the desk) whose date of service
falls in the year, that is not void and has money paid on it: the date, what was done and for
how long, the practitioner with their profession and registration number, the amount, GST and
what was paid. Missed-visit fees are left out: no plan pays them and they are not a medical
expense. Void invoices are left out as well; their reissues carry the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from frontdesk.accounts.operation import by_patient, operation
from frontdesk.billing.invoices import invoice_view
from frontdesk.clinic import ClinicInfo, load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import ClinicSettings, Invoice, Patient, Practitioner
from frontdesk.domain import NotFound, ValidationError
from frontdesk.names import display_name
from frontdesk.patients.chart import chart_label
from frontdesk.timefmt import fmt_date


@dataclass(frozen=True)
class StatementRow:
    invoice_number: int
    service_date: date
    services: tuple[str, ...]  # "Acupuncture treatment, 45 min"; "Wrist brace × 2"
    practitioner_name: str  # with credentials: "Dr Mei Lin, R.Ac."
    profession: str
    registration_number: str
    total_cents: int  # with tax
    tax_cents: int
    paid_cents: int
    paid_how: str  # "Debit 2 Mar 2026; Credit card 2 Mar 2026"


@dataclass(frozen=True)
class StatementData:
    clinic: ClinicInfo
    gst_number: str
    year: int
    patient_name: str
    chart: str
    patient_birth_date: date
    patient_address: str
    rows: tuple[StatementRow, ...]
    printed_at: datetime  # clinic time

    @property
    def total_cents(self) -> int:
        return sum(r.total_cents for r in self.rows)

    @property
    def tax_cents(self) -> int:
        return sum(r.tax_cents for r in self.rows)

    @property
    def paid_cents(self) -> int:
        return sum(r.paid_cents for r in self.rows)


def check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationError.single("year", f"Give a calendar year such as 2026 (not {year}).")


@operation("load_statement", patient=by_patient)
def load_statement(db: Database, patient_id: int, year: int, *, now: datetime) -> StatementData:
    check_year(year)
    with db.read() as s:
        patient = s.get(Patient, patient_id)
        if patient is None:
            raise NotFound("This patient no longer exists.")
        clinic = load_clinic(s)
        settings = s.get(ClinicSettings, 1)
        assert settings is not None
        practitioners = {p.id: p for p in s.scalars(select(Practitioner))}
        invoices = s.scalars(
            select(Invoice)
            .where(
                Invoice.patient_id == patient_id,
                Invoice.status == "issued",
                Invoice.kind.in_(("visit", "sale")),
                Invoice.service_date >= date(year, 1, 1),
                Invoice.service_date <= date(year, 12, 31),
            )
            .order_by(Invoice.service_date, Invoice.number)
        )
        rows = []
        for invoice in invoices:
            view = invoice_view(s, invoice)
            if view.paid_cents <= 0:
                continue
            who = practitioners.get(invoice.practitioner_id or 0)
            name = ""
            if who is not None:
                name = who.display_name + (f", {who.credentials}" if who.credentials else "")
            services = tuple(
                line.description
                + (f", {line.duration_minutes} min" if line.duration_minutes else "")
                + (f" \u00d7 {line.quantity}" if line.quantity > 1 else "")
                for line in view.lines
            )
            paid_how = "; ".join(
                f"{'Account credit' if a.from_credit else a.method} {fmt_date(a.received_on)}"
                for a in view.allocations
                if a.amount_cents > 0
            )
            assert view.service_date is not None
            rows.append(
                StatementRow(
                    view.number,
                    view.service_date,
                    services,
                    name,
                    who.profession if who else "",
                    who.registration_number if who else "",
                    view.total_cents,
                    view.tax_cents,
                    view.paid_cents,
                    paid_how,
                )
            )
        return StatementData(
            clinic=clinic,
            gst_number=settings.gst_number,
            year=year,
            patient_name=display_name(patient.given_name, patient.family_name),
            chart=chart_label(patient.id),
            patient_birth_date=patient.date_of_birth,
            patient_address=patient.address,
            rows=tuple(rows),
            printed_at=now.astimezone(clinic.tz),
        )
