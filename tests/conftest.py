"""Shared fixtures: a fresh database per test, and no screen needed for Qt."""

from __future__ import annotations

import os

# No display needed. Besides Qt's usual 800×800 offscreen screen (the first, where windows open
# unless told otherwise), the offscreen platform is given a 1024×768 and a 1366×768 screen, the
# small laptop screens every window must fit (tests/ui/test_screen_fit.py).
os.environ["QT_QPA_PLATFORM"] = (
    "offscreen:configfile=" + os.path.join(os.path.dirname(__file__), "offscreen-screens.json")
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen"
    else os.environ["QT_QPA_PLATFORM"]
)

from collections.abc import Iterator
from pathlib import Path

import platformdirs
import pytest

from frontdesk.db.engine import Database
from frontdesk.db.open import open_database
from frontdesk.paths import APP_AUTHOR, APP_NAME
from tests.accounts_support import as_admin, write_password_file
from tests.unit.test_scheduling_support import Clinic, build_clinic

# The real user data folder, computed before any test changes the environment: the session
# fails if a test creates or changes it (see ``pytest_sessionfinish``).
REAL_DATA_DIR = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def _snapshot(folder: Path) -> list[tuple[str, int]] | None:
    """What is in ``folder`` (names and modification times), or None when it does not exist."""
    if not folder.exists():
        return None
    found = [(str(p.relative_to(folder)), p.stat().st_mtime_ns) for p in folder.rglob("*")]
    return sorted([*found, (".", folder.stat().st_mtime_ns)])


_REAL_DATA_BEFORE = _snapshot(REAL_DATA_DIR)


def _point_home_at(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Home, XDG folders and Frontdesk's data folder all inside ``folder``."""
    for var, sub in (
        ("HOME", "home"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
        ("FRONTDESK_DATA_DIR", "userdata"),
    ):
        monkeypatch.setenv(var, str(folder / sub))


@pytest.fixture(scope="session", autouse=True)
def _isolated_session_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Session- and module-scoped fixtures run before the per-test folder exists; they too get a
    temporary home, so not even a shared demo database reaches the real data folder."""
    folder = tmp_path_factory.mktemp("session-home")
    with pytest.MonkeyPatch.context() as monkeypatch:
        _point_home_at(folder, monkeypatch)
        yield folder


@pytest.fixture(autouse=True)
def _isolated_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Keep every test away from the real home, user data folder and QSettings."""
    _point_home_at(tmp_path, monkeypatch)
    # Headless commands sign in as the test administrator (see tests/accounts_support.py).
    monkeypatch.setenv("FRONTDESK_USER", "administrator")
    secret = write_password_file(tmp_path_factory.mktemp("password"))
    monkeypatch.setenv("FRONTDESK_PASSWORD_FILE", str(secret))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when a test created or changed the real user data folder."""
    if _snapshot(REAL_DATA_DIR) != _REAL_DATA_BEFORE:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = (
            f"A test created or changed the real user data folder {REAL_DATA_DIR}; tests must "
            "use only temporary folders."
        )
        if reporter is not None:
            reporter.write_line(message, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# The unit tests of the services run on both databases a clinic may use: a SQLite file and a
# throw-away PostgreSQL server. Tests of SQLite itself (files, PRAGMAs, backups of the file)
# are marked ``sqlite_only``; the UI tests, which exercise widgets over the same services, run
# on SQLite to keep the suite within minutes on a small machine.
BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db" not in metafunc.fixturenames:
        return
    in_unit = Path(str(metafunc.definition.path)).parent.name == "unit"
    if in_unit and metafunc.definition.get_closest_marker("sqlite_only") is None:
        metafunc.parametrize("db", BACKENDS, indirect=True)


@pytest.fixture
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A new, migrated and seeded database with an administrator signed in: a SQLite file, or
    PostgreSQL when parametrized."""
    if getattr(request, "param", "sqlite") == "postgresql":
        yield request.getfixturevalue("pg_db")
        return
    database = open_database(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")
    yield as_admin(database)
    database.dispose()


_pg_counter = iter(range(1, 1_000_000))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[object]:
    """One throw-away PostgreSQL server for the whole run."""
    from tests import pg_server as pg

    server = pg.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server: object) -> str:
    """A migrated and seeded database that each test's database is copied from (fast)."""
    import sqlalchemy as sa

    name = f"clinic_template_{os.getpid()}"
    admin = sa.create_engine(pg_server.url("postgres"), isolation_level="AUTOCOMMIT")  # type: ignore[attr-defined]
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    open_database(pg_server.url(name)).dispose()  # type: ignore[attr-defined]
    return name


@pytest.fixture
def pg_db(pg_server: object, pg_template: str) -> Iterator[Database]:
    """A new, migrated and seeded PostgreSQL database."""
    import sqlalchemy as sa

    name = f"clinic_{os.getpid()}_{next(_pg_counter)}"
    admin = sa.create_engine(pg_server.url("postgres"), isolation_level="AUTOCOMMIT")  # type: ignore[attr-defined]
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"'))
    database = open_database(pg_server.url(name))  # type: ignore[attr-defined]
    yield as_admin(database)
    database.dispose()
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def clinic(db: Database) -> Clinic:
    """The scheduling tests' clinic: two practitioners, rooms, patients and visit types."""
    return build_clinic(db)
