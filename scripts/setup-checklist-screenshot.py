"""The README's picture of a new clinic's first start: Settings with its setup checklist.

Run by ``scripts/update-screenshots``: a fresh database in a temporary folder, its first
administrator created through the accounts service, and the main window as that person
first sees it, grabbed offscreen at 1366×768.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from frontdesk.accounts.service import create_first_administrator
from frontdesk.accounts.types import AccountInput
from frontdesk.context import AppContext
from frontdesk.db.open import open_database
from frontdesk.domain import Role
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.theme import apply_theme


def main(out: Path) -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    apply_theme(app)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(f"sqlite:///{Path(folder) / 'clinic.sqlite3'}")
        try:
            admin = AccountInput("owner", "Clinic Owner", Role.ADMINISTRATOR)
            actor = create_first_administrator(db, admin, "first-start-2026", now=datetime.now(UTC))
            settings = QSettings(str(Path(folder) / "frontdesk.ini"), QSettings.Format.IniFormat)
            window = MainWindow(AppContext(db=db.as_actor(actor)), settings=settings)
            window.resize(1366, 768)
            window.show()
            for _ in range(20):
                app.processEvents()
            window.grab().save(str(out))
            window.close()
        finally:
            db.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
