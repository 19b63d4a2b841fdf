"""The reports (issue 17, item 7) give the figures an owner would get by hand.

Two ways: on the demo clinic, every report equals an independent SQL computation written out
here; on a small clinic of fixed rows, the balances by age, the missed-visit rates, the
utilisation and the new patients by month equal figures worked out by hand (with the edges:
an invoice 30 and 90 days old, a payment after the day, a voided invoice, a closure, a patient
registered late in the evening on the last day of a month). Then the CSV a report exports.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Appointment,
    AuditEvent,
    Closure,
    Invoice,
    OpeningHours,
    Patient,
    Payment,
    PaymentAllocation,
)
from frontdesk.domain import PermissionDenied, Role, ValidationError
from frontdesk.insights import (
    csv_text,
    export_report_csv,
    missed_visits_report,
    new_patients_report,
    outstanding_by_age_report,
    revenue_by_month_report,
    revenue_by_practitioner_report,
    revenue_by_type_report,
    utilisation_report,
)
from frontdesk.scheduling import holidays_between
from tests.accounts_support import as_role
from tests.unit.test_demo import TODAY, _build
from tests.unit.test_scheduling_support import MONDAY, Clinic, local

FIRST, LAST = date(2025, 3, 1), date(2026, 2, 28)  # the demo's last twelve months
# Local midnight in Edmonton (MST, UTC-7) starting FIRST and ending LAST, as stored on SQLite.
START, END = "2025-03-01 07:00:00", "2026-03-01 07:00:00"
AS_OF, CUTOFF = TODAY, "2026-03-03 07:00:00"  # the end of TODAY in Edmonton


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = _build(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    yield db
    db.dispose()


def _sql(db: Database, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with db.read() as s:
        return [tuple(r) for r in s.execute(text(sql), params)]


def _keyed(rows: Any) -> dict[Any, tuple[Any, ...]]:
    return {r[0]: tuple(r[1:]) for r in rows}


# ----- the demo clinic against SQL written by hand ---------------------------------------------


def test_revenue_by_month_equals_the_invoices_summed_by_hand(demo: Database) -> None:
    expected = _sql(
        demo,
        "SELECT strftime('%Y-%m', issued_on), count(*), sum(subtotal_cents), sum(tax_cents),"
        " sum(total_cents) FROM invoices WHERE status = 'issued'"
        " AND issued_on BETWEEN :a AND :b GROUP BY 1",
        a=FIRST.isoformat(),
        b=LAST.isoformat(),
    )
    report = revenue_by_month_report(demo, FIRST, LAST)
    got = {f"{r[0]:%Y-%m}": r[1:] for r in report.rows if r[1]}
    assert got == _keyed(expected)
    assert len(expected) == 12  # a year of the demo's money: every month has some (issue 17)
    assert len(report.rows) == 12  # every month of the period, an empty one as zeros


def test_revenue_by_practitioner_and_by_type_equal_sql_by_hand(demo: Database) -> None:
    sums = "count(*), sum(i.subtotal_cents), sum(i.tax_cents), sum(i.total_cents)"
    where = "WHERE i.status = 'issued' AND i.issued_on BETWEEN :a AND :b"
    by_practitioner = _sql(
        demo,
        f"SELECT coalesce(p.display_name, 'No practitioner (sales)'), {sums} FROM invoices i"
        f" LEFT JOIN practitioners p ON p.id = i.practitioner_id {where} GROUP BY 1",
        a=FIRST.isoformat(),
        b=LAST.isoformat(),
    )
    by_type = _sql(
        demo,
        f"SELECT coalesce(t.name, 'No appointment (sales)'), {sums} FROM invoices i"
        " LEFT JOIN appointments a ON a.id = i.appointment_id"
        f" LEFT JOIN appointment_types t ON t.id = a.appointment_type_id {where} GROUP BY 1",
        a=FIRST.isoformat(),
        b=LAST.isoformat(),
    )
    practitioners = revenue_by_practitioner_report(demo, FIRST, LAST).rows
    types = revenue_by_type_report(demo, FIRST, LAST).rows
    assert _keyed(practitioners) == _keyed(by_practitioner)
    assert _keyed(types) == _keyed(by_type)
    assert len(by_practitioner) >= 3 and len(by_type) >= 3
    befores = [r[2] for r in practitioners]
    assert befores == sorted(befores, reverse=True)  # largest first


def test_balances_by_age_equal_each_invoice_aged_by_hand(demo: Database) -> None:
    expected = _sql(
        demo,
        "WITH owing AS (SELECT i.patient_id, julianday(:as_of) - julianday(i.issued_on) AS age,"
        " i.total_cents - (SELECT coalesce(sum(a.amount_cents), 0) FROM payment_allocations a"
        "   WHERE a.invoice_id = i.id AND a.at < :cutoff) AS owed"
        " FROM invoices i WHERE i.issued_on <= :as_of"
        " AND (i.status = 'issued' OR i.voided_at >= :cutoff))"
        " SELECT CASE WHEN age <= 30 THEN '0–30 days' WHEN age <= 60 THEN '31–60 days'"
        " WHEN age <= 90 THEN '61–90 days' ELSE 'Over 90 days' END,"
        " count(*), count(DISTINCT patient_id), sum(owed) FROM owing WHERE owed > 0 GROUP BY 1",
        as_of=AS_OF.isoformat(),
        cutoff=CUTOFF,
    )
    report = outstanding_by_age_report(demo, AS_OF)
    assert _keyed(r for r in report.rows if r[1]) == _keyed(expected)
    assert sum(r[3] for r in expected) > 0  # the demo has patients who owe


def test_missed_visit_rates_equal_the_appointments_counted_by_hand(demo: Database) -> None:
    expected = _sql(
        demo,
        "SELECT p.display_name, count(*), sum(a.status = 'no_show'),"
        " sum(a.status = 'cancelled' AND a.late_cancellation)"
        " FROM appointments a JOIN practitioners p ON p.id = a.practitioner_id"
        " WHERE a.start_at >= :start AND a.start_at < :end"
        " AND (a.status <> 'cancelled' OR a.late_cancellation) GROUP BY 1",
        start=START,
        end=END,
    )
    report = missed_visits_report(demo, FIRST, LAST)
    assert {r[0]: (r[1], r[2], r[4]) for r in report.rows} == _keyed(expected)
    for name, due, no_shows, no_show_rate, late, late_rate in report.rows:
        assert no_show_rate == pytest.approx(no_shows / due), name
        assert late_rate == pytest.approx(late / due), name
    assert sum(r[2] for r in expected) > 0 and sum(r[3] for r in expected) > 0


def test_utilisation_equals_booked_time_over_working_time_by_hand(demo: Database) -> None:
    booked = _keyed(
        _sql(
            demo,
            "SELECT p.display_name,"
            " CAST(round(sum((julianday(a.end_at) - julianday(a.start_at)) * 1440)) AS INTEGER)"
            " FROM appointments a JOIN practitioners p ON p.id = a.practitioner_id"
            " WHERE a.start_at >= :start AND a.start_at < :end AND a.status <> 'cancelled'"
            " GROUP BY 1",
            start=START,
            end=END,
        )
    )
    working = _working_minutes_by_hand(demo, FIRST, LAST)
    report = utilisation_report(demo, FIRST, LAST)
    assert {r[0]: (r[1], r[2]) for r in report.rows} == {
        name: (working[name], booked.get(name, (0,))[0]) for name in working
    }
    for name, work, held, share in report.rows:
        assert share == pytest.approx(held / work), name
        assert 0 < share < 1, name  # hours over hours, not minutes over hours


def _minutes(a: time, b: time) -> int:
    return (b.hour * 60 + b.minute) - (a.hour * 60 + a.minute)


def _working_minutes_by_hand(db: Database, first: date, last: date) -> dict[str, int]:
    """Weekly hours inside opening hours less breaks, on every open day that is no holiday
    and no closure, added up day by day (no DST edge falls inside anyone's hours here)."""
    with db.read() as s:
        opening = {o.weekday: (o.opens_at, o.closes_at) for o in s.scalars(select(OpeningHours))}
        closures = [(c.starts_on, c.ends_on) for c in s.scalars(select(Closure))]
        weekly: dict[tuple[str, int], int] = defaultdict(int)
        for name, weekday, a, b in s.execute(
            text(
                "SELECT p.display_name, w.weekday, w.starts_at, w.ends_at FROM working_hours w"
                " JOIN practitioners p ON p.id = w.practitioner_id WHERE p.active"
            )
        ):
            opens, closes = opening.get(weekday, (a, a))
            a, b = max(_time(a), opens), min(_time(b), closes)
            weekly[(name, weekday)] += max(0, _minutes(a, b))
        for name, weekday, a, b in s.execute(
            text(
                "SELECT p.display_name, k.weekday, k.starts_at, k.ends_at"
                " FROM practitioner_breaks k JOIN practitioners p ON p.id = k.practitioner_id"
                " WHERE p.active"
            )
        ):
            weekly[(name, weekday)] -= _minutes(_time(a), _time(b))
        names = {name for name, _ in weekly}
    holidays = holidays_between(db, first, last)
    total = dict.fromkeys(names, 0)
    day = first
    while day <= last:
        shut = day in holidays or any(a <= day <= b for a, b in closures)
        if day.weekday() in opening and not shut:
            for name in names:
                total[name] += weekly.get((name, day.weekday()), 0)
        day += timedelta(days=1)
    return total


def _time(value: Any) -> time:
    return value if isinstance(value, time) else time.fromisoformat(str(value))


def test_new_patients_by_month_and_referral_equal_sql_by_hand(demo: Database) -> None:
    # The demo registers patients at 17:00 UTC, the same day in Edmonton: UTC months are local.
    expected = _sql(
        demo,
        "SELECT strftime('%Y-%m', created_at), CASE referral_source WHEN '' THEN 'Not recorded'"
        " ELSE referral_source END, count(*) FROM patients"
        " WHERE created_at >= :start AND created_at < :end GROUP BY 1, 2",
        start=START,
        end=END,
    )
    report = new_patients_report(demo, FIRST, LAST)
    assert {(f"{m:%Y-%m}", src): n for m, src, n in report.rows} == {
        (m, src): n for m, src, n in expected
    }
    assert len({src for _, src, _ in expected}) >= 3


# ----- a small clinic with answers worked out by hand ------------------------------------------


def _invoice(
    s: Any,
    number: int,
    patient: int,
    issued_on: date,
    total: int,
    *,
    paid: Sequence[tuple[int, datetime]] = (),
    void_at: datetime | None = None,
) -> None:
    row = Invoice(
        number=number,
        kind="sale",
        issued_on=issued_on,
        issued_at=datetime.combine(issued_on, time(18), UTC),
        patient_id=patient,
        subtotal_cents=total,
        tax_cents=0,
        total_cents=total,
        status="void" if void_at else "issued",
        void_reason="Wrong patient" if void_at else None,
        voided_at=void_at,
    )
    s.add(row)
    s.flush()
    for amount, at in paid:
        payment = Payment(
            patient_id=patient,
            received_on=at.date(),
            received_at=at,
            method="cash",
            amount_cents=amount,
        )
        s.add(payment)
        s.flush()
        s.add(
            PaymentAllocation(payment_id=payment.id, invoice_id=row.id, amount_cents=amount, at=at)
        )


def _aged_invoices(db: Database, c: Clinic) -> None:
    """Invoices around 31 March 2026: what each owes at the end of that day, by hand below."""
    paid_on = datetime(2026, 3, 31, 18, tzinfo=UTC)
    with db.write() as s:
        _invoice(s, 1, c.ann, date(2026, 3, 31), 10000, paid=[(4000, paid_on)])  # owes 6000, 0 d
        _invoice(s, 2, c.bob, date(2026, 3, 1), 5000)  # 30 days: still 0–30
        _invoice(s, 3, c.cara, date(2026, 2, 28), 7000, paid=[(7000, paid_on)])  # paid up
        _invoice(s, 4, c.ann, date(2026, 2, 27), 8000)  # 32 days
        _invoice(s, 5, c.cara, date(2026, 1, 1), 3000, paid=[(1000, paid_on)])  # 89 d: 2000
        _invoice(s, 6, c.bob, date(2025, 12, 31), 2500)  # 90 days: still 61–90
        _invoice(s, 7, c.ann, date(2025, 12, 30), 9900)  # 91 days
        _invoice(s, 8, c.bob, date(2026, 3, 10), 4000, void_at=datetime(2026, 3, 15, tzinfo=UTC))
        # Paid on 2 April (after the day): on 31 March it was still owed.
        _invoice(
            s,
            9,
            c.cara,
            date(2026, 3, 20),
            6000,
            paid=[(6000, datetime(2026, 4, 2, 18, tzinfo=UTC))],
        )
        _invoice(s, 10, c.ann, date(2026, 4, 1), 1234)  # issued after the day


def test_balances_by_age_on_fixed_invoices_match_the_hand_sums(
    db: Database, clinic: Clinic
) -> None:
    _aged_invoices(db, clinic)
    report = outstanding_by_age_report(db, date(2026, 3, 31))
    assert report.rows == (
        ("0–30 days", 3, 3, 6000 + 5000 + 6000),
        ("31–60 days", 1, 1, 8000),
        ("61–90 days", 2, 2, 2000 + 2500),
        ("Over 90 days", 1, 1, 9900),
    )
    # A day later the April payment counts and the 30-day invoice has aged a bucket.
    later = outstanding_by_age_report(db, date(2026, 4, 2))
    assert later.rows[0] == ("0–30 days", 2, 1, 6000 + 1234)


def test_revenue_on_fixed_invoices_matches_the_hand_sums(db: Database, clinic: Clinic) -> None:
    _aged_invoices(db, clinic)
    first, last = date(2025, 12, 1), date(2026, 3, 31)
    assert revenue_by_month_report(db, first, last).rows == (
        (date(2025, 12, 1), 2, 2500 + 9900, 0, 2500 + 9900),
        (date(2026, 1, 1), 1, 3000, 0, 3000),
        (date(2026, 2, 1), 2, 7000 + 8000, 0, 7000 + 8000),
        # The voided invoice of 10 March is left out; 1 April is after the period.
        (date(2026, 3, 1), 3, 10000 + 5000 + 6000, 0, 10000 + 5000 + 6000),
    )
    total = 12400 + 3000 + 15000 + 21000
    assert revenue_by_practitioner_report(db, first, last).rows == (
        ("No practitioner (sales)", 8, total, 0, total),
    )
    assert revenue_by_type_report(db, first, last).rows == (
        ("No appointment (sales)", 8, total, 0, total),
    )


def _appointment(
    s: Any, c: Clinic, practitioner: int, day: date, hour: int, status: str, *, late: bool = False
) -> None:
    s.add(
        Appointment(
            patient_id=c.ann if practitioner == c.acu else c.bob,
            practitioner_id=practitioner,
            appointment_type_id=c.consult,
            start_at=local(day, hour),
            end_at=local(day, hour + 1),
            status=status,
            cancellation_reason="Sick" if status == "cancelled" else None,
            late_cancellation=late,
        )
    )


def _week_of_visits(db: Database, c: Clinic) -> None:
    """The week of Monday 2 March 2026, one-hour visits: Dr Mei Lin has 3 completed, 1 no-show,
    1 late and 2 timely cancellations; Sam Patel 3 completed and 1 no-show; and a no-show the
    Monday after, outside the week."""
    tuesday, wednesday = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)
    with db.write() as s:
        for hour in (9, 10, 11):
            _appointment(s, c, c.acu, MONDAY, hour, "completed")
        _appointment(s, c, c.acu, tuesday, 9, "no_show")
        _appointment(s, c, c.acu, tuesday, 10, "cancelled", late=True)
        _appointment(s, c, c.acu, tuesday, 11, "cancelled")
        _appointment(s, c, c.acu, wednesday, 9, "cancelled")
        for hour in (10, 11, 13):
            _appointment(s, c, c.physio, MONDAY, hour, "completed")
        _appointment(s, c, c.physio, wednesday, 14, "no_show")
        _appointment(s, c, c.acu, MONDAY + timedelta(days=7), 9, "no_show")
        # The clinic is shut on Friday: Dr Mei Lin's seven hours that day are not working time.
        s.add(
            Closure(
                starts_on=MONDAY + timedelta(days=4),
                ends_on=MONDAY + timedelta(days=4),
                reason="Training",
            )
        )


