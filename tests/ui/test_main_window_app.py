"""The composition root: startup errors, the demo clinic's first run, screenshots, crashes."""

from __future__ import annotations

import sqlite3
import sys
from datetime import UTC, date, datetime

import pytest

from frontdesk import app
from frontdesk.cli import parse
from frontdesk.db.open import open_database
from frontdesk.patients import PatientInput, create_patient, search_patients
from tests.accounts_support import as_admin


@pytest.fixture
def clinic_file(tmp_path):
    path = tmp_path / "clinic.sqlite3"
    db = as_admin(open_database(f"sqlite:///{path}"))
    for given, family, born, phone in (
        ("Zoë", "Tremblay", date(1984, 3, 21), "780-555-0101"),
        ("Zoe", "Tremblay", date(1990, 1, 1), "780-555-0102"),
    ):
        create_patient(db, PatientInput(given, family, born, phone=phone), today=date(2026, 3, 2))
    db.dispose()
    return path


@pytest.fixture
def errors(monkeypatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        app, "show_startup_error", lambda title, text, headless: shown.append((title, text))
    )
    return shown


def test_screenshots_mode_writes_every_page_and_dialog(qapp, clinic_file, tmp_path, capsys):
    out = tmp_path / "shots"
    code = app.run_gui(parse(["--database", str(clinic_file), "--screenshots", str(out)]))
    assert code == 0
    names = sorted(p.name for p in out.glob("*.png"))
    from frontdesk.ui.main_window import PAGES

    pages = [f"{n:02d}-{spec.key}.png" for n, spec in enumerate(PAGES, start=1)]
    assert names[: len(pages)] == pages  # every registered page, in navigation order
    shot = {name.split("-", 1)[1] for name in names}
    assert {
        "patient-edit.png",
        "duplicate-warning.png",
        "patient-new-errors.png",
        "keyboard-shortcuts.png",
        "lock-screen.png",
    } <= shot
    assert all((out / n).stat().st_size > 5_000 for n in names)
    # Photographing the dialogs saved nothing.
    db = as_admin(open_database(f"sqlite:///{clinic_file}"))
    assert len(search_patients(db, "", include_archived=True)) == 2
    db.dispose()


def test_database_from_a_newer_version_is_refused_with_exit_code_2(qapp, clinic_file, errors):
    with sqlite3.connect(clinic_file) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'from_the_future'")
    assert app.run_gui(parse(["--database", str(clinic_file)])) == 2
    title, text = errors[0]
    assert "newer" in title and "nothing has been changed" in text


def test_unreachable_database_is_explained_not_raised(qapp, tmp_path, errors):
    missing = tmp_path / "no-such-folder" / "clinic.sqlite3"
    assert app.run_gui(parse(["--database", str(missing)])) == 2
    title, text = errors[0]
    assert title == "Could not open the database"
    assert str(missing) in text and "Reason:" in text and "Traceback" not in text


def test_demo_clinic_is_prepared_on_first_use_only(qapp, tmp_path, monkeypatch):
    import frontdesk.demo as demo

    db = as_admin(open_database(f"sqlite:///{tmp_path / 'demo.sqlite3'}"))
    calls = []

    def fake_build(database, *, today=None, **_kwargs):
        calls.append(today)
        create_patient(
            database, PatientInput("Ann", "Lee", date(1970, 1, 1)), today=date(2026, 3, 2)
        )

    monkeypatch.setattr(demo, "build_demo", fake_build)
    app.ensure_demo(db, headless=False)  # runs the build in a thread behind a progress box
    app.ensure_demo(db, headless=False)
    assert len(calls) == 1 and isinstance(calls[0], date)
    assert len(search_patients(db, "")) == 1
    db.dispose()


