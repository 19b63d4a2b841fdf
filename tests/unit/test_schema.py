"""The schema the migrations build is the schema the models describe, and opening a database
creates, upgrades (with a backup) or refuses it as a clinic would want."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from frontdesk.db.base import Base
from frontdesk.db.engine import Database
from frontdesk.db.open import open_database
from frontdesk.db.schema import current_revision, ensure_schema, head_revision
from frontdesk.domain import SchemaTooNew


@pytest.mark.parametrize("kind", ["db", "pg_db"], ids=["sqlite", "postgresql"])
def test_migrations_produce_exactly_the_models_schema(
    kind: str, request: pytest.FixtureRequest
) -> None:
    db: Database = request.getfixturevalue(kind)
    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    assert diff == []


def test_every_model_table_exists_with_its_check_constraints(db: Database) -> None:
    inspector = inspect(db.engine)
    assert set(Base.metadata.tables) <= set(inspector.get_table_names())
    checks = {c["name"] for c in inspector.get_check_constraints("appointments")}
    assert {"ck_appointments_end_after_start", "ck_appointments_status"} <= checks


def test_new_database_is_at_head_and_seeded(db: Database) -> None:
    assert current_revision(db) == head_revision()
    with db.read() as s:
        names = set(s.execute(text("SELECT name FROM appointment_types")).scalars())
        minutes = s.execute(
            text("SELECT duration_minutes FROM appointment_types WHERE name='Initial consultation'")
        ).scalar_one()
    assert names == {
        "Initial consultation",
        "Acupuncture treatment",
        "Physiotherapy",
        "Trigger point therapy",
    }
    assert minutes == 60


def test_sqlite_runs_with_foreign_keys_wal_and_full_sync(db: Database) -> None:
    with db.read() as s:
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert s.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_reopening_is_harmless(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    first = open_database(url)
    first.dispose()
    again = open_database(url)
    with again.read() as s:
        assert s.execute(text("SELECT count(*) FROM appointment_types")).scalar() == 4
        assert s.execute(text("SELECT count(*) FROM clinic_settings")).scalar() == 1
    again.dispose()


def test_database_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    open_database(f"sqlite:///{path}").dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    before = path.read_bytes()
    with pytest.raises(SchemaTooNew, match="newer version of Frontdesk"):
        open_database(f"sqlite:///{path}")
    assert path.read_bytes() == before


def test_upgrading_an_older_database_backs_it_up_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.sqlite3"
    db = open_database(f"sqlite:///{path}")
    with db.write() as s:
        s.execute(text("INSERT INTO rooms (name, active) VALUES ('Room 1', 1)"))
    # This copy of the app pretends a later migration exists, so the file is one behind.
    upgraded: list[str] = []
    monkeypatch.setattr("frontdesk.db.schema.head_revision", lambda: "0002_later")
    monkeypatch.setattr("frontdesk.db.schema.upgrade", lambda _db: upgraded.append("head"))
    backup = ensure_schema(db, backup_dir=tmp_path / "backups")
    db.dispose()
    assert upgraded == ["head"]
    assert backup is not None and backup.exists()
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT name FROM rooms").fetchall() == [("Room 1",)]
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)


def test_database_at_head_is_not_backed_up(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    assert ensure_schema(db, backup_dir=tmp_path / "backups") is None
    db.dispose()
    assert not (tmp_path / "backups").exists()
