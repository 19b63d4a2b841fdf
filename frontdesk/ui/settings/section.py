"""What every Settings tab shares: a heading, a line saying what it is for, and for the
tabs that are forms, a Save / Undo changes pair that only lights up once something changed.

Tabs never wait on the database: ``read()`` runs a tab's reading on a worker and shows the
answer when it comes (a newer read drops an older one's answer), and a form's
``save_on_worker()`` keeps Save disabled until the service answered, then says what it did or
shows the refusal at the field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError, ValidationError
from frontdesk.ui import qtbits
from frontdesk.ui.settings.fields import FieldErrors
from frontdesk.ui.worker import Latest, run_query

T = TypeVar("T")


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
        self._reading = Latest()

    @property
    def dirty(self) -> bool:
        """True while the tab holds edits that are not saved."""
        return False

    def reload(self) -> None:
        """Show what the database holds now, throwing away unsaved edits."""

    # -- reading on a worker -----------------------------------------------------------------
    def read(self, fn: Callable[[], T], show: Callable[[T], None], what: str) -> None:
        """Run ``fn`` (service calls on plain values) on a worker and ``show`` its answer; a
        failure says that ``what`` ("The rooms") could not be read, and why."""

        def failed(exc: Exception) -> None:
            if not isinstance(exc, FrontdeskError):
                raise exc
            self.say_read_failed(f"{what} could not be read: {exc}")

        self._reading.run(self, fn, show, failed)

    @property
    def reading(self) -> bool:
        """A read is on a worker and its answer is not shown yet."""
        return self._reading.running

    def say_read_failed(self, message: str) -> None:
        """Show why what the tab shows could not be read."""


class FormSection(Section):
    """A tab that is one form: edits stay on screen until Save or Undo changes."""

    def __init__(self, ctx: AppContext, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, intro, parent)
        self._dirty = False
        self._saving = False  # a save_on_worker call has not answered yet
        self.errors = FieldErrors()
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
        self._enable_buttons()

    def _enable_buttons(self) -> None:
        # Nothing to save before the form shows what is saved, nor twice at once.
        self.save_button.setEnabled(self._dirty and not self._saving and not self.reading)
        self.revert_button.setEnabled(self._dirty and not self._saving)

    def show_form_error(self, messages: list[str]) -> None:
        self.form_error.setText("\n".join(messages))
        self.form_error.setVisible(bool(messages))

    def say_read_failed(self, message: str) -> None:
        self.show_form_error([message])
        self._enable_buttons()

    def read(self, fn: Callable[[], T], show: Callable[[T], None], what: str) -> None:
        """As ``Section.read``; Save waits for the answer (the form shows what is saved)."""

        def shown(answer: T) -> None:
            show(answer)
            self._enable_buttons()

        super().read(fn, shown, what)
        self._enable_buttons()

    @property
    def saving(self) -> bool:
        """A save is on a worker and the database has not answered yet."""
        return self._saving

    def save_on_worker(
        self,
        call: Callable[[], T],
        saved: Callable[[T], None],
        refused: Callable[[FrontdeskError], None] | None = None,
    ) -> None:
        """Run ``call`` (a service call on plain values) on a worker with Save disabled, then
        ``saved(result)``; a refusal goes to ``refused``, by default to the fields it names."""
        self.errors.clear()
        self.show_form_error([])
        self._saving = True
        self._enable_buttons()

        def answered() -> None:
            self._saving = False
            self._enable_buttons()

        def done(result: T) -> None:
            answered()
            saved(result)

        def failed(exc: Exception) -> None:
            answered()
            if not isinstance(exc, FrontdeskError):
                raise exc
            (refused or self.show_refusal)(exc)

        run_query(self, call, done, failed)

    def show_refusal(self, exc: FrontdeskError) -> None:
        """Each message under its field; the rest (a busy database) above the buttons."""
        if isinstance(exc, ValidationError):
            self.show_form_error(self.errors.show(exc.errors))
        else:
            self.show_form_error([str(exc)])

    @Slot()
    def save(self) -> bool:
        """Save through the service on a worker (``save_on_worker``); False when refused at
        once, before any service was asked."""
        raise NotImplementedError
