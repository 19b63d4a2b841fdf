"""Settings ▸ Fees: a price with its date, a bad price refused at the field, the GST number."""

from __future__ import annotations

from datetime import date

from frontdesk.billing import (
    PackageRules,
    fee_for_visit,
    get_missed_visit_fees,
    get_package_policy,
    list_fees,
    list_package_prices,
)
from frontdesk.billing.setup import billing_setup
from frontdesk.ui import worker
from frontdesk.ui.settings.fees_tab import FeesTab
from frontdesk.ui.settings.page import SettingsPage
from tests.ui.answers import wait_for_answers
from tests.unit.test_scheduling_support import Clinic


def _fees_tab(qtbot, page: SettingsPage) -> FeesTab:  # type: ignore[no-untyped-def]
    page.show_part("fees")
    tab = page.fees
    qtbot.waitUntil(lambda: tab.setup is not None and worker.pending() == 0, timeout=5000)
    return tab


def test_a_fee_is_saved_from_its_date_and_older_visits_keep_the_old_price(
    qtbot, settings_page, clinic: Clinic, db
) -> None:  # type: ignore[no-untyped-def]
    tab = _fees_tab(qtbot, settings_page)
    tab.fee_type.setCurrentIndex(tab.fee_type.findData(clinic.acupuncture))
    tab.fee_from.setDate(date(2026, 1, 1))
    tab.fee_price.setText("85")
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        tab.add_fee_button.click()
    tab.fee_from.setDate(date(2026, 4, 1))
    tab.fee_price.setText("$92.50")
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        tab.add_fee_button.click()
    assert [(f.effective_from, f.amount_cents) for f in list_fees(db)] == [
        (date(2026, 1, 1), 8500),
        (date(2026, 4, 1), 9250),
    ]
    assert fee_for_visit(db, clinic.acupuncture, clinic.acu, date(2026, 3, 2)) == 8500
    assert fee_for_visit(db, clinic.acupuncture, clinic.acu, date(2026, 4, 2)) == 9250
    shown = [tab.fee_table.item(r, 3).text() for r in range(tab.fee_table.rowCount())]
    assert shown == ["$85.00", "$92.50"]
    assert tab.fee_table.item(1, 2).text()  # the date each price starts is on screen


def test_a_bad_price_is_named_at_its_field_and_nothing_is_saved(
    qtbot, settings_page, clinic: Clinic, db
) -> None:  # type: ignore[no-untyped-def]
    tab = _fees_tab(qtbot, settings_page)
    tab.fee_price.setText("ninety")
    tab.add_fee_button.click()
    assert "Enter an amount in dollars" in tab.errors.text("amount_cents")
    assert list_fees(db) == []
    tab.product_name.setText("Heat pack")
    tab.product_price.setText("-3")
    tab.add_product_button.click()
    assert "Enter an amount in dollars" in tab.errors.text("price_cents")
    assert billing_setup(db).products == ()


def test_gst_number_and_missed_visit_fees_are_saved_together(
    qtbot, settings_page, clinic: Clinic, db
) -> None:  # type: ignore[no-untyped-def]
    tab = _fees_tab(qtbot, settings_page)
    tab.gst_number.setText("845196372 rt0001")
    tab.no_show_on.setChecked(True)
    tab.no_show_amount.setText("40")
    tab.late_amount.setText("thirty")
    tab.save_policy_button.click()
    assert "Enter an amount in dollars" in tab.errors.text("late_cancel_fee_cents")
    assert billing_setup(db).gst_number == ""  # nothing saved while one field is wrong
    tab.late_amount.setText("30")
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        tab.save_policy_button.click()
    policy = get_missed_visit_fees(db)
    assert (policy.no_show_fee_on, policy.no_show_fee_cents) == (True, 4000)
    assert policy.late_cancel_fee_cents == 3000
    assert billing_setup(db).gst_number == "845196372 RT0001"


