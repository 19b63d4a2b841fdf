"""Backups that are real, and a restore that changes nothing unless it can finish.

A backup is a snapshot through SQLite's online backup API (the WAL included, other desks
writing meanwhile), written to the folder the clinic chose, optionally encrypted, then read
back from that folder and checked (``integrity_check`` and every table's row count against
the snapshot) before it takes its final name; older backups are thinned by the clinic's
rotation. A restore prepares the backup completely beside the database (decrypted, checked,
recognised as Frontdesk's, upgraded if older), backs the current database up, and only then
swaps the files with one ``os.replace``: until that moment nothing has changed.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from frontdesk.accounts.operation import operation
from frontdesk.backup.crypto import DecryptionFailed, decrypt_file, encrypt_file, is_encrypted
from frontdesk.backup.settings import BackupSettings, last_backup, load_settings, record_backup
from frontdesk.db.engine import Database
from frontdesk.db.snapshot import SnapshotError, check_sqlite, snapshot_sqlite
from frontdesk.domain import BackupFailed, FrontdeskError, SchemaTooNew
from frontdesk.private_files import open_private, private_dir
from frontdesk.timefmt import fmt_date, fmt_time

log = logging.getLogger("frontdesk")

STALE_AFTER = timedelta(days=2)
FRONTDESK_TABLES = frozenset({"alembic_version", "clinic_settings", "patients", "appointments"})
PLAIN_EXT, ENCRYPTED_EXT = "sqlite3", "fdbackup"


class RestoreRefused(FrontdeskError):
    """The backup was not restored; the clinic's database is exactly as it was."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    at: datetime
    encrypted: bool
    rows: int
    removed: tuple[Path, ...] = ()


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    previous_saved_as: Path


@dataclass(frozen=True)
class BackupStatus:
    """What the status bar and Settings say about the last backup; ``warn`` when overdue."""

    text: str
    warn: bool
    last: datetime | None


def _sqlite_path(db: Database, doing: str) -> Path:
    if db.sqlite_path is None:
        raise BackupFailed(
            f"Frontdesk {doing} SQLite database files only. This clinic's records are on a "
            "database server; back it up and restore it on the server (see the README)."
        )
    return Path(db.sqlite_path)


# -- backing up -----------------------------------------------------------------------------------
@operation("back_up")
def back_up(
    db: Database, data_dir: Path, *, now: datetime | None = None, label: str = ""
) -> BackupResult:
    """Write one verified backup of ``db`` to the chosen folder and apply the rotation.

    ``label`` names a backup outside the rotation (``before-restore``); those are kept.
    """
    source = _sqlite_path(db, "backs up")
    settings = load_settings(data_dir)
    now = now or datetime.now()
    folder = _backup_folder(settings, data_dir)
    work = Path(tempfile.mkdtemp(prefix=".frontdesk-backup-", dir=source.parent))
    partial: Path | None = None
    try:
        plain = work / "snapshot.sqlite3"
        counts = snapshot_sqlite(source, plain)
        check_sqlite(plain, counts)
        final = _free_name(folder, source.stem, now, label, settings.encrypted)
        partial = final.with_name(final.name + ".partial")
        if settings.encrypted:
            encrypt_file(plain, partial, settings.passphrase)
            readback = work / "readback.sqlite3"
            decrypt_file(partial, readback, settings.passphrase)
        else:
            _copy_private(plain, partial)
            readback = partial
        check_sqlite(readback, counts)  # what is on the backup drive, read back
        os.replace(partial, final)
        partial = None
        _sync_dir(folder)
    except (OSError, sqlite3.Error, SnapshotError, DecryptionFailed) as exc:
        log.exception("Backup of %s to %s failed", source, folder)
        raise BackupFailed(
            f"The backup was not made: {_reason(exc)}. Nothing was changed in the clinic's records."
        ) from exc
    finally:
        if partial is not None:
            partial.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    removed: tuple[Path, ...] = ()
    if not label:
        record_backup(data_dir, str(source), now, final)
        removed = tuple(rotate(folder, source.stem, settings, keep=final))
    log.info("Backup written and checked: %s (%d rows)", final, sum(counts.values()))
    return BackupResult(final, now, settings.encrypted, sum(counts.values()), removed)


@operation("back_up_if_due")
def back_up_if_due(
    db: Database, data_dir: Path, *, now: datetime | None = None
) -> BackupResult | None:
    """The first start of each day backs up; later starts that day do nothing."""
    if db.sqlite_path is None:
        return None
    now = now or datetime.now()
    last = last_backup(data_dir, db.sqlite_path)
    if last is not None and last[0].date() >= now.date():
        return None
    return back_up(db, data_dir, now=now)


