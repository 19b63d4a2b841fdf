"""Opening a current database to the first screen loads only what that screen uses.

The person at the desk waits for every module imported before the patients list appears, so the
heavy ones that screen does not need are loaded on first use instead: Alembic only when the
schema must be created or upgraded, the holiday calendar, ReportLab, the PDF preview, charts,
the PostgreSQL driver, the demo data generator, the backup cipher, the world's phone-number
metadata (local numbers are shown without it) and the course, search and plan services when
something asks for them. A clinic in use that is signed into by hand starts on the sign-in
dialog, painted before SQLAlchemy, the models or the database are loaded at all: they load
behind it while the person types. The start is run for real (``frontdesk --database FILE``) in
a fresh process; nothing here is timed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from frontdesk.db.engine import Database
from frontdesk.domain import Discipline
from frontdesk.patients import PatientInput, create_patient
from frontdesk.setup import PractitionerInput, add_practitioner

HEAVY = (
    "alembic",
    "holidays",
    "reportlab",
    "PySide6.QtPdf",
    "PySide6.QtCharts",
    "psycopg",
    "faker",
    "cryptography",
    "phonenumbers",
)
# Services the patients screen does not use: courses, the first-available search and plans
# load when a page or dialog that books a course, searches or plans is first opened.
NOT_FOR_THE_FIRST_SCREEN = (
    "frontdesk.scheduling.courses",
    "frontdesk.scheduling.search",
    "frontdesk.plans",
)

START_AND_REPORT = """
import json, linecache, sys
from frontdesk.__main__ import main
code = main(["--database", sys.argv[1], "--quit-after-first-paint"])
kept = [name for name in linecache.cache if not name.startswith("<")]
print("REPORT " + json.dumps({"code": code, "modules": sorted(sys.modules), "sources": kept}))
"""


# Not loaded before the sign-in dialog's first frame: the database layer and everything over it.
NOT_BEFORE_THE_SIGN_IN_DIALOG = (
    *HEAVY,
    "sqlalchemy",
    "argon2",
    "frontdesk.db.engine",
    "frontdesk.db.models",
    "frontdesk.db.open",
    "frontdesk.accounts.service",
    "frontdesk.clinic",
    "frontdesk.patients",
    "frontdesk.scheduling",
    "frontdesk.ui.main_window",
)

# The modules loaded when the sign-in dialog has painted its first frame, before the database
# starts opening behind it.
START_TO_THE_SIGN_IN_DIALOG = """
import json, sys
import frontdesk.app as app
painted = []
real_paint = app.paint_now
def paint_now(qapp, window):
    real_paint(qapp, window)
    if not painted:
        painted.append(sorted(sys.modules))
app.paint_now = paint_now
from frontdesk.__main__ import main
code = main(["--database", sys.argv[1], "--quit-after-first-paint"])
print("REPORT " + json.dumps({"code": code, "modules": painted[0] if painted else []}))
"""


def _start(
    db_path: str, home: Path, script: str = START_AND_REPORT, *, by_hand: bool = False
) -> tuple[dict[str, object], str]:
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not (by_hand and k in ("FRONTDESK_USER", "FRONTDESK_PASSWORD_FILE"))
        },
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "FRONTDESK_DATA_DIR": str(home / "data"),
    }
    done = subprocess.run(
        [sys.executable, "-c", script, db_path],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("REPORT ")]
    assert lines, done.stderr
    return json.loads(lines[-1].removeprefix("REPORT ")), done.stdout


@pytest.mark.sqlite_only  # starts the app on the SQLite file
def test_start_to_the_first_screen_loads_no_heavy_module(db: Database, tmp_path: Path) -> None:
    create_patient(
        db,
        PatientInput("Zoë", "Tremblay-Roy", date(1990, 6, 1), phone="780-555-0123"),
        today=date(2026, 3, 2),
    )
    # A clinic in use has someone to book (a new one opens on the setup checklist instead).
    add_practitioner(db, PractitionerInput("Mei Chen", Discipline.ACUPUNCTURE))
    assert db.sqlite_path is not None
    report, stdout = _start(db.sqlite_path, tmp_path)

    assert report["code"] == 0
    assert "first_page = patients" in stdout
    assert "peak_rss = " in stdout
    loaded = [
        name
        for name in report["modules"]  # type: ignore[attr-defined]
        if any(
            name == heavy or name.startswith(heavy + ".")
            for heavy in HEAVY + NOT_FOR_THE_FIRST_SCREEN
        )
    ]
    assert loaded == []


@pytest.mark.sqlite_only  # starts the app on the SQLite file
def test_start_keeps_no_module_sources_in_memory(db: Database, tmp_path: Path) -> None:
    """PySide6's import hook would keep every later module's source in ``linecache``."""
    assert db.sqlite_path is not None
    report, _ = _start(db.sqlite_path, tmp_path)

    kept = [
        name
        for name in report["sources"]  # type: ignore[attr-defined]
        if "sqlalchemy" in name or f"frontdesk{os.sep}" in name
    ]
    assert kept == []


@pytest.mark.sqlite_only  # starts the app on the SQLite file
def test_the_sign_in_dialog_is_painted_before_the_database_layer_loads(
    db: Database, tmp_path: Path
) -> None:
    """Signing in by hand (no ``FRONTDESK_USER``): the dialog's first frame comes first."""
    assert db.sqlite_path is not None  # the fixture's clinic has its administrator's account
    report, stdout = _start(db.sqlite_path, tmp_path, START_TO_THE_SIGN_IN_DIALOG, by_hand=True)

    assert report["code"] == 0
    assert "first_page = sign-in" in stdout and "ready_at = " in stdout
    modules = report["modules"]
    assert "frontdesk.ui.sign_in" in modules  # type: ignore[operator]
    loaded = [
        name
        for name in modules  # type: ignore[attr-defined]
        if any(
            name == heavy or name.startswith(heavy + ".") for heavy in NOT_BEFORE_THE_SIGN_IN_DIALOG
        )
    ]
    assert loaded == []
