"""How long the shared desk's lock takes: locking, unlocking, switching user.

A reception desk is locked and opened dozens of times a day, so each step must take seconds at
most, and the window must keep painting while a password is checked. Run on the scaled demo
clinic, in the real main window (offscreen), with a patient's chart and a session note editor
open, as a practitioner leaves them:

- ``lock``: Ctrl+L's action until the lock screen is on screen, every window covered;
- ``unlock``: the Unlock button until the desk is open again (the password check on a worker);
- ``switch_user``: Sign in on the lock screen's Switch user page, as reception, until the
  window is rebuilt for reception with the first user's note saved and windows closed;
- ``gui_longest_pause_while_unlocking``: the longest gap between two ticks of a 5 ms timer on
  the GUI thread during the unlocks (a frozen window would show the password check's time);
- the baseline is the password check alone (``authenticate`` called directly), which the
  unlock and the switch cannot go below.

    python benchmarks/bench_lock.py --scale small|full
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import SCALES, median, open_demo_copy, parse_args, percentile, report
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from frontdesk.accounts.service import authenticate
from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.demo.staff import DEMO_PASSWORD
from frontdesk.patients import search_patients
from frontdesk.scheduling import patient_appointments
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.practice.chart import open_chart
from frontdesk.ui.practice.note_editor import SessionNoteEditor
from frontdesk.ui.theme import apply_theme

REPEAT = 10


def _spin_until(app: QApplication, done: Callable[[], bool], timeout_s: float = 60) -> None:
    deadline = time.perf_counter() + timeout_s
    while not done():
        if time.perf_counter() > deadline:
            raise TimeoutError("the desk did not get there in time")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


class PauseMeter:
    """The longest gap between ticks of a short timer on the GUI thread while it runs."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def start(self) -> None:
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()


def _open_work(window: MainWindow, patient_id: int, appointment_id: int) -> None:
    """A chart and a visit's note editor with a few words typed, as a practitioner leaves them
    (a note outside a visit is the practitioner's own to write, not the administrator's)."""
    from frontdesk.ui.practice.windows import WindowRegistry

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    chart = open_chart(window, window.ctx, patient_id, appointment_id=appointment_id)
    _spin_until(app, lambda: bool(getattr(chart, "loaded", False)))  # read on a worker

    def visit_note() -> SessionNoteEditor | None:
        return next(
            (
                w
                for w in WindowRegistry.of(window).windows()
                if isinstance(w, SessionNoteEditor)
                and w.isVisible()
                and w.value().appointment_id == appointment_id
            ),
            None,
        )

    chart.open_note_for_selection()  # the visit's note is read on a worker, then opens
    _spin_until(app, lambda: visit_note() is not None)
    editor = visit_note()
    assert editor is not None
    editor.body.insertPlainText("Needles retained 20 min. ")


def _lock(app: QApplication, window: MainWindow) -> float:
    started = time.perf_counter()
    window.lock_action.trigger()
    screen = window.desk_lock.screen
    assert screen is not None
    _spin_until(app, lambda: screen.isVisible())
    app.processEvents()  # the covers painted
    return (time.perf_counter() - started) * 1000


def _sign_in_on_screen(app: QApplication, window: MainWindow, user: str | None) -> float:
    screen = window.desk_lock.screen
    assert screen is not None
    started = time.perf_counter()
    if user is None:
        screen.password.setText(DEMO_PASSWORD)
        screen.unlock_button.click()
    else:
        screen.show_switch()
        screen.username.setText(user)
        screen.other_password.setText(DEMO_PASSWORD)
        screen.sign_in_button.click()
    try:
        _spin_until(app, lambda: not window.desk_lock.locked)
    except TimeoutError:
        print(f"# the lock screen says: {screen.message()}")
        raise
    return time.perf_counter() - started


def main() -> None:
    args = parse_args(__doc__ or "")
    scale = SCALES[args.scale]
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app)
    with tempfile.TemporaryDirectory() as tmp:
        admin = open_demo_copy(scale, Path(tmp), rebuild=args.rebuild)
        try:
            _run(app, admin, Path(tmp))
        finally:
            admin.dispose()


def _run(app: QApplication, admin: Database, tmp: Path) -> None:
    signed_out = admin.as_actor(None)
    checks = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        authenticate(signed_out, "admin", DEMO_PASSWORD, now=datetime.now(UTC))
        checks.append(time.perf_counter() - started)
    patient = search_patients(admin, "", limit=1)[0].id
    visit = patient_appointments(admin, patient)[0].id
    ctx = AppContext(db=admin, demo=True)
    settings = QSettings(str(tmp / "bench.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ctx, settings=settings)
    window.resize(1280, 800)
    window.show()
    _spin_until(app, lambda: window.windowHandle() is not None and window.isVisible())
    admin_actor = admin.actor
    assert admin_actor is not None
    locks, unlocks, switches = [], [], []
    meter = PauseMeter()
    for _ in range(REPEAT):
        _open_work(window, patient, visit)
        locks.append(_lock(app, window))
        meter.start()
        unlocks.append(_sign_in_on_screen(app, window, None))
        meter.stop()
    for _ in range(REPEAT):
        if window.ctx.db.actor != admin_actor:  # back to the administrator, untimed
            _lock(app, window)
            _sign_in_on_screen(app, window, "admin")
        _open_work(window, patient, visit)
        _lock(app, window)
        switches.append(_sign_in_on_screen(app, window, "reception"))
    window.close()
    from frontdesk.ui import worker

    worker.wait_for_all()
    report("password_check_median", median(checks), "s")
    report("lock_p95", percentile(locks, 95), "ms")
    report("lock_median", median(locks), "ms")
    report(
        "unlock_p95",
        percentile(unlocks, 95),
        "s",
        baseline=("password_check_p95", percentile(checks, 95)),
    )
    report("unlock_median", median(unlocks), "s")
    report("switch_user_p95", percentile(switches, 95), "s")
    report("switch_user_median", median(switches), "s")
    report("gui_longest_pause_while_unlocking", meter.longest * 1000, "ms")


if __name__ == "__main__":
    main()
