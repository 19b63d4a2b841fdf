"""A patient's account: the balance owing (or credit held), and every invoice and payment.

Shown on the chart (an Account tab) and under the patient's details on the Patients page.
Read on a worker whenever the patient changes or something was saved; "Print receipt" opens the
receipt of the selected invoice, or of the invoice the selected payment paid, in the shared
preview. A role that may read the balance but not the history (a practitioner) sees the
balance alone.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.billing import (
    Balance,
    HistoryEntry,
    fmt_money,
    patient_balance,
    patient_billing_history,
)
from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError, PermissionDenied
from frontdesk.timefmt import fmt_date
from frontdesk.ui import qtbits
from frontdesk.ui.worker import Latest, run_query

ID_ROLE = Qt.ItemDataRole.UserRole
OWING = QColor("#b3261e")
CREDIT = QColor("#1e6b52")


def balance_text(balance: Balance) -> str:
    """ "Owes $120.00 (2 unpaid invoices)", "Credit of $20.00 on account", "Nothing owing"."""
    if balance.balance_cents > 0:
        unpaid = balance.unpaid_invoices
        noun = "invoice" if unpaid == 1 else "invoices"
        return f"Owes {fmt_money(balance.balance_cents)} ({unpaid} unpaid {noun})"
    if balance.balance_cents < 0:
        return f"Credit of {fmt_money(-balance.balance_cents)} on account"
    return "Nothing owing"


class AccountPanel(QWidget):
    """Balance line, history list and a Print receipt button for one patient.

    Signals:
        loaded(): the patient's account is on screen (tests wait for it).
        message(str): something to say in the status bar (a receipt that could not be made).
    """

    loaded = Signal()
    message = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, rows: int = 6) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patient_id: int | None = None
        self.patient_name = ""
        self.balance: Balance | None = None
        self.history: list[HistoryEntry] | None = None
        self.last_preview: QWidget | None = None
        self._reading = Latest()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(qtbits.label("Account", name="detailLabel"))
        self.balance_label = qtbits.named(qtbits.label("…"), "accountBalance")
        layout.addWidget(self.balance_label)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Date", "What", "Amount", "Status"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setMinimumHeight(40 + 22 * rows)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the description gives way
        layout.addWidget(self.tree, 1)
        buttons = QHBoxLayout()
        self.receipt_button = QPushButton("Print &receipt…")
        self.receipt_button.setToolTip(
            "The receipt for the selected visit or payment, for the patient's insurer"
        )
        self.receipt_button.setEnabled(False)
        self.receipt_button.setAutoDefault(False)
        self.sell_button = QPushButton("Sell &products…")
        self.sell_button.setToolTip("Sell a product to this patient without a visit")
        self.sell_button.setAutoDefault(False)
        buttons.addWidget(self.receipt_button)
        buttons.addWidget(self.sell_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.receipt_button.clicked.connect(self.print_receipt)
        self.sell_button.clicked.connect(self.sell)
        self.tree.currentItemChanged.connect(self._update_button)
        self.tree.itemActivated.connect(lambda *_: self.print_receipt())

    # -- reading ------------------------------------------------------------------------------
    def show_patient(self, patient_id: int | None, name: str = "") -> None:
        """Read ``patient_id``'s account (None empties the panel)."""
        self.patient_id = patient_id
        self.patient_name = name
        if patient_id is None:
            self._reading.cancel()
            self._show((None, None))
            return
        self.reload()

    def reload(self) -> None:
        if self.patient_id is None:
            return
        db, pid = self.ctx.db, self.patient_id

        def fetch() -> tuple[Balance, list[HistoryEntry] | None]:
            balance = patient_balance(db, pid)
            try:
                history: list[HistoryEntry] | None = patient_billing_history(db, pid)
            except PermissionDenied:  # the balance only, for a role that keeps out of billing
                history = None
            return balance, history

        self._reading.run(self, fetch, self._show, self._failed)

    def _show(self, found: tuple[Balance | None, list[HistoryEntry] | None]) -> None:
        self.balance, self.history = found
        self.tree.clear()
        if self.balance is None:
            self.balance_label.setText("")
        else:
            self.balance_label.setText(balance_text(self.balance))
            colour = (
                OWING.name()
                if self.balance.balance_cents > 0
                else CREDIT.name()
                if self.balance.balance_cents < 0
                else ""
            )
            self.balance_label.setStyleSheet(
                f"font-weight: 600; color: {colour};" if colour else "font-weight: 600;"
            )
        self.tree.setVisible(self.history is not None)
        self.receipt_button.setVisible(self.history is not None)
        self.sell_button.setVisible(self.history is not None)
        for entry in reversed(self.history or []):  # newest on top
            amount = entry.amount_cents if entry.kind.endswith("invoice") else -entry.amount_cents
            item = QTreeWidgetItem(
                [
                    fmt_date(entry.on),
                    f"{entry.reference}: {entry.description}"
                    if entry.kind.endswith("invoice")
                    else f"{entry.description} by {entry.reference}",
                    fmt_money(amount),
                    entry.status or ("Refund" if entry.kind == "refund" else "Received"),
                ]
            )
            item.setData(0, ID_ROLE, entry.invoice_id)
            item.setToolTip(1, item.text(1))
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if entry.status in ("Unpaid",) or entry.status.endswith("owing"):
                item.setForeground(3, OWING)
            if entry.kind == "void invoice":
                for col in range(4):
                    item.setForeground(col, Qt.GlobalColor.gray)
            self.tree.addTopLevelItem(item)
        for col in (0, 2, 3):
            self.tree.resizeColumnToContents(col)
        self._update_button()
        self.loaded.emit()

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, FrontdeskError):
            raise exc
        self.balance_label.setText(f"The account could not be read: {exc}")
        self.tree.clear()

    @Slot()
    def _update_button(self) -> None:
        self.receipt_button.setEnabled(self.selected_invoice() is not None)

    def selected_invoice(self) -> int | None:
        item = self.tree.currentItem()
        value = item.data(0, ID_ROLE) if item is not None else None
        return int(value) if value is not None else None

    def select_row(self, row: int) -> None:
        item = self.tree.topLevelItem(row)
        if item is not None:
            self.tree.setCurrentItem(item)

    # -- printing -----------------------------------------------------------------------------
    @Slot()
    def print_receipt(self) -> None:
        """The selected row's receipt (a payment prints the receipt of the invoice it paid)."""
        invoice_id = self.selected_invoice()
        if invoice_id is None:
            return
        self._print(invoice_id, None)

    def _print(self, invoice_id: int, number: str | None) -> None:
        from frontdesk.reports import receipt_pdf  # ReportLab loads on first use

        db, now = self.ctx.db, self.ctx.clock()
        self.receipt_button.setEnabled(False)
        run_query(
            self,
            lambda: receipt_pdf(db, invoice_id, now=now),
            lambda pdf: self._preview(invoice_id, pdf, number),
            self._print_failed,
        )

    @Slot()
    def sell(self) -> None:
        """Sell products without a visit; the account is read again and the receipt offered."""
        if self.patient_id is None:
            return
        from frontdesk.ui.billing.sale_dialog import SaleDialog

        done = SaleDialog.ask(self.window(), self.ctx, self.patient_id, self.patient_name)
        if done is None:
            return
        invoice = done.invoice
        self.message.emit(
            f"Sold to {self.patient_name or 'the patient'}: invoice {invoice.number}, "
            f"{fmt_money(invoice.total_cents)}, {fmt_money(invoice.paid_cents)} paid."
        )
        self.reload()
        if done.print_receipt:
            self._print(invoice.id, str(invoice.number))

    def _preview(self, invoice_id: int, pdf: bytes, number: str | None) -> None:
        from frontdesk.ui.printing import show_pdf_preview

        self._update_button()
        number = number or next(
            (
                e.reference.removeprefix("Invoice ")
                for e in self.history or []
                if e.invoice_id == invoice_id and e.kind.endswith("invoice")
            ),
            str(invoice_id),
        )
        self.last_preview = show_pdf_preview(
            self.window(), f"Receipt: invoice {number}", pdf, suggested_name=f"receipt-{number}"
        )

    def _print_failed(self, exc: Exception) -> None:
        self._update_button()
        if not isinstance(exc, FrontdeskError):
            raise exc
        self.message.emit(f"The receipt could not be made: {exc}")
