"""SQLite's integrity check of the clinic file, started before the rest of the app loads.

``PRAGMA quick_check`` reads every page, so on a 100,000-patient file it takes most of a
second, and opening the database must not go on before it has passed. Nothing else needs the
file until then, but the process still has to import SQLAlchemy and Qt and build the window's
code: started first, on its own read-only connection in a thread (SQLite lets go of Python's
lock while it works), the check runs alongside those imports instead of after them.
``open_database`` waits for its answer before it touches the file, and runs the check itself
whenever this one did not say "ok" (or checked another file), so a damaged file is refused
exactly as before, with the same message. Only the standard library is imported here, so the
check can start before everything else.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

_PREFIX = "sqlite:///"


class EarlyCheck:
    """A quick_check of one SQLite file, in a daemon thread started from construction, or by
    ``start()`` when made with ``start=False`` (at the latest when its answer is asked for)."""

    def __init__(self, path: Path, *, start: bool = True) -> None:
        self.path = path
        self._rows: list[str] | None = None
        self._thread = threading.Thread(target=self._run, name="quick_check", daemon=True)
        self._started = threading.Lock()
        if start:
            self.start()

    def start(self) -> None:
        """Start the check unless it has been started already."""
        with self._started:
            if self._thread.ident is None:
                self._thread.start()

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True)
            try:
                self._rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check").fetchall()]
            finally:
                conn.close()
        except Exception:
            self._rows = None

    @property
    def running(self) -> bool:
        """Whether the check is still going on."""
        return self._thread.is_alive()

    def passed(self, path: str | None) -> bool:
        """Whether the check of ``path`` has finished and found nothing (waits for it)."""
        if path is None or Path(path) != self.path:
            return False
        self.start()
        self._thread.join()
        return self._rows == ["ok"]


def start_early_check(url: str, *, start: bool = True) -> EarlyCheck | None:
    """Start checking the file a plain ``sqlite:///PATH`` URL names, if it exists; else None
    (other databases, URLs with options, and new files are checked, if at all, at open).
    With ``start=False`` the check is only prepared: see ``EarlyCheck.start``."""
    if not url.startswith(_PREFIX) or "?" in url:
        return None
    path = Path(url.removeprefix(_PREFIX))
    if not path.is_absolute() or not path.is_file():
        return None
    return EarlyCheck(path, start=start)


def signs_in_first(url: str) -> bool:
    """Whether the start shows the sign-in dialog before the database opens: the clinic's
    SQLite file has staff accounts and no unattended sign-in (``FRONTDESK_USER`` with
    ``FRONTDESK_PASSWORD_FILE``) is set up. The GUI start then paints the dialog first."""
    unattended = os.environ.get("FRONTDESK_USER") and os.environ.get("FRONTDESK_PASSWORD_FILE")
    return not unattended and has_staff_accounts(url)


def has_staff_accounts(url: str) -> bool:
    """Whether the SQLite file a plain ``sqlite:///PATH`` URL names already has staff accounts,
    read with the standard library alone so the sign-in dialog can be shown before SQLAlchemy
    loads. False for anything else (a server, a new or unreadable file, no accounts table): the
    start then opens the database first, as it always did, and asks for what that database needs.
    """
    if not url.startswith(_PREFIX) or "?" in url:
        return False
    path = Path(url.removeprefix(_PREFIX))
    if not path.is_absolute() or not path.is_file():
        return False
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT EXISTS (SELECT 1 FROM staff_accounts)").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return bool(row and row[0])
