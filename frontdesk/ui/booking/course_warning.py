"""The course wizard's warning that the patient already has a course under way.

Booking a second course beside an open one is sometimes right (a new problem, another
practitioner) and often a slip (the old course was meant to be replaced). Either way reception
must know before pressing Book, and must know which course the treatment-plan handout will list
afterwards: the new one.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from frontdesk.domain import AppointmentStatus
from frontdesk.scheduling import CourseView
from frontdesk.timefmt import fmt_day, fmt_when

WARNING_STYLE = (
    "QLabel { color: #5c3b00; background: #fff4dc; border: 1px solid #f0d08c;"
    " border-radius: 4px; padding: 6px 8px; }"
)


def describe_course(course: CourseView, tz: ZoneInfo, *, now: datetime) -> str:
    """ "10 sessions with Mei Lin Chen from Mon 5 Jan 2026 (4 attended, next Mon 9 Feb 2026,
    10:30)": enough for reception to recognise the course."""
    sessions = [a for a in course.appointments if a.status is not AppointmentStatus.CANCELLED]
    who = f" with {sessions[0].practitioner_name}" if sessions else ""
    since = f" from {fmt_day(sessions[0].start, tz)}" if sessions else ""
    upcoming = [a for a in sessions if a.is_active and a.start >= now]
    if upcoming:
        nxt = upcoming[0].start
        progress = f"{course.attended} attended, next {fmt_when(nxt, tz)}"
    else:
        progress = f"{course.attended} attended, no session still booked"
    noun = "session" if course.planned == 1 else "sessions"
    return f"{course.planned} {noun}{who}{since} ({progress})"


class ExistingCourseWarning(QLabel):
    """An amber note above the sessions, hidden while the patient has no open course."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("courseWarning")
        self.setStyleSheet(WARNING_STYLE)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setVisible(False)

    def show_courses(
        self,
        patient_name: str,
        courses: list[CourseView],
        tz: ZoneInfo,
        *,
        now: datetime,
        has_plan: bool,
    ) -> None:
        """Name the open courses (or hide when there are none)."""
        if not courses:
            self.clear()
            self.setVisible(False)
            return
        described = "; ".join(describe_course(c, tz, now=now) for c in courses)
        if len(courses) == 1:
            text = (
                f"{patient_name} already has an active course: {described}. Booking adds a "
                "second course beside it; that course stays booked (cancel its remaining "
                "sessions from the chart if this course replaces it)."
            )
        else:
            text = (
                f"{patient_name} already has {len(courses)} active courses: {described}. "
                "Booking adds another course beside them; they stay booked (cancel their "
                "remaining sessions from the chart if this course replaces them)."
            )
        if has_plan:
            text += " The treatment-plan handout will list the new course."
        self.setText(text)
        self.setVisible(True)
