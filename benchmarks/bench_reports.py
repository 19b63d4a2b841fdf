"""How long each report takes to build over a year of the demo clinic (issue 17: under 1 s
each at full scale, 500,000 appointments).

Each report is called through its ``@operation`` as the demo's administrator (the permission
check and the audit row it writes are part of the figure), as the Reports page calls it: the
twelve months before the benchmark's "today" (the age of balances as of the day before). One
untimed call first (the holiday tables and SQLite's page cache), then ``--repeat`` timed calls;
median and p95 wall-clock milliseconds of each, and the rows the data holds for scale.

Then the worst case the demo lacks: its copy is billed back to the first visit (every earlier
completed visit invoiced, 97% of them paid, ``bill_every_past_visit``), so balances by age
reads an invoice for each of ~480,000 visits, and every report is timed again.

Usage: ``python benchmarks/bench_reports.py --scale small|full [--rebuild] [--repeat N]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, timedelta
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
)
from sqlalchemy import func, select, text

from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, Invoice, Patient, Payment, PaymentAllocation
from frontdesk.insights import REPORTS


def _repeat(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repeat", type=int, default=7, help="timed calls per report")


def bill_every_past_visit(db: Database) -> int:
    """Invoice every completed visit before the demo's first invoice (a flat $90.00, as the
    service line of an exempt visit), and pay 32 of every 33 in full; invoices added."""
    with db.write() as s:
        first = s.scalar(select(func.min(Invoice.issued_on)))
        before = s.scalar(select(func.count()).select_from(Invoice)) or 0
        top = s.scalar(select(func.max(Invoice.id))) or 0
        pay_offset = s.scalar(select(func.max(Payment.id))) or 0
        s.execute(
            text(
                "INSERT INTO invoices (id, number, kind, issued_on, issued_at, patient_id,"
                " appointment_id, practitioner_id, service_date, subtotal_cents, tax_cents,"
                " total_cents, status)"
                " SELECT :top + row_number() OVER (ORDER BY a.start_at, a.id),"
                " (SELECT max(number) FROM invoices) + row_number() OVER (ORDER BY a.start_at, a.id),"
                " 'visit', date(a.start_at), a.end_at, a.patient_id, a.id, a.practitioner_id,"
                " date(a.start_at), 9000, 0, 9000, 'issued'"
                " FROM appointments a WHERE a.status = 'completed' AND date(a.start_at) < :first"
            ),
            {"top": top, "first": first},
        )
        s.execute(
            text(
                "INSERT INTO payments (id, patient_id, received_on, received_at, method,"
                " amount_cents, reason)"
                " SELECT id + :offset, patient_id, issued_on, issued_at, 'debit', total_cents, ''"
                " FROM invoices WHERE id > :top AND id % 33 <> 0"
            ),
            {"offset": pay_offset, "top": top},
        )
        s.execute(
            text(
                "INSERT INTO payment_allocations (payment_id, invoice_id, amount_cents, at)"
                " SELECT id + :offset, id, total_cents, issued_at"
                " FROM invoices WHERE id > :top AND id % 33 <> 0"
            ),
            {"offset": pay_offset, "top": top},
        )
        s.execute(
            text("UPDATE invoice_counter SET next_number = (SELECT max(number) + 1 FROM invoices)")
        )
        after = s.scalar(select(func.count()).select_from(Invoice)) or 0
    with db.engine.connect() as conn:  # as a clinic's file would be: statistics, WAL folded in
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return after - before


def time_reports(db: Database, first: date, last: date, repeat: int, prefix: str = "") -> None:
    """Wall-clock median and p95 of each report, and the median CPU time of this process (which
    the other programs on a shared machine disturb far less than the wall clock)."""
    for choice in REPORTS:
        choice.build(db, first, last)  # warm-up, untimed
        wall, cpu = [], []
        for _ in range(repeat):
            started, used = time.perf_counter(), time.process_time()
            built = choice.build(db, first, last)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
        print(f"# {choice.title}: {len(built.rows)} rows")
        report(f"{prefix}{choice.key}_median", median(wall), "ms")
        report(f"{prefix}{choice.key}_p95", percentile(wall, 95), "ms")
        report(f"{prefix}{choice.key}_cpu_median", median(cpu), "ms")


def _counts(db: Database) -> str:
    with db.read() as s:
        counts = {
            model.__tablename__: s.scalar(select(func.count()).select_from(model))
            for model in (Patient, Appointment, Invoice, PaymentAllocation)
        }
    return ", ".join(f"{n:,} {t}" for t, n in counts.items())


def main() -> int:
    args = parse_args((__doc__ or "").splitlines()[0], extra=_repeat)
    scale = SCALES[args.scale]
    last = BENCH_TODAY - timedelta(days=1)
    first = last.replace(year=last.year - 1) + timedelta(days=1)
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as work:
        db = open_demo_copy(scale, Path(work), rebuild=args.rebuild)
        try:
            print(f"# {scale.name} demo: {_counts(db)}")
            print(f"# period {first} to {last}; {args.repeat} timed calls each")
            time_reports(db, first, last, args.repeat)
            added = bill_every_past_visit(db)
            print(f"# billed back to the first visit: {added:,} invoices added; {_counts(db)}")
            time_reports(db, first, last, args.repeat, prefix="billed_back_")
        finally:
            db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
