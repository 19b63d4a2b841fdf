"""Fifty desks booking, moving and cancelling at once against one PostgreSQL server.

A clinic group sharing one server: each desk is its own OS process with its own connection,
signed in as its own reception account (``desk01``…), and goes through Frontdesk's services as
the window would, without pausing between actions (a closed loop: the figures are what the
server and this machine give at saturation, not a receptionist's pace):

* book: ask ``first_available`` for five slots from a random hour of the coming days (with one
  practitioner or any), pick one, book a random patient into it;
* move: read a day (``day_schedule``), pick a booked visit, ask for its practitioner's free
  slots, and ``reschedule`` it into one with the version it read;
* cancel: read a day and ``cancel`` a booked visit with the version it read;
* live refresh: about once a second, as the window does, ask whether another desk changed
  something (PostgreSQL ``LISTEN`` on a connection of its own) and if so read the day the
  desk's calendar shows again.

The desks look at the same few days, so they keep meeting: two desks offered the same slot, a
visit moved at one desk while another cancels it. Every refusal is a domain error and is
counted by its reason; anything else is an unexpected error, printed, and fails the run (exit
code 1). At the end, SQL looks for overlapping active appointments of a practitioner, a room
or a patient (window functions over the whole table, independent of the exclusion
constraints), the appointments added are counted against the bookings reported, and the audit
trail's hash chain is verified.

The data is the full-scale demo clinic of the other benchmarks (``_postgres``); the server a
throw-away one on loopback with PostgreSQL's default durability, or ``--postgres URL``.

``--pause S`` makes each desk wait about S seconds between actions instead (0.5 S to 1.5 S),
for the latency at a pace below saturation.

Usage: ``python benchmarks/bench_load.py [--desks 50] [--seconds 300] [--pause 0] [--days 5]
[--scale full] [--postgres URL]``
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import queue
import random
import resource
import secrets
import sys
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    BENCH_TODAY,
    SCALES,
    median,
    parse_args,
    percentile,
    report,
    sign_in_as_demo_admin,
)
from _postgres import Server, demo_template, postgres_server, server_settings
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from frontdesk.accounts.service import add_account, authenticate
from frontdesk.accounts.trail import verify_audit
from frontdesk.accounts.types import AccountInput
from frontdesk.clinic import get_clinic
from frontdesk.db.changes import ChangeWatcher
from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, Patient
from frontdesk.db.open import open_database
from frontdesk.domain import (
    ACTIVE_STATUSES,
    AppointmentStatus,
    BookingConflict,
    BookingError,
    DatabaseUnavailable,
    FrontdeskError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    Role,
    SignInFailed,
    SlotTaken,
    StaleRecord,
    ValidationError,
)
from frontdesk.scheduling import (
    BookingRequest,
    book_appointment,
    cancel,
    day_schedule,
    first_available,
    list_appointment_types,
    practitioners_for_type,
    reschedule,
)

T = TypeVar("T")
BUSY = {
    "55P03": "waited longer than lock_timeout for another desk",
    "57014": "statement_timeout",
    "40P01": "deadlock, twice",
    "40001": "serialization failure, twice",
}
WEIGHTS = {"book": 4, "move": 3, "cancel": 2}  # a desk's actions, relatively
PATIENTS = 2_000  # the patients the desks book (random sample of the clinic's)
NOW = datetime.combine(BENCH_TODAY, clock_time(12))  # made aware in the clinic's zone below


@dataclass(frozen=True)
class Plan:
    """What every desk works on: the days, the types and who gives them, the patients."""

    url: str
    password: str
    now: datetime
    days: list[tuple[date, datetime]]  # a working day and its 08:00 as a UTC instant
    types: dict[int, list[int]]  # appointment type -> practitioners giving it
    patients: list[int]
    pause: float  # seconds between a desk's actions, on average (0: none)


@dataclass
class Outcome:
    """One call a desk made: which, how it ended, how long it took."""

    kind: str
    result: str  # "ok", a refusal's reason, or "error"
    ms: float


# ----- one desk ---------------------------------------------------------------------------------


def _cause(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, kind):
            return seen
        seen = seen.__cause__
    return None


def refusal_reason(exc: FrontdeskError) -> str | None:
    """A refusal's reason in a few words, or None when it is not a refusal at all."""
    if isinstance(exc, PermissionDenied | SignInFailed):
        return None  # a desk signed in as reception may do all of this: a bug
    if isinstance(exc, SlotTaken):
        constraint = _cause(exc, IntegrityError)
        if constraint is not None:
            return "clash: refused by the server's exclusion constraint"
        seen = _cause(exc.__cause__, BookingConflict) if exc.__cause__ else None
        short = seen.short if isinstance(seen, BookingConflict) and seen.short else "time"
        return f"clash under the row locks: {short}"
    if isinstance(exc, BookingConflict):
        return f"clash at the check: {exc.short or 'time taken'}"
    if isinstance(exc, StaleRecord):
        return "stale version (changed at another desk)"
    if isinstance(exc, InvalidTransition):
        return "no longer booked"
    if isinstance(exc, DatabaseUnavailable):
        failure = _cause(exc, DBAPIError)
        state = getattr(getattr(failure, "orig", None), "sqlstate", None)
        return "busy: " + BUSY.get(state or "", f"{type(exc).__name__} {state or ''}".strip())
    if isinstance(exc, NotFound):
        return "gone"
    if isinstance(exc, ValidationError):
        return f"invalid: {', '.join(sorted(exc.errors))}"
    if isinstance(exc, BookingError):
        return f"rule: {exc.short or str(exc)[:60]}"
    return None


