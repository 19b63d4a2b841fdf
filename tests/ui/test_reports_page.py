"""The Reports page as an administrator uses it: choose a report and a week, read the rates in
the table and the chart, export the CSV file; a wrong period is refused at the field."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from sqlalchemy import select

from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.db.models import AuditEvent
from frontdesk.domain import Role
from frontdesk.insights import csv_text, missed_visits_report
from frontdesk.ui import worker
from frontdesk.ui.admin.reports_page import ReportsPage
from frontdesk.ui.live import notify_views
from frontdesk.ui.main_window import PAGES, offered_pages
from tests.accounts_support import actor_for
from tests.unit.test_insights_reports import WEEK, _week_of_visits
from tests.unit.test_scheduling_support import Clinic

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")
CLOCK = datetime(2026, 3, 10, 19, tzinfo=UTC)


@pytest.fixture
def page(qtbot, db: Database, clinic: Clinic) -> ReportsPage:  # type: ignore[no-untyped-def]
    _week_of_visits(db, clinic)
    widget = ReportsPage(AppContext(db=db, clock=lambda: CLOCK), QUndoStack())
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    widget.activated()
    qtbot.waitUntil(lambda: widget.loaded)
    return widget


def _choose(qtbot, page: ReportsPage, title: str, first: str, last: str) -> None:  # type: ignore[no-untyped-def]
    page.choice.setCurrentIndex(page.choice.findText(title))
    page.first_day.setText(first)
    page.last_day.setText(last)
    page.refresh()
    qtbot.waitUntil(lambda: page.loaded and page.report is not None and page.report.title == title)


def test_the_page_opens_on_the_last_twelve_months_of_revenue(page: ReportsPage) -> None:
    assert page.report is not None and page.report.key == "revenue_by_month"
    assert (page.first_day.text(), page.last_day.text()) == ("2025-04-01", "2026-03-10")
    assert page.model.rowCount() == 12
    assert page.heading.text() == "Revenue by month, 1 Apr 2025 to 10 Mar 2026"


def test_missed_visit_rates_are_shown_charted_and_exported(
    qtbot, page: ReportsPage, tmp_path: Path, db: Database
) -> None:  # type: ignore[no-untyped-def]
    _choose(qtbot, page, "No-shows and late cancellations", "2026-03-02", "2026-03-08")
    shown = [
        [page.model.index(r, c).data() for c in range(page.model.columnCount())]
        for r in range(page.model.rowCount())
    ]
    assert shown == [
        ["Dr Mei Lin", "5", "1", "20.0%", "1", "20.0%"],
        ["Sam Patel", "4", "1", "25.0%", "0", "0.0%"],
    ]
    assert page.chart.bars == [("Dr Mei Lin", 0.2), ("Sam Patel", 0.25)]
    target = tmp_path / "missed.csv"
    page.ask_export_path = lambda: target  # type: ignore[method-assign]
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.message.text().startswith("Wrote"))
    assert page.message.text() == f"Wrote 2 rows to {target}."
    assert target.read_text(encoding="utf-8").replace("\r\n", "\n") == csv_text(
        missed_visits_report(db, *WEEK)
    ).replace("\r\n", "\n")


def test_balances_by_age_read_only_the_as_of_day(qtbot, page: ReportsPage) -> None:  # type: ignore[no-untyped-def]
    _choose(qtbot, page, "Outstanding balances by age", "2026-03-02", "2026-03-31")
    assert not page.first_day.isEnabled() and page.last_caption.text() == "&As of"
    assert [page.model.index(r, 0).data() for r in range(4)] == [
        "0–30 days",
        "31–60 days",
        "61–90 days",
        "Over 90 days",
    ]
    assert page.heading.text() == "Outstanding balances by age, as of 31 Mar 2026"


def test_a_period_ending_before_it_starts_is_refused_at_the_field(qtbot, page: ReportsPage) -> None:  # type: ignore[no-untyped-def]
    before = page.report
    page.first_day.setText("2026-03-09")
    page.last_day.setText("2026-03-01")
    page.refresh()
    assert page.errors.text("last_day") == "The last day is before the first day."
    assert page.report is before and page.loaded


def test_changes_reported_by_the_live_views_do_not_rebuild_the_report(
    qtbot, page: ReportsPage, db: Database
) -> None:  # type: ignore[no-untyped-def]
    # Building a report writes its audit row: a report rebuilt on every change would rebuild
    # itself, and add a row, every second the page is on screen.
    def built() -> int:
        with db.read() as s:
            return len(s.scalars(select(AuditEvent.id).where(AuditEvent.entity == "report")).all())

    before = built()
    notify_views(page)
    worker.wait_for_all()  # a rebuild started would have written its row by now
    assert built() == before == 1


def test_only_administrators_are_offered_the_reports_page(db: Database) -> None:
    def keys(role: Role) -> list[str]:
        return [p.key for p in offered_pages(PAGES, actor_for(db, role))]

    assert "reports" in keys(Role.ADMINISTRATOR)
    assert "reports" not in keys(Role.RECEPTION)
