"""Dates, times and states in the chart's lists are never cut.

At 1024 pixels a long condition title used to push the revision and its "printed 10 Mar
2026" past the list's edge; the title now gives way (shortened with "…"), everything else is
as wide as its text.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QStyle, QTreeWidget, QTreeWidgetItem, QTreeWidgetItemIterator

from frontdesk.db.engine import Database
from frontdesk.plans import ConditionChoice, PlanInput, create_plan, mark_printed
from frontdesk.ui.practice.chart import PatientChartWindow
from tests.ui.answers import wait_for_answers
from tests.ui.test_practice_data import Week, build_week

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")

LONG = ConditionChoice("pinched_nerve", region="lumbar", level="L4-L5", side="right")


def cut_cells(tree: QTreeWidget, columns: range) -> list[str]:
    """Texts of ``columns`` that do not show whole: narrower than their text, or past the
    right edge of the list."""
    metrics = tree.fontMetrics()
    # What the item delegate keeps free on each side of a cell's text (Qt's textMargin).
    margins = 2 * (
        tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, tree) + 1
    )
    cut: list[str] = []
    iterator = QTreeWidgetItemIterator(tree)
    while (item := iterator.value()) is not None:
        assert isinstance(item, QTreeWidgetItem)
        for col in columns:
            text = item.text(col)
            rect = tree.visualItemRect(item)
            left = tree.header().sectionViewportPosition(col)
            width = tree.columnWidth(col)
            if text and (
                metrics.horizontalAdvance(text) > width - margins
                or left + width > tree.viewport().width()
                or rect.height() == 0
            ):
                cut.append(text)
        iterator += 1
    return cut


@pytest.fixture
def week(db: Database) -> Week:
    week = build_week(db)
    now = week.ctx.clock()
    for _ in range(2):  # two plans, one printed, with the longest title the library makes
        plan = create_plan(
            db, PlanInput(week.clinic.ann, week.clinic.acu, week.course, (LONG,)), now=now
        )
    mark_printed(db, plan.revision_id, now=now)
    return week


@pytest.mark.parametrize("size", [(1024, 768), (1366, 768)])
def test_the_charts_lists_show_dates_and_states_whole(qtbot, week: Week, size) -> None:
    chart = PatientChartWindow(week.ctx, week.clinic.ann)
    qtbot.addWidget(chart)
    wait_for_answers()  # the chart reads on a worker
    chart.resize(*size)
    chart.show()
    chart.tabs.setCurrentWidget(chart.plans_tree)
    qtbot.waitUntil(lambda: chart.plans_tree.topLevelItemCount() == 2)
    qtbot.waitExposed(chart)
    states = [chart.plans_tree.topLevelItem(i).child(0).text(2) for i in range(2)]
    assert "printed 9 Mar 2026" in states
    assert cut_cells(chart.plans_tree, range(1, 4)) == []
    assert cut_cells(chart.appointment_tree, range(2, 5)) == []
    assert cut_cells(chart.appointment_tree, range(0, 1)) == []
    title = chart.plans_tree.topLevelItem(0)
    assert title.toolTip(0) == title.text(0)  # the whole title, when it is shortened
