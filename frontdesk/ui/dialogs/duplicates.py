"""The "is this patient already registered?" question asked before a possible second chart.

Two charts for one person split their history, so the warning lists who matched and why, and
the safe choice ("Go back") is the default button.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.patients import DuplicateCandidate
from frontdesk.ui import theme
from frontdesk.ui.formatting import format_date, format_health_number

_COLUMNS = ("Name", "Date of birth", "Phone", "Health number", "Why it matches")


class DuplicateWarningDialog(QDialog):
    """Lists possible duplicates; accepted means "Save anyway", rejected means "Go back"."""

    def __init__(self, candidates: Sequence[DuplicateCandidate], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Possible duplicate patient")
        self.setModal(True)
        self.resize(760, 280)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(22, 18, 22, 16)
        lay.setSpacing(10)
        head = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(theme.icon("warning").pixmap(36, 36))
        head.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        many = len(candidates) > 1
        text = QLabel(
            "<b style='font-size:12pt'>Is this patient already registered?</b><br>"
            + ("These patients look like" if many else "This patient looks like")
            + " the one you are saving. If it is the same person, go back and use the "
            "existing record, so all their visits stay in one chart.",
            wordWrap=True,
        )
        head.addWidget(text, 1)
        lay.addLayout(head)
        self.table = QTableWidget(len(candidates), len(_COLUMNS))
        self.table.setHorizontalHeaderLabels(_COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for row, candidate in enumerate(candidates):
            p = candidate.patient
            name = p.display_name + ("  (archived)" if p.archived else "")
            values = (
                name,
                format_date(p.date_of_birth),
                p.phone_display,
                format_health_number(p.health_number),
                candidate.reason.capitalize(),
            )
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.table, 1)
        self.buttons = QDialogButtonBox()
        self.go_back = QPushButton("Go back")
        self.save_anyway = QPushButton("Save anyway")
        self.buttons.addButton(self.save_anyway, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.go_back, QDialogButtonBox.ButtonRole.RejectRole)
        self.go_back.setDefault(True)
        self.go_back.setFocus()
        lay.addWidget(self.buttons)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    @classmethod
    def ask(cls, parent: QWidget | None, candidates: Sequence[DuplicateCandidate]) -> bool:
        """True when the user chose "Save anyway"."""
        dialog = cls(candidates, parent)
        return dialog.exec() == QDialog.DialogCode.Accepted
