"""A second workstation holding the database too long is a message, not a crash."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from frontdesk.db import engine as engine_module
from frontdesk.db.engine import Database
from frontdesk.db.open import open_database
from frontdesk.domain import DatabaseUnavailable, FrontdeskError


def test_a_write_blocked_by_another_workstation_is_explained_and_saves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.sqlite3"
    open_database(f"sqlite:///{path}").dispose()
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 100)
    db = Database(f"sqlite:///{path}")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # the other desk is in the middle of a booking
    try:
        with (
            pytest.raises(DatabaseUnavailable, match=r"busy with another workstation") as exc,
            db.write() as s,
        ):
            s.execute(text("INSERT INTO rooms (name, active) VALUES ('Room 9', TRUE)"))
        assert isinstance(exc.value, FrontdeskError)
        assert "Nothing was saved" in str(exc.value)
    finally:
        other.execute("ROLLBACK")
        other.close()
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM rooms")).scalar() == 0
    db.dispose()


def test_an_unreachable_server_is_named() -> None:
    db = Database("postgresql+psycopg://desk@127.0.0.1:1/clinic")
    with (
        pytest.raises(DatabaseUnavailable, match=r"cannot reach the database server 127.0.0.1"),
        db.read() as s,
    ):
        s.execute(text("SELECT 1"))
    db.dispose()


def test_a_file_that_is_not_a_database_is_refused_plainly(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("shopping list")
    with pytest.raises(DatabaseUnavailable, match=r"file is not a database. Nothing was changed"):
        open_database(f"sqlite:///{path}")
    assert path.read_text() == "shopping list"


def test_build_demo_on_a_broken_file_says_why_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from frontdesk.__main__ import main

    path = tmp_path / "bad.db"
    path.write_text("not a database")
    assert main(["--database", str(path), "build-demo"]) == 1
    err = capsys.readouterr().err
    assert "file is not a database" in err and "Traceback" not in err


def test_a_second_desk_opens_a_current_database_while_another_desk_is_writing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "c.sqlite3"
    open_database(f"sqlite:///{path}").dispose()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # the first desk is in the middle of a booking
    try:
        started = time.monotonic()
        db = open_database(f"sqlite:///{path}")
        assert time.monotonic() - started < engine_module.SQLITE_READ_BUSY_TIMEOUT_MS / 1000
        with db.read() as s:
            assert s.execute(text("SELECT count(*) FROM appointment_types")).scalar() == 4
        db.dispose()
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_read_gives_up_sooner_than_a_write(tmp_path: Path) -> None:
    """The busy timeout suits the call: a short one for reads, a longer one for a booking."""
    path = tmp_path / "c.sqlite3"
    db = open_database(f"sqlite:///{path}")
    try:
        with db.read() as s:
            read_ms = s.execute(text("PRAGMA busy_timeout")).scalar()
        with db.write() as s:
            write_ms = s.execute(text("PRAGMA busy_timeout")).scalar()
        with db.read() as s:  # the same pooled connection goes back to the short wait
            again_ms = s.execute(text("PRAGMA busy_timeout")).scalar()
    finally:
        db.dispose()
    assert read_ms == again_ms == engine_module.SQLITE_READ_BUSY_TIMEOUT_MS
    assert write_ms == engine_module.SQLITE_BUSY_TIMEOUT_MS > read_ms
