"""Money at the desk: fees by date, tax per line, invoices voided and reissued, split payments,
credit on account and refunds, all exact to the cent (issue 17)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from frontdesk.billing import (
    LineInput,
    MissedVisitPolicy,
    PaymentMethod,
    ProductLine,
    Tender,
    add_product,
    apply_credit,
    charge_missed_visit,
    check_out,
    get_invoice,
    line_tax,
    patient_balance,
    patient_billing_history,
    refund_payment,
    reissue_invoice,
    set_fee,
    set_missed_visit_fees,
    take_payment,
    void_invoice,
)
from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, AuditEvent
from frontdesk.domain import InvalidTransition, PermissionDenied, Role, ValidationError
from tests.accounts_support import as_role
from tests.unit.billing_support import (
    ACUPUNCTURE_FEE,
    add_massage_type,
    price_list,
    visit,
)
from tests.unit.test_scheduling_support import MONDAY, Clinic

NOW = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)  # Monday 11:00 in Edmonton, after the visit
CASH, DEBIT, CARD = PaymentMethod.CASH, PaymentMethod.DEBIT, PaymentMethod.CREDIT_CARD


@pytest.fixture
def massage(db: Database, clinic: Clinic) -> int:
    type_id = add_massage_type(db)
    price_list(db, clinic, type_id)
    return type_id


def test_tax_is_rounded_half_up_on_each_line() -> None:
    assert line_tax(1010, 500) == 51  # 50.5 cents: half-up, not to even
    assert line_tax(1030, 500) == 52  # 51.5
    assert line_tax(3999, 500) == 200  # 199.95
    assert line_tax(8500, 0) == 0


def test_an_acupuncture_visit_is_gst_exempt(db: Database, clinic: Clinic, massage: int) -> None:
    invoice = check_out(db, visit(db, clinic, clinic.acupuncture), now=NOW)
    assert (invoice.subtotal_cents, invoice.tax_cents, invoice.total_cents) == (8500, 0, 8500)
    assert invoice.number == 1 and invoice.service_date == MONDAY
    assert invoice.lines[0].description == "Acupuncture treatment"
    assert invoice.lines[0].duration_minutes == 45
    with db.read() as s:  # checking out completed the visit
        assert s.scalar(select(Appointment.status)) == "completed"


def test_physiotherapy_is_exempt_and_massage_and_products_carry_gst(
    db: Database, clinic: Clinic, massage: int
) -> None:
    set_fee(db, clinic.physio_type, 9000, effective_from=date(2020, 1, 1))
    physio = check_out(
        db, visit(db, clinic, clinic.physio_type, practitioner=clinic.physio), now=NOW
    )
    assert (physio.tax_cents, physio.total_cents) == (0, 9000)
    brace = add_product(db, "Wrist brace", 3999)
    invoice = check_out(
        db,
        visit(db, clinic, massage, hour=10),
        now=NOW,
        products=[ProductLine(brace.id)],
    )
    assert [line.tax_cents for line in invoice.lines] == [475, 200]
    assert (invoice.subtotal_cents, invoice.tax_cents, invoice.total_cents) == (
        13499,
        675,
        14174,
    )


def test_a_mixed_visit_taxes_only_the_taxable_lines_each_rounded(
    db: Database, clinic: Clinic, massage: int
) -> None:
    heat = add_product(db, "Heat pack", 1010)
    invoice = check_out(
        db,
        visit(db, clinic, clinic.acupuncture),
        now=NOW,
        products=[ProductLine(heat.id, 2)],
    )
    # 2 × $10.10 = $20.20 at 5% = 101 cents on the line (the line is rounded, not each pack)
    assert [(line.amount_cents, line.tax_cents) for line in invoice.lines] == [
        (ACUPUNCTURE_FEE, 0),
        (2020, 101),
    ]
    assert invoice.total_cents == ACUPUNCTURE_FEE + 2020 + 101
    assert all(isinstance(v, int) for v in (invoice.total_cents, invoice.tax_cents))


def test_a_price_change_applies_from_its_date_and_never_rewrites_an_invoice(
    db: Database, clinic: Clinic, massage: int
) -> None:
    before = check_out(db, visit(db, clinic, clinic.acupuncture), now=NOW)
    set_fee(db, clinic.acupuncture, 9500, effective_from=date(2026, 3, 3))
    set_fee(
        db, clinic.acupuncture, 11000, effective_from=date(2026, 3, 3), practitioner_id=clinic.acu
    )
    assert get_invoice(db, before.id).total_cents == ACUPUNCTURE_FEE
    tuesday = date(2026, 3, 3)
    senior = check_out(db, visit(db, clinic, clinic.acupuncture, day=tuesday), now=NOW)
    other = check_out(
        db,
        visit(
            db,
            clinic,
            clinic.acupuncture,
            day=tuesday,
            practitioner=clinic.physio,
            patient=clinic.bob,
        ),
        now=NOW,
    )
    assert (senior.total_cents, other.total_cents) == (11000, 9500)


def test_a_visit_is_invoiced_once_and_only_after_it_took_place(
    db: Database, clinic: Clinic, massage: int
) -> None:
    appointment = visit(db, clinic, clinic.acupuncture)
    check_out(db, appointment, now=NOW)
    with pytest.raises(InvalidTransition, match="already has invoice 1"):
        check_out(db, appointment, now=NOW)
    booked = visit(db, clinic, clinic.acupuncture, hour=14, status="booked")
    with pytest.raises(InvalidTransition, match="check the patient in first"):
        check_out(db, booked, now=NOW)
    no_fee = visit(db, clinic, clinic.physio_type, hour=15)
    with pytest.raises(ValidationError, match="No fee is set for Physiotherapy"):
        check_out(db, no_fee, now=NOW)
    with db.read() as s:  # the refused check-out took no invoice number
        assert s.scalar(select(Appointment.status).where(Appointment.id == no_fee)) == "completed"
    assert check_out(db, visit(db, clinic, clinic.acupuncture, hour=16), now=NOW).number == 2


def test_void_and_reissue_keep_both_invoices_visible(
    db: Database, clinic: Clinic, massage: int
) -> None:
    first = check_out(db, visit(db, clinic, massage), now=NOW)
    with pytest.raises(ValidationError):
        void_invoice(db, first.id, "  ", now=NOW)
    with pytest.raises(InvalidTransition, match="void it with a reason"):
        reissue_invoice(db, first.id, now=NOW)
    void = void_invoice(db, first.id, "Wrong service: was acupuncture", now=NOW)
    assert void.status == "void" and void.outstanding_cents == 0
    second = reissue_invoice(
        db,
        first.id,
        now=NOW,
        lines=[LineInput("Acupuncture treatment", 8500, "exempt", duration_minutes=45)],
    )
    assert (second.number, second.reissue_of_id, second.total_cents) == (2, first.id, 8500)
    assert get_invoice(db, first.id).reissued_as_id == second.id
    with pytest.raises(InvalidTransition, match="already reissued as 2"):
        reissue_invoice(db, first.id, now=NOW)
    history = patient_billing_history(db, clinic.ann)
    assert [(h.kind, h.reference) for h in history] == [
        ("void invoice", "Invoice 1"),
        ("invoice", "Invoice 2"),
    ]
    assert "void: Wrong service" in history[0].description
    assert "reissues invoice 1" in history[1].description
    assert patient_balance(db, clinic.ann).balance_cents == 8500


def test_a_split_payment_and_a_refund_keep_the_balance_exact(
    db: Database, clinic: Clinic, massage: int
) -> None:
    invoice = check_out(db, visit(db, clinic, massage), now=NOW)
    assert invoice.total_cents == 9975
    paid = take_payment(
        db, clinic.ann, [Tender(CASH, 5000), Tender(DEBIT, 6000)], invoice_id=invoice.id, now=NOW
    )
    assert (paid.applied_cents, paid.credit_cents) == (9975, 1025)
    assert get_invoice(db, invoice.id).outstanding_cents == 0
    balance = patient_balance(db, clinic.ann)
    assert (balance.balance_cents, balance.credit_cents, balance.unpaid_invoices) == (
        -1025,
        1025,
        0,
    )
    cash, debit = paid.payments
    with pytest.raises(ValidationError, match=r"Only \$0.00 of this payment"):
        refund_payment(db, cash.id, 100, "Overpaid", now=NOW)
    with pytest.raises(ValidationError, match="Say why"):
        refund_payment(db, debit.id, 1025, "", now=NOW)
    refund = refund_payment(db, debit.id, 1025, "Overpaid at the desk", now=NOW)
    assert (refund.amount_cents, refund.method) == (-1025, DEBIT)
    balance = patient_balance(db, clinic.ann)
    assert (balance.invoiced_cents, balance.paid_cents) == (9975, 9975)
    assert (balance.balance_cents, balance.credit_cents) == (0, 0)
    assert [h.amount_cents for h in patient_billing_history(db, clinic.ann)] == [
        9975,
        -5000,
        -6000,
        1025,
    ]


def test_a_payment_on_account_pays_a_later_invoice(
    db: Database, clinic: Clinic, massage: int
) -> None:
    take_payment(db, clinic.ann, [Tender(PaymentMethod.E_TRANSFER, 10000)], now=NOW)
    assert patient_balance(db, clinic.ann).credit_cents == 10000
    invoice = check_out(db, visit(db, clinic, clinic.acupuncture), now=NOW)
    assert patient_balance(db, clinic.ann).unpaid_invoices == 1
    paid = apply_credit(db, invoice.id, now=NOW + timedelta(days=1))
    assert paid.outstanding_cents == 0 and paid.allocations[0].from_credit
    balance = patient_balance(db, clinic.ann)
    assert (balance.balance_cents, balance.credit_cents, balance.unpaid_invoices) == (
        -1500,
        1500,
        0,
    )


def test_voiding_a_paid_invoice_returns_the_money_to_credit_for_the_reissue(
    db: Database, clinic: Clinic, massage: int
) -> None:
    first = check_out(db, visit(db, clinic, massage), now=NOW)
    take_payment(db, clinic.ann, [Tender(CARD, 9975)], invoice_id=first.id, now=NOW)
    void_invoice(db, first.id, "Patient's name misspelled", now=NOW)
    assert patient_balance(db, clinic.ann).credit_cents == 9975
    second = apply_credit(db, reissue_invoice(db, first.id, now=NOW).id, now=NOW)
    assert second.outstanding_cents == 0 and second.paid_cents == 9975
    assert get_invoice(db, first.id).paid_cents == 0
    balance = patient_balance(db, clinic.ann)
    assert (balance.balance_cents, balance.credit_cents) == (0, 0)


def test_missed_visit_fees_follow_the_clinic_policy_and_the_late_cancel_flag(
    db: Database, clinic: Clinic, massage: int
) -> None:
    no_show = visit(db, clinic, clinic.acupuncture, status="no_show")
    late = visit(db, clinic, massage, hour=10, status="cancelled", late=True)
    early = visit(db, clinic, massage, hour=11, status="cancelled", late=False)
    with pytest.raises(InvalidTransition, match="does not charge a no-show fee"):
        charge_missed_visit(db, no_show, now=NOW)
    set_missed_visit_fees(db, MissedVisitPolicy(True, 4000, True, 5000))
    fee = charge_missed_visit(db, no_show, now=NOW)
    assert (fee.kind, fee.total_cents) == ("no_show", 5000)
    assert fee.lines[0].description == "No-show fee: Acupuncture treatment"
    late_fee = charge_missed_visit(db, late, now=NOW)
    assert (late_fee.kind, late_fee.tax_cents, late_fee.total_cents) == (
        "late_cancellation",
        200,
        4200,
    )
    with pytest.raises(InvalidTransition, match="Only a no-show or a late cancellation"):
        charge_missed_visit(db, early, now=NOW)


def test_money_is_handled_at_the_desk_and_recorded_in_the_audit_trail(
    db: Database, clinic: Clinic, massage: int
) -> None:
    appointment = visit(db, clinic, clinic.acupuncture)
    practitioner = as_role(db, Role.PRACTITIONER, practitioner_id=clinic.acu)
    with pytest.raises(PermissionDenied, match="may not handle invoices and payments"):
        check_out(practitioner, appointment, now=NOW)
    reception = as_role(db, Role.RECEPTION)
    invoice = check_out(reception, appointment, now=NOW)
    take_payment(reception, clinic.ann, [Tender(CASH, 8500)], invoice_id=invoice.id, now=NOW)
    assert patient_balance(practitioner, clinic.ann).balance_cents == 0
    with db.read() as s:
        rows = s.execute(
            select(AuditEvent.action, AuditEvent.entity, AuditEvent.patient_id).where(
                AuditEvent.action.in_(("check_out", "take_payment"))
            )
        ).all()
    assert ("check_out", "invoices", clinic.ann) in rows
    assert ("take_payment", "payments", clinic.ann) in rows


def test_check_out_records_the_money_received_with_its_invoice(
    db: Database, clinic: Clinic, massage: int
) -> None:
    invoice = check_out(
        db, visit(db, clinic, massage), now=NOW, tenders=[Tender(CASH, 5000), Tender(DEBIT, 6000)]
    )
    assert (invoice.total_cents, invoice.paid_cents, invoice.outstanding_cents) == (9975, 9975, 0)
    balance = patient_balance(db, clinic.ann)
    assert (balance.balance_cents, balance.credit_cents) == (-1025, 1025)


def test_a_check_out_whose_payment_fails_leaves_no_invoice_and_can_be_done_again(
    db: Database, clinic: Clinic, massage: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The desk is never left with an issued invoice it cannot check out or pay again."""
    appointment = visit(db, clinic, massage)
    with pytest.raises(ValidationError, match="above zero"):
        check_out(db, appointment, now=NOW, tenders=[Tender(CASH, 0)])
    assert patient_billing_history(db, clinic.ann) == []

    import frontdesk.billing.invoices as invoices

    def payment_fails(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database went away while the payment was written")

    monkeypatch.setattr(invoices, "record_tenders", payment_fails)
    with pytest.raises(RuntimeError):
        check_out(db, appointment, now=NOW, tenders=[Tender(DEBIT, 9975)])
    assert patient_billing_history(db, clinic.ann) == []
    monkeypatch.undo()

    invoice = check_out(db, appointment, now=NOW, tenders=[Tender(DEBIT, 9975)])
    assert (invoice.number, invoice.outstanding_cents) == (1, 0)
