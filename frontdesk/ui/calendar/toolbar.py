"""The calendar's toolbar: where am I (date, view, practitioner) and how do I get elsewhere.

It only reports what was asked for; the page decides what to load.

On a small screen (1024 pixels wide) not every control has room. The date heading takes its
short wording first; then "Show cancelled", "Day sheet…", "New course…" and the date field, in
that order, move into a "More" menu at the end of the bar, so nothing is ever cut and every command stays
one click away. The bar never asks for more width than its essential controls need, so it
never widens the window.

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

from PySide6.QtCore import QDate, QSize, Qt, Signal, Slot
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLayout,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
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
        self._mode = DAY
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        # The bar's own minimum is minimumSizeHint() (the essentials), not the sum of every
        # control shown: a control that has no room goes into the More menu instead.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.today_button = QPushButton("Today")
        self.today_button.setToolTip("Go to today (Ctrl+T)")
        self.prev_button = qtbits.tool_button("‹", tip="Previous day or week (Page Up)")
        self.next_button = qtbits.tool_button("›", tip="Next day or week (Page Down)")
        for button in (self.prev_button, self.next_button):
            button.setStyleSheet("font-size: 14pt; padding: 0 6px;")
        self.title = qtbits.FittingLabel("calendarTitle")
        self.title.setStyleSheet(
            "font-size: 14pt; font-weight: 600; color: #17303c; padding-left: 6px;"
        )
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
        self.more_menu = QMenu(self)
        self.show_cancelled_action = QAction("Show cancelled", self, checkable=True, checked=True)
        self.day_sheet_action = QAction("Day sheet…", self)
        self.new_course_action = QAction("New course…", self)
        self.go_to_date_action = QAction("Go to a date…", self)
        self.more_menu.addActions(
            [
                self.go_to_date_action,
                self.show_cancelled_action,
                self.day_sheet_action,
                self.new_course_action,
            ]
        )
        self.more_button = qtbits.tool_button("More ▾", tip="Commands without room in this bar")
        self.more_button.setMenu(self.more_menu)
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_button.setStyleSheet(MORE_BUTTON_STYLE)
        # What moves into the More menu when the bar is short of room, first to go first.
        self.overflow: list[tuple[QWidget, QAction]] = [
            (self.show_cancelled, self.show_cancelled_action),
            (self.day_sheet_button, self.day_sheet_action),
            (self.new_course_button, self.new_course_action),
            (self.date_edit, self.go_to_date_action),
        ]
        for field in (self.date_edit, self.practitioner_box):  # only the heading gives way
            field.setSizePolicy(QSizePolicy.Policy.Fixed, field.sizePolicy().verticalPolicy())
        for widget in (self.today_button, self.prev_button, self.next_button):
            layout.addWidget(widget)
        layout.addWidget(self.title, 1)  # all the room left: its long wording when it fits
        for control in (
            self.date_edit,
            self.day_button,
            self.week_button,
            self.practitioner_box,
            self.show_cancelled,
            self.day_sheet_button,
            self.new_course_button,
            self.more_button,
        ):
            layout.addWidget(control)
        self._connect_signals()
        self._fit()

    def _connect_signals(self) -> None:
        self.today_button.clicked.connect(self.todayRequested)
        self.prev_button.clicked.connect(lambda: self.stepRequested.emit(-1))
        self.next_button.clicked.connect(lambda: self.stepRequested.emit(1))
        self.date_edit.dateChanged.connect(self._on_date_edited)
        self.day_button.clicked.connect(lambda: self.modeChosen.emit(DAY))
        self.week_button.clicked.connect(lambda: self.modeChosen.emit(WEEK))
        self.practitioner_box.activated.connect(self._on_practitioner)
        self.show_cancelled.toggled.connect(self.showCancelledToggled)
        self.show_cancelled.toggled.connect(self.show_cancelled_action.setChecked)
        self.show_cancelled_action.toggled.connect(self.show_cancelled.setChecked)
        self.new_course_button.clicked.connect(self.newCourseRequested)
        self.new_course_action.triggered.connect(self.newCourseRequested)
        self.day_sheet_button.clicked.connect(self.daySheetRequested)
        self.day_sheet_action.triggered.connect(self.daySheetRequested)
        self.go_to_date_action.triggered.connect(self.pick_date)

    @Slot()
    def pick_date(self) -> QCalendarWidget:
        """The date field's calendar, dropped from the More button (the field had no room)."""
        popup = QCalendarWidget(self)
        popup.setWindowFlags(Qt.WindowType.Popup)
        popup.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        popup.setSelectedDate(self.date_edit.date())
        popup.clicked.connect(self.date_edit.setDate)
        popup.clicked.connect(popup.close)
        popup.move(self.more_button.mapToGlobal(self.more_button.rect().bottomLeft()))
        popup.show()
        return popup

    # -- room ---------------------------------------------------------------------------------
    def _essentials(self) -> list[QWidget]:
        """The controls that always stay in the bar (the heading aside)."""
        shown: list[QWidget] = [self.today_button, self.prev_button, self.next_button]
        shown += [self.day_button, self.week_button]
        return [*shown, self.practitioner_box] if self._mode == WEEK else shown

    def _offered(self) -> list[tuple[QWidget, QAction]]:
        """The optional controls this view has (the day sheet is the day view's)."""
        return [
            (w, a) for w, a in self.overflow if w is not self.day_sheet_button or self._mode == DAY
        ]

    def _width_of(self, widgets: list[QWidget]) -> int:
        """Room for ``widgets`` and the heading's short wording, with the gaps between them."""
        spacing = qtbits.must(self.layout()).spacing()
        widths = [w.sizeHint().width() for w in widgets] + [self.title.minimumSizeHint().width()]
        return sum(widths) + spacing * len(widths)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(self._width_of([*self._essentials(), self.more_button]), hint.height())

    def _fit(self) -> None:
        """Show the optional controls that fit; the others are in the More menu."""
        offered = self._offered()
        kept = [w for w, _a in offered]
        while kept:
            extra = [self.more_button] if len(kept) < len(offered) else []
            if self._width_of([*self._essentials(), *kept, *extra]) <= self.width():
                break
            kept.pop(0)
        for widget, action in self.overflow:
            widget.setVisible(widget in kept)
            action.setVisible(widget not in kept and (widget, action) in offered)
        self.more_button.setVisible(len(kept) < len(offered))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

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
        if mode != self._mode:
            self._mode = mode
            self.practitioner_box.setVisible(mode == WEEK)
            self.updateGeometry()  # the essentials changed: the page lays the bar out again
            self._fit()
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
                f"{first.day}–{last.day} {first:%B %Y}", f"{first.day}–{last.day} {first:%b}"
            )
        else:  # the date field beside the heading still says which year
            self.title.set_texts(
                f"{first.day} {first:%b} – {last.day} {last:%b %Y}",
                f"{first.day} {first:%b} – {last.day} {last:%b}",
            )
        self.title.setAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        self._fit()  # the heading's wording may need other room (first shown once it is read)


MODE_BUTTON_STYLE = """
QToolButton { padding: 5px 12px; border: 1px solid #c5d1d8; background: #ffffff; }
QToolButton:checked { background: #d3ebe8; border-color: #2b7a78; color: #10282b; font-weight: 600; }
"""

# The arrow is in the words ("More ▾"); the style's own small corner arrow would sit on them.
MORE_BUTTON_STYLE = "QToolButton::menu-indicator { image: none; width: 0px; }"
