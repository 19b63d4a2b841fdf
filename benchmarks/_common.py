"""Helpers every benchmark script shares: the scaled demo database, timing, reporting.

Building the 100,000-patient clinic takes minutes, so it is built once per generator version
and schema revision and cached (``FRONTDESK_BENCH_CACHE``, default ``~/.cache/frontdesk-bench``);
each run works on a fresh copy so one benchmark's writes cannot skew the next.
Figures are printed one per line as ``name = value unit`` (DESIGN.md, Conventions), with the
baseline beside the figure when there is one.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

# Scripts run as ``python benchmarks/bench_x.py``; make the source tree importable without
# an install as well.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from frontdesk.db.engine import Database
from frontdesk.db.open import open_database
from frontdesk.db.schema import head_revision
from frontdesk.demo import DEMO_VERSION, build_demo

# A Monday: the benchmark clinic's "today" (appointments lie around it; the calendar
# benchmark opens this day, on which every practitioner works).
BENCH_TODAY = date(2026, 3, 2)
BENCH_SEED = 2026


@dataclass(frozen=True)
class Scale:
    name: str
    patients: int
    appointments: int


SCALES = {
    "small": Scale("small", 10_000, 50_000),
    "full": Scale("full", 100_000, 500_000),
    # The demo clinic gets one practitioner per 50,000 appointments: 40 practitioners here.
    "large": Scale("large", 100_000, 2_000_000),
}


def parse_args(
    description: str,
    argv: Sequence[str] | None = None,
    extra: Callable[[argparse.ArgumentParser], None] | None = None,
) -> argparse.Namespace:
    """The options every benchmark takes (``--scale small|full``, ``--rebuild``), plus any
    its script adds through ``extra``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached database")
    if extra is not None:
        extra(parser)
    return parser.parse_args(argv)


def cache_dir() -> Path:
    path = Path(os.environ.get("FRONTDESK_BENCH_CACHE", Path.home() / ".cache" / "frontdesk-bench"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def demo_name(scale: Scale) -> str:
    """The cached demo's name without its suffix: size, seed, generator and schema version."""
    name = f"demo-{scale.name}-{scale.patients}-{scale.appointments}-s{BENCH_SEED}"
    return f"{name}-v{DEMO_VERSION}-{head_revision()}"


def cached_demo_path(scale: Scale, *, rebuild: bool = False) -> Path:
    """The cached demo database file for ``scale``, building it first when needed.

    Prints ``demo_build_seconds`` when it had to build, so the generator's speed is on record.
    """
    path = cache_dir() / f"{demo_name(scale)}.sqlite3"
    if path.exists() and not rebuild:
        return path
    partial = path.with_suffix(".building")
    for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        stale.unlink(missing_ok=True)
    # Built in a child process so the benchmark's own memory figures never include the build.
    started = time.perf_counter()
    child = multiprocessing.get_context("spawn").Process(target=_build, args=(partial, scale))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"building the {scale.name} demo database failed")
    report("demo_build_seconds", time.perf_counter() - started, "s")
    partial.replace(path)
    return path


def _build(path: Path, scale: Scale) -> None:
    db = open_database(f"sqlite:///{path}")
    try:
        build_demo(
            db,
            patients=scale.patients,
            appointments=scale.appointments,
            seed=BENCH_SEED,
            today=BENCH_TODAY,
        )
        with db.engine.connect() as conn:  # fold the WAL back so one file is complete
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.dispose()


def open_demo_copy(scale: Scale, workdir: Path, *, rebuild: bool = False) -> Database:
    """A fresh copy of the cached demo database in ``workdir``, opened like the app does."""
    source = cached_demo_path(scale, rebuild=rebuild)
    target = workdir / "bench.sqlite3"
    shutil.copyfile(source, target)
    return sign_in_as_demo_admin(open_database(f"sqlite:///{target}"))


def sign_in_as_demo_admin(db: Database, prefix: str = "") -> Database:
    """Services refuse anyone not signed in: sign in as the demo's administrator, so every
    figure includes the permission check and the audit rows; the sign-in time is a figure
    (``prefix`` names the database when a script signs in to several)."""
    from frontdesk.accounts.service import authenticate
    from frontdesk.demo.staff import DEMO_PASSWORD

    started = time.perf_counter()
    actor = authenticate(db, "admin", DEMO_PASSWORD, now=datetime.now(UTC))
    report(f"{prefix}sign_in_seconds", time.perf_counter() - started, "s")
    return db.as_actor(actor)


def time_calls(fn: Callable[[], Any], *, repeat: int, warmup: int = 1) -> list[float]:
    """Wall-clock milliseconds of ``repeat`` calls, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def percentile(samples: Sequence[float], pct: float) -> float:
    """The ``pct``-th percentile (nearest rank on the sorted samples)."""
    ordered = sorted(samples)
    if not ordered:
        raise ValueError("no samples")
    rank = max(1, min(len(ordered), math.ceil(pct / 100 * len(ordered))))
    return ordered[rank - 1]


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def rss_mib() -> float:
    """Resident memory of this process now, in MiB (Linux /proc; psutil elsewhere)."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        import psutil  # type: ignore[import-not-found]

        return float(psutil.Process().memory_info().rss) / 2**20


def report(
    name: str, value: float, unit: str, *, baseline: tuple[str, float] | None = None
) -> None:
    """Print ``name = value unit``, and the baseline figure on the next line if given."""
    print(f"{name} = {value:.2f} {unit}", flush=True)
    if baseline is not None:
        base_name, base_value = baseline
        print(f"{base_name} = {base_value:.2f} {unit}", flush=True)
