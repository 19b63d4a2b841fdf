"""The integrity check started before the app loads: the open waits for it, never skips it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from frontdesk.__main__ import _start_early_check
from frontdesk.cli import parse
from frontdesk.db import open as db_open
from frontdesk.db.early_check import start_early_check
from frontdesk.db.open import open_database
from frontdesk.domain import DatabaseDamaged
from frontdesk.patients import PatientInput, create_patient
from tests.accounts_support import as_admin


def clinic_file(tmp_path: Path, patients: int = 0) -> Path:
    path = tmp_path / "clinic.sqlite3"
    db = as_admin(open_database(f"sqlite:///{path}"))
    for i in range(patients):
        create_patient(
            db,
            PatientInput("Ann" + "a" * (i % 20), "Lee", date(1980, 1, 2)),
            today=date(2026, 3, 2),
        )
    db.dispose()
    return path


def test_a_passed_early_check_is_not_run_again_at_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = clinic_file(tmp_path)
    url = f"sqlite:///{path}"
    checked = start_early_check(url)
    assert checked is not None
    ran: list[object] = []
    monkeypatch.setattr(db_open, "check_integrity", ran.append)
    open_database(url, checked=checked).dispose()
    assert ran == []
    # an early check of another file counts for nothing: this one is checked at open
    other = tmp_path / "other.sqlite3"
    other.write_bytes(path.read_bytes())
    open_database(f"sqlite:///{other}", checked=checked).dispose()
    assert len(ran) == 1


def test_a_damaged_file_is_refused_as_before_when_checked_early(tmp_path: Path) -> None:
    path = clinic_file(tmp_path, patients=300)
    data = bytearray(path.read_bytes())
    for offset in range(len(data) * 6 // 10, len(data) * 8 // 10):
        data[offset] = 0x5A
    path.write_bytes(bytes(data))
    url = f"sqlite:///{path}"
    with pytest.raises(DatabaseDamaged) as caught:
        open_database(url, checked=start_early_check(url))
    assert "frontdesk restore FILE" in str(caught.value)


def test_the_start_checks_the_named_file_early_but_not_the_demo(tmp_path: Path) -> None:
    path = clinic_file(tmp_path)
    early = _start_early_check(parse(["--database", str(path)]))
    assert early is not None and early.passed(str(path))
    assert _start_early_check(parse(["--demo"])) is None
    assert start_early_check(f"sqlite:///{tmp_path / 'new.sqlite3'}") is None  # created at open
    assert start_early_check("postgresql://desk@server/clinic") is None


def test_a_check_held_back_for_the_sign_in_dialog_still_runs_before_the_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Signing in by hand, the check waits for the dialog's first frame; the open never skips
    it: asked for its answer, a check not yet started starts then."""
    monkeypatch.delenv("FRONTDESK_USER")
    path = clinic_file(tmp_path, patients=300)  # has its administrator's account
    held = _start_early_check(parse(["--database", str(path)]))
    assert held is not None and not held.running
    ran: list[object] = []
    real_check = db_open.check_integrity
    monkeypatch.setattr(db_open, "check_integrity", ran.append)
    open_database(f"sqlite:///{path}", checked=held).dispose()
    assert ran == []  # its own check passed: not run again
    monkeypatch.setattr(db_open, "check_integrity", real_check)

    data = bytearray(path.read_bytes())
    for offset in range(len(data) * 6 // 10, len(data) * 8 // 10):
        data[offset] = 0x5A
    path.write_bytes(bytes(data))
    held = _start_early_check(parse(["--database", str(path)]))
    assert held is not None and not held.running
    with pytest.raises(DatabaseDamaged):
        open_database(f"sqlite:///{path}", checked=held)
