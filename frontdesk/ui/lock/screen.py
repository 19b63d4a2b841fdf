"""The lock screen: who is signed in, their password, or someone else signing in.

It only collects what is typed. ``DeskLock`` hands it to the accounts services on a worker
(Argon2 takes a noticeable moment) and reports back with ``show_error`` or by unlocking, so a
wrong password reads exactly as it does at sign-in, with the same growing wait.

The screen is a window of its own, modal for the whole application: a dialog left open
behind the lock is modal too, and only a window shown after it could still take the keyboard.
It cannot be closed; only a password opens the desk again.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain import Actor
from frontdesk.ui.lock.covers import LOCKED_TITLE
from frontdesk.ui.qtbits import button, label, named

WIDTH = 460


def _password_field(name: str) -> QLineEdit:
    field = named(QLineEdit(), name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class LockScreen(QWidget):
    """The signed-in user's password to unlock, or another account's to switch user.

    ``offers`` (user name, label) with ``offer_password`` add one-click switches (the demo
    clinic's accounts, as its sign-in dialog has them).

    Signals:
        unlock_requested(str): the signed-in user's password.
        switch_requested(str, str): another user's name and password.
    """

    unlock_requested = Signal(str)
    switch_requested = Signal(str, str)

    def __init__(
        self,
        actor: Actor,
        *,
        clinic: str = "",
        offers: Sequence[tuple[str, str]] = (),
        offer_password: str = "",
        parent: QWidget | None = None,
    ) -> None:
        flags = (
            Qt.WindowType.Window
            | Qt.WindowType.CustomizeWindowHint
            | Qt.WindowType.WindowTitleHint  # a title, but no close button
        )
        super().__init__(parent, flags)
        self.setObjectName("lockScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowTitle(LOCKED_TITLE)
        self.setFixedWidth(WIDTH)
        self.actor = actor
        self.closing_allowed = False
        # Two pages, one shown: a hidden page takes no room, so the window fits the other.
        self.unlock_page = self._unlock_page(actor, clinic)
        self.switch_page = self._switch_page(actor, offers, offer_password)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 22)
        layout.addWidget(self.unlock_page)
        layout.addWidget(self.switch_page)
        self._connect_signals()
        self.show_unlock()

    # -- building -----------------------------------------------------------------------------
    def _unlock_page(self, actor: Actor, clinic: str) -> QWidget:
        page = QWidget()
        self.password = _password_field("password")
        self.password.setPlaceholderText(f"{actor.display_name}'s password")
        self.unlock_error = label(name="fieldError", wrap=True)
        self.unlock_error.hide()
        self.unlock_button = button("&Unlock", name="primary")
        self.switch_button = button("&Switch user\u2026")
        where = f" at {clinic}" if clinic else ""
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(label("Frontdesk is locked", name="pageTitle"))
        layout.addWidget(
            label(
                f"{actor.display_name} ({actor.role.label.lower()}) is signed in{where}. "
                "Everything they had open is kept as it was, out of sight.",
                name="lockWho",
                wrap=True,
            )
        )
        layout.addSpacing(6)
        form = QFormLayout()
        form.addRow("&Password", self.password)
        form.addRow("", self.unlock_error)
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.unlock_button)
        layout.addLayout(row)
        layout.addSpacing(6)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setObjectName("lockLine")
        layout.addWidget(line)
        other = QHBoxLayout()
        other.addWidget(
            label(
                f"Not {actor.display_name}? Switch user: their open notes and plans are "
                "saved and closed, and Frontdesk opens for you.",
                name="muted",
                wrap=True,
            ),
            1,
        )
        other.addWidget(self.switch_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(other)
        return page

    def _switch_page(
        self, actor: Actor, offers: Sequence[tuple[str, str]], offer_password: str
    ) -> QWidget:
        page = QWidget()
        self.username = named(QLineEdit(), "username")
        self.other_password = _password_field("otherPassword")
        self.switch_error = label(name="fieldError", wrap=True)
        self.switch_error.hide()
        self.sign_in_button = button("Sign &in", name="primary")
        self.back_button = button("&Back")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(label("Switch user", name="pageTitle"))
        layout.addWidget(
            label(
                f"{actor.display_name}'s open notes and plans are saved and closed first; "
                "Frontdesk then opens with the pages of the account signing in.",
                name="muted",
                wrap=True,
            )
        )
        form = QFormLayout()
        form.addRow("User &name", self.username)
        form.addRow("Pass&word", self.other_password)
        form.addRow("", self.switch_error)
        layout.addLayout(form)
        self.offer_buttons = []
        if offers:
            layout.addWidget(label("Demo clinic: switch with one click to", name="muted"))
            row = QHBoxLayout()
            for name, text in offers:
                offer = button(text, name=f"demo-{name}")
                offer.clicked.connect(
                    lambda _=False, n=name: self.switch_requested.emit(n, offer_password)
                )
                self.offer_buttons.append(offer)
                row.addWidget(offer)
            row.addStretch(1)
            layout.addLayout(row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.sign_in_button)
        layout.addLayout(buttons)
        return page

    def _connect_signals(self) -> None:
        self.password.returnPressed.connect(self._unlock)
        self.unlock_button.clicked.connect(self._unlock)
        self.switch_button.clicked.connect(self.show_switch)
        self.username.returnPressed.connect(self.other_password.setFocus)
        self.other_password.returnPressed.connect(self._switch)
        self.sign_in_button.clicked.connect(self._switch)
        self.back_button.clicked.connect(self.show_unlock)

    # -- what the desk lock drives ------------------------------------------------------------
    @Slot()
    def show_unlock(self) -> None:
        self._show_page(self.unlock_page, self.switch_page)
        self.unlock_button.setDefault(True)
        self.password.setFocus()

    @Slot()
    def show_switch(self) -> None:
        self._show_page(self.switch_page, self.unlock_page)
        self.sign_in_button.setDefault(True)
        self.username.setFocus()

    def _show_page(self, shown: QWidget, hidden: QWidget) -> None:
        hidden.hide()
        shown.show()
        self._fit()

    def _fit(self) -> None:
        """As tall as the wrapped text needs at the fixed width."""
        layout = self.layout()
        if layout is not None:
            layout.activate()
            self.setFixedHeight(layout.totalHeightForWidth(WIDTH))

    @property
    def switching(self) -> bool:
        return not self.switch_page.isHidden()

    def set_busy(self, busy: bool, text: str = "") -> None:
        """While a password is checked: nothing to press twice, and a word on what happens."""
        for widget in (
            self.password,
            self.unlock_button,
            self.switch_button,
            self.username,
            self.other_password,
            self.sign_in_button,
            self.back_button,
            *self.offer_buttons,
        ):
            widget.setEnabled(not busy)
        if busy:
            self._message(text or "Checking the password\u2026", error=False)

    def show_error(self, text: str) -> None:
        """Say why at the password field; the password is cleared for the next try."""
        self.set_busy(False)
        self._message(text, error=True)
        field = self.other_password if self.switching else self.password
        field.clear()
        field.setFocus()

    def _message(self, text: str, *, error: bool) -> None:
        target = self.switch_error if self.switching else self.unlock_error
        target.setObjectName("fieldError" if error else "muted")
        target.style().unpolish(target)
        target.style().polish(target)
        target.setText(text)
        target.setVisible(bool(text))
        self._fit()

    def message(self) -> str:
        """What the current page says under its password field (tests, screenshots)."""
        target = self.switch_error if self.switching else self.unlock_error
        return "" if target.isHidden() else target.text()

    # -- input --------------------------------------------------------------------------------
    @Slot()
    def _unlock(self) -> None:
        if not self.password.text():
            self._message("Type your password to unlock.", error=True)
            return
        self.unlock_requested.emit(self.password.text())

    @Slot()
    def _switch(self) -> None:
        if not self.username.text().strip():
            self._message("Type the user name of the person signing in.", error=True)
            self.username.setFocus()
            return
        self.switch_requested.emit(self.username.text(), self.other_password.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:  # never closes; leaves the switch page
            if self.switching:
                self.show_unlock()
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.closing_allowed:
            event.accept()
        else:
            event.ignore()  # the window manager's close button: the desk stays locked
