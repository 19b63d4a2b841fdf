"""What every Settings tab shares: a heading, a line saying what it is for, and for the
tabs that are forms, a Save / Undo changes pair that only lights up once something changed.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from frontdesk.context import AppContext
from frontdesk.ui import qtbits


class Section(QWidget):
    """One tab of the Settings page.

    Signals:
        status_message(str): something was saved; the main window shows it in the status bar.
        clinic_changed(): the clinic's own details (name, contact) were saved.
    """

    status_message = Signal(str)
    clinic_changed = Signal()

    def __init__(self, ctx: AppContext, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(20, 16, 20, 16)
        self.body.setSpacing(10)
        self.body.addWidget(qtbits.label(intro, name="muted", wrap=True))

    @property
    def dirty(self) -> bool:
        """True while the tab holds edits that are not saved."""
        return False

    def reload(self) -> None:
        """Show what the database holds now, throwing away unsaved edits."""


class FormSection(Section):
    """A tab that is one form: edits stay on screen until Save or Undo changes."""

    def __init__(self, ctx: AppContext, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, intro, parent)
        self._dirty = False
        self.form_error = qtbits.label(name="formError", wrap=True)
        self.form_error.hide()
        self.save_button = qtbits.button("&Save changes", name="primary")
        self.revert_button = QPushButton("&Undo changes")

    def add_buttons(self) -> None:
        """Place the message line and the buttons under the subclass's fields."""
        self.body.addWidget(self.form_error)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.revert_button)
        row.addStretch(1)
        self.body.addLayout(row)
        self.body.addStretch(1)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.reload)
        self.set_dirty(False)

    @property
    def dirty(self) -> bool:
        return self._dirty

    @Slot()
    def mark_dirty(self) -> None:
        self.set_dirty(True)

    def set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)

    def show_form_error(self, messages: list[str]) -> None:
        self.form_error.setText("\n".join(messages))
        self.form_error.setVisible(bool(messages))

    @Slot()
    def save(self) -> bool:
        """Save through the service; False (edits kept, errors shown) when refused."""
        raise NotImplementedError
