"""The two questions of the needle safety check: how many needles came out, and what went
wrong (an adverse event) with what was done about it.

Both are small dialogs with a ``classmethod ask`` that tests replace; the rules (a count that
does not add up blocks signing, what an event needs) stay in the services.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError, ValidationError
from frontdesk.needling.service import save_point_prescription
from frontdesk.needling.types import (
    MAX_NEEDLES,
    AdverseKind,
    Needling,
    PrescriptionInput,
    PrescriptionView,
)
from frontdesk.ui.practice.fields import FieldErrors
from frontdesk.ui.worker import run_query


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
        chosen = self.kind.currentData()  # Qt may hand the enum back as its plain string
        self.red_flag.setVisible(chosen is not None and AdverseKind(chosen).red_flag)

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


class SavePrescriptionDialog(QDialog):
    """Save the session's points and settings as a point prescription, named for its
    condition; stored on a worker, a refusal shown at its field with the dialog still open.

    Signals:
        saved(object): the ``PrescriptionView`` stored.
    """

    saved = Signal(object)

    def __init__(self, ctx: AppContext, needling: Needling, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.needling = needling
        self.setWindowTitle("Save as point prescription")
        self.name = QLineEdit(placeholderText="e.g. Neck, pinched nerve (C5-C7)")
        self.condition = QLineEdit(placeholderText="What it treats, in your words")
        self.notes = QPlainTextEdit(placeholderText="Anything to remember when applying it")
        self.notes.setFixedHeight(60)
        self.errors = FieldErrors()
        points = ", ".join(p.text() for p in needling.points) or "no points chosen"
        form = QFormLayout()
        form.addRow("Points", QLabel(points, wordWrap=True))
        form.addRow("Name", self.errors.wrap("name", self.name))
        form.addRow("Condition", self.errors.wrap("condition", self.condition))
        form.addRow("Notes", self.errors.wrap("notes", self.notes, "points"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    @Slot()
    def save(self) -> None:
        n = self.needling
        data = PrescriptionInput(
            name=self.name.text(),
            condition=self.condition.text(),
            points=n.points,
            retention_minutes=n.retention_minutes,
            electro_hz=n.electro_hz,
            moxibustion=n.moxibustion,
            cupping=n.cupping,
            notes=self.notes.toPlainText(),
        )
        db, now = self.ctx.db, self.ctx.clock()
        self.buttons.setEnabled(False)
        run_query(
            self,
            lambda: save_point_prescription(db, None, data, now=now),
            self._saved,
            self._failed,
        )

    def _saved(self, view: PrescriptionView) -> None:
        self.saved.emit(view)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, ValidationError):
            unplaced = self.errors.show(exc.errors)
            if unplaced:
                self.errors.show({**exc.errors, "notes": " ".join(unplaced)})
        elif isinstance(exc, FrontdeskError):
            self.errors.show({"name": str(exc)})
        else:
            raise exc
