"""Patients' records are readable by this account only, whatever the umask."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from frontdesk import paths
from frontdesk.backup import BackupSettings, back_up, save_settings
from frontdesk.db.open import open_database
from frontdesk.logs import add_file_log
from frontdesk.patients import PatientInput, create_patient
from tests.accounts_support import as_admin


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_folder_and_file_the_app_writes_is_private(open_umask: None) -> None:
    data = paths.data_dir()
    db = as_admin(open_database(paths.default_database_url(), backup_dir=paths.backups_dir()))
    try:
        create_patient(db, PatientInput("Ann", "Lee", date(1980, 1, 2)), today=date(2026, 3, 2))
        assert Path(f"{db.sqlite_path}-wal").exists()  # checked while the app has it open
        assert Path(f"{db.sqlite_path}-shm").exists()
        back_up(db, data)
        save_settings(data, BackupSettings(passphrase="a long passphrase"))
        back_up(db, data)
        logger = logging.getLogger("frontdesk.test-private")
        log_file = paths.logs_dir() / "frontdesk.log"
        add_file_log(logger, log_file)
        handler = logger.handlers[-1]
        handler.maxBytes = 200  # type: ignore[attr-defined]
        for i in range(10):  # rollovers make new files too
            logger.error("line %d %s", i, "x" * 50)
        assert Path(f"{log_file}.1").exists()
        found = sorted(data.rglob("*"))
        folders = [p for p in found if p.is_dir()]
        files = [p for p in found if p.is_file()]
        assert {p.name for p in files} >= {
            "frontdesk.sqlite3",
            "frontdesk.sqlite3-wal",
            "frontdesk.sqlite3-shm",
            "frontdesk.log",
            "backup-settings.json",
            "backup-state.json",
        }
        assert any(p.suffix == ".fdbackup" for p in files)
        assert {str(p): oct(mode(p)) for p in [data, *folders] if mode(p) != 0o700} == {}
        assert {str(p): oct(mode(p)) for p in files if mode(p) != 0o600} == {}
    finally:
        db.dispose()
        for h in list(logging.getLogger("frontdesk.test-private").handlers):
            h.close()
            logging.getLogger("frontdesk.test-private").removeHandler(h)


def test_an_existing_readable_database_is_tightened_at_open(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "clinic.sqlite3"
    open_database(f"sqlite:///{path}").dispose()
    os.chmod(path, 0o644)
    os.chmod(tmp_path, 0o755)
    with caplog.at_level(logging.WARNING, logger="frontdesk"):
        open_database(f"sqlite:///{path}").dispose()
    assert mode(path) == 0o600
    assert "readable by other accounts" in caplog.text


def test_a_failed_upgrade_backup_leaves_no_empty_file(tmp_path: Path) -> None:
    """The pre-upgrade copy is removed when it cannot be completed (a full disk, say)."""
    from frontdesk.db.schema import backup_sqlite
    from frontdesk.domain import BackupFailed

    source = tmp_path / "not-a-database.sqlite3"
    source.write_bytes(b"this is not SQLite" * 100)
    folder = tmp_path / "backups"
    with pytest.raises(BackupFailed):  # not a database: nothing to copy, and said so
        backup_sqlite(str(source), folder, label="0001")
    assert list(folder.iterdir()) == []
