"""Open a clinic database ready for use: engine, schema, reference rows."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from frontdesk import paths
from frontdesk.db.early_check import EarlyCheck
from frontdesk.db.engine import Database, failure_reason, sqlite_file
from frontdesk.db.schema import current_revision, ensure_schema, head_revision, is_known_revision
from frontdesk.db.seed import missing_reference_data, seed_reference_data
from frontdesk.domain import DatabaseDamaged, DatabaseUnavailable, SchemaTooNew


def open_database(
    url: str,
    *,
    backup_dir: Path | None = None,
    confirm_server_backup: bool = False,
    checked: EarlyCheck | None = None,
) -> Database:
    """Connect, create or upgrade the schema (backing up first), and seed reference rows.

    Every way in (the GUI, headless commands, scripts) backs a SQLite file up before an
    upgrade, into ``backup_dir`` or the user data folder's ``backups/``; a PostgreSQL database
    is dumped there with ``pg_dump``, or upgraded only with ``confirm_server_backup``.
    ``checked`` is an integrity check of the file started earlier (see ``early_check``);
    unless it passed, the file is checked here.
    """
    db = Database(url)
    try:
        if checked is None or not checked.passed(db.sqlite_path):
            check_integrity(db)
        ensure_schema(
            db,
            backup_dir=backup_dir or paths.backups_dir(),
            confirm_server_backup=confirm_server_backup,
        )
        # Opening a configured clinic only reads: another desk may hold the write lock.
        with db.read() as session:
            complete = not missing_reference_data(session)
        if not complete:
            with db.write() as session:
                seed_reference_data(session)
    except DBAPIError as exc:
        if "malformed" in str(exc.orig):
            db.dispose()
            raise damaged(db, str(exc.orig)) from exc
        # A file that is not a database, a folder that does not exist, a refused login:
        # one plain sentence for every caller instead of a driver traceback.
        db.dispose()
        where = db.url.render_as_string(hide_password=True)
        reason = failure_reason(exc)
        raise DatabaseUnavailable(
            f"Frontdesk cannot open the database {where}: {reason}. Nothing was changed."
        ) from exc
    except BaseException:
        db.dispose()
        raise
    return db


def open_existing_database(url: str) -> Database:
    """Connect to a clinic database that already exists at the current schema; change nothing.

    For commands that only read (and at most mark a plan printed): a missing or empty file, a
    database without Frontdesk's tables, or one an older Frontdesk wrote is refused with one
    sentence instead of being created or upgraded behind the person's back. A SQLite file is
    checked before anything connects, because connecting would create it.
    """
    named = sqlite_file(make_url(url))
    sqlite_path = Path(named) if named is not None else None
    if sqlite_path is not None:
        if not sqlite_path.exists():
            raise DatabaseUnavailable(
                f"There is no database at {sqlite_path}; check the path "
                "(this command never creates one)."
            )
        if sqlite_path.stat().st_size == 0:
            raise DatabaseUnavailable(
                f"{sqlite_path} is an empty file, not a clinic database; nothing was changed."
            )
        stored = _sqlite_revision(sqlite_path)
        where = str(sqlite_path)
    db = Database(url)
    try:
        if sqlite_path is None:
            where = db.url.render_as_string(hide_password=True)
            stored = current_revision(db)
    except DBAPIError as exc:
        db.dispose()
        reason = failure_reason(exc)
        raise DatabaseUnavailable(
            f"Frontdesk cannot open the database {where}: {reason}. Nothing was changed."
        ) from exc
    except BaseException:
        db.dispose()
        raise
    try:
        _check_revision(stored, where)
    except BaseException:
        db.dispose()
        raise
    return db


def _sqlite_revision(path: Path) -> str | None:
    """The schema revision stored in a SQLite file, read without setting up anything.

    A plain connection with no PRAGMAs: Frontdesk's own connections switch the file to WAL
    journaling, which would change a file this command was only asked to read.
    """
    try:
        conn = sqlite3.connect(path)
    except sqlite3.Error as exc:
        raise DatabaseUnavailable(f"Frontdesk cannot open the database {path}: {exc}.") from exc
    try:
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return None
            raise DatabaseUnavailable(
                f"Frontdesk cannot open the database {path}: {exc}. Nothing was changed."
            ) from exc
        except sqlite3.DatabaseError as exc:
            raise DatabaseUnavailable(
                f"Frontdesk cannot open the database {path}: {exc}. Nothing was changed."
            ) from exc
        return None if row is None else str(row[0])
    finally:
        conn.close()


def _check_revision(stored: str | None, where: str) -> None:
    if stored is None:
        raise DatabaseUnavailable(
            f"{where} is not a Frontdesk clinic database (it has no "
            "Frontdesk tables); nothing was changed."
        )
    if stored == head_revision():
        return
    if not is_known_revision(stored):
        raise SchemaTooNew(
            f"{where} was last opened by a newer version of Frontdesk (schema revision "
            f"{stored}); install that version or newer to use it. Nothing was changed."
        )
    raise DatabaseUnavailable(
        f"{where} was made by an older Frontdesk and must be upgraded first: run 'frontdesk "
        "upgrade' with the same database, or open it once in the Frontdesk window (either backs "
        "it up, then upgrades it), and try again. Nothing was changed."
    )


def check_integrity(db: Database) -> None:
    """``PRAGMA quick_check`` on a SQLite file before anything else touches it."""
    if db.sqlite_path is None:
        return
    with db.engine.connect() as conn:
        rows = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA quick_check").fetchall()]
    if rows != ["ok"]:
        raise damaged(db, rows[0] if rows else "no answer")


def damaged(db: Database, finding: str) -> DatabaseDamaged:
    return DatabaseDamaged(
        f"The clinic database {db.sqlite_path} is damaged (SQLite's check found: {finding}). "
        "Frontdesk has not changed it. The way out is to restore the latest backup: run "
        "'frontdesk restore FILE' with the newest file from your backup folder (by default "
        f"{paths.data_dir() / 'backups'}), then start Frontdesk again."
    )
