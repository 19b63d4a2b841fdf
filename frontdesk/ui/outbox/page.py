"""The Outbox page (reception): what was emailed to whom, what failed and why, and Retry.

Filters by status and by text (a patient's name, an address, a subject). Failed messages are
red with their reason; Retry puts one back in the queue and "Send now" runs the sender at once
instead of waiting for the timer. Every call runs on a worker (``ui/worker.py``).
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Slot
from PySide6.QtGui import QBrush, QColor, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.clinic import get_clinic
from frontdesk.context import AppContext
from frontdesk.messaging.outbox import STATUS_LABELS, OutboxEntry, list_outbox, retry_message
from frontdesk.messaging.sender import SendReport, send_due_messages
from frontdesk.timefmt import fmt_short_when, fmt_when
from frontdesk.ui import qtbits
from frontdesk.ui.models.rows import RowsTableModel
from frontdesk.ui.widgets.page import Page
from frontdesk.ui.widgets.tables import list_table
from frontdesk.ui.worker import Latest, run_query

ModelIndex = QModelIndex | QPersistentModelIndex
DUE, PATIENT, KIND, VISIT, TO, STATUS = range(6)
HEADERS = ("Due", "Patient", "Message", "Visit", "To", "Status")
_FAILED = QColor("#a33a2a")
_MUTED = QColor("#6b7d87")


class OutboxModel(RowsTableModel[OutboxEntry]):
    """Rows of ``OutboxEntry``, shown in the clinic's zone."""

    headers = HEADERS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.tz = ZoneInfo("UTC")

    def reset(self, rows: list[OutboxEntry]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row())
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                DUE: fmt_short_when(row.due_at, self.tz),
                PATIENT: row.patient_name,
                KIND: row.kind_label,
                VISIT: fmt_short_when(row.visit_start, self.tz),
                TO: row.to_address or "–",
                STATUS: row.status_text,
            }.get(column)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [row.subject, row.status_text]
            if row.sent_at is not None:
                lines.append(f"Sent {fmt_when(row.sent_at, self.tz)}")
            if row.attempts:
                lines.append(f"Attempts: {row.attempts}")
            return "\n".join(lines)
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS:
            if row.status == "failed" or (row.status == "pending" and row.reason):
                return QBrush(_FAILED)
            if row.status in ("not_sent", "skipped"):
                return QBrush(_MUTED)
        return None


