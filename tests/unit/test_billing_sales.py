"""Products sold at the desk without a visit, and the Settings ▸ Fees services (issue 17)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from frontdesk.billing import (
    MissedVisitPolicy,
    PaymentMethod,
    ProductLine,
    Tender,
    add_product,
    check_out,
    get_missed_visit_fees,
    patient_balance,
    patient_billing_history,
)
from frontdesk.billing.sales import invoice_sale, quote_invoice_sale
from frontdesk.billing.setup import (
    billing_setup,
    set_gst_and_missed_visit_fees,
    unpaid_visit_balances,
    update_product,
)
from frontdesk.db.engine import Database
from frontdesk.db.models import AuditEvent
from frontdesk.domain import NotFound, PermissionDenied, Role, ValidationError
from frontdesk.reports import receipt_pdf
from tests.accounts_support import as_role
from tests.unit.billing_support import price_list, visit
from tests.unit.test_billing import NOW
from tests.unit.test_billing_receipt import text_of
from tests.unit.test_scheduling_support import Clinic


def test_a_sale_without_a_visit_is_invoiced_taxed_paid_and_audited(
    db: Database, clinic: Clinic
) -> None:
    brace = add_product(db, "Wrist brace", 3999, "gst")
    reception = as_role(db, Role.RECEPTION)
    quote = quote_invoice_sale(reception, [ProductLine(brace.id, 2)], now=NOW)
    assert (quote.subtotal_cents, quote.tax_cents, quote.total_cents) == (7998, 400, 8398)
    invoice = invoice_sale(
        reception,
        clinic.ann,
        [ProductLine(brace.id, 2)],
        now=NOW,
        tenders=[Tender(PaymentMethod.CASH, 8398)],
    )
    assert (invoice.kind, invoice.total_cents, invoice.paid_cents) == ("sale", 8398, 8398)
    assert invoice.appointment_id is None and invoice.service_date == date(2026, 3, 2)
    assert patient_balance(db, clinic.ann).balance_cents == 0
    assert [e.status for e in patient_billing_history(db, clinic.ann) if e.invoice_id] == [
        "Paid",
        "",
    ]
    text = text_of(receipt_pdf(db, invoice.id, now=NOW))
    assert "Wrist brace" in text and "$83.98" in text and "Ann" in text
    with db.read() as s:
        actions = set(s.scalars(select(AuditEvent.action)))
    assert {"invoice_sale", "take_payment"} & actions == {"invoice_sale"}


def test_a_sale_needs_a_product_still_sold_and_the_desk(db: Database, clinic: Clinic) -> None:
    heat = add_product(db, "Heat pack", 1495, "gst")
    with pytest.raises(ValidationError, match="at least one product"):
        invoice_sale(db, clinic.ann, [], now=NOW)
    update_product(db, heat.id, price_cents=1495, tax_code="gst", active=False)
    with pytest.raises(NotFound, match="no longer sold"):
        invoice_sale(db, clinic.ann, [ProductLine(heat.id)], now=NOW)
    practitioner = as_role(db, Role.PRACTITIONER, practitioner_id=clinic.acu)
    with pytest.raises(PermissionDenied, match="may not handle invoices and payments"):
        invoice_sale(practitioner, clinic.ann, [ProductLine(heat.id)], now=NOW)


def test_the_fees_tab_services_save_together_or_not_at_all(db: Database, clinic: Clinic) -> None:
    with pytest.raises(ValidationError) as refused:
        set_gst_and_missed_visit_fees(
            db, "123456789 RT0001", MissedVisitPolicy(True, -1, True, 4000)
        )
    assert set(refused.value.errors) == {"late_cancel_fee_cents"}
    assert billing_setup(db).gst_number == ""  # nothing saved
    set_gst_and_missed_visit_fees(db, "123456789 rt0001", MissedVisitPolicy(True, 3000, False, 0))
    assert billing_setup(db).gst_number == "123456789 RT0001"
    assert get_missed_visit_fees(db).late_cancel_fee_cents == 3000
    reception = as_role(db, Role.RECEPTION)
    with pytest.raises(PermissionDenied, match="may not set the clinic's fees and prices"):
        set_gst_and_missed_visit_fees(reception, "", MissedVisitPolicy(False, 0, False, 0))
    rates = billing_setup(db).tax_rates
    assert ("gst", 500) in {(r.tax_code, r.basis_points) for r in rates}


def test_unpaid_visit_balances_names_only_visits_still_owing(db: Database, clinic: Clinic) -> None:
    price_list(db, clinic, clinic.physio_type)
    paid, owing, not_billed = (visit(db, clinic, clinic.acupuncture, hour=h) for h in (9, 10, 11))
    check_out(db, paid, now=NOW, tenders=[Tender(PaymentMethod.DEBIT, 8500)])
    check_out(db, owing, now=NOW, tenders=[Tender(PaymentMethod.DEBIT, 2000)])
    assert unpaid_visit_balances(db, [paid, owing, not_billed]) == {owing: 6500}
    assert unpaid_visit_balances(db, []) == {}
