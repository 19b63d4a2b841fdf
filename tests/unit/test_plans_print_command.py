"""``frontdesk print-plan``: batch printing a patient's current plan with no screen."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from frontdesk.__main__ import main
from frontdesk.db.engine import Database
from frontdesk.patients import PatientInput, create_patient
from frontdesk.plans import get_plan
from frontdesk.plans.sample import seed_sample_plan
from tests.unit.test_reports_handout import pdf_text

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def _db_path(db: Database) -> str:
    """The --database value: the SQLite file's path, or the PostgreSQL address."""
    return db.sqlite_path or db.url.render_as_string(hide_password=False)


def test_prints_the_current_plan_and_records_the_print(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeded = seed_sample_plan(db, now=NOW, given_name="Zoë", family_name="O'Brien-Smith")
    out = tmp_path / "plan.pdf"
    code = main(
        [
            "--database",
            _db_path(db),
            "print-plan",
            "--patient",
            str(seeded.patient_id),
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert "Zoë O'Brien-Smith" in " ".join(pdf_text(out.read_bytes()))
    assert "revision 1" in capsys.readouterr().out
    assert get_plan(db, seeded.plan.plan_id).printed_at is not None


def test_preview_leaves_the_revision_editable(db: Database, tmp_path: Path) -> None:
    seeded = seed_sample_plan(db, now=NOW)
    out = tmp_path / "draft.pdf"
    code = main(
        [
            "--database",
            _db_path(db),
            "print-plan",
            "--patient",
            str(seeded.patient_id),
            "--out",
            str(out),
            "--preview",
        ]
    )
    assert code == 0 and out.stat().st_size > 0
    assert get_plan(db, seeded.plan.plan_id).printed_at is None


def test_a_missing_patient_and_a_patient_without_a_plan_are_told_apart(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "plan.pdf"
    code = main(["--database", _db_path(db), "print-plan", "--patient", "4242", "--out", str(out)])
    assert code == 1
    err = capsys.readouterr().err
    assert "There is no patient with chart number 004242." in err and "Traceback" not in err
    planless = create_patient(db, PatientInput("Ann", "Lee", date(1980, 1, 2)), today=NOW.date())
    code = main(
        ["--database", _db_path(db), "print-plan", "--patient", str(planless.id), "--out", str(out)]
    )
    assert code == 1
    assert (
        f"Ann Lee (Chart {planless.id:06d}) has no treatment plan to print."
        in capsys.readouterr().err
    )
    assert not out.exists()


def test_an_output_folder_that_does_not_exist_is_reported(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeded = seed_sample_plan(db, now=NOW)
    out = tmp_path / "no such folder" / "plan.pdf"
    code = main(
        [
            "--database",
            _db_path(db),
            "print-plan",
            "--patient",
            str(seeded.patient_id),
            "--out",
            str(out),
        ]
    )
    assert code == 1
    assert "does not exist" in capsys.readouterr().err
    assert get_plan(db, seeded.plan.plan_id).printed_at is None


def test_a_missing_database_file_is_reported_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.sqlite3"
    code = main(
        [
            "--database",
            str(missing),
            "print-plan",
            "--patient",
            "1",
            "--out",
            str(tmp_path / "p.pdf"),
        ]
    )
    assert code == 1
    assert "There is no database at" in capsys.readouterr().err
    assert not missing.exists()
