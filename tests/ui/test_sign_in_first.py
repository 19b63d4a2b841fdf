"""A clinic in use starts on the sign-in dialog, shown before its database has opened.

The dialog is what the person at the desk sees first and types into; the database (SQLAlchemy,
the integrity check, the schema) opens on a worker meanwhile, and a sign-in asked for before
it is open waits for it. These tests drive the real start (``app.run_gui``) without the
unattended sign-in the other tests use.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

from frontdesk import app
from frontdesk.cli import parse
from frontdesk.db.engine import Database
from frontdesk.db.open import open_database
from frontdesk.ui.sign_in import SignInDialog
from tests.accounts_support import TEST_PASSWORD, as_admin
from tests.ui.test_patient_hub import when_modal

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def clinic_file(tmp_path: Path) -> Path:
    """A clinic database in use: it has its administrator's account."""
    path = tmp_path / "clinic.sqlite3"
    as_admin(open_database(f"sqlite:///{path}")).dispose()
    return path


@pytest.fixture
def signing_in_by_hand(monkeypatch: pytest.MonkeyPatch) -> None:
    """No unattended sign-in: the start asks on the dialog, as at a desk."""
    monkeypatch.delenv("FRONTDESK_USER", raising=False)
    monkeypatch.delenv("FRONTDESK_PASSWORD_FILE", raising=False)


def _sign_in(dialog: QWidget) -> None:
    assert isinstance(dialog, SignInDialog)
    dialog.username.setText("administrator")
    dialog.password.setText(TEST_PASSWORD)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok is not None
    ok.click()


@pytest.fixture
def closed_by_the_test() -> Iterator[list[bool]]:
    """A start that leaves its dialog open would wait forever: close it after 20 s, noted."""
    closed: list[bool] = []

    def give_up() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, SignInDialog) and widget.isVisible():
                closed.append(True)
                widget.reject()

    timer = QTimer(singleShot=True, interval=20_000)
    timer.timeout.connect(give_up)
    timer.start()
    yield closed
    timer.stop()


def test_the_sign_in_dialog_is_shown_before_the_database_opens(
    qapp: QApplication,
    clinic_file: Path,
    signing_in_by_hand: None,
    monkeypatch: Any,
    closed_by_the_test: list[bool],
) -> None:
    opened_while: list[tuple[bool, bool]] = []
    real_open = app._open

    def open_and_note(*args: Any) -> Any:
        dialog_up = any(
            isinstance(w, SignInDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
        )
        opened_while.append((dialog_up, threading.current_thread() is threading.main_thread()))
        return real_open(*args)

    signed_in: list[str] = []

    def window_for(_app: Any, _args: Any, db: Database, _headless: bool, _clock: Any) -> int:
        assert db.actor is not None
        signed_in.append(db.actor.username)
        return 0

    monkeypatch.setattr(app, "_open", open_and_note)
    monkeypatch.setattr(app, "_open_window", window_for)
    when_modal(_sign_in)

    assert app.run_gui(parse(["--database", str(clinic_file)])) == 0
    assert closed_by_the_test == []
    # Opened once, on a worker, while the dialog was already on screen; then signed in.
    assert opened_while == [(True, False)]
    assert signed_in == ["administrator"]


def test_a_database_that_cannot_be_opened_closes_the_dialog_and_says_why(
    qapp: QApplication,
    clinic_file: Path,
    signing_in_by_hand: None,
    monkeypatch: Any,
    closed_by_the_test: list[bool],
) -> None:
    with sqlite3.connect(clinic_file) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'from_the_future'")
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        app, "show_startup_error", lambda title, text, headless: shown.append((title, text))
    )

    assert app.run_gui(parse(["--database", str(clinic_file)])) == 2
    assert closed_by_the_test == []
    title, text = shown[0]
    assert "newer" in title and "nothing has been changed" in text


def test_signing_in_before_the_database_is_open_waits_for_it(qtbot: Any, db: Database) -> None:
    dialog = SignInDialog(None, app.system_clock)
    qtbot.addWidget(dialog)
    dialog.show()
    _sign_in(dialog)

    assert dialog.actor is None and dialog.isVisible()
    assert dialog.opening.isVisible()
    assert dialog.opening.text().startswith("Opening the clinic database")

    dialog.database_ready(db)
    qtbot.waitUntil(lambda: not dialog.signing_in)  # the password is checked on a worker

    assert dialog.actor is not None and dialog.actor.username == "administrator"
    assert dialog.result() == SignInDialog.DialogCode.Accepted
    assert not dialog.opening.isVisible()


def test_a_wrong_password_typed_while_the_database_opens_is_refused_once_it_is_open(
    qtbot: Any, db: Database
) -> None:
    dialog = SignInDialog(None, app.system_clock)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText("administrator")
    dialog.password.setText("not the password")
    dialog._accept()

    dialog.database_ready(db)
    qtbot.waitUntil(lambda: not dialog.signing_in)

    assert dialog.actor is None and dialog.isVisible()
    assert dialog.error.isVisible() and dialog.error.text()
    assert not dialog.opening.isVisible()
