"""How fast the booking rules answer on a large clinic, and how that grows with its size.

Measures, on the cached demo database (``--scale full``: 100,000 patients / 500,000
appointments; ``small``: a tenth of that), the median and p95 of

* ``booking``: one ``book_appointment`` (every rule, the overlap checks, the insert, commit);
* ``first_available``: ten slots of an initial consultation with any practitioner;
* ``course_preview``: a weekly twelve-session acupuncture course judged session by session;

each beside the raw overlap query it is built on (one indexed range scan of the
``(practitioner_id, start_at)`` index, executed directly on a connection). ``--scale full``
also measures the small database, in rounds alternating with the full one so background load
falls on both alike, and prints the growth ratio of each median (full / small).

Usage: ``python benchmarks/bench_scheduling.py --scale small|full [--rebuild]``
"""

from __future__ import annotations

import random
import sys
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    BENCH_TODAY,
    SCALES,
    Scale,
    median,
    open_demo_copy,
    parse_args,
    percentile,
    report,
    time_calls,
)
from sqlalchemy import Connection, select

from frontdesk.clinic import get_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, AppointmentType, Patient, Practitioner
from frontdesk.domain import ACTIVE_STATUSES, Discipline, Frequency, FrontdeskError
from frontdesk.scheduling import (
    BookingRequest,
    CourseRequest,
    Slot,
    book_appointment,
    first_available,
    preview_course,
)
from frontdesk.scheduling.conflicts import MAX_LENGTH

REPEAT = 80
ROUNDS = 8  # alternating rounds per scale
UTC = UTC


@dataclass(frozen=True)
class Setup:
    """What every measurement on one demo database needs."""

    db: Database
    tz: ZoneInfo
    now: datetime
    consult: int
    acupuncture: int
    acupuncturists: list[int]
    patients: list[int]

    def at(self, days: int, hour: int) -> datetime:
        local = datetime.combine(BENCH_TODAY + timedelta(days=days), time(hour), self.tz)
        return local.astimezone(UTC)


def _setup(db: Database) -> Setup:
    """Type ids, acupuncturists and 400 bookable patients of the demo clinic."""
    with db.read() as s:
        types = dict(s.execute(select(AppointmentType.name, AppointmentType.id)).all())
        acupuncturists = list(
            s.scalars(
                select(Practitioner.id).where(
                    Practitioner.active.is_(True),
                    Practitioner.discipline == Discipline.ACUPUNCTURE.value,
                )
            )
        )
        patients = list(
            s.scalars(select(Patient.id).where(Patient.archived.is_(False)).order_by(Patient.id))
        )
    tz = get_clinic(db).tz
    return Setup(
        db=db,
        tz=tz,
        now=datetime.combine(BENCH_TODAY, time(12), tz).astimezone(UTC),
        consult=types["Initial consultation"],
        acupuncture=types["Acupuncture treatment"],
        acupuncturists=acupuncturists,
        patients=random.Random(7).sample(patients, 400),
    )


def _disjoint(slots: list[Slot], wanted: int) -> list[Slot]:
    """Slots that can all be booked: no two share a practitioner or room at overlapping times."""
    chosen: list[Slot] = []
    for slot in slots:
        if all(
            not (c.start < slot.end and slot.start < c.end)
            or (c.practitioner_id != slot.practitioner_id and c.room_id != slot.room_id)
            for c in chosen
        ):
            chosen.append(slot)
        if len(chosen) == wanted:
            break
    return chosen


def first_available_call(b: Setup) -> Callable[[], object]:
    """Ten slots of an initial consultation, any practitioner, from 08:00 on 35 coming days."""
    calls = iter(range(10**9))
    return lambda: first_available(
        b.db, b.consult, start_from=b.at(1 + next(calls) % 35, 8), count=10
    )


def booking_call(b: Setup, bookings: int) -> Callable[[], object]:
    """Book free consultations two weeks ahead (each timed call is a real insert and commit)."""
    candidates = first_available(b.db, b.consult, start_from=b.at(14, 8), count=800)
    queue = list(zip(_disjoint(candidates, bookings), b.patients, strict=False))
    if len(queue) < bookings:
        raise SystemExit(f"only {len(queue)} bookable slots found for {bookings} bookings")

    def book() -> None:
        slot, patient = queue.pop()
        req = BookingRequest(patient, slot.practitioner_id, b.consult, slot.start, slot.room_id)
        try:
            book_appointment(b.db, req, now=b.now)
        except FrontdeskError as exc:  # a refused booking is not a timing: stop loudly
            raise SystemExit(f"benchmark booking refused: {exc}") from exc

    return book


