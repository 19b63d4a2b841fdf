"""What a report hands back: named, typed columns and plain rows, ready for a table, a chart
and a CSV file alike.

Values stay exact in the rows (integer cents, whole minutes, counts, the first day of a month);
only the reader's view formats them, so the screen and the CSV file cannot disagree on a sum.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Kind(StrEnum):
    """How a column's values are read and shown."""

    TEXT = "text"
    COUNT = "count"  # an int
    MONEY = "money"  # integer cents
    MINUTES = "minutes"  # whole minutes, shown as hours
    SHARE = "share"  # a fraction 0..1 (None when there was nothing to divide by)
    MONTH = "month"  # a date, the first of its month


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = Kind.TEXT


Value = str | int | float | date | None


@dataclass(frozen=True)
class Report:
    """One report over one period: its columns, its rows, and what a chart of it plots.

    ``chart`` names the column that labels the bars and the column whose values they show
    (bars with the same label are added together), or is None where a chart tells nothing.
    """

    key: str
    title: str
    period: str  # in words: "1 Mar 2025 to 28 Feb 2026", "as of 28 Feb 2026"
    columns: tuple[Column, ...]
    rows: tuple[tuple[Value, ...], ...]
    chart: tuple[int, int] | None = None
    note: str = ""  # what the figures count, in one sentence