WEEK = (MONDAY, MONDAY + timedelta(days=6))


def test_missed_visit_rates_on_a_fixed_week_match_the_hand_counts(
    db: Database, clinic: Clinic
) -> None:
    _week_of_visits(db, clinic)
    rows = {r[0]: r[1:] for r in missed_visits_report(db, *WEEK).rows}
    assert rows == {
        "Dr Mei Lin": (5, 1, pytest.approx(0.2), 1, pytest.approx(0.2)),
        "Sam Patel": (4, 1, pytest.approx(0.25), 0, pytest.approx(0.0)),
    }


def test_utilisation_on_a_fixed_week_matches_the_hand_hours(db: Database, clinic: Clinic) -> None:
    _week_of_visits(db, clinic)
    rows = {r[0]: r[1:] for r in utilisation_report(db, *WEEK).rows}
    # Dr Mei Lin: Mon–Thu 9–17 less lunch (7 h each; Friday closed) and Saturday 9–13: 32 h,
    # 4 hours held (3 visits and the no-show). Sam Patel: Mon–Thu 10–19, 36 h, 4 hours held.
    # Dr Old is inactive and booked nothing: not listed.
    assert rows == {
        "Dr Mei Lin": (32 * 60, 4 * 60, pytest.approx(4 / 32)),
        "Sam Patel": (36 * 60, 4 * 60, pytest.approx(4 / 36)),
    }


