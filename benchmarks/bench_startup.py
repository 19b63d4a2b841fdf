"""How long the app takes to open to a visible patients screen, and how much memory it holds.

Each sample is a fresh process (interpreter start, imports, opening the database, building the
main window, first paint of the patients page with its first page of rows), timed from just
before the process is started until the window has been exposed and painted. The baseline is
the same measure for a bare empty PySide6 window. Resident memory is read in the child once the
window is up, on the requested scale and on a database a tenth the size, so growth with the
number of patients is visible.

    python benchmarks/bench_startup.py --scale small|full
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import SCALES, Scale, cached_demo_path, median, parse_args, report

ROUNDS = 5
TENTH = {"small": Scale("tenth-of-small", 1_000, 5_000), "full": SCALES["small"]}
HERE = Path(__file__).resolve()


# -- what runs in the child process --------------------------------------------------------------
def _child_app(db_path: str, settings_path: str) -> None:
    """The steps ``frontdesk --database PATH`` takes up to the first painted patients page."""
    from PySide6.QtCore import QSettings

    from frontdesk import app, paths
    from frontdesk.context import AppContext
    from frontdesk.db.open import open_database
    from frontdesk.ui.main_window import MainWindow

    qapp = app._application()
    db = open_database(f"sqlite:///{db_path}", backup_dir=paths.backups_dir())
    window = MainWindow(
        AppContext(db=db), settings=QSettings(settings_path, QSettings.Format.IniFormat)
    )
    _show_and_paint(qapp, window)
    rows = window.page("patients").model.rowCount()  # type: ignore[attr-defined]
    if window.current_key() != "patients" or rows == 0:
        raise SystemExit("the patients page did not open with rows")


def _child_bare() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    qapp = QApplication([])
    window = QMainWindow()
    window.resize(1200, 760)
    _show_and_paint(qapp, window)


def _show_and_paint(qapp, window) -> None:  # type: ignore[no-untyped-def]
    window.show()
    while window.windowHandle() is None or not window.windowHandle().isExposed():
        qapp.processEvents()
    window.repaint()  # the first frame, painted synchronously
    qapp.processEvents()


def child_main(mode: str, started: float, *args: str) -> None:
    sys.path.insert(0, str(HERE.parent.parent))
    if mode == "app":
        _child_app(*args)
    else:
        _child_bare()
    elapsed_ms = (time.time() - started) * 1000
    from _common import rss_mib

    print(f"{elapsed_ms:.3f} {rss_mib():.3f}", flush=True)
    os._exit(0)  # the measure is taken; skip teardown


# -- the parent: run children, report ------------------------------------------------------------
def _sample(mode: str, *args: str) -> tuple[float, float]:
    started = time.time()
    out = subprocess.run(
        [sys.executable, str(HERE), "--child", mode, repr(started), *args],
        check=True, capture_output=True, text=True, env={**os.environ, "QT_QPA_PLATFORM":
                                                          "offscreen"},
    ).stdout.split()
    return float(out[-2]), float(out[-1])


def _working_copy(scale: Scale, workdir: Path, rebuild: bool = False) -> tuple[str, str]:
    """A copy of the cached demo database (the cache is never opened by the app itself)."""
    db_path = workdir / f"{scale.name}.sqlite3"
    shutil.copyfile(cached_demo_path(scale, rebuild=rebuild), db_path)
    return str(db_path), str(workdir / f"{scale.name}.ini")


def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
    scale = SCALES[args.scale]
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["FRONTDESK_DATA_DIR"] = str(Path(tmp) / "userdata")
        workdir = Path(tmp)
        main_db = _working_copy(scale, workdir, args.rebuild)
        tenth_db = _working_copy(TENTH[args.scale], workdir)
        _sample("bare")  # warm-ups, not counted: file caches for Qt and the database
        _sample("app", *main_db)
        app_runs: list[tuple[float, float]] = []
        bare_runs: list[tuple[float, float]] = []
        for _ in range(ROUNDS):  # alternate so machine load hits both alike
            app_runs.append(_sample("app", *main_db))
            bare_runs.append(_sample("bare"))
        small_runs = [_sample("app", *tenth_db) for _ in range(2)]
    report(
        f"startup_to_patients_screen_median_{scale.name}",
        median([t for t, _ in app_runs]),
        "ms",
        baseline=("startup_bare_pyside6_window_median", median([t for t, _ in bare_runs])),
    )
    report(
        f"rss_after_open_{scale.name}_{scale.patients}_patients",
        median([m for _, m in app_runs]),
        "MiB",
        baseline=(
            f"rss_after_open_{TENTH[args.scale].name}_{TENTH[args.scale].patients}_patients",
            median([m for _, m in small_runs]),
        ),
    )
    report("rss_bare_pyside6_window", median([m for _, m in bare_runs]), "MiB")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(sys.argv[2], float(sys.argv[3]), *sys.argv[4:])
    else:
        main()
