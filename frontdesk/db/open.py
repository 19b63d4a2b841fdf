"""Open a clinic database ready for use: engine, schema, reference rows."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import DBAPIError

from frontdesk import paths
from frontdesk.db.engine import Database
from frontdesk.db.schema import ensure_schema
from frontdesk.db.seed import seed_reference_data
from frontdesk.domain import DatabaseDamaged, DatabaseUnavailable


def open_database(url: str, *, backup_dir: Path | None = None) -> Database:
    """Connect, create or upgrade the schema (backing up first), and seed reference rows.

    Every way in (the GUI, headless commands, scripts) backs a SQLite file up before an
    upgrade, into ``backup_dir`` or the user data folder's ``backups/``.
    """
    db = Database(url)
    try:
        check_integrity(db)
        ensure_schema(db, backup_dir=backup_dir or paths.backups_dir())
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
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        raise DatabaseUnavailable(
            f"Frontdesk cannot open the database {where}: {reason}. Nothing was changed."
        ) from exc
    except BaseException:
        db.dispose()
        raise
    return db


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