def test_demo_build_failure_reaches_the_caller(qapp, tmp_path, monkeypatch):
    import frontdesk.demo as demo

    db = as_admin(open_database(f"sqlite:///{tmp_path / 'demo.sqlite3'}"))

    def broken(database, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo, "build_demo", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        app.ensure_demo(db, headless=False)
    db.dispose()


def test_unexpected_errors_are_logged_and_shown(qapp, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(app, "show_error_dialog", lambda exc, log_file: shown.append(exc))
    log_file = app._configure_logging()
    previous = app.install_excepthook(log_file)
    try:
        try:
            raise ZeroDivisionError("boom")
        except ZeroDivisionError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = previous
    assert isinstance(shown[0], ZeroDivisionError)
    for handler in app.log.handlers:
        handler.flush()
    assert "ZeroDivisionError: boom" in log_file.read_text(encoding="utf-8")


def test_a_demo_built_on_another_day_is_made_again_for_today(tmp_path):
    demo_file = tmp_path / "demo-clinic.sqlite3"
    demo_file.write_bytes(b"old demo")
    (tmp_path / "demo-clinic.sqlite3-wal").write_bytes(b"")
    (tmp_path / "demo-clinic.sqlite3.built-for").write_text("2026-11-19 America/Edmonton")
    assert app.discard_stale_demo(demo_file, datetime(2026, 11, 26, 19, tzinfo=UTC))
    assert list(tmp_path.iterdir()) == []


def test_todays_demo_is_kept(tmp_path):
    demo_file = tmp_path / "demo-clinic.sqlite3"
    demo_file.write_bytes(b"today's demo")
    (tmp_path / "demo-clinic.sqlite3.built-for").write_text("2026-11-26 America/Edmonton")
    assert not app.discard_stale_demo(demo_file, datetime(2026, 11, 26, 19, tzinfo=UTC))
    assert demo_file.read_bytes() == b"today's demo"


def test_the_demo_is_not_rebuilt_in_the_evening_when_utc_has_reached_tomorrow(
    qapp, tmp_path, monkeypatch
):
    """Built on a December evening in Edmonton; at 20:00 there (03:00 UTC the next day) it is
    still the clinic's same day, so the user's changes to the demo are kept."""
    import frontdesk.demo as demo

    demo_file = tmp_path / "demo-clinic.sqlite3"
    db = as_admin(open_database(f"sqlite:///{demo_file}"))
    built_for: list[date] = []

    def fake_build(database, *, today=None, **_kwargs):
        built_for.append(today)
        create_patient(database, PatientInput("Ann", "Lee", date(1970, 1, 1)), today=today)

    monkeypatch.setattr(demo, "build_demo", fake_build)
    evening = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)  # 18:00 on 1 Dec in Edmonton
    app.ensure_demo(db, headless=True, clock=lambda: evening)
    db.dispose()
    assert built_for == [date(2026, 12, 1)]

    later = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)  # 20:00 on 1 Dec in Edmonton
    assert not app.discard_stale_demo(demo_file, later)
    assert demo_file.exists()
    next_morning = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)  # 08:00 on 2 Dec
    assert app.discard_stale_demo(demo_file, next_morning)
    assert not demo_file.exists()


def test_a_stamp_without_a_time_zone_means_the_demo_is_made_again(tmp_path):
    demo_file = tmp_path / "demo-clinic.sqlite3"
    demo_file.write_bytes(b"demo from an older Frontdesk")
    (tmp_path / "demo-clinic.sqlite3.built-for").write_text("2026-12-01")
    assert app.discard_stale_demo(demo_file, datetime(2026, 12, 1, 19, tzinfo=UTC))
    assert not demo_file.exists()


def test_the_day_the_demo_was_built_for_is_recorded(qapp, tmp_path, monkeypatch):
    import frontdesk.demo as demo

    db = as_admin(open_database(f"sqlite:///{tmp_path / 'demo-clinic.sqlite3'}"))
    built_for: list[date] = []

    def fake_build(database, *, today=None, **_kwargs):
        built_for.append(today)
        create_patient(
            database, PatientInput("Ann", "Lee", date(1970, 1, 1)), today=date(2026, 3, 2)
        )

    monkeypatch.setattr(demo, "build_demo", fake_build)
    app.ensure_demo(db, headless=True)
    db.dispose()
    stamp = tmp_path / "demo-clinic.sqlite3.built-for"
    assert stamp.read_text() == f"{built_for[0].isoformat()} America/Edmonton"
    assert stamp.stat().st_mode & 0o777 == 0o600  # private like every file in the data folder