class OutboxPage(Page):
    """Status filter, search, the table, and Retry / Send now."""

    def __init__(self, ctx: AppContext, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(ctx, undo_stack, parent)
        self.model = OutboxModel(self)
        self.loaded = False
        self._rows = Latest()
        self._build()
        self._connect_signals()

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 22, 28, 16)
        outer.setSpacing(10)
        outer.addWidget(qtbits.label("Outbox", name="pageTitle"))
        outer.addWidget(
            qtbits.label(
                "Every email to a patient: confirmations, reminders, and notices of moved or "
                "cancelled visits. Failed ones show why; Retry sends one again.",
                name="pageSubtitle",
                wrap=True,
            )
        )
        bar = QHBoxLayout()
        self.status = QComboBox()
        self.status.addItem("All messages", None)
        for key in ("failed", "pending", "sent", "not_sent", "skipped"):
            self.status.addItem(STATUS_LABELS[key], key)
        self.search = QLineEdit(placeholderText="Patient, address or subject")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        self.retry_button = QPushButton("&Retry")
        self.retry_button.setEnabled(False)
        self.send_button = QPushButton("Send &now")
        bar.addWidget(self.status)
        bar.addWidget(self.search)
        bar.addStretch(1)
        bar.addWidget(self.retry_button)
        bar.addWidget(self.send_button)
        outer.addLayout(bar)
        self.table = list_table(self.model, row_height=28)
        self.table.setAccessibleName("Outbox messages")
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        metrics = self.table.fontMetrics()
        for column, sample in (
            (DUE, "Wed 30 Dec, 23:59"),
            (PATIENT, "Fleming, Alexander (Alex)"),
            (KIND, "Booking confirmation"),
            (VISIT, "Wed 30 Dec, 23:59"),
            (TO, "alexander.fleming@example.com"),
        ):
            head.resizeSection(column, metrics.horizontalAdvance(sample) + 24)
        head.setStretchLastSection(True)
        outer.addWidget(self.table, 1)
        self.details = qtbits.label(wrap=True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.details)
        self.count_label = qtbits.label(name="muted")
        outer.addWidget(self.count_label)

    def _connect_signals(self) -> None:
        self.status.activated.connect(self.reload)
        self.search.returnPressed.connect(self.reload)
        self.search.textChanged.connect(self._search_cleared)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.retry_button.clicked.connect(self.retry_selected)
        self.send_button.clicked.connect(self.send_now)

    # -- Page ----------------------------------------------------------------------------------
    def activated(self) -> None:
        self.reload()

    def database_changed(self) -> None:
        if self.isVisible():
            self.reload()

    def focus_primary(self) -> None:
        self.table.setFocus()

    def shortcuts(self) -> list[tuple[str, str]]:
        return [
            ("Enter (in the search box)", "Show the messages matching the text"),
            ("Alt+R", "Send the selected failed message again"),
            ("Alt+N", "Send the due messages now"),
        ]

    def prepare_screenshot(self) -> None:
        self.wait_loaded()
        for row in range(self.model.rowCount()):
            entry = self.model.row_at(row)
            if entry is not None and entry.status == "failed":
                self.table.selectRow(row)
                break

    def wait_loaded(self) -> None:
        if self._rows.job is not None:
            self._rows.job.wait()

    # -- reading -------------------------------------------------------------------------------
    @Slot()
    def reload(self) -> None:
        db, status, text = self.ctx.db, self.status.currentData(), self.search.text()

        def read() -> tuple[list[OutboxEntry], ZoneInfo]:
            return list_outbox(db, status=status, text=text), get_clinic(db).tz

        self._rows.run(self, read, self._show, self._failed)

    def _show(self, result: tuple[list[OutboxEntry], ZoneInfo]) -> None:
        rows, tz = result
        self.model.tz = tz
        self.model.reset(rows)
        failed = sum(1 for r in rows if r.status == "failed")
        shown = f"{len(rows)} message{'s' if len(rows) != 1 else ''}"
        self.count_label.setText(shown + (f", {failed} failed" if failed else ""))
        self._on_current(self.table.currentIndex())
        self.loaded = True

    def _failed(self, exc: Exception) -> None:
        self.count_label.setText(str(exc))
        self.loaded = True

    @Slot(str)
    def _search_cleared(self, text: str) -> None:
        if not text:
            self.reload()

    @Slot(QModelIndex)
    def _on_current(self, index: QModelIndex) -> None:
        entry = self.model.row_at(index.row()) if index.isValid() else None
        self.details.setText(f"{entry.subject}\n{entry.status_text}" if entry is not None else "")
        self.retry_button.setEnabled(
            entry is not None and entry.status in ("failed", "not_sent", "pending")
        )

    # -- actions -------------------------------------------------------------------------------
    def selected(self) -> OutboxEntry | None:
        return self.model.row_at(self.table.currentIndex().row())

    @Slot()
    def retry_selected(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        db, now = self.ctx.db, self.ctx.clock()
        run_query(
            self,
            lambda: retry_message(db, entry.id, now=now),
            lambda _e: self._after_action(
                f"{entry.kind_label} to {entry.patient_name} will be sent again with the next run."
            ),
            self._action_failed,
        )

    @Slot()
    def send_now(self) -> None:
        db, now = self.ctx.db, self.ctx.clock()
        self.send_button.setEnabled(False)
        run_query(self, lambda: send_due_messages(db, now=now), self._sent, self._action_failed)

    def _sent(self, report: SendReport) -> None:
        self.send_button.setEnabled(True)
        self._after_action(f"Outbox: {report.summary()}.")

    def _after_action(self, message: str) -> None:
        self.status_message.emit(message)
        self.reload()

    def _action_failed(self, exc: Exception) -> None:
        self.send_button.setEnabled(True)
        self.status_message.emit(str(exc))
