"""Check-out from the calendar: invoice, payment and receipt in at most four user actions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from sqlalchemy import select

from frontdesk.billing import PaymentMethod, patient_balance
from frontdesk.db.models import Appointment, Invoice, Payment
from frontdesk.reports import receipt_pdf
from frontdesk.scheduling import check_in
from frontdesk.ui.billing.checkout_dialog import CheckOutDialog
from frontdesk.ui.printing import PdfPreviewDialog
from tests.ui.answers import wait_for_answers
from tests.ui.test_calendar import CLOCK, Actions, book, when_modal
from tests.unit.billing_support import price_list
from tests.unit.test_billing_receipt import text_of


def _checked_in_visit(db, clinic):  # type: ignore[no-untyped-def]
    price_list(db, clinic, clinic.physio_type)
    appt = book(db, clinic.ann, clinic.acu, clinic.acupuncture, 9, room=clinic.room1)
    check_in(db, appt.id, now=CLOCK)
    return appt


def test_check_out_takes_three_actions_from_the_calendar(qtbot, calendar_page, clinic, db) -> None:  # type: ignore[no-untyped-def]
    appt = _checked_in_visit(db, clinic)
    calendar_page.reload()
    wait_for_answers()  # the calendar reads on a worker
    actions = Actions()
    seen: list[str] = []

    failures: list[BaseException] = []

    def in_dialog(dialog: QWidget) -> None:
        try:
            assert isinstance(dialog, CheckOutDialog)
            qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=5000)
            seen.append(dialog.lines.text())
            assert dialog.amount.text() == "85.00", dialog.amount.text()
            assert dialog.method.currentData() == PaymentMethod.DEBIT
            actions.click(dialog.save_button)  # 3: Check out
        except BaseException as exc:  # a failed check must not leave the dialog blocking
            failures.append(exc)
            dialog.done(0)

    calendar_page.view.calendar_scene.select(appt.id)
    actions.count += 1  # 1: a click on the visit selects it
    when_modal(qtbot, in_dialog)
    actions.key(calendar_page.view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)  # 2
    assert failures == []
    qtbot.waitUntil(lambda: isinstance(calendar_page.last_preview, PdfPreviewDialog), timeout=10000)
    assert actions.count == 3
    assert seen and "Acupuncture treatment" in seen[0] and "$85.00" in seen[0]
    with db.read() as s:
        assert s.scalar(select(Appointment.status).where(Appointment.id == appt.id)) == "completed"
        invoice = s.execute(select(Invoice.id, Invoice.number, Invoice.total_cents)).one()
        payment = s.execute(select(Payment.method, Payment.amount_cents)).one()
    assert (invoice.number, invoice.total_cents) == (1, 8500)
    assert tuple(payment) == ("debit", 8500)
    assert patient_balance(db, clinic.ann).balance_cents == 0
    preview = calendar_page.last_preview
    assert "Receipt: Ann Smith, invoice 1" in preview.windowTitle()
    receipt = text_of(receipt_pdf(db, invoice.id, now=CLOCK))  # what the preview shows
    assert "Paid by Debit" in receipt and "Balance due $0.00" in receipt
    assert "Checked out Ann Smith: invoice 1, $85.00, $85.00 paid by Debit." in (
        calendar_page.message_bar.text()
    )
    preview.close()


def test_a_wrong_amount_is_refused_at_the_field_and_nothing_is_issued(qtbot, db, clinic) -> None:  # type: ignore[no-untyped-def]
    from frontdesk.context import AppContext
    from frontdesk.scheduling import get_appointment
    from tests.unit.test_scheduling_support import TZ

    appt = _checked_in_visit(db, clinic)
    dialog = CheckOutDialog(
        None, AppContext(db=db, clock=lambda: CLOCK), get_appointment(db, appt.id), TZ
    )
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=5000)
    dialog.amount.setText("eighty")
    assert dialog.save() is False
    assert "Enter an amount in dollars" in dialog.error_text("amount")
    with db.read() as s:
        assert s.scalars(select(Invoice)).all() == []
