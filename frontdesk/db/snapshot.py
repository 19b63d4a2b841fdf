"""A consistent copy of a live SQLite database, and the checks that prove a copy is whole.

Copying ``frontdesk.sqlite3`` with the file manager while the app is open gives an empty or
torn database, because recent changes are still in the WAL. SQLite's online backup API copies
the database as one snapshot, WAL included, while other connections keep writing. The row
counts are read in the same read transaction as the copy, so the copy can be checked against
exactly what was copied. The copy is written as a private file (0600) in rollback-journal
mode, a single self-contained file; a copy that fails half-way is deleted, never left behind.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from frontdesk.private_files import create_private_file

TableCounts = dict[str, int]


class SnapshotError(Exception):
    """The copy could not be made or is not whole; the message says what was found."""


def table_counts(conn: sqlite3.Connection) -> TableCounts:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def snapshot_sqlite(source: str | Path, target: Path) -> TableCounts:
    """Copy the database at ``source`` into the new file ``target``; the counts copied."""
    create_private_file(target, exclusive=True)
    try:
        src = sqlite3.connect(str(source), isolation_level=None, timeout=10)
        try:
            src.execute("BEGIN")  # one read snapshot for the counts and the copy
            counts = table_counts(src)
            dest = sqlite3.connect(str(target), isolation_level=None)
            try:
                src.backup(dest)
                dest.execute("PRAGMA journal_mode = DELETE")
            finally:
                dest.close()
            src.execute("COMMIT")
        finally:
            src.close()
    except BaseException:
        target.unlink(missing_ok=True)
        Path(f"{target}-journal").unlink(missing_ok=True)
        raise
    return counts


def check_sqlite(path: Path, expected: TableCounts | None = None) -> TableCounts:
    """Raise ``SnapshotError`` unless ``path`` passes ``integrity_check`` (and has the counts)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise SnapshotError(f"it cannot be opened as a database ({exc})") from exc
    try:
        result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            raise SnapshotError(f"it is damaged (integrity check: {result[0]})")
        counts = table_counts(conn)
    except sqlite3.Error as exc:
        raise SnapshotError(f"it is not a readable database ({exc})") from exc
    finally:
        conn.close()
    if expected is not None and counts != expected:
        differ = sorted(k for k in set(counts) | set(expected) if counts.get(k) != expected.get(k))
        raise SnapshotError(f"its row counts differ from the database's ({', '.join(differ)})")
    return counts
