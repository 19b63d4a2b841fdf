"""Seven rows, Monday to Sunday: on or off, from and to, and (for practitioners) a break.

Used for the clinic's opening hours and for each practitioner's working week. Each row is
wrapped by the owner's ``field(key, widget, target)`` so the service's message for that
weekday ("Tuesday: the break … is outside …") appears right under the row.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

from PySide6.QtCore import QTime, Signal, Slot
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QTimeEdit, QVBoxLayout, QWidget

from frontdesk.setup import WEEKDAYS, Break, DayHours, WeeklyHours, weekday_key, weekday_name
from frontdesk.ui import qtbits
from frontdesk.ui.qtbits import py_time

Wrap = Callable[[str, QWidget, QWidget], QWidget]


def qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)


def time_edit(accessible: str) -> QTimeEdit:
    edit = QTimeEdit()
    edit.setDisplayFormat("HH:mm")
    edit.setAccessibleName(accessible)
    edit.setFixedWidth(96)
    return edit


class DayRow(QWidget):
    """One weekday: a tick box with its name, two times, and optionally a break."""

    def __init__(self, weekday: int, with_break: bool, on_text: str) -> None:
        super().__init__()
        name = weekday_name(weekday)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self.on = QCheckBox(name)
        self.on.setToolTip(f"{on_text} on {name}")
        self.on.setFixedWidth(120)
        self.starts = time_edit(f"{name} from")
        self.ends = time_edit(f"{name} to")
        row.addWidget(self.on)
        row.addWidget(self.starts)
        row.addWidget(QLabel("to"))
        row.addWidget(self.ends)
        self.has_break = QCheckBox("Break")
        self.break_starts = time_edit(f"{name} break from")
        self.break_ends = time_edit(f"{name} break to")
        self.extra = qtbits.label(name="muted")
        if with_break:
            row.addSpacing(18)
            row.addWidget(self.has_break)
            row.addWidget(self.break_starts)
            row.addWidget(QLabel("to"))
            row.addWidget(self.break_ends)
            row.addWidget(self.extra)
        row.addStretch(1)
        self._extra_breaks: tuple[Break, ...] = ()
        self._label = "Lunch"
        self.on.toggled.connect(self._update_enabled)
        self.has_break.toggled.connect(self._update_enabled)
        self.set_day(None)

    def set_day(self, day: DayHours | None) -> None:
        self.on.setChecked(day is not None)
        day = day or DayHours(time(9), time(17))
        self.starts.setTime(qtime(day.starts_at))
        self.ends.setTime(qtime(day.ends_at))
        first = day.breaks[0] if day.breaks else None
        self.has_break.setChecked(first is not None)
        self.break_starts.setTime(qtime(first.starts_at) if first else QTime(12, 0))
        self.break_ends.setTime(qtime(first.ends_at) if first else QTime(13, 0))
        self._label = first.label if first else "Lunch"
        self._extra_breaks = day.breaks[1:]
        count = len(self._extra_breaks)
        self.extra.setText(f"+ {count} more" if count else "")
        self._update_enabled()

    def day(self) -> DayHours | None:
        if not self.on.isChecked():
            return None
        breaks: tuple[Break, ...] = self._extra_breaks
        if self.has_break.isChecked():
            first = Break(
                py_time(self.break_starts.time()), py_time(self.break_ends.time()), self._label
            )
            breaks = (first, *breaks)
        return DayHours(py_time(self.starts.time()), py_time(self.ends.time()), breaks)

    @Slot()
    def _update_enabled(self) -> None:
        on = self.on.isChecked()
        self.starts.setEnabled(on)
        self.ends.setEnabled(on)
        self.has_break.setEnabled(on)
        self.break_starts.setEnabled(on and self.has_break.isChecked())
        self.break_ends.setEnabled(on and self.has_break.isChecked())


class WeekGrid(QWidget):
    """The whole week; ``hours()`` is what the service saves.

    Signals:
        changed(): any tick or time was changed by the user.
    """

    changed = Signal()

    def __init__(
        self, wrap: Wrap, *, with_breaks: bool, on_text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        # An unticked day's times are kept but greyed, so "closed" reads at a glance.
        self.setStyleSheet(
            "QTimeEdit:disabled { color: #a3b0b8; background: #f3f6f8; border-color: #e1e8ec; }"
        )
        self.rows: dict[int, DayRow] = {}
        for weekday in WEEKDAYS:
            row = DayRow(weekday, with_breaks, on_text)
            self.rows[weekday] = row
            lay.addWidget(wrap(weekday_key(weekday), row, row.on))
        self._connect_signals()

    def _connect_signals(self) -> None:
        for row in self.rows.values():
            for box in (row.on, row.has_break):
                box.toggled.connect(self.changed)
            for edit in (row.starts, row.ends, row.break_starts, row.break_ends):
                edit.userTimeChanged.connect(self.changed)

    def set_hours(self, hours: WeeklyHours) -> None:
        self.blockSignals(True)
        for weekday, row in self.rows.items():
            row.set_day(hours.get(weekday))
        self.blockSignals(False)

    def hours(self) -> WeeklyHours:
        found = {weekday: row.day() for weekday, row in self.rows.items()}
        return {weekday: day for weekday, day in found.items() if day is not None}
