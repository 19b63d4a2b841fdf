"""The demo clinic sells a few courses as packages: partly used, one in instalments still
owing, one cancelled with its unused sessions refunded (issue 17, item 4)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from frontdesk.billing import patient_balance, patient_packages
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    CoursePackage,
    Invoice,
    InvoiceLine,
    PackageDraw,
    Payment,
    PaymentAllocation,
)
from frontdesk.demo.packages import CANCEL_REASON
from tests.unit.test_demo import _build


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = _build(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    yield db
    db.dispose()


def test_demo_packages_are_partly_used_and_one_is_refunded(demo: Database) -> None:
    with demo.read() as s:
        packages = list(s.scalars(select(CoursePackage).order_by(CoursePackage.id)))
        assert len(packages) >= 3
        patients = [p.patient_id for p in packages]
        (cancelled,) = [p for p in packages if p.status == "cancelled"]
        assert cancelled.cancel_reason == CANCEL_REASON and (cancelled.credit_cents or 0) > 0
        refund = s.scalar(
            select(func.sum(Payment.amount_cents)).where(
                Payment.patient_id == cancelled.patient_id, Payment.amount_cents < 0
            )
        )
        assert refund == -(cancelled.credit_cents or 0)
        # Every drawn session's visit invoice charges nothing for the visit itself.
        drawn = s.execute(
            select(InvoiceLine.description, InvoiceLine.amount_cents)
            .join(PackageDraw, PackageDraw.invoice_id == InvoiceLine.invoice_id)
            .where(InvoiceLine.position == 1)
        ).all()
        assert drawn and all(amount == 0 and "package session" in text for text, amount in drawn)
        # Every invoice still adds up and the invoice numbers have no gap.
        numbers = list(s.scalars(select(Invoice.number).order_by(Invoice.number)))
        assert numbers == list(range(1, len(numbers) + 1))
        overpaid = s.scalar(
            select(func.count())
            .select_from(Invoice)
            .where(
                Invoice.total_cents
                < select(func.coalesce(func.sum(PaymentAllocation.amount_cents), 0))
                .where(PaymentAllocation.invoice_id == Invoice.id)
                .scalar_subquery()
            )
        )
        assert overpaid == 0
    views = [v for p in patients for v in patient_packages(demo, p)]
    active = [v for v in views if v.usage.status == "active"]
    assert active and all(0 < v.usage.used < v.usage.sessions for v in active)
    owing = [patient_balance(demo, p).balance_cents for p in patients]
    assert any(b > 0 for b in owing)  # the package paid only in part
