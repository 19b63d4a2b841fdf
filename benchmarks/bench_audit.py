"""What the accounts layer costs a booking and a search: the same call with and without it.

Every public service goes through ``@operation`` (frontdesk/accounts/operation.py): the
permission check, and for a change the audit rows chained onto the trail in the same
transaction. ``fn.__wrapped__`` is the service function itself, below that door; the booking
arm calls it inside the scope an operation opens but with no check and no audit row, because
the emails a booking writes beside itself follow that scope and both arms must write them. Both are timed on one copy of the demo clinic in alternating rounds,
so load from other programs falls on both alike:

* ``booking``: ``book_appointment`` of free consultations (a real insert and commit each; with
  the layer, also the audit row with the new appointment's fields and its SHA-256 link);
* ``search``: ``search_patients`` for each prefix a receptionist types (first page of 50), as
  ``bench_patients.py`` types them; searches write no audit rows, so this is the check alone.

Wall-clock median and p95 of each, their ratio (with / without), and the CPU time per call
(``time.process_time``, which other programs' load disturbs much less than wall-clock time).
The audit trail's length before and after shows the rows were written by the layered calls only.

Usage: ``python benchmarks/bench_audit.py --scale small|full [--rebuild]``
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import SCALES, median, open_demo_copy, parse_args, percentile, report
from bench_patients import PAGE, typed_queries
from bench_scheduling import Setup, _disjoint, _setup
from sqlalchemy import func, select

from frontdesk.accounts.scope import CURRENT, Call
from frontdesk.db.engine import Database
from frontdesk.db.models import AuditEvent
from frontdesk.patients import search_patients
from frontdesk.scheduling import BookingRequest, book_appointment, first_available

BOOKINGS = 120  # per side
ROUNDS = 8

Sample = tuple[float, float]  # wall ms, cpu ms


def _timed(fn: Callable[[], object]) -> Sample:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def _trail_rows(b: Setup) -> int:
    with b.db.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent)) or 0


def _booking_queue(b: Setup) -> list[BookingRequest]:
    """2 x BOOKINGS free consultations that can all be booked, two to five weeks ahead."""
    candidates = first_available(b.db, b.consult, start_from=b.at(14, 8), count=1600)
    slots = _disjoint(candidates, 2 * BOOKINGS)
    if len(slots) < 2 * BOOKINGS:
        raise SystemExit(f"only {len(slots)} bookable slots found for {2 * BOOKINGS} bookings")
    patients = b.patients * 2
    return [
        BookingRequest(p, s.practitioner_id, b.consult, s.start, s.room_id)
        for s, p in zip(slots, patients, strict=False)
    ]


def _below_the_layer(fn: Any) -> Any:
    """``fn`` (the service below ``@operation``) inside the scope an operation opens, with no
    permission check and no audit row: the emails a booking writes beside itself follow the
    operation's scope, so both arms write them and only the layer's own work differs."""

    def call(db: Database, req: BookingRequest, *, now: datetime) -> Any:
        token = CURRENT.set(Call("book_appointment", None, record_changes=False, now=now))
        try:
            return fn(db, req, now=now)
        finally:
            CURRENT.reset(token)

    return call


def measure_booking(b: Setup) -> dict[str, list[Sample]]:
    queue = _booking_queue(b)
    layered = book_appointment
    bare = _below_the_layer(book_appointment.__wrapped__)  # type: ignore[attr-defined]
    calls = {"with": layered, "without": bare}
    for fn in calls.values():  # warm each path once
        fn(b.db, queue.pop(), now=b.now)
    samples: dict[str, list[Sample]] = {"with": [], "without": []}
    per_round = (BOOKINGS - 1) // ROUNDS
    for round_ in range(ROUNDS):
        order = list(calls.items()) if round_ % 2 == 0 else list(reversed(calls.items()))
        for name, fn in order:
            for _ in range(per_round):
                req = queue.pop()
                samples[name].append(_timed(lambda f=fn, r=req: f(b.db, r, now=b.now)))
    return samples


def measure_search(b: Setup) -> dict[str, list[Sample]]:
    queries = typed_queries(b.db)
    layered, bare = search_patients, search_patients.__wrapped__  # type: ignore[attr-defined]
    for query in queries[:10]:
        layered(b.db, query, limit=PAGE)
        bare(b.db, query, limit=PAGE)
    samples: dict[str, list[Sample]] = {"with": [], "without": []}
    for i, query in enumerate(queries):  # each prefix both ways, the order alternating
        pair = [("with", layered), ("without", bare)]
        for name, fn in pair if i % 2 == 0 else reversed(pair):
            samples[name].append(_timed(lambda f=fn, q=query: f(b.db, q, limit=PAGE)))
    return samples


def _report(figure: str, samples: dict[str, list[Sample]]) -> None:
    wall = {k: [w for w, _c in v] for k, v in samples.items()}
    cpu = {k: [c for _w, c in v] for k, v in samples.items()}
    for stat, pick in (("median", median), ("p95", lambda xs: percentile(xs, 95))):
        on, off = pick(wall["with"]), pick(wall["without"])
        report(f"{figure}_with_layer_{stat}", on, "ms", baseline=(f"{figure}_without_{stat}", off))
        print(f"{figure}_layer_{stat}_ratio = {on / off:.2f} x", flush=True)
    on, off = median(cpu["with"]), median(cpu["without"])
    report(
        f"{figure}_with_layer_cpu_median", on, "ms", baseline=(f"{figure}_without_cpu_median", off)
    )
    report(f"{figure}_layer_cpu_cost", on - off, "ms")


def main() -> int:
    args = parse_args((__doc__ or "").splitlines()[0])
    scale = SCALES[args.scale]
    with tempfile.TemporaryDirectory(prefix="bench-audit-") as work:
        db = open_demo_copy(scale, Path(work), rebuild=args.rebuild)
        try:
            b = _setup(db)
            before = _trail_rows(b)
            booking = measure_booking(b)
            written = _trail_rows(b) - before
            search = measure_search(b)
            searched = _trail_rows(b) - before - written
        finally:
            db.dispose()
    print(f"# {len(booking['with'])} bookings each way on the {scale.name} demo")
    print(f"# audit rows written: {written} by the bookings, {searched} by the searches")
    _report("booking", booking)
    print(f"# {len(search['with'])} typed prefixes each way")
    _report("search", search)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
