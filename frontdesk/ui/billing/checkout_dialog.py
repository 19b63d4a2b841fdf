"""Check-out: the visit's invoice and its payment in one window, opened from the calendar.

Everything is filled in: the fee for the visit on its day, tax, the total as the amount paid by
debit. Reception may add products, change the method or split the payment over two methods;
"Check out" issues the invoice and records the payment in one transaction (``billing.check_out``
on a worker), and the receipt preview follows when asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

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
    check_out,
    fmt_money,
    list_products,
    parse_money,
    quote_check_out,
)
from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError, ValidationError
from frontdesk.scheduling import AppointmentView
from frontdesk.timefmt import fmt_short_when
from frontdesk.ui.dialogs.base import FORM_KEY, FormDialog
from frontdesk.ui.worker import run_query

NO_SECOND = "No second method"


@dataclass(frozen=True)
class CheckOutResult:
    invoice: InvoiceView
    paid_cents: int
    methods: tuple[str, ...]
    print_receipt: bool


class CheckOutDialog(FormDialog):
    """The invoice to be issued, the payment, and whether to print the receipt."""

    def __init__(
        self, parent: QWidget | None, ctx: AppContext, appt: AppointmentView, tz: ZoneInfo
    ) -> None:
        super().__init__("Check out", parent)
        self.ctx = ctx
        self.appt = appt
        self.result_value: CheckOutResult | None = None
        self.quote: Quote | None = None
        self.products: list[ProductLine] = []
        self._catalogue: list[ProductView] = []
        body = QWidget()
        form = QFormLayout(body)
        form.addRow(
            QLabel(
                f"<b>{appt.patient_name}</b>: {appt.type_name} with {appt.practitioner_name}, "
                f"{fmt_short_when(appt.start, tz)}"
            )
        )
        self.lines = QLabel("Pricing the visit…")
        self.lines.setObjectName("checkoutLines")
        self.lines.setMinimumWidth(420)
        form.addRow(self.lines)
        products = QWidget()
        row = QHBoxLayout(products)
        row.setContentsMargins(0, 0, 0, 0)
        self.product_box = QComboBox()
        self.add_product_button = QPushButton("Add")
        self.add_product_button.clicked.connect(self._add_product)
        row.addWidget(self.product_box, 1)
        row.addWidget(self.add_product_button)
        self.add_row(form, "&Product:", "products", products, self.product_box)
        self.method = QComboBox()
        self.second_method = QComboBox()
        self.second_method.addItem(NO_SECOND, None)
        for method in PaymentMethod:
            self.method.addItem(method.label, method)
            self.second_method.addItem(method.label, method)
        self.method.setCurrentIndex(self.method.findData(PaymentMethod.DEBIT))
        self.amount = QLineEdit()
        self._amount_typed = False
        self.amount.textEdited.connect(self._typed_amount)
        self.second_amount = QLineEdit()
        self.second_amount.setPlaceholderText("0.00")
        self.add_row(form, "Paid &by:", "method", self.method)
        self.add_row(form, "&Amount:", "amount", self.amount)
        self.add_row(form, "&Split with:", "second_method", self.second_method)
        self.add_row(form, "Second a&mount:", "second_amount", self.second_amount)
        self.print_receipt = QCheckBox("Print the receipt")
        self.print_receipt.setChecked(True)
        form.addRow(self.print_receipt)
        self.set_body(body)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Check out")
        self.save_button.setEnabled(False)
        self._load()

    # -- loading -----------------------------------------------------------------------------
    def _load(self) -> None:
        db, appt_id, products = self.ctx.db, self.appt.id, list(self.products)

        def fetch() -> tuple[Quote, list[ProductView]]:
            return quote_check_out(db, appt_id, products), list_products(db)

        run_query(self, fetch, self._show_quote, self._failed)

    def _show_quote(self, answer: tuple[Quote, list[ProductView]]) -> None:
        quote, catalogue = answer
        first = self.quote is None
        self.quote = quote
        if not self._catalogue:
            self._catalogue = catalogue
            self.product_box.clear()
            for p in catalogue:
                self.product_box.addItem(f"{p.name}  {fmt_money(p.price_cents)}", p.id)
            self.product_box.setEnabled(bool(catalogue))
            self.add_product_button.setEnabled(bool(catalogue))
        rows = "".join(
            f"<tr><td>{line.description}{'' if line.quantity == 1 else f' × {line.quantity}'}</td>"
            f"<td align='right'>{fmt_money(line.amount_cents)}</td>"
            f"<td align='right'>{'GST ' + fmt_money(line.tax_cents) if line.tax_basis_points else 'exempt'}</td></tr>"
            for line in quote.lines
        )
        credit = (
            f"<tr><td colspan='3'>Credit on account: {fmt_money(quote.credit_cents)}</td></tr>"
            if quote.credit_cents > 0
            else ""
        )
        self.lines.setText(
            f"<table cellspacing='4'>{rows}<tr><td><b>Total</b></td>"
            f"<td align='right'><b>{fmt_money(quote.total_cents)}</b></td>"
            f"<td align='right'>GST {fmt_money(quote.tax_cents)}</td></tr>{credit}</table>"
        )
        if first or not self._amount_typed:
            self.amount.setText(amount_text(quote.total_cents))
        self.save_button.setEnabled(True)

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, ValidationError):
            self.show_errors(
                {FORM_KEY if k not in ("amount",) else k: v for k, v in exc.errors.items()}
            )
        elif isinstance(exc, FrontdeskError):
            self.show_errors({FORM_KEY: str(exc)})
        else:
            raise exc
        self.save_button.setEnabled(self.quote is not None)

    @Slot()
    def _typed_amount(self) -> None:
        self._amount_typed = True

    @Slot()
    def _add_product(self) -> None:
        product_id = self.product_box.currentData()
        if product_id is None:
            return
        self.products.append(ProductLine(int(product_id)))
        self._load()

    # -- saving ------------------------------------------------------------------------------
    def tenders(self) -> list[Tender]:
        """The payment as typed; ``ValidationError`` keyed by the field that is wrong."""
        errors: dict[str, str] = {}
        tenders = []
        try:
            tenders.append(
                Tender(
                    PaymentMethod(self.method.currentData()),
                    parse_money(self.amount.text(), "amount"),
                )
            )
        except ValidationError as exc:
            errors.update(exc.errors)
        second = self.second_method.currentData()
        if second is not None:
            try:
                tenders.append(
                    Tender(second, parse_money(self.second_amount.text(), "second_amount"))
                )
            except ValidationError as exc:
                errors.update(exc.errors)
        if errors:
            raise ValidationError(errors)
        return [t for t in tenders if t.amount_cents > 0]

    def save(self) -> bool:
        try:
            tenders = self.tenders()
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return False
        self.clear_errors()
        self.save_button.setEnabled(False)
        db, appt, products, now = self.ctx.db, self.appt, list(self.products), self.ctx.clock()
        wants_print = self.print_receipt.isChecked()

        def work() -> CheckOutResult:
            # one transaction: the invoice and the money received for it, or neither
            invoice = check_out(db, appt.id, now=now, products=products, tenders=tenders)
            return CheckOutResult(
                invoice, invoice.paid_cents, tuple(t.method.label for t in tenders), wants_print
            )

        run_query(self, work, self._done, self._failed)
        return False  # closed by ``_done`` once the invoice and payment are recorded

    def _done(self, result: CheckOutResult) -> None:
        self.result_value = result
        QDialog.accept(self)

    @classmethod
    def ask(
        cls, parent: QWidget | None, ctx: AppContext, appt: AppointmentView, tz: ZoneInfo
    ) -> CheckOutResult | None:
        """The invoice issued and what was paid, or None when the desk closed the window."""
        dialog = cls(parent, ctx, appt, tz)
        try:
            dialog.exec()
            return dialog.result_value
        finally:
            dialog.deleteLater()
