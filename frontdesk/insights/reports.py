"""The clinic's reports (issue 17, item 7): revenue, balances by age, missed visits,
utilisation, new patients by referral source.

Each report is one aggregate query (GROUP BY in the database, over the date indexes), never a
loop over the rows in Python, so a year of a 500,000-visit clinic takes well under a second
(``benchmarks/bench_reports.py``). Days are the clinic's: a period's instants run from local
midnight of its first day to local midnight after its last, and months of instants are cut at
local midnight too (a CASE over the month boundaries, computed here, the same on SQLite and
PostgreSQL).

What the figures count:
- revenue: issued invoices (voided ones left out, their reissues counted) by the date issued;
  services and products before tax, the GST, and the total;
- balances by age: what each invoice issued by the day still owed at the end of that day, by
  days since issue; credit on account is not a debt and is not aged;
- missed visits: of the visits due (every booking in the period except those cancelled in
  good time), how many were no-shows and how many late cancellations;
- utilisation: booked time (every booking not cancelled, no-shows included: the time was
  held) over working time (weekly hours inside opening hours, less breaks, closures and
  holidays), as the booking rules compute them;
- new patients: records created in the period by month and "referred by".
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

from frontdesk.accounts.operation import operation
from frontdesk.clinic import ClinicInfo, load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    AdverseEvent,
    Appointment,
    AppointmentType,
    Invoice,
    Patient,
    PaymentAllocation,
    Practitioner,
)
from frontdesk.domain import ValidationError
from frontdesk.insights.types import Column, Kind, Report, Value
from frontdesk.needling.types import AdverseKind
from frontdesk.scheduling.availability import Calendar
from frontdesk.scheduling.localtime import to_utc

NO_PRACTITIONER = "No practitioner (sales)"
NO_APPOINTMENT = "No appointment (sales)"
NOT_RECORDED = "Not recorded"
AGE_BUCKETS = ("0–30 days", "31–60 days", "61–90 days", "Over 90 days")
LONGEST_PERIOD_DAYS = 3 * 366 + 1  # beyond this a report is refused, not slowly built

REVENUE_COLUMNS = (
    Column("Invoices", Kind.COUNT),
    Column("Before tax", Kind.MONEY),
    Column("GST", Kind.MONEY),
    Column("Total", Kind.MONEY),
)
REVENUE_NOTE = (
    "Issued invoices by the day they were issued: visits, products and missed-visit fees; "
    "voided invoices are left out and their reissues counted."
)


# ----- periods --------------------------------------------------------------------------------


def check_period(first: date, last: date) -> None:
    """Refuse a period that ends before it starts or is longer than three years."""
    if last < first:
        raise ValidationError({"last_day": "The last day is before the first day."})
    if (last - first).days >= LONGEST_PERIOD_DAYS:
        raise ValidationError({"first_day": "Choose a period of at most three years."})


def period_words(first: date, last: date) -> str:
    return f"{_day(first)} to {_day(last)}"


def _day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def _bounds(clinic: ClinicInfo, first: date, last: date) -> tuple[datetime, datetime]:
    """The instants of local midnight starting ``first`` and ending ``last``."""
    return to_utc(first, time(0), clinic.tz), to_utc(last + timedelta(days=1), time(0), clinic.tz)


def month_starts(first: date, last: date) -> list[date]:
    """The first day of every month the period touches, in order."""
    months, at = [], first.replace(day=1)
    while at <= last:
        months.append(at)
        at = (at + timedelta(days=32)).replace(day=1)
    return months


def _month_of_instant(column: Any, clinic: ClinicInfo, first: date, last: date) -> Any:
    """A CASE giving the index (into ``month_starts``) of the local month an instant is in."""
    starts = month_starts(first, last)
    whens = [
        (column < to_utc(m, time(0), clinic.tz), literal(i - 1)) for i, m in enumerate(starts) if i
    ]
    return case(*whens, else_=literal(len(starts) - 1)) if whens else literal(0)


def _minutes_between(session: Session, start: Any, end: Any) -> ColumnElement[Any]:
    """Minutes from ``start`` to ``end``, in the database's own date arithmetic."""
    if session.get_bind().dialect.name == "sqlite":
        return func.round((func.julianday(end) - func.julianday(start)) * 1440)
    return func.round(func.extract("epoch", end - start) / 60)


