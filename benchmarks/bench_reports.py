"""How long each report takes to build over a year of the demo clinic (issue 17: under 1 s
each at full scale, 500,000 appointments).

Each report is called through its ``@operation`` as the demo's administrator (the permission
check and the audit row it writes are part of the figure), as the Reports page calls it: the
twelve months before the benchmark's "today" (the age of balances as of the day before). One
untimed call first (the holiday tables and SQLite's page cache), then ``--repeat`` timed calls;
median and p95 wall-clock milliseconds of each, and the rows the data holds for scale.

Usage: ``python benchmarks/bench_reports.py --scale small|full [--rebuild] [--repeat N]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    BENCH_TODAY,
    SCALES,
    median,
    open_demo_copy,
    parse_args,
    percentile,
    report,
    time_calls,
)
from sqlalchemy import func, select

from frontdesk.db.models import Appointment, Invoice, Patient, PaymentAllocation
from frontdesk.insights import REPORTS


def _repeat(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repeat", type=int, default=7, help="timed calls per report")


def main() -> int:
    args = parse_args((__doc__ or "").splitlines()[0], extra=_repeat)
    scale = SCALES[args.scale]
    last = BENCH_TODAY - timedelta(days=1)
    first = last.replace(year=last.year - 1) + timedelta(days=1)
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as work:
        db = open_demo_copy(scale, Path(work), rebuild=args.rebuild)
        try:
            with db.read() as s:
                counts = {
                    model.__tablename__: s.scalar(select(func.count()).select_from(model))
                    for model in (Patient, Appointment, Invoice, PaymentAllocation)
                }
            print(f"# {scale.name} demo: " + ", ".join(f"{n:,} {t}" for t, n in counts.items()))
            print(f"# period {first} to {last}; {args.repeat} timed calls each")
            for choice in REPORTS:
                samples = time_calls(
                    lambda choice=choice: choice.build(db, first, last), repeat=args.repeat
                )
                built = choice.build(db, first, last)
                print(f"# {choice.title}: {len(built.rows)} rows")
                report(f"{choice.key}_median", median(samples), "ms")
                report(f"{choice.key}_p95", percentile(samples, 95), "ms")
        finally:
            db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
