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
from frontdesk.db.schema import (
    HEAD_REVISION,
    current_revision,
    ensure_schema,
    head_revision,
    scripts_head_revision,
    upgrade,
)
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


@pytest.mark.sqlite_only  # SQLite's PRAGMAs
def test_sqlite_runs_with_foreign_keys_wal_and_full_sync(db: Database) -> None:
    with db.read() as s:
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert s.execute(text("PRAGMA busy_timeout")).scalar() >= 2000  # a read waits less
    with db.write() as s:
        assert s.execute(text("PRAGMA busy_timeout")).scalar() >= 5000  # than a booking


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


def test_an_older_database_is_backed_up_then_upgraded_with_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = Database(f"sqlite:///{path}")
    upgrade(old, "0001")  # as the first release left it
    with old.write() as s:
        s.execute(text("INSERT INTO rooms (name, active) VALUES ('Room 1', TRUE)"))
        s.execute(
            text(
                "INSERT INTO practitioners (id, display_name, credentials, discipline, colour, active)"
                " VALUES (1, 'Mei Lin', 'R.Ac', 'acupuncture', '#3366aa', TRUE)"
            )
        )
        s.execute(
            text(
                "INSERT INTO working_hours (practitioner_id, weekday, starts_at, ends_at)"
                " VALUES (1, 0, '09:00:00', '17:00:00')"
            )
        )
    old.dispose()

    db = Database(f"sqlite:///{path}")
    backup = ensure_schema(db, backup_dir=tmp_path / "backups")
    assert current_revision(db) == head_revision()
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM working_hours")).scalar() == 1
        assert s.execute(text("SELECT name FROM rooms")).scalar() == "Room 1"
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1  # enforcement restored
    db.dispose()
    assert backup is not None and backup.exists()
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT name FROM rooms").fetchall() == [("Room 1",)]
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)


def test_the_head_revision_constant_is_the_newest_migration() -> None:
    """Opening compares with ``HEAD_REVISION`` without loading Alembic; a migration added
    without updating it would otherwise leave databases un-upgraded."""
    assert scripts_head_revision() == HEAD_REVISION


def test_a_database_without_frontdesk_tables_has_no_revision(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'blank.sqlite3'}")
    assert current_revision(db) is None
    db.dispose()


def test_database_at_head_is_not_backed_up(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    assert ensure_schema(db, backup_dir=tmp_path / "backups") is None
    db.dispose()
    assert not (tmp_path / "backups").exists()


@pytest.mark.sqlite_only  # SQLite's foreign-key pause during migrations
def test_a_migration_that_would_break_references_is_rolled_back(db: Database) -> None:
    with (
        pytest.raises(RuntimeError, match="broken references"),
        db.migration_connection() as conn,
    ):
        conn.execute(
            text(
                "INSERT INTO working_hours (practitioner_id, weekday, starts_at, ends_at)"
                " VALUES (999, 0, '09:00:00', '17:00:00')"
            )
        )
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM working_hours")).scalar() == 0
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_print_plan_refuses_an_old_database_and_the_window_backs_it_up_before_upgrading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from frontdesk import paths
    from frontdesk.__main__ import main

    path = tmp_path / "old.sqlite3"
    old = Database(f"sqlite:///{path}")
    upgrade(old, "0001")
    old.dispose()
    before = path.read_bytes()
    assert (
        main(
            [
                "--database",
                str(path),
                "print-plan",
                "--patient",
                "1",
                "--out",
                str(tmp_path / "x.pdf"),
            ]
        )
        == 1
    )
    assert "made by an older Frontdesk and must be upgraded first" in capsys.readouterr().err
    assert path.read_bytes() == before
    assert not list(paths.backups_dir().glob("old-*"))
    open_database(f"sqlite:///{path}").dispose()  # how the window opens it: backup, upgrade
    backups = list(paths.backups_dir().glob("old-*-before-upgrade-from-0001.sqlite3"))
    assert len(backups) == 1