# ----- revenue --------------------------------------------------------------------------------


def _revenue_sums() -> tuple[Any, ...]:
    return (
        func.count(Invoice.id),
        func.coalesce(func.sum(Invoice.subtotal_cents), 0),
        func.coalesce(func.sum(Invoice.tax_cents), 0),
        func.coalesce(func.sum(Invoice.total_cents), 0),
    )


def _issued_in(first: date, last: date) -> ColumnElement[bool]:
    return and_(Invoice.status == "issued", Invoice.issued_on.between(first, last))


def _money_row(label: Value, sums: Any) -> tuple[Value, ...]:
    return (label, *(int(v) for v in sums))


@operation("revenue_by_month_report", access="open", entity="report")
def revenue_by_month_report(db: Database, first: date, last: date) -> Report:
    """Revenue of each month of the period (every month shown, an empty one as zeros)."""
    check_period(first, last)
    year = func.extract("year", Invoice.issued_on)
    month = func.extract("month", Invoice.issued_on)
    with db.read() as s:
        found = {
            (int(y), int(m)): sums
            for y, m, *sums in s.execute(
                select(year, month, *_revenue_sums())
                .where(_issued_in(first, last))
                .group_by(year, month)
            )
        }
    rows = tuple(
        _money_row(m, found.get((m.year, m.month), (0, 0, 0, 0))) for m in month_starts(first, last)
    )
    return Report(
        "revenue_by_month",
        "Revenue by month",
        period_words(first, last),
        (Column("Month", Kind.MONTH), *REVENUE_COLUMNS),
        rows,
        chart=(0, 2),
        note=REVENUE_NOTE,
    )


@operation("revenue_by_practitioner_report", access="open", entity="report")
def revenue_by_practitioner_report(db: Database, first: date, last: date) -> Report:
    """Revenue of each practitioner's invoices, largest first; sales with nobody's name last."""
    check_period(first, last)
    with db.read() as s:
        found = s.execute(
            select(Invoice.practitioner_id, *_revenue_sums())
            .where(_issued_in(first, last))
            .group_by(Invoice.practitioner_id)
        ).all()
        names = dict(s.execute(select(Practitioner.id, Practitioner.display_name)).all())
    return _ranked(
        "revenue_by_practitioner",
        "Revenue by practitioner",
        "Practitioner",
        [
            (names.get(key, NO_PRACTITIONER) if key else NO_PRACTITIONER, sums)
            for key, *sums in found
        ],
        first,
        last,
    )


@operation("revenue_by_type_report", access="open", entity="report")
def revenue_by_type_report(db: Database, first: date, last: date) -> Report:
    """Revenue by the type of the visit invoiced (a missed visit's fee under the type it
    would have been); products sold without a visit last."""
    check_period(first, last)
    with db.read() as s:
        found = s.execute(
            select(Appointment.appointment_type_id, *_revenue_sums())
            .select_from(Invoice)
            .outerjoin(Appointment, Appointment.id == Invoice.appointment_id)
            .where(_issued_in(first, last))
            .group_by(Appointment.appointment_type_id)
        ).all()
        names = dict(s.execute(select(AppointmentType.id, AppointmentType.name)).all())
    return _ranked(
        "revenue_by_type",
        "Revenue by appointment type",
        "Appointment type",
        [(names.get(key, NO_APPOINTMENT) if key else NO_APPOINTMENT, sums) for key, *sums in found],
        first,
        last,
    )


def _ranked(
    key: str, title: str, label: str, found: list[tuple[str, Any]], first: date, last: date
) -> Report:
    ordered = sorted(
        ((name, [int(v) for v in sums]) for name, sums in found),
        key=lambda r: (r[0] in (NO_PRACTITIONER, NO_APPOINTMENT), -r[1][1], r[0]),
    )
    rows: list[tuple[Value, ...]] = [(name, *sums) for name, sums in ordered]
    return Report(
        key,
        title,
        period_words(first, last),
        (Column(label), *REVENUE_COLUMNS),
        tuple(rows),
        chart=(0, 2),
        note=REVENUE_NOTE,
    )


# ----- balances by age ------------------------------------------------------------------------


