"""Pages for the areas still being built: they say what is coming instead of showing nothing.

Each is replaced by its real page with a one-line change to ``main_window.PAGES``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from frontdesk.context import AppContext
from frontdesk.ui import theme
from frontdesk.ui.widgets.page import Page


class PlaceholderPage(Page):
    """A centred card naming the area and listing what it will do."""

    TITLE = ""
    ICON = ""
    INTRO = ""
    COMING: tuple[str, ...] = ()

    def __init__(self, ctx: AppContext, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(ctx, undo_stack, parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 28, 32, 28)
        outer.addStretch(1)
        card = QFrame(objectName="card")
        card.setFixedWidth(600)  # a fixed width lets the wrapped lines take their full height
        lay = QVBoxLayout(card)
        lay.setContentsMargins(32, 28, 32, 28)
        lay.setSpacing(10)
        icon = QLabel()
        icon.setPixmap(theme.icon(self.ICON).pixmap(48, 48))
        lay.addWidget(icon, alignment=Qt.AlignmentFlag.AlignHCenter)
        title = QLabel(self.TITLE, objectName="pageTitle")
        lay.addWidget(title, alignment=Qt.AlignmentFlag.AlignHCenter)
        intro = QLabel(self.INTRO, objectName="muted", wordWrap=True)
        intro.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        lay.addWidget(intro)
        if self.COMING:
            lay.addSpacing(6)
            lay.addWidget(QLabel("Coming soon", objectName="sectionTitle"))
            for line in self.COMING:
                lay.addWidget(QLabel(f"•  {line}", wordWrap=True))
        card.setMinimumHeight(lay.totalHeightForWidth(600))  # room for every wrapped line
        outer.addWidget(card, alignment=Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)


class CalendarPlaceholder(PlaceholderPage):
    """Where reception's appointment calendar will live."""

    TITLE = "Calendar"
    ICON = "calendar"
    INTRO = "The appointment book is being built. Until then, patients can be found and " \
        "updated on the Patients page."
    COMING = (
        "Day view with a column per practitioner, and a week view for one practitioner",
        "Book one-hour initial consultations with a room, without double booking",
        "Multi-week acupuncture courses booked in one go, with clashes shown before saving",
        "Check in, complete, no-show and cancel from the calendar",
        "Clinic hours, breaks, closures and Alberta holidays shown on the grid",
    )


class PlansPlaceholder(PlaceholderPage):
    """Where treatment plans and handouts will live."""

    TITLE = "Treatment plans"
    ICON = "plans"
    INTRO = "Treatment plans and printed handouts are on their way."
    COMING = (
        "Plans for pinched nerves (cervical and lumbar), sciatica and carpal tunnel syndrome",
        "Symptoms, pain scores, goals and techniques, with every revision kept",
        "Personalised PDF handouts with home-care advice, ready to print",
        "My day: each practitioner's patients for today, with session notes",
    )
