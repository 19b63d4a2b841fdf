"""The yearly statement a patient sends with claims and their tax return, and the batch
commands that print statements, receipts and the day sheet with no screen (issue 17)."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from frontdesk.__main__ import main
from frontdesk.billing import PaymentMethod, Tender, check_out
from frontdesk.db.engine import Database
from frontdesk.db.models import AuditEvent
from frontdesk.reports.printing import statement_pdf
from tests.unit.billing_support import visit
from tests.unit.test_billing_receipt import NOW, billed_clinic, text_of
from tests.unit.test_plans_print_command import _db_path
from tests.unit.test_reports_handout import font_names
from tests.unit.test_scheduling_support import MONDAY, Clinic


def two_years(db: Database, c: Clinic) -> None:
    """Ann: a paid massage on 2 Mar 2026, an unpaid consultation a week later, and a paid
    acupuncture visit in December 2025 (on the year before's statement)."""
    billed_clinic(db, c)
    check_out(db, visit(db, c, c.consult, day=MONDAY + timedelta(days=7)), now=NOW)
    december = visit(db, c, c.acupuncture, day=date(2025, 12, 15), hour=10)
    check_out(db, december, now=NOW, tenders=[Tender(PaymentMethod.CASH, 8500)])


def test_the_statement_lists_the_years_paid_services_for_an_insurer(
    db: Database, clinic: Clinic
) -> None:
    two_years(db, clinic)
    pdf = statement_pdf(db, clinic.ann, 2026, now=NOW)
    text = text_of(pdf)
    for expected in (
        "Statement 2026",
        "Riverbend Acupuncture & Physio",
        "10230 Jasper Ave NW",
        "GST registration no. 123456789 RT0001",
        "Ann Smith",
        "2 Mar 2026",
        "Massage therapy, 45 min",
        "Wrist brace",
        "Dr Mei Lin",
        "Registered Acupuncturist",
        "Reg. no. CAAA-0412",
        "$141.74",  # the massage with the brace, GST included
        "$6.75",  # its GST
        "Total paid $141.74",
    ):
        assert expected in text, expected
    assert "Initial consultation" not in text  # not paid
    assert "15 Dec 2025" not in text  # another year
    fonts = font_names(pdf)
    assert fonts and all(fonts.values()), fonts
    assert not any("Helvetica" in name or "Times" in name for name in fonts)
    earlier = text_of(statement_pdf(db, clinic.ann, 2025, now=NOW))
    assert "15 Dec 2025" in earlier and "Total paid $85.00" in earlier
    with db.read() as s:
        assert s.scalar(select(AuditEvent.id).where(AuditEvent.action == "statement_pdf"))


def test_batch_commands_write_receipts_statement_and_day_sheet(
    db: Database, clinic: Clinic, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    two_years(db, clinic)  # invoices 1 (massage), 2 (consultation) and 3 (December) on 2 Mar
    base = ["--database", _db_path(db)]
    folder = tmp_path / "receipts"
    folder.mkdir()
    assert main([*base, "print-receipts", "--date", "2026-03-02", "--out", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "receipt-1.pdf",
        "receipt-2.pdf",
        "receipt-3.pdf",
    ]
    assert "CAAA-0412" in text_of((folder / "receipt-1.pdf").read_bytes())
    assert "Wrote 3 receipts for 2026-03-02" in capsys.readouterr().out

    statement = tmp_path / "ann-2026.pdf"
    args = ["print-statement", "--patient", str(clinic.ann), "--year", "2026"]
    code = main([*base, *args, "--out", str(statement)])
    assert code == 0
    assert "Reg. no. CAAA-0412" in text_of(statement.read_bytes())
    assert len(PdfReader(statement).pages) >= 1

    sheet = tmp_path / "day.csv"
    assert (
        main([*base, "print-day-sheet", "--date", "2026-03-02", "--csv", "--out", str(sheet)]) == 0
    )
    rows = list(csv.reader(sheet.open(encoding="utf-8")))
    assert [r[0] for r in rows if r].count("Payment") == 3
    assert sheet.stat().st_mode & 0o077 == 0  # it names patients: the owner's eyes only
    pdf = tmp_path / "day.pdf"
    assert main([*base, "print-day-sheet", "--date", "2026-03-02", "--out", str(pdf)]) == 0
    assert "Day sheet (money)" in text_of(pdf.read_bytes())


def test_batch_commands_explain_a_bad_date_year_or_folder(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--database", _db_path(db)]
    missing = tmp_path / "nowhere"
    assert main([*base, "print-receipts", "--date", "2026-03-02", "--out", str(missing)]) == 1
    assert f"The folder {missing} does not exist." in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main([*base, "print-receipts", "--date", "2/3/26", "--out", str(tmp_path)])
    assert exit_.value.code == 2
    assert "give the day as YYYY-MM-DD" in capsys.readouterr().err
    out = tmp_path / "s.pdf"
    code = main([*base, "print-statement", "--patient", "1", "--year", "26", "--out", str(out)])
    assert code == 2 and "Give a calendar year such as 2026" in capsys.readouterr().err
