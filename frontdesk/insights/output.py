"""A report's values in words: on screen (``shown``) and in a CSV file (``write_csv``,
``export_report_csv``), one set of rules for every report.

CSV values are what a spreadsheet reads back as numbers: amounts in dollars with two decimals
and no currency sign ("1234.50"), hours with two decimals, rates as percentages with one
decimal (the header says "(%)"), months as ISO "2026-03"; a rate with nothing to divide by is
an empty field.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import IO, Any

from frontdesk.accounts.operation import operation
from frontdesk.billing.money import amount_text, fmt_money
from frontdesk.db.engine import Database
from frontdesk.insights.types import Column, Kind, Report, Value
from frontdesk.private_files import open_private


def shown(column: Column, value: Value) -> str:
    """A value as the Reports page shows it ("$1,234.50", "12.5%", "Mar 2026", "36.5 h")."""
    if value is None:
        return "–"
    if isinstance(value, date):
        return f"{value:%b %Y}" if column.kind is Kind.MONTH else value.isoformat()
    if isinstance(value, str):
        return value
    if column.kind is Kind.MONEY:
        return fmt_money(int(value))
    if column.kind is Kind.MINUTES:
        return f"{value / 60:,.1f} h"
    if column.kind is Kind.SHARE:
        return f"{value * 100:.1f}%"
    return f"{value:,}"


def csv_header(column: Column) -> str:
    return f"{column.title} (%)" if column.kind is Kind.SHARE else column.title


def csv_value(column: Column, value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value:%Y-%m}" if column.kind is Kind.MONTH else value.isoformat()
    if isinstance(value, str):
        return value
    if column.kind is Kind.MONEY:
        return amount_text(int(value))
    if column.kind is Kind.MINUTES:
        return f"{value / 60:.2f}"
    if column.kind is Kind.SHARE:
        return f"{value * 100:.1f}"
    return str(value)


def write_csv(report: Report, out: IO[Any]) -> int:
    """The report as CSV (a header row, then one line per row) into ``out``; rows written."""
    writer = csv.writer(out)
    writer.writerow([csv_header(c) for c in report.columns])
    for row in report.rows:
        writer.writerow([csv_value(c, v) for c, v in zip(report.columns, row, strict=True)])
    return len(report.rows)


def csv_text(report: Report) -> str:
    buffer = io.StringIO()
    write_csv(report, buffer)
    return buffer.getvalue()


@operation("export_report_csv", access="export", entity="report")
def export_report_csv(db: Database, report: Report, path: Path) -> int:
    """Write ``report`` to ``path`` as CSV (UTF-8, readable by its owner only); rows written.

    The report was built by its own operation; this records that its figures left Frontdesk.
    """
    with open_private(path, "w", newline="", encoding="utf-8") as out:
        return write_csv(report, out)
