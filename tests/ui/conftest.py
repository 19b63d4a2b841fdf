"""Fixtures shared by several GUI test modules: the calendar page and the settings page."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QKeySequence, QUndoStack

from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.ui.calendar import CalendarPage
from frontdesk.ui.settings.page import SettingsPage
from tests.ui.test_calendar import CLOCK
from tests.ui.test_settings_page import NOW
from tests.unit.test_scheduling_support import Clinic


@pytest.fixture(autouse=True)
def _no_answer_outlives_its_test():  # type: ignore[no-untyped-def]
    """A page's background read must not land in the next test (or on a removed database)."""
    from frontdesk.ui import worker

    yield
    worker.drop_all()


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
    stack = QUndoStack()
    calendar = CalendarPage(ctx, stack)
    qtbot.addWidget(calendar)
    # The main window's Edit ▸ Undo / Redo: the same actions and keys, on the shared stack.
    for action, keys in (
        (stack.createUndoAction(calendar), QKeySequence.StandardKey.Undo),
        (stack.createRedoAction(calendar), QKeySequence.StandardKey.Redo),
    ):
        action.setShortcut(keys)
        calendar.addAction(action)
    calendar._test_stack = stack  # keep the stack alive as long as the page
    calendar.resize(1200, 800)
    calendar.show()
    qtbot.waitExposed(calendar)
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
    return widget
