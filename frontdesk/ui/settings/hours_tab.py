"""The Opening hours tab: when the doors are open, weekday by weekday."""

from __future__ import annotations

from datetime import UTC, tzinfo

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QWidget

from frontdesk.clinic import get_clinic
from frontdesk.context import AppContext
from frontdesk.scheduling.dto import AppointmentView
from frontdesk.setup import (
    WeeklyHours,
    get_opening_hours,
    opening_hours_strands,
    set_opening_hours,
)
from frontdesk.ui import qtbits
from frontdesk.ui.dialogs.stranded import confirm_stranded, count_phrase
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
        self._tz: tzinfo = UTC  # the clinic's (read with the visits a change would strand)
        self.grid = WeekGrid(self.errors.field, with_breaks=False, on_text="Open")
        self.body.addWidget(self.grid)
        self.add_buttons()
        self.grid.changed.connect(self.mark_dirty)

    def reload(self) -> None:
        db = self.ctx.db
        self.read(
            lambda: (get_opening_hours(db), get_clinic(db).timezone),
            self._show,
            "The opening hours",
        )

    def _show(self, found: tuple[WeeklyHours, str]) -> None:
        hours, zone = found
        self.grid.set_hours(hours)
        self.zone.setText(f"Times are local times in {zone}.")
        self.errors.clear()
        self.show_form_error([])
        self.set_dirty(False)

    @Slot()
    def save(self) -> bool:
        """Check on a worker which visits the new hours leave outside them, ask about those,
        then save on a worker; a refusal shows under the weekday it names."""
        db, hours, now = self.ctx.db, self.grid.hours(), self.ctx.clock()

        def checked(found: tuple[list[AppointmentView], tzinfo]) -> None:
            stranded, self._tz = found
            if not stranded or self.confirm_stranded(stranded):
                self.save_on_worker(lambda: set_opening_hours(db, hours), self._saved)

        self.save_on_worker(
            lambda: (opening_hours_strands(db, hours, now=now), get_clinic(db).tz), checked
        )
        return True

    def _saved(self, _hours: WeeklyHours) -> None:
        self.reload()
        self.status_message.emit("Saved the opening hours.")

    def confirm_stranded(self, stranded: list[AppointmentView]) -> bool:
        """Visits are booked outside the new hours: True to save the hours anyway."""
        verb = "falls" if len(stranded) == 1 else "fall"
        return confirm_stranded(
            self,
            "Appointments outside the new hours",
            f"{count_phrase(len(stranded))} {verb} outside the new opening hours.",
            stranded,
            self._tz,
            go_text="Save the hours anyway",
        )
