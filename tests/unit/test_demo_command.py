"""The demo from the command line, run as a clinic would run it: the installed ``frontdesk``.

``build-demo`` refuses a size it cannot build in one sentence (exit code 2) before any file is
created, and ``frontdesk --demo`` keeps to its own file whatever database the environment names.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from frontdesk.db.open import open_database

FRONTDESK = Path(sys.executable).parent / "frontdesk"


def _run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``frontdesk ARGS`` in ``cwd`` with the test's temporary home (set by conftest)."""
    environ = {k: v for k, v in os.environ.items() if k != "FRONTDESK_DATABASE"}
    environ |= {"QT_QPA_PLATFORM": "offscreen", **env}
    return subprocess.run(
        [str(FRONTDESK), *args], cwd=cwd, env=environ, capture_output=True, text=True, timeout=300
    )


def _everything_under(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*"))


@pytest.mark.parametrize(
    ("patients", "expected"),
    [
        ("-5", "--patients must be at least 1 (got -5)"),
        ("0", "--patients must be at least 1 (got 0)"),
        ("5000000", "--patients can be at most 1,000,000 (got 5,000,000)"),
    ],
)
def test_build_demo_refuses_a_size_it_cannot_build_and_creates_nothing(
    tmp_path: Path, patients: str, expected: str
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    done = _run(
        "--database", str(work / "clinic.sqlite3"), "build-demo", f"--patients={patients}", cwd=work
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and "Nothing was created." in lines[0]
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert _everything_under(tmp_path) == [work]  # no database, no data folder, no backups


def test_build_demo_refuses_negative_appointments_and_creates_nothing(tmp_path: Path) -> None:
    done = _run(
        "build-demo",
        "--patients",
        "20",
        "--appointments",
        "-1",
        cwd=tmp_path,
        FRONTDESK_DATABASE=str(tmp_path / "clinic.sqlite3"),
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "frontdesk build-demo: --appointments cannot be negative (got -1). Nothing was created."
    )
    assert _everything_under(tmp_path) == []


def test_build_demo_builds_a_small_clinic(tmp_path: Path) -> None:
    target = tmp_path / "small.sqlite3"
    done = _run(
        "--database",
        str(target),
        "build-demo",
        "--patients",
        "20",
        "--appointments",
        "100",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "20 patients, 100 appointments" in done.stdout
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM patients").fetchone() == (20,)


@pytest.mark.slow
def test_demo_never_writes_into_the_database_the_environment_names(tmp_path: Path) -> None:
    """``FRONTDESK_DATABASE`` names the clinic's real (here: new, empty) database; ``--demo``
    builds its clinic in its own file in the user data folder and leaves that one alone."""
    real = tmp_path / "clinic.sqlite3"
    open_database(f"sqlite:///{real}").dispose()
    before = hashlib.sha256(real.read_bytes()).hexdigest()

    done = _run(
        "--demo",
        "--screenshots",
        str(tmp_path / "shots"),
        cwd=tmp_path,
        FRONTDESK_DATABASE=str(real),
    )

    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert hashlib.sha256(real.read_bytes()).hexdigest() == before
    with sqlite3.connect(real) as conn:
        assert conn.execute("SELECT count(*) FROM patients").fetchone() == (0,)
    demo_file = Path(os.environ["FRONTDESK_DATA_DIR"]) / "demo-clinic.sqlite3"
    with sqlite3.connect(demo_file) as conn:
        assert conn.execute("SELECT count(*) FROM patients").fetchone() == (1000,)
