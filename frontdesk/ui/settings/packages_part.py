"""Settings ▸ Fees ▸ Course packages: the clinic's package rule and its package prices.

The rule: the discount a package gets off the regular fees when it has no price of its own,
the fee kept when a packaged course is cancelled, and how unused sessions are credited. The
prices: N sessions of a type for a price, from a date on (a change is a new row, so packages
already sold keep theirs). Each part is saved on its own through a service on a worker; wrong
input is named at its field and nothing is saved.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.billing import (
    PackagePriceView,
    PackageRules,
    fmt_money,
    get_package_policy,
    list_package_prices,
    parse_money,
    set_package_policy,
    set_package_price,
)
from frontdesk.billing.money import amount_text
from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError, ValidationError
from frontdesk.timefmt import fmt_date
from frontdesk.ui import qtbits
from frontdesk.ui.settings.fields import FieldErrors
from frontdesk.ui.worker import Latest, run_query

RULES = (
    ("package_rate", "Charge the used sessions at the package's own rate"),
    ("regular_fee", "Charge the used sessions at the regular fee"),
)
_PERCENT = re.compile(r"^\s*(\d{1,3})(?:[.,](\d{1,2}))?\s*%?\s*$")


def parse_percent(text: str, field: str) -> int:
    """Basis points from "10", "12.5" or "7.25%"; a specific message if not a percentage."""
    match = _PERCENT.match(text)
    if match is None:
        raise ValidationError.single(
            field, f"Enter a percentage between 0 and 100, such as 10 (not {text!r})."
        )
    points = int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))
    if points > 10_000:
        raise ValidationError.single(field, "A discount is between 0% and 100%.")
    return points


def percent_text(basis_points: int) -> str:
    return f"{basis_points / 100:.2f}".rstrip("0").rstrip(".")


class PackageSettings(QWidget):
    """The package rule and the package price list, for the Fees tab.

    Signals:
        loaded(): the rule and the prices are on screen (tests wait for it).
        saved(str): a part was saved; the status message that says so.
    """

    loaded = Signal()
    saved = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.errors = FieldErrors()
        self.rules: PackageRules | None = None
        self.prices: list[PackagePriceView] = []
        self._reading = Latest()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(
            qtbits.label(
                "A course can be sold as a package. Without a price of its own below, a package "
                "costs the regular fees less the discount. Cancelling a packaged course credits "
                "the unused sessions by the rule, less the cancellation fee.",
                name="muted",
                wrap=True,
            )
        )
        form = QFormLayout()
        self.discount = QLineEdit(placeholderText="10")
        self.cancel_fee = QLineEdit(placeholderText="25.00")
        for box in (self.discount, self.cancel_fee):
            box.setMaximumWidth(110)
        self.refund_rule = QComboBox()
        for code, words in RULES:
            self.refund_rule.addItem(words, code)
        form.addRow(
            "Package d&iscount (%)", self.errors.field("discount_basis_points", self.discount)
        )
        form.addRow("Cance&llation fee ($)", self.errors.field("cancel_fee_cents", self.cancel_fee))
        form.addRow("On cancelling", self.errors.field("refund_rule", self.refund_rule))
        layout.addLayout(form)
        self.save_rules_button = QPushButton("Save the package r&ule")
        row = QHBoxLayout()
        row.addWidget(self.save_rules_button)
        row.addStretch(1)
        layout.addLayout(row)

        self.price_table = QTableWidget(0, 4)
        self.price_table.setHorizontalHeaderLabels(
            ["Appointment type", "Sessions", "From", "Price"]
        )
        self.price_table.verticalHeader().hide()
        self.price_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.price_table.setAlternatingRowColors(True)
        header = self.price_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.price_table.setMinimumHeight(28 + 26 * 3)
        layout.addWidget(self.price_table)
        grid = QGridLayout()
        self.price_type = QComboBox()
        self.price_sessions = QSpinBox(minimum=1, maximum=60, value=8)
        self.price_from = qtbits.date_edit(display_format="d MMM yyyy")
        self.price_amount = QLineEdit(placeholderText="600.00")
        self.price_amount.setMaximumWidth(110)
        self.add_price_button = QPushButton("Add packa&ge price")
        for col, (caption, key, widget) in enumerate(
            (
                ("Type", "appointment_type_id", self.price_type),
                ("Sessions", "sessions", self.price_sessions),
                ("From", "effective_from", self.price_from),
                ("Price ($)", "price_cents", self.price_amount),
            )
        ):
            grid.addWidget(qtbits.label(caption, name="detailLabel"), 0, col)
            grid.addWidget(self.errors.field(key, widget), 1, col)
        grid.addWidget(self.add_price_button, 1, 4)
        grid.setColumnStretch(0, 2)
        layout.addLayout(grid)
        self.form_error = qtbits.label(name="formError", wrap=True)
        self.form_error.hide()
        layout.addWidget(self.form_error)
        self.save_rules_button.clicked.connect(self.save_rules)
        self.add_price_button.clicked.connect(self.add_price)
        self.price_amount.returnPressed.connect(self.add_price)

    # -- reading ------------------------------------------------------------------------------
    def show_types(self, types: Sequence[tuple[str, int]], today: date, first: bool) -> None:
        """The appointment types to price (name, id), as the Fees tab read them."""
        kept = self.price_type.currentData()
        self.price_type.clear()
        for name, type_id in types:
            self.price_type.addItem(name, type_id)
        index = self.price_type.findData(kept)
        self.price_type.setCurrentIndex(index if index >= 0 else 0)
        if first:  # a new price starts today unless the desk picks another day
            self.price_from.setDate(qtbits.qdate(today))

    def reload(self) -> None:
        db = self.ctx.db

        def fetch() -> tuple[PackageRules, list[PackagePriceView]]:
            return get_package_policy(db), list_package_prices(db)

        self._reading.run(self, fetch, self._show, self._failed)

    def _show(self, found: tuple[PackageRules, list[PackagePriceView]]) -> None:
        self.rules, self.prices = found
        self.discount.setText(percent_text(self.rules.discount_basis_points))
        self.cancel_fee.setText(amount_text(self.rules.cancel_fee_cents))
        self.refund_rule.setCurrentIndex(max(0, self.refund_rule.findData(self.rules.refund_rule)))
        self.price_table.setRowCount(len(self.prices))
        for r, p in enumerate(self.prices):
            for c, text in enumerate(
                (p.type_name, str(p.sessions), fmt_date(p.effective_from), fmt_money(p.price_cents))
            ):
                self.price_table.setItem(r, c, QTableWidgetItem(text))
        self.loaded.emit()

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, ValidationError):
            self._say(self.errors.show(exc.errors))
        elif isinstance(exc, FrontdeskError):
            self._say([str(exc)])
        else:
            raise exc

    def _say(self, messages: list[str]) -> None:
        self.form_error.setText("\n".join(messages))
        self.form_error.setVisible(bool(messages))

    # -- saving -------------------------------------------------------------------------------
    def _save(self, work: Callable[[], Any], message: str) -> None:
        self.errors.clear()
        self._say([])

        def done(_result: Any) -> None:
            self.saved.emit(message)
            self.reload()

        run_query(self, work, done, self._failed)

    @Slot()
    def save_rules(self) -> None:
        errors: dict[str, str] = {}
        points = fee = 0
        try:
            points = parse_percent(self.discount.text(), "discount_basis_points")
        except ValidationError as exc:
            errors.update(exc.errors)
        try:
            fee = parse_money(self.cancel_fee.text() or "0", "cancel_fee_cents")
        except ValidationError as exc:
            errors.update(exc.errors)
        if errors:
            self.errors.clear()
            self._failed(ValidationError(errors))
            return
        rules = PackageRules(points, fee, str(self.refund_rule.currentData()))
        db = self.ctx.db
        self._save(
            lambda: set_package_policy(db, rules),
            f"Packages: {percent_text(points)}% off the regular fees, "
            f"{fmt_money(fee)} kept on cancelling.",
        )

    @Slot()
    def add_price(self) -> None:
        type_id = self.price_type.currentData()
        errors: dict[str, str] = {}
        if type_id is None:
            errors["appointment_type_id"] = "Add an appointment type first (Appointment types tab)."
        cents = 0
        try:
            cents = parse_money(self.price_amount.text(), "price_cents")
        except ValidationError as exc:
            errors.update(exc.errors)
        if errors:
            self.errors.clear()
            self._failed(ValidationError(errors))
            return
        db, sessions = self.ctx.db, self.price_sessions.value()
        since = qtbits.py_date(self.price_from.date())
        name = self.price_type.currentText()
        self.price_amount.clear()
        self._save(
            lambda: set_package_price(db, int(type_id), sessions, cents, effective_from=since),
            f"{name}: {sessions} sessions for {fmt_money(cents)} from {fmt_date(since)}.",
        )
