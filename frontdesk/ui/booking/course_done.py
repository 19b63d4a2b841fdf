"""What the course wizard shows once a course is booked: the dates, and what to print.

When the patient has a treatment plan, the course just booked is the one it covers, so the
natural next step is to hand them its handout with the new dates: "Print handout…" is the
default button. Without a plan there is no handout, but the patient still needs the dates on
paper: the page offers the appointment card, which lists them.
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
        cardRequested(): no plan yet; print the appointment card with the dates instead.
        closeRequested(): nothing more to do.
    """

    printRequested = Signal()
    cardRequested = Signal()
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
        self.buttons = QDialogButtonBox(self)  # sized in the window's style (below)
        self.print_button = QPushButton("Print treatment-plan handout…", self)
        self.card_button = QPushButton("Print appointment card…", self)
        self.close_button = QPushButton("Close")
        for b in (self.print_button, self.card_button):
            # Room for the bold default-button style, which the size hint does not know about.
            b.setMinimumWidth(b.sizeHint().width() + 24)
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
        self.card_button.clicked.connect(self.cardRequested)
        self.close_button.clicked.connect(self.closeRequested)

    def show_course(
        self,
        course: CourseView,
        patient_name: str,
        plan: PlanRevisionView | None,
        tz: ZoneInfo,
        *,
        earlier: int = 0,
    ) -> None:
        """Fill the page for the course just booked and the patient's current plan (if any);
        ``earlier`` counts the patient's other active courses, which stay booked."""
        self.title.setText(f"Course booked: {course.planned} sessions for {patient_name}")
        lines = [
            f"{a.course_index or i}. {fmt_day(a.start, tz)}, {fmt_time(a.start, tz)}"
            + (f" · {a.room_name}" if a.room_name else "")
            for i, a in enumerate(course.appointments, start=1)
        ]
        self.dates.setText("\n".join(lines))
        has_plan = plan is not None and plan.course_id == course.id
        if has_plan:
            note = (
                "Give the patient the treatment-plan handout: it lists these dates with "
                "the plan and home-care advice."
            )
            if earlier == 1:
                note += " It lists only this course; the earlier course stays booked."
            elif earlier > 1:
                note += f" It lists only this course; the {earlier} earlier courses stay booked."
            planned = plan.planned_sessions if plan is not None else None
            if planned and planned != course.planned:
                note += (
                    f" The plan itself still recommends {planned} sessions; the practitioner "
                    "can change that in the plan editor."
                )
        elif plan is not None:  # a plan written meanwhile, for another course
            note = (
                f"{patient_name}'s treatment plan covers another course, so its handout would "
                "not list these dates. Give them the appointment card: it lists these dates."
            )
        else:
            note = (
                f"{patient_name} has no treatment plan yet, so there is no handout. Give "
                "them the appointment card: it lists these dates. Once the practitioner "
                "writes a plan in the chart, its handout can list this course too."
            )
        self.plan_note.setText(note)
        self.print_button.setVisible(has_plan)
        self.card_button.setVisible(not has_plan)
        default = self.print_button if has_plan else self.card_button
        default.setDefault(True)
        default.setFocus()

    @Slot()
    def focus_default(self) -> None:
        (self.print_button if self.print_button.isVisible() else self.card_button).setFocus()
