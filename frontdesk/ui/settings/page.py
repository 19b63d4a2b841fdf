"""The Settings page: every part of setting the clinic up, one tab each.

A fresh install has a placeholder name and nobody to book; this is where reception makes it
usable. Form tabs (Clinic, Opening hours) keep edits until Save or Undo changes, and leaving
such a tab with unsaved edits asks first; list tabs save each change through a dialog.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtGui import QResizeEvent, QUndoStack
from PySide6.QtWidgets import (
    QFrame,
    QMessageBox,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.context import AppContext
from frontdesk.ui import qtbits
from frontdesk.ui.settings.backups_tab import BackupsTab
from frontdesk.ui.settings.checklist_panel import SetupChecklistPanel
from frontdesk.ui.settings.clinic_tab import ClinicTab
from frontdesk.ui.settings.closures_tab import ClosuresTab
from frontdesk.ui.settings.email_tab import EmailTab
from frontdesk.ui.settings.fees_tab import FeesTab
from frontdesk.ui.settings.hours_tab import OpeningHoursTab
from frontdesk.ui.settings.practitioners_tab import PractitionersTab
from frontdesk.ui.settings.rooms_tab import RoomsTab
from frontdesk.ui.settings.section import Section
from frontdesk.ui.settings.types_tab import TypesTab
from frontdesk.ui.widgets.page import Page

TAB_STYLE = """
QTabWidget#settingsTabs::pane { background: #ffffff; border: 1px solid #dbe3e8;
    border-radius: 6px; top: -1px; }
QTabWidget#settingsTabs > QTabBar::tab { background: transparent; color: #3d5563;
    padding: 8px 16px; border: none; border-bottom: 3px solid transparent; margin-right: 2px; }
QTabWidget#settingsTabs > QTabBar::tab:hover { color: #17303c; }
QTabWidget#settingsTabs > QTabBar::tab:selected { color: #17303c; font-weight: 600;
    border-bottom: 3px solid #2b7a78; }
"""


def scrolled(section: Section) -> QScrollArea:
    """The tab's content in a frameless scroll area, so the window still fits a small screen."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setStyleSheet("QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }")
    area.setWidget(section)
    return area


class SettingsPage(Page):
    """Tabs: Clinic, Opening hours, Practitioners, Rooms, Closures & holidays, Types, Fees,
    Backups."""

    def __init__(self, ctx: AppContext, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(ctx, undo_stack, parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 22, 28, 22)
        outer.setSpacing(6)
        outer.addWidget(qtbits.label("Settings", name="pageTitle"))
        outer.addWidget(
            qtbits.label(
                "How this clinic is set up: who can be booked, when, and where.",
                name="pageSubtitle",
                wrap=True,
            )
        )
        outer.addSpacing(8)
        self.checklist = SetupChecklistPanel(ctx.db)
        outer.addWidget(self.checklist)
        self.clinic = ClinicTab(ctx)
        self.hours = OpeningHoursTab(ctx)
        self.practitioners = PractitionersTab(ctx)
        self.rooms = RoomsTab(ctx)
        self.closures = ClosuresTab(ctx)
        self.types = TypesTab(ctx)
        self.fees = FeesTab(ctx)
        self.backups = BackupsTab(ctx)
        self.email = EmailTab(ctx)
        self.tabs = qtbits.named(QTabWidget(), "settingsTabs")
        self._sections: list[Section] = []
        # Each tab's title, and the shorter one it takes when the window is too narrow for
        # all of them (1024 pixels): every tab stays in sight and whole, the same key on each.
        self._titles: list[tuple[str, str]] = []
        for section, title, short in (
            (self.clinic, "&Clinic", "&Clinic"),
            (self.hours, "Opening &hours", "&Hours"),
            (self.practitioners, "&Practitioners", "&Practitioners"),
            (self.rooms, "&Rooms", "&Rooms"),
            (self.closures, "Closures && h&olidays", "Cl&osures"),
            (self.types, "Appointment &types", "&Types"),
            (self.fees, "&Fees", "&Fees"),
            (self.backups, "&Backups", "&Backups"),
            (self.email, "&Email", "&Email"),
        ):
            self._sections.append(section)
            self._titles.append((title, short))
            self.tabs.addTab(scrolled(section), title)
        self.tabs.setStyleSheet(TAB_STYLE)
        outer.addWidget(self.tabs, 1)
        self._current = 0
        self._connect_signals()
        for each in self.sections():
            each.reload()

    def _connect_signals(self) -> None:
        self.tabs.currentChanged.connect(self._on_tab)
        self.checklist.open_step.connect(self.show_part)
        self.checklist.first_booking.connect(lambda: self.navigate.emit("patients/new"))
        for section in self.sections():
            section.status_message.connect(self.status_message)
            section.status_message.connect(self.checklist.refresh)  # something was saved
            section.clinic_changed.connect(self.clinic_changed)

    def sections(self) -> list[Section]:
        return list(self._sections)

    def show_section(self, section: Section) -> None:
        """Bring one tab to the front (asking first if the current one has unsaved edits)."""
        self.tabs.setCurrentIndex(self._sections.index(section))

    def section_keys(self) -> dict[str, Section]:
        """Each tab by the key links and the setup checklist use ("rooms", "types"...)."""
        return {
            "clinic": self.clinic,
            "hours": self.hours,
            "practitioners": self.practitioners,
            "rooms": self.rooms,
            "closures": self.closures,
            "types": self.types,
            "fees": self.fees,
            "backups": self.backups,
            "email": self.email,
        }

    @Slot(str)
    def show_part(self, part: str) -> None:
        """Show the tab named ``part`` and put the focus in it."""
        section = self.section_keys().get(part)
        if section is not None:
            self.show_section(section)
            section.setFocus()

    def current_section(self) -> Section:
        return self._sections[self.tabs.currentIndex()]

    def activated(self) -> None:
        """Show what other workstations changed, without touching edits in progress."""
        for section in self.sections():
            if not section.dirty:
                section.reload()
        self.checklist.refresh()

    @Slot(int)
    def _on_tab(self, index: int) -> None:
        left = self.sections()[self._current]
        if index != self._current and left.dirty:
            if not self.confirm_discard(self._titles[self._current][0].replace("&", "")):
                self.tabs.blockSignals(True)
                self.tabs.setCurrentIndex(self._current)
                self.tabs.blockSignals(False)
                return
            left.reload()
        self._current = index
        self.sections()[index].reload()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_tab_titles()

    def _fit_tab_titles(self) -> None:
        """The long titles when they all fit the tab bar, else the short ones."""
        bar = self.tabs.tabBar()
        for wording in (0, 1):
            for index, titles in enumerate(self._titles):
                if self.tabs.tabText(index) != titles[wording]:
                    self.tabs.setTabText(index, titles[wording])
            if bar.sizeHint().width() <= self.tabs.width():
                return

    def confirm_discard(self, where: str) -> bool:
        """Ask before throwing away unsaved edits on a tab; True means discard them."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Discard changes?",
            f"The changes on the {where} tab are not saved. Leave the tab and lose them?",
            parent=self,
        )
        discard = box.addButton("Discard changes", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is discard

    def focus_primary(self) -> None:
        self.tabs.setFocus()

    def shortcuts(self) -> list[tuple[str, str]]:
        return [
            ("Ctrl+Tab", "Next settings tab"),
            ("Alt+underlined letter", "Go to that tab, field or button"),
            ("Enter", "Edit the selected practitioner, room or type"),
        ]

    def prepare_screenshot(self) -> None:
        self.show_section(self.practitioners)
        if self.practitioners.table.rowCount():
            self.practitioners.table.selectRow(0)
