"""Day-end (issue 17, item 6): the day sheet for the money reconciles with the payments table,
and a closed day's money never changes; corrections land on the day they are made."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from frontdesk.billing import (
    PaymentMethod,
    Tender,
    apply_credit,
    check_out,
    refund_payment,
    take_payment,
    void_invoice,
)
from frontdesk.billing.dayend import ON_ACCOUNT, close_money_day, money_day_csv, money_day_sheet
from frontdesk.db.engine import Database
from frontdesk.db.models import AuditEvent, Invoice, MoneyDayClose, Payment
from frontdesk.domain import InvalidTransition, PermissionDenied, Role, ValidationError
from frontdesk.reports.printing import money_day_sheet_pdf
from tests.accounts_support import as_role
from tests.unit.billing_support import visit
from tests.unit.test_billing_receipt import NOW, billed_clinic, text_of
from tests.unit.test_demo import _build
from tests.unit.test_reports_handout import font_names
from tests.unit.test_scheduling_support import MONDAY, TZ, Clinic

TUESDAY = MONDAY + timedelta(days=1)
EVENING = NOW + timedelta(hours=6)  # 17:00 in Edmonton, still Monday


def sql_net(db: Database, day: date) -> tuple[int, int]:
    """The day's net and number of rows, summed straight from the payments table."""
    with db.read() as s:
        row = s.execute(
            select(func.coalesce(func.sum(Payment.amount_cents), 0), func.count(Payment.id)).where(
                Payment.received_on == day
            )
        ).one()
        return int(row[0]), int(row[1])


def busy_monday(db: Database, c: Clinic) -> dict[str, int]:
    """Ann's massage paid by debit and card; Cara's consultation paid cash, then voided;
    Bob pays $50 on account and gets $20 back. The cents the test checks against."""
    first = billed_clinic(db, c)  # checked out and paid at NOW (11:00)
    cara = visit(db, c, c.consult, patient=c.cara, practitioner=c.physio, hour=10)
    second = check_out(
        db, cara, now=NOW + timedelta(minutes=30), tenders=[Tender(PaymentMethod.CASH, 12000)]
    )
    on_account = take_payment(
        db, c.bob, [Tender(PaymentMethod.CASH, 5000)], now=NOW + timedelta(hours=1)
    )
    bob_payment = on_account.payments[0].id
    refund_payment(db, bob_payment, 2000, "Paid twice", now=NOW + timedelta(hours=2))
    void_invoice(db, second.id, "Billed to the wrong patient", now=NOW + timedelta(hours=3))
    with db.read() as s:
        total = s.scalar(select(func.sum(Payment.amount_cents)).where(Payment.patient_id == c.ann))
    return {
        "ann_total": int(total or 0),
        "first": first,
        "second": second.id,
        "bob_payment": bob_payment,
    }


def test_the_day_sheet_reconciles_with_the_payments_table(db: Database, clinic: Clinic) -> None:
    cents = busy_monday(db, clinic)
    sheet = money_day_sheet(db, MONDAY, now=EVENING)
    net, rows = sql_net(db, MONDAY)
    assert sheet.net_cents == net == cents["ann_total"] + 12000 + 5000 - 2000
    assert len(sheet.payments) + len(sheet.refunds) == rows == 5
    assert [m.method for m in sheet.by_method] == ["Cash", "Debit", "Credit card"]
    cash = sheet.by_method[0]
    assert (cash.count, cash.received_cents, cash.refunded_cents) == (2, 17000, 2000)
    assert sum(m.net_cents for m in sheet.by_method) == net
    # By practitioner adds up to the same net; the voided consultation's cash is on account.
    assert dict(sheet.by_practitioner) == {
        "Dr Mei Lin": cents["ann_total"],
        ON_ACCOUNT: 12000 + 5000 - 2000,
    }
    assert [(v.number, v.reason, v.total_cents) for v in sheet.voids] == [
        (2, "Billed to the wrong patient", 12000)
    ]
    assert sheet.refunds[0].reason == "Paid twice"
    assert "cash payment of 2 Mar 2026" in sheet.refunds[0].paid_for
    assert money_day_sheet(db, TUESDAY, now=EVENING).net_cents == 0


def test_the_day_sheet_prints_and_exports_the_same_figures(db: Database, clinic: Clinic) -> None:
    busy_monday(db, clinic)
    sheet = money_day_sheet(db, MONDAY, now=EVENING)
    pdf = money_day_sheet_pdf(db, MONDAY, now=EVENING)
    text = text_of(pdf)
    for expected in (
        "Day sheet (money): Monday 2 March 2026",
        "Not closed.",
        "Billed to the wrong patient",
        "Paid twice",
        "Ann Smith",
        "Dr Mei Lin",
        "-$20.00",
        f"${sheet.net_cents // 100:,}.{sheet.net_cents % 100:02d}",
    ):
        assert expected in text, expected
    fonts = font_names(pdf)
    assert fonts and all(fonts.values()), fonts
    rows = list(csv.reader(io.StringIO(money_day_csv(sheet))))
    kinds = [r[0] for r in rows if r]
    assert kinds.count("Payment") == 4 and kinds.count("Refund") == 1
    assert "Void of invoice 2" in kinds
    net = next(r for r in rows if r and r[0] == "Net total")
    assert net[6] == f"{sheet.net_cents // 100}.{sheet.net_cents % 100:02d}"
    with db.read() as s:
        assert s.scalar(select(AuditEvent.id).where(AuditEvent.action == "money_day_sheet_pdf"))


