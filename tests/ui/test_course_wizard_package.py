"""The course wizard offers the course as a package and books both in one step (issue 17)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from frontdesk.billing import patient_packages, set_fee
from frontdesk.db.models import CoursePackage, Invoice, TreatmentCourse
from tests.ui.test_booking_support import Actions, Clinic, build_clinic
from tests.ui.test_course_wizard import choose_patient, open_wizard

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def clinic(db) -> Clinic:
    c = build_clinic(db)
    set_fee(db, c.acupuncture, 8500, effective_from=date(2020, 1, 1))
    return c


def test_the_wizard_books_the_course_sold_as_a_package(qtbot, db, clinic) -> None:
    actions = Actions(qtbot)
    wizard = open_wizard(qtbot, clinic, actions)
    choose_patient(qtbot, wizard, actions, "smi")
    qtbot.waitUntil(lambda: wizard.package.check.isEnabled(), timeout=5000)
    # 8 × $85 less the clinic's default 10%: the price is shown before anything is sold.
    assert wizard.package.price.text() == "8 sessions for $612.00 (save $68.00 on the regular fees)"
    qtbot.waitUntil(lambda: wizard.book_button.isEnabled(), timeout=5000)
    actions.click(wizard.package.check, "Sell as a package")
    actions.click(wizard.book_button, "Book course")

    assert wizard.pages.currentWidget() is wizard.done_page
    assert wizard.done_page.dates.text().startswith(
        "Sold as a package: 8 sessions for $612.00 (save $68.00 on the regular fees), invoice 1."
    )
    with db.read() as s:
        course = s.scalars(select(TreatmentCourse)).one()
        package = s.scalars(select(CoursePackage)).one()
        invoice = s.get(Invoice, package.invoice_id)
        assert package.course_id == course.id and package.patient_id == clinic.ann
        assert invoice is not None and (invoice.kind, invoice.total_cents) == ("sale", 61200)
    (view,) = patient_packages(db, clinic.ann)
    assert view.usage.summary() == "0 of 8 sessions used, 8 left"


def test_without_the_tick_the_course_is_booked_alone(qtbot, db, clinic) -> None:
    actions = Actions(qtbot)
    wizard = open_wizard(qtbot, clinic, actions)
    choose_patient(qtbot, wizard, actions, "smi")
    qtbot.waitUntil(lambda: wizard.package.check.isEnabled(), timeout=5000)
    qtbot.waitUntil(lambda: wizard.book_button.isEnabled(), timeout=5000)
    actions.click(wizard.book_button, "Book course")
    assert wizard.course is not None
    with db.read() as s:
        assert s.scalars(select(CoursePackage)).all() == []
        assert s.scalars(select(Invoice)).all() == []
