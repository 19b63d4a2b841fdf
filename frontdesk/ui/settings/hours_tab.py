"""The Opening hours tab: when the doors are open, weekday by weekday."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QWidget

from frontdesk.clinic import get_clinic
from frontdesk.context import AppContext
from frontdesk.domain import ValidationError
from frontdesk.scheduling.dto import AppointmentView
from frontdesk.setup import get_opening_hours, opening_hours_strands, set_opening_hours
from frontdesk.ui import qtbits
from frontdesk.ui.dialogs.stranded import confirm_stranded, count_phrase
from frontdesk.ui.settings.fields import FieldErrors
from frontdesk.ui.settings.section import FormSection
from frontdesk.ui.settings.week_grid import WeekGrid


class OpeningHoursTab(FormSection):
    """A week grid without breaks; an unticked day is closed."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            "Untick a day the clinic is closed. Appointments can only be "
            "booked while the clinic is open and the practitioner is working.",
            parent,
        )
        self.zone = qtbits.label(name="muted")
        self.body.addWidget(self.zone)
        self.errors = FieldErrors()
        self.grid = WeekGrid(self.errors.field, with_breaks=False, on_text="Open")
        self.body.addWidget(self.grid)
        self.add_buttons()
        self.grid.changed.connect(self.mark_dirty)

    def reload(self) -> None:
        self.grid.set_hours(get_opening_hours(self.ctx.db))
        self.zone.setText(f"Times are local times in {get_clinic(self.ctx.db).timezone}.")
        self.errors.clear()
        self.show_form_error([])
        self.set_dirty(False)

    @Slot()
    def save(self) -> bool:
        hours = self.grid.hours()
        try:
            stranded = opening_hours_strands(self.ctx.db, hours, now=self.ctx.clock())
            if stranded and not self.confirm_stranded(stranded):
                return False
            set_opening_hours(self.ctx.db, hours)
        except ValidationError as exc:
            self.show_form_error(self.errors.show(exc.errors))
            return False
        self.reload()
        self.status_message.emit("Saved the opening hours.")
        return True

    def confirm_stranded(self, stranded: list[AppointmentView]) -> bool:
        """Visits are booked outside the new hours: True to save the hours anyway."""
        verb = "falls" if len(stranded) == 1 else "fall"
        return confirm_stranded(
            self,
            "Appointments outside the new hours",
            f"{count_phrase(len(stranded))} {verb} outside the new opening hours.",
            stranded,
            get_clinic(self.ctx.db).tz,
            go_text="Save the hours anyway",
        )
