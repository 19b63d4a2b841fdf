"""No upgrade without a backup: a full disk leaves nothing behind and says so in one sentence;
a PostgreSQL database is dumped with pg_dump first, or left alone until someone confirms."""

from __future__ import annotations

import errno
import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import text
from sqlalchemy.engine import make_url

from frontdesk.__main__ import main
from frontdesk.db import schema
from frontdesk.db.engine import Database
from frontdesk.db.open import open_database
from frontdesk.db.schema import current_revision, head_revision, upgrade
from frontdesk.db.server_backup import dump_command
from frontdesk.domain import BackupFailed, ServerBackupNeeded


def _old_sqlite(path: Path) -> None:
    old = Database(f"sqlite:///{path}")
    upgrade(old, "0001")
    with old.write() as s:
        s.execute(text("INSERT INTO rooms (name, active) VALUES ('Room 1', TRUE)"))
    old.dispose()


def _disk_full(path: str, target: Path) -> None:
    target.touch()  # what sqlite3.connect(target) leaves before the copy runs out of space
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _revision(path: Path) -> str | None:
    db = Database(f"sqlite:///{path}")
    try:
        return current_revision(db)
    finally:
        db.dispose()


def test_a_full_disk_leaves_no_backup_file_and_no_upgrade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.sqlite3"
    _old_sqlite(path)
    backups = tmp_path / "backups"
    monkeypatch.setattr(schema, "_copy_sqlite", _disk_full)
    with pytest.raises(BackupFailed, match=r"No space left on device.*not upgraded"):
        open_database(f"sqlite:///{path}", backup_dir=backups)
    assert list(backups.iterdir()) == []
    assert _revision(path) == "0001"


def test_a_full_disk_is_one_sentence_from_a_headless_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "old.sqlite3"
    _old_sqlite(path)
    monkeypatch.setattr(schema, "_copy_sqlite", _disk_full)
    code = main(["--database", str(path), "upgrade"])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    assert "could not write the backup" in err and "not upgraded" in err
    backups = Path(os.environ["FRONTDESK_DATA_DIR"]) / "backups"
    assert not backups.exists() or list(backups.iterdir()) == []
    assert _revision(path) == "0001"


def test_the_password_reaches_pg_dump_only_through_its_environment(tmp_path: Path) -> None:
    url = make_url("postgresql+psycopg://desk:s3cret@db.clinic:5433/clinic?sslmode=require")
    args, env = dump_command(url, tmp_path / "x.pgdump", "pg_dump")
    assert not any("s3cret" in a for a in args)
    assert env["PGPASSWORD"] == "s3cret" and env["PGSSLMODE"] == "require"
    assert {
        "--host=db.clinic",
        "--port=5433",
        "--username=desk",
        "--dbname=clinic",
        "--format=custom",
    } <= set(args)


@pytest.fixture
def old_pg_url(pg_server: object) -> Iterator[str]:
    """A PostgreSQL database left at the first release's schema, with one room."""
    name = f"old_{os.getpid()}_{id(object())}"
    admin = sa.create_engine(pg_server.url("postgres"), isolation_level="AUTOCOMMIT")  # type: ignore[attr-defined]
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url: str = pg_server.url(name)  # type: ignore[attr-defined]
    old = Database(url)
    upgrade(old, "0001")
    with old.write() as s:
        s.execute(text("INSERT INTO rooms (name, active) VALUES ('Salle Zoë', TRUE)"))
    old.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def _pg_revision(url: str) -> str | None:
    db = Database(url)
    try:
        return current_revision(db)
    finally:
        db.dispose()


@pytest.mark.postgres
def test_postgresql_is_dumped_with_pg_dump_before_the_upgrade(
    old_pg_url: str, tmp_path: Path
) -> None:
    backups = tmp_path / "backups"
    db = open_database(old_pg_url, backup_dir=backups)
    db.dispose()
    assert _pg_revision(old_pg_url) == head_revision()
    (dump,) = backups.iterdir()
    assert dump.suffix == ".pgdump" and "before-upgrade-from-0001" in dump.name
    assert dump.stat().st_mode & 0o077 == 0
    listing = subprocess.run(
        ["pg_restore", "--list", str(dump)], capture_output=True, text=True, check=True
    ).stdout
    assert "TABLE DATA public rooms" in listing
    script = subprocess.run(
        ["pg_restore", "--data-only", "--table=rooms", "-f", "-", str(dump)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Salle Zoë" in script


@pytest.mark.postgres
def test_without_pg_dump_the_upgrade_waits_for_a_confirmed_backup(
    old_pg_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    backups = tmp_path / "backups"
    with pytest.raises(ServerBackupNeeded, match=r"pg_dump is not installed.*Nothing was changed"):
        open_database(old_pg_url, backup_dir=backups)
    assert _pg_revision(old_pg_url) == "0001"
    assert not backups.exists() or list(backups.iterdir()) == []

    code = main(["--database", old_pg_url, "upgrade"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err and "--confirm-server-backup" in err
    assert _pg_revision(old_pg_url) == "0001"

    code = main(["--database", old_pg_url, "--confirm-server-backup", "upgrade"])
    assert code == 0
    assert "No copy was taken here" in capsys.readouterr().out
    assert _pg_revision(old_pg_url) == head_revision()


def test_a_server_that_cannot_be_reached_is_one_sentence_from_upgrade(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The README's headless upgrade of a shared server, with the server down or the address
    mistyped: a sentence naming the server and saying nothing changed, not a traceback."""
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = main(["--database", f"postgresql://desk@127.0.0.1:{port}/clinic", "upgrade"])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert f"cannot open the database postgresql+psycopg://desk@127.0.0.1:{port}/clinic" in err
    assert "Nothing was changed" in err
