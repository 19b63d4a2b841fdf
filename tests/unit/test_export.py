"""A clinic can take its data elsewhere: every table as CSV, one patient's record as a PDF."""

from __future__ import annotations

import csv
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from frontdesk.__main__ import main
from frontdesk.db.engine import Database
from frontdesk.db.models import Patient
from frontdesk.domain import ValidationError
from frontdesk.export import export_clinic_csv, export_tables
from frontdesk.notes import SessionNoteInput, save_note
from frontdesk.patients import PatientInput, create_patient
from frontdesk.plans.sample import seed_sample_plan
from frontdesk.reports.patient_record import patient_record_pdf
from tests.unit.test_reports_handout import pdf_text

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


def _clinic(db: Database) -> int:
    """Two patients with names in other scripts, one with a course, a plan and a note."""
    seeded = seed_sample_plan(db, now=NOW, given_name="Zoë", family_name="O'Brien-Smith")
    create_patient(
        db,
        PatientInput("秀英", "王", date(1959, 8, 1), notes="Prefers Mandarin: 普通话"),
        today=NOW.date(),
    )
    save_note(
        db,
        None,
        SessionNoteInput(
            seeded.patient_id,
            seeded.practitioner_id,
            seeded.appointment_ids[0],
            techniques=("acupuncture",),
            points="LI4, GB34",
            pain_before=6,
            pain_after=3,
            body="Zoë slept better; tingling eased after the second needle.",
        ),
        now=NOW,
    )
    return seeded.patient_id


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_table_is_a_csv_with_all_its_rows_and_non_ascii_intact(
    db: Database, tmp_path: Path
) -> None:
    _clinic(db)
    result = export_clinic_csv(db, tmp_path / "out")
    with db.read() as s:
        for table in export_tables():
            rows = _read(tmp_path / "out" / f"{table.name}.csv")
            count = s.execute(select(func.count()).select_from(table)).scalar_one()
            assert len(rows) == count == result.rows[table.name], table.name
            assert list(rows[0] if rows else []) in ([], [c.name for c in table.columns])
    patients = _read(tmp_path / "out" / "patients.csv")
    assert {(p["given_name"], p["family_name"]) for p in patients} == {
        ("Zoë", "O'Brien-Smith"),
        ("秀英", "王"),
    }
    assert any(p["notes"] == "Prefers Mandarin: 普通话" for p in patients)
    notes = _read(tmp_path / "out" / "session_notes.csv")
    assert notes[0]["techniques"] == '["acupuncture"]' and "Zoë slept" in notes[0]["body"]
    assert not list((tmp_path / "out").glob("*.part"))


def test_a_folder_with_files_in_it_is_refused_unless_replacing(
    db: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "mine.txt").write_text("keep me")
    with pytest.raises(ValidationError) as exc:
        export_clinic_csv(db, folder)
    assert "not empty" in exc.value.errors["out"]
    assert sorted(p.name for p in folder.iterdir()) == ["mine.txt"]
    export_clinic_csv(db, folder, overwrite=True)
    assert (folder / "patients.csv").exists() and (folder / "mine.txt").read_text() == "keep me"


def test_export_command_writes_the_csv_files_and_refuses_a_full_folder(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _clinic(db)
    path = db.url.render_as_string(hide_password=False)  # the command opens it like a desk
    out = tmp_path / "export"
    assert main(["--database", path, "export", "--out", str(out)]) == 0
    assert "tables" in capsys.readouterr().out
    with db.read() as s:
        assert len(_read(out / "patients.csv")) == s.scalar(select(func.count(Patient.id)))
    assert main(["--database", path, "export", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "is not empty" in err and "Traceback" not in err
    assert main(["--database", path, "export", "--out", str(out), "--replace"]) == 0


def test_docs_describe_every_exported_column() -> None:
    doc = (ROOT / "docs" / "EXPORT.md").read_text(encoding="utf-8")
    for table in export_tables():
        section = re.search(rf"^### `{table.name}\.csv`\n(.*?)(?=^### |\Z)", doc, re.M | re.S)
        assert section, f"docs/EXPORT.md has no section for {table.name}.csv"
        for column in table.columns:
            assert f"`{column.name}`" in section.group(1), f"{table.name}.{column.name}"


def test_the_patient_record_pdf_holds_details_appointments_plan_and_notes(
    db: Database, tmp_path: Path
) -> None:
    patient_id = _clinic(db)
    text = " ".join(pdf_text(patient_record_pdf(db, patient_id, now=NOW)))
    assert "Patient record" in text and "Zoë O'Brien-Smith" in text
    assert "14 May 1968" in text and "(780) 555-0199" in text
    assert "Appointments (8)" in text and "Acupuncture treatment" in text
    assert "Treatment plans (1)" in text and "revision 1" in text
    assert "Session notes (1)" in text and "LI4, GB34" in text
    assert "tingling eased after the second needle" in text
    assert "6 before, 3 after" in text


def test_export_patient_command_writes_the_pdf(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _clinic(db)
    path = db.url.render_as_string(hide_password=False)  # the command opens it like a desk
    wang = next(p for p in _read_patients(db) if p[1] == "王")
    out = tmp_path / "wang.pdf"
    code = main(
        ["--database", path, "export-patient", "--patient", str(wang[0]), "--out", str(out)]
    )
    assert code == 0
    text = " ".join(pdf_text(out.read_bytes()))
    assert "王秀英" in text and "No appointments." in text and "普通话" in text
    assert (
        main(
            [
                "--database",
                path,
                "export-patient",
                "--patient",
                "4242",
                "--out",
                str(tmp_path / "x.pdf"),
            ]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "Traceback" not in err and "frontdesk export-patient:" in err
    assert not (tmp_path / "x.pdf").exists()


def _read_patients(db: Database) -> list[tuple[int, str]]:
    with db.read() as s:
        return [(p.id, p.family_name) for p in s.scalars(select(Patient))]
