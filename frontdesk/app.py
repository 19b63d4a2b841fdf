"""Composition root: the one place that builds the application and wires its parts together.

``run_gui`` creates the QApplication, opens (and if needed creates or upgrades) the database,
prepares the demo clinic on first use, builds the ``AppContext`` and the main window, and
installs the last-resort error handler so no traceback ever reaches the person at the desk.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from frontdesk import __version__, paths
from frontdesk.context import system_clock
from frontdesk.db.early_check import EarlyCheck, signs_in_first
from frontdesk.domain import BackupFailed, FrontdeskError, SchemaTooNew, ServerBackupNeeded

log = logging.getLogger("frontdesk")
ExcHook = Any  # the type of sys.excepthook
Clock = Callable[[], datetime]  # an aware instant; tests pass a fixed one


def run_gui(
    args: argparse.Namespace,
    clock: Clock = system_clock,
    *,
    early_check: EarlyCheck | None = None,
) -> int:
    """Open the main window (or write screenshots and exit); the process's exit code.

    ``early_check`` is the database file's integrity check if ``__main__`` started it
    (``frontdesk.db.early_check.EarlyCheck``); the open waits for it instead of checking again.
    """
    app = _application()
    log_file = _configure_logging()
    previous_hook = install_excepthook(log_file)
    headless = bool(args.screenshots)
    try:
        return _run(app, args, headless, clock, early_check)
    finally:
        sys.excepthook = previous_hook


def _application() -> QApplication:
    from frontdesk.ui.theme import apply_theme

    QApplication.setApplicationName("Frontdesk")
    QApplication.setOrganizationName("Frontdesk")
    QApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    apply_theme(app)
    return app


def _run(
    app: QApplication,
    args: argparse.Namespace,
    headless: bool,
    clock: Clock,
    early_check: EarlyCheck | None = None,
) -> int:
    from frontdesk.database_setting import database_url

    url = database_url(args)
    if args.demo:  # always the demo's own file (see ``database_url``)
        discard_stale_demo(paths.demo_database_path(), clock())
    if not headless and not args.demo and signs_in_first(url):
        return _sign_in_while_opening(app, args, url, clock, early_check)
    confirmed = bool(getattr(args, "confirm_server_backup", False))
    if not headless and early_check is not None and early_check.running:
        # The window's code loads while the file's integrity check runs, not after it.
        importlib.import_module("frontdesk.ui.main_window")
    try:
        try:
            db = _open(url, early_check, confirmed)
        except ServerBackupNeeded as exc:
            if headless or not confirm_server_backup(str(exc)):
                raise
            db = _open(url, early_check, True)
    except Exception as exc:
        return _open_failed(url, exc, headless)
    try:
        from frontdesk.domain import SYSTEM

        if args.demo:
            ensure_demo(db.as_actor(SYSTEM), headless, clock)
        actor = sign_in_at_start(db, demo=bool(args.demo), headless=headless, clock=clock)
        if actor is None:
            return 0 if not headless else 2
        return _open_window(app, args, db.as_actor(actor), headless, clock)
    finally:
        db.dispose()


def _open(url: str, early_check: EarlyCheck | None, confirmed: bool) -> Any:
    """The clinic database, opened (created or upgraded if need be) and checked."""
    from frontdesk.db.open import open_database

    return open_database(
        url, backup_dir=paths.backups_dir(), confirm_server_backup=confirmed, checked=early_check
    )


def _open_failed(url: str, exc: Exception, headless: bool) -> int:
    """Say why the database could not be opened; the process's exit code."""
    if isinstance(exc, SchemaTooNew):
        show_startup_error("This database is from a newer Frontdesk", str(exc), headless)
    elif isinstance(exc, BackupFailed | ServerBackupNeeded):
        show_startup_error("The database was not upgraded", str(exc), headless)
    else:  # unreachable server, unreadable file, missing driver, ...
        from frontdesk.db.engine import display_url

        log.error("Could not open the database %s", display_url(url), exc_info=exc)
        show_startup_error("Could not open the database", _open_failure_text(url, exc), headless)
    return 2


