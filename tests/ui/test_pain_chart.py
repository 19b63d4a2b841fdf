"""The pain chart after new scores: the new points only, put in place in one step."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from frontdesk.notes import PainPoint
from frontdesk.ui.practice.pain_chart import PainTrendChart, _ms

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

WEEKS = [date(2026, 11, 2) + timedelta(days=7 * n) for n in range(6)]
SIX_SESSIONS = [PainPoint(day, 8 - n, 5 - n) for n, day in enumerate(WEEKS)]
# The same patient once the before-scores were taken out of the notes and a session dropped.
FOUR_AFTER_ONLY = [PainPoint(day, None, 5 - n) for n, day in enumerate(WEEKS[:4])]


def test_new_scores_replace_the_points_in_one_step_and_leave_nothing_behind(qtbot) -> None:
    chart = PainTrendChart()
    qtbot.addWidget(chart)
    chart.resize(600, 320)
    chart.show()
    chart.set_points(SIX_SESSIONS)
    changes: list[str] = []
    for series, name in ((chart.before, "before"), (chart.after, "after")):
        for signal in (
            series.pointAdded,
            series.pointRemoved,
            series.pointsRemoved,
            series.pointReplaced,
            series.pointsReplaced,
        ):
            signal.connect(lambda *_, name=name: changes.append(name))
    chart.set_points(FOUR_AFTER_ONLY)
    # Each line changes once: no half-cleared, half-refilled line is ever drawn (markers of
    # the old scores stayed on screen among the new ones).
    assert changes == ["before", "after"]
    assert chart.chart.series() == [chart.before, chart.after]  # no stray series
    assert len(chart.chart.legend().markers()) == 2
    assert chart.before.points() == []
    assert [(p.x(), p.y()) for p in chart.after.points()] == [
        (_ms(p.day), p.pain_after) for p in FOUR_AFTER_ONLY
    ]
    changes.clear()
    chart.set_points(list(FOUR_AFTER_ONLY))  # the chart window reads again at every change
    assert changes == []  # made at another desk: the same scores are not drawn again
    chart.set_points([])
    assert chart.point_counts() == (0, 0) and chart.empty.isVisibleTo(chart)
