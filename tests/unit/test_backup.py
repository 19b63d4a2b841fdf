"""Backups that are real: consistent while others write, checked, rotated, encrypted, restored."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from frontdesk.backup import (
    BackupFailed,
    BackupSettings,
    RestoreRefused,
    back_up,
    back_up_if_due,
    backup_status,
    restore_backup,
    rotate,
    save_settings,
)
from frontdesk.db.engine import Database
from frontdesk.domain import ValidationError
from frontdesk.patients import PatientInput, create_patient, search_patients

# Backups copy the SQLite file; PostgreSQL is backed up on the server (pg_dump).
pytestmark = pytest.mark.sqlite_only

TODAY = date(2026, 3, 2)


def add(db: Database, given: str, note: str = "") -> int:
    return create_patient(
        db, PatientInput(given, "Tester", date(1980, 5, 17), notes=note), today=TODAY
    ).id


def word(n: int) -> str:
    """A name-like spelling of a number (names may not hold digits)."""
    return "".join(chr(ord("a") + int(c)) for c in str(n))


def names(db: Database) -> set[str]:
    return {p.given_name for p in search_patients(db, "", include_archived=True, limit=1000)}


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "userdata"
    path.mkdir(exist_ok=True)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_backup_taken_while_another_connection_writes_is_complete(
    db: Database, data_dir: Path
) -> None:
    for i in range(50):
        add(db, f"Before{word(i)}")
    writer_db = (
        db.as_actor(None).__class__(db.url.render_as_string(hide_password=False)).as_actor(db.actor)
    )
    stop = threading.Event()
    written: list[int] = []

    def write() -> None:
        n = 0
        while not stop.is_set():
            written.append(add(writer_db, f"During{word(n)}"))
            n += 1

    thread = threading.Thread(target=write)
    thread.start()
    try:
        while len(written) < 5:
            pass
        result = back_up(db, data_dir)
        while len(written) < 15:  # the writer keeps going after the copy
            pass
    finally:
        stop.set()
        thread.join()
        writer_db.dispose()
    conn = sqlite3.connect(result.path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    count = conn.execute("SELECT count(*) FROM patients").fetchone()[0]
    conn.close()
    assert 55 <= count < 50 + len(written)  # all the committed rows of one moment, no torn state
    assert not Path(f"{result.path}-wal").exists()  # one self-contained file


def test_backup_change_restore_gives_the_backed_up_records_back(
    db: Database, data_dir: Path
) -> None:
    add(db, "Alice")
    backup = back_up(db, data_dir).path
    add(db, "Bob")
    assert names(db) == {"Alice", "Bob"}
    result = restore_backup(db, data_dir, backup)
    assert names(db) == {"Alice"}  # the same Database object goes on with the restored file
    add(db, "Carol")  # and writes to it are accepted (the engine was reopened)
    assert names(db) == {"Alice", "Carol"}
    # The database it replaced was kept, and holds Bob.
    saved = sqlite3.connect(result.previous_saved_as)
    assert ("Bob",) in saved.execute("SELECT given_name FROM patients").fetchall()
    saved.close()


def test_an_encrypted_backup_is_unreadable_without_its_passphrase_and_restores_with_it(
    db: Database, data_dir: Path
) -> None:
    add(db, "Secretname")
    save_settings(data_dir, BackupSettings(passphrase="long enough phrase"))
    result = back_up(db, data_dir)
    assert result.encrypted and result.path.suffix == ".fdbackup"
    assert b"Secretname" not in result.path.read_bytes()
    add(db, "Later")
    restore_backup(db, data_dir, result.path)
    assert names(db) == {"Secretname"}


def _refused_and_unchanged(
    db: Database, data_dir: Path, bad: Path, phrase: str | None, words: str
) -> None:
    path = Path(db.sqlite_path or "")
    db.engine.dispose()
    before, expected = digest(path), names(db)
    assert {"Alice", "Bob"} <= expected
    db.engine.dispose()
    with pytest.raises(RestoreRefused, match=words) as caught:
        restore_backup(db, data_dir, bad, passphrase=phrase)
    assert "Nothing was changed" in str(caught.value)
    db.engine.dispose()
    assert digest(path) == before
    assert names(db) == expected
    add(db, "Still writable")


def test_a_truncated_backup_is_refused_and_nothing_changes(
    db: Database, data_dir: Path, tmp_path: Path
) -> None:
    add(db, "Alice")
    for i in range(200):  # enough pages that half the file loses tables
        add(db, f"Filler{word(i)}", note="x" * 200)
    good = back_up(db, data_dir).path
    with sqlite3.connect(db.sqlite_path) as conn:
        conn.execute("DELETE FROM patient_search_tokens")
        conn.execute("DELETE FROM patients WHERE given_name LIKE 'Filler%'")
    conn.close()
    add(db, "Bob")
    cut = tmp_path / "cut.sqlite3"
    data = good.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    _refused_and_unchanged(db, data_dir, cut, None, "cut.sqlite3 was not restored")


def test_a_backup_encrypted_with_another_passphrase_is_refused(
    db: Database, data_dir: Path
) -> None:
    add(db, "Alice")
    save_settings(data_dir, BackupSettings(passphrase="the right passphrase"))
    other = back_up(db, data_dir).path
    add(db, "Bob")
    _refused_and_unchanged(db, data_dir, other, "not the right one", "passphrase does not open")


def test_a_cut_encrypted_backup_is_refused(db: Database, data_dir: Path, tmp_path: Path) -> None:
    add(db, "Alice")
    save_settings(data_dir, BackupSettings(passphrase="the right passphrase"))
    good = back_up(db, data_dir).path
    add(db, "Bob")
    cut = tmp_path / "cut.fdbackup"
    cut.write_bytes(good.read_bytes()[:-100])
    _refused_and_unchanged(db, data_dir, cut, None, "changed or cut short")


def test_a_database_that_is_not_frontdesks_is_refused(
    db: Database, data_dir: Path, tmp_path: Path
) -> None:
    add(db, "Alice")
    add(db, "Bob")
    foreign = tmp_path / "photos.sqlite3"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    conn.close()
    _refused_and_unchanged(db, data_dir, foreign, None, "not one of Frontdesk's")
    text = tmp_path / "notes.txt"
    text.write_text("hello\n" * 1000)
    _refused_and_unchanged(db, data_dir, text, None, "not a usable database")


def test_rotation_keeps_the_newest_of_each_day_week_and_month(tmp_path: Path) -> None:
    start = datetime(2026, 1, 1, 9, 0)
    files = []
    for day in range(90):
        for hour in (9, 15):
            at = start + timedelta(days=day, hours=hour - 9)
            path = tmp_path / f"frontdesk-{at:%Y%m%d-%H%M%S}.sqlite3"
            path.write_bytes(b"")
            files.append(path)
    labelled = tmp_path / "frontdesk-20260101-090000-before-restore.sqlite3"
    labelled.write_bytes(b"")
    other = tmp_path / "demo-clinic-20260101-090000.sqlite3"
    other.write_bytes(b"")
    newest = files[-1]
    rotate(tmp_path, "frontdesk", BackupSettings(daily=3, weekly=3, monthly=3), keep=newest)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert (
        left
        == sorted(
            [
                "demo-clinic-20260101-090000.sqlite3",  # another database's: untouched
                "frontdesk-20260101-090000-before-restore.sqlite3",  # labelled: untouched
                "frontdesk-20260131-150000.sqlite3",  # January's newest
                "frontdesk-20260228-150000.sqlite3",  # February's newest
                "frontdesk-20260322-150000.sqlite3",  # newest of ISO week 12 (weeks 13 and 14 end in daily ones)
                "frontdesk-20260329-150000.sqlite3",  # daily
                "frontdesk-20260330-150000.sqlite3",  # daily
                "frontdesk-20260331-150000.sqlite3",  # daily, this week's and March's newest
            ]
        )
    )


def test_the_first_start_of_each_day_backs_up_once(db: Database, data_dir: Path) -> None:
    morning = datetime(2026, 3, 2, 8, 0)
    assert back_up_if_due(db, data_dir, now=morning) is not None
    assert back_up_if_due(db, data_dir, now=morning + timedelta(hours=3)) is None
    assert back_up_if_due(db, data_dir, now=morning + timedelta(days=1)) is not None


def test_the_last_backup_age_warns_after_two_days(db: Database, data_dir: Path) -> None:
    assert backup_status(db, data_dir).warn  # type: ignore[union-attr]
    at = datetime(2026, 3, 2, 8, 30)
    back_up(db, data_dir, now=at)
    fresh = backup_status(db, data_dir, now=at + timedelta(hours=2))
    assert fresh is not None and not fresh.warn and fresh.text == "Last backup today at 08:30"
    old = backup_status(db, data_dir, now=at + timedelta(days=2, hours=1))
    assert old is not None and old.warn and "2 days ago" in old.text


def test_a_missing_backup_folder_fails_clearly_and_leaves_nothing(
    db: Database, data_dir: Path, tmp_path: Path
) -> None:
    drive = tmp_path / "usb"
    drive.mkdir()
    save_settings(data_dir, BackupSettings(folder=str(drive)))
    drive.rmdir()  # the drive was unplugged
    with pytest.raises(BackupFailed, match="is not there"):
        back_up(db, data_dir)
    assert not drive.exists()


def test_settings_refuse_a_short_passphrase_and_a_missing_folder(
    data_dir: Path, tmp_path: Path
) -> None:
    with pytest.raises(ValidationError) as caught:
        save_settings(
            data_dir, BackupSettings(folder=str(tmp_path / "nope"), daily=0, passphrase="short")
        )
    assert set(caught.value.errors) == {"folder", "daily", "passphrase"}


def test_a_damaged_database_is_restored_from_the_command_line_without_signing_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A damaged file has no account table to sign in against: restoring is its way out.
    from frontdesk.__main__ import main
    from frontdesk.db.open import open_database
    from tests.accounts_support import as_admin

    data = tmp_path / "userdata"
    monkeypatch.setenv("FRONTDESK_DATA_DIR", str(data))
    monkeypatch.delenv("FRONTDESK_USER", raising=False)
    path = tmp_path / "clinic.sqlite3"
    db = as_admin(open_database(f"sqlite:///{path}"))
    for i in range(300):
        add(db, "Ann" + word(i))
    backup = back_up(db, data).path
    db.dispose()
    raw = bytearray(path.read_bytes())
    for offset in range(len(raw) * 6 // 10, len(raw) * 8 // 10):
        raw[offset] = 0x5A
    path.write_bytes(bytes(raw))
    assert main(["--database", str(path), "restore", str(backup)]) == 0
    assert "restoring as the owner of the data folder" in capsys.readouterr().err
    restored = as_admin(Database(f"sqlite:///{path}"))
    assert len(names(restored)) == 300
    restored.dispose()
