"""Receipts and statement for one patient: what they ask for at the desk for their insurer.

Opened from the patient hub and the chart's toolbar ("Receipts and statement…"). The patient's invoices, newest first,
each printable as its receipt, and the yearly statement of paid services for a calendar year.
Everything is read and rendered on a worker; the shared preview prints or saves the PDF.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from frontdesk.accounts.permissions import is_allowed
from frontdesk.billing import HistoryEntry, fmt_money, patient_billing_history
from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError
from frontdesk.timefmt import fmt_date
from frontdesk.ui.worker import run_query


class PatientPapersDialog(QDialog):
    def __init__(
        self, ctx: AppContext, patient_id: int, name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.patient_id, self.name = ctx, patient_id, name
        self.setWindowTitle(f"Receipts and statement: {name}")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Invoices (newest first): choose one to print its receipt."))
        self.invoices = QListWidget()
        self.invoices.setMinimumSize(440, 220)
        layout.addWidget(self.invoices, 1)
        self.receipt_button = QPushButton("Print receipt…")
        self.receipt_button.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.receipt_button)
        row.addStretch(1)
        row.addWidget(QLabel("Statement for the year"))
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(ctx.clock().year)
        row.addWidget(self.year)
        self.statement_button = QPushButton("Print statement…")
        row.addWidget(self.statement_button)
        layout.addLayout(row)
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for button in (self.receipt_button, self.statement_button):
            button.setAutoDefault(False)
        self.invoices.currentItemChanged.connect(
            lambda item, _old: self.receipt_button.setEnabled(item is not None)
        )
        self.invoices.itemActivated.connect(lambda _item: self.print_receipt())
        self.receipt_button.clicked.connect(self.print_receipt)
        self.statement_button.clicked.connect(self.print_statement)
        db = ctx.db
        run_query(self, lambda: patient_billing_history(db, patient_id), self._show, self._failed)

    def _show(self, history: list[HistoryEntry]) -> None:
        bills = [e for e in history if e.kind in ("invoice", "void invoice")]
        if not bills:
            self.invoices.addItem("No invoices yet.")
            self.invoices.setEnabled(False)
            return
        for entry in reversed(bills):
            text = f"{fmt_date(entry.on)}  ·  {entry.reference}  ·  {fmt_money(entry.amount_cents)}"
            text += f"  ·  {entry.description}"
            if entry.kind == "void invoice":
                text = f"VOID  {text}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, entry.invoice_id)
            item.setData(Qt.ItemDataRole.UserRole + 1, entry.reference)
            self.invoices.addItem(item)
        self.invoices.setCurrentRow(0)

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, FrontdeskError):
            raise exc
        self.error.setText(str(exc))
        self.error.show()

    def _preview(self, title: str, name: str) -> Callable[[bytes], None]:
        from frontdesk.ui.printing import show_pdf_preview

        def shown(pdf: bytes) -> None:
            self.error.hide()
            self.preview = show_pdf_preview(self, title, pdf, suggested_name=name)

        return shown

    @Slot()
    def print_receipt(self) -> None:
        from frontdesk.reports.printing import receipt_pdf

        item = self.invoices.currentItem()
        invoice_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if invoice_id is None:
            return
        db, now = self.ctx.db, self.ctx.clock()
        reference = str(item.data(Qt.ItemDataRole.UserRole + 1))  # "Invoice 12"
        shown = self._preview(
            f"{reference}: {self.name}", reference.lower().replace("invoice ", "receipt-")
        )
        run_query(self, lambda: receipt_pdf(db, int(invoice_id), now=now), shown, self._failed)

    @Slot()
    def print_statement(self) -> None:
        from frontdesk.reports.printing import statement_pdf

        db, now, year, pid = self.ctx.db, self.ctx.clock(), self.year.value(), self.patient_id
        shown = self._preview(
            f"Statement {year}: {self.name}", f"statement-{year}-{self.name}".replace(" ", "-")
        )
        run_query(self, lambda: statement_pdf(db, pid, year, now=now), shown, self._failed)


def papers_action(
    window: QWidget, ctx: AppContext, patient_id: int, name: Callable[[], str]
) -> QAction | None:
    """ "Receipts and statement…" for a window showing one patient (the chart's toolbar), or
    None when the signed-in role may not print them (a practitioner reads no invoices)."""
    actor = ctx.db.actor
    if actor is not None and not is_allowed("statement_pdf", actor.role):
        return None
    action = QAction("Receipts and statement\u2026", window)
    action.setToolTip("Print a receipt or this patient's yearly statement for their insurer")

    def show() -> None:
        dialog = PatientPapersDialog(ctx, patient_id, name(), window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    action.triggered.connect(show)
    return action
