"""Open a clinic database ready for use: engine, schema, reference rows."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import DBAPIError

from frontdesk import paths
from frontdesk.db.engine import Database
from frontdesk.db.schema import ensure_schema
from frontdesk.db.seed import seed_reference_data
from frontdesk.domain import DatabaseUnavailable


def open_database(
    url: str, *, backup_dir: Path | None = None, confirm_server_backup: bool = False
) -> Database:
    """Connect, create or upgrade the schema (backing up first), and seed reference rows.

    Every way in (the GUI, headless commands, scripts) backs a SQLite file up before an
    upgrade, into ``backup_dir`` or the user data folder's ``backups/``; a PostgreSQL database
    is dumped there with ``pg_dump``, or upgraded only with ``confirm_server_backup``.
    """
    db = Database(url)
    try:
        ensure_schema(db, backup_dir=backup_dir or paths.backups_dir(),
                      confirm_server_backup=confirm_server_backup)  # fmt: skip
        with db.write() as session:
            seed_reference_data(session)
    except DBAPIError as exc:
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
