"""The main window: navigation down the left, the current page, menus and a status bar.

Pages are listed once in ``PAGES``; each is built the first time it is shown. Adding an area of
the app (the calendar, My day, ...) is one ``PageSpec`` line here: navigation, View menu
shortcuts (Ctrl+1…), the shortcuts list and ``--screenshots`` all follow from this list.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk import __version__
from frontdesk.accounts.permissions import is_allowed
from frontdesk.clinic import ClinicFacts, get_clinic_facts
from frontdesk.context import AppContext
from frontdesk.domain import Actor, FrontdeskError
from frontdesk.heap import keep_for_life
from frontdesk.ui import qtbits, theme
from frontdesk.ui.backup_run import backup_run
from frontdesk.ui.dialogs.shortcuts import ShortcutsDialog
from frontdesk.ui.live import LiveUpdates
from frontdesk.ui.lock import DeskLock
from frontdesk.ui.outbox.timer import OutboxTimer
from frontdesk.ui.undo import UndoHistory
from frontdesk.ui.widgets.page import Page, PageSpec
from frontdesk.ui.worker import Latest

if TYPE_CHECKING:
    from frontdesk.ui.billing.dayend_dialog import DayEndDialog

log = logging.getLogger("frontdesk")

PAGES: tuple[PageSpec, ...] = (
    PageSpec("calendar", "Calendar", "nav-calendar", "frontdesk.ui.calendar:CalendarPage"),
    PageSpec(
        "patients", "Patients", "nav-patients", "frontdesk.ui.widgets.patients_page:PatientsPage"
    ),
    PageSpec(
        "myday",
        "My day",
        "nav-myday",
        "frontdesk.ui.practice.my_day:MyDayPage",
        needs="noted_appointments",
    ),
    PageSpec(
        "plans",
        "Plans",
        "nav-plans",
        "frontdesk.ui.practice.plans_page:PlansPage",
        needs="get_plan",
    ),
    PageSpec(
        "settings",
        "Settings",
        "nav-settings",
        "frontdesk.ui.settings.page:SettingsPage",
        needs="update_clinic_details",
    ),
    PageSpec(
        "accounts",
        "Accounts",
        "nav-accounts",
        "frontdesk.ui.admin.accounts_page:AccountsPage",
        needs="list_accounts",
    ),
    PageSpec(
        "audit",
        "Audit trail",
        "nav-audit",
        "frontdesk.ui.admin.audit_page:AuditPage",
        needs="list_audit",
    ),
    PageSpec(
        "waitlist",
        "Wait list",
        "nav-waitlist",
        "frontdesk.ui.waitlist:WaitlistPage",
        needs="list_waitlist",
    ),
    PageSpec(
        "reports",
        "Reports",
        "nav-reports",
        "frontdesk.ui.admin.reports_page:ReportsPage",
        needs="revenue_by_month_report",
    ),
    PageSpec(
        "outbox",
        "Outbox",
        "nav-outbox",
        "frontdesk.ui.outbox.page:OutboxPage",
        needs="list_outbox",
    ),
)


def offered_pages(pages: Sequence[PageSpec], actor: Actor | None) -> list[PageSpec]:
    """The pages the signed-in role may use, as the permission table says."""
    if actor is None:  # nobody signed in (a bare test window): the services still refuse
        return list(pages)
    return [p for p in pages if p.needs is None or is_allowed(p.needs, actor.role)]


DEFAULT_PAGE = "patients"
PATIENTS_PAGE = "patients"

UNDO_HELP = (
    "Undo the last change, on any page, as Edit ▸ Undo names it: a move, reschedule, "
    "cancellation, check-in, completion, no-show, archive or restore"
)

# The status bar's permanent links never take more than this much of its width each, so the
# message on its left always has room (full texts are in their tool tips).
PERMANENT_SHARE = 0.28

_GEOMETRY, _STATE, _PAGE = "main_window/geometry", "main_window/state", "main_window/page"


class MainWindow(QMainWindow):
    """Frontdesk's one main window; pages come from ``pages`` (default ``PAGES``)."""

    def __init__(
        self,
        ctx: AppContext,
        *,
        pages: Sequence[PageSpec] = PAGES,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._all_pages = tuple(pages)
        self.specs = offered_pages(pages, ctx.db.actor)
        self.settings = settings if settings is not None else QSettings()
        self.undo_stack = UndoHistory(self)
        self._pages: dict[str, Page] = {}
        self._retired: list[QWidget] = []  # the pages of the user before a switch
        self.setObjectName("mainWindow")
        self.setWindowIcon(theme.icon("app"))
        theme.style_window(self)
        self._clinic_read = Latest()  # the clinic's facts again, after Settings changed them
        self._build_central()
        self._build_actions()
        self._build_menus()
        self._add_pages()
        self._build_status_bar()
        self.desk_lock = DeskLock(self, self)  # idle minutes, Ctrl+L, unlock and switch user
        self._connect_signals()
        self._update_title()
        self._restore()
        self.live = LiveUpdates(ctx.db, self)  # other desks' changes reach the open views
        # Patient emails due go out from every open desk (issue 19), as the signed-in user.
        self.outbox_timer = OutboxTimer(lambda: self.ctx, self)
        self.outbox_timer.sent.connect(
            lambda report: self.statusBar().showMessage(f"Outbox: {report.summary()}.", 8000)
        )
        if not ctx.clinic.has_practitioners and "settings" in self.page_keys():
            self.show_page("settings")  # a fresh install: the setup checklist comes first

    # -- building ----------------------------------------------------------------------------
    def _build_central(self) -> None:
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        sidebar = qtbits.named(QWidget(), "sidebar")
        sidebar.setFixedWidth(200)
        side = QVBoxLayout(sidebar)
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(0)
        side.addWidget(qtbits.label("Frontdesk", name="brand"))
        self.brand_sub = qtbits.label(name="brandSub", wrap=True)
        side.addWidget(self.brand_sub)
        self.nav = qtbits.named(QListWidget(), "navigation")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side.addWidget(self.nav, 1)
        self.stack = QStackedWidget()
        row.addWidget(sidebar)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

    def _build_actions(self) -> None:
        self.new_patient_action = QAction(theme.icon("patients"), "&New patient…", self)
        self.new_patient_action.setShortcut(QKeySequence.StandardKey.New)
        self.find_patient_action = QAction("&Find patient", self)
        self.find_patient_action.setShortcut(QKeySequence.StandardKey.Find)
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.undo_action = self.undo_stack.undo_action(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.redo_action(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.shortcuts_action = QAction("&Keyboard shortcuts", self)
        self.shortcuts_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.about_action = QAction("&About Frontdesk", self)
        self.backup_action = QAction("&Back up now", self)
        self.backup_action.setEnabled(self.ctx.db.sqlite_path is not None)
        self.password_action = QAction("Change my &password…", self)
        self.money_sheet_action = QAction("Day sheet (&money)…", self)
        self.close_day_action = QAction("Close the &day…", self)
        self.lock_action = QAction("&Lock screen", self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)  # any window
        self.page_actions = QActionGroup(self)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.new_patient_action)
        file_menu.addSeparator()
        file_menu.addAction(self.backup_action)
        file_menu.addSeparator()
        file_menu.addAction(self.money_sheet_action)
        file_menu.addAction(self.close_day_action)
        file_menu.addSeparator()
        file_menu.addAction(self.password_action)
        file_menu.addSeparator()
        file_menu.addAction(self.lock_action)
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_patient_action)
        self.view_menu = bar.addMenu("&View")
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

    def _add_pages(self) -> None:
        """Navigation rows, View menu entries (Ctrl+1…) and empty stack slots for ``specs``;
        each page itself is built when first shown."""
        for number, spec in enumerate(self.specs, start=1):
            item = QListWidgetItem(theme.icon(spec.icon), spec.title)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
            self.stack.addWidget(QWidget())  # replaced by the page when first shown
            action = QAction(spec.title, self, checkable=True)
            action.setData(spec.key)
            if number <= 9:
                action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            self.page_actions.addAction(action)
            self.view_menu.addAction(action)
        # Back up now works through Settings ▸ Backups: offered only to those who see Settings
        # (here, so a switch of user offers it anew).
        self.backup_action.setVisible("settings" in self.page_keys())
        # Day-end is the desk's (reception and administrators), offered anew on a switch.
        actor = self.ctx.db.actor
        desk = actor is None or is_allowed("money_day_sheet", actor.role)
        self.money_sheet_action.setVisible(desk)
        self.close_day_action.setVisible(actor is None or is_allowed("close_money_day", actor.role))

    def _retire_pages(self) -> None:
        """Take every page out of the window (a user switch). The pages are hidden, silenced
        and deleted one switch later (or when the window closes), not now: a dialog one of
        them opened may still be returning into it (the desk lock closed it a moment ago)."""
        self._delete_retired()
        self.nav.blockSignals(True)
        self.nav.clear()
        self.nav.blockSignals(False)
        for action in self.page_actions.actions():
            self.page_actions.removeAction(action)
            self.view_menu.removeAction(action)
            action.deleteLater()
        while self.stack.count():
            widget = qtbits.must(self.stack.widget(0))
            self.stack.removeWidget(widget)
            widget.blockSignals(True)  # no status message or navigation from the user before
            widget.hide()
            widget.setParent(None)  # out of the window: other desks' changes no longer reach it
            self._retired.append(widget)
        self._pages.clear()

    def _delete_retired(self) -> None:
        """Delete the retired pages here, on the GUI thread. Without a parent they belong to
        Python, and left to the garbage collector they could be deleted on a worker thread."""
        for old in self._retired:
            if shiboken6.isValid(old):
                shiboken6.delete(old)
        self._retired = []

    def switch_user(self, actor: Actor) -> None:
        """The window as ``actor`` sees it from now on: every service call is theirs, the
        pages are their role's, built afresh, and the undo history of the one before is gone
        (undoing it would act in that person's name). ``DeskLock`` closes the windows of the
        one before first."""
        key = self.current_key()
        self.ctx = replace(self.ctx, db=self.ctx.db.as_actor(actor))
        self.undo_stack.clear()
        self._retire_pages()
        self.specs = offered_pages(self._all_pages, actor)
        self._add_pages()
        self.statusBar().clearMessage()
        self.show_page(key if key in self.page_keys() else DEFAULT_PAGE).focus_primary()

    @property
    def clinic_name(self) -> str:
        return self.ctx.clinic.name

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        status.setSizeGripEnabled(False)
        self.undo_button = qtbits.button(name="link")
        self.undo_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.undo_button.hide()
        status.addPermanentWidget(self.undo_button)
        self.backup_label = qtbits.label(name="backupAge")
        status.addPermanentWidget(self.backup_label)
        self.update_backup_label()
        self.database_label = QLabel()
        self.database_label.setToolTip(self.ctx.db.url.render_as_string(hide_password=True))
        status.addPermanentWidget(self.database_label)

    def _database_text(self) -> str:
        if self.ctx.demo:
            return f"Demo clinic: {self.clinic_name}"
        path = self.ctx.db.sqlite_path
        if path:
            return f"{self.clinic_name} · {path.rsplit('/', 1)[-1]}"
        url = self.ctx.db.url
        return f"{self.clinic_name} · {url.host or 'server'}/{url.database or ''}"

    def _connect_signals(self) -> None:
        self.nav.currentRowChanged.connect(self._on_nav_row)
        self.page_actions.triggered.connect(self._on_page_action)
        self.new_patient_action.triggered.connect(self.new_patient)
        self.find_patient_action.triggered.connect(self.find_patient)
        self.quit_action.triggered.connect(self.close)
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self.about_action.triggered.connect(self.show_about)
        self.backup_action.triggered.connect(self.back_up_now)
        self.password_action.triggered.connect(self.change_password)
        self.money_sheet_action.triggered.connect(self.show_money_day)
        self.close_day_action.triggered.connect(self.close_money_day)
        self.lock_action.triggered.connect(self.desk_lock.lock)
        self.undo_stack.canUndoChanged.connect(self._update_undo_button)
        self.undo_stack.undoTextChanged.connect(self._update_undo_button)
        self.undo_button.clicked.connect(self.undo_stack.undo)
        backup_run().ended.connect(self.update_backup_label)

    # -- pages -------------------------------------------------------------------------------
    def page_keys(self) -> list[str]:
        return [spec.key for spec in self.specs]

    def page(self, key: str) -> Page:
        """The page for ``key``, built now if it was never shown."""
        if key not in self._pages:
            index = self.page_keys().index(key)
            page = self.specs[index].create(self.ctx, self.undo_stack, self.stack)
            page.status_message.connect(self.show_message)
            page.open_patient.connect(self.open_patient)
            page.clinic_changed.connect(self.refresh_clinic)
            page.appointment_booked.connect(self.show_appointment)
            page.navigate.connect(self.navigate)
            dummy = qtbits.must(self.stack.widget(index))
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(dummy)
            dummy.deleteLater()
            self._pages[key] = page
            keep_for_life()  # the start's objects live as long as the window (once per process)
        return self._pages[key]

    def current_key(self) -> str:
        return self.specs[self.stack.currentIndex()].key

    def show_page(self, key: str) -> Page:
        """Bring a page to the front (building it first if needed) and refresh it."""
        page = self.page(key)
        index = self.page_keys().index(key)
        if index != self.stack.currentIndex():
            self.statusBar().clearMessage()  # one page's message means nothing on another
        self.stack.setCurrentIndex(index)
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(index)
        self.nav.blockSignals(False)
        self.page_actions.actions()[index].setChecked(True)
        page.activated()
        return page

    @Slot(int)
    def _on_nav_row(self, row: int) -> None:
        if 0 <= row < len(self.specs):
            self.show_page(self.specs[row].key).focus_primary()

    @Slot(QAction)
    def _on_page_action(self, action: QAction) -> None:
        self.show_page(str(action.data())).focus_primary()

    # -- window-wide commands ------------------------------------------------------------------
    @Slot()
    def new_patient(self) -> None:
        self.show_page(PATIENTS_PAGE).new_patient()  # type: ignore[attr-defined]

    @Slot(int)
    def open_patient(self, patient_id: int) -> None:
        """Show one patient on the Patients page, whatever the current search was."""
        self.show_page(PATIENTS_PAGE).show_patient(patient_id)  # type: ignore[attr-defined]

    @Slot(object)
    def show_appointment(self, appointment: object) -> None:
        """Jump the calendar to an appointment booked elsewhere and select it."""
        self.show_page("calendar").show_appointment(appointment)  # type: ignore[attr-defined]

    @Slot(str)
    def navigate(self, where: str) -> None:
        """Show ``"page"`` or ``"page/part"`` (a link from an empty screen or the checklist)."""
        key, _, part = where.partition("/")
        if key not in self.page_keys():  # a link to a page this role is not offered
            self.show_message("Only an administrator can change the clinic's settings.")
            return
        page = self.show_page(key)
        if part:
            page.show_part(part)
        else:
            page.focus_primary()

    @Slot()
    def find_patient(self) -> None:
        self.show_page(PATIENTS_PAGE).focus_search()  # type: ignore[attr-defined]

    @Slot(str)
    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 10_000)
        self.update_backup_label()  # a backup or restore may be what the message is about

    @Slot()
    def back_up_now(self) -> None:
        """File ▸ Back up now: the Backups tab's button, from anywhere."""
        settings = self.show_page("settings")
        settings.show_section(settings.backups)  # type: ignore[attr-defined]
        settings.backups.back_up_now()  # type: ignore[attr-defined]

    @Slot()
    def change_password(self) -> None:
        """File ▸ Change my password: whoever is signed in, whatever their role."""
        from frontdesk.ui.admin.password_dialogs import ChangeOwnPasswordDialog

        dialog = ChangeOwnPasswordDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.show_message("Your password was changed."))
        self.password_dialog = dialog
        dialog.open()

    @Slot()
    def show_money_day(self) -> DayEndDialog:
        """File ▸ Day sheet (money): today's payments by method and practitioner."""
        from frontdesk.ui.billing.dayend_dialog import DayEndDialog as Dialog

        dialog = Dialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.money_day_dialog = dialog
        dialog.open()
        return dialog

    @Slot()
    def close_money_day(self) -> DayEndDialog:
        """File ▸ Close the day: the day sheet, then the question whether to close it."""
        dialog = self.show_money_day()
        dialog.ask_to_close_when_loaded()
        return dialog

    def back_up_if_due(self) -> None:
        """The first start of each day backs the database up, on a worker once the window is
        there; a failure is said in the status bar, never fatal."""
        if self.ctx.demo:
            return
        from frontdesk.backup import back_up_if_due
        from frontdesk.ui.settings.backups_tab import backup_data_dir

        db, data_dir = self.ctx.db, backup_data_dir(self.ctx)

        def failed(exc: Exception) -> None:
            if not isinstance(exc, FrontdeskError):
                raise exc
            self.show_message(str(exc))

        backup_run().start(self, lambda: back_up_if_due(db, data_dir), lambda _r: None, failed)

    @Slot()
    def update_backup_label(self) -> None:
        """The last backup's age beside the database name; red when over two days old."""
        from frontdesk.ui.settings.backups_tab import current_backup_status

        status = None if self.ctx.demo else current_backup_status(self.ctx)
        self.backup_label.setVisible(status is not None)
        if status is None:
            return
        self.backup_label.setText(status.text)
        self.backup_label.setToolTip("Settings ▸ Backups chooses where backups go")
        self.backup_label.setStyleSheet("color: #a33a2a; font-weight: 600;" if status.warn else "")

    @Slot()
    def _update_undo_button(self) -> None:
        can_undo = self.undo_stack.canUndo()
        self.undo_button.setVisible(can_undo)
        if can_undo:
            self._fit_status_texts()

    def _fit_status_texts(self) -> None:
        """Elide the undo link and the database name to a share of the status bar."""
        most = max(240, int(self.width() * PERMANENT_SHARE))
        for widget, full in (
            (self.undo_button, f"Undo {self.undo_stack.undoText()}"),
            (self.database_label, self._database_text()),
        ):
            metrics = widget.fontMetrics()
            widget.setText(metrics.elidedText(full, Qt.TextElideMode.ElideMiddle, most - 24))
            widget.setToolTip(
                full
                if widget is self.undo_button
                else self.ctx.db.url.render_as_string(hide_password=True)
            )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_status_texts()

    def shortcut_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Every shortcut, grouped: the window's actions first, then each page's own."""
        window = [
            (
                a.shortcut().toString(QKeySequence.SequenceFormat.NativeText),
                a.text().replace("&", "").rstrip("…"),
            )
            for a in (
                self.new_patient_action,
                self.find_patient_action,
                self.undo_action,
                self.redo_action,
                self.shortcuts_action,
                self.lock_action,
                self.quit_action,
            )
        ]
        window[2] = (window[2][0], UNDO_HELP)
        window[3] = (window[3][0], "Redo the change just undone")
        window += [
            (a.shortcut().toString(QKeySequence.SequenceFormat.NativeText), f"Go to {a.text()}")
            for a in self.page_actions.actions()
        ]
        sections = [("Anywhere", window)]
        for spec in self.specs:
            sections.append((spec.title, self.page(spec.key).shortcuts()))
        return sections

    @Slot()
    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.shortcut_sections(), self).exec()

    @Slot()
    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About Frontdesk",
            f"<b>Frontdesk {__version__}</b><p>Patients, bookings, acupuncture courses and "
            "treatment-plan handouts for the front desk of a small physiotherapy, "
            "chiropractic and acupuncture clinic.</p>"
            f"<p>Database: {self.ctx.db.url.render_as_string(hide_password=True)}</p>",
        )

    def _update_title(self) -> None:
        """Show the clinic's name in the title, the sidebar and the status bar."""
        where = "Demo clinic" if self.ctx.demo else self.clinic_name
        self.setWindowTitle(f"Frontdesk — {where}")
        demo = "\nDemo: sample data only" if self.ctx.demo else ""
        self.brand_sub.setText(self.clinic_name + demo)
        self._fit_status_texts()

    @Slot()
    def refresh_clinic(self) -> None:
        """The clinic's details changed (Settings): read the clinic's facts again on a worker,
        then every screen sees the new name and time zone (``AppContext.clinic``); an answer
        overtaken by a later change is dropped."""
        self._read_clinic_facts(quiet=False)
        self.desk_lock.refresh_minutes()  # Settings may have changed the idle minutes

    def database_changed(self) -> None:
        """Another desk changed something (``LiveUpdates``): its Settings may have renamed the
        clinic or moved its time zone, so the facts are read again, quietly."""
        self._read_clinic_facts(quiet=True)

    def _read_clinic_facts(self, *, quiet: bool) -> None:
        db = self.ctx.db

        def keep(facts: ClinicFacts) -> None:
            self.ctx.clinic_facts = facts
            self._update_title()

        def failed(exc: Exception) -> None:
            if not isinstance(exc, FrontdeskError):
                raise exc
            if quiet:  # the next change tries again; no message every second
                log.warning("Reading the clinic's settings again failed: %s", exc)
            else:
                self.show_message(f"The clinic's new details could not be read: {exc}")

        self._clinic_read.run(self, lambda: get_clinic_facts(db), keep, failed, busy=not quiet)

    # -- remembering the window ------------------------------------------------------------------
    def _restore(self) -> None:
        geometry = self.settings.value(_GEOMETRY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:  # first run: a comfortable size that still fits a small laptop screen
            screen = self.screen().availableGeometry()
            self.resize(min(1200, int(screen.width() * 0.92)), min(760, int(screen.height() * 0.9)))
        state = self.settings.value(_STATE)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        key = self.settings.value(_PAGE, DEFAULT_PAGE)
        self.show_page(key if key in self.page_keys() else DEFAULT_PAGE)

    def save_settings(self) -> None:
        self.settings.setValue(_GEOMETRY, self.saveGeometry())
        self.settings.setValue(_STATE, self.saveState())
        self.settings.setValue(_PAGE, self.current_key())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        super().closeEvent(event)
        if event.isAccepted():
            run = backup_run()
            if run.running:  # a half-written backup is worth nothing: it ends first
                self.statusBar().showMessage("Finishing the backup before Frontdesk closes…")
                self.statusBar().repaint()
                run.wait()
            self.live.stop()
            self.outbox_timer.stop()
            self.desk_lock.stop()
            self._delete_retired()
