"""Selling products to a patient without a visit: what is sold, the payment, the receipt.

Opened from the patient's Account panel. Each product added is priced and taxed by the
service (``quote_invoice_sale`` on a worker); "Sell" issues the invoice and records the money
in one transaction (``invoice_sale``), as check-out does for a visit.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from frontdesk.billing import (
    InvoiceView,
    PaymentMethod,
    ProductLine,
    ProductView,
    Quote,
    Tender,
    amount_text,
    fmt_money,
    list_products,
    parse_money,
)
from frontdesk.billing.sales import invoice_sale, quote_invoice_sale
from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError, ValidationError
from frontdesk.ui.dialogs.base import FORM_KEY, FormDialog
from frontdesk.ui.worker import run_query


@dataclass(frozen=True)
class SaleResult:
    invoice: InvoiceView
    print_receipt: bool


class SaleDialog(FormDialog):
    """Products, quantity, how it is paid, and whether to print the receipt."""

    def __init__(
        self, parent: QWidget | None, ctx: AppContext, patient_id: int, patient_name: str
    ) -> None:
        super().__init__("Sell products", parent)
        self.ctx = ctx
        self.patient_id = patient_id
        self.result_value: SaleResult | None = None
        self.items: list[ProductLine] = []
        self.quote: Quote | None = None
        body = QWidget()
        form = QFormLayout(body)
        form.addRow(QLabel(f"To <b>{patient_name}</b>, without a visit"))
        pick = QWidget()
        row = QHBoxLayout(pick)
        row.setContentsMargins(0, 0, 0, 0)
        self.product_box = QComboBox()
        self.quantity = QSpinBox(minimum=1, maximum=99)
        self.add_button = QPushButton("&Add")
        self.add_button.setAutoDefault(False)
        row.addWidget(self.product_box, 1)
        row.addWidget(self.quantity)
        row.addWidget(self.add_button)
        self.add_row(form, "&Product:", "products", pick, self.product_box)
        self.lines = QLabel("Nothing added yet.")
        self.lines.setObjectName("saleLines")
        self.lines.setMinimumWidth(380)
        form.addRow(self.lines)
        self.method = QComboBox()
        for method in PaymentMethod:
            self.method.addItem(method.label, method)
        self.method.setCurrentIndex(self.method.findData(PaymentMethod.DEBIT))
        self.amount = QLineEdit()
        self.add_row(form, "Paid &by:", "method", self.method)
        self.add_row(form, "A&mount:", "amount", self.amount)
        self.print_receipt = QCheckBox("Print the receipt")
        self.print_receipt.setChecked(True)
        form.addRow(self.print_receipt)
        self.set_body(body)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Sell")
        self.save_button.setEnabled(False)
        self.add_button.setEnabled(False)
        self.add_button.clicked.connect(self._add)
        db = ctx.db
        run_query(self, lambda: list_products(db), self._show_catalogue, self._failed)

    def _show_catalogue(self, catalogue: list[ProductView]) -> None:
        for p in catalogue:
            self.product_box.addItem(f"{p.name}  {fmt_money(p.price_cents)}", p.id)
        self.add_button.setEnabled(bool(catalogue))
        if not catalogue:
            self.show_errors({"products": "No products are sold yet; add them in Settings ▸ Fees."})

    @Slot()
    def _add(self) -> None:
        product_id = self.product_box.currentData()
        if product_id is None:
            return
        self.items.append(ProductLine(int(product_id), self.quantity.value()))
        db, items, now = self.ctx.db, list(self.items), self.ctx.clock()
        run_query(
            self, lambda: quote_invoice_sale(db, items, now=now), self._show_quote, self._failed
        )

    def _show_quote(self, quote: Quote) -> None:
        self.quote = quote
        rows = "".join(
            f"<tr><td>{line.description}{'' if line.quantity == 1 else f' × {line.quantity}'}</td>"
            f"<td align='right'>{fmt_money(line.amount_cents)}</td>"
            f"<td align='right'>{'GST ' + fmt_money(line.tax_cents) if line.tax_basis_points else 'exempt'}</td></tr>"
            for line in quote.lines
        )
        self.lines.setText(
            f"<table cellspacing='4'>{rows}<tr><td><b>Total</b></td>"
            f"<td align='right'><b>{fmt_money(quote.total_cents)}</b></td>"
            f"<td align='right'>GST {fmt_money(quote.tax_cents)}</td></tr></table>"
        )
        self.amount.setText(amount_text(quote.total_cents))
        self.save_button.setEnabled(True)

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, ValidationError):
            self.show_errors(
                {k if k in ("amount", "products") else FORM_KEY: v for k, v in exc.errors.items()}
            )
        elif isinstance(exc, FrontdeskError):
            self.show_errors({FORM_KEY: str(exc)})
        else:
            raise exc
        self.save_button.setEnabled(self.quote is not None)

    def save(self) -> bool:
        if not self.items:
            self.show_errors({"products": "Add at least one product to sell."})
            return False
        try:
            cents = parse_money(self.amount.text(), "amount")
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return False
        self.clear_errors()
        self.save_button.setEnabled(False)
        tenders = [Tender(PaymentMethod(self.method.currentData()), cents)] if cents else []
        db, pid, items, now = self.ctx.db, self.patient_id, list(self.items), self.ctx.clock()
        wants_print = self.print_receipt.isChecked()
        run_query(
            self,
            lambda: SaleResult(invoice_sale(db, pid, items, now=now, tenders=tenders), wants_print),
            self._done,
            self._failed,
        )
        return False  # closed by ``_done`` once the sale is recorded

    def _done(self, result: SaleResult) -> None:
        self.result_value = result
        QDialog.accept(self)

    @classmethod
    def ask(
        cls, parent: QWidget | None, ctx: AppContext, patient_id: int, patient_name: str
    ) -> SaleResult | None:
        dialog = cls(parent, ctx, patient_id, patient_name)
        try:
            dialog.exec()
            return dialog.result_value
        finally:
            dialog.deleteLater()
