"""Shared fixtures: a fresh database per test, and no screen needed for Qt."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from frontdesk.db.engine import Database  # noqa: E402
from frontdesk.db.open import open_database  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the real user data folder and QSettings."""
    monkeypatch.setenv("FRONTDESK_DATA_DIR", str(tmp_path / "userdata"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A new, migrated and seeded SQLite file database."""
    database = open_database(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")
    yield database
    database.dispose()


_pg_counter = iter(range(1, 1_000_000))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[object]:
    """One throw-away PostgreSQL server for the whole run."""
    from tests import pg_server as pg

    server = pg.start()
    yield server
    server.stop()


@pytest.fixture
def pg_db(pg_server: object) -> Iterator[Database]:
    """A new, migrated and seeded PostgreSQL database."""
    import sqlalchemy as sa

    name = f"clinic_{os.getpid()}_{next(_pg_counter)}"
    admin = sa.create_engine(pg_server.url("postgres"), isolation_level="AUTOCOMMIT")  # type: ignore[attr-defined]
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    database = open_database(pg_server.url(name))  # type: ignore[attr-defined]
    yield database
    database.dispose()
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
