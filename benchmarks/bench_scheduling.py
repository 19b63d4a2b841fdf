"""How fast the booking rules answer on a large clinic, and how that grows with its size.

Measures, on the cached demo database (``--scale full``: 100,000 patients / 500,000
appointments; ``small``: a tenth of that), the median and p95 of

* ``booking``: one ``book_appointment`` (every rule, the overlap checks, the insert, commit);
* ``first_available``: ten slots of an initial consultation with any practitioner;
* ``course_preview``: a weekly twelve-session acupuncture course judged session by session;

each beside the raw overlap query it is built on (one indexed range scan of the
``(practitioner_id, start_at)`` index, executed directly on a connection). ``--scale full``
also measures the small database and prints the growth ratio of each median (full / small).

Usage: ``python benchmarks/bench_scheduling.py --scale small|full [--rebuild]``
"""

from __future__ import annotations

import random
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
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
from sqlalchemy import select  # noqa: E402

from frontdesk.clinic import get_clinic  # noqa: E402
from frontdesk.db.engine import Database  # noqa: E402
from frontdesk.db.models import Appointment, AppointmentType, Patient, Practitioner  # noqa: E402
from frontdesk.domain import ACTIVE_STATUSES, Discipline, FrontdeskError, Frequency  # noqa: E402
from frontdesk.scheduling import (  # noqa: E402
    BookingRequest,
    CourseRequest,
    Slot,
    book_appointment,
    first_available,
    preview_course,
)
from frontdesk.scheduling.conflicts import MAX_LENGTH  # noqa: E402

REPEAT = 40
UTC = timezone.utc


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


def time_first_available(b: Setup) -> list[float]:
    """Ten slots of an initial consultation, any practitioner, from 08:00 on 35 coming days."""
    calls = iter(range(10**9))

    def search() -> None:
        day = 1 + next(calls) % 35
        first_available(b.db, b.consult, start_from=b.at(day, 8), count=10)

    return time_calls(search, repeat=REPEAT)


def time_booking(b: Setup) -> list[float]:
    """Book free consultations two weeks ahead (each timed call is a real insert and commit)."""
    candidates = first_available(b.db, b.consult, start_from=b.at(14, 8), count=400)
    slots = _disjoint(candidates, REPEAT + 1)
    queue = list(zip(slots, b.patients))

    def book() -> None:
        slot, patient = queue.pop()
        req = BookingRequest(patient, slot.practitioner_id, b.consult, slot.start, slot.room_id)
        try:
            book_appointment(b.db, req, now=b.now)
        except FrontdeskError as exc:  # a refused booking is not a timing: stop loudly
            raise SystemExit(f"benchmark booking refused: {exc}") from exc

    return time_calls(book, repeat=len(queue) - 1)


def time_course_preview(b: Setup) -> tuple[list[float], list[int]]:
    """Weekly twelve-session acupuncture courses; also how many sessions needed a suggestion."""
    calls = iter(range(10**9))
    moved: list[int] = []

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

    return time_calls(preview, repeat=REPEAT), moved


def time_raw_overlap(b: Setup) -> list[float]:
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
    with b.db.engine.connect() as conn:
        return time_calls(lambda: conn.execute(stmt).first(), repeat=REPEAT * 5)


def measure(scale: Scale, rebuild: bool) -> dict[str, float]:
    """Every figure for one scale, printed as it is measured; returns the medians."""
    with tempfile.TemporaryDirectory(prefix="bench-scheduling-") as work:
        db = open_demo_copy(scale, Path(work), rebuild=rebuild)
        try:
            b = _setup(db)
            figures = {"first_available": time_first_available(b), "booking": time_booking(b)}
            figures["course_preview"], moved = time_course_preview(b)
            figures["raw_overlap_query"] = time_raw_overlap(b)
        finally:
            db.dispose()
    raw = (f"{scale.name}_raw_overlap_query_median", median(figures["raw_overlap_query"]))
    for name, samples in figures.items():
        baseline = raw if name != "raw_overlap_query" else None
        report(f"{scale.name}_{name}_median", median(samples), "ms", baseline=baseline)
        report(f"{scale.name}_{name}_p95", percentile(samples, 95), "ms")
    # A preview's work grows with the sessions needing a suggestion: that depends on how
    # booked the practitioners are, not on the size of the history.
    report(f"{scale.name}_course_preview_sessions_needing_suggestion", median(moved), "sessions")
    return {name: median(samples) for name, samples in figures.items()}


def main() -> int:
    args = parse_args(__doc__ or "")
    full = measure(SCALES[args.scale], args.rebuild)
    if args.scale == "full":
        small = measure(SCALES["small"], args.rebuild)
        for name, value in full.items():
            report(f"growth_{name}_full_over_small", value / small[name], "x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