def _open_window(
    app: QApplication, args: argparse.Namespace, db: Any, headless: bool, clock: Clock
) -> int:
    """The main window for the signed-in ``db`` (or the screenshots); the exit code."""
    from frontdesk.clinic import get_clinic_facts
    from frontdesk.context import AppContext
    from frontdesk.domain import FrontdeskError
    from frontdesk.ui.main_window import MainWindow

    try:  # read once here, before the window: its widgets then never wait for them
        facts = get_clinic_facts(db)
    except FrontdeskError as exc:
        show_startup_error("Could not open the database", str(exc), headless)
        return 2
    ctx = AppContext(
        db=db, demo=bool(args.demo), clock=clock, data_dir=paths.data_dir(), clinic_facts=facts
    )
    if headless:
        return _screenshots(ctx, Path(args.screenshots))
    window = MainWindow(ctx)
    if args.demo:  # Switch user on the lock screen offers the demo's accounts too
        window.desk_lock.set_offers(_sign_in_offers(True), _demo_password())
    window.show()
    window.back_up_if_due()  # on a worker: the window is there meanwhile
    if getattr(args, "quit_after_first_paint", False):
        return report_first_paint(app, window)
    return app.exec()


def _sign_in_while_opening(
    app: QApplication,
    args: argparse.Namespace,
    url: str,
    clock: Clock,
    early_check: EarlyCheck | None,
) -> int:
    """A clinic in use (its file has staff accounts): the sign-in dialog at once, the database
    opening on a worker meanwhile.

    The dialog is the first screen the person uses; it needs neither SQLAlchemy nor the open
    database, which take most of the start, so they load while the person types. Pressing
    Sign in before the database is open waits for it (the dialog says so). Should the open
    fail, the dialog closes and the reason is shown as on any start.
    """
    from frontdesk.ui.sign_in import SignInDialog
    from frontdesk.ui.worker import run_query

    opened: list[Any] = []
    failed: list[Exception] = []
    dialog = SignInDialog(None, clock)

    def ready(db: Any) -> None:
        opened.append(db)
        dialog.database_ready(db)

    def failure(exc: Exception) -> None:
        failed.append(exc)
        dialog.reject()

    dialog.setModal(True)  # as exec() would make it: exec() does not re-show a shown dialog
    dialog.show()
    paint_now(app, dialog)  # the open's imports would otherwise compete with the first paint
    painted = time.time()
    if early_check is not None:
        early_check.start()  # held back until now by ``__main__`` (see ``_start_early_check``)
    opening = run_query(None, lambda: _open(url, early_check, False), ready, failure, busy=False)
    try:
        if getattr(args, "quit_after_first_paint", False):
            return report_sign_in_ready(app, dialog, opening, painted)
        accepted = dialog.exec()
        _until_done(opening)  # signed in, cancelled or failed: the open has ended either way
        if failed:
            return _open_failed(url, failed[0], headless=False)
        if not accepted or dialog.actor is None:
            return 0
        return _open_window(app, args, opened[0].as_actor(dialog.actor), False, clock)
    finally:
        _until_done(opening)  # never leave an upgrade half done behind a closed dialog
        for db in opened:
            db.dispose()


def _until_done(job: Any) -> None:
    """Wait for a background call however long it takes, take its answer, and let its thread
    finish (it still signals the answer's arrival; the process must not end under it)."""
    from frontdesk.ui import worker

    while not job.wait():
        pass
    worker.wait_for_all()