def test_new_patients_are_counted_in_the_clinic_month_they_registered(
    db: Database, clinic: Clinic
) -> None:
    with db.write() as s:
        for given, at, source in (
            ("Dana", datetime(2026, 2, 10, 18, tzinfo=UTC), "Family doctor"),
            # 05:00 UTC on 1 March is 22:00 on 28 February in Edmonton: February's.
            ("Eli", datetime(2026, 3, 1, 5, tzinfo=UTC), ""),
            ("Fay", datetime(2026, 3, 15, 18, tzinfo=UTC), "Family doctor"),
            ("Gus", datetime(2026, 3, 20, 18, tzinfo=UTC), "Family doctor"),
            ("Hal", datetime(2026, 4, 1, 7, tzinfo=UTC), "Web search"),  # 1 April, local
        ):
            s.add(
                Patient(
                    given_name=given,
                    family_name="New",
                    date_of_birth=date(1990, 1, 1),
                    referral_source=source,
                    created_at=at,
                )
            )
    report = new_patients_report(db, date(2026, 2, 1), date(2026, 3, 31))
    assert report.rows == (
        (date(2026, 2, 1), "Family doctor", 1),
        (date(2026, 2, 1), "Not recorded", 1),
        (date(2026, 3, 1), "Family doctor", 2),
    )


