"""The installed ``frontdesk`` command, run as a script would: one sentence, an exit code, and
nothing created or changed when it refuses.

Each case runs the console script next to the interpreter in a fresh process, so the
checks cover what a clinic's batch job sees: no traceback, the message on stderr, and the
folder it ran in byte for byte as it was (names, sizes, modification times and contents).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from frontdesk.db.engine import Database
from frontdesk.db.open import open_database
from frontdesk.db.schema import HEAD_REVISION, upgrade
from frontdesk.patients import PatientInput, create_patient
from frontdesk.plans import get_plan
from frontdesk.plans.sample import seed_sample_plan
from tests.accounts_support import as_admin

FRONTDESK = Path(sys.executable).parent / "frontdesk"
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)

Snapshot = dict[str, tuple[int, int, str]]


def snapshot(folder: Path) -> Snapshot:
    """Every file under ``folder`` with its size, mtime and hash."""
    return {
        str(p.relative_to(folder)): (
            p.stat().st_size,
            p.stat().st_mtime_ns,
            hashlib.sha256(p.read_bytes()).hexdigest(),
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def run(cwd: Path, *args: str, database: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "FRONTDESK_DATABASE"}
    env["FRONTDESK_DATA_DIR"] = str(cwd.parent / "userdata")  # never the real data folder
    if database is not None:
        env["FRONTDESK_DATABASE"] = database
    return subprocess.run(
        [str(FRONTDESK), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def refused(result: subprocess.CompletedProcess[str], code: int, sentence: str) -> None:
    """Exit ``code``, nothing on stdout, one line on stderr containing ``sentence``."""
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert result.returncode == code, result.stderr
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert sentence in result.stderr, result.stderr


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@pytest.fixture
def clinic(workdir: Path) -> Path:
    """A current clinic database holding one patient (chart 000001) with a plan."""
    path = workdir / "clinic.sqlite3"
    db = as_admin(open_database(f"sqlite:///{path}"))
    seed_sample_plan(db, now=NOW, given_name="Zoë", family_name="Tremblay")
    db.dispose()
    return path


def test_the_console_script_is_installed() -> None:
    assert FRONTDESK.exists(), "install the project (pip install -e .) to get the command"


# -- item 8: settings and numbers that cannot work --------------------------------------------
@pytest.mark.parametrize(
    ("setting", "sentence"),
    [
        ("foo://bar", "FRONTDESK_DATABASE=foo://bar is neither a SQLite file nor a PostgreSQL"),
        ("://", "FRONTDESK_DATABASE=:// is not a database address"),
        ("mysql://u@h/db", "FRONTDESK_DATABASE=mysql://u@h/db is neither a SQLite file"),
        ("http://example.com/clinic", "is neither a SQLite file nor a PostgreSQL database"),
        ("postgresql://desk:secret@server:abc/clinic", "has a port that is not a number"),
        ("postgresql://desk@server:70000/clinic", "a port is a number from 1 to 65535"),
    ],
)
@pytest.mark.parametrize("command", ["print-plan", "build-demo"])
def test_an_unusable_database_setting_is_one_sentence_and_exit_2(
    workdir: Path, setting: str, sentence: str, command: str
) -> None:
    before = snapshot(workdir)
    args = ["--patient", "1", "--out", "plan.pdf"] if command == "print-plan" else []
    result = run(workdir, command, *args, database=setting)
    refused(result, 2, sentence)
    assert "secret" not in result.stderr
    assert snapshot(workdir) == before


def test_a_chart_number_too_large_for_any_patient_is_a_usage_error(
    workdir: Path, clinic: Path
) -> None:
    before = snapshot(workdir)
    result = run(
        workdir,
        "--database",
        str(clinic),
        "print-plan",
        "--patient",
        "99999999999999999999999",
        "--out",
        "x.pdf",
    )
    refused(result, 2, "99999999999999999999999 is not a chart number")
    assert snapshot(workdir) == before


# -- item 9: reading never creates, upgrades or misleads --------------------------------------
def test_print_plan_on_a_missing_file_creates_nothing(workdir: Path) -> None:
    result = run(
        workdir, "--database", "nowhere.sqlite3", "print-plan", "--patient", "1", "--out", "x.pdf"
    )
    refused(result, 1, f"There is no database at {workdir / 'nowhere.sqlite3'}")
    assert snapshot(workdir) == {}
    assert not (workdir / "nowhere.sqlite3").exists()


def test_print_plan_on_an_empty_file_leaves_it_empty(workdir: Path) -> None:
    (workdir / "empty.sqlite3").touch()
    before = snapshot(workdir)
    result = run(
        workdir, "--database", "empty.sqlite3", "print-plan", "--patient", "1", "--out", "x.pdf"
    )
    refused(result, 1, "empty.sqlite3 is an empty file, not a clinic database")
    assert snapshot(workdir) == before


def test_print_plan_on_an_old_database_does_not_upgrade_it(workdir: Path) -> None:
    path = workdir / "old.sqlite3"
    old = Database(f"sqlite:///{path}")
    upgrade(old, "0001")
    old.dispose()
    before = snapshot(workdir)
    result = run(workdir, "--database", str(path), "print-plan", "--patient", "1", "--out", "x.pdf")
    refused(result, 1, "was made by an older Frontdesk and must be upgraded first")
    assert snapshot(workdir) == before


def test_print_plan_on_a_read_only_database_says_so_and_writes_no_pdf(
    workdir: Path, clinic: Path
) -> None:
    before = clinic.read_bytes()
    read_only = f"sqlite:///file:{clinic}?mode=ro&uri=true"
    result = run(
        workdir, "--database", read_only, "print-plan", "--patient", "1", "--out", "plan.pdf"
    )
    refused(result, 1, f"The clinic database file {clinic} is read-only")
    assert "try again" not in result.stderr.lower()
    assert not list(workdir.glob("*.pdf")) and not list(workdir.glob(".print-plan-*"))
    assert clinic.read_bytes() == before
    # Signing in and opening a plan are audit rows, so a database that cannot record them
    # cannot be read either, not even for a draft: access to records is always logged.
    draft = run(
        workdir,
        "--database",
        read_only,
        "print-plan",
        "--patient",
        "1",
        "--out",
        "plan.pdf",
        "--preview",
    )
    refused(draft, 1, f"The clinic database file {clinic} is read-only")
    assert not (workdir / "plan.pdf").exists()


@pytest.mark.parametrize("how", ["environment", "option"])
def test_build_demo_does_not_turn_a_mistyped_name_into_a_database(workdir: Path, how: str) -> None:
    if how == "environment":
        result = run(workdir, "build-demo", database="garbage")
        shown = "FRONTDESK_DATABASE=garbage"
    else:
        result = run(workdir, "--database", "garbage", "build-demo")
        shown = "--database garbage"
    refused(
        result,
        2,
        f"{shown} does not exist, and build-demo creates a new database only "
        "at a name ending in .sqlite3, .sqlite or .db",
    )
    assert not (workdir / "garbage").exists()
    assert snapshot(workdir) == {}


def test_build_demo_without_a_database_never_fills_the_clinics_own(workdir: Path) -> None:
    result = run(workdir, "build-demo")
    refused(result, 2, "build-demo needs the database to write, given as --database FILE")
    assert snapshot(workdir) == {}


def test_build_demo_says_where_it_created_the_clinic(workdir: Path) -> None:
    result = run(workdir, "--database", "demo.sqlite3", "build-demo", "--patients", "5")
    assert result.returncode == 0, result.stderr
    assert f"Created demo clinic at {workdir / 'demo.sqlite3'}." in result.stdout
    assert (workdir / "demo.sqlite3").stat().st_size > 0
    help_text = run(workdir, "build-demo", "--help").stdout
    assert ".sqlite3, .sqlite or .db" in " ".join(help_text.split())


# -- item 10: chart numbers and names on the command line -------------------------------------
def test_print_plan_takes_the_chart_number_or_a_unique_name(workdir: Path, clinic: Path) -> None:
    by_chart = run(
        workdir,
        "--database",
        str(clinic),
        "print-plan",
        "--patient",
        "000001",
        "--out",
        "a.pdf",
        "--preview",
    )
    assert by_chart.returncode == 0, by_chart.stderr
    assert "for Zoë Tremblay (Chart 000001)" in by_chart.stdout
    by_name = run(
        workdir, "--database", str(clinic), "print-plan", "--patient", "zoe trem", "--out", "b.pdf"
    )
    assert by_name.returncode == 0, by_name.stderr
    assert (workdir / "b.pdf").read_bytes().startswith(b"%PDF")
    db = as_admin(Database(f"sqlite:///{clinic}"))
    assert get_plan(db, 1).printed_at is not None
    db.dispose()


def test_a_name_matching_several_patients_lists_them_and_exits_2(
    workdir: Path, clinic: Path
) -> None:
    db = as_admin(Database(f"sqlite:///{clinic}"))
    other = create_patient(
        db, PatientInput("Zoë", "Tremblay-Roy", date(1990, 6, 1)), today=NOW.date()
    )
    db.dispose()
    before = snapshot(workdir)
    result = run(
        workdir,
        "--database",
        str(clinic),
        "print-plan",
        "--patient",
        "Zoe Tremblay",
        "--out",
        "x.pdf",
    )
    assert "Traceback" not in result.stderr and result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert "2 patients match “Zoe Tremblay”; give the chart number" in lines[0]
    assert any("Chart 000001  Tremblay, Zoë" in line for line in lines[1:])
    assert any(
        f"Chart {other.id:06d}  Tremblay-Roy, Zoë  born 1990-06-01" in line for line in lines[1:]
    )
    # No PDF; the database changed only by the audit rows of signing in and searching.
    assert set(snapshot(workdir)) == set(before)


def test_a_name_matching_nobody_and_a_missing_chart_are_told_apart_from_no_plan(
    workdir: Path, clinic: Path
) -> None:
    nobody = run(
        workdir, "--database", str(clinic), "print-plan", "--patient", "Smith", "--out", "x.pdf"
    )
    refused(nobody, 1, "No patient matches “Smith”")
    missing = run(
        workdir, "--database", str(clinic), "print-plan", "--patient", "77", "--out", "x.pdf"
    )
    refused(missing, 1, "There is no patient with chart number 000077.")
    assert not (workdir / "x.pdf").exists()


@pytest.mark.parametrize(
    "command", [["export", "--out", "dump"], ["export-patient", "--patient", "1", "--out", "x.pdf"]]
)
def test_exporting_an_empty_file_neither_creates_a_schema_nor_writes_anything(
    workdir: Path, command: list[str]
) -> None:
    # Exporting reads: a zero-byte file must not come back as a fresh clinic database.
    (workdir / "empty.sqlite3").touch()
    before = snapshot(workdir)
    result = run(workdir, "--database", "empty.sqlite3", *command)
    refused(result, 1, "empty.sqlite3 is an empty file, not a clinic database")
    assert snapshot(workdir) == before


def test_export_patient_takes_a_unique_name_like_print_plan(workdir: Path, clinic: Path) -> None:
    result = run(
        workdir,
        "--database",
        str(clinic),
        "export-patient",
        "--patient",
        "zoe trem",
        "--out",
        "record.pdf",
    )
    assert result.returncode == 0, result.stderr
    assert "Wrote the record of Zoë Tremblay (Chart 000001)" in result.stdout
    assert (workdir / "record.pdf").read_bytes().startswith(b"%PDF")
    too_big = run(
        workdir,
        "--database",
        str(clinic),
        "export-patient",
        "--patient",
        "99999999999999999999999",
        "--out",
        "x.pdf",
    )
    refused(too_big, 2, "is not a chart number")


def test_upgrade_backs_up_then_upgrades_what_print_plan_refused(workdir: Path) -> None:
    path = workdir / "old.sqlite3"
    old = Database(f"sqlite:///{path}")
    upgrade(old, "0001")
    old.dispose()
    refused(
        run(workdir, "--database", str(path), "print-plan", "--patient", "1", "--out", "x.pdf"),
        1,
        "run 'frontdesk upgrade' with the same database",
    )
    result = run(workdir, "--database", str(path), "upgrade")
    assert result.returncode == 0, result.stderr
    assert f"from schema revision 0001 to {HEAD_REVISION}" in result.stdout
    [copy] = (workdir.parent / "userdata" / "backups").glob("old-*-before-upgrade-from-0001*")
    assert copy.name in result.stdout
    again = run(workdir, "--database", str(path), "upgrade")
    assert "already up to date" in again.stdout


@pytest.mark.parametrize("command", [["upgrade"], ["backup"]])
def test_upgrade_and_backup_never_make_a_database_from_a_mistyped_path(
    workdir: Path, command: list[str]
) -> None:
    result = run(workdir, "--database", "typo.sqlite3", *command)
    refused(result, 1, f"There is no clinic database at {workdir / 'typo.sqlite3'}")
    assert snapshot(workdir) == {}
