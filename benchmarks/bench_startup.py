"""How long the app takes to open to its first painted screen, and how much memory it holds.

Each sample is a fresh ``frontdesk --database FILE`` process, the real program, timed from just
before the process is started. The hidden ``--quit-after-first-paint`` option makes it print
the moments below and its peak resident memory (high-water mark), and exit. Two starts of a
clinic in use (the demo database has staff accounts) are measured:

- **signing in**, as at every desk: the first screen is the sign-in dialog (``first_paint_at``,
  its first frame painted, ready for typing); the database opens behind it and ``ready_at`` is
  the moment a sign-in would be answered at once (the database open, its integrity checked);
- **unattended** (``FRONTDESK_USER`` and an owner-only ``FRONTDESK_PASSWORD_FILE``, as a kiosk
  start): no dialog, the first screen is the patients page with its first page of rows, so its
  first paint includes opening the database, checking the password and building the window.

The baseline is the same measure for ``bare_window.py``: a process importing nothing of
Frontdesk that only shows a QMainWindow with an empty QTableView. Memory is read on the
requested scale and on the 1,000-patient clinic at the unattended start's patients screen, so
growth with the number of patients is visible. Each figure is the median of the runs, with
the fastest and slowest beside it.

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

from frontdesk.demo.staff import DEMO_PASSWORD
from frontdesk.private_files import open_private

ROUNDS = 7
# An unattended sign-in set in the caller's environment would skip the dialog: each sample
# sets its own.
_SIGN_IN_VARIABLES = ("FRONTDESK_USER", "FRONTDESK_PASSWORD_FILE")
THOUSAND = Scale("tenth-of-small", 1_000, 5_000)
HERE = Path(__file__).resolve().parent
BARE = HERE / "bare_window.py"


def _figures(stdout: str) -> dict[str, str]:
    pairs = (line.split(" = ", 1) for line in stdout.splitlines() if " = " in line)
    return {name.strip(): value.split()[0] for name, value in pairs}


def _sample(command: list[str], env: dict[str, str], first: str | None) -> dict[str, float]:
    """Milliseconds from process start to each printed moment, and the peak RSS in MiB, of
    one fresh process whose first screen must be ``first`` (None for the bare window)."""
    started = time.time()
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    found = _figures(done.stdout)
    if first is not None and found.get("first_page") != first:
        raise SystemExit(f"the app opened on {found.get('first_page')!r}, not {first!r}")
    moments = {k: (float(v) - started) * 1000 for k, v in found.items() if k.endswith("_at")}
    return {**moments, "peak_rss": float(found["peak_rss"])}


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


def _spread(name: str, runs: list[dict[str, float]], key: str, unit: str) -> float:
    values = [run[key] for run in runs]
    print(f"{name}_spread = {min(values):.2f}..{max(values):.2f} {unit}", flush=True)
    return median(values)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
    _compile_package()
    scale = SCALES[args.scale]
    frontdesk = [sys.executable, "-m", "frontdesk", "--quit-after-first-paint", "--database"]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        password_file = workdir / "password"
        with open_private(password_file, "w", encoding="utf-8") as secret:
            secret.write(DEMO_PASSWORD)
        base = {
            **{k: v for k, v in os.environ.items() if k not in _SIGN_IN_VARIABLES},
            "QT_QPA_PLATFORM": "offscreen",
            "HOME": str(workdir / "home"),
            "XDG_CONFIG_HOME": str(workdir / "config"),
            "FRONTDESK_DATA_DIR": str(workdir / "userdata"),
        }
        unattended = {
            **base,
            "FRONTDESK_USER": "admin",
            "FRONTDESK_PASSWORD_FILE": str(password_file),
        }
        main_db = _working_copy(scale, workdir, args.rebuild)
        small_db = _working_copy(THOUSAND, workdir)
        bare = [sys.executable, str(BARE)]
        print(f"load_average_before = {_load()}", flush=True)
        # Warm-ups, not counted: file caches for Qt and the database, the day's first backup.
        _sample(bare, base, None)
        _sample([*frontdesk, main_db], unattended, "patients")
        _sample([*frontdesk, main_db], base, "sign-in")
        signing_in: list[dict[str, float]] = []
        kiosk: list[dict[str, float]] = []
        bare_runs: list[dict[str, float]] = []
        for _ in range(ROUNDS):  # alternate so machine load hits all alike
            signing_in.append(_sample([*frontdesk, main_db], base, "sign-in"))
            bare_runs.append(_sample(bare, base, None))
            kiosk.append(_sample([*frontdesk, main_db], unattended, "patients"))
        _sample([*frontdesk, small_db], unattended, "patients")
        small_runs = [_sample([*frontdesk, small_db], unattended, "patients") for _ in range(3)]
        print(f"load_average_after = {_load()}", flush=True)
    bare_ms = _spread("startup_bare_window", bare_runs, "first_paint_at", "ms")
    rows = (
        ("startup_to_sign_in_painted", signing_in, "first_paint_at", "target <= 4"),
        ("startup_to_sign_in_ready", signing_in, "ready_at", ""),
        ("startup_unattended_to_patients_painted", kiosk, "first_paint_at", ""),
    )
    for name, runs, key, target in rows:
        app_ms = _spread(name, runs, key, "ms")
        report(f"{name}_median_{scale.name}", app_ms, "ms")
        print(f"{name}_ratio = {app_ms / bare_ms:.2f} x {f'({target})' if target else ''}")
    report("startup_bare_window_median", bare_ms, "ms")
    report(
        f"peak_rss_frontdesk_{scale.patients}_patients",
        median([run["peak_rss"] for run in kiosk]),
        "MiB",
        baseline=(
            f"peak_rss_frontdesk_{THOUSAND.patients}_patients",
            median([run["peak_rss"] for run in small_runs]),
        ),
    )
    report(
        f"peak_rss_frontdesk_sign_in_ready_{scale.patients}_patients",
        median([run["peak_rss"] for run in signing_in]),
        "MiB",
    )
    report("peak_rss_bare_window", median([run["peak_rss"] for run in bare_runs]), "MiB")


if __name__ == "__main__":
    main()