def test_a_period_that_ends_before_it_starts_is_refused_at_the_field(db: Database) -> None:
    with pytest.raises(ValidationError) as refused:
        revenue_by_month_report(db, date(2026, 3, 2), date(2026, 3, 1))
    assert refused.value.errors == {"last_day": "The last day is before the first day."}


def test_reception_and_practitioners_are_refused_the_reports(db: Database, clinic: Clinic) -> None:
    for role, pid in ((Role.RECEPTION, None), (Role.PRACTITIONER, clinic.acu)):
        with pytest.raises(PermissionDenied, match="may not read the clinic's reports"):
            revenue_by_month_report(as_role(db, role, practitioner_id=pid), *WEEK)


# ----- CSV -------------------------------------------------------------------------------------


def test_the_csv_holds_the_figures_a_spreadsheet_reads_as_numbers(
    db: Database, clinic: Clinic
) -> None:
    _aged_invoices(db, clinic)
    _week_of_visits(db, clinic)
    assert csv_text(outstanding_by_age_report(db, date(2026, 3, 31))).splitlines() == [
        "Age,Invoices,Patients,Owing",
        "0–30 days,3,3,170.00",
        "31–60 days,1,1,80.00",
        "61–90 days,2,2,45.00",
        "Over 90 days,1,1,99.00",
    ]
    assert csv_text(missed_visits_report(db, *WEEK)).splitlines() == [
        "Practitioner,Visits due,No-shows,No-show rate (%),Late cancellations,Late-cancel rate (%)",
        "Dr Mei Lin,5,1,20.0,1,20.0",
        "Sam Patel,4,1,25.0,0,0.0",
    ]
    assert csv_text(utilisation_report(db, *WEEK)).splitlines()[1:] == [
        "Dr Mei Lin,32.00,4.00,12.5",
        "Sam Patel,36.00,4.00,11.1",
    ]