def test_a_practitioners_profession_and_registration_are_edited_with_them(
    qtbot, settings_page, clinic: Clinic, db
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialogButtonBox

    from frontdesk.billing.setup import get_practitioner_registration

    dialog = settings_page.practitioners.open_dialog(clinic.acu)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded)  # what is edited is read on a worker
    dialog.profession.setText("Registered Acupuncturist")
    dialog.registration.setText("CAAA-1234")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not dialog.isVisible())  # saved on a worker, then closed
    saved = get_practitioner_registration(db, clinic.acu)
    assert (saved.profession, saved.registration_number) == (
        "Registered Acupuncturist",
        "CAAA-1234",
    )
    again = settings_page.practitioners.open_dialog(clinic.acu)  # shown when edited next
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.registration.text() == "CAAA-1234")


def test_a_product_is_added_then_renamed_repriced_and_no_longer_sold(
    qtbot, settings_page, clinic: Clinic, db
) -> None:  # type: ignore[no-untyped-def]
    tab = _fees_tab(qtbot, settings_page)
    tab.product_name.setText("Heat pack")
    tab.product_price.setText("14.95")
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        tab.add_product_button.click()
    assert [(p.name, p.price_cents, p.tax_code) for p in billing_setup(db).products] == [
        ("Heat pack", 1495, "gst")  # products are taxable unless the desk says otherwise
    ]
    tab.product_table.selectRow(0)
    assert tab.update_product_button.isEnabled() and tab.product_price.text() == "14.95"
    tab.product_name.setText("Heat pack (large)")
    tab.product_price.setText("16.50")
    tab.product_active.setChecked(False)
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        tab.update_product_button.click()
    [saved] = billing_setup(db).products
    assert (saved.name, saved.price_cents, saved.active) == ("Heat pack (large)", 1650, False)
    assert tab.product_table.item(0, 3).text() == "No"


def test_the_package_rule_and_a_package_price_are_saved_and_bad_input_refused_at_the_field(
    qtbot, settings_page, clinic: Clinic, db
) -> None:  # type: ignore[no-untyped-def]
    tab = _fees_tab(qtbot, settings_page)
    part = tab.packages
    qtbot.waitUntil(lambda: part.rules is not None, timeout=5000)
    part.discount.setText("12.5")
    part.cancel_fee.setText("25")
    part.refund_rule.setCurrentIndex(part.refund_rule.findData("regular_fee"))
    with qtbot.waitSignal(part.loaded, timeout=5000):
        part.save_rules_button.click()
    assert get_package_policy(db) == PackageRules(1250, 2500, "regular_fee")

    part.price_type.setCurrentIndex(part.price_type.findData(clinic.acupuncture))
    part.price_sessions.setValue(6)
    part.price_from.setDate(date(2026, 1, 1))
    part.price_amount.setText("450")
    with qtbot.waitSignal(part.loaded, timeout=5000):
        part.add_price_button.click()
    (price,) = list_package_prices(db)
    assert (price.appointment_type_id, price.sessions, price.effective_from, price.price_cents) == (
        clinic.acupuncture,
        6,
        date(2026, 1, 1),
        45000,
    )
    assert [part.price_table.item(0, c).text() for c in (1, 3)] == ["6", "$450.00"]
    wait_for_answers()  # the other tabs' reads after a save: bad input below must start none

    part.discount.setText("150")  # not a discount
    part.cancel_fee.setText("lots")
    part.save_rules_button.click()
    assert part.errors.text("discount_basis_points") == "A discount is between 0% and 100%."
    assert "Enter an amount in dollars" in part.errors.text("cancel_fee_cents")
    part.price_amount.setText("four hundred")
    part.add_price_button.click()
    assert "Enter an amount in dollars" in part.errors.text("price_cents")
    assert worker.pending() == 0
    assert get_package_policy(db) == PackageRules(1250, 2500, "regular_fee")
    assert len(list_package_prices(db)) == 1
