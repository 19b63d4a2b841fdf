"""Fixtures shared by several GUI test modules: the calendar page and the settings page."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QKeySequence, QUndoStack

from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.ui.calendar import CalendarPage
from frontdesk.ui.settings.page import SettingsPage
from frontdesk.ui.undo import UndoHistory
from tests.ui.answers import wait_for_answers
from tests.ui.test_calendar import CLOCK
from tests.ui.test_settings_page import NOW
from tests.unit.test_scheduling_support import Clinic


@pytest.fixture(autouse=True)
def _no_answer_outlives_its_test():  # type: ignore[no-untyped-def]
    """A page's background read must not land in the next test (or on a removed database)."""
    from frontdesk.ui import worker

    yield
    worker.drop_all()


@pytest.fixture(autouse=True)
def _gui_thread_never_calls_the_database():  # type: ignore[no-untyped-def]
    """Fail a test in which widget code used the database on the GUI thread (tests/ui/db_guard)."""
    from tests.ui import db_guard

    with db_guard.watch() as seen:
        yield seen
    unexpected = seen.unexpected()
    if unexpected:
        pytest.fail(db_guard.explain(unexpected), pytrace=False)


@pytest.fixture
def settle():  # type: ignore[no-untyped-def]
    """``settle()``: wait until the UI's service calls have answered (``wait_for_answers``)."""
    return wait_for_answers


@pytest.fixture
def themed(qapp):  # type: ignore[no-untyped-def]
    """The application dressed as ``frontdesk`` dresses it (style, font, palette, and the style
    sheet on every window ``style_window`` is given), undressed again after the test."""
    from PySide6.QtWidgets import QStyleFactory

    from frontdesk.ui.theme import THEMED, apply_theme

    style, font, palette = qapp.style().name(), qapp.font(), qapp.palette()
    apply_theme(qapp)
    yield qapp
    qapp.setProperty(THEMED, None)
    qapp.setStyle(QStyleFactory.create(style))
    qapp.setFont(font)
    qapp.setPalette(palette)


@pytest.fixture
def calendar_page(qtbot, db: Database, clinic: Clinic) -> CalendarPage:  # type: ignore[no-untyped-def]
    ctx = AppContext(db=db, clock=lambda: CLOCK)
    stack = UndoHistory()
    calendar = CalendarPage(ctx, stack)
    qtbot.addWidget(calendar)
    # The main window's Edit ▸ Undo / Redo: the same actions and keys, on the shared stack.
    for action, keys in (
        (stack.undo_action(calendar), QKeySequence.StandardKey.Undo),
        (stack.redo_action(calendar), QKeySequence.StandardKey.Redo),
    ):
        action.setShortcut(keys)
        calendar.addAction(action)
    calendar._test_stack = stack  # keep the stack alive as long as the page
    calendar.resize(1200, 800)
    calendar.show()
    qtbot.waitExposed(calendar)
    wait_for_answers()  # the first read: the clinic's zone, practitioners, today
    calendar.view.setFocus()
    return calendar


@pytest.fixture
def settings_ctx(db: Database) -> AppContext:
    return AppContext(db=db, clock=lambda: NOW)


@pytest.fixture
def settings_page(qtbot, settings_ctx: AppContext) -> SettingsPage:  # type: ignore[no-untyped-def]
    widget = SettingsPage(settings_ctx, QUndoStack())
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    wait_for_answers()  # each tab reads what it shows on a worker
    return widget
