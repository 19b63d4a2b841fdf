"""Connections to PostgreSQL: encrypted beyond this computer, passwords kept off the command line.

Patients' records travel between the desks and the server; a password in the database address
shows in every process list and settings file. ``sslmode`` is ``require`` for any server other
than this computer's, and the password comes from ``~/.pgpass`` or ``PGPASSWORD``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from frontdesk.db.engine import Database, _postgres_connect_args
from frontdesk.domain import DatabaseUnavailable


def _args(url: str) -> dict[str, object]:
    return _postgres_connect_args(make_url(url))


@pytest.fixture(autouse=True)
def _no_ssl_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PGSSLMODE", raising=False)
    monkeypatch.delenv("FRONTDESK_PG_SSLMODE", raising=False)


@pytest.mark.parametrize("host", ["db.clinic.lan", "192.168.1.20", "[fe80::1]"])
def test_a_server_on_another_computer_is_reached_only_encrypted(host: str) -> None:
    assert _args(f"postgresql+psycopg://desk@{host}/clinic")["sslmode"] == "require"


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://desk@localhost/clinic",
        "postgresql+psycopg://desk@127.0.0.1:5433/clinic",
        "postgresql+psycopg://desk@[::1]/clinic",
        "postgresql+psycopg:///clinic",  # the local unix socket
        "postgresql+psycopg://desk@/clinic?host=/var/run/postgresql",
    ],
)
def test_a_server_on_this_computer_is_left_to_libpq(url: str) -> None:
    assert "sslmode" not in _args(url)


def test_a_lab_may_relax_it_by_url_or_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    remote = "postgresql+psycopg://desk@db.lab/clinic"
    assert "sslmode" not in _args(remote + "?sslmode=prefer")  # the URL's own is used
    monkeypatch.setenv("FRONTDESK_PG_SSLMODE", "disable")
    assert _args(remote)["sslmode"] == "disable"
    monkeypatch.delenv("FRONTDESK_PG_SSLMODE")
    monkeypatch.setenv("PGSSLMODE", "verify-full")  # libpq's own setting is respected
    assert "sslmode" not in _args(remote)


def test_the_sslmode_reaches_the_server(pg_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test server has no certificate: asking for encryption is refused, plainly."""
    monkeypatch.setenv("FRONTDESK_PG_SSLMODE", "require")
    desk = Database(pg_db.url.render_as_string(hide_password=False))
    try:
        with pytest.raises(DatabaseUnavailable, match=r"(?i)ssl"), desk.read() as s:
            s.execute(sa.text("SELECT 1"))
    finally:
        desk.dispose()


def test_a_password_in_the_address_is_warned_about_and_masked(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="frontdesk"):
        Database("postgresql+psycopg://desk:s3cret@db.clinic.lan/clinic").dispose()
    assert "~/.pgpass" in caplog.text and "PGPASSWORD" in caplog.text
    assert "s3cret" not in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="frontdesk"):
        Database("postgresql+psycopg://desk@db.clinic.lan/clinic").dispose()
    assert "pgpass" not in caplog.text


@pytest.fixture
def password_login(pg_db: Database, pg_server: object) -> str:
    """A role that must give a password over TCP (the test server trusts everyone else)."""
    role, password = "desk_pw", "Tr0ub4dor&3"
    with pg_db.engine.connect() as conn, conn.begin():
        if not conn.execute(
            sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}
        ).first():
            conn.execute(sa.text(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'"))
    hba = Path(pg_server.datadir) / "pg_hba.conf"  # type: ignore[attr-defined]
    rule = f"host all {role} 127.0.0.1/32 scram-sha-256\n"
    text = hba.read_text()
    if rule not in text:
        hba.write_text(rule + text)  # first match wins: only this role needs a password
        pg_server._run(
            f"{pg_server.bindir}/pg_ctl",
            "-D",  # type: ignore[attr-defined]
            pg_server.datadir,
            "reload",
        )  # type: ignore[attr-defined]
    return password


def _login_url(pg_db: Database) -> str:
    return pg_db.url.set(username="desk_pw", password=None).render_as_string(hide_password=False)


def _can_read(url: str) -> bool:
    desk = Database(url)
    try:
        with desk.read() as s:
            return s.execute(sa.text("SELECT current_user")).scalar() == "desk_pw"
    finally:
        desk.dispose()


def test_without_a_password_the_message_says_where_to_put_it(
    pg_db: Database, password_login: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from frontdesk.db.open import open_existing_database

    monkeypatch.delenv("PGPASSWORD", raising=False)
    with pytest.raises(DatabaseUnavailable, match=r"asks for a password.*~/\.pgpass"):
        open_existing_database(_login_url(pg_db))


def test_the_password_comes_from_pgpassword(
    pg_db: Database, password_login: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGPASSWORD", password_login)
    assert _can_read(_login_url(pg_db))


def test_the_password_comes_from_pgpass(
    pg_db: Database, password_login: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    pgpass = Path(os.environ["HOME"]) / ".pgpass"  # the test's own home folder
    pgpass.parent.mkdir(parents=True, exist_ok=True)
    url = make_url(_login_url(pg_db))
    pgpass.write_text(f"{url.host}:{url.port}:*:desk_pw:{password_login}\n")
    pgpass.chmod(0o600)  # libpq ignores a .pgpass others can read
    assert _can_read(_login_url(pg_db))