@operation("outstanding_by_age_report", access="open", entity="report")
def outstanding_by_age_report(db: Database, as_of: date) -> Report:
    """What was owed at the end of ``as_of``, by days since the invoice was issued."""
    with db.read() as s:
        clinic = load_clinic(s)
        cutoff = to_utc(as_of + timedelta(days=1), time(0), clinic.tz)
        paid = func.coalesce(func.sum(PaymentAllocation.amount_cents), 0)
        owing = (
            select(
                Invoice.patient_id.label("patient_id"),
                Invoice.issued_on.label("issued_on"),
                (Invoice.total_cents - paid).label("owing"),
            )
            .select_from(Invoice)
            .outerjoin(
                PaymentAllocation,
                and_(PaymentAllocation.invoice_id == Invoice.id, PaymentAllocation.at < cutoff),
            )
            .where(
                # A test of every row, not a range of the issued_on index: as of a recent day
                # nearly every invoice is in, and the index would only add a lookup per row.
                case((Invoice.issued_on <= as_of, 1), else_=0) == 1,
                or_(Invoice.status == "issued", Invoice.voided_at >= cutoff),
            )
            .group_by(Invoice.id)
            .having(Invoice.total_cents - paid > 0)
            .subquery()
        )
        bucket = case(
            (owing.c.issued_on >= as_of - timedelta(days=30), 0),
            (owing.c.issued_on >= as_of - timedelta(days=60), 1),
            (owing.c.issued_on >= as_of - timedelta(days=90), 2),
            else_=3,
        )
        found = {
            int(b): (int(n), int(p), int(c))
            for b, n, p, c in s.execute(
                select(
                    bucket,
                    func.count(),
                    func.count(owing.c.patient_id.distinct()),
                    func.sum(owing.c.owing),
                ).group_by(bucket)
            )
        }
    rows = tuple((name, *found.get(i, (0, 0, 0))) for i, name in enumerate(AGE_BUCKETS))
    return Report(
        "outstanding_by_age",
        "Outstanding balances by age",
        f"as of {_day(as_of)}",
        (
            Column("Age"),
            Column("Invoices", Kind.COUNT),
            Column("Patients", Kind.COUNT),
            Column("Owing", Kind.MONEY),
        ),
        rows,
        chart=(0, 3),
        note=(
            "What each invoice still owed at the end of the day, by days since it was issued; "
            "credit on account is not counted."
        ),
    )


# ----- missed visits --------------------------------------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@operation("missed_visits_report", access="open", entity="report")
def missed_visits_report(db: Database, first: date, last: date) -> Report:
    """No-show and late-cancellation rates of each practitioner's visits due in the period."""
    check_period(first, last)
    late = and_(Appointment.status == "cancelled", Appointment.late_cancellation)
    due = or_(Appointment.status != "cancelled", Appointment.late_cancellation)
    with db.read() as s:
        start, end = _bounds(load_clinic(s), first, last)
        found = s.execute(
            select(
                Appointment.practitioner_id,
                func.count(),
                func.sum(case((Appointment.status == "no_show", 1), else_=0)),
                func.sum(case((late, 1), else_=0)),
            )
            .where(Appointment.start_at >= start, Appointment.start_at < end, due)
            .group_by(Appointment.practitioner_id)
        ).all()
        names = dict(s.execute(select(Practitioner.id, Practitioner.display_name)).all())
    rows = sorted(
        (
            (names[pid], int(n), int(ns), _share(int(ns), int(n)), int(lc), _share(int(lc), int(n)))
            for pid, n, ns, lc in found
        ),
        key=lambda r: str(r[0]),
    )
    return Report(
        "missed_visits",
        "No-shows and late cancellations",
        period_words(first, last),
        (
            Column("Practitioner"),
            Column("Visits due", Kind.COUNT),
            Column("No-shows", Kind.COUNT),
            Column("No-show rate", Kind.SHARE),
            Column("Late cancellations", Kind.COUNT),
            Column("Late-cancel rate", Kind.SHARE),
        ),
        tuple(rows),
        chart=(0, 3),
        note=(
            "Visits due are every booking in the period except those cancelled in good time; "
            "rates are shares of them."
        ),
    )


# ----- utilisation ----------------------------------------------------------------------------


