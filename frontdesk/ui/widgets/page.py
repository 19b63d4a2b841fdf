"""What the main window needs from a page, and how a page is registered.

A page is a ``Page`` subclass built from ``(ctx, undo_stack, parent)``. The main window only
knows the list of ``PageSpec`` entries (``frontdesk.ui.main_window.PAGES``), so adding an
area of the app is one line there, and screenshots, navigation shortcuts and the keyboard
shortcuts list pick the new page up by themselves.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from frontdesk.context import AppContext


class Page(QWidget):
    """Base of every page in the main window's stack.

    Signals:
        status_message(str): a short message for the status bar (e.g. "Saved Zoë Tremblay").
        open_patient(int): asks the window to show this patient (the main window connects it
            for every page and shows the patient on the Patients page).
        clinic_changed(): the clinic's details were saved; the window shows the new name.
        appointment_booked(object): an ``AppointmentView`` just booked off the calendar; the window
            shows it, selected, in the calendar.
        navigate(str): asks the window to show another page, or a part of it, as
            ``"page"`` or ``"page/part"`` (``"settings/rooms"``): how an empty screen or a
            refusal links to the setting that fixes it.
    """

    status_message = Signal(str)
    open_patient = Signal(int)
    clinic_changed = Signal()
    appointment_booked = Signal(object)
    navigate = Signal(str)

    def __init__(self, ctx: AppContext, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.undo_stack = undo_stack

    def activated(self) -> None:
        """Called each time the page is shown; refresh what may have changed elsewhere."""

    def shortcuts(self) -> list[tuple[str, str]]:
        """(keys, what they do) pairs for the Help ▸ Keyboard shortcuts list."""
        return []

    def prepare_screenshot(self) -> None:
        """Put the page in a state that shows what it does (e.g. a row selected)."""

    def show_part(self, part: str) -> None:
        """Bring one named part of the page to the front (a Settings tab, a form)."""

    def focus_primary(self) -> None:
        """Put the keyboard focus where a user starts working on this page."""
        self.setFocus()


PageFactory = Callable[[AppContext, QUndoStack, QWidget], Page]


@dataclass(frozen=True)
class PageSpec:
    """One entry in the navigation.

    ``factory`` is either a callable or a ``"package.module:ClassName"`` string, imported only
    when the page is first shown, so the app opens fast however many pages there are.
    """

    key: str
    title: str
    icon: str
    factory: str | PageFactory
    # The service operation a page is for; a role the permission table refuses it to is not
    # offered the page at all (reception never sees My day's notes, nor anyone but an
    # administrator Settings). None: every signed-in role.
    needs: str | None = None

    def create(self, ctx: AppContext, undo_stack: QUndoStack, parent: QWidget) -> Page:
        factory = self.factory
        if isinstance(factory, str):
            module_name, _, attr = factory.partition(":")
            factory = getattr(importlib.import_module(module_name), attr)
        return factory(ctx, undo_stack, parent)
