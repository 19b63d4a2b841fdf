"""The first-start checklist at the top of Settings: what is left before the first booking.

Each step is a button into the Settings tab that does it, ticked when the database says it is
done (``frontdesk.setup.checklist``). Once every step is done the panel offers the first
booking instead, and after that first visit stays out of the way. The steps are read on a
worker; the panel stays hidden until the first answer says whether it is needed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QFrame, QPushButton, QVBoxLayout, QWidget

from frontdesk.db.engine import Database
from frontdesk.domain import FrontdeskError
from frontdesk.setup.checklist import SetupChecklist, setup_checklist
from frontdesk.ui import qtbits
from frontdesk.ui.worker import Latest

PANEL_STYLE = """
QFrame#setupChecklist { background: #eef6f5; border: 1px solid #bcd9d6; border-radius: 6px; }
QPushButton#setupStep { text-align: left; padding: 6px 10px; }
QPushButton#setupStep[done="true"] { color: #2b7a78; }
"""


class SetupChecklistPanel(QFrame):
    """Clinic details → rooms → practitioners and their hours → appointment types.

    Signals:
        open_step(str): a step was clicked; the Settings tab key to show ("rooms"...).
        first_booking(): every step is done and the user asked to book the first visit.
    """

    open_step = Signal(str)
    first_booking = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setObjectName("setupChecklist")
        self.setStyleSheet(PANEL_STYLE)
        self.checklist: SetupChecklist | None = None
        self._was_incomplete = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(14, 10, 14, 10)
        lay.setSpacing(6)
        self.title = qtbits.label(name="sectionTitle", wrap=True)
        lay.addWidget(self.title)
        row = QVBoxLayout()  # one step a line: narrow enough for any window
        row.setSpacing(2)
        self.step_buttons: dict[str, QPushButton] = {}
        self._steps_row = row
        lay.addLayout(row)
        self.book_button = qtbits.button("Register a patient and &book", name="primary")
        self.book_button.clicked.connect(self.first_booking)
        lay.addWidget(self.book_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._reading = Latest()
        self.hide()  # until the first answer says whether anything is left to set up
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Read the steps on a worker, then tick what is done; hide once set up (unless it
        was finished just now)."""
        db = self.db
        self._reading.run(self, lambda: setup_checklist(db), self._show, self._failed)

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, FrontdeskError):
            raise exc
        self.title.setText(f"The setup steps could not be read: {exc}")

    def _show(self, checklist: SetupChecklist) -> None:
        self.checklist = checklist
        if not self.step_buttons:
            for step in checklist.steps:
                button = qtbits.named(QPushButton(), "setupStep")
                button.setToolTip(step.hint)
                button.clicked.connect(lambda _=False, tab=step.tab: self.open_step.emit(tab))
                self.step_buttons[step.tab] = button
                self._steps_row.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        for number, step in enumerate(checklist.steps, start=1):
            button = self.step_buttons[step.tab]
            button.setText(f"{'✓' if step.done else f'{number}.'} {step.title}")
            button.setProperty("done", step.done)
            button.style().unpolish(button)
            button.style().polish(button)
        if checklist.complete:
            self.title.setText(
                "Your clinic is set up. Register your first patient and book their visit."
            )
        else:
            self.title.setText(
                f"Set up your clinic: {checklist.done_count} of "
                f"{len(checklist.steps)} steps done. Click a step to do it."
            )
            self._was_incomplete = True
        self.book_button.setVisible(checklist.complete)
        self.setVisible(not checklist.complete or self._was_incomplete)
