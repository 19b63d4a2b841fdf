"""Day-end at the desk (issue 17): the day's money on screen, printed, closed; a patient's
receipts and yearly statement printed from the patient hub."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from frontdesk.billing import PaymentMethod, Tender, take_payment
from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.db.models import MoneyDayClose
from frontdesk.domain import InvalidTransition
from frontdesk.ui.billing.dayend_dialog import DayEndDialog
from frontdesk.ui.billing.papers_dialog import PatientPapersDialog
from frontdesk.ui.printing import PdfPreviewDialog
from tests.unit.test_billing_dayend import EVENING, busy_monday
from tests.unit.test_scheduling_support import MONDAY, Clinic


def test_the_day_end_dialog_shows_prints_and_closes_the_day(  # type: ignore[no-untyped-def]
    qtbot, db: Database, clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    busy_monday(db, clinic)
    ctx = AppContext(db, clock=lambda: EVENING)
    dialog = DayEndDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.sheet is not None, timeout=10000)
    assert dialog.day == MONDAY  # today where the clinic is, found on the worker
    text = dialog.summary.text()
    assert "Net $" in text and "Dr Mei Lin" in text and "Cash" in text
    assert "Not closed" in dialog.status.text()
    dialog.print_button.click()
    qtbot.waitUntil(lambda: isinstance(getattr(dialog, "preview", None), PdfPreviewDialog))
    dialog.preview.close()

    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    dialog.close_day_button.click()
    qtbot.waitUntil(lambda: "Closed" in dialog.status.text(), timeout=10000)
    assert not dialog.close_day_button.isEnabled()
    with db.read() as s:
        assert s.scalar(select(MoneyDayClose.day)) == MONDAY
    with pytest.raises(InvalidTransition, match="was closed"):
        take_payment(
            db, clinic.bob, [Tender(PaymentMethod.CASH, 100)], now=EVENING + timedelta(minutes=5)
        )


def test_receipts_and_statement_print_from_the_patient_hub_dialog(  # type: ignore[no-untyped-def]
    qtbot, db: Database, clinic: Clinic
) -> None:
    busy_monday(db, clinic)
    ctx = AppContext(db, clock=lambda: EVENING)
    dialog = PatientPapersDialog(ctx, clinic.ann, "Ann Smith")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.receipt_button.isEnabled(), timeout=10000)
    assert "Invoice 1" in dialog.invoices.item(0).text()
    dialog.receipt_button.click()
    qtbot.waitUntil(lambda: isinstance(getattr(dialog, "preview", None), PdfPreviewDialog))
    assert "Invoice 1: Ann Smith" in dialog.preview.windowTitle()
    dialog.preview.close()
    dialog.preview = None
    assert dialog.year.value() == 2026
    dialog.statement_button.click()
    qtbot.waitUntil(lambda: isinstance(getattr(dialog, "preview", None), PdfPreviewDialog))
    assert "Statement 2026: Ann Smith" in dialog.preview.windowTitle()
    dialog.preview.close()
