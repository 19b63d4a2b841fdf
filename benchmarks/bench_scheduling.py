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
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

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


def _ids(db: Database) -> tuple[int, int, list[int], list[int]]:
    """Consultation and acupuncture type ids, acupuncturists, and some bookable patients."""
    with db.read() as s:
        consult = s.scalar(select(AppointmentType.id).where(AppointmentType.name == "Initial consultation"))
        acupuncture = s.scalar(select(AppointmentType.id).where(AppointmentType.name == "Acupuncture treatment"))
        acupuncturists = list(s.scalars(select(Practitioner.id).where(
            Practitioner.active.is_(True), Practitioner.discipline == Discipline.ACUPUNCTURE.value)))
        patients = list(s.scalars(select(Patient.id).where(Patient.archived.is_(False)).order_by(Patient.id)))
    assert consult and acupuncture and acupuncturists and patients
    return consult, acupuncture, acupuncturists, random.Random(7).sample(patients, 400)


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


def _raw_overlap_samples(db: Database, practitioner_id: int, start: datetime) -> list[float]:
    """One bounded overlap query on a bare connection: the floor under every check."""
    stmt = select(Appointment.id).where(
        Appointment.practitioner_id == practitioner_id,
        Appointment.start_at < start + timedelta(hours=1),
        Appointment.start_at > start - MAX_LENGTH,
        Appointment.end_at > start,
        Appointment.status.in_(ACTIVE_STATUSES),
    ).limit(1)
    with db.engine.connect() as conn:
        return time_calls(lambda: conn.execute(stmt).first(), repeat=REPEAT * 5)


def measure(scale: Scale, rebuild: bool) -> dict[str, float]:
    """Every figure for one scale, printed as it is measured; returns the medians."""
    medians: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-scheduling-") as work:
        db = open_demo_copy(scale, Path(work), rebuild=rebuild)
        try:
            tz = get_clinic(db).tz
            consult, acupuncture, acupuncturists, patients = _ids(db)
            now = datetime.combine(BENCH_TODAY, time(12), tz).astimezone(UTC)
            starts_from = [
                datetime.combine(BENCH_TODAY + timedelta(days=d), time(8), tz).astimezone(UTC)
                for d in range(1, 36)
            ]
            pick = iter(range(10**9))

            def search() -> None:
                i = next(pick)
                first_available(db, consult, start_from=starts_from[i % len(starts_from)], count=10)

            figures: dict[str, list[float]] = {"first_available": time_calls(search, repeat=REPEAT)}

            week_ahead = datetime.combine(BENCH_TODAY + timedelta(days=14), time(8), tz).astimezone(UTC)
            slots = _disjoint(first_available(db, consult, start_from=week_ahead, count=400), REPEAT + 1)
            queue = list(zip(slots, patients))

            def book() -> None:
                slot, patient = queue.pop()
                try:
                    book_appointment(db, BookingRequest(patient, slot.practitioner_id, consult,
                                                        slot.start, slot.room_id), now=now)
                except FrontdeskError as exc:  # reported: a refused booking is not a timing
                    raise SystemExit(f"benchmark booking refused: {exc}") from exc

            figures["booking"] = time_calls(book, repeat=len(queue) - 1)

            def course() -> None:
                i = next(pick)
                req = CourseRequest(
                    patient_id=patients[200 + i % 200], practitioner_id=acupuncturists[i % len(acupuncturists)],
                    type_id=acupuncture, sessions=12, frequency=Frequency.WEEKLY,
                    preferred_time=time(10 + i % 6), start_date=BENCH_TODAY + timedelta(days=1 + i % 20),
                )
                preview_course(db, req, now=now)

            figures["course_preview"] = time_calls(course, repeat=REPEAT)
            figures["raw_overlap_query"] = _raw_overlap_samples(db, acupuncturists[0], starts_from[0])
            for name, samples in figures.items():
                medians[name] = median(samples)
                baseline = None
                if name != "raw_overlap_query":
                    baseline = (f"{scale.name}_raw_overlap_query_median", median(figures["raw_overlap_query"]))
                report(f"{scale.name}_{name}_median", median(samples), "ms", baseline=baseline)
                report(f"{scale.name}_{name}_p95", percentile(samples, 95), "ms")
        finally:
            db.dispose()
    return medians


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
