"""The Reports page's table model and its bar chart.

The chart is painted with ``QPainter`` (no QtCharts: nothing to load for a few bars): one
horizontal bar per label, the label on the left, the value as the table shows it on the right,
so a month, a practitioner or an age reads the same way. Bars sharing a label are added
together (the new patients of a month over every referral source).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from frontdesk.insights import Column, Kind, Report, shown

Index = QModelIndex | QPersistentModelIndex
NUMERIC = (Kind.COUNT, Kind.MONEY, Kind.MINUTES, Kind.SHARE)
BAR_COLOUR = QColor("#4a7ab5")
LABEL_WIDTH = 190
BAR_PITCH = 22
MIN_HEIGHT, MAX_HEIGHT = 120, 340
VALUE_WIDTH = 110


class ReportTableModel(QAbstractTableModel):
    """A report's rows as the screen shows them; numbers right-aligned."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.report: Report | None = None

    def set_report(self, report: Report | None) -> None:
        self.beginResetModel()
        self.report = report
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() or self.report is None else len(self.report.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() or self.report is None else len(self.report.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.report is None or not index.isValid():
            return None
        column = self.report.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return shown(column, self.report.rows[index.row()][index.column()])
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in NUMERIC:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            self.report is None
            or role != Qt.ItemDataRole.DisplayRole
            or orientation != Qt.Orientation.Horizontal
        ):
            return None
        return self.report.columns[section].title


def chart_bars(report: Report) -> tuple[Column, list[tuple[str, float]]]:
    """The bars a report's chart draws: (label, value), labels in the table's order."""
    if report.chart is None:
        return Column(""), []
    label_at, value_at = report.chart
    label_column = report.columns[label_at]
    totals: dict[str, float] = {}
    for row in report.rows:
        label = shown(label_column, row[label_at])
        value = row[value_at]
        totals[label] = totals.get(label, 0.0) + (
            float(value) if isinstance(value, int | float) else 0.0
        )
    return report.columns[value_at], list(totals.items())


class BarChart(QWidget):
    """Horizontal bars of the current report's chart column."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.column = Column("")
        self.bars: list[tuple[str, float]] = []
        self.setFixedHeight(MIN_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Chart of the report")

    def set_report(self, report: Report | None) -> None:
        self.column, self.bars = chart_bars(report) if report else (Column(""), [])
        # Room for every bar with its label (a year of months, ten practitioners), up to a
        # limit past which the bars thin out and only every few labels are written.
        wanted = self.fontMetrics().height() + 8 + BAR_PITCH * len(self.bars)
        self.setFixedHeight(max(MIN_HEIGHT, min(wanted, MAX_HEIGHT)))
        title = self.column.title
        self.setAccessibleDescription(
            f"{title}: " + "; ".join(f"{k} {self._value_text(v)}" for k, v in self.bars)
            if self.bars
            else ""
        )
        self.update()

    def _value_text(self, value: float) -> str:
        if self.column.kind in (Kind.COUNT, Kind.MONEY, Kind.MINUTES):
            return shown(self.column, round(value))
        return shown(self.column, value)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(palette.ColorRole.WindowText)
        metrics = painter.fontMetrics()
        if not self.bars:
            painter.setPen(text)
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, "Nothing to chart for this period."
            )
            painter.end()
            return
        top = metrics.height() + 8
        painter.setPen(text)
        painter.drawText(0, metrics.ascent(), self.column.title)
        rows = len(self.bars)
        pitch = min(BAR_PITCH + 4.0, max(6.0, (self.height() - top) / rows))
        bar_height = max(3.0, pitch - 6)
        room = max(10, self.width() - LABEL_WIDTH - VALUE_WIDTH - 12)
        largest = max((v for _, v in self.bars), default=0.0) or 1.0
        show_labels = pitch >= metrics.height() - 2
        for i, (label, value) in enumerate(self.bars):
            y = top + i * pitch
            if show_labels or i % max(1, round(metrics.height() / pitch)) == 0:
                painter.setPen(text)
                painter.drawText(
                    QRectF(0, y, LABEL_WIDTH - 8, pitch),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    metrics.elidedText(label, Qt.TextElideMode.ElideRight, LABEL_WIDTH - 8),
                )
            width = room * max(0.0, value) / largest
            painter.fillRect(
                QRectF(LABEL_WIDTH, y + (pitch - bar_height) / 2, width, bar_height), BAR_COLOUR
            )
            if show_labels:
                painter.setPen(text)
                painter.drawText(
                    QRectF(LABEL_WIDTH + width + 6, y, VALUE_WIDTH, pitch),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    self._value_text(value),
                )
        painter.end()
