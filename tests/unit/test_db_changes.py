"""A desk learns within a poll that another desk committed a change (live views, Qt-free part)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import text, update

from frontdesk.db.changes import ChangeWatcher
from frontdesk.db.engine import Database
from frontdesk.db.models import Room
from frontdesk.patients import PatientInput, create_patient, search_patients
from tests.accounts_support import as_admin

TODAY = date(2026, 3, 2)


def _seen_within(watcher: ChangeWatcher, seconds: float) -> bool:
    """Poll as a view's timer would: a PostgreSQL notice arrives just after the commit."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if watcher.poll():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def other_desk(db: Database) -> Iterator[Database]:
    other = as_admin(Database(db.url.render_as_string(hide_password=False)))
    yield other
    other.dispose()


def test_a_change_at_another_desk_is_seen_at_the_next_poll(
    db: Database, other_desk: Database
) -> None:
    watcher = ChangeWatcher(db)
    try:
        assert watcher.poll() is False
        create_patient(other_desk, PatientInput("Zoe", "Tremblay", date(1990, 6, 1)), today=TODAY)
        assert _seen_within(watcher, 2.0)
        assert watcher.poll() is False  # once per change
        with other_desk.write() as s:
            s.add(Room(name="Room 9", active=True))
        assert _seen_within(watcher, 2.0)
        with other_desk.write() as s:  # a bulk statement counts too
            s.execute(update(Room).values(active=False))
        assert _seen_within(watcher, 2.0)
    finally:
        watcher.close()


def test_reading_and_a_rolled_back_write_announce_nothing(
    db: Database, other_desk: Database
) -> None:
    watcher = ChangeWatcher(db)
    try:
        search_patients(other_desk, "zoe")
        with other_desk.write() as s:
            s.execute(text("SELECT 1"))  # a write transaction that changed nothing
        with pytest.raises(RuntimeError), other_desk.write() as s:
            s.add(Room(name="Room 9", active=True))
            s.flush()
            raise RuntimeError("the desk gave up half-way")
        assert not _seen_within(watcher, 0.5)
    finally:
        watcher.close()
