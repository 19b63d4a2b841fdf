"""Adding or editing a practitioner: name, credentials, the profession and registration number
receipts print, discipline, colour and their week."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from frontdesk.billing.fees import set_practitioner_registration
from frontdesk.billing.setup import get_practitioner_registration
from frontdesk.clinic import get_clinic
from frontdesk.context import AppContext
from frontdesk.domain import Discipline, ValidationError
from frontdesk.scheduling.dto import AppointmentView
from frontdesk.setup import (
    Break,
    DayHours,
    PractitionerInput,
    PractitionerSetup,
    add_practitioner,
    get_opening_hours,
    get_practitioner_setup,
    outside_opening,
    practitioner_hours_strands,
    update_practitioner,
)
from frontdesk.ui import qtbits
from frontdesk.ui.dialogs.base import FormDialog
from frontdesk.ui.dialogs.stranded import confirm_stranded, count_phrase
from frontdesk.ui.settings.colour import ColourEdit
from frontdesk.ui.settings.week_grid import WeekGrid


def usual_week() -> dict[int, DayHours]:
    """Monday to Friday, 9 to 5 with lunch from 12 to 1: where a new practitioner starts."""
    day = DayHours(time(9), time(17), (Break(time(12), time(13), "Lunch"),))
    return {weekday: day for weekday in range(5)}


class PractitionerDialog(FormDialog):
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
        self.opening = get_opening_hours(ctx.db)
        self.notes = qtbits.label(name="muted", wrap=True)
        lay.addWidget(self.notes)
        self.set_body(body)
        self._fill()
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.grid.changed.connect(self._mark_dirty)
        self.grid.changed.connect(self._update_notes)
        self.colour.changed.connect(self._mark_dirty)

    def _fill(self) -> None:
        if self.practitioner_id is None:
            data = PractitionerInput(
                "", Discipline.ACUPUNCTURE, colour="#4a7ab5", hours=usual_week()
            )
        else:
            data = get_practitioner_setup(self.ctx.db, self.practitioner_id).to_input()
            receipt = get_practitioner_registration(self.ctx.db, self.practitioner_id)
            self.profession.setText(receipt.profession)
            self.registration.setText(receipt.registration_number)
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
        )

    def save(self) -> bool:
        try:
            if self.practitioner_id is None:
                self.saved = add_practitioner(self.ctx.db, self.data())
            else:
                data = self.data()
                stranded = self._stranded(self.practitioner_id, data)
                if stranded and not self.confirm_stranded(stranded):
                    return False
                self.saved = update_practitioner(self.ctx.db, self.practitioner_id, data)
            set_practitioner_registration(
                self.ctx.db, self.saved.id, self.profession.text(), self.registration.text()
            )
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return False
        return True

    def _stranded(self, practitioner_id: int, data: PractitionerInput) -> list[AppointmentView]:
        try:
            return practitioner_hours_strands(
                self.ctx.db, practitioner_id, data.hours, now=self.ctx.clock()
            )
        except ValidationError:
            return []  # update_practitioner then names every wrong field, not just the hours

    def confirm_stranded(self, stranded: list[AppointmentView]) -> bool:
        """Their visits fall outside the new hours or in a break: True to save anyway."""
        verb = "falls" if len(stranded) == 1 else "fall"
        return confirm_stranded(
            self,
            "Appointments outside the new hours",
            f"{count_phrase(len(stranded))} {verb} outside the new working hours or in a break.",
            stranded,
            get_clinic(self.ctx.db).tz,
            go_text="Save anyway",
        )
