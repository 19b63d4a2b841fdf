"""Bring a database to the current schema when the app opens it.

An empty database is created; an older one is backed up and upgraded; one written by a newer
Frontdesk (a revision this copy does not know) is refused before anything touches it, because
an older program writing a newer schema is how records get lost.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from frontdesk import paths
from frontdesk.db.engine import Database
from frontdesk.db.server_backup import backup_before_upgrade
from frontdesk.domain import BackupFailed, SchemaTooNew

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(db: Database) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", db.url.render_as_string(hide_password=False))
    return cfg


def head_revision() -> str:
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    head = script.get_current_head()
    assert head is not None, "no migrations found"
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def ensure_schema(
    db: Database, *, backup_dir: Path | None = None, confirm_server_backup: bool = False
) -> Path | None:
    """Create or upgrade the schema; return the backup's path when one was made.

    A SQLite file is copied into ``backup_dir`` first; a PostgreSQL database is dumped with
    ``pg_dump`` (``db/server_backup.py``), or the upgrade waits until an administrator confirms
    a backup (``confirm_server_backup``). No backup, no upgrade: either failure raises and
    leaves the database untouched.
    """
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    current = current_revision(db)
    head = head_revision()
    if current == head:
        return None
    if current is not None:
        try:
            script.get_revision(current)
        except Exception as exc:  # alembic raises several types for an unknown revision
            raise SchemaTooNew(
                f"This database was last opened by a newer version of Frontdesk (schema "
                f"revision {current}). Install that version or newer to open it; nothing "
                f"has been changed."
            ) from exc
    backup = None
    if current is not None and db.sqlite_path and backup_dir is not None:
        backup = backup_sqlite(db.sqlite_path, backup_dir, label=current)
    elif current is not None and db.url.get_backend_name() == "postgresql":
        backup = backup_before_upgrade(
            db.url, backup_dir or paths.backups_dir(), label=current,
            confirmed=confirm_server_backup,
        )  # fmt: skip
    upgrade(db)
    return backup


def upgrade(db: Database, revision: str = "head") -> None:
    cfg = alembic_config(db)
    with db.migration_connection() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def backup_sqlite(path: str, backup_dir: Path, *, label: str) -> Path:
    """Copy a live SQLite database consistently (the backup API, not a file copy of a WAL db).

    A copy that cannot be completed (a full disk, a read-only folder) is removed rather than
    left behind as an empty or partial file that looks like a backup, and ``BackupFailed``
    says so in one sentence.
    """
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backup_dir / f"{Path(path).stem}-{stamp}-before-upgrade-from-{label}.sqlite3"
    try:
        backup_dir.mkdir(parents=True, exist_ok=True)
        _copy_sqlite(path, target)
    except (OSError, sqlite3.Error) as exc:
        try:
            target.unlink(missing_ok=True)
        except OSError:
            pass
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BackupFailed(
            f"Frontdesk could not write the backup it makes before upgrading the database "
            f"({reason}, in {backup_dir}), so the database was not upgraded and nothing was "
            "changed. Free some space on that disk and start Frontdesk again."
        ) from exc
    return target


def _copy_sqlite(path: str, target: Path) -> None:
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
