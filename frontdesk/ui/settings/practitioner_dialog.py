"""Adding or editing a practitioner: name, credentials, the profession and registration number
receipts print, discipline, colour and their week.

The dialog reads what it shows on a worker as it opens (editing: Save waits for it) and saves
on one: the check for visits the new week would strand, the question about them, then the save.
"""

from __future__ import annotations

from datetime import datetime, time, tzinfo

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.billing.setup import PractitionerReceipt, get_practitioner_registration
from frontdesk.clinic import get_clinic
from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.domain import Discipline, FrontdeskError, ValidationError
from frontdesk.scheduling.dto import AppointmentView
from frontdesk.setup import (
    Break,
    DayHours,
    PractitionerInput,
    PractitionerSetup,
    WeeklyHours,
    add_practitioner,
    get_opening_hours,
    get_practitioner_setup,
    outside_opening,
    practitioner_hours_strands,
    update_practitioner,
)
from frontdesk.ui import qtbits
from frontdesk.ui.dialogs.base import FORM_KEY
from frontdesk.ui.dialogs.stranded import confirm_stranded, count_phrase
from frontdesk.ui.settings.colour import ColourEdit
from frontdesk.ui.settings.list_section import RecordDialog
from frontdesk.ui.settings.week_grid import WeekGrid
from frontdesk.ui.worker import run_query

Opened = tuple[WeeklyHours, PractitionerInput | None, PractitionerReceipt | None]


def usual_week() -> dict[int, DayHours]:
    """Monday to Friday, 9 to 5 with lunch from 12 to 1: where a new practitioner starts."""
    day = DayHours(time(9), time(17), (Break(time(12), time(13), "Lunch"),))
    return {weekday: day for weekday in range(5)}


def read_practitioner(db: Database, practitioner_id: int | None) -> Opened:
    """The clinic's opening hours, and the practitioner's details and receipt line to edit."""
    opening = get_opening_hours(db)
    if practitioner_id is None:
        return opening, None, None
    data = get_practitioner_setup(db, practitioner_id).to_input()
    return opening, data, get_practitioner_registration(db, practitioner_id)


def stranded_by(
    db: Database, practitioner_id: int, hours: WeeklyHours, now: datetime
) -> tuple[list[AppointmentView], tzinfo]:
    """Their visits the new week would leave outside it, and the clinic's zone to list them."""
    try:
        stranded = practitioner_hours_strands(db, practitioner_id, hours, now=now)
    except ValidationError:
        stranded = []  # update_practitioner then names every wrong field, not just the hours
    return stranded, get_clinic(db).tz


def save_practitioner(
    db: Database, practitioner_id: int | None, data: PractitionerInput
) -> PractitionerSetup:
    """Add or update the practitioner with their receipt line: one service call, one
    transaction (a refusal leaves nothing half saved)."""
    if practitioner_id is None:
        return add_practitioner(db, data)
    return update_practitioner(db, practitioner_id, data)


