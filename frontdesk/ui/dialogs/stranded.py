"""Showing booked visits that a change would leave stranded, and asking whether to go ahead.

Archiving a patient, closing days and shortening hours all leave booked appointments that need
reception's attention. They are listed the same way everywhere so a receptionist reads one
familiar box: a headline with the count, then the visits, soonest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from PySide6.QtWidgets import QMessageBox, QWidget

from frontdesk.scheduling import AppointmentView
from frontdesk.timefmt import fmt_when

MAX_LISTED = 8  # more than this and the box grows taller than a laptop screen


def describe(appt: AppointmentView, tz: tzinfo, *, patient: bool = False) -> str:
    """One visit as reception reads it: "Tue 3 Mar 2026, 10:00, Acupuncture with Mei Chen"."""
    when = fmt_when(appt.start, tz)
    who = f"{appt.patient_name}, " if patient else ""
    return (
        f"{when}, {who}{appt.type_name} with {appt.practitioner_name} ({appt.status.label.lower()})"
    )


def visit_lines(
    appointments: Sequence[AppointmentView], tz: tzinfo, *, patient: bool = False
) -> str:
    """The visits as a bulleted list, cut short after ``MAX_LISTED`` with a count of the rest."""
    lines = [f"• {describe(a, tz, patient=patient)}" for a in appointments[:MAX_LISTED]]
    if len(appointments) > MAX_LISTED:
        lines.append(f"…and {len(appointments) - MAX_LISTED} more.")
    return "\n".join(lines)


def count_phrase(count: int) -> str:
    """ "1 booked appointment" / "3 booked appointments"."""
    return f"{count} booked appointment{'' if count == 1 else 's'}"


def confirm_stranded(
    parent: QWidget | None,
    title: str,
    headline: str,
    appointments: Sequence[AppointmentView],
    tz: tzinfo,
    *,
    go_text: str,
) -> bool:
    """Ask before a change that leaves these visits booked; True only for ``go_text``.

    The visits stay booked either way; "Go back" is the default so Enter changes nothing.
    """
    box = QMessageBox(QMessageBox.Icon.Warning, title, headline, parent=parent)
    box.setInformativeText(
        visit_lines(appointments, tz, patient=True)
        + "\n\nThey stay booked; move or cancel them on the Calendar."
    )
    go = box.addButton(go_text, QMessageBox.ButtonRole.AcceptRole)
    back = box.addButton("Go back", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    box.exec()
    return box.clickedButton() is go
