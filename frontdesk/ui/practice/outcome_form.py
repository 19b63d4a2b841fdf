"""Fill in an outcome questionnaire with the patient: big 0–10 buttons, one row per item.

Made to be handed over: each number is a large button a finger or a mouse hits easily, the
questionnaire's own introduction is at the top in plain words, and **F11** fills the screen
with larger text (a tablet or the second screen at the desk). For the Patient-Specific
Functional Scale the patient names each activity; when it is asked again, the activities
named last time are filled in so the same ones are rated. The service scores it; a missing
or out-of-range answer is named at its row, and nothing is kept until all are right.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError, ValidationError
from frontdesk.outcomes.questionnaires import Answer, Questionnaire
from frontdesk.outcomes.service import DueOutcome, OutcomeView, record_outcome
from frontdesk.ui import qtbits
from frontdesk.ui.worker import Latest

CHOSEN_STYLE = (
    "QPushButton:checked { background: #2b7a78; color: white; border: 1px solid #1f5f5d;"
    " font-weight: bold; }"
)


class ItemRow:
    """One item: its label (or the activity's name field), the number buttons, the message."""

    def __init__(self, q: Questionnaire, index: int, grid: QGridLayout, name: str) -> None:
        item = q.items[index]
        self.key = item.key
        row = index * 3
        if q.named_items:
            self.name: QLineEdit | None = QLineEdit(name)
            self.name.setPlaceholderText(f"{item.label}: e.g. climbing stairs, lifting a child")
            grid.addWidget(self.name, row, 0, 1, 3)
        else:
            self.name = None
            grid.addWidget(qtbits.label(item.label, name="sectionTitle", wrap=True), row, 0, 1, 3)
        grid.addWidget(qtbits.label(item.min_label, name="muted"), row + 1, 0)
        buttons = QWidget()
        line = QHBoxLayout(buttons)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(4)
        # The chosen number must stand out at a glance, whatever the window's style sheet.
        buttons.setStyleSheet(CHOSEN_STYLE)
        self.group = QButtonGroup(buttons)
        for value in range(q.scale_min, q.scale_max + 1):
            button = QPushButton(str(value))
            button.setCheckable(True)
            button.setMinimumSize(48, 40)
            button.setAccessibleName(f"{item.label}: {value}")
            self.group.addButton(button, value)
            line.addWidget(button)
        grid.addWidget(buttons, row + 1, 1)
        grid.addWidget(qtbits.label(item.max_label, name="muted"), row + 1, 2)
        self.error = qtbits.label("", name="fieldError", wrap=True)
        self.error.hide()
        grid.addWidget(self.error, row + 2, 0, 1, 3)

    def answer(self) -> Answer:
        chosen = self.group.checkedId()
        name = self.name.text() if self.name is not None else ""
        return Answer(self.key, None if chosen < 0 else chosen, name)

    def choose(self, value: int) -> None:
        button = self.group.button(value)
        if button is not None:
            button.setChecked(True)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))


class OutcomeDialog(QDialog):
    """Record one questionnaire for ``patient_id``; ``due`` pre-selects and pre-names.

    Signals:
        finished_saving(): the service answered (kept or refused); tests wait for it.
    """

    finished_saving = Signal()

    def __init__(
        self,
        ctx: AppContext,
        patient_id: int,
        patient_name: str,
        questionnaires: Mapping[str, Questionnaire],
        parent: QWidget | None = None,
        *,
        due: Sequence[DueOutcome] = (),
        appointment_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patient_id = patient_id
        self.appointment_id = appointment_id
        self.questionnaires = dict(questionnaires)
        self.due = {d.questionnaire: d for d in due}
        self.saved: OutcomeView | None = None
        self.rows: list[ItemRow] = []
        self._saving = Latest()
        self.setWindowTitle(f"Questionnaire \u2013 {patient_name}")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.choice = QComboBox()
        for q in self.questionnaires.values():
            label = q.title + ("  (due)" if q.key in self.due else "")
            self.choice.addItem(label, q.key)
        first_due = next((k for k in self.questionnaires if k in self.due), None)
        if first_due is not None:
            self.choice.setCurrentIndex(self.choice.findData(first_due))
        caption = qtbits.label("&Questionnaire")
        caption.setBuddy(self.choice)
        top.addWidget(caption)
        top.addWidget(self.choice, 1)
        layout.addLayout(top)
        self.intro = qtbits.label("", wrap=True)
        layout.addWidget(self.intro)
        self.form_error = qtbits.label("", name="formError", wrap=True)
        self.form_error.hide()
        layout.addWidget(self.form_error)
        self.items_area = QScrollArea()
        self.items_area.setWidgetResizable(True)
        layout.addWidget(self.items_area, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Keep answers")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.choice.currentIndexChanged.connect(lambda _i: self._build_items())
        qtbits.shortcut(QKeySequence("F11"), self, self.toggle_hand_over)
        self._build_items()
        self.resize(900, 620)

    def questionnaire(self) -> Questionnaire:
        return self.questionnaires[str(self.choice.currentData())]

    def _build_items(self) -> None:
        q = self.questionnaire()
        self.intro.setText(q.intro)
        names = dict(self.due[q.key].activity_names) if q.key in self.due else {}
        body = QWidget()
        grid = QGridLayout(body)
        grid.setColumnStretch(3, 1)
        self.rows = [
            ItemRow(q, n, grid, names.get(q.items[n].key, "")) for n in range(len(q.items))
        ]
        grid.setRowStretch(grid.rowCount(), 1)
        self.items_area.setWidget(body)
        self.form_error.hide()

    def toggle_hand_over(self) -> None:
        """Full screen with larger text for the patient, and back (F11)."""
        font = QFont(self.font())
        if self.isFullScreen():
            font.setPointSizeF(font.pointSizeF() / 1.4)
            self.setFont(font)
            self.showNormal()
        else:
            font.setPointSizeF(font.pointSizeF() * 1.4)
            self.setFont(font)
            self.showFullScreen()

    def answers(self) -> list[Answer]:
        return [row.answer() for row in self.rows]

    def accept(self) -> None:
        if self._saving.running:
            return
        for row in self.rows:
            row.show_error("")
        self.form_error.hide()
        db, pid, key, answers = (
            self.ctx.db,
            self.patient_id,
            self.questionnaire().key,
            self.answers(),
        )
        now, appointment = self.ctx.clock(), self.appointment_id
        known = self.questionnaires
        self._saving.run(
            self,
            lambda: record_outcome(
                db, pid, key, answers, now=now, appointment_id=appointment, questionnaires=known
            ),
            self._kept,
            self._refused,
        )

    def _kept(self, view: OutcomeView) -> None:
        self.saved = view
        self.finished_saving.emit()
        super().accept()

    def _refused(self, exc: Exception) -> None:
        self.finished_saving.emit()
        if isinstance(exc, ValidationError):
            by_key = {row.key: row for row in self.rows}
            for key, text in exc.errors.items():
                if key in by_key:
                    by_key[key].show_error(text)
                else:
                    self.form_error.setText(text)
                    self.form_error.show()
        elif isinstance(exc, FrontdeskError):
            self.form_error.setText(str(exc))
            self.form_error.show()
        else:
            raise exc

    def error_text(self, key: str) -> str:
        """The message at item ``key`` ("" for the whole form); what tests read."""
        if not key:
            return self.form_error.text() if not self.form_error.isHidden() else ""
        row = next((r for r in self.rows if r.key == key), None)
        return row.error.text() if row is not None and not row.error.isHidden() else ""

    def row(self, key: str) -> Any:
        return next(r for r in self.rows if r.key == key)
