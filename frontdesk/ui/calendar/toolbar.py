"""The calendar's toolbar: where am I (date, view, practitioner) and how do I get elsewhere.

It only reports what was asked for; the page decides what to load.

Signals:
    todayRequested(): jump to today.
    stepRequested(int steps): previous (-1) or next (+1) day or week.
    dateChosen(object date): a date picked in the calendar popup.
    modeChosen(str mode): "day" or "week".
    practitionerChosen(int practitioner_id): whose week to show.
    showCancelledToggled(bool): show or hide cancelled appointments.
    newCourseRequested(): open the course wizard.
    daySheetRequested(): print the day sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QWidget,
)

from frontdesk.scheduling import PractitionerView
from frontdesk.timefmt import fmt_day, fmt_long_date
from frontdesk.ui import qtbits

DAY, WEEK = "day", "week"


class CalendarToolbar(QWidget):
    """Today / ‹ › / the date in words / picker / Day-Week / practitioner / options."""

    todayRequested = Signal()
    stepRequested = Signal(int)
    dateChosen = Signal(object)
    modeChosen = Signal(str)
    practitionerChosen = Signal(int)
    showCancelledToggled = Signal(bool)
    newCourseRequested = Signal()
    daySheetRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.today_button = QPushButton("Today")
        self.today_button.setToolTip("Go to today (Ctrl+T)")
        self.prev_button = qtbits.tool_button("‹", tip="Previous day or week (Page Up)")
        self.next_button = qtbits.tool_button("›", tip="Next day or week (Page Down)")
        for button in (self.prev_button, self.next_button):
            button.setMinimumWidth(30)
            button.setStyleSheet("font-size: 14pt; padding: 0 6px;")
        self.title = qtbits.FittingLabel("calendarTitle")
        self.title.setStyleSheet(
            "font-size: 14pt; font-weight: 600; color: #17303c; padding-left: 6px;"
        )
        self.title.setMinimumWidth(120)
        self.date_edit = qtbits.date_edit()
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setToolTip("Go to a date")
        self.day_button = qtbits.tool_button(
            "Day", tip="One column per practitioner (Ctrl+Alt+1)", checkable=True
        )
        self.week_button = qtbits.tool_button(
            "Week", tip="One practitioner's week (Ctrl+Alt+3)", checkable=True
        )
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.day_button)
        self.mode_group.addButton(self.week_button)
        self.day_button.setChecked(True)
        for button in (self.day_button, self.week_button):
            button.setStyleSheet(MODE_BUTTON_STYLE)
        self.practitioner_box = qtbits.tip(QComboBox(), "Whose week to show")
        self.practitioner_box.setMinimumWidth(140)
        self.practitioner_box.hide()
        self.show_cancelled = QCheckBox("Show cancelled")
        self.show_cancelled.setChecked(True)
        self.new_course_button = qtbits.button(
            "New course…", tip="Book a course of sessions (Ctrl+Shift+C)"
        )
        self.day_sheet_button = qtbits.button(
            "Day sheet…", tip="Print each practitioner's day (Ctrl+Shift+P)"
        )
        for widget in (self.today_button, self.prev_button, self.next_button, self.title):
            layout.addWidget(widget)
        layout.addStretch(1)
        for control in (
            self.date_edit,
            self.day_button,
            self.week_button,
            self.practitioner_box,
            self.show_cancelled,
            self.day_sheet_button,
            self.new_course_button,
        ):
            layout.addWidget(control)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.today_button.clicked.connect(self.todayRequested)
        self.prev_button.clicked.connect(lambda: self.stepRequested.emit(-1))
        self.next_button.clicked.connect(lambda: self.stepRequested.emit(1))
        self.date_edit.dateChanged.connect(self._on_date_edited)
        self.day_button.clicked.connect(lambda: self.modeChosen.emit(DAY))
        self.week_button.clicked.connect(lambda: self.modeChosen.emit(WEEK))
        self.practitioner_box.activated.connect(self._on_practitioner)
        self.show_cancelled.toggled.connect(self.showCancelledToggled)
        self.new_course_button.clicked.connect(self.newCourseRequested)
        self.day_sheet_button.clicked.connect(self.daySheetRequested)

    @Slot(QDate)
    def _on_date_edited(self, value: QDate) -> None:
        self.dateChosen.emit(qtbits.py_date(value))

    @Slot(int)
    def _on_practitioner(self, index: int) -> None:
        self.practitionerChosen.emit(int(self.practitioner_box.itemData(index)))

    def set_practitioners(
        self, practitioners: Sequence[PractitionerView], current: int | None
    ) -> None:
        self.practitioner_box.blockSignals(True)
        self.practitioner_box.clear()
        for p in practitioners:
            self.practitioner_box.addItem(p.display_name, p.id)
        index = self.practitioner_box.findData(current)
        self.practitioner_box.setCurrentIndex(max(0, index))
        self.practitioner_box.blockSignals(False)

    def show_state(
        self, *, mode: str, day: date, first: date, last: date, practitioner_id: int | None
    ) -> None:
        """Reflect the page's state without sending signals back."""
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.date_edit.blockSignals(False)
        (self.day_button if mode == DAY else self.week_button).setChecked(True)
        self.practitioner_box.setVisible(mode == WEEK)
        self.day_sheet_button.setVisible(mode == DAY)
        if mode == WEEK and practitioner_id is not None:
            self.practitioner_box.blockSignals(True)
            self.practitioner_box.setCurrentIndex(
                max(0, self.practitioner_box.findData(practitioner_id))
            )
            self.practitioner_box.blockSignals(False)
        if mode == DAY:
            self.title.set_texts(fmt_long_date(day), fmt_day(day))
        elif first.month == last.month:
            self.title.set_texts(
                f"{first.day}–{last.day} {first:%B %Y}", f"{first.day}–{last.day} {first:%b %Y}"
            )
        else:
            short = f"{first.day} {first:%b} – {last.day} {last:%b %Y}"
            self.title.set_texts(short, short)
        self.title.setAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)


MODE_BUTTON_STYLE = """
QToolButton { padding: 5px 12px; border: 1px solid #c5d1d8; background: #ffffff; }
QToolButton:checked { background: #d3ebe8; border-color: #2b7a78; color: #10282b; font-weight: 600; }
"""