def sign_in_at_start(db: Any, *, demo: bool, headless: bool, clock: Clock) -> Any:
    """Who uses this window: the first administrator of a new clinic, else a sign-in.

    ``--demo --screenshots`` signs in as the demo's administrator by itself, so pictures
    regenerate unattended; a real clinic is never signed in without a password.
    """
    from frontdesk.accounts.service import accounts_exist, authenticate
    from frontdesk.domain import FrontdeskError

    if headless:
        import os

        try:
            if demo:
                from frontdesk.demo.staff import DEMO_PASSWORD

                return authenticate(db, "admin", DEMO_PASSWORD, now=clock())
            from frontdesk.commands.sign_in import read_password_file

            user, secret = (
                os.environ.get("FRONTDESK_USER"),
                os.environ.get("FRONTDESK_PASSWORD_FILE"),
            )
            if not user or not secret:
                raise FrontdeskError(
                    "Set FRONTDESK_USER and FRONTDESK_PASSWORD_FILE to take "
                    "screenshots of a clinic other than the demo."
                )
            return authenticate(db, user, read_password_file(Path(secret)), now=clock())
        except (FrontdeskError, OSError) as exc:
            show_startup_error("Could not sign in to the demo clinic", str(exc), headless)
            return None
    from frontdesk.ui.sign_in import FirstAdministratorDialog, SignInDialog

    unattended = _sign_in_from_environment(db, clock)
    if unattended is not None:
        return unattended

    if not demo and not accounts_exist(db):
        first = FirstAdministratorDialog(db, clock)
        return first.actor if first.exec() else None
    password = ""
    if demo:
        from frontdesk.demo.staff import DEMO_PASSWORD

        password = DEMO_PASSWORD
    dialog = SignInDialog(db, clock, demo_accounts=_sign_in_offers(demo), demo_password=password)
    return dialog.actor if dialog.exec() else None


def _sign_in_offers(demo: bool) -> list[tuple[str, str]]:
    """The one-click accounts of the sign-in dialog: the demo clinic's, and none elsewhere."""
    if not demo:
        return []
    from frontdesk.demo.staff import DEMO_ACCOUNTS

    return [(name, role.label) for name, _display, role in DEMO_ACCOUNTS]


def _demo_password() -> str:
    from frontdesk.demo.staff import DEMO_PASSWORD

    return DEMO_PASSWORD


def _sign_in_from_environment(db: Any, clock: Clock) -> Any:
    """``FRONTDESK_USER`` with an owner-only ``FRONTDESK_PASSWORD_FILE`` sign in without the
    dialog (a kiosk start, the start-up benchmark); a wrong password falls back to it."""
    import os

    from frontdesk.accounts.service import authenticate
    from frontdesk.commands.sign_in import read_password_file
    from frontdesk.domain import FrontdeskError

    user, secret = os.environ.get("FRONTDESK_USER"), os.environ.get("FRONTDESK_PASSWORD_FILE")
    if not user or not secret:
        return None
    try:
        return authenticate(db, user, read_password_file(Path(secret)), now=clock())
    except (FrontdeskError, OSError, IndexError):
        log.warning("Signing in from FRONTDESK_USER and FRONTDESK_PASSWORD_FILE failed")
        return None


def paint_now(app: QApplication, window: QWidget) -> None:
    """Wait until ``window`` is on screen and paint its first frame."""
    while window.windowHandle() is None or not window.windowHandle().isExposed():
        app.processEvents()
    window.repaint()  # the first frame, painted synchronously
    app.processEvents()


def report_first_paint(app: QApplication, window: QWidget) -> int:
    """For the start-up benchmark: paint the first frame, print when and at what memory, exit.

    Prints ``first_paint_at = <epoch seconds> s`` (the benchmark subtracts the moment it
    started the process), ``peak_rss = <MiB> MiB`` (the process's high-water mark, so every
    allocation on the way to the first screen counts) and ``first_page = <key>``.
    """
    paint_now(app, window)
    print(f"first_paint_at = {time.time():.6f} s", flush=True)
    print(f"peak_rss = {peak_rss_mib():.2f} MiB", flush=True)
    current = getattr(window, "current_key", None)
    print(f"first_page = {current() if current else ''}", flush=True)
    window.close()
    return 0