class Desk:
    """One workstation's loop; runs in its own process."""

    def __init__(self, index: int, plan: Plan, db: Database) -> None:
        self.plan = plan
        self.db = db
        self.rng = random.Random(index)
        self.outcomes: list[Outcome] = []
        self.errors: list[str] = []
        self.notices = 0  # polls that found another desk's change
        self.shown = plan.days[0][0]  # the day this desk's calendar shows

    def call(self, kind: str, fn: Callable[[], T]) -> T | None:
        started = time.perf_counter()
        try:
            value = fn()
        except FrontdeskError as exc:
            reason = refusal_reason(exc)
            if reason is None:
                self._error(kind, exc)
            self.outcomes.append(Outcome(kind, reason or "error", _ms(started)))
            return None
        except Exception as exc:  # anything else is a bug the run must show
            self._error(kind, exc)
            self.outcomes.append(Outcome(kind, "error", _ms(started)))
            return None
        self.outcomes.append(Outcome(kind, "ok", _ms(started)))
        return value

    def _error(self, kind: str, exc: BaseException) -> None:
        if len(self.errors) < 5:
            self.errors.append(f"{kind}: {''.join(traceback.format_exception(exc))}")

    def run(self, deadline: float, pause: float) -> None:
        """Work until ``deadline``. Like the window, look for other desks' changes about once
        a second (``ChangeWatcher``: PostgreSQL ``LISTEN`` on a connection of its own) and,
        when there was one, read the day on screen again as the open calendar does."""
        actions = {"book": self.book, "move": self.move, "cancel": self.cancel}
        names, weights = list(WEIGHTS), list(WEIGHTS.values())
        watcher = ChangeWatcher(self.db)
        next_poll = time.time() + 1
        try:
            while time.time() < deadline:
                actions[self.rng.choices(names, weights)[0]]()
                if time.time() >= next_poll:
                    if watcher.poll():
                        self.notices += 1
                        self.refresh()
                    next_poll = time.time() + 1
                if pause:
                    wait = min(self.rng.uniform(0.5, 1.5) * pause, deadline - time.time())
                    time.sleep(max(0.0, wait))
        finally:
            watcher.close()

    def refresh(self) -> None:
        """Another desk changed something: the open calendar reads its day again."""
        self.call("live_refresh", lambda: day_schedule(self.db, self.shown))

    def _start(self) -> datetime:
        """08:00 to 17:00 of one of the days, on the hour."""
        _day, eight = self.rng.choice(self.plan.days)
        return eight + timedelta(hours=self.rng.randrange(10))

    def book(self) -> None:
        type_id = self.rng.choice(list(self.plan.types))
        who = self.rng.choice([None, *self.plan.types[type_id]])
        patient = self.rng.choice(self.plan.patients)
        start_from = self._start()
        slots = self.call(
            "find_slots",
            lambda: first_available(
                self.db, type_id, start_from=start_from, count=5, practitioner_id=who
            ),
        )
        if not slots:
            return
        slot = self.rng.choice(slots)
        req = BookingRequest(patient, slot.practitioner_id, type_id, slot.start, slot.room_id)
        self.call("book", lambda: book_appointment(self.db, req, now=self.plan.now))

    def _booked_visit(self) -> Any:
        day, _eight = self.rng.choice(self.plan.days)
        self.shown = day
        schedule = self.call("read_day", lambda: day_schedule(self.db, day))
        if schedule is None:
            return None
        booked = [a for a in schedule.appointments if a.status is AppointmentStatus.BOOKED]
        return self.rng.choice(booked) if booked else None

    def move(self) -> None:
        visit = self._booked_visit()
        if visit is None:
            return
        start_from = self._start()
        slots = self.call(
            "find_slots",
            lambda: first_available(
                self.db,
                visit.type_id,
                start_from=start_from,
                count=5,
                practitioner_id=visit.practitioner_id,
                patient_id=visit.patient_id,
            ),
        )
        if not slots:
            return
        slot = self.rng.choice(slots)
        self.call(
            "move",
            lambda: reschedule(
                self.db,
                visit.id,
                slot.start,
                now=self.plan.now,
                room_id=slot.room_id,
                expected_version=visit.version,
            ),
        )

    def cancel(self) -> None:
        visit = self._booked_visit()
        if visit is None:
            return
        self.call(
            "cancel",
            lambda: cancel(
                self.db,
                visit.id,
                "Patient called to cancel",
                now=self.plan.now,
                expected_version=visit.version,
            ),
        )


