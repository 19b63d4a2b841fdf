"""Run every benchmark of the README's table in one sitting and print the table from that run.

Each script runs in its own process, one after the other, exactly as the README lists it; its
``name = value unit`` lines are echoed as they come and collected. The machine (processor,
cores, memory, Python, commit) and the load average before and after each script are printed
with the table, so a reader can tell a quiet run from a busy one. Nothing here times anything
itself: every figure comes from the scripts.

    python benchmarks/run_all.py                 # the whole table (about 20 minutes here)
    python benchmarks/run_all.py --markdown t.md # also write the table to a file
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (script, its arguments): the README's list, in an order that puts the start-up and search
# figures first, while the machine's file caches are least disturbed by the big builds.
SCRIPTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("bench_startup.py", ("--scale", "full")),
    ("bench_patients.py", ("--scale", "full")),
    ("bench_pdf.py", ("--scale", "small")),
    ("bench_scheduling.py", ("--scale", "full")),
    ("bench_sign_in.py", ("--scale", "full")),
    ("bench_audit.py", ("--scale", "full")),
    ("bench_lock.py", ("--scale", "full")),
    ("bench_reports.py", ("--scale", "full")),
    ("bench_calendar.py", ("--scale", "large")),
)

FIGURE = re.compile(r"^([A-Za-z_]\w*) = (-?\d+(?:\.\d+)?)(?:\.\.(-?\d+(?:\.\d+)?))? ?(\S*)")


@dataclass(frozen=True)
class Row:
    """One line of the table: the figure, its baseline (if bare), the target."""

    measure: str
    script: str
    figure: str
    baseline: str = ""
    baseline_label: str = ""
    target: str = ""
    extra: str = ""  # a second figure shown in brackets (a median, a small database)
    extra_label: str = ""
    # False when the baseline is only a part of the work (the overlap query of a booking):
    # shown for scale, with no ratio, since a ratio to a part is no measure of overhead.
    same_work: bool = True


ROWS: tuple[Row, ...] = (
    Row(
        "open to the first painted screen (the sign-in dialog), 100k patients, median of 7",
        "bench_startup.py",
        "startup_to_sign_in_painted_median_full",
        "startup_bare_window_median",
        "bare window",
        "≤ 4×",
    ),
    Row(
        "… until the database behind it is open and checked",
        "bench_startup.py",
        "startup_to_sign_in_ready_median_full",
        "startup_bare_window_median",
        "bare window",
    ),
    Row(
        "unattended start (`FRONTDESK_USER`) to the painted patients screen, 100k patients",
        "bench_startup.py",
        "startup_unattended_to_patients_painted_median_full",
        "startup_bare_window_median",
        "bare window",
    ),
    Row(
        "peak memory of `frontdesk` at the patients screen, 100k patients (1k beside)",
        "bench_startup.py",
        "peak_rss_frontdesk_100000_patients",
        "peak_rss_bare_window",
        "bare window",
        "≤ 120 MiB, flat",
        "peak_rss_frontdesk_1000_patients",
        "1k",
    ),
    Row(
        "patient search as you type, 100k patients, p95",
        "bench_patients.py",
        "patient_search_p95",
        "patient_search_raw_sql_p95",
        "same-page raw SQL",
        "≤ 3×",
        "patient_search_median",
        "median",
    ),
    Row(
        "one-page plan handout",
        "bench_pdf.py",
        "plan_handout_one_page_median",
        "bare_reportlab_one_page_median",
        "bare ReportLab, same words and faces",
        "≤ 2×",
    ),
    Row(
        "three-page plan handout",
        "bench_pdf.py",
        "plan_handout_three_pages_median",
        "bare_reportlab_three_pages_median",
        "bare ReportLab, same words and faces",
        "≤ 2×",
    ),
    Row(
        "100 handouts",
        "bench_pdf.py",
        "plan_handout_batch100_median",
        "bare_reportlab_batch100_median",
        "bare ReportLab, same words and faces",
        "≤ 2×",
    ),
    Row(
        "book one appointment, 500k appointments, p95, audit row written",
        "bench_scheduling.py",
        "full_booking_p95",
        "full_raw_overlap_query_median",
        "overlap query alone",
        "< 10 ms",
        "full_booking_median",
        "median",
        same_work=False,
    ),
    Row(
        "first available, 10 slots, any practitioner, p95",
        "bench_scheduling.py",
        "full_first_available_p95",
        target="< 30 ms",
        extra="full_first_available_median",
        extra_label="median",
    ),
    Row(
        "12-session course preview, p95",
        "bench_scheduling.py",
        "full_course_preview_p95",
        target="< 50 ms",
        extra="full_course_preview_median",
        extra_label="median",
    ),
    Row(
        "growth, full over tenth-size database: booking",
        "bench_scheduling.py",
        "growth_booking_full_over_small",
        target="< 1.3×",
    ),
    Row(
        "growth, full over tenth-size database: first available",
        "bench_scheduling.py",
        "growth_first_available_full_over_small",
        target="< 1.3×",
    ),
    Row(
        "sign in (account lookup, Argon2id, audit row), p95",
        "bench_sign_in.py",
        "sign_in_p95",
        "bare_argon2_verify_p95",
        "bare Argon2id verify of the same hash",
        "< 0.5 s",
        extra="sign_in_median",
        extra_label="median",
    ),
    Row(
        "the accounts layer's own cost: booking p95, with / without",
        "bench_audit.py",
        "booking_with_layer_p95",
        "booking_without_p95",
        "the same call below the layer",
        "≤ 1.2×",
    ),
    Row(
        "the accounts layer's own cost: search p95, with / without",
        "bench_audit.py",
        "search_with_layer_p95",
        "search_without_p95",
        "the same call below the layer",
        "≤ 1.2×",
    ),
    Row(
        "lock the window, chart and note open, p95",
        "bench_lock.py",
        "lock_p95",
        target="seconds",
    ),
    Row(
        "unlock, p95",
        "bench_lock.py",
        "unlock_p95",
        "password_check_median",
        "password check alone",
        "seconds",
        same_work=False,
    ),
    Row("switch user, p95", "bench_lock.py", "switch_user_p95", target="seconds"),
    Row(
        "longest pause of the window while a password is checked",
        "bench_lock.py",
        "gui_longest_pause_while_unlocking",
    ),
    Row(
        "report: revenue by month, 500k appointments, p95",
        "bench_reports.py",
        "revenue_by_month_p95",
        target="< 1 s",
        extra="revenue_by_month_median",
        extra_label="median",
    ),
    Row(
        "report: revenue by practitioner, 500k appointments, p95",
        "bench_reports.py",
        "revenue_by_practitioner_p95",
        target="< 1 s",
        extra="revenue_by_practitioner_median",
        extra_label="median",
    ),
    Row(
        "report: revenue by appointment type, 500k appointments, p95",
        "bench_reports.py",
        "revenue_by_type_p95",
        target="< 1 s",
        extra="revenue_by_type_median",
        extra_label="median",
    ),
    Row(
        "report: outstanding balances by age, 500k appointments, p95",
        "bench_reports.py",
        "outstanding_by_age_p95",
        target="< 1 s",
        extra="outstanding_by_age_median",
        extra_label="median",
    ),
    Row(
        "report: no-show and late-cancellation rates, 500k appointments, p95",
        "bench_reports.py",
        "missed_visits_p95",
        target="< 1 s",
        extra="missed_visits_median",
        extra_label="median",
    ),
    Row(
        "report: practitioner utilisation, 500k appointments, p95",
        "bench_reports.py",
        "utilisation_p95",
        target="< 1 s",
        extra="utilisation_median",
        extra_label="median",
    ),
    Row(
        "report: new patients by referral source, 500k appointments, p95",
        "bench_reports.py",
        "new_patients_p95",
        target="< 1 s",
        extra="new_patients_median",
        extra_label="median",
    ),
    Row(
        "show a day, 40 practitioners, 2,000,000 appointments, p95",
        "bench_calendar.py",
        "calendar_day_40_practitioners_show_p95",
        target="≤ 50 ms",
        extra="calendar_day_40_practitioners_show_p50",
        extra_label="median",
    ),
    Row(
        "next day, 40 practitioners, 2,000,000 appointments, p95",
        "bench_calendar.py",
        "calendar_day_40_practitioners_next_p95",
        target="≤ 50 ms",
        extra="calendar_day_40_practitioners_next_p50",
        extra_label="median",
    ),
    Row(
        "day of 3 practitioners, 2,000,000 appointments, p95 (200k beside)",
        "bench_calendar.py",
        "calendar_day_3_practitioners_show_p95",
        target="≤ 50 ms",
        extra="calendar_day_3_practitioners_show_p95_tenth_size_db",
        extra_label="tenth size",
    ),
    Row(
        "week view, 2,000,000 appointments, p95 (200k beside)",
        "bench_calendar.py",
        "calendar_week_show_p95",
        target="≤ 50 ms",
        extra="calendar_week_show_p95_tenth_size_db",
        extra_label="tenth size",
    ),
)


@dataclass
class Run:
    script: str
    figures: dict[str, tuple[float, str]]
    load_before: str
    load_after: str
    seconds: float
    returncode: int


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _machine() -> list[str]:
    model = "unknown processor"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = "?"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    try:
        commit = subprocess.run(
            ["git", "-C", str(HERE.parent), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return [
        f"machine: {model}, {os.cpu_count()} CPUs, {memory} memory, "
        f"{platform.system()} {platform.release()}",
        f"python {platform.python_version()}, commit {commit}, "
        f"started {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
    ]


def run_script(script: str, args: Sequence[str]) -> Run:
    print(f"\n## {script} {' '.join(args)}", flush=True)
    before = _load()
    started = time.monotonic()
    figures: dict[str, tuple[float, str]] = {}
    with subprocess.Popen(
        [sys.executable, str(HERE / script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as child:
        assert child.stdout is not None
        for line in child.stdout:
            print(f"   {line}", end="", flush=True)
            match = FIGURE.match(line)
            if match:
                figures[match.group(1)] = (float(match.group(2)), match.group(4))
    seconds = time.monotonic() - started
    after = _load()
    print(f"   ({seconds:.0f} s; load {before} before, {after} after)", flush=True)
    return Run(script, figures, before, after, seconds, child.returncode)


def _value(value: float, unit: str) -> str:
    if unit == "s" and value < 1:
        return f"{value * 1000:.0f} ms"
    if unit == "ms" and value >= 1000:
        return f"{value / 1000:.2f} s"
    return f"{value:.3g} {unit}" if value < 10 else f"{value:.1f} {unit}"


def table(runs: dict[str, Run]) -> list[str]:
    lines = [
        "| measure | Frontdesk | baseline | ratio | target | load before / after |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in ROWS:
        run = runs.get(row.script)
        if run is None:
            continue
        got = run.figures.get(row.figure)
        if got is None:
            lines.append(f"| {row.measure} | not printed by {row.script} | | | {row.target} | |")
            continue
        value, unit = got
        shown = _value(value, unit)
        if row.extra and row.extra in run.figures:
            extra, extra_unit = run.figures[row.extra]
            shown += f" ({row.extra_label} {_value(extra, extra_unit)})"
        base_text = ratio = ""
        if row.baseline and row.baseline in run.figures:
            base, base_unit = run.figures[row.baseline]
            base_text = f"{row.baseline_label} {_value(base, base_unit)}"
            if row.same_work and base_unit == unit and base > 0:
                ratio = f"{value / base:.2f}×"
        load = f"{run.load_before.split()[0]} / {run.load_after.split()[0]}"
        lines.append(f"| {row.measure} | {shown} | {base_text} | {ratio} | {row.target} | {load} |")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    parser.add_argument(
        "--only", action="append", default=[], help="run only these scripts (repeatable)"
    )
    args = parser.parse_args(argv)
    header = _machine()
    for line in header:
        print(f"# {line}", flush=True)
    runs: dict[str, Run] = {}
    for script, script_args in SCRIPTS:
        if args.only and script not in args.only:
            continue
        runs[script] = run_script(script, script_args)
    failed = [run.script for run in runs.values() if run.returncode != 0]
    finished = datetime.now().astimezone()
    out = [
        *(f"{line}  " for line in header),
        f"finished {finished:%H:%M %Z}; load average (1, 5, 15 min) before the first script "
        f"{next(iter(runs.values())).load_before if runs else '?'}, after the last "
        f"{_load()}",
        "",
        *table(runs),
    ]
    print("\n" + "\n".join(out), flush=True)
    if args.markdown:
        args.markdown.write_text("\n".join(out) + "\n", encoding="utf-8")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