@operation("backup_status")
def backup_status(
    db: Database, data_dir: Path, *, now: datetime | None = None
) -> BackupStatus | None:
    """The last backup's age in words; None for a server database (backed up elsewhere)."""
    if db.sqlite_path is None:
        return None
    now = now or datetime.now()
    last = last_backup(data_dir, db.sqlite_path)
    if last is None:
        return BackupStatus("No backup yet", True, None)
    at = last[0]
    if at.date() == now.date():
        when = f"today at {fmt_time(at)}"
    elif at.date() == now.date() - timedelta(days=1):
        when = f"yesterday at {fmt_time(at)}"
    else:
        when = f"{(now.date() - at.date()).days} days ago ({fmt_date(at.date())})"
    stale = now - at > STALE_AFTER
    text = f"Last backup {when}" + (" — back up now" if stale else "")
    return BackupStatus(text, stale, at)


def _backup_folder(settings: BackupSettings, data_dir: Path) -> Path:
    folder = settings.target(data_dir)
    if not settings.folder:
        return private_dir(folder)
    if not folder.is_dir():
        raise BackupFailed(
            f"The backup folder {folder} is not there (is the drive plugged in or the network "
            "share connected?). No backup was made; connect it or choose another folder in "
            "Settings ▸ Backups."
        )
    return folder


_STAMP = "%Y%m%d-%H%M%S"


def _free_name(folder: Path, stem: str, now: datetime, label: str, encrypted: bool) -> Path:
    ext = ENCRYPTED_EXT if encrypted else PLAIN_EXT
    base = f"{stem}-{now.strftime(_STAMP)}" + (f"-{label}" if label else "")
    candidate, n = folder / f"{base}.{ext}", 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{base}-{n}.{ext}"
    return candidate


def _copy_private(source: Path, target: Path) -> None:
    with open(source, "rb") as src, open_private(target, "xb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
        dst.flush()
        os.fsync(dst.fileno())


def _sync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some network shares cannot sync a folder; the file itself was synced
    finally:
        os.close(fd)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror} ({exc.filename})" if exc.filename else exc.strerror
    return str(exc) or type(exc).__name__


# -- rotation -------------------------------------------------------------------------------------
def rotate(folder: Path, stem: str, settings: BackupSettings, *, keep: Path) -> list[Path]:
    """Delete the regular backups that no daily, weekly or monthly slot keeps; those deleted.

    Each slot keeps the newest backup of its day, ISO week or month, for the most recent
    ``daily``/``weekly``/``monthly`` periods that have one. Labelled copies (before an upgrade
    or a restore) and files of other databases are never touched.
    """
    pattern = re.compile(
        rf"^{re.escape(stem)}-(\d{{8}}-\d{{6}})(-\d+)?\.({PLAIN_EXT}|{ENCRYPTED_EXT})$"
    )
    found: list[tuple[datetime, Path]] = []
    for path in folder.iterdir():
        match = pattern.match(path.name)
        if match:
            found.append((datetime.strptime(match.group(1), _STAMP), path))
    found.sort(reverse=True)
    kept = {keep}
    periods: list[tuple[int, Callable[[datetime], Hashable]]] = [
        (settings.daily, lambda d: d.date()),
        (settings.weekly, lambda d: d.isocalendar()[:2]),
        (settings.monthly, lambda d: (d.year, d.month)),
    ]
    for count, period in periods:
        seen: list[Hashable] = []
        for at, path in found:
            key = period(at)
            if key in seen:
                continue
            if len(seen) >= count:
                break
            seen.append(key)
            kept.add(path)
    removed = [path for _at, path in found if path not in kept]
    for path in removed:
        path.unlink(missing_ok=True)
        log.info("Old backup removed by the rotation: %s", path)
    return removed


# -- restoring ------------------------------------------------------------------------------------
@operation("restore_backup")
def restore_backup(
    db: Database,
    data_dir: Path,
    backup: Path,
    *,
    passphrase: str | None = None,
    now: datetime | None = None,
) -> RestoreResult:
    """Replace ``db``'s file with the backup, or refuse and change nothing.

    The engine is reopened on the restored file, so a running app goes on with it.
    """
    try:
        target = _sqlite_path(db, "restores")
    except BackupFailed as exc:
        raise RestoreRefused(str(exc)) from exc
    if passphrase is None:
        passphrase = load_settings(data_dir).passphrase
    work = Path(tempfile.mkdtemp(prefix=".frontdesk-restore-", dir=target.parent))
    try:
        prepared = _prepare(backup, passphrase, work)
        saved = _save_current(db, data_dir, target, now or datetime.now())
        db.engine.dispose()
        _refuse_if_in_use(target)
        os.replace(prepared, target)
        _sync_dir(target.parent)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        db.reopen()
    log.info(
        "Database %s restored from %s; the previous one was saved as %s", target, backup, saved
    )
    return RestoreResult(backup, saved)


