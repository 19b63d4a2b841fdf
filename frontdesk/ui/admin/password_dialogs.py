"""Dialogs that save through a service on a worker, and the two password dialogs.

``WorkerFormDialog`` is ``FormDialog`` whose Save runs the service call off the GUI thread
(``ui/worker.py``): the dialog stays open, Save greyed, until the answer comes; a refusal puts
each message under its field, a success closes the dialog with ``saved`` set. Hashing a
password with Argon2 takes a noticeable moment, so these dialogs never hold the window still.

No dialog here ever shows a stored password: there is none to show (only a hash is kept).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QGridLayout, QLabel, QLineEdit, QWidget

from frontdesk.accounts.passwords import MIN_LENGTH
from frontdesk.accounts.service import change_own_password, reset_password
from frontdesk.accounts.types import AccountView
from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError, ValidationError
from frontdesk.ui import qtbits
from frontdesk.ui.dialogs.base import FORM_KEY, FormDialog
from frontdesk.ui.worker import Latest

CHANGE_LATER = "File ▸ Change my password…"


def password_field() -> QLineEdit:
    """A line edit that shows dots, never the characters typed."""
    field = QLineEdit(maxLength=200)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class WorkerFormDialog(FormDialog):
    """A ``FormDialog`` whose save is one service call on a worker thread.

    Signals:
        finished_saving(): the call answered (saved or refused); tests wait for it.
    """

    finished_saving = Signal()

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.saved: Any = None
        self._saving = Latest()

    @property
    def saving(self) -> bool:
        """Save was pressed and the database has not answered yet."""
        return self._saving.running

    def save_button(self) -> Any:
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def grid_row(self, grid: QGridLayout, label: str, key: str, widget: QWidget) -> None:
        """A labelled field with its error line under it, as ``add_row`` makes in a form.

        A grid rather than a ``QFormLayout``: the form gave wrapped lines (an error, a hint)
        less height than they need once several showed at once, and cut them off.
        """
        row = grid.rowCount()
        caption = QLabel(label)
        caption.setBuddy(widget)
        caption.setContentsMargins(0, 7, 0, 0)  # level with the text in the field
        grid.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.field(key, widget), row, 1)

    def grid_note(self, grid: QGridLayout, text: str) -> QLabel:
        """A muted line under the field above it (a hint)."""
        note = qtbits.label(text, name="muted", wrap=True)
        grid.addWidget(note, grid.rowCount(), 1)
        return note

    def set_save_text(self, text: str) -> None:
        """Name the Save button after what it does; wide enough for its bold default style."""
        button = self.save_button()
        button.setText(text)
        bold = QFont(button.font())
        bold.setBold(True)
        button.setMinimumWidth(QFontMetrics(bold).horizontalAdvance(text) + 36)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._grow_to_fit()  # wrapped lines measured at the dialog's real width

    def check(self) -> dict[str, str]:
        """Problems the dialog sees before asking the service (two passwords that differ)."""
        return {}

    def call(self) -> Callable[[], Any]:
        """The service call that saves, ready to run on a worker."""
        raise NotImplementedError

    def accept(self) -> None:
        if self.saving:
            return
        problems = self.check()
        if problems:
            self.show_errors(problems)
            return
        self.clear_errors()
        self.save_button().setEnabled(False)
        self._saving.run(self, self.call(), self._on_saved, self._on_failed)

    def _on_saved(self, result: Any) -> None:
        self.saved = result
        self.save_button().setEnabled(True)
        self.finished_saving.emit()
        QDialog.accept(self)

    def _on_failed(self, exc: Exception) -> None:
        self.save_button().setEnabled(True)
        self.finished_saving.emit()
        if isinstance(exc, ValidationError):
            self.show_errors(exc.errors)
        elif isinstance(exc, FrontdeskError):
            self.show_errors({FORM_KEY: str(exc)})
        else:
            raise exc

    def reject(self) -> None:
        if not self.saving:  # a save under way ends saved or refused, not dropped
            super().reject()


class ResetPasswordDialog(WorkerFormDialog):
    """An administrator sets a temporary password for someone who forgot theirs."""

    def __init__(self, ctx: AppContext, account: AccountView, parent: QWidget | None = None):
        super().__init__(f"Reset the password of {account.display_name}", parent)
        self.ctx = ctx
        self.account = account
        body = QWidget()
        grid = QGridLayout(body)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(
            qtbits.label(
                f"Give {account.display_name} ({account.username}) a temporary password. "
                "Their old one stops working at once, and any wait after wrong passwords "
                f"ends. Tell them the new one and ask them to change it ({CHANGE_LATER}).",
                wrap=True,
            ),
            0,
            0,
            1,
            2,
        )
        self.password = password_field()
        self.password.setPlaceholderText(f"At least {MIN_LENGTH} characters")
        self.repeat = password_field()
        self.grid_row(grid, "&New password", "password", self.password)
        self.grid_row(grid, "&Again", "repeat", self.repeat)
        self.set_body(body)
        self.set_save_text("Set password")
        self.resize(460, self.sizeHint().height())
        self.password.setFocus()

    def check(self) -> dict[str, str]:
        if self.password.text() != self.repeat.text():
            return {"repeat": "The two passwords differ; type the same password twice."}
        return {}

    def call(self) -> Callable[[], Any]:
        db, account_id, password = self.ctx.db, self.account.id, self.password.text()

        def run() -> AccountView:
            reset_password(db, account_id, password)
            return self.account

        return run


class ChangeOwnPasswordDialog(WorkerFormDialog):
    """Whoever is signed in changes their own password, typing the current one first."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Change my password", parent)
        self.ctx = ctx
        actor = ctx.db.actor
        body = QWidget()
        grid = QGridLayout(body)
        grid.setContentsMargins(0, 0, 0, 0)
        if actor is not None:
            grid.addWidget(
                qtbits.label(
                    f"Signed in as {actor.display_name} ({actor.username}).", name="muted"
                ),
                0,
                0,
                1,
                2,
            )
        self.current = password_field()
        self.new = password_field()
        self.new.setPlaceholderText(f"At least {MIN_LENGTH} characters")
        self.repeat = password_field()
        self.grid_row(grid, "&Current password", "current", self.current)
        self.grid_row(grid, "&New password", "new", self.new)
        self.grid_row(grid, "&Again", "repeat", self.repeat)
        self.set_body(body)
        self.set_save_text("Change password")
        self.resize(440, self.sizeHint().height())
        self.current.setFocus()

    def check(self) -> dict[str, str]:
        if self.new.text() != self.repeat.text():
            return {"repeat": "The two new passwords differ; type the same password twice."}
        return {}

    def call(self) -> Callable[[], Any]:
        db, current, new = self.ctx.db, self.current.text(), self.new.text()

        def run() -> bool:
            change_own_password(db, current, new)
            return True

        return run
