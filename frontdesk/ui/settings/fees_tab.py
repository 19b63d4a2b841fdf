"""The Fees tab: what the clinic charges, how it is taxed, and what receipts print.

Each part saved on its own through a service on a worker: the fee schedule (a price per
appointment type from a date on, optionally one practitioner's own), the tax code of each type,
products, the tax rates in force (read only: rates are data the database carries), and the
GST number with the late-cancellation and no-show fees; then the course packages' rule and
prices (``packages_part``). A price change is a new row with its
date, so an invoice already issued never changes. Wrong input is named at its field and
nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from frontdesk.billing import MissedVisitPolicy, fmt_money, parse_money
from frontdesk.billing.fees import add_product, set_appointment_type_tax_code, set_fee
from frontdesk.billing.money import amount_text
from frontdesk.billing.setup import (
    BillingSetup,
    billing_setup,
    set_gst_and_missed_visit_fees,
    update_product,
)
from frontdesk.clinic import clinic_today, get_clinic
from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError, ValidationError
from frontdesk.timefmt import fmt_date
from frontdesk.ui import qtbits
from frontdesk.ui.settings.fields import FieldErrors
from frontdesk.ui.settings.packages_part import PackageSettings
from frontdesk.ui.settings.section import Section
from frontdesk.ui.worker import Latest, run_query

EVERYONE = "Everyone (clinic fee)"


def _table(headers: tuple[str, ...], rows: int = 6) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    table.setMinimumHeight(28 + 26 * rows)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))


def percent(basis_points: int) -> str:
    return f"{basis_points / 100:.2f}".rstrip("0").rstrip(".") + "%"


class FeesTab(Section):
    """Fee schedule, tax per type, products, tax rates, GST number and missed-visit fees.

    Signals:
        loaded(): what the database holds is on screen (tests wait for it).
        saved(str): a part was saved; the status message that says so.
    """

    loaded = Signal()
    saved = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            "What the clinic charges. A new price starts on its date: invoices already issued "
            "keep the price they were issued at, and a visit is charged the price of its day.",
            parent,
        )
        self.setup: BillingSetup | None = None
        self.errors = FieldErrors()
        self._reading = Latest()
        self._build_fees()
        self._build_tax()
        self._build_products()
        self._build_policy()
        self._heading("Course packages")
        self.packages = PackageSettings(ctx)
        self.packages.saved.connect(self.status_message)
        self.body.addWidget(self.packages)
        self.body.addStretch(1)
        self.saved.connect(self.status_message)

    # -- building -----------------------------------------------------------------------------
    def _heading(self, text: str) -> None:
        self.body.addSpacing(6)
        self.body.addWidget(qtbits.label(text, name="sectionTitle"))

    def _build_fees(self) -> None:
        self._heading("Fee schedule")
        self.fee_table = _table(("Appointment type", "Practitioner", "From", "Price"))
        self.body.addWidget(self.fee_table)
        row = QGridLayout()
        self.fee_type = QComboBox()
        self.fee_practitioner = QComboBox()
        self.fee_from = qtbits.date_edit(display_format="d MMM yyyy")
        self.fee_price = QLineEdit(placeholderText="95.00")
        self.fee_price.setMaximumWidth(110)
        self.add_fee_button = qtbits.button("&Add price", name="primary")
        self.add_fee_button.setToolTip(
            "Charge this price for the type from the date given (a price set for the same "
            "date is corrected)"
        )
        for col, (caption, key, widget) in enumerate(
            (
                ("Type", "appointment_type_id", self.fee_type),
                ("Practitioner", "practitioner_id", self.fee_practitioner),
                ("From", "effective_from", self.fee_from),
                ("Price ($)", "amount_cents", self.fee_price),
            )
        ):
            row.addWidget(qtbits.label(caption, name="detailLabel"), 0, col)
            row.addWidget(self.errors.field(key, widget), 1, col)
        row.addWidget(self.add_fee_button, 1, 4)
        row.setColumnStretch(0, 2)
        row.setColumnStretch(1, 2)
        self.body.addLayout(row)
        self.add_fee_button.clicked.connect(self.add_fee)
        self.fee_price.returnPressed.connect(self.add_fee)

    def _build_tax(self) -> None:
        self._heading("Tax")
        self.tax_rates = qtbits.label(name="muted", wrap=True)
        self.body.addWidget(self.tax_rates)
        self.type_table = _table(("Appointment type", "Tax code", "Clinic fee today"), rows=4)
        self.body.addWidget(self.type_table)
        row = QHBoxLayout()
        self.tax_type = QComboBox()
        self.tax_code = QComboBox()
        self.set_tax_button = QPushButton("Set ta&x code")
        row.addWidget(qtbits.label("Type", name="detailLabel"))
        row.addWidget(self.tax_type, 2)
        row.addWidget(qtbits.label("is taxed as", name="detailLabel"))
        row.addWidget(self.errors.field("tax_code", self.tax_code), 1)
        row.addWidget(self.set_tax_button)
        self.body.addLayout(row)
        self.set_tax_button.clicked.connect(self.set_tax)
        self.type_table.itemSelectionChanged.connect(self._type_picked)

    def _build_products(self) -> None:
        self._heading("Products")
        self.product_table = _table(("Product", "Price", "Tax code", "Sold"), rows=4)
        self.body.addWidget(self.product_table)
        row = QGridLayout()
        self.product_name = QLineEdit(maxLength=120, placeholderText="Wrist brace")
        self.product_price = QLineEdit(placeholderText="39.99")
        self.product_price.setMaximumWidth(110)
        self.product_tax = QComboBox()
        self.product_tax.setMinimumWidth(150)
        self.product_active = QCheckBox("Sold")
        self.product_active.setChecked(True)
        for col, (caption, key, widget) in enumerate(
            (
                ("Name", "name", self.product_name),
                ("Price ($)", "price_cents", self.product_price),
                ("Tax code", "product_tax_code", self.product_tax),
                ("", "active", self.product_active),
            )
        ):
            row.addWidget(qtbits.label(caption, name="detailLabel"), 0, col)
            row.addWidget(self.errors.field(key, widget), 1, col)
        self.add_product_button = QPushButton("Add pro&duct")
        self.update_product_button = QPushButton("Sa&ve selected product")
        self.update_product_button.setEnabled(False)
        row.addWidget(self.add_product_button, 1, 4)
        row.addWidget(self.update_product_button, 1, 5)
        row.setColumnStretch(0, 2)
        self.body.addLayout(row)
        self.add_product_button.clicked.connect(self.add_product)
        self.update_product_button.clicked.connect(self.save_product)
        self.product_table.itemSelectionChanged.connect(self._product_picked)

    def _build_policy(self) -> None:
        self._heading("Receipts and missed visits")
        form = QFormLayout()
        self.gst_number = QLineEdit(maxLength=20, placeholderText="123456789 RT0001")
        self.late_on = QCheckBox("Charge a late cancellation")
        self.late_amount = QLineEdit(placeholderText="30.00")
        self.no_show_on = QCheckBox("Charge a no-show")
        self.no_show_amount = QLineEdit(placeholderText="40.00")
        for box in (self.late_amount, self.no_show_amount):
            box.setMaximumWidth(110)
        form.addRow("GST &number", self.errors.field("gst_number", self.gst_number))
        for check, amount, key in (
            (self.late_on, self.late_amount, "late_cancel_fee_cents"),
            (self.no_show_on, self.no_show_amount, "no_show_fee_cents"),
        ):
            line = QWidget()
            lay = QHBoxLayout(line)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.addWidget(check)
            lay.addWidget(self.errors.field(key, amount))
            lay.addStretch(1)
            form.addRow("", line)
        self.body.addLayout(form)
        self.save_policy_button = QPushButton("Save receipt and &missed-visit settings")
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_policy_button)
        buttons.addStretch(1)
        self.body.addLayout(buttons)
        self.save_policy_button.clicked.connect(self.save_policy)
        self.form_error = qtbits.label(name="formError", wrap=True)
        self.form_error.hide()
        self.body.addWidget(self.form_error)

    # -- reading ------------------------------------------------------------------------------
    def reload(self) -> None:
        db, now = self.ctx.db, self.ctx.clock()

        def fetch() -> tuple[BillingSetup, date]:
            return billing_setup(db), clinic_today(now, get_clinic(db).tz)

        self._reading.run(self, fetch, self._show, self._failed)
        self.packages.reload()

    def _show(self, found: tuple[BillingSetup, date]) -> None:
        setup, today = found
        first, self.setup = self.setup is None, setup
        types = {t.id: t.name for t in setup.types}
        people = {p.id: p.display_name for p in setup.practitioners}
        _fill(
            self.fee_table,
            [
                (
                    types.get(f.appointment_type_id, "?"),
                    people.get(f.practitioner_id, "?") if f.practitioner_id else "Everyone",
                    fmt_date(f.effective_from),
                    fmt_money(f.amount_cents),
                )
                for f in setup.fees
            ],
        )
        self.fee_table.scrollToBottom()
        for combo, items in (
            (self.fee_type, [(t.name, t.id) for t in setup.types]),
            (self.tax_type, [(t.name, t.id) for t in setup.types]),
            (
                self.fee_practitioner,
                [(EVERYONE, None)] + [(p.display_name, p.id) for p in setup.practitioners],
            ),
            (self.tax_code, [(f"{name} ({code})", code) for code, name in setup.tax_codes]),
            (self.product_tax, [(f"{name} ({code})", code) for code, name in setup.tax_codes]),
        ):
            _refill(combo, items)
        if first:  # a new price starts today unless the desk picks another day
            self.fee_from.setDate(qtbits.qdate(today))
        self.packages.show_types([(t.name, t.id) for t in setup.types], today, first)
        names = dict(setup.tax_codes)
        self.tax_rates.setText(
            "Tax rates: "
            + "; ".join(
                f"{r.name} {percent(r.basis_points)} from {fmt_date(r.effective_from)}"
                for r in setup.tax_rates
            )
            + ". Rates are set in the database, with the date each takes effect."
        )
        _fill(
            self.type_table,
            [
                (
                    t.name,
                    f"{names.get(t.tax_code, t.tax_code)} ({t.tax_code})",
                    _fee_today(setup, t.id, today),
                )
                for t in setup.types
            ],
        )
        _fill(
            self.product_table,
            [
                (p.name, fmt_money(p.price_cents), p.tax_code, "Yes" if p.active else "No")
                for p in setup.products
            ],
        )
        self.update_product_button.setEnabled(bool(self.product_table.selectedItems()))
        if first:  # products are taxable unless the desk says otherwise
            self.product_tax.setCurrentIndex(max(0, self.product_tax.findData("gst")))
        policy = setup.policy
        self.gst_number.setText(setup.gst_number)
        self.late_on.setChecked(policy.late_cancel_fee_on)
        self.late_amount.setText(amount_text(policy.late_cancel_fee_cents))
        self.no_show_on.setChecked(policy.no_show_fee_on)
        self.no_show_amount.setText(amount_text(policy.no_show_fee_cents))
        self.loaded.emit()

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, ValidationError):
            unplaced = self.errors.show(exc.errors)
            self._say(unplaced)
        elif isinstance(exc, FrontdeskError):
            self._say([str(exc)])
        else:
            raise exc

    def _say(self, messages: list[str]) -> None:
        self.form_error.setText("\n".join(messages))
        self.form_error.setVisible(bool(messages))

    # -- saving -------------------------------------------------------------------------------
    def _save(self, work: Callable[[], Any], message: Callable[[Any], str]) -> None:
        """Run ``work`` on a worker; on success say ``message`` and read everything again."""
        self.errors.clear()
        self._say([])

        def done(result: Any) -> None:
            self.saved.emit(message(result))
            self.reload()

        run_query(self, work, done, self._failed)

    @Slot()
    def add_fee(self) -> None:
        type_id = self.fee_type.currentData()
        errors: dict[str, str] = {}
        if type_id is None:
            errors["appointment_type_id"] = "Add an appointment type first (Appointment types tab)."
        try:
            cents = parse_money(self.fee_price.text(), "amount_cents")
        except ValidationError as exc:
            errors.update(exc.errors)
        if errors:
            self._failed(ValidationError(errors))
            return
        db, who = self.ctx.db, self.fee_practitioner.currentData()
        since = qtbits.py_date(self.fee_from.date())
        what = f"{self.fee_type.currentText()} ({self.fee_practitioner.currentText()})"

        def work() -> object:
            return set_fee(db, int(type_id), cents, effective_from=since, practitioner_id=who)

        self.fee_price.clear()
        self._save(work, lambda _r: f"{what}: {fmt_money(cents)} from {fmt_date(since)}.")

    @Slot()
    def _type_picked(self) -> None:
        row = self.type_table.currentRow()
        if self.setup is None or not 0 <= row < len(self.setup.types):
            return
        kind = self.setup.types[row]
        self.tax_type.setCurrentIndex(self.tax_type.findData(kind.id))
        self.tax_code.setCurrentIndex(self.tax_code.findData(kind.tax_code))

    @Slot()
    def set_tax(self) -> None:
        type_id, code = self.tax_type.currentData(), self.tax_code.currentData()
        if type_id is None or code is None:
            return
        db, name = self.ctx.db, self.tax_type.currentText()
        self._save(
            lambda: set_appointment_type_tax_code(db, int(type_id), str(code)),
            lambda _r: f"{name} is now taxed as {code}.",
        )

    def _product_input(self) -> tuple[int, str] | None:
        try:
            cents = parse_money(self.product_price.text(), "price_cents")
        except ValidationError as exc:
            self._failed(exc)
            return None
        return cents, str(self.product_tax.currentData() or "gst")

    @Slot()
    def _product_picked(self) -> None:
        row = self.product_table.currentRow()
        chosen = self.setup is not None and 0 <= row < len(self.setup.products)
        self.update_product_button.setEnabled(chosen)
        if not chosen or self.setup is None:
            return
        product = self.setup.products[row]
        self.product_name.setText(product.name)
        self.product_price.setText(amount_text(product.price_cents))
        self.product_tax.setCurrentIndex(self.product_tax.findData(product.tax_code))
        self.product_active.setChecked(product.active)

    @Slot()
    def add_product(self) -> None:
        found = self._product_input()
        if found is None:
            return
        cents, code = found
        db, name = self.ctx.db, self.product_name.text()
        self._save(
            lambda: add_product(db, name, cents, code),
            lambda p: f"{p.name} is sold at {fmt_money(p.price_cents)}.",
        )

    @Slot()
    def save_product(self) -> None:
        row = self.product_table.currentRow()
        if self.setup is None or not 0 <= row < len(self.setup.products):
            return
        found = self._product_input()
        if found is None:
            return
        cents, code = found
        product, db, active = self.setup.products[row], self.ctx.db, self.product_active.isChecked()
        name = self.product_name.text()
        self._save(
            lambda: update_product(
                db, product.id, price_cents=cents, tax_code=code, active=active, name=name
            ),
            lambda p: (
                f"{p.name}: {fmt_money(p.price_cents)}" + ("." if p.active else ", no longer sold.")
            ),
        )

    @Slot()
    def save_policy(self) -> None:
        errors: dict[str, str] = {}
        amounts: dict[str, int] = {}
        for key, box in (
            ("late_cancel_fee_cents", self.late_amount),
            ("no_show_fee_cents", self.no_show_amount),
        ):
            try:
                amounts[key] = parse_money(box.text() or "0", key)
            except ValidationError as exc:
                errors.update(exc.errors)
        if errors:
            self._failed(ValidationError(errors))
            return
        policy = MissedVisitPolicy(
            self.late_on.isChecked(),
            amounts["late_cancel_fee_cents"],
            self.no_show_on.isChecked(),
            amounts["no_show_fee_cents"],
        )
        db, gst = self.ctx.db, self.gst_number.text()
        self._save(
            lambda: set_gst_and_missed_visit_fees(db, gst, policy),
            lambda _r: "Saved the GST number and the missed-visit fees.",
        )


def _refill(combo: QComboBox, items: list[tuple[str, Any]]) -> None:
    """New items, keeping the one chosen when it is still there."""
    kept = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for text, data in items:
        combo.addItem(text, data)
    index = combo.findData(kept)
    combo.setCurrentIndex(index if index >= 0 else 0)
    combo.blockSignals(False)


def _fee_today(setup: BillingSetup, type_id: int, today: date) -> str:
    fees = [
        f
        for f in setup.fees
        if f.appointment_type_id == type_id
        and f.practitioner_id is None
        and f.effective_from <= today
    ]
    return fmt_money(fees[-1].amount_cents) if fees else "No fee yet"
