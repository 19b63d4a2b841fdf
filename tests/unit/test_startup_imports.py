"""Opening a current database to the first screen loads only what that screen uses.

The person at the desk waits for every module imported before the patients list appears, so the
heavy ones that screen does not need are loaded on first use instead: Alembic only when the
schema must be created or upgraded, the holiday calendar, ReportLab, the PDF preview, charts,
the PostgreSQL driver, the demo data generator, the backup cipher, the world's phone-number
metadata (local numbers are shown without it) and the course, search and plan services when
something asks for them. The start is
run for real (``frontdesk --database FILE``) in a fresh process; nothing here is timed.
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


def _start(db_path: str, home: Path) -> tuple[dict[str, object], str]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "FRONTDESK_DATA_DIR": str(home / "data"),
    }
    done = subprocess.run(
        [sys.executable, "-c", START_AND_REPORT, db_path],
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
