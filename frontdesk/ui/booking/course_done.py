"""What the course wizard shows once a course is booked: the dates, and the handout offer.

When the patient has a treatment plan, the natural next step is to hand them its handout with
the new dates, so "Print handout…" is the default button. Without a plan there is nothing to
print yet; the page says so and lets reception ask for the plan editor later (the wizard only
records and announces that intent; opening the editor is the main window's business).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.plans import PlanRevisionView
from frontdesk.scheduling import CourseView
from frontdesk.timefmt import fmt_day, fmt_time


class CourseDonePage(QWidget):
    """Summary of the booked course with the follow-up buttons.

    Signals:
        printRequested(): print the plan's handout now.
        planEditorRequested(): no plan yet; reception wants the plan editor opened later.
        closeRequested(): nothing more to do.
    """

    printRequested = Signal()
    planEditorRequested = Signal()
    closeRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.dates = QLabel()
        self.dates.setWordWrap(True)
        self.dates.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.plan_note = QLabel()
        self.plan_note.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.print_button = QPushButton("Print treatment-plan handout…")
        self.later_button = QPushButton("Open plan editor later")
        self.close_button = QPushButton("Close")
        for b in (self.print_button, self.later_button):
            self.buttons.addButton(b, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.dates)
        layout.addSpacing(8)
        layout.addWidget(self.plan_note)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.print_button.clicked.connect(self.printRequested)
        self.later_button.clicked.connect(self.planEditorRequested)
        self.close_button.clicked.connect(self.closeRequested)

    def show_course(
        self, course: CourseView, patient_name: str, plan: PlanRevisionView | None, tz: ZoneInfo
    ) -> None:
        """Fill the page for the course just booked and the patient's current plan (if any)."""
        self.title.setText(f"Course booked: {course.planned} sessions for {patient_name}")
        lines = [
            f"{a.course_index or i}. {fmt_day(a.start, tz)}, {fmt_time(a.start, tz)}"
            + (f" · {a.room_name}" if a.room_name else "")
            for i, a in enumerate(course.appointments, start=1)
        ]
        self.dates.setText("\n".join(lines))
        has_plan = plan is not None
        if has_plan:
            self.plan_note.setText(
                "Give the patient the treatment-plan handout: it lists these dates with "
                "the plan and home-care advice."
            )
        else:
            self.plan_note.setText(
                f"{patient_name} has no treatment plan yet, so there is no handout to print. "
                "The practitioner can write one in the plan editor; the handout will then "
                "list these dates."
            )
        self.print_button.setVisible(has_plan)
        self.later_button.setVisible(not has_plan)
        default = self.print_button if has_plan else self.close_button
        default.setDefault(True)
        default.setFocus()

    @Slot()
    def focus_default(self) -> None:
        (self.print_button if self.print_button.isVisible() else self.close_button).setFocus()
