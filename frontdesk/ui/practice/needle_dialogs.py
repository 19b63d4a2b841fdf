"""The two questions of the needle safety check: how many needles came out, and what went
wrong (an adverse event) with what was done about it.

Both are small dialogs with a ``classmethod ask`` that tests replace; the rules (a count that
does not add up blocks signing, what an event needs) stay in the services.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from frontdesk.needling.types import MAX_NEEDLES, AdverseKind


class NeedleCountDialog(QDialog):
    """Asked on signing a note with needles inserted: the count of needles removed."""

    def __init__(self, inserted: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Needles removed")
        self.count = QSpinBox()
        self.count.setRange(0, MAX_NEEDLES)
        self.count.setValue(inserted)
        self.count.selectAll()
        text = QLabel(
            f"{inserted} needles were inserted in this session. Count the needles removed "
            "(in the sharps container) and enter the count."
        )
        text.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Needles removed", self.count)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, parent: QWidget | None, inserted: int) -> int | None:
        """The count entered, or ``None`` when the practitioner cancelled."""
        dialog = cls(inserted, parent)
        try:
            return dialog.count.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class AdverseEventDialog(QDialog):
    """What happened in the treatment and what was done about it."""

    def __init__(self, kind: AdverseKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record an adverse event")
        self.kind = QComboBox()
        for k in AdverseKind:
            self.kind.addItem(k.label, k)
        self.kind.setCurrentIndex(list(AdverseKind).index(kind))
        self.description = QPlainTextEdit(placeholderText="What happened, where and when")
        self.action = QPlainTextEdit(
            placeholderText="What was done, e.g. needle removed, pressure for two minutes"
        )
        for edit in (self.description, self.action):
            edit.setFixedHeight(70)
        self.red_flag = QLabel(
            "Suspected pneumothorax is a red flag: call 911 if the patient is short of breath "
            "or has chest pain, and record what was done."
        )
        self.red_flag.setWordWrap(True)
        self.red_flag.setStyleSheet("color: #b3261e;")
        form = QFormLayout()
        form.addRow("What happened", self.kind)
        form.addRow("Details", self.description)
        form.addRow("What was done", self.action)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.red_flag)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._show_flag)
        self._show_flag()

    def _show_flag(self) -> None:
        self.red_flag.setVisible(self.kind.currentData() is AdverseKind.PNEUMOTHORAX)

    @classmethod
    def ask(cls, parent: QWidget | None, kind: AdverseKind) -> tuple[AdverseKind, str, str] | None:
        """(kind, details, what was done), or ``None`` when cancelled; the service checks it."""
        dialog = cls(kind, parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return (
                AdverseKind(dialog.kind.currentData()),
                dialog.description.toPlainText(),
                dialog.action.toPlainText(),
            )
        finally:
            dialog.deleteLater()
