"""Other desks' changes reach the open views within two seconds, without a click.

A second ``Database`` on the same clinic plays the other workstation; the views are watched by
the same ``LiveUpdates`` poller the main window owns. Run on SQLite (``data_version``) and on a
throw-away PostgreSQL server (``LISTEN``/``NOTIFY``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from frontdesk.db.engine import Database
from frontdesk.ui.calendar import CalendarPage
from frontdesk.ui.live import LiveUpdates
from tests.ui.test_calendar import book
from tests.unit.test_scheduling_support import Clinic

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")
BOTH = pytest.mark.parametrize("db", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def other_desk(db: Database) -> Iterator[Database]:
    other = Database(db.url.render_as_string(hide_password=False))
    yield other
    other.dispose()


@BOTH
def test_the_calendar_shows_a_booking_made_at_another_desk(
    qtbot, db: Database, clinic: Clinic, calendar_page: CalendarPage, other_desk: Database
) -> None:
    mine = book(db, clinic.ann, clinic.acu, clinic.consult, 9, room=clinic.room1)
    calendar_page.reload(select=mine.id)
    calendar_page.view.verticalScrollBar().setValue(120)
    scroll = calendar_page.view.verticalScrollBar().value()
    live = LiveUpdates(db, calendar_page)
    scene = calendar_page.view.calendar_scene
    theirs = book(other_desk, clinic.bob, clinic.physio, clinic.physio_type, 11, room=clinic.room2)
    qtbot.waitUntil(lambda: theirs.id in scene.blocks, timeout=2000)
    assert scene.selected_id == mine.id
    assert scene.blocks[mine.id].selected
    assert calendar_page.view.verticalScrollBar().value() == scroll
    live.stop()
