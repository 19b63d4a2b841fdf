"""How long the app takes to open to its first painted screen, and how much memory it holds.

Each sample is a fresh ``frontdesk --database FILE`` process, the real program (interpreter
start, imports, opening the database, building the main window, first paint of the patients
page with its first page of rows), timed from just before the process is started until the
window's first frame is painted. The hidden ``--quit-after-first-paint`` option makes it print
that moment and its peak resident memory (high-water mark) and exit. The baseline is the same
measure for ``bare_window.py``: a process importing nothing of Frontdesk that only shows a
QMainWindow with an empty QTableView. Memory is read on the requested scale and on the
1,000-patient clinic, so growth with the number of patients is visible.

    python benchmarks/bench_startup.py --scale small|full|large
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import SCALES, Scale, cached_demo_path, median, parse_args, report

ROUNDS = 7
THOUSAND = Scale("tenth-of-small", 1_000, 5_000)
HERE = Path(__file__).resolve().parent
BARE = HERE / "bare_window.py"


def _figures(stdout: str) -> dict[str, str]:
    pairs = (line.split(" = ", 1) for line in stdout.splitlines() if " = " in line)
    return {name.strip(): value.split()[0] for name, value in pairs}


def _sample(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(ms from process start to first paint, peak RSS in MiB) of one fresh process."""
    started = time.time()
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    found = _figures(done.stdout)
    if "first_page" in found and found["first_page"] != "patients":
        raise SystemExit(f"the app opened on {found['first_page']!r}, not the patients page")
    return (float(found["first_paint_at"]) - started) * 1000, float(found["peak_rss"])


def _working_copy(scale: Scale, workdir: Path, rebuild: bool = False) -> str:
    """A copy of the cached demo database (the cache is never opened by the app itself)."""
    db_path = workdir / f"{scale.name}.sqlite3"
    shutil.copyfile(cached_demo_path(scale, rebuild=rebuild), db_path)
    return str(db_path)


def _compile_package() -> None:
    """Write Frontdesk's bytecode first, as installing it does (pip and the Debian package
    both compile): a working tree run with PYTHONDONTWRITEBYTECODE would otherwise compile
    every module from source in every sample, a cost no installed copy pays."""
    import compileall

    import frontdesk

    compileall.compile_dir(str(Path(frontdesk.__file__).parent), quiet=1)


def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
    _compile_package()
    scale = SCALES[args.scale]
    frontdesk = [sys.executable, "-m", "frontdesk", "--quit-after-first-paint", "--database"]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "HOME": str(workdir / "home"),
            "XDG_CONFIG_HOME": str(workdir / "config"),
            "FRONTDESK_DATA_DIR": str(workdir / "userdata"),
        }
        main_db = _working_copy(scale, workdir, args.rebuild)
        small_db = _working_copy(THOUSAND, workdir)
        bare = [sys.executable, str(BARE)]
        _sample(bare, env)  # warm-ups, not counted: file caches for Qt and the database
        _sample([*frontdesk, main_db], env)
        app_runs: list[tuple[float, float]] = []
        bare_runs: list[tuple[float, float]] = []
        for _ in range(ROUNDS):  # alternate so machine load hits both alike
            app_runs.append(_sample([*frontdesk, main_db], env))
            bare_runs.append(_sample(bare, env))
        small_runs = [_sample([*frontdesk, small_db], env) for _ in range(3)]
    app_ms, bare_ms = median([t for t, _ in app_runs]), median([t for t, _ in bare_runs])
    report(
        f"startup_to_first_paint_median_{scale.name}",
        app_ms,
        "ms",
        baseline=("startup_bare_window_median", bare_ms),
    )
    print(f"startup_ratio = {app_ms / bare_ms:.2f} x (target <= 4)")
    report(
        f"peak_rss_frontdesk_{scale.patients}_patients",
        median([m for _, m in app_runs]),
        "MiB",
        baseline=(
            f"peak_rss_frontdesk_{THOUSAND.patients}_patients",
            median([m for _, m in small_runs]),
        ),
    )
    report("peak_rss_bare_window", median([m for _, m in bare_runs]), "MiB")


if __name__ == "__main__":
    main()
