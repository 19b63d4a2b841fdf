"""Settings ▸ Backups: save the settings, back up now, restore and go on working."""

from __future__ import annotations

import re
import threading
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer

from frontdesk.backup import BackupSettings, load_settings
from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.patients import PatientInput, create_patient, search_patients
from frontdesk.ui.backup_run import backup_run
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.settings import backups_tab
from frontdesk.ui.settings.backups_tab import BackupsTab


@pytest.fixture
def ctx(db: Database, tmp_path: Path) -> AppContext:
    data = tmp_path / "userdata"
    data.mkdir(exist_ok=True)
    return AppContext(db=db, data_dir=data)


def add(db: Database, given: str) -> None:
    create_patient(db, PatientInput(given, "Lee", date(1980, 1, 2)), today=date(2026, 3, 2))


def given_names(db: Database) -> set[str]:
    return {p.given_name for p in search_patients(db, "", limit=100)}


def test_settings_are_checked_and_saved(ctx: AppContext, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tab = BackupsTab(ctx)
    qtbot.addWidget(tab)
    tab.reload()
    tab.passphrase.setText("short")
    tab.mark_dirty()
    tab.save()
    qtbot.waitUntil(lambda: "at least 8 characters" in tab.errors.text("passphrase"))
    assert load_settings(ctx.data_dir) == BackupSettings()  # type: ignore[arg-type]
    drive = tmp_path / "usb"
    drive.mkdir()
    tab.folder.setText(str(drive))
    tab.passphrase.setText("a long passphrase")
    tab.weekly.setValue(2)
    with qtbot.waitSignal(tab.status_message) as said:
        tab.save()
        assert not tab.save_button.isEnabled() and not tab.back_up_button.isEnabled()
    assert said.args[0] == "Saved the backup settings."
    assert not tab.dirty and tab.back_up_button.isEnabled()
    saved = load_settings(ctx.data_dir)  # type: ignore[arg-type]
    assert (saved.folder, saved.weekly, saved.passphrase) == (str(drive), 2, "a long passphrase")


def test_back_up_now_then_restore_from_settings(ctx: AppContext, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    tab = BackupsTab(ctx)
    qtbot.addWidget(tab)
    tab.reload()
    assert "No backup yet" in tab.last.text()
    add(ctx.db, "Alice")
    with qtbot.waitSignal(tab.status_message) as said:
        assert tab.back_up_now()
    assert "written and checked" in said.args[0]
    assert "today at" in tab.last.text()
    backup = Path(said.args[0].rsplit(": ", 1)[1])
    add(ctx.db, "Bob")
    monkeypatch.setattr(tab, "choose_backup_file", lambda: backup)
    monkeypatch.setattr(tab, "confirm_restore", lambda path: True)
    with qtbot.waitSignal(tab.clinic_changed):
        tab.restore()  # on a worker, with a window in front saying so
        assert tab.restoring is not None and tab.restoring.isVisible()
        assert tab.restoring.isModal()
    assert tab.restoring is None
    assert given_names(ctx.db) == {"Alice"}
    add(ctx.db, "Carol")  # the running app goes on writing to the restored file
    assert given_names(ctx.db) == {"Alice", "Carol"}


def test_a_refused_restore_says_why(ctx: AppContext, qtbot, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tab = BackupsTab(ctx)
    qtbot.addWidget(tab)
    add(ctx.db, "Alice")
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("not a database at all\n" * 200)
    warned: list[str] = []
    monkeypatch.setattr(tab, "choose_backup_file", lambda: junk)
    monkeypatch.setattr(tab, "confirm_restore", lambda path: True)
    monkeypatch.setattr(tab, "warn", lambda title, text: warned.append(text))
    tab.restore()
    qtbot.waitUntil(lambda: bool(warned))
    assert "junk.sqlite3 was not restored" in warned[0] and tab.restoring is None
    assert given_names(ctx.db) == {"Alice"}


def test_the_window_shows_the_backup_age_and_backs_up_from_the_file_menu(
    ctx: AppContext,
    qtbot,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ctx, settings=settings)
    qtbot.addWidget(window)
    assert window.backup_label.text() == "No backup yet"
    window.backup_action.trigger()
    qtbot.waitUntil(lambda: window.backup_label.text().startswith("Last backup today at"))
    assert "written and checked" in window.statusBar().currentMessage()


def test_an_encrypted_backup_asks_for_its_passphrase_then_restores(
    ctx: AppContext, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    tab = BackupsTab(ctx)
    qtbot.addWidget(tab)
    tab.reload()
    tab.passphrase.setText("a long passphrase")
    tab.mark_dirty()
    with qtbot.waitSignal(tab.status_message):
        tab.save()
    add(ctx.db, "Alice")
    with qtbot.waitSignal(tab.status_message) as said:
        assert tab.back_up_now()
    assert said.args[0].startswith("Encrypted backup written and checked")
    backup = Path(said.args[0].rsplit(": ", 1)[1])
    tab.passphrase.setText("")  # this computer no longer knows it
    tab.mark_dirty()
    with qtbot.waitSignal(tab.status_message):
        tab.save()
    add(ctx.db, "Bob")
    asked: list[str] = []
    monkeypatch.setattr(tab, "choose_backup_file", lambda: backup)
    monkeypatch.setattr(tab, "confirm_restore", lambda path: True)
    monkeypatch.setattr(tab, "ask_passphrase", lambda why: asked.append(why) or "a long passphrase")
    with qtbot.waitSignal(tab.clinic_changed):
        tab.restore()
    assert len(asked) == 1 and "encrypted" in asked[0]
    assert given_names(ctx.db) == {"Alice"}


def test_back_up_now_says_backing_up_until_the_backup_answers(
    ctx: AppContext, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A large copy never freezes the window: the button says "Backing up…" meanwhile, a
    second backup is not started, and the answer names the file and its size."""
    tab = BackupsTab(ctx)
    qtbot.addWidget(tab)
    tab.reload()
    add(ctx.db, "Alice")
    release = threading.Event()
    real = backups_tab.back_up

    def slow_drive(db, data_dir):  # type: ignore[no-untyped-def]
        release.wait(30)  # until the test lets it go on
        return real(db, data_dir)

    monkeypatch.setattr(backups_tab, "back_up", slow_drive)
    assert tab.back_up_now()
    assert tab.back_up_button.text() == "Backing up…"
    assert not tab.back_up_button.isEnabled() and not tab.restore_button.isEnabled()
    assert not tab.back_up_now()  # never two at once
    ticked: list[bool] = []
    QTimer.singleShot(0, lambda: ticked.append(True))
    qtbot.waitUntil(lambda: bool(ticked))  # the window goes on working while the copy runs
    assert tab.backing_up and "No backup yet" in tab.last.text()
    with qtbot.waitSignal(tab.status_message) as said:
        release.set()
    assert re.match(r"Backup written and checked \(\d+ kB\): /", said.args[0])
    assert Path(said.args[0].rsplit(": ", 1)[1]).is_file()
    assert tab.back_up_button.text() == "Back up &now" and tab.back_up_button.isEnabled()
    assert "today at" in tab.last.text()


def test_a_backup_that_fails_says_why_and_can_be_tried_again(
    ctx: AppContext, qtbot, monkeypatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    tab = BackupsTab(ctx)
    qtbot.addWidget(tab)
    tab.reload()
    drive = tmp_path / "usb"
    drive.mkdir()
    tab.folder.setText(str(drive))
    tab.mark_dirty()
    with qtbot.waitSignal(tab.status_message):
        tab.save()
    drive.rmdir()  # the drive was unplugged
    warned: list[str] = []
    monkeypatch.setattr(tab, "warn", lambda title, text: warned.append(text))
    assert tab.back_up_now()
    qtbot.waitUntil(lambda: bool(warned))
    assert "is not there" in warned[0]
    assert tab.back_up_button.isEnabled() and "No backup yet" in tab.last.text()


def test_the_days_first_backup_runs_behind_the_window_and_quitting_waits_for_it(
    ctx: AppContext, qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ctx, settings=settings)
    qtbot.addWidget(window)
    window.back_up_if_due()
    tab = window.show_page("settings").backups  # type: ignore[attr-defined]
    if backup_run().running:  # the Backups tab follows a backup it did not start
        assert tab.back_up_button.text() == "Backing up…"
        assert not tab.back_up_now()
    window.close()  # waits for the backup rather than cutting it off
    assert not backup_run().running
    assert window.backup_label.text().startswith("Last backup today at")
    assert len(list((ctx.data_dir / "backups").glob("*.sqlite3"))) == 1  # type: ignore[operator]
