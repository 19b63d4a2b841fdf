"""The database under the app's feet: a file deleted or replaced while open refuses writes."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from frontdesk.db.engine import Database
from frontdesk.db.open import open_database
from frontdesk.domain import DatabaseDamaged, DatabaseUnavailable
from frontdesk.patients import PatientInput, create_patient
from tests.accounts_support import as_admin

# A SQLite file deleted or replaced under the app; a server has no such file.
pytestmark = pytest.mark.sqlite_only

TODAY = date(2026, 3, 2)


def new_patient(db: Database, given: str) -> int:
    return create_patient(db, PatientInput(given, "Lee", date(1980, 1, 2)), today=TODAY).id


def test_a_deleted_database_file_refuses_the_write(db: Database) -> None:
    new_patient(db, "Ann")
    path = Path(db.sqlite_path or "")
    for f in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        f.unlink(missing_ok=True)
    for given in ("Bob", "Cara", "Dan"):
        with pytest.raises(DatabaseUnavailable, match="is gone while Frontdesk was open"):
            new_patient(db, given)


def test_a_replaced_database_file_refuses_the_write(db: Database, tmp_path: Path) -> None:
    new_patient(db, "Ann")
    db.engine.dispose()
    path = Path(db.sqlite_path or "")
    copy = tmp_path / "copy.sqlite3"
    shutil.copy(path, copy)
    os.replace(copy, path)  # same contents, another file
    with pytest.raises(DatabaseUnavailable, match="replaced by another file") as caught:
        new_patient(db, "Bob")
    assert "nothing was saved" in str(caught.value)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM patients").fetchone() == (1,)
    conn.close()


def test_a_damaged_database_is_explained_with_the_way_out(tmp_path: Path) -> None:
    path = tmp_path / "clinic.sqlite3"
    db = as_admin(open_database(f"sqlite:///{path}"))
    for i in range(300):
        new_patient(db, "Ann" + "a" * (i % 20))
    db.dispose()
    data = bytearray(path.read_bytes())
    # Scribble over patient pages the app does not read while opening: only the check at
    # open can notice them before the desk works on a damaged file.
    for offset in range(len(data) * 6 // 10, len(data) * 8 // 10):
        data[offset] = 0x5A
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseDamaged) as caught:
        open_database(f"sqlite:///{path}")
    assert "frontdesk restore FILE" in str(caught.value)
    assert "damaged" in str(caught.value)