def course_preview_call(b: Setup, moved: list[int]) -> Callable[[], object]:
    """Weekly twelve-session acupuncture courses; ``moved`` gets the sessions needing a
    suggestion in each."""
    calls = iter(range(10**9))

    def preview() -> None:
        i = next(calls)
        req = CourseRequest(
            patient_id=b.patients[200 + i % 200],
            practitioner_id=b.acupuncturists[i % len(b.acupuncturists)],
            type_id=b.acupuncture,
            sessions=12,
            frequency=Frequency.WEEKLY,
            preferred_time=time(10 + i % 6),
            start_date=BENCH_TODAY + timedelta(days=1 + i % 20),
        )
        moved.append(sum(not p.free for p in preview_course(b.db, req, now=b.now)))

    return preview


def raw_overlap_call(b: Setup, conn: Connection) -> Callable[[], object]:
    """One bounded overlap query on a bare connection: the floor under every check."""
    start = b.at(1, 10)
    stmt = (
        select(Appointment.id)
        .where(
            Appointment.practitioner_id == b.acupuncturists[0],
            Appointment.start_at < start + timedelta(hours=1),
            Appointment.start_at > start - MAX_LENGTH,
            Appointment.end_at > start,
            Appointment.status.in_(ACTIVE_STATUSES),
        )
        .limit(1)
    )
    return lambda: conn.execute(stmt).first()


def interleaved(calls: dict[str, Callable[[], object]], repeat: int) -> dict[str, list[float]]:
    """Samples of each scale's call, taken in alternating rounds so that load from other
    programs on the machine falls on every scale alike and the growth ratio stays fair."""
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for round_ in range(ROUNDS):
        for name, call in calls.items():
            samples[name] += time_calls(call, repeat=repeat // ROUNDS, warmup=int(round_ == 0))
    return samples


def measure(scales: list[Scale], rebuild: bool) -> dict[str, dict[str, float]]:
    """Every figure for every scale, printed per scale; returns the medians."""
    names = [scale.name for scale in scales]
    moved: dict[str, list[int]] = {name: [] for name in names}
    with tempfile.TemporaryDirectory(prefix="bench-scheduling-") as work, ExitStack() as stack:
        setups: dict[str, Setup] = {}
        for scale in scales:
            folder = Path(work) / scale.name
            folder.mkdir()
            db = open_demo_copy(scale, folder, rebuild=rebuild)
            stack.callback(db.dispose)
            setups[scale.name] = _setup(db)
        conns = {n: stack.enter_context(b.db.engine.connect()) for n, b in setups.items()}
        figures = {
            "first_available": interleaved(
                {n: first_available_call(b) for n, b in setups.items()}, REPEAT
            ),
            "booking": interleaved(
                {n: booking_call(b, REPEAT + ROUNDS) for n, b in setups.items()}, REPEAT
            ),
            "course_preview": interleaved(
                {n: course_preview_call(b, moved[n]) for n, b in setups.items()}, REPEAT
            ),
            "raw_overlap_query": interleaved(
                {n: raw_overlap_call(b, conns[n]) for n, b in setups.items()}, REPEAT * 5
            ),
        }
    for name in names:
        raw = (f"{name}_raw_overlap_query_median", median(figures["raw_overlap_query"][name]))
        for figure, by_scale in figures.items():
            samples = by_scale[name]
            baseline = raw if figure != "raw_overlap_query" else None
            report(f"{name}_{figure}_median", median(samples), "ms", baseline=baseline)
            report(f"{name}_{figure}_p95", percentile(samples, 95), "ms")
        # A preview's work grows with the sessions needing a suggestion: that depends on how
        # booked the practitioners are, not on the size of the history.
        needing = median(moved[name])
        report(f"{name}_course_preview_sessions_needing_suggestion", needing, "sessions")
    return {
        name: {figure: median(by_scale[name]) for figure, by_scale in figures.items()}
        for name in names
    }


def main() -> int:
    args = parse_args(__doc__ or "")
    scales = [SCALES["full"], SCALES["small"]] if args.scale == "full" else [SCALES[args.scale]]
    medians = measure(scales, args.rebuild)
    if args.scale == "full":
        for figure, value in medians["full"].items():
            report(f"growth_{figure}_full_over_small", value / medians["small"][figure], "x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
