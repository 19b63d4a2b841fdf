"""What each role can reach in the window: reception never session notes, a practitioner
never Settings; and a route forced open anyway ends in the service's refusal, said plainly."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.domain import Role
from frontdesk.notes import SessionNoteInput
from frontdesk.ui.calendar import appointment_ops
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.practice import actions
from frontdesk.ui.practice.chart import open_chart
from frontdesk.ui.practice.windows import WindowRegistry
from tests.accounts_support import as_role
from tests.ui.answers import wait_for_answers
from tests.ui.test_booking_support import TZ
from tests.ui.test_practice_data import MONDAY, Week, build_week
from tests.ui.test_practice_registry import make_active

pytestmark = [
    pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)"),
    pytest.mark.filterwarnings("ignore:Function.*setActiveWindow.*:DeprecationWarning"),
]

NOTES_REFUSED = (
    "Reception accounts may not read or write session notes; ask someone signed in as "
    "administrator or practitioner."
)


@pytest.fixture
def week(db: Database) -> Week:
    return build_week(db)


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The text of every warning box shown (none actually opens)."""
    shown: list[str] = []

    def warning(_parent, _title, text, *_args):  # type: ignore[no-untyped-def]
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warning))
    return shown


def _window(qtbot, week: Week, tmp_path, role: Role, practitioner_id: int | None) -> MainWindow:
    db = as_role(week.ctx.db, role, practitioner_id=practitioner_id)
    ctx: AppContext = replace(week.ctx, db=db)
    settings = QSettings(str(tmp_path / "frontdesk.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ctx, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    make_active(window)
    return window


def _every_shortcut(window: MainWindow) -> list[tuple[str, str]]:
    return [entry for _title, entries in window.shortcut_sections() for entry in entries]


def test_reception_reaches_no_session_note_anywhere(
    qtbot, week: Week, tmp_path, warnings: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _window(qtbot, week, tmp_path, Role.RECEPTION, None)
    assert window.page_keys() == ["calendar", "patients", "waitlist", "outbox"]  # no My day

    # The patient hub: no chart button, no Ctrl+Shift+O, nothing about charts or notes in Help.
    patients = window.show_page("patients")
    patients.show_patient(week.clinic.bob)
    qtbot.waitUntil(lambda: patients.book_action.isEnabled())
    assert [b.text() for b in patients.hub.buttons] == [
        "Book…",
        "First available…",
        "New course…",
        "Print card…",
        "Print handout…",
        "Intake form…",
        "Consent…",
        "Receipts and statement…",
    ]
    assert patients.chart_action not in patients.actions()
    qtbot.keyClick(
        patients.table,
        Qt.Key.Key_O,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert WindowRegistry.of(window).windows() == []
    help_text = " ".join(f"{keys} {does}" for keys, does in _every_shortcut(window)).lower()
    assert "chart" not in help_text and "note" not in help_text
    assert "Ctrl+Shift+O" not in help_text

    # The calendar's menu on Bob's appointment: nothing leads to a chart or a note.
    calendar = window.show_page("calendar")
    calendar.go_to(MONDAY)
    offered: list[str] = []

    class ShownMenu(QMenu):  # records what it offers instead of waiting for a click
        def exec(self, *_args):  # type: ignore[no-untyped-def]
            offered.extend(a.text() for a in self.actions())

    monkeypatch.setattr(appointment_ops, "QMenu", ShownMenu)
    calendar.ops.show_menu(week.bob_visit, 0, 0, QPoint(0, 0))
    assert "&Open patient" in offered
    assert not [t for t in offered if "note" in t.lower() or "chart" in t.lower()]

    # Forced through anyway (a stray signal, a script in the window): the service refuses,
    # and the refusal is what the user reads; no window opens.
    # The chart opens at once saying it is reading, and closes with the refusal.
    assert open_chart(patients, patients.ctx, week.clinic.bob) is not None
    note = actions.open_note_editor(
        patients,
        patients.ctx,
        SessionNoteInput(week.clinic.bob, None, week.bob_visit),
        heading="Bob Jones",
        tz=TZ,
        on_saved=None,
    )
    assert note is None  # the note is read on a worker first: refused there
    wait_for_answers()
    assert warnings == [NOTES_REFUSED, NOTES_REFUSED]
    qtbot.waitUntil(lambda: WindowRegistry.of(window).windows() == [])


def test_a_practitioner_cannot_open_settings(qtbot, week: Week, tmp_path) -> None:
    window = _window(qtbot, week, tmp_path, Role.PRACTITIONER, week.clinic.acu)
    assert "settings" not in window.page_keys()
    assert "Settings" not in [a.text() for a in window.page_actions.actions()]
    shortcuts = _every_shortcut(window)
    assert not [does for _keys, does in shortcuts if "Settings" in does]
    # File ▸ Back up now works through Settings ▸ Backups: not offered either.
    assert not window.backup_action.isVisible()
    # Ctrl+5 (Settings for an administrator) is nobody's key here.
    assert QKeySequence("Ctrl+5") not in [a.shortcut() for a in window.page_actions.actions()]
    before = window.current_key()
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == before
    # A link to Settings (an empty calendar offers one) says who may, instead of opening it.
    window.navigate("settings/practitioners")
    assert window.current_key() == before
    assert "Only an administrator" in window.statusBar().currentMessage()
    # My day says how to sign a note (Help ▸ Keyboard shortcuts).
    assert ("Ctrl+Enter (in a session note)", "Sign the note, or save the amendment") in shortcuts