def _refused(backup: Path, why: str) -> RestoreRefused:
    return RestoreRefused(f"{backup.name} was not restored: {why}. Nothing was changed.")


def _prepare(backup: Path, passphrase: str, work: Path) -> Path:
    """A complete, checked, current-schema copy of the backup in ``work``; or refused."""
    if not backup.is_file():
        raise RestoreRefused(f"There is no file {backup}. Nothing was changed.")
    plain = work / "restored.sqlite3"
    try:
        if is_encrypted(backup):
            if not passphrase:
                raise _refused(backup, "it is encrypted; enter the passphrase it was made with")
            decrypt_file(backup, plain, passphrase)
        else:
            _copy_private(backup, plain)
        _one_file(plain)
        check_sqlite(plain)
    except DecryptionFailed as exc:
        raise _refused(backup, str(exc)) from exc
    except SnapshotError as exc:
        raise _refused(backup, f"{exc}; it is not a usable Frontdesk backup") from exc
    except sqlite3.Error as exc:
        raise _refused(backup, f"it is not a usable database ({exc})") from exc
    except OSError as exc:
        raise _refused(backup, f"it cannot be read ({_reason(exc)})") from exc
    _check_frontdesk(backup, plain)
    _bring_up_to_date(backup, plain, work)
    return plain


def _one_file(plain: Path) -> None:
    """Make the temporary copy a self-contained rollback-journal file (older copies were WAL)."""
    conn = sqlite3.connect(str(plain), isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()


def _check_frontdesk(backup: Path, plain: Path) -> None:
    conn = sqlite3.connect(f"file:{plain}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables >= FRONTDESK_TABLES:
            raise _refused(backup, "it is a database, but not one of Frontdesk's")
        if conn.execute("SELECT count(*) FROM clinic_settings").fetchone()[0] < 1:
            raise _refused(backup, "it holds no clinic; it is not a Frontdesk backup")
    finally:
        conn.close()


def _bring_up_to_date(backup: Path, plain: Path, work: Path) -> None:
    """Upgrade an older backup's schema in the temporary copy; refuse a newer one."""
    from frontdesk.db.open import open_database

    try:
        restored = open_database(f"sqlite:///{plain}", backup_dir=work)
    except SchemaTooNew as exc:
        raise _refused(
            backup,
            "it was made by a newer version of Frontdesk; install that version to restore it",
        ) from exc
    except FrontdeskError as exc:
        raise _refused(backup, str(exc)) from exc
    restored.dispose()
    for suffix in ("-wal", "-shm"):
        if Path(f"{plain}{suffix}").exists():
            raise _refused(backup, "the prepared copy could not be closed cleanly")


def _save_current(db: Database, data_dir: Path, target: Path, now: datetime) -> Path:
    """Back the current database up before it is replaced (a raw copy if it is damaged)."""
    try:
        return back_up(db, data_dir, now=now, label="before-restore").path
    except BackupFailed as exc:
        settings = load_settings(data_dir)
        folder = settings.target(data_dir)
        if not folder.is_dir():
            raise RestoreRefused(
                f"The current database could not be backed up first ({exc}) Nothing was changed."
            ) from exc
        copy = folder / f"{target.stem}-{now.strftime(_STAMP)}-before-restore-unchecked.sqlite3"
        try:
            db.engine.dispose()
            _copy_private(target, copy)
            wal = Path(f"{target}-wal")
            if wal.exists():
                _copy_private(wal, Path(f"{copy}-wal"))
        except OSError as copy_exc:
            raise RestoreRefused(
                f"The current database could not be saved before the restore "
                f"({_reason(copy_exc)}). Nothing was changed."
            ) from copy_exc
        log.warning("Current database saved unchecked before a restore: %s (%s)", copy, exc)
        return copy


def _refuse_if_in_use(target: Path) -> None:
    """Refuse while another program (a second window, another desk) has the file open.

    Closing the last connection to a WAL database folds the WAL back and removes -wal and
    -shm; when they survive our own connection closing, someone else still holds the file,
    and replacing it under them would mix their WAL into the restored file.
    """
    conn = sqlite3.connect(str(target), timeout=10)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error:
        pass  # a damaged file: nothing to fold back, and it is being replaced
    finally:
        conn.close()
    if any(Path(f"{target}{s}").exists() for s in ("-wal", "-shm")):
        raise RestoreRefused(
            "The clinic database is open in another Frontdesk window or at another desk. "
            "Close Frontdesk there and try the restore again. Nothing was changed."
        )
