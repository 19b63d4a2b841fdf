"""The shape every editing dialog shares: fields with their own error lines, Save/Cancel, and
a "discard changes?" question so a misplaced Escape never throws away typing.

Subclasses build their fields with ``field()`` and implement ``save()``; a ``ValidationError``
from a service goes straight to ``show_errors()``, which puts each message under its field. A
``save()`` that calls a service hands the call to ``save_on_worker()``: the dialog stays open
and usable (Save disabled, Escape waits) until the service answered, then closes or shows why
not.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from PySide6.QtCore import Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain import FrontdeskError
from frontdesk.ui import qtbits
from frontdesk.ui.worker import run_query

T = TypeVar("T")
FORM_KEY = ""  # ValidationError key for a message about the whole form


class FormDialog(QDialog):
    """Base dialog: field rows with error labels, a form-level message, and Save/Cancel."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}
        self._dirty = False
        self._saving_on_worker = False  # a save_on_worker call has not answered yet
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(22, 18, 22, 16)
        self._layout.setSpacing(12)
        self.form_error = qtbits.label(name="formError", wrap=True)
        self.form_error.hide()
        self._layout.addWidget(self.form_error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    # -- building ----------------------------------------------------------------------------
    def set_body(self, body: QWidget) -> None:
        """Place the subclass's fields above the buttons (call once, after building fields)."""
        self._layout.addWidget(body, 1)
        self._layout.addWidget(self.buttons)

    def add_row(
        self,
        form: QFormLayout,
        label: str,
        key: str,
        widget: QWidget,
        target: QWidget | None = None,
    ) -> None:
        """A labelled row whose label's mnemonic (``&``) focuses the input itself."""
        caption = QLabel(label)
        caption.setBuddy(target or widget)
        form.addRow(caption, self.field(key, widget, target))

    def field(self, key: str, widget: QWidget, target: QWidget | None = None) -> QWidget:
        """Wrap ``widget`` with an error line below it; returns the cell for a QFormLayout.

        ``target`` is the input inside ``widget`` to highlight and focus on error (when the
        widget is a composite such as an input with a hint beside it).
        """
        cell = QWidget()
        lay = QVBoxLayout(cell)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(widget)
        error = qtbits.label(name="fieldError", wrap=True)
        error.hide()
        lay.addWidget(error)
        self._fields[key] = (target or widget, error)
        self._watch(target or widget)
        return cell

    def _watch(self, widget: QWidget) -> None:
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(self._mark_dirty)
        elif isinstance(widget, QPlainTextEdit):
            widget.textChanged.connect(self._mark_dirty)
        elif isinstance(widget, QComboBox):
            widget.currentTextChanged.connect(self._mark_dirty)

    # -- state -------------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        """True once the user changed anything since the dialog was filled."""
        return self._dirty

    def mark_clean(self) -> None:
        self._dirty = False

    @Slot()
    def _mark_dirty(self) -> None:
        self._dirty = True

    # -- errors ------------------------------------------------------------------------------
    def error_text(self, key: str) -> str:
        """The message shown under field ``key`` ("" when none); what tests read."""
        if key == FORM_KEY:
            return self.form_error.text() if not self.form_error.isHidden() else ""
        _widget, label = self._fields[key]
        return label.text() if not label.isHidden() else ""

    def clear_errors(self) -> None:
        self.form_error.hide()
        self.form_error.clear()
        for widget, label in self._fields.values():
            label.hide()
            label.clear()
            self._set_invalid(widget, False)

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Show each message under its field and move the focus to the first wrong one."""
        self.clear_errors()
        unplaced = []
        for key, message in errors.items():
            if key in self._fields:
                widget, label = self._fields[key]
                label.setText(message)
                label.show()
                self._set_invalid(widget, True)
            else:
                unplaced.append(message)
        if unplaced:
            self.form_error.setText("\n".join(unplaced))
            self.form_error.show()
        elif errors:
            count = len(errors)
            self.form_error.setText(
                "Please correct the highlighted field."
                if count == 1
                else f"Please correct the {count} highlighted fields."
            )
            self.form_error.show()
        # Focus the first wrong field in the order the form shows them, not the dict's order.
        wrong = [widget for key, (widget, _label) in self._fields.items() if key in errors]
        if wrong:
            wrong[0].setFocus()
        self._grow_to_fit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # A wrapped note under a field takes two lines at the width the dialog opens with, one
        # more than its first size allowed for ("days stay" lost its lower half).
        self._grow_to_fit()

    def _grow_to_fit(self) -> None:
        """Make room for the error lines just shown, so no message is cut off."""
        layout = qtbits.must(self.layout())
        layout.activate()
        needed = (
            layout.totalHeightForWidth(self.width())
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        if needed > self.height():
            self.resize(self.width(), needed)

    @staticmethod
    def _set_invalid(widget: QWidget, invalid: bool) -> None:
        widget.setProperty("invalid", invalid)
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    # -- closing -----------------------------------------------------------------------------
    @property
    def saving(self) -> bool:
        """A save is on a worker and the database has not answered yet."""
        return self._saving_on_worker

    def save(self) -> bool:
        """Save (or hand the service call to ``save_on_worker`` and return False meanwhile);
        True closes the dialog now, False keeps it open."""
        raise NotImplementedError

    def save_on_worker(
        self,
        call: Callable[[], T],
        saved: Callable[[T], bool],
        refused: Callable[[FrontdeskError], None],
    ) -> None:
        """Run ``call`` (a service call) on a worker; ``saved(result)`` True closes the dialog,
        a ``FrontdeskError`` goes to ``refused`` and the dialog stays open."""
        save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self._saving_on_worker = True
        if save_button is not None:
            save_button.setEnabled(False)

        def answered() -> None:
            self._saving_on_worker = False
            if save_button is not None:
                save_button.setEnabled(True)

        def done(result: T) -> None:
            answered()
            if saved(result):
                QDialog.accept(self)

        def failed(exc: Exception) -> None:
            answered()
            if not isinstance(exc, FrontdeskError):
                raise exc
            refused(exc)

        run_query(self, call, done, failed)

    def accept(self) -> None:
        if not self.saving and self.save():
            super().accept()

    def reject(self) -> None:
        if self.saving:  # the service is answering: what it did must be known, so wait
            return
        if self._dirty and not self.confirm_discard():
            return
        super().reject()

    def confirm_discard(self) -> bool:
        """Ask before throwing typing away; True means close without saving."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Discard changes?",
            "You have changes that are not saved. Close this window and lose them?",
            parent=self,
        )
        discard = box.addButton("Discard changes", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is discard
