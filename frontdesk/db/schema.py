"""Bring a database to the current schema when the app opens it.

An empty database is created; an older one is backed up and upgraded; one written by a newer
Frontdesk (a revision this copy does not know) is refused before anything touches it, because
an older program writing a newer schema is how records get lost.

Opening a current database only compares its stored revision with ``HEAD_REVISION`` by plain
SQL: Alembic (over 100 ms of imports, with every dialect's DDL) is loaded only when a database
has to be created or upgraded, or a revision this copy does not know has to be looked up.
"""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from frontdesk import paths
from frontdesk.db.engine import Database
from frontdesk.db.server_backup import backup_before_upgrade
from frontdesk.db.snapshot import SnapshotError, check_sqlite, snapshot_sqlite
from frontdesk.domain import BackupFailed, SchemaTooNew
from frontdesk.private_files import private_dir

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
ALEMBIC_VERSION_TABLE = "alembic_version"

# The newest migration's revision id. A test (tests/unit/test_schema.py) checks it against the
# scripts in migrations/versions, so adding a migration without updating it fails at once.
HEAD_REVISION = "0015"


def alembic_config(db: Database) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", db.url.render_as_string(hide_password=False))
    return cfg


def head_revision() -> str:
    """The revision a database of this Frontdesk is at (``HEAD_REVISION``)."""
    return HEAD_REVISION


def scripts_head_revision() -> str:
    """The head revision as Alembic reads it from the migration scripts (imports Alembic)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    assert head is not None, "no migrations found"
    return head


def is_known_revision(revision: str) -> bool:
    """Whether ``revision`` is one of this copy's migrations (not one from a newer Frontdesk)."""
    from alembic.script import ScriptDirectory

    try:
        ScriptDirectory(str(MIGRATIONS_DIR)).get_revision(revision)
    except Exception:  # alembic raises several types for an unknown revision
        return False
    return True


def current_revision(db: Database) -> str | None:
    """The revision stored in the database, or None for one without Frontdesk's tables."""
    with db.engine.connect() as conn:
        if not inspect(conn).has_table(ALEMBIC_VERSION_TABLE):
            return None
        rows = conn.execute(text(f"SELECT version_num FROM {ALEMBIC_VERSION_TABLE}")).all()
    if len(rows) > 1:  # branched history: never written by Frontdesk; let Alembic explain
        from alembic.runtime.migration import MigrationContext

        with db.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    return str(rows[0][0]) if rows else None


def ensure_schema(
    db: Database, *, backup_dir: Path | None = None, confirm_server_backup: bool = False
) -> Path | None:
    """Create or upgrade the schema; return the backup's path when one was made.

    A SQLite file is copied into ``backup_dir`` first; a PostgreSQL database is dumped with
    ``pg_dump`` (``db/server_backup.py``), or the upgrade waits until an administrator confirms
    a backup (``confirm_server_backup``). No backup, no upgrade: either failure raises and
    leaves the database untouched.
    """
    current = current_revision(db)
    if current == HEAD_REVISION:
        return None
    if current is not None and not is_known_revision(current):
        raise SchemaTooNew(
            f"This database was last opened by a newer version of Frontdesk (schema "
            f"revision {current}). Install that version or newer to open it; nothing "
            f"has been changed."
        )
    backup = None
    if current is not None and db.sqlite_path and backup_dir is not None:
        backup = backup_sqlite(db.sqlite_path, backup_dir, label=current)
    elif current is not None and db.url.get_backend_name() == "postgresql":
        backup = backup_before_upgrade(
            db.url,
            backup_dir or paths.backups_dir(),
            label=current,
            confirmed=confirm_server_backup,
        )
    upgrade(db)
    return backup


def upgrade(db: Database, revision: str = "head") -> None:
    from alembic import command

    cfg = alembic_config(db)
    with db.migration_connection() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def backup_sqlite(path: str, backup_dir: Path, *, label: str) -> Path:
    """Copy a live SQLite database consistently (the backup API, not a file copy of a WAL db).

    The copy is private (0600) and checked (integrity, row counts). A copy that cannot be
    completed or does not check out (a full disk, a read-only folder) is removed rather than
    left behind as an empty or partial file that looks like a backup, and ``BackupFailed``
    says so in one sentence.
    """
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backup_dir / f"{Path(path).stem}-{stamp}-before-upgrade-from-{label}.sqlite3"
    try:
        private_dir(backup_dir)
        _copy_sqlite(path, target)
    except (OSError, sqlite3.Error, SnapshotError) as exc:
        with contextlib.suppress(OSError):
            target.unlink(missing_ok=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BackupFailed(
            f"Frontdesk could not write the backup it makes before upgrading the database "
            f"({reason}, in {backup_dir}), so the database was not upgraded and nothing was "
            "changed. Free some space on that disk and start Frontdesk again."
        ) from exc
    return target


def _copy_sqlite(path: str, target: Path) -> None:
    """A consistent copy through SQLite's backup API, read back and checked."""
    counts = snapshot_sqlite(path, target)
    check_sqlite(target, counts)
