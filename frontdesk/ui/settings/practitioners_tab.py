"""The Practitioners tab: who can be booked, their hours at a glance, and who has left."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QWidget

from frontdesk.context import AppContext
from frontdesk.setup import (
    PractitionerSetup,
    deactivate_practitioner,
    list_practitioner_setups,
    reactivate_practitioner,
)
from frontdesk.ui import qtbits
from frontdesk.ui.settings.list_section import ListSection, swatch
from frontdesk.ui.settings.practitioner_dialog import PractitionerDialog


def week_summary(p: PractitionerSetup) -> str:
    """ "Mon–Fri · 35 h a week": which days and how many bookable hours."""
    if not p.hours:
        return "No working hours yet"
    names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    days = sorted(p.hours)
    if days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
        which = f"{names[days[0]]}–{names[days[-1]]}"
    else:
        which = ", ".join(names[d] for d in days)
    minutes = 0
    for day in p.hours.values():
        minutes += (
            day.ends_at.hour * 60
            + day.ends_at.minute
            - day.starts_at.hour * 60
            - day.starts_at.minute
        )
        for pause in day.breaks:
            minutes -= (
                pause.ends_at.hour * 60
                + pause.ends_at.minute
                - pause.starts_at.hour * 60
                - pause.starts_at.minute
            )
    hours = f"{minutes / 60:.1f}".removesuffix(".0")
    return f"{which} · {hours} h a week"


class PractitionersTab(ListSection):
    """Add, edit, deactivate and reactivate practitioners."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            "Everyone who sees patients. Only active practitioners appear "
            "on the calendar and can be booked.",
            ("Name", "Credentials", "Discipline", "Working week", "Status"),
            "No practitioners yet.\nAdd each person who sees patients, with the "
            "hours they work, and the calendar can start taking bookings.",
            parent,
        )
        self.add_button = self.button("&Add practitioner…", needs_row=False, primary=True)
        self.edit_button = self.button("&Edit…")
        self.deactivate_button = self.button("&Deactivate")
        self.reactivate_button = self.button("React&ivate")
        self._practitioners: dict[int, PractitionerSetup] = {}
        self.finish_buttons()
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.activate)
        self.deactivate_button.clicked.connect(self.deactivate)
        self.reactivate_button.clicked.connect(self.reactivate)

    def reload(self, select_id: int | None = None) -> None:
        db = self.ctx.db
        self.read(
            lambda: list_practitioner_setups(db),
            lambda found: self._show(found, select_id),
            "The practitioners",
        )

    def _show(self, found: list[PractitionerSetup], select_id: int | None) -> None:
        self._practitioners = {p.id: p for p in found}
        self.set_rows(
            [
                (
                    p.id,
                    (
                        p.display_name,
                        p.credentials,
                        p.discipline.label,
                        week_summary(p),
                        "Active" if p.active else "Inactive",
                    ),
                    not p.active,
                )
                for p in found
            ],
            select_id,
        )
        for r, p in enumerate(found):
            qtbits.must(self.table.item(r, 0)).setIcon(swatch(p.colour))

    @Slot()
    def update_buttons(self) -> None:
        super().update_buttons()
        chosen = self._practitioners.get(self.selected_id() or 0)
        self.deactivate_button.setEnabled(chosen is not None and chosen.active)
        self.reactivate_button.setEnabled(chosen is not None and not chosen.active)

    def open_dialog(self, practitioner_id: int | None) -> PractitionerDialog:
        """The dialog, not yet shown (tests fill it in and accept it)."""
        return PractitionerDialog(self.ctx, practitioner_id, self)

    @Slot()
    def deactivate(self) -> None:
        db, now = self.ctx.db, self.ctx.clock()

        def done(who: PractitionerSetup) -> None:
            self.reload(who.id)
            self.status_message.emit(
                f"{who.display_name} can no longer be booked; Reactivate brings them back."
            )

        self.change_selected(lambda pid: deactivate_practitioner(db, pid, now=now), done)

    @Slot()
    def reactivate(self) -> None:
        db = self.ctx.db

        def done(who: PractitionerSetup) -> None:
            self.reload(who.id)
            self.status_message.emit(f"{who.display_name} can be booked again.")

        self.change_selected(lambda pid: reactivate_practitioner(db, pid), done)