def tally(name: str, value: int, unit: str) -> None:
    """``report`` for a count: ``name = 12 unit``."""
    print(f"{name} = {value} {unit}", flush=True)


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def desk_process(
    index: int, plan: Plan, ready: Any, go: Event, deadline: Any, results: Any
) -> None:
    """A desk: open the database as the app does, sign in, wait for the start, work, report."""
    try:
        db = open_database(plan.url)
        actor = authenticate(db, f"desk{index:02}", plan.password, now=datetime.now(UTC))
        desk = Desk(index, plan, db.as_actor(actor))
    except Exception:
        ready.put((index, traceback.format_exc()))
        return
    ready.put((index, None))
    go.wait()
    cpu = _cpu(resource.RUSAGE_SELF)
    try:
        desk.run(deadline.value, plan.pause)
    except Exception:  # the loop itself failed: the run must show it, not hang
        desk.errors.append(f"desk loop: {traceback.format_exc()}")
        desk.outcomes.append(Outcome("desk", "error", 0.0))
    finished, cpu = time.time(), _cpu(resource.RUSAGE_SELF) - cpu
    db.dispose()
    rows = [(o.kind, o.result, o.ms) for o in desk.outcomes]
    results.put((index, rows, desk.errors, desk.notices, finished, cpu))


# ----- the run ----------------------------------------------------------------------------------


def _prepare(server: Server, args: argparse.Namespace) -> Plan:
    """A fresh copy of the demo clinic with one reception account per desk."""
    template = demo_template(server, SCALES[args.scale], rebuild=args.rebuild)
    name = server.copy(template, f"{template}_load")
    server.drop(template)
    url = server.url(name)
    admin = sign_in_as_demo_admin(open_database(url))
    password = secrets.token_urlsafe(16)
    created = datetime.now(UTC)
    for i in range(1, args.desks + 1):
        add_account(
            admin, AccountInput(f"desk{i:02}", f"Desk {i}", Role.RECEPTION), password, now=created
        )
    tz = get_clinic(admin).tz
    now = NOW.replace(tzinfo=tz).astimezone(UTC)
    window: list[tuple[date, datetime]] = []
    day = BENCH_TODAY
    while len(window) < args.days:
        day += timedelta(days=1)
        if day_schedule(admin, day).opening is not None:
            eight = datetime.combine(day, clock_time(8), tz).astimezone(UTC)
            window.append((day, eight))
    types = {
        t.id: [p.id for p in practitioners_for_type(admin, t.id)]
        for t in list_appointment_types(admin)
    }
    with admin.read() as s:
        pool = list(s.scalars(select(Patient.id).where(Patient.archived.is_(False))))
    patients = random.Random(2026).sample(pool, min(PATIENTS, len(pool)))
    admin.dispose()
    return Plan(url, password, now, window, types, patients, args.pause)


