"""The pain-score trend over a course, drawn as two lines: before and after each treatment.

What a practitioner glances at between sessions: is the pain coming down from week to week, and
does each treatment bring it down on the day? Built on QtCharts; the widget only draws the
``PainPoint`` values it is given and never reads the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import QDate, QDateTime, QMargins, QPointF, Qt, QTime
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QGraphicsView, QLabel, QStackedLayout, QWidget

from frontdesk.notes import PAIN_MAX, PAIN_MIN, PainPoint

BEFORE_COLOUR = "#c2543a"
AFTER_COLOUR = "#2b7a78"
# Questionnaire scores, beside the session pain scores (a colour per questionnaire, in turn).
OUTCOME_COLOURS = ("#6a4c93", "#d08c00", "#1f6fb2", "#6b8e23")


@dataclass(frozen=True)
class OutcomeLine:
    """One questionnaire's scores for the chart, already on its 0–10 axis."""

    name: str  # legend text, e.g. "Function (PSFS), higher is better"
    points: tuple[tuple[date, float], ...]


def _ms(day: date) -> float:
    """Noon of the day as chart x (ms since epoch); noon keeps DST shifts off the date axis."""
    return float(QDateTime(QDate(day.year, day.month, day.day), QTime(12, 0)).toMSecsSinceEpoch())


class PainTrendChart(QWidget):
    """Pain before (red) and after (teal) per session; a short message when there is no data."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._points: list[PainPoint] = []
        self._outcomes: list[OutcomeLine] = []
        self.outcome_series: list[QLineSeries] = []
        self.before = self._series("Before treatment", BEFORE_COLOUR, Qt.PenStyle.DashLine)
        self.after = self._series("After treatment", AFTER_COLOUR, Qt.PenStyle.SolidLine)
        self.chart = QChart()
        self.chart.setTitle("Pain score (0 = none, 10 = worst)")
        title_font = QFont(self.font())
        title_font.setBold(True)
        self.chart.setTitleFont(title_font)
        self.chart.setBackgroundRoundness(4)
        self.chart.setMargins(QMargins(6, 6, 6, 6))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart.addSeries(self.before)
        self.chart.addSeries(self.after)
        self.x_axis = QDateTimeAxis()
        self.x_axis.setFormat("d MMM")
        self.x_axis.setTitleText("Session date")
        self.y_axis = QValueAxis()
        self.y_axis.setRange(PAIN_MIN, PAIN_MAX)
        self.y_axis.setTickCount(6)
        self.y_axis.setLabelFormat("%d")
        self.chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        for series in (self.before, self.after):
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
        self.view = QChartView(self.chart, self)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        # A partial repaint may leave edges of old markers outside the region Qt Charts marks
        # as changed; the chart is small, so it is always redrawn whole.
        self.view.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.view.setMinimumHeight(220)
        self.empty = QLabel(
            "No pain scores yet. Scores recorded in session notes appear here as a chart.", self
        )
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self.empty)
        self._stack.addWidget(self.view)

    @staticmethod
    def _series(name: str, colour: str, style: Qt.PenStyle) -> QLineSeries:
        series = QLineSeries()
        series.setName(name)
        pen = QPen(QColor(colour))
        pen.setWidthF(2.5)
        pen.setStyle(style)
        series.setPen(pen)
        series.setPointsVisible(True)
        series.setMarkerSize(8)
        return series

    def set_points(self, points: Sequence[PainPoint]) -> None:
        """Draw these sessions (oldest first); sessions missing a score are left out of that
        line rather than drawn as zero.

        Each line's points are replaced in one step, so the chart redraws once with the new
        data only (the chart window calls this again whenever another desk saves something).
        """
        points = list(points)
        if points == self._points:
            return
        self._points = points
        self.before.replace(
            [QPointF(_ms(p.day), p.pain_before) for p in points if p.pain_before is not None]
        )
        self.after.replace(
            [QPointF(_ms(p.day), p.pain_after) for p in points if p.pain_after is not None]
        )
        self._fit_axis()

    def set_outcomes(self, lines: Sequence[OutcomeLine]) -> None:
        """Questionnaire scores drawn beside the pain lines, dotted, on the same 0–10 axis."""
        lines = list(lines)
        if lines == self._outcomes:
            return
        self._outcomes = lines
        for old in self.outcome_series:
            self.chart.removeSeries(old)
        self.outcome_series = []
        for number, line in enumerate(lines):
            colour = OUTCOME_COLOURS[number % len(OUTCOME_COLOURS)]
            series = self._series(line.name, colour, Qt.PenStyle.DotLine)
            series.replace([QPointF(_ms(day), value) for day, value in line.points])
            self.chart.addSeries(series)
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
            self.outcome_series.append(series)
        self.chart.setTitle(
            "Pain and questionnaire scores (0–10)" if lines else "Pain score (0 = none, 10 = worst)"
        )
        self._fit_axis()

    def _fit_axis(self) -> None:
        days = [p.day for p in self._points]
        days += [day for line in self._outcomes for day, _ in line.points]
        if not days:
            self._stack.setCurrentWidget(self.empty)
            return
        first, last = min(days), max(days)
        span = max((last - first).days, 1)
        pad = max(span * 0.06, 1.0) * 86_400_000
        self.x_axis.setRange(
            QDateTime.fromMSecsSinceEpoch(int(_ms(first) - pad)),
            QDateTime.fromMSecsSinceEpoch(int(_ms(last) + pad)),
        )
        self.x_axis.setTickCount(min(max(len(set(days)), 2), 8))
        self._stack.setCurrentWidget(self.view)

    def outcome_counts(self) -> list[tuple[str, int]]:
        """(legend name, points drawn) per questionnaire line; what tests read."""
        return [(s.name(), s.count()) for s in self.outcome_series]

    def point_counts(self) -> tuple[int, int]:
        """(before, after) points drawn; what tests read."""
        return self.before.count(), self.after.count()
