"""The "is this patient already registered?" question asked before a possible second chart.

Two charts for one person split their history, so the warning lists who matched and why, and
the safe choice ("Go back") is the default button. When a new patient is being registered,
"Use the existing record" closes the form and carries on with the patient already on file
(the selected row when several match).
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
    """Lists possible duplicates; accepted means "Save anyway", rejected means "Go back" or,
    with ``existing_id`` set, "Use the existing record"."""

    def __init__(
        self,
        candidates: Sequence[DuplicateCandidate],
        parent: QWidget | None = None,
        *,
        offer_existing: bool = False,
    ):
        super().__init__(parent)
        self._candidates = list(candidates)
        self.existing_id: int | None = None
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
        if offer_existing:
            self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        else:
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
        self.use_existing = QPushButton("Use the existing record")
        self.use_existing.setToolTip(
            "Close this form and carry on with the patient already on file"
        )
        self.use_existing.setVisible(offer_existing)
        if offer_existing:
            self.buttons.addButton(self.use_existing, QDialogButtonBox.ButtonRole.ActionRole)
            self.table.selectRow(0)
        self.go_back.setDefault(True)
        self.go_back.setFocus()
        lay.addWidget(self.buttons)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.use_existing.clicked.connect(self._use_existing)

    def _use_existing(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].row() if rows else 0
        self.existing_id = self._candidates[row].patient.id
        self.reject()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        candidates: Sequence[DuplicateCandidate],
        *,
        chosen: list[int] | None = None,
    ) -> bool:
        """True when the user chose "Save anyway". With ``chosen``, "Use the existing record"
        is offered too; choosing it returns False and appends that patient's id to ``chosen``."""
        dialog = cls(candidates, parent, offer_existing=chosen is not None)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        if chosen is not None and dialog.existing_id is not None:
            chosen.append(dialog.existing_id)
        return accepted