def _overlaps(db: Database, column: str) -> int:
    """Active appointments starting before an earlier-starting active one of the same
    practitioner, room or patient ends: zero when no two overlap."""
    key = getattr(Appointment, column)
    earlier_end = func.max(Appointment.end_at).over(
        partition_by=key, order_by=(Appointment.start_at, Appointment.id), rows=(None, -1)
    )
    ordered = (
        select(Appointment.start_at.label("start_at"), earlier_end.label("earlier_end"))
        .where(Appointment.status.in_(ACTIVE_STATUSES), key.is_not(None))
        .subquery()
    )
    query = (
        select(func.count()).select_from(ordered).where(ordered.c.start_at < ordered.c.earlier_end)
    )
    with db.read() as s:
        return int(s.scalar(query) or 0)


def _server_counters(db: Database) -> dict[str, int]:
    with db.read() as s:
        row = s.execute(
            text(
                "SELECT xact_commit, deadlocks FROM pg_stat_database "
                "WHERE datname = current_database()"
            )
        ).one()
    return {"commits": row[0], "deadlocks": row[1]}


def _sample_sessions(db: Database, until: float) -> Counter[str]:
    """What the desks' server sessions are doing, looked at once a second until ``until``:
    running, waiting for a lock (which), or inside a transaction waiting for their desk."""
    seen: Counter[str] = Counter()
    query = text(
        "SELECT state, wait_event_type, wait_event FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid() "
        "AND backend_type = 'client backend' AND query NOT LIKE 'LISTEN%'"
    )
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        while time.time() < until:
            for state, kind, event in conn.execute(query):
                if state == "active":
                    seen[f"active, {kind}: {event}" if kind else "active, running"] += 1
                elif state == "idle in transaction":
                    seen["in a transaction, waiting for its desk"] += 1
                else:
                    seen[f"{state}, between calls"] += 1
            time.sleep(1)
    return seen


def _start_desks(plan: Plan, desks: int, seconds: float) -> tuple[list[Any], Any, float]:
    ctx = multiprocessing.get_context("spawn")
    ready, results, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    deadline = ctx.Value("d", 0.0)
    procs = [
        ctx.Process(target=desk_process, args=(i, plan, ready, go, deadline, results))
        for i in range(1, desks + 1)
    ]
    started = time.perf_counter()
    for proc in procs:
        proc.start()
    for _ in procs:
        index, problem = ready.get(timeout=600)
        if problem is not None:
            go.set()
            raise SystemExit(f"desk {index} could not start:\n{problem}")
    report("load_desks_ready_seconds", time.perf_counter() - started, "s")
    began = time.time()
    deadline.value = began + seconds
    go.set()
    return procs, results, began


def _collect(procs: list[Any], results: Any) -> tuple[list[Outcome], list[str], list[int], float]:
    """What every desk did, its unexpected errors and change notices, and when the last one
    stopped (``time.time()``)."""
    outcomes: list[Outcome] = []
    errors: list[str] = []
    notices: list[int] = []
    last = cpu_seconds = 0.0
    for _ in procs:
        try:
            _index, rows, errs, seen, finished, cpu = results.get(timeout=300)
        except queue.Empty:
            raise SystemExit("a desk did not report back within 5 minutes of the end") from None
        outcomes += [Outcome(*row) for row in rows]
        errors += errs
        notices.append(seen)
        last = max(last, finished)
        cpu_seconds += cpu
    for proc in procs:
        proc.join(timeout=60)
    return outcomes, errors, notices, last, cpu_seconds


def _report_outcomes(outcomes: list[Outcome], seconds: float) -> None:
    kinds: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        kinds[o.kind].append(o)
    writes = sum(len(kinds[k]) for k in ("book", "move", "cancel"))
    report("load_operations_per_second", len(outcomes) / seconds, "ops/s")
    report("load_writes_per_second", writes / seconds, "ops/s")
    for kind in ("find_slots", "read_day", "live_refresh", "book", "move", "cancel"):
        done = kinds.get(kind, [])
        if not done:
            continue
        ms = [o.ms for o in done]
        ok = sum(o.result == "ok" for o in done)
        report(f"load_{kind}_per_second", len(done) / seconds, "ops/s")
        tally(f"load_{kind}_calls", len(done), "calls")
        tally(f"load_{kind}_succeeded", ok, "calls")
        report(f"load_{kind}_p50", median(ms), "ms")
        report(f"load_{kind}_p95", percentile(ms, 95), "ms")
        report(f"load_{kind}_max", max(ms), "ms")
    refusals = Counter((o.kind, o.result) for o in outcomes if o.result not in ("ok", "error"))
    print("# refusals by reason (operation: reason = count)")
    for (kind, reason), count in sorted(refusals.items()):
        print(f"refused {kind}: {reason} = {count}")
    tally("load_refusals", sum(refusals.values()), "calls")


