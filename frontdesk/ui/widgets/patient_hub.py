"""The patient hub: what reception does next for the selected patient, and what is booked.

Buttons (each with a shortcut, the page's actions) to book, book the first available
consultation, start a course, print the appointment card or the plan's handout and open the
chart; below them the patient's upcoming and past visits, open courses with their progress and
treatment plans. The hub is handed a ``PatientOverview``; it never queries the database.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from frontdesk.scheduling import PatientOverview
from frontdesk.timefmt import fmt_day, fmt_when
from frontdesk.ui import qtbits

UPCOMING_SHOWN = 5


def _button_for(action: QAction) -> QPushButton:
    """A push button that triggers ``action`` and names its shortcut in the tool tip."""
    button = QPushButton(action.text().replace("&", ""))
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    button.setToolTip(f"{action.toolTip()} ({keys})" if keys else action.toolTip())
    button.clicked.connect(action.trigger)
    button.setAutoDefault(False)
    action.enabledChanged.connect(button.setEnabled)
    return button


def _section(title: str) -> tuple[QLabel, QLabel]:
    heading = qtbits.label(title, name="detailLabel")
    body = qtbits.label(wrap=True, text_format=Qt.TextFormat.PlainText)
    body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return heading, body


class PatientHub(QWidget):
    """Action buttons and the lists of visits, courses and plans for one patient."""

    def __init__(self, actions: list[QAction], tz: ZoneInfo, parent: QWidget | None = None):
        super().__init__(parent)
        self._tz = tz
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(4)
        grid = QGridLayout()
        grid.setSpacing(6)
        self.buttons = [_button_for(a) for a in actions]
        for i, button in enumerate(self.buttons):
            grid.addWidget(button, i // 2, i % 2)
        layout.addLayout(grid)
        self.upcoming_title, self.upcoming = _section("Upcoming visits")
        self.past_title, self.past = _section("Past visits")
        self.courses_title, self.courses = _section("Courses")
        self.plans_title, self.plans = _section("Treatment plans")
        for w in (
            self.upcoming_title,
            self.upcoming,
            self.courses_title,
            self.courses,
            self.plans_title,
            self.plans,
            self.past_title,
            self.past,
        ):
            layout.addWidget(w)

    def set_zone(self, tz: ZoneInfo) -> None:
        """Times are shown in the clinic's zone (the page learns it with its first read)."""
        self._tz = tz

    def show_overview(self, overview: PatientOverview | None) -> None:
        """List ``overview``'s visits, courses and plans (None clears the lists)."""
        if overview is None:
            for body in (self.upcoming, self.past, self.courses, self.plans):
                body.setText("")
            return
        tz = self._tz
        lines = [
            f"{fmt_when(a.start, tz)} · {a.type_name} with {a.practitioner_name}"
            + (f" · {a.room_name}" if a.room_name else "")
            for a in overview.upcoming[:UPCOMING_SHOWN]
        ]
        more = len(overview.upcoming) - UPCOMING_SHOWN
        if more > 0:
            lines.append(f"and {more} more")
        self.upcoming.setText("\n".join(lines) or "Nothing booked.")
        past = [f"{fmt_day(a.start, tz)} · {a.type_name} · {a.status.label}" for a in overview.past]
        if overview.past_total > len(overview.past):
            past.append(f"{overview.past_total} visits in all")
        self.past.setText("\n".join(past) or "No visits yet.")
        self.courses.setText(
            "\n".join(
                f"{c.progress_text}"
                + (f", {c.frequency.words(c.interval_days)}" if c.frequency else "")
                for c in overview.courses
            )
            or "No course under way."
        )
        self.plans.setText(
            "\n".join(
                f"{p.condition_title or 'Plan'} · {p.practitioner_name} · version {p.latest_number}"
                for p in overview.plans
            )
            or "No treatment plan."
        )
