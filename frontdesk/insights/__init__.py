"""The clinic's reports (issue 17, item 7): aggregate figures over a period, each one a
permission-checked ``@operation`` returning a ``Report`` that the Reports page shows as a
table and a chart and that exports to CSV. No Qt here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from frontdesk.db.engine import Database
from frontdesk.insights.output import csv_text, export_report_csv, shown, write_csv
from frontdesk.insights.reports import (
    AGE_BUCKETS,
    adverse_events_report,
    check_period,
    missed_visits_report,
    new_patients_report,
    outstanding_by_age_report,
    revenue_by_month_report,
    revenue_by_practitioner_report,
    revenue_by_type_report,
    utilisation_report,
)
from frontdesk.insights.types import Column, Kind, Report, Value


@dataclass(frozen=True)
class ReportChoice:
    """One entry of the Reports page's list: what it is called and how it is built over a
    period (``as_of_only``: it reads only the last day, as the age of balances does)."""

    key: str
    title: str
    build: Callable[[Database, date, date], Report]
    as_of_only: bool = False


REPORTS: tuple[ReportChoice, ...] = (
    ReportChoice("revenue_by_month", "Revenue by month", revenue_by_month_report),
    ReportChoice(
        "revenue_by_practitioner", "Revenue by practitioner", revenue_by_practitioner_report
    ),
    ReportChoice("revenue_by_type", "Revenue by appointment type", revenue_by_type_report),
    ReportChoice(
        "outstanding_by_age",
        "Outstanding balances by age",
        lambda db, _first, last: outstanding_by_age_report(db, last),
        as_of_only=True,
    ),
    ReportChoice("missed_visits", "No-shows and late cancellations", missed_visits_report),
    ReportChoice("utilisation", "Practitioner utilisation", utilisation_report),
    ReportChoice("new_patients", "New patients by referral source", new_patients_report),
    ReportChoice("adverse_events", "Adverse events", adverse_events_report),
)

__all__ = [
    "AGE_BUCKETS",
    "REPORTS",
    "Column",
    "Kind",
    "Report",
    "ReportChoice",
    "Value",
    "check_period",
    "csv_text",
    "export_report_csv",
    "missed_visits_report",
    "new_patients_report",
    "outstanding_by_age_report",
    "revenue_by_month_report",
    "revenue_by_practitioner_report",
    "revenue_by_type_report",
    "shown",
    "utilisation_report",
    "write_csv",
]
