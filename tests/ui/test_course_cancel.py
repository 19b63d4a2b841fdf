"""Cancelling the rest of a course from the desk (issue 17): the dialog shows what will happen,
to the cent, before anything changes, and the cancellation then does exactly that."""

from __future__ import annotations

from datetime import UTC, date, timedelta

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialogButtonBox, QMenu
from sqlalchemy import select

from frontdesk.billing import (
    PackageRules,
    PaymentMethod,
    Tender,
    book_packaged_course,
    patient_packages,
    set_fee,
    set_package_policy,
)
from frontdesk.context import AppContext
from frontdesk.db.models import Appointment, Payment
from frontdesk.domain import Role
from frontdesk.scheduling import book_course
from frontdesk.ui.billing.course_cancel_dialog import ON_ACCOUNT, CourseCancelDialog
from frontdesk.ui.calendar import CalendarPage, appointment_ops
from tests.accounts_support import as_role
from tests.ui.answers import wait_for_answers
from tests.unit.test_billing_packages import _attend, _request, _starts
from tests.unit.test_scheduling_support import MONDAY, NOW, local

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

WHEN = local(MONDAY + timedelta(weeks=3), 9).astimezone(UTC)  # 3 sessions attended by then


def _open(qtbot, db, course_id: int) -> CourseCancelDialog:  # type: ignore[no-untyped-def]
    dialog = CourseCancelDialog(None, AppContext(db=db, clock=lambda: WHEN), course_id, "Ann")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=5000)
    return dialog


def _booked_ahead(db, course_id: int) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        rows = s.scalars(select(Appointment).where(Appointment.course_id == course_id))
        return sum(1 for a in rows if a.status == "booked" and a.start_at >= WHEN)


@pytest.fixture
def packaged(db, clinic) -> int:  # type: ignore[no-untyped-def]
    set_fee(db, clinic.acupuncture, 8500, effective_from=date(2020, 1, 1))
    set_package_policy(db, PackageRules(discount_basis_points=1000, cancel_fee_cents=2500))
    sold = book_packaged_course(
        db,
        _request(clinic, clinic.acupuncture, 8),
        _starts(8),
        now=NOW,
        tenders=[Tender(PaymentMethod.DEBIT, 61200)],
    )
    _attend(db, sold.course.id, 3)
    return sold.course.id


def test_cancelling_a_package_refunds_what_the_dialog_said(qtbot, db, clinic, packaged) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, db, packaged)
    text = dialog.summary.text()
    # 5 of 8 unused at the package rate: $382.50, less the $25.00 fee.
    assert "3 of 8 sessions used, 5 left" in text
    assert "The 5 booked sessions still ahead will be cancelled." in text
    assert "$254.50 for the used sessions at the package's own rate" in text
    assert "$25.00 cancellation fee" in text
    assert "<b>$357.50</b>" in text and "$357.50 to debit" in text
    shown = dialog.preview
    assert shown is not None and shown.package is not None

    dialog.save_button.click()  # no reason yet: refused at the field, nothing changed
    assert dialog.error_text("reason") == "Give a reason for cancelling the course."
    assert patient_packages(db, clinic.ann)[0].usage.status == "active"
    assert _booked_ahead(db, packaged) == 5

    dialog.reason.setText("Moving away")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.result_value is not None, timeout=5000)
    with db.read() as s:
        refunds = [
            (p.method, -p.amount_cents) for p in s.scalars(select(Payment)) if p.amount_cents < 0
        ]
    assert refunds == [("debit", 35750)] == list(shown.package.refunds)
    assert _booked_ahead(db, packaged) == 0
    assert patient_packages(db, clinic.ann)[0].usage.status == "cancelled"
    assert dialog.outcome_text() == "Course cancelled; $357.50 credited, $357.50 given back."


def test_the_credit_can_stay_on_the_account(qtbot, db, clinic, packaged) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, db, packaged)
    dialog.pay_back.setCurrentText(ON_ACCOUNT)
    qtbot.waitUntil(lambda: "Left on the account" in dialog.summary.text(), timeout=5000)
    assert "to debit" not in dialog.summary.text()
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=5000)
    dialog.reason.setText("Moving away")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.result_value is not None, timeout=5000)
    with db.read() as s:
        assert [p for p in s.scalars(select(Payment)) if p.amount_cents < 0] == []


def test_a_course_without_package_has_its_remaining_sessions_cancelled(qtbot, db, clinic) -> None:  # type: ignore[no-untyped-def]
    course = book_course(db, _request(clinic, clinic.acupuncture, 6), _starts(6), now=NOW)
    dialog = _open(qtbot, db, course.id)
    assert "The 3 booked sessions still ahead will be cancelled." in dialog.summary.text()
    assert "not sold as a package: nothing to refund" in dialog.summary.text()
    assert not dialog.pay_back.isEnabled()
    dialog.reason.setText("Feeling better")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: dialog.result_value is not None, timeout=5000)
    assert _booked_ahead(db, course.id) == 0


def _menu_offers(monkeypatch, page, appointment_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    offered: list[str] = []

    class ShownMenu(QMenu):  # records what it offers instead of waiting for a click
        def exec(self, *_args):  # type: ignore[no-untyped-def]
            offered.extend(a.text() for a in self.actions())

    monkeypatch.setattr(appointment_ops, "QMenu", ShownMenu)
    page.ops.show_menu(appointment_id, 0, 0, QPoint(0, 0))
    return offered


def test_a_course_session_menu_offers_the_cancellation_to_the_desk_only(
    qtbot, monkeypatch, db, clinic, calendar_page
) -> None:  # type: ignore[no-untyped-def]
    course = book_course(db, _request(clinic, clinic.acupuncture, 3), _starts(3), now=NOW)
    first = min(course.appointments, key=lambda a: a.start).id
    calendar_page.go_to(MONDAY)
    calendar_page.reload()
    wait_for_answers()  # the calendar reads on a worker
    assert "Cancel the rest of the c&ourse…" in _menu_offers(monkeypatch, calendar_page, first)

    ctx = AppContext(
        db=as_role(db, Role.PRACTITIONER, practitioner_id=clinic.acu), clock=lambda: NOW
    )
    theirs = CalendarPage(ctx, QUndoStack())
    qtbot.addWidget(theirs)
    theirs.go_to(MONDAY)
    theirs.reload()
    wait_for_answers()
    offered = _menu_offers(monkeypatch, theirs, first)
    assert offered and "Cancel the rest of the c&ourse…" not in offered