def test_closing_a_day_freezes_its_money(db: Database, clinic: Clinic) -> None:
    cents = busy_monday(db, clinic)
    before = money_day_sheet(db, MONDAY, now=EVENING)
    closed = close_money_day(db, MONDAY, now=EVENING)
    assert closed.closed and closed.closed_by and closed.net_cents == before.net_cents
    later = EVENING + timedelta(hours=1)  # 18:00, still Monday
    with pytest.raises(InvalidTransition, match="The money for 2 Mar 2026 was closed at 17:00"):
        take_payment(db, clinic.bob, [Tender(PaymentMethod.CASH, 1000)], now=later)
    with pytest.raises(InvalidTransition, match="cannot give a refund dated that day"):
        refund_payment(db, cents["bob_payment"], 1000, "Goodwill", now=later)
    with pytest.raises(InvalidTransition, match="cannot void an invoice dated that day"):
        void_invoice(db, cents["first"], "Wrong type", now=later)
    # Bob's visit is invoiced after the close; his credit cannot pay it with Monday's date.
    bob_visit = check_out(
        db,
        visit(db, clinic, clinic.consult, patient=clinic.bob, practitioner=clinic.physio, hour=14),
        now=later,
    )
    with pytest.raises(InvalidTransition, match="cannot apply credit to an invoice dated"):
        apply_credit(db, bob_visit.id, now=later)
    with pytest.raises(InvalidTransition, match="already closed"):
        close_money_day(db, MONDAY, now=later)
    # The next morning a correction is a new entry dated Tuesday; Monday stays as closed.
    tuesday = NOW + timedelta(days=1)
    refund = refund_payment(db, cents["bob_payment"], 1000, "Goodwill", now=tuesday)
    assert refund.received_on == TUESDAY
    assert apply_credit(db, bob_visit.id, now=tuesday).paid_cents == 2000
    void_invoice(db, cents["first"], "Wrong type", now=tuesday)
    after = money_day_sheet(db, MONDAY, now=tuesday)
    assert after.payments == before.payments and after.refunds == before.refunds
    assert after.by_practitioner == before.by_practitioner and after.voids == before.voids
    assert sql_net(db, MONDAY)[0] == before.net_cents
    tuesday_sheet = money_day_sheet(db, TUESDAY, now=tuesday)
    assert tuesday_sheet.net_cents == -1000 and [v.reason for v in tuesday_sheet.voids] == [
        "Wrong type"
    ]
    with db.read() as s:  # the close is on file and in the audit trail
        assert s.scalar(select(MoneyDayClose.net_cents).where(MoneyDayClose.day == MONDAY)) == (
            before.net_cents
        )
        assert s.scalar(select(AuditEvent.id).where(AuditEvent.action == "close_money_day"))


def test_a_day_to_come_cannot_be_closed_and_practitioners_may_not_close(
    db: Database, clinic: Clinic
) -> None:
    with pytest.raises(ValidationError, match="has not come yet"):
        close_money_day(db, TUESDAY, now=NOW)
    with pytest.raises(PermissionDenied, match="may not close or print the day's money"):
        close_money_day(
            as_role(db, Role.PRACTITIONER, practitioner_id=clinic.acu), MONDAY, now=EVENING
        )
    close_money_day(as_role(db, Role.RECEPTION), MONDAY, now=EVENING)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = _build(Path(tmp_path_factory.mktemp("demo")) / "demo.sqlite3")
    yield db
    db.dispose()


def test_demo_day_sheets_equal_an_independent_sum(demo: Database) -> None:
    with demo.read() as s:
        busiest = list(
            s.scalars(
                select(Payment.received_on)
                .group_by(Payment.received_on)
                .order_by(func.count(Payment.id).desc(), Payment.received_on)
                .limit(3)
            )
        )
        refund_day = s.scalar(
            select(Payment.received_on).where(Payment.amount_cents < 0).order_by(Payment.id)
        )
        voided_at = s.scalar(
            select(Invoice.voided_at).where(Invoice.status == "void").order_by(Invoice.id)
        )
    # The demo has waived fees and refunded credit for the sheet to list.
    assert busiest and refund_day is not None and voided_at is not None
    void_day = voided_at.astimezone(TZ).date()
    assert money_day_sheet(demo, refund_day, now=EVENING).refunds
    assert money_day_sheet(demo, void_day, now=EVENING).voids
    days = [*busiest, refund_day, void_day]
    for day in days:
        sheet = money_day_sheet(demo, day, now=EVENING)
        with demo.read() as s:
            per_method = dict(
                s.execute(
                    select(Payment.method, func.sum(Payment.amount_cents))
                    .where(Payment.received_on == day)
                    .group_by(Payment.method)
                ).all()
            )
        net, rows = sql_net(demo, day)
        assert sheet.net_cents == net and len(sheet.payments) + len(sheet.refunds) == rows
        assert {m.method: m.net_cents for m in sheet.by_method} == {
            PaymentMethod(k).label: int(v) for k, v in per_method.items()
        }
        assert sum(c for _n, c in sheet.by_practitioner) == net
