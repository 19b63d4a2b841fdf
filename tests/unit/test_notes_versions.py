"""Two editors of one session note: the later save is refused instead of overwriting."""

from __future__ import annotations

from datetime import timedelta

import pytest

from frontdesk.db.engine import Database
from frontdesk.domain import NotFound, StaleRecord
from frontdesk.notes import NO_NOTE_YET, get_note, save_note
from tests.unit.test_notes import NOW, _clinic, _count, _note


def test_each_save_gives_the_next_version(db: Database) -> None:
    ids = _clinic(db)
    first = save_note(db, None, _note(ids), now=NOW, expected_version=NO_NOTE_YET)
    assert first.version == 1
    second = save_note(
        db, first.id, _note(ids, body="More"), now=NOW, expected_version=first.version
    )
    assert second.version == 2 and get_note(db, first.id).version == 2


def test_a_save_from_an_older_copy_is_refused_and_changes_nothing(db: Database) -> None:
    ids = _clinic(db)
    opened = save_note(db, None, _note(ids, body="Mine"), now=NOW)
    save_note(db, opened.id, _note(ids, body="Theirs"), now=NOW, expected_version=opened.version)
    with pytest.raises(StaleRecord, match=r"changed at another workstation"):
        save_note(
            db,
            opened.id,
            _note(ids, body="Mine, later"),
            now=NOW + timedelta(1),
            expected_version=opened.version,
        )
    assert get_note(db, opened.id).body == "Theirs"


def test_starting_a_note_that_another_desk_already_started_is_refused(db: Database) -> None:
    ids = _clinic(db)
    save_note(db, None, _note(ids, body="Written at desk 2"), now=NOW, expected_version=NO_NOTE_YET)
    with pytest.raises(StaleRecord, match=r"Dr. Lin Wei already started the note"):
        save_note(db, None, _note(ids, body="Written here"), now=NOW, expected_version=NO_NOTE_YET)
    assert _count(db) == 1
    with pytest.raises(NotFound):  # a version for a note that is not there
        save_note(db, None, _note(ids, appt="a2"), now=NOW, expected_version=3)
