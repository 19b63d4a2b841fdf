"""Signing in at the desk: the first administrator of a new clinic, and the sign-in dialog.

Both dialogs only collect what is typed and hand it to the accounts services, which decide
(wrong password, delay, disabled account); the message they raise is shown in the dialog.
The demo clinic's dialog offers its three accounts with one click each.

The sign-in dialog is the first screen of a clinic in use, so it is shown before the database
has opened (``frontdesk.app``): it loads nothing of SQLAlchemy, and a sign-in asked for before
``database_ready`` waits for it, saying so, then goes ahead. The accounts services run on a
worker (``ui/worker.py``): checking a password takes a moment, and the database may be busy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.accounts.types import AccountInput
from frontdesk.domain import Actor, FrontdeskError, Role, ValidationError
from frontdesk.ui import theme
from frontdesk.ui.qtbits import button, label, must, named
from frontdesk.ui.worker import Latest

if TYPE_CHECKING:
    from frontdesk.db.engine import Database


def _password_field(name: str) -> QLineEdit:
    field = named(QLineEdit(), name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class SignInDialog(QDialog):
    """User name and password; ``actor`` is set when the services accepted them.

    ``demo_accounts`` (user name, label) and ``demo_password`` add one-click buttons (demo
    clinic only). ``db`` is None while the database is still opening; ``database_ready``
    hands it over.
    """

    def __init__(
        self,
        db: Database | None,
        clock: Callable[[], datetime],
        *,
        title: str = "Sign in",
        intro: str = "",
        username: str = "",
        demo_accounts: Sequence[tuple[str, str]] = (),
        demo_password: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if parent is None:  # shown before the main window, which would lend it the style
            theme.style_window(self)
        self.setWindowTitle(f"Frontdesk \u2013 {title}")
        self._db = db
        self._clock = clock
        self._demo_password = demo_password
        self.actor: Actor | None = None
        self._waiting: tuple[str, str] | None = None  # asked for before the database opened
        self._signing = Latest()
        self.username = named(QLineEdit(username), "username")
        self.password = _password_field("password")
        self.error = label("", name="fieldError", wrap=True)
        self.error.hide()
        self.opening = label("", name="opening", wrap=True)
        self.opening.hide()
        layout = QVBoxLayout(self)
        if intro:
            layout.addWidget(label(intro, wrap=True))
        form = QFormLayout()
        form.addRow("User name", self.username)
        form.addRow("Password", self.password)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.opening)
        if demo_accounts:
            layout.addWidget(label("Demo clinic: sign in with one click as", wrap=True))
            row = QHBoxLayout()
            for name, text in demo_accounts:
                b = button(text, name=f"demo-{name}")
                b.clicked.connect(lambda _=False, n=name: self._sign_in(n, demo_password))
                row.addWidget(b)
            layout.addLayout(row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = must(buttons.button(QDialogButtonBox.StandardButton.Ok))
        self.ok_button.setText("Sign in")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.password if username else self.username).setFocus()

    def _accept(self) -> None:
        self._sign_in(self.username.text(), self.password.text())

    def database_ready(self, db: Database) -> None:
        """The clinic database is open: a sign-in asked for while it opened goes ahead."""
        self._db = db
        waiting, self._waiting = self._waiting, None
        self.opening.hide()
        if waiting is not None:
            self._sign_in(*waiting)

    def _sign_in(self, username: str, password: str) -> None:
        if self._db is None:
            self._waiting = (username, password)
            self.error.hide()
            self.opening.setText(
                "Opening the clinic database\u2026 you are signed in as soon as it is open."
            )
            self.opening.show()
            return
        if self._signing.running:
            return
        from frontdesk.accounts.service import authenticate

        db, now = self._db, self._clock()
        self.error.hide()
        self.opening.setText("Signing in\u2026")
        self.opening.show()
        self.ok_button.setEnabled(False)

        def signed_in(actor: Actor) -> None:
            self.opening.hide()
            self.actor = actor
            self.accept()

        def refused(exc: Exception) -> None:
            self.opening.hide()
            self.ok_button.setEnabled(True)
            if not isinstance(exc, FrontdeskError):
                raise exc
            self.password.clear()
            self.error.setText(str(exc))
            self.error.show()

        self._signing.run(
            self, lambda: authenticate(db, username, password, now=now), signed_in, refused
        )

    @property
    def signing_in(self) -> bool:
        """The accounts service is checking what was typed."""
        return self._signing.running

    def reject(self) -> None:
        self._signing.cancel()  # nobody is signed in by an answer that comes after Cancel
        super().reject()


class FirstAdministratorDialog(QDialog):
    """The first start of a clinic database: its first administrator, before anything else."""

    def __init__(
        self, db: Database, clock: Callable[[], datetime], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        if parent is None:
            theme.style_window(self)
        self.setWindowTitle("Frontdesk \u2013 the clinic's first administrator")
        self._db = db
        self._clock = clock
        self.actor: Actor | None = None
        self._creating = Latest()
        self.display_name = named(QLineEdit(), "display_name")
        self.username = named(QLineEdit(), "username")
        self.password = _password_field("password")
        self.repeat = _password_field("repeat")
        self.error = label("", name="fieldError", wrap=True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(
                "This clinic has no staff accounts yet. Create the administrator's account: "
                "the administrator then adds everyone else on the Accounts page.",
                wrap=True,
            )
        )
        form = QFormLayout()
        form.addRow("Your name", self.display_name)
        form.addRow("User name", self.username)
        form.addRow("Password", self.password)
        form.addRow("Password again", self.repeat)
        layout.addLayout(form)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = must(buttons.button(QDialogButtonBox.StandardButton.Ok))
        self.ok_button.setText("Create and sign in")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        if self.password.text() != self.repeat.text():
            self._show("The two passwords differ; type the same password twice.")
            return
        if self._creating.running:
            return
        from frontdesk.accounts.service import create_first_administrator

        db, now, password = self._db, self._clock(), self.password.text()
        account = AccountInput(self.username.text(), self.display_name.text(), Role.ADMINISTRATOR)
        self.ok_button.setEnabled(False)

        def created(actor: Actor) -> None:
            self.actor = actor
            self.accept()

        def refused(exc: Exception) -> None:
            self.ok_button.setEnabled(True)
            if isinstance(exc, ValidationError):
                self._show("\n".join(exc.errors.values()))
            elif isinstance(exc, FrontdeskError):
                self._show(str(exc))
            else:
                raise exc

        self._creating.run(
            self,
            lambda: create_first_administrator(db, account, password, now=now),
            created,
            refused,
        )

    def reject(self) -> None:
        self._creating.cancel()
        super().reject()

    def _show(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