@operation("utilisation_report", access="open", entity="report")
def utilisation_report(db: Database, first: date, last: date) -> Report:
    """Each practitioner's booked hours over their working hours in the period."""
    check_period(first, last)
    with db.read() as s:
        clinic = load_clinic(s)
        start, end = _bounds(clinic, first, last)
        booked: dict[int, Any] = dict(
            s.execute(
                select(
                    Appointment.practitioner_id,
                    func.sum(_minutes_between(s, Appointment.start_at, Appointment.end_at)),
                )
                .where(
                    Appointment.start_at >= start,
                    Appointment.start_at < end,
                    Appointment.status != "cancelled",
                )
                .group_by(Appointment.practitioner_id)
            ).all()
        )
        people = s.execute(
            select(Practitioner.id, Practitioner.display_name, Practitioner.active).order_by(
                Practitioner.display_name, Practitioner.id
            )
        ).all()
        shown = [(pid, name) for pid, name, active in people if active or booked.get(pid)]
        calendar = Calendar(s, clinic, first, last, [pid for pid, _ in shown])
    working: dict[int, int] = defaultdict(int)
    day = first
    while day <= last:
        for pid, _ in shown:
            working[pid] += sum(
                int((b - a).total_seconds()) // 60 for a, b in calendar.free_windows(pid, day)
            )
        day += timedelta(days=1)
    rows = tuple(
        (
            name,
            working[pid],
            int(booked.get(pid) or 0),
            _share(int(booked.get(pid) or 0), working[pid]),
        )
        for pid, name in shown
    )
    return Report(
        "utilisation",
        "Practitioner utilisation",
        period_words(first, last),
        (
            Column("Practitioner"),
            Column("Working hours", Kind.MINUTES),
            Column("Booked hours", Kind.MINUTES),
            Column("Utilisation", Kind.SHARE),
        ),
        rows,
        chart=(0, 3),
        note=(
            "Booked time (no-shows included, cancellations not) over working time: weekly hours "
            "inside opening hours, less breaks, closures and holidays."
        ),
    )


# ----- new patients ---------------------------------------------------------------------------


@operation("new_patients_report", access="open", entity="report")
def new_patients_report(db: Database, first: date, last: date) -> Report:
    """Patients registered in each month of the period, by who referred them."""
    check_period(first, last)
    months = month_starts(first, last)
    with db.read() as s:
        clinic = load_clinic(s)
        start, end = _bounds(clinic, first, last)
        month = _month_of_instant(Patient.created_at, clinic, first, last)
        found = s.execute(
            select(month, Patient.referral_source, func.count())
            .where(Patient.created_at >= start, Patient.created_at < end)
            .group_by(month, Patient.referral_source)
        ).all()
    rows = sorted(
        ((months[int(m)], source or NOT_RECORDED, int(n)) for m, source, n in found),
        key=lambda r: (r[0], -r[2], r[1]),
    )
    return Report(
        "new_patients",
        "New patients by referral source",
        period_words(first, last),
        (Column("Month", Kind.MONTH), Column("Referred by"), Column("New patients", Kind.COUNT)),
        tuple(rows),
        chart=(0, 2),
        note='Patient records created in each month, by the "Referred by" of the record.',
    )


# ----- adverse events -------------------------------------------------------------------------


@operation("adverse_events_report", access="open", entity="report")
def adverse_events_report(db: Database, first: date, last: date) -> Report:
    """Adverse events recorded in session notes in the period, by what happened: the clinic's
    safety review. Every kind is listed, zero included, so an absence reads as one."""
    check_period(first, last)
    with db.read() as s:
        start, end = _bounds(load_clinic(s), first, last)
        found = dict(
            s.execute(
                select(AdverseEvent.kind, func.count())
                .where(AdverseEvent.occurred_at >= start, AdverseEvent.occurred_at < end)
                .group_by(AdverseEvent.kind)
            ).all()
        )
    rows = tuple(
        (kind.label, int(found.get(kind.value, 0)), "yes" if kind.red_flag else "")
        for kind in AdverseKind
    )
    return Report(
        "adverse_events",
        "Adverse events",
        period_words(first, last),
        (Column("What happened"), Column("Events", Kind.COUNT), Column("Red flag")),
        rows,
        chart=(0, 1),
        note=(
            "Adverse events recorded with session notes whose time falls in the period; "
            "each is on the patient's chart with what was done."
        ),
    )