def report_sign_in_ready(app: QApplication, dialog: QWidget, opening: Any, painted: float) -> int:
    """For the start-up benchmark, when the start shows the sign-in dialog: print when it was
    painted (``first_paint_at``, ``first_page = sign-in``), then when the database behind it
    is open so that signing in is answered at once (``ready_at``), with the peak memory then.
    """
    print(f"first_paint_at = {painted:.6f} s", flush=True)
    print("first_page = sign-in", flush=True)
    while not opening.done:
        app.processEvents()
        opening.wait(10)
    print(f"ready_at = {time.time():.6f} s", flush=True)
    print(f"peak_rss = {peak_rss_mib():.2f} MiB", flush=True)
    dialog.close()
    return 0


def peak_rss_mib() -> float:
    """The most memory this process has held so far (its resident high-water mark), in MiB."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes on macOS, else KiB


def _screenshots(ctx: Any, out_dir: Path) -> int:
    from frontdesk.ui.main_window import MainWindow
    from frontdesk.ui.screenshots import take_screenshots

    with tempfile.TemporaryDirectory() as tmp:
        # Fresh window settings: screenshots never depend on, or change, the user's layout.
        settings = QSettings(str(Path(tmp) / "screens.ini"), QSettings.Format.IniFormat)
        window = MainWindow(ctx, settings=settings)
        written = take_screenshots(window, out_dir, _sign_in_offers(ctx.demo))
        window.close()
        from frontdesk.ui import worker

        worker.wait_for_all()  # background reloads end before the window and the database go
        window.deleteLater()
    for path in written:
        print(path)
    return 0


def _open_failure_text(url: str, exc: Exception) -> str:
    from sqlalchemy.engine import make_url

    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except Exception:
        shown = url
    cause = exc.__cause__ if isinstance(exc, FrontdeskError) and exc.__cause__ else exc
    reason = str(getattr(cause, "orig", None) or cause).strip().splitlines()
    first = reason[0] if reason else type(exc).__name__
    return (
        f"Frontdesk could not open the clinic database:\n{shown}\n\nReason: {first}\n\n"
        "Check that the file or server is reachable and that you may use it, then start "
        "Frontdesk again."
    )


def confirm_server_backup(reason: str) -> bool:
    """Ask whether an administrator has backed the PostgreSQL server up; True to upgrade."""
    answer = QMessageBox.question(
        None,
        "Back up the server before the upgrade",
        f"{reason}\n\nHas an administrator backed up this database (for example with "
        "pg_dump) so that it can be restored? Choose Yes only if that backup exists.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def show_startup_error(title: str, text: str, headless: bool) -> None:
    """Tell the person (or, in screenshot mode, the terminal) why the app cannot open."""
    if headless:
        print(f"{title}: {text}", file=sys.stderr)
        return
    QMessageBox.critical(None, title, text)


def ensure_demo(db: Any, headless: bool, clock: Clock = system_clock) -> None:
    """Fill the demo database on first use, showing that it is being prepared."""
    from frontdesk.clinic import clinic_today, get_clinic
    from frontdesk.demo import build_demo
    from frontdesk.domain import SYSTEM
    from frontdesk.patients import search_patients

    if db.actor is None:  # start-up work nobody asked for: Frontdesk itself does it
        db = db.as_actor(SYSTEM)

    if search_patients(db, "", include_archived=True, limit=1):
        return
    zone = get_clinic(db).tz
    today = clinic_today(clock(), zone)
    if headless:
        build_demo(db, today=today)
        _stamp_demo(db, today, zone.key)
        return
    from frontdesk.ui.theme import style_window

    progress = QProgressDialog("Preparing the demo clinic…", "", 0, 0)
    style_window(progress)
    progress.setWindowTitle("Frontdesk")
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.ApplicationModal)
    progress.setMinimumDuration(0)
    progress.show()
    failure: list[BaseException] = []

    def work() -> None:
        try:
            build_demo(db, today=today)
        except BaseException as exc:  # handed back to the GUI thread below
            failure.append(exc)

    worker = threading.Thread(target=work, name="build-demo", daemon=True)
    worker.start()
    app = QApplication.instance()
    assert app is not None, "the demo is built from the running GUI"
    while worker.is_alive():
        app.processEvents()
        worker.join(0.03)
    progress.close()
    if failure:
        raise failure[0]
    _stamp_demo(db, today, zone.key)


def _demo_stamp(path: Path) -> Path:
    return path.with_name(path.name + ".built-for")


def _stamp_demo(db: Any, today: date, zone: str) -> None:
    """Remember the clinic's day the demo was generated around, and the clinic's time zone
    that day is reckoned in (see ``discard_stale_demo``): ``2026-12-01 America/Edmonton``."""
    if db.sqlite_path:
        from frontdesk.private_files import open_private

        with open_private(_demo_stamp(Path(db.sqlite_path)), "w", encoding="utf-8") as stamp:
            stamp.write(f"{today.isoformat()} {zone}")


def _built_for(stamp: Path, now: datetime) -> tuple[str, str] | None:
    """(day the demo was built for, today in the clinic's zone), or None for a missing or
    unreadable stamp (a stamp of an older Frontdesk held no zone)."""
    from frontdesk.clinic import clinic_today

    try:
        built_for, zone = stamp.read_text(encoding="utf-8").split()
        today = clinic_today(now, ZoneInfo(zone))
    except (OSError, ValueError, ZoneInfoNotFoundError):
        return None
    return built_for, today.isoformat()


def discard_stale_demo(path: Path, now: datetime) -> bool:
    """Delete the demo clinic's file when it was generated around another day of the clinic.

    The demo's bookings are laid out around the day it was built; opened a week later, the
    calendar's "today" would be empty. The demo holds sample data only, so it is simply made
    again for today. "Today" is the clinic's date at ``now`` in the clinic's time zone (not the
    computer's UTC date, which in Edmonton turns over at 17:00 in winter). Only the demo's own
    file is ever removed (never a ``--database`` file).
    """
    stamp = _demo_stamp(path)
    if not path.exists():
        return False
    days = _built_for(stamp, now)
    if days is not None and days[0] == days[1]:
        return False
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), stamp):
        leftover.unlink(missing_ok=True)
    log.info("Demo clinic from another day discarded; it is rebuilt for today (%s)", now)
    return True


# -- errors nobody planned for ---------------------------------------------------------------------
def _configure_logging() -> Path:
    """Log to a private, rotating file in the user data folder, where support can find it."""
    from frontdesk.logs import add_file_log

    log_file = paths.logs_dir() / "frontdesk.log"
    add_file_log(log, log_file)
    return log_file


def install_excepthook(log_file: Path) -> ExcHook:
    """Show unexpected errors in a dialog and log them; returns the hook it replaced."""
    previous = sys.excepthook
    showing = threading.Lock()

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            previous(exc_type, exc, tb)
            return
        log.error("Unhandled error", exc_info=(exc_type, exc, tb))
        if QApplication.instance() is None or not showing.acquire(blocking=False):
            return
        try:
            show_error_dialog(exc, log_file)
        finally:
            showing.release()

    sys.excepthook = hook
    return previous


def show_error_dialog(exc: BaseException, log_file: Path) -> None:
    """A calm message for an error the code did not handle; the details go to the log."""
    parent: QWidget | None = QApplication.activeWindow()
    if isinstance(exc, FrontdeskError):
        QMessageBox.warning(parent, "Frontdesk", str(exc))
        return
    QMessageBox.critical(
        parent,
        "Something went wrong",
        "Frontdesk ran into a problem it did not expect, and what you were doing may not "
        "have been saved. Please check it, and try again.\n\n"
        f"If it happens again, send this file to your support contact:\n{log_file}\n\n"
        f"({type(exc).__name__}: {exc})",
    )