class PractitionerDialog(RecordDialog):
    """Saves details and the weekly grid together; each weekday's problem shows on its row."""

    def __init__(
        self, ctx: AppContext, practitioner_id: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            "Add practitioner" if practitioner_id is None else "Edit practitioner", parent
        )
        self.ctx = ctx
        self.practitioner_id = practitioner_id
        self.saved: PractitionerSetup | None = None
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.display_name = QLineEdit(maxLength=120, placeholderText="Dr. Mei Chen")
        self.credentials = QLineEdit(maxLength=60, placeholderText="R.Ac, PT, DC…")
        self.discipline = QComboBox()
        for discipline in Discipline:
            self.discipline.addItem(discipline.label, discipline.value)
        self.colour = ColourEdit()
        # What receipts print for an insurer: the profession and the college registration.
        self.profession = QLineEdit(maxLength=80, placeholderText="Registered Acupuncturist")
        self.registration = QLineEdit(maxLength=40, placeholderText="CAAA-1234")
        self.add_row(form, "&Name", "display_name", self.display_name)
        self.add_row(form, "&Credentials", "credentials", self.credentials)
        self.add_row(form, "&Profession", "profession", self.profession)
        self.add_row(form, "Re&gistration no.", "registration_number", self.registration)
        self.add_row(form, "&Discipline", "discipline", self.discipline)
        self.add_row(form, "Calendar c&olour", "colour", self.colour, self.colour.edit)
        lay.addLayout(form)
        lay.addSpacing(6)
        lay.addWidget(qtbits.label("Working hours", name="sectionTitle"))
        lay.addWidget(
            qtbits.label(
                "Tick the days they work. A break (lunch) must fall inside the "
                "day's hours; nothing can be booked during it.",
                name="muted",
                wrap=True,
            )
        )
        self.grid = WeekGrid(self.field, with_breaks=True, on_text="Works")
        lay.addWidget(self.grid)
        self.opening: WeeklyHours | None = None  # the clinic's, once read
        self.notes = qtbits.label(name="muted", wrap=True)
        lay.addWidget(self.notes)
        self.set_body(body)
        if practitioner_id is None:  # a new practitioner starts on the usual week at once
            self._fill(
                PractitionerInput("", Discipline.ACUPUNCTURE, colour="#4a7ab5", hours=usual_week())
            )
        else:  # nothing to save until their details are shown
            self.save_button().setEnabled(False)
        self._connect_signals()
        db = ctx.db
        run_query(
            self, lambda: read_practitioner(db, practitioner_id), self._opened, self._not_opened
        )

    def save_button(self) -> QPushButton:
        return qtbits.must(self.buttons.button(QDialogButtonBox.StandardButton.Save))

    @property
    def loaded(self) -> bool:
        """What the dialog reads as it opens is shown."""
        return self.opening is not None

    def _connect_signals(self) -> None:
        self.grid.changed.connect(self._mark_dirty)
        self.grid.changed.connect(self._update_notes)
        self.colour.changed.connect(self._mark_dirty)

    def _opened(self, found: Opened) -> None:
        self.opening, data, receipt = found
        if receipt is not None:
            self.profession.setText(receipt.profession)
            self.registration.setText(receipt.registration_number)
        if data is not None:
            self._fill(data)
            self.save_button().setEnabled(True)
        else:
            self._update_notes()

    def _not_opened(self, exc: Exception) -> None:
        if not isinstance(exc, FrontdeskError):
            raise exc
        what = "The practitioner" if self.practitioner_id else "The clinic's opening hours"
        self.show_errors({FORM_KEY: f"{what} could not be read: {exc}"})

    def _fill(self, data: PractitionerInput) -> None:
        self.display_name.setText(data.display_name)
        self.credentials.setText(data.credentials)
        self.discipline.setCurrentIndex(self.discipline.findData(data.discipline.value))
        self.colour.set_text(data.colour)
        self.grid.set_hours(data.hours)
        self._update_notes()
        self.mark_clean()

    @Slot()
    def _update_notes(self) -> None:
        """Say which ticked hours the calendar will not offer because the clinic is shut."""
        if self.opening is None:
            return
        notes = outside_opening(self.grid.hours(), self.opening)
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))

    def data(self) -> PractitionerInput:
        return PractitionerInput(
            display_name=self.display_name.text(),
            discipline=Discipline(self.discipline.currentData()),
            credentials=self.credentials.text(),
            colour=self.colour.text(),
            hours=self.grid.hours(),
            profession=self.profession.text(),
            registration_number=self.registration.text(),
        )

    def save(self) -> bool:
        """On a worker: check which of their visits an edited week strands, ask about those,
        then save the details and the receipt line together."""
        db, pid, data = self.ctx.db, self.practitioner_id, self.data()

        def write() -> PractitionerSetup:
            return save_practitioner(db, pid, data)

        if pid is None:
            self.save_record(write)
            return False
        now = self.ctx.clock()
        self.check_then_save(lambda: stranded_by(db, pid, data.hours, now), write)
        return False

    def confirm_stranded(self, stranded: list[AppointmentView]) -> bool:
        """Their visits fall outside the new hours or in a break: True to save anyway."""
        verb = "falls" if len(stranded) == 1 else "fall"
        return confirm_stranded(
            self,
            "Appointments outside the new hours",
            f"{count_phrase(len(stranded))} {verb} outside the new working hours or in a break.",
            stranded,
            self.tz,
            go_text="Save anyway",
        )
