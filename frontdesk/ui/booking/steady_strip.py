"""The course wizard's offer of a steady slot: one weekday and time free for every session.

The service (``scheduling.steady_slots``) finds them; this strip shows the best few as buttons
("Mondays 10:15 from 2 Mar") and says which one was chosen.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from frontdesk.scheduling import SteadySlot
from frontdesk.timefmt import fmt_day, fmt_time
from frontdesk.ui.qtbits import label

WEEKDAY_PLURALS = (
    "Mondays",
    "Tuesdays",
    "Wednesdays",
    "Thursdays",
    "Fridays",
    "Saturdays",
    "Sundays",
)


def describe_steady(slot: SteadySlot, tz: ZoneInfo) -> str:
    """ "Mondays 10:15 from Mon 2 Mar 2026"."""
    return f"{WEEKDAY_PLURALS[slot.weekday]} {fmt_time(slot.at)} from {fmt_day(slot.starts[0], tz)}"


def steady_button_text(slot: SteadySlot, tz: ZoneInfo) -> str:
    """ "Mondays 10:15 from 2 Mar": three of them side by side fit a 1024-pixel screen (the
    tool tip has the whole date)."""
    first = slot.starts[0].astimezone(tz)
    return f"{WEEKDAY_PLURALS[slot.weekday]} {fmt_time(slot.at)} from {first.day} {first:%b}"


class SteadySlotStrip(QWidget):
    """Buttons for the steady slots on offer; hidden when there is none to offer.

    Signals:
        chosen(object): the ``SteadySlot`` whose button was pressed.
    """

    chosen = Signal(object)

    def __init__(self, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self.slots: list[SteadySlot] = []
        self.buttons: list[QPushButton] = []
        self.title = label("Same time every week, all free:", name="muted")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.title)
        self._layout.addStretch(1)
        self.hide()

    def set_zone(self, tz: ZoneInfo) -> None:
        """Times are shown in the clinic's zone (the wizard reads it when it opens)."""
        self._tz = tz

    def show_slots(self, slots: list[SteadySlot]) -> None:
        """Offer ``slots`` (best first); hide the strip when the list is empty."""
        if slots == self.slots:
            self.setVisible(bool(slots))
            return
        for b in self.buttons:
            self._layout.removeWidget(b)
            b.deleteLater()
        self.slots, self.buttons = list(slots), []
        for i, slot in enumerate(slots):
            button = QPushButton(steady_button_text(slot, self._tz))
            button.setAutoDefault(False)
            button.setToolTip(f"Book every session on {describe_steady(slot, self._tz)}")
            button.clicked.connect(lambda _=False, s=slot: self.chosen.emit(s))
            self._layout.insertWidget(1 + i, button)
            self.buttons.append(button)
        self.setVisible(bool(slots))