def _check(db: Database, server: Server, before: dict[str, int], added: int, booked: int) -> int:
    """The end checks; how many failed."""
    failed = 0
    for column, who in (("practitioner_id", "practitioner"), ("room_id", "room")):
        n = _overlaps(db, column)
        tally(f"overlapping_active_appointments_per_{who}", n, "appointments")
        failed += n != 0
    n = _overlaps(db, "patient_id")
    tally("overlapping_active_appointments_per_patient", n, "appointments")
    failed += n != 0
    tally("appointments_added", added, "rows")
    tally("bookings_reported_ok", booked, "bookings")
    failed += added != booked
    chain = verify_audit(db)
    tally("audit_rows_verified", chain.rows, "rows")
    if not chain.ok:
        print(f"# audit chain broken: {chain.problem}")
        failed += 1
    after = _server_counters(db)
    # Every connection check the pool makes before lending a connection counts as one too.
    tally("server_commits", after["commits"] - before["commits"], "transactions")
    tally("server_deadlocks", after["deadlocks"] - before["deadlocks"], "deadlocks")
    for phrase, name in (
        ("violates exclusion constraint", "server_exclusion_violations_logged"),
        ("deadlock detected", "server_deadlocks_logged"),
        ("lock timeout", "server_lock_timeouts_logged"),
    ):
        count = server.log_count(phrase)
        if count is not None:
            tally(name, count, "lines")
    return failed


def _options(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(scale="full")
    parser.add_argument("--desks", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--days", type=int, default=5, help="working days the desks book into")
    parser.add_argument(
        "--pause",
        type=float,
        default=0.0,
        help="seconds a desk waits between actions, on average (default 0: none)",
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="a PostgreSQL server to use (a role that may create databases) instead of "
        "starting a throw-away one; put its password in ~/.pgpass or PGPASSWORD",
    )


def main() -> int:
    args = parse_args(__doc__ or "", extra=_options)
    print(f"# {os.cpu_count()} CPUs; load average before: {os.getloadavg()}", flush=True)
    # Each desk holds two connections: its services' and the one listening for changes.
    with postgres_server(args.postgres, connections=2 * args.desks + 20) as server:
        print(f"# PostgreSQL: {server_settings(server)}", flush=True)
        plan = _prepare(server, args)
        print(
            f"# {args.desks} desks, {args.seconds:.0f} s, pause {args.pause:g} s, booking into "
            f"{len(plan.days)} days from {plan.days[0][0]} for {len(plan.patients)} patients",
            flush=True,
        )
        watcher = sign_in_as_demo_admin(open_database(plan.url), "admin_")
        with watcher.read() as s:
            first_new = int(s.scalar(select(func.max(Appointment.id))) or 0) + 1
        before = _server_counters(watcher)
        server_cpu = server.cpu_seconds()
        procs, results, began = _start_desks(plan, args.desks, args.seconds)
        sessions = _sample_sessions(watcher, began + args.seconds)
        outcomes, errors, notices, last, desks_cpu = _collect(procs, results)
        elapsed = last - began
        print(f"# load average at the end: {os.getloadavg()}", flush=True)
        report("load_seconds", elapsed, "s")
        report("desks_cpu_seconds", desks_cpu, "s")
        if server_cpu is not None:
            report("server_cpu_seconds", (server.cpu_seconds() or 0.0) - server_cpu, "s")
        _report_outcomes(outcomes, elapsed)
        unexpected = sum(o.result == "error" for o in outcomes)
        tally("unexpected_errors", unexpected, "calls")
        for error in errors[:10]:
            print(f"# unexpected error at {error}")
        tally("change_notices_per_desk_median", int(median(notices)), "polls that found one")
        total = sum(sessions.values())
        print("# the desks' server sessions, sampled once a second (share of samples)")
        for what, n in sessions.most_common():
            print(f"sessions {what} = {100 * n / total:.1f} %")
        with watcher.read() as s:
            added = (
                s.scalar(select(func.count(Appointment.id)).where(Appointment.id >= first_new)) or 0
            )
        booked = sum(o.kind == "book" and o.result == "ok" for o in outcomes)
        failed = _check(watcher, server, before, int(added), booked)
        watcher.dispose()
    return 1 if unexpected or failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
