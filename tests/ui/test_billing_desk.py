"""Money where the desk looks: the calendar marks a completed visit not yet paid, and the chart
and the Patients page show the balance and history, with each receipt a click away."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QToolBar

from frontdesk.billing import PaymentMethod, Tender, add_product, check_out, take_payment
from frontdesk.context import AppContext
from frontdesk.domain import Role
from frontdesk.ui.billing.papers_dialog import PatientPapersDialog
from frontdesk.ui.billing.sale_dialog import SaleDialog
from frontdesk.ui.calendar import CalendarPage
from frontdesk.ui.practice.chart import PatientChartWindow
from frontdesk.ui.printing import PdfPreviewDialog
from frontdesk.ui.widgets.patients_page import PatientsPage  # imported before any test runs
from tests.accounts_support import as_role
from tests.ui.answers import wait_for_answers
from tests.ui.test_calendar import CLOCK, when_modal
from tests.ui.test_checkout import _checked_in_visit


def test_an_unpaid_completed_visit_is_marked_until_it_is_paid(
    qtbot, calendar_page, clinic, db
) -> None:  # type: ignore[no-untyped-def]
    appt = _checked_in_visit(db, clinic)
    invoice = check_out(db, appt.id, now=CLOCK)  # checked out, nothing paid yet
    calendar_page.reload()
    wait_for_answers()  # the calendar reads on a worker
    block = calendar_page.view.calendar_scene.blocks[appt.id]
    assert block.owing_cents == 8500
    assert "Unpaid: $85.00" in block.toolTip()
    take_payment(
        db, clinic.ann, [Tender(PaymentMethod.CASH, 5000)], now=CLOCK, invoice_id=invoice.id
    )
    calendar_page.reload()
    wait_for_answers()  # the calendar reads on a worker
    block = calendar_page.view.calendar_scene.blocks[appt.id]
    assert "Unpaid: $35.00" in block.toolTip()  # part paid: what is still owed
    take_payment(
        db, clinic.ann, [Tender(PaymentMethod.DEBIT, 3500)], now=CLOCK, invoice_id=invoice.id
    )
    calendar_page.reload_in_background()  # as after another desk's change
    qtbot.waitUntil(
        lambda: calendar_page.view.calendar_scene.blocks[appt.id].owing_cents == 0, timeout=5000
    )
    assert "Unpaid" not in calendar_page.view.calendar_scene.blocks[appt.id].toolTip()


def test_a_practitioner_sees_the_calendar_without_money_marks(qtbot, db, clinic) -> None:  # type: ignore[no-untyped-def]
    appt = _checked_in_visit(db, clinic)
    check_out(db, appt.id, now=CLOCK)
    ctx = AppContext(
        db=as_role(db, Role.PRACTITIONER, practitioner_id=clinic.acu), clock=lambda: CLOCK
    )
    page = CalendarPage(ctx, QUndoStack())
    qtbot.addWidget(page)
    page.reload()
    wait_for_answers()
    assert page.view.calendar_scene.blocks[appt.id].owing_cents == 0


def test_the_chart_shows_the_balance_and_history_after_a_check_out(qtbot, db, clinic) -> None:  # type: ignore[no-untyped-def]
    appt = _checked_in_visit(db, clinic)
    check_out(
        db, appt.id, now=CLOCK, tenders=[Tender(PaymentMethod.CREDIT_CARD, 5000)]
    )  # $85.00 visit, $50.00 paid
    chart = PatientChartWindow(AppContext(db=db, clock=lambda: CLOCK), clinic.ann)
    qtbot.addWidget(chart)
    wait_for_answers()  # the chart reads on a worker
    account = chart.account
    qtbot.waitUntil(lambda: account.balance is not None, timeout=5000)
    assert account.balance_label.text() == "Owes $35.00 (1 unpaid invoice)"
    rows = [
        [account.tree.topLevelItem(r).text(c) for c in range(4)]
        for r in range(account.tree.topLevelItemCount())
    ]
    assert [r[2:] for r in rows] == [["$50.00", "Received"], ["$85.00", "$35.00 owing"]]
    assert rows[0][1] == "Payment by Credit card"
    assert rows[1][1].startswith("Invoice 1: Visit: Acupuncture treatment")
    account.select_row(0)  # the payment: its receipt is the invoice it paid
    assert account.receipt_button.isEnabled()
    account.receipt_button.click()
    qtbot.waitUntil(lambda: isinstance(account.last_preview, PdfPreviewDialog), timeout=10000)
    assert account.last_preview.windowTitle().startswith("Receipt: invoice 1")
    account.last_preview.close()


def test_a_practitioner_sees_the_balance_but_not_the_payments(qtbot, db, clinic) -> None:  # type: ignore[no-untyped-def]
    appt = _checked_in_visit(db, clinic)
    check_out(db, appt.id, now=CLOCK)
    ctx = AppContext(
        db=as_role(db, Role.PRACTITIONER, practitioner_id=clinic.acu), clock=lambda: CLOCK
    )
    chart = PatientChartWindow(ctx, clinic.ann)
    qtbot.addWidget(chart)
    qtbot.waitUntil(lambda: chart.account.balance is not None, timeout=5000)
    assert chart.account.balance_label.text() == "Owes $85.00 (1 unpaid invoice)"
    assert chart.account.history is None and chart.account.tree.isHidden()
    assert chart.account.sell_button.isHidden() and chart.account.receipt_button.isHidden()


def test_the_patients_page_shows_the_balance_with_the_details(qtbot, db, clinic) -> None:  # type: ignore[no-untyped-def]
    appt = _checked_in_visit(db, clinic)
    invoice = check_out(db, appt.id, now=CLOCK)
    page = PatientsPage(AppContext(db=db, clock=lambda: CLOCK), QUndoStack())
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.show_patient(clinic.ann)
    qtbot.waitUntil(lambda: page.account.patient_id == clinic.ann, timeout=5000)
    qtbot.waitUntil(lambda: page.account.balance is not None, timeout=5000)
    assert page.account.balance_label.text() == "Owes $85.00 (1 unpaid invoice)"
    take_payment(
        db, clinic.ann, [Tender(PaymentMethod.CASH, 10000)], now=CLOCK, invoice_id=invoice.id
    )
    page.database_changed()  # another desk took the payment
    qtbot.waitUntil(
        lambda: page.account.balance_label.text() == "Credit of $15.00 on account", timeout=5000
    )


def test_a_product_is_sold_without_a_visit_from_the_account_panel(qtbot, db, clinic) -> None:  # type: ignore[no-untyped-def]
    add_product(db, "Heat pack", 1495, "gst")
    chart = PatientChartWindow(AppContext(db=db, clock=lambda: CLOCK), clinic.ann)
    qtbot.addWidget(chart)
    wait_for_answers()  # the chart reads on a worker
    account = chart.account
    qtbot.waitUntil(lambda: account.balance is not None, timeout=5000)
    assert not account.sell_button.isHidden()
    failures: list[BaseException] = []

    def in_dialog(dialog) -> None:  # type: ignore[no-untyped-def]
        try:
            assert isinstance(dialog, SaleDialog)
            qtbot.waitUntil(lambda: dialog.add_button.isEnabled(), timeout=5000)
            dialog.quantity.setValue(2)
            dialog.add_button.click()
            qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=5000)
            assert "$29.90" in dialog.lines.text() and "GST $1.50" in dialog.lines.text()
            assert dialog.amount.text() == "31.40"
            dialog.amount.setText("thirty")
            dialog.save_button.click()
            assert "Enter an amount in dollars" in dialog.error_text("amount")
            dialog.amount.setText("20")
            dialog.save_button.click()
        except BaseException as exc:
            failures.append(exc)
            dialog.done(0)

    when_modal(qtbot, in_dialog)
    account.sell_button.click()
    assert failures == []
    qtbot.waitUntil(lambda: isinstance(account.last_preview, PdfPreviewDialog), timeout=10000)
    assert account.last_preview.windowTitle() == "Receipt: invoice 1"
    account.last_preview.close()
    qtbot.waitUntil(
        lambda: account.balance_label.text() == "Owes $11.40 (1 unpaid invoice)", timeout=5000
    )


def _toolbar_texts(chart: PatientChartWindow) -> list[str]:
    return [a.text() for bar in chart.findChildren(QToolBar) for a in bar.actions()]


def test_the_chart_offers_receipts_to_an_administrator_not_a_practitioner(
    qtbot, db, clinic
) -> None:  # type: ignore[no-untyped-def]
    appt = _checked_in_visit(db, clinic)
    check_out(db, appt.id, now=CLOCK)
    chart = PatientChartWindow(AppContext(db=db, clock=lambda: CLOCK), clinic.ann)
    qtbot.addWidget(chart)
    wait_for_answers()  # the chart reads on a worker
    assert "Receipts and statement\u2026" in _toolbar_texts(chart)
    assert chart.papers_action is not None
    chart.papers_action.trigger()
    dialog = chart.findChild(PatientPapersDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.invoices.count() == 1, timeout=5000)
    assert "Invoice 1" in dialog.invoices.item(0).text()
    dialog.close()

    ctx = AppContext(
        db=as_role(db, Role.PRACTITIONER, practitioner_id=clinic.acu), clock=lambda: CLOCK
    )
    theirs = PatientChartWindow(ctx, clinic.ann)
    qtbot.addWidget(theirs)
    wait_for_answers()  # the chart reads on a worker
    assert theirs.papers_action is None
    assert "Receipts and statement\u2026" not in _toolbar_texts(theirs)


def test_a_no_show_is_charged_its_fee_from_the_calendar_as_the_policy_says(
    qtbot, calendar_page, clinic, db
) -> None:  # type: ignore[no-untyped-def]
    from frontdesk.billing import MissedVisitPolicy, set_missed_visit_fees
    from frontdesk.billing.payments import patient_billing_history
    from frontdesk.scheduling import mark_no_show
    from tests.ui.test_calendar import book
    from tests.unit.test_scheduling_support import MONDAY, local

    appt = book(db, clinic.ann, clinic.acu, clinic.acupuncture, 9, room=clinic.room1)
    mark_no_show(db, appt.id, now=local(MONDAY, 10))
    calendar_page.reload()
    wait_for_answers()
    missed = calendar_page.appointment(appt.id)
    assert missed is not None and calendar_page.ops._missed_fee_applies(missed)

    calendar_page.ops.charge_missed_fee(missed)  # the policy charges nothing yet: refused
    wait_for_answers()
    assert "does not charge a no-show fee" in calendar_page.message_bar.text()
    set_missed_visit_fees(db, MissedVisitPolicy(False, 0, True, 4000))
    calendar_page.ops.charge_missed_fee(missed)
    wait_for_answers()
    assert "No-show fee" in calendar_page.message_bar.text()
    invoices = [e for e in patient_billing_history(db, clinic.ann) if e.kind == "invoice"]
    assert [e.amount_cents for e in invoices] == [4000]