def test_exporting_writes_the_file_and_an_audit_row(
    db: Database, clinic: Clinic, tmp_path: Path
) -> None:
    _week_of_visits(db, clinic)
    report = missed_visits_report(db, *WEEK)
    path = tmp_path / "missed.csv"
    assert export_report_csv(db, report, path) == 2
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0][0] == "Practitioner" and rows[1][:3] == ["Dr Mei Lin", "5", "1"]
    assert path.stat().st_mode & 0o077 == 0
    with db.read() as s:
        kinds = [
            (e.action, e.kind)
            for e in s.scalars(select(AuditEvent).where(AuditEvent.entity == "report"))
        ]
    assert ("missed_visits_report", "open") in kinds
    assert ("export_report_csv", "export") in kinds


def test_adverse_events_are_counted_by_kind_as_independent_sql_counts_them(
    db: Database,
) -> None:
    from sqlalchemy import text

    from frontdesk.demo import build_demo
    from frontdesk.insights import adverse_events_report
    from frontdesk.needling.types import AdverseKind

    build_demo(db, patients=120, appointments=1500, today=date(2026, 3, 2))
    report = adverse_events_report(db, date(2025, 1, 1), date(2026, 12, 31))
    with db.read() as s:
        expected = dict(
            s.execute(text("SELECT kind, COUNT(*) FROM adverse_events GROUP BY kind")).all()
        )
    got = {label: n for label, n, _flag in report.rows}
    assert got == {k.label: expected.get(k.value, 0) for k in AdverseKind}
    assert sum(got.values()) >= 1  # the demo records some
    assert [r[2] for r in report.rows if r[0] == AdverseKind.PNEUMOTHORAX.label] == ["yes"]
