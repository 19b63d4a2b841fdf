"""Tell a desk that another desk changed the clinic's data, cheaply and without Qt.

Open views (calendars, patient lists, My day) ask ``ChangeWatcher.poll()`` about once a second
and reload when it says True. On SQLite that is ``PRAGMA data_version`` on a connection of its
own: the number changes when any other connection commits to the file, and reading it touches
no table. On PostgreSQL every write transaction that changed something sends
``NOTIFY frontdesk_changes`` as its last statement, so the notice leaves only if the change is
committed; the watcher ``LISTEN``s on a connection of its own and drains the notices without
waiting.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from frontdesk.db.engine import CHANGES_CHANNEL, Database


class ChangeWatcher:
    """``poll()`` is True when the database changed since the previous poll."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._sqlite: sqlite3.Connection | None = None
        self._pg: Any = None
        self._version: int | None = None
        self._connect()
        self.poll()  # the starting point

    def _connect(self) -> None:
        if self._db.is_sqlite:
            path = self._db.sqlite_path
            self._sqlite = sqlite3.connect(
                path or ":memory:", isolation_level=None, check_same_thread=False
            )
            return
        raw = self._db.engine.raw_connection()  # a pooled psycopg connection, kept for us
        conn = raw.dbapi_connection
        assert conn is not None
        conn.autocommit = True
        conn.execute(f"LISTEN {CHANGES_CHANNEL}")
        self._pg = raw

    def poll(self) -> bool:
        if self._sqlite is not None:
            version = int(self._sqlite.execute("PRAGMA data_version").fetchone()[0])
            changed = self._version is not None and version != self._version
            self._version = version
            return changed
        notices = list(self._pg.dbapi_connection.notifies(timeout=0))  # never waits
        return bool(notices)

    def close(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None
        if self._pg is not None:
            self._pg.dbapi_connection.execute(f"UNLISTEN {CHANGES_CHANNEL}")
            self._pg.close()
            self._pg = None
