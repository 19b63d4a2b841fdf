"""The intake form, built from the form's data, for the patient to fill in at the desk.

Reception opens it from the patient hub and hands it over in large-text, full-screen mode
(``handover``), or the practitioner fills it in with the patient from the chart. Every
question of the form file becomes a field; a yes/no or choice answer that raises a caution asks
for its detail underneath. Saving runs on a worker (``save_intake``); a missing or wrong answer
comes back as a message beside its question, nothing stored. Once saved, the answers leave the
screen and a thank-you page asks the patient to hand the screen back: the desk never reads them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError, ValidationError
from frontdesk.intake import Answer, IntakeForm, IntakeInput, IntakeSaved, Question, save_intake
from frontdesk.ui import qtbits
from frontdesk.ui.intake.handover import (
    HAND_OVER,
    HAND_OVER_TIP,
    in_handover,
    set_handover,
)
from frontdesk.ui.worker import Latest

ANSWER_LABELS = {"yes": "Yes", "no": "No"}


class QuestionField(QWidget):
    """One question: its label, the widget for its kind, the detail a caution asks for, and
    the line its error shows on."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self.group: QButtonGroup | None = None
        self.text_edit: QLineEdit | QPlainTextEdit | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(5)
        mark = " *" if question.required else ""
        self.label = qtbits.label(question.label + mark, name="questionLabel", wrap=True)
        layout.addWidget(self.label)
        if question.kind in ("yes_no", "choice"):
            self.group = QButtonGroup(self)
            row = QHBoxLayout() if question.kind == "yes_no" else QVBoxLayout()
            row.setSpacing(4)
            for choice in question.choices:
                button = QRadioButton(ANSWER_LABELS.get(choice, choice))
                button.setProperty("answer", choice)
                self.group.addButton(button)
                row.addWidget(button)
            if isinstance(row, QHBoxLayout):
                row.addStretch(1)
            layout.addLayout(row)
            self.group.buttonToggled.connect(self._update_detail)
        elif question.kind == "line":
            self.text_edit = QLineEdit()
            layout.addWidget(self.text_edit)
        else:
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
            edit.setFixedHeight(84)
            self.text_edit = edit
            layout.addWidget(edit)
        buddy = self.text_edit or (self.group.buttons()[0] if self.group is not None else None)
        if buddy is not None:
            self.label.setBuddy(buddy)
        self.detail = QLineEdit(placeholderText=question.detail)
        self.detail.setAccessibleName(question.detail)
        self.detail_label = qtbits.label(question.detail, name="muted", wrap=True)
        self.detail_label.setBuddy(self.detail)
        layout.addWidget(self.detail_label)
        layout.addWidget(self.detail)
        self.error = qtbits.label(name="fieldError", wrap=True)
        self.error.hide()
        layout.addWidget(self.error)
        self._update_detail()

    def answer(self) -> Answer:
        q = self.question
        if self.group is not None:
            checked = self.group.checkedButton()
            value = str(checked.property("answer")) if checked is not None else ""
        elif isinstance(self.text_edit, QLineEdit):
            value = self.text_edit.text()
        else:
            assert self.text_edit is not None
            value = self.text_edit.toPlainText()
        detail = self.detail.text() if self._asks_detail(value) else ""
        return Answer(q.id, value, detail)

    def set_answer(self, value: str, detail: str = "") -> None:
        if self.group is not None:
            for button in self.group.buttons():
                if button.property("answer") == value:
                    button.setChecked(True)
        elif isinstance(self.text_edit, QLineEdit):
            self.text_edit.setText(value)
        elif self.text_edit is not None:
            self.text_edit.setPlainText(value)
        self.detail.setText(detail)
        self._update_detail()

    def clear(self) -> None:
        if self.group is not None:
            self.group.setExclusive(False)
            for button in self.group.buttons():
                button.setChecked(False)
            self.group.setExclusive(True)
        elif self.text_edit is not None:
            self.text_edit.clear()
        self.detail.clear()
        self.show_error("")
        self._update_detail()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def _asks_detail(self, value: str) -> bool:
        return bool(self.question.detail) and self.question.raises_caution(value)

    @Slot()
    def _update_detail(self, *_args: object) -> None:
        checked = self.group.checkedButton() if self.group is not None else None
        value = str(checked.property("answer")) if checked is not None else ""
        asks = self._asks_detail(value)
        self.detail_label.setVisible(asks)
        self.detail.setVisible(asks)


