"""Bring a database to the current schema when the app opens it.

An empty database is created; an older one is backed up and upgraded; one written by a newer
Frontdesk (a revision this copy does not know) is refused before anything touches it, because
an older program writing a newer schema is how records get lost.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from frontdesk.db.engine import Database
from frontdesk.db.snapshot import check_sqlite, snapshot_sqlite
from frontdesk.domain import SchemaTooNew
from frontdesk.private_files import private_dir

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


def ensure_schema(db: Database, *, backup_dir: Path | None = None) -> Path | None:
    """Create or upgrade the schema; return the backup's path when one was made."""
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
    upgrade(db)
    return backup


def upgrade(db: Database, revision: str = "head") -> None:
    cfg = alembic_config(db)
    with db.migration_connection() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def backup_sqlite(path: str, backup_dir: Path, *, label: str) -> Path:
    """Copy a live SQLite database consistently (the backup API, not a file copy of a WAL db).

    The copy is private (0600) and checked; a copy that fails is removed, not left as 0 bytes.
    """
    private_dir(backup_dir)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backup_dir / f"{Path(path).stem}-{stamp}-before-upgrade-from-{label}.sqlite3"
    counts = snapshot_sqlite(path, target)
    check_sqlite(target, counts)
    return target