class IntakeFormWindow(QWidget):
    """A top-level window with one intake form for one patient (see the module docstring).

    Signals:
        saved(object): the ``IntakeSaved`` just stored.
    """

    saved = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        patient_id: int,
        patient_name: str,
        form: IntakeForm,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.patient_id = patient_id
        self.form = form
        self._saving = Latest()
        self._saved: IntakeSaved | None = None
        self.fields: dict[str, QuestionField] = {}
        self.setWindowTitle(f"{form.title} \u2013 {patient_name}")
        self._build(patient_name)
        qtbits.fit_to_screen(self, 820, 860)
        self._connect_signals()

    # -- building -----------------------------------------------------------------------------
    def _build(self, patient_name: str) -> None:
        form_page = QWidget()
        body = QVBoxLayout(form_page)
        body.setContentsMargins(28, 20, 28, 20)
        body.addWidget(qtbits.label(self.form.title, name="pageTitle", wrap=True))
        body.addWidget(qtbits.label(f"For {patient_name}", name="pageSubtitle"))
        if self.form.intro:
            body.addWidget(qtbits.label(self.form.intro, wrap=True))
        for section in self.form.sections:
            body.addSpacing(14)
            body.addWidget(qtbits.label(section.title, name="sectionTitle", wrap=True))
            if section.intro:
                body.addWidget(qtbits.label(section.intro, name="muted", wrap=True))
            for question in section.questions:
                field = QuestionField(question)
                self.fields[question.id] = field
                body.addWidget(field)
        body.addStretch(1)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setWidget(form_page)

        done = QWidget()
        done_layout = QVBoxLayout(done)
        done_layout.addStretch(1)
        self.thanks = qtbits.label(
            "Thank you. Your answers are saved.\nPlease hand the screen back to the front desk.",
            name="pageTitle",
            wrap=True,
        )
        self.thanks.setAlignment(Qt.AlignmentFlag.AlignCenter)
        done_layout.addWidget(self.thanks)
        done_layout.addStretch(1)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.scroller)
        self.pages.addWidget(done)

        self.status = qtbits.label(name="muted", wrap=True)
        self.handover_button = qtbits.button(HAND_OVER)
        self.handover_button.setToolTip(HAND_OVER_TIP)
        self.handover_button.setCheckable(True)
        self.cancel_button = qtbits.button("Cancel")
        self.save_button = qtbits.button("Save answers", name="primary")
        self.save_button.setToolTip("Store the answers (Ctrl+S)")
        self.close_button = qtbits.button("Close", name="primary")
        self.close_button.hide()
        footer = QHBoxLayout()
        footer.setContentsMargins(28, 8, 28, 16)
        footer.addWidget(self.status, 1)
        footer.addWidget(self.handover_button)
        footer.addWidget(self.cancel_button)
        footer.addWidget(self.save_button)
        footer.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages, 1)
        layout.addLayout(footer)

        self.save_action = QAction(
            "Save answers", self, shortcut=QKeySequence(QKeySequence.StandardKey.Save)
        )
        self.handover_action = QAction("Full screen", self, shortcut=QKeySequence("F11"))
        for action in (self.save_action, self.handover_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)

    def _connect_signals(self) -> None:
        self.save_button.clicked.connect(self.save)
        self.save_action.triggered.connect(self.save)
        self.cancel_button.clicked.connect(self.close)
        self.close_button.clicked.connect(self._close_after_saving)
        self.handover_button.toggled.connect(self.set_handover)
        self.handover_action.triggered.connect(self.handover_button.toggle)

    # -- state --------------------------------------------------------------------------------
    def value(self) -> IntakeInput:
        return IntakeInput(
            self.patient_id, self.form.code, tuple(f.answer() for f in self.fields.values())
        )

    def has_answers(self) -> bool:
        return self._saved is None and any(
            a.answer.strip() or a.detail.strip() for a in self.value().answers
        )

    @property
    def saved_intake(self) -> IntakeSaved | None:
        return self._saved

    @Slot(bool)
    def set_handover(self, on: bool) -> None:
        if self.handover_button.isChecked() != on:
            self.handover_button.setChecked(on)  # comes back here through toggled
            return
        desk_only = () if self._saved is not None else (self.cancel_button,)
        set_handover(self, on, self.handover_button, *desk_only)
        if self._saved is not None:  # once saved, the switch only gives the screen back
            self.handover_button.setVisible(on)

    @property
    def handed_over(self) -> bool:
        return in_handover(self)

    # -- saving -------------------------------------------------------------------------------
    @Slot()
    def save(self) -> None:
        if self._saved is not None or self._saving.running:
            return
        data = self.value()
        for field in self.fields.values():
            field.show_error("")
        self.save_button.setEnabled(False)
        self.status.setText("Saving\u2026")
        now = self.ctx.clock()
        self._saving.run(
            self, lambda: save_intake(self.ctx.db, data, now=now), self._on_saved, self._failed
        )

    def _on_saved(self, saved: IntakeSaved) -> None:
        self._saved = saved
        for field in self.fields.values():
            field.clear()  # the answers leave the screen before it goes back to the desk
        self.pages.setCurrentIndex(1)
        self.status.setText("")
        for widget in (self.save_button, self.cancel_button):
            widget.hide()
        self.close_button.show()
        self.handover_button.setVisible(self.handed_over)
        self.close_button.setFocus()
        self.saved.emit(saved)

    def _failed(self, exc: Exception) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            first: QuestionField | None = None
            for key, message in exc.errors.items():
                field = self.fields.get(key)
                if field is None:
                    self.status.setText(message)
                    continue
                field.show_error(message)
                first = first or field
            if first is not None:
                self.status.setText("Some answers need another look; see the red notes.")
                self.scroller.ensureWidgetVisible(first)
                target = first.text_edit or _first_button(first)
                if target is not None:
                    target.setFocus()
            return
        if isinstance(exc, FrontdeskError):
            self.status.setText(str(exc))
            return
        raise exc

    @Slot()
    def _close_after_saving(self) -> None:
        self.handover_button.setChecked(False)
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.handed_over:  # Escape or Cancel on the patient's screen: back to the desk first
            self.handover_button.setChecked(False)
            event.ignore()
            return
        if self.has_answers() and not self._ask_discard():
            event.ignore()
            return
        self._saving.cancel()
        super().closeEvent(event)

    def _ask_discard(self) -> bool:
        """Whether answers not saved may be thrown away (a separate method for tests)."""
        answer = QMessageBox.question(
            self,
            "Close the form?",
            "These answers are not saved yet. Close the form and lose them?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard


def _first_button(field: QuestionField) -> QAbstractButton | None:
    return field.group.buttons()[0] if field.group is not None else None
