"""The patients screen: find a patient as you type, see their details, add, edit, archive.

Search runs 150 ms after the last keystroke against the patients service, on a worker thread
so typing never waits for the database (an answer overtaken by more typing is dropped); the
table pages in more rows only as it is scrolled, so the screen is as quick with 100,000
patients as with 300. Another desk's change reloads the list in the background, keeping the
selected patient and the scroll position.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk import patients as service
from frontdesk.accounts.permissions import is_allowed
from frontdesk.clinic import get_clinic
from frontdesk.context import AppContext
from frontdesk.domain import Actor, FrontdeskError, NotFound
from frontdesk.names import display_name
from frontdesk.patients import PatientRecord, PatientStillBooked, PatientSummary, SortKey
from frontdesk.scheduling import (
    AppointmentView,
    list_appointment_types,
    list_practitioners,
    patient_overview,
)
from frontdesk.ui import qtbits, theme
from frontdesk.ui.billing.account_panel import AccountPanel
from frontdesk.ui.dialogs.patient_dialog import PatientDialog
from frontdesk.ui.formatting import clinic_today
from frontdesk.ui.models.patient_table import (
    AGE,
    BIRTH,
    CHART,
    HEALTH,
    NAME,
    PHONE,
    PatientTableModel,
)
from frontdesk.ui.widgets import patient_archive
from frontdesk.ui.widgets.page import Page
from frontdesk.ui.widgets.patient_commands import ArchiveToggleCommand
from frontdesk.ui.widgets.patient_details import PatientDetails
from frontdesk.ui.widgets.patient_hub import PatientHub
from frontdesk.ui.widgets.tables import list_table
from frontdesk.ui.worker import Latest

SEARCH_DELAY_MS = 150
FIRST_VISIT_TYPE = "Initial consultation"  # what "First available" books

# The patient hub's actions: (attribute, text, shortcut, what it does).
HUB_ACTIONS = (
    ("book_action", "&Book…", "Ctrl+B", "Book an appointment for this patient"),
    (
        "first_action",
        "&First available…",
        "Ctrl+Shift+B",
        "Book this patient's first available initial consultation, from now",
    ),
    ("course_action", "New &course…", "Ctrl+Shift+C", "Book a treatment course for this patient"),
    ("card_action", "Print &card…", "Ctrl+P", "Print this patient's appointment card"),
    (
        "handout_action",
        "Print &handout…",
        "Ctrl+Shift+H",
        "Print the handout of this patient's treatment plan",
    ),
    ("chart_action", "Open c&hart", "Ctrl+Shift+O", "Open this patient's chart"),
    (
        "intake_action",
        "&Intake form…",
        "Ctrl+Shift+I",
        "The first-visit intake form, to hand to the patient full screen",
    ),
    (
        "consent_action",
        "Co&nsent…",
        "Ctrl+Shift+K",
        "The consent to acupuncture, for the patient to read and sign on screen",
    ),
    (
        "papers_action",
        "&Receipts and statement…",
        "Ctrl+Shift+R",
        "Print a receipt or this patient's yearly statement for their insurer",
    ),
)
# Hub actions offered only to roles the permission table lets do what they lead to: the chart
# holds session notes, which reception never reads (no button, no shortcut, no Help line).
HUB_NEEDS = {"chart_action": "list_notes", "papers_action": "statement_pdf"}


def hub_offers(attribute: str, actor: Actor | None) -> bool:
    """Whether the signed-in role is offered the hub action ``attribute``."""
    needs = HUB_NEEDS.get(attribute)
    return actor is None or needs is None or is_allowed(needs, actor.role)


class PatientsPage(Page):
    """Search box, archived toggle, lazily filled table and a details panel."""

    def __init__(self, ctx: AppContext, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(ctx, undo_stack, parent)
        self._today = clinic_today(ctx)
        self.model = PatientTableModel(self._fetch, self._today, self)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._background = Latest()  # the search or reload running on a worker
        self._requested: tuple[str, bool] = ("", False)  # the newest search asked for
        self._build()
        self._connect_signals()
        self.model.search("")

    # -- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 18, 24, 16)
        outer.setSpacing(12)

        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(qtbits.label("Patients", name="pageTitle"))
        self.result_label = qtbits.label(name="pageSubtitle")
        titles.addWidget(self.result_label)
        header.addLayout(titles, 1)
        self.new_button = qtbits.button("New patient", icon=theme.icon("add"), name="primary")
        self.new_button.setToolTip("Register a new patient (Ctrl+N)")
        header.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignBottom)
        outer.addLayout(header)

        tools = QHBoxLayout()
        self.search_box = qtbits.named(QLineEdit(), "searchBox")
        self.search_box.setPlaceholderText(
            "Search by name, phone, date of birth (yyyy-mm-dd) or health number   (Ctrl+F)"
        )
        self.search_box.setClearButtonEnabled(True)
        self.search_box.addAction(theme.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search_box.installEventFilter(self)
        tools.addWidget(self.search_box, 1)
        self.show_archived = QCheckBox("Show archived")
        self.show_archived.setToolTip("Include archived patients in the list")
        tools.addWidget(self.show_archived)
        outer.addLayout(tools)

        self.table = list_table(self.model)
        header_view = self.table.horizontalHeader()
        header_view.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        # Each column as wide as its header or its widest typical value, whichever is wider:
        # fixed pixel widths cut "Date of birth" and the chart number at larger fonts.
        samples = {
            BIRTH: "0000-00-00",
            AGE: "000",
            PHONE: "(000) 000-0000",
            HEALTH: "00000-0000",
            CHART: "000000",
        }
        body = self.table.fontMetrics()
        head = header_view.fontMetrics()
        for column, sample in samples.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            width = max(head.horizontalAdvance(title), body.horizontalAdvance(sample)) + 28
            header_view.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header_view.resizeSection(column, width)
        self.empty_label = qtbits.label(name="emptyState", wrap=True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.results = QStackedWidget()
        self.results.addWidget(self.table)
        self.results.addWidget(self.empty_label)

        self.details = PatientDetails()
        self.hub_actions: list[QAction] = []  # those offered to the signed-in role
        every: list[QAction] = []
        for attr, text, keys, tip in HUB_ACTIONS:
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(tip)
            action.setEnabled(False)
            every.append(action)
            if hub_offers(attr, self.ctx.db.actor):
                self.addAction(action)
                self.hub_actions.append(action)
        (
            self.book_action,
            self.first_action,
            self.course_action,
            self.card_action,
            self.handout_action,
            self.chart_action,
            self.intake_action,
            self.consent_action,
            self.papers_action,
        ) = every
        self._tz = get_clinic(self.ctx.db).tz
        self.hub = PatientHub(self.hub_actions, self._tz)
        # The balance and the invoices and payments, under the visits (the hub goes first).
        self.account = AccountPanel(self.ctx, rows=5)
        self.account.message.connect(self.status_message)
        self.details.add_hub(self.account)
        self.details.add_hub(self.hub)
        # What the patient owes is read at the desk before anything else: under the name.
        self.details.add_under_name(self.account.balance_label)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.results)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([760, 320])
        outer.addWidget(splitter, 1)

        self.archive_action = QAction("Archive patient…", self)
        self.archive_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.archive_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(self.archive_action)

    def _connect_signals(self) -> None:
        self._search_timer.timeout.connect(self._search_in_background)
        self.search_box.textChanged.connect(self._search_timer.start)
        self.search_box.returnPressed.connect(self._focus_results)
        self.show_archived.toggled.connect(self._run_search)
        self.new_button.clicked.connect(self.new_patient)
        self.table.activated.connect(self._on_activated)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.model.searched.connect(self._on_searched)
        self.model.rowsInserted.connect(self._update_result_label)
        self.details.edit_requested.connect(self.edit_patient)
        self.details.archive_requested.connect(self.archive_patient)
        self.details.restore_requested.connect(self.restore_patient)
        self.archive_action.triggered.connect(self._archive_selected)
        self.book_action.triggered.connect(self.book)
        self.first_action.triggered.connect(self.book_first_available)
        self.course_action.triggered.connect(self.new_course)
        self.card_action.triggered.connect(self.print_card)
        self.handout_action.triggered.connect(self.print_handout)
        self.chart_action.triggered.connect(self.open_chart)
        self.intake_action.triggered.connect(self.open_intake)
        self.consent_action.triggered.connect(self.open_consent)
        self.papers_action.triggered.connect(self.show_papers)

    def _fetch(
        self, query: str, include_archived: bool, limit: int, after: SortKey | None
    ) -> list[PatientSummary]:
        return service.search_patients(
            self.ctx.db, query, include_archived=include_archived, limit=limit, after=after
        )

    # -- Page ---------------------------------------------------------------------------------
    def activated(self) -> None:
        self._today = clinic_today(self.ctx)
        self.model.set_today(self._today)
        self._reload_in_background()

    def database_changed(self) -> None:
        """Another desk changed something: read the list again if it is on screen."""
        if self.isVisible():
            self._reload_in_background()
            self.account.reload()

    def shortcuts(self) -> list[tuple[str, str]]:
        return [
            ("Enter (in the search box)", "Go to the first patient found"),
            ("↑ / ↓", "Move through the list"),
            ("Enter or double-click", "Edit the selected patient"),
            ("Delete", "Archive the selected patient"),
            *(
                (keys, tip)
                for attr, _text, keys, tip in HUB_ACTIONS
                if hub_offers(attr, self.ctx.db.actor)
            ),
            ("Escape (in the search box)", "Clear the search"),
        ]

    def focus_primary(self) -> None:
        self.focus_search()

    def show_part(self, part: str) -> None:
        """``"new"``: the new-patient form (the setup checklist's first booking starts here)."""
        if part == "new":
            self.new_patient()

    def prepare_screenshot(self) -> None:
        first = self.model.patient_at(0)
        if first is not None:
            self.select_patient(first.id)

    # -- actions -------------------------------------------------------------------------------
    @Slot()
    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    @Slot()
    def new_patient(self) -> None:
        record = PatientDialog.ask(self, self.ctx)
        if record is not None:
            self._show_saved(record)
            self.status_message.emit(f"Registered {record.display_name}.")

    @Slot(int)
    def edit_patient(self, patient_id: int) -> None:
        try:
            record = PatientDialog.ask(self, self.ctx, patient_id)
        except NotFound as exc:
            QMessageBox.warning(self, "Patient not found", str(exc))
            self._reload(None)
            return
        if record is not None:
            self._show_saved(record)
            self.status_message.emit(f"Saved {record.display_name}.")

    @Slot(int)
    def archive_patient(self, patient_id: int) -> None:
        record = service.get_patient(self.ctx.db, patient_id)
        if record.archived or not self.confirm_archive(record):
            return
        row = self.model.row_of(patient_id)
        archived = self._archive(record)
        if archived is None:
            self._reload(patient_id)
            return
        self._push_toggle(
            record, archived=True, cancelled=archived.cancelled, reason=archived.reason
        )
        after = self.model.patient_at(row + 1) if row is not None else None
        keep = patient_id if self.show_archived.isChecked() else (after.id if after else None)
        self._reload(keep)
        if archived.cancelled:
            noun = (
                "its appointment"
                if len(archived.cancelled) == 1
                else f"{len(archived.cancelled)} appointments"
            )
            self.status_message.emit(
                f"Archived {record.display_name} and cancelled {noun}. Ctrl+Z undoes both."
            )
        else:
            self.status_message.emit(f"Archived {record.display_name}. Ctrl+Z undoes it.")

    @Slot(int)
    def restore_patient(self, patient_id: int) -> None:
        record = service.restore_patient(self.ctx.db, patient_id)
        self._push_toggle(record, archived=False)
        self._reload(patient_id)
        self.status_message.emit(f"Restored {record.display_name}.")

    def confirm_archive(self, record: PatientRecord) -> bool:
        """Ask before archiving; True means go ahead."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Archive patient?",
            f"Archive {record.display_name}?",
            parent=self,
        )
        box.setInformativeText(
            "Archived patients no longer appear in searches or when booking. Nothing is "
            "deleted: tick “Show archived” to find them and restore them at any time."
        )
        archive = box.addButton("Archive", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is archive

    def _archive(self, record: PatientRecord) -> patient_archive.Archived | None:
        """Archive, first offering to cancel visits still booked; None if not archived."""
        try:
            return patient_archive.Archived(
                service.archive_patient(self.ctx.db, record.id, now=self.ctx.clock())
            )
        except PatientStillBooked as refusal:
            return patient_archive.cancel_then_archive(
                self.ctx,
                record,
                refusal,
                choose=self.ask_cancel_and_archive,
                reason_for=self.ask_cancel_reason,
                warn=self.warn_not_archived,
            )
        except FrontdeskError as exc:
            self.warn_not_archived(str(exc))
            return None

    def ask_cancel_and_archive(self, record: PatientRecord, refusal: PatientStillBooked) -> bool:
        """Visits are booked ahead: True to cancel them and archive, False to go back."""
        return patient_archive.ask_cancel_and_archive(
            self, record, refusal, get_clinic(self.ctx.db).tz
        )

    def ask_cancel_reason(self, record: PatientRecord, count: int) -> str | None:
        """The reason to record on each cancelled visit, or None to go back."""
        return patient_archive.ask_reason(self, record, count)

    def warn_not_archived(self, message: str) -> None:
        QMessageBox.warning(self, "Patient not archived", message)

    def _push_toggle(
        self,
        record: PatientRecord,
        *,
        archived: bool,
        cancelled: tuple[int, ...] = (),
        reason: str = "",
    ) -> None:
        self.undo_stack.push(
            ArchiveToggleCommand(
                self.ctx.db,
                record.id,
                record.display_name,
                archived=archived,
                refresh=self._reload,
                clock=self.ctx.clock,
                report=lambda text, _is_error: self.status_message.emit(text),
                cancelled=cancelled,
                reason=reason,
            )
        )

    # -- selection and results -----------------------------------------------------------------
    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        patient = self.model.patient_at(rows[0].row()) if rows else None
        return patient.id if patient else None

    def select_patient(self, patient_id: int | None, *, scroll: bool = True) -> bool:
        """Select (and scroll to) a loaded patient; False if they are not in the list."""
        row = self.model.row_of(patient_id) if patient_id is not None else None
        if row is None:
            self.table.clearSelection()
            self.details.show_patient(None, self._today)
            self._show_hub(None)
            return False
        index = self.model.index(row, NAME)
        self.table.setCurrentIndex(index)
        if scroll:
            self.table.scrollTo(index)
        return True

    def _reload(self, keep_id: int | None = None) -> None:
        self.model.reload()
        self.select_patient(keep_id)

    def show_patient(self, patient_id: int) -> None:
        """Select a patient asked for from elsewhere (e.g. the calendar), searching if needed."""
        try:
            record = service.get_patient(self.ctx.db, patient_id)
        except NotFound as exc:
            self.status_message.emit(str(exc))
            return
        if record.archived and not self.show_archived.isChecked():
            self.show_archived.setChecked(True)  # runs the search with archived included
        self._show_saved(record)

    def _show_saved(self, record: PatientRecord) -> None:
        """After a save, show the patient, searching for them if the list did not hold them."""
        self.model.reload()
        if not self.select_patient(record.id):
            self._search_timer.stop()
            self.search_box.blockSignals(True)
            self.search_box.setText(f"{record.given_name} {record.family_name}")
            self.search_box.blockSignals(False)
            self._run_search()
            self.select_patient(record.id)
        self.table.setFocus()

    @Slot()
    def _run_search(self) -> None:
        """Search now and wait for the answer (Enter, the archived box, after a save)."""
        self._search_timer.stop()
        self._background.cancel()
        self._requested = (self.search_box.text(), self.show_archived.isChecked())
        self.model.search(*self._requested)

    @Slot()
    def _search_in_background(self) -> None:
        """The search for what is typed, on a worker; a newer one drops this one's answer."""
        self._search_timer.stop()
        query, archived = self._requested = (self.search_box.text(), self.show_archived.isChecked())
        wanted = self.model.PAGE_SIZE
        self._background.run(
            self,
            lambda: self.model.read(query, archived, wanted),
            lambda found: self.model.show_rows(query, archived, *found),
            self._read_failed,
        )

    def _reload_in_background(self) -> None:
        """Read the newest search again on a worker, then keep the selection and scroll."""
        query, archived = self._requested
        wanted = self.model.wanted_rows()

        def show(found: tuple[list[PatientSummary], bool]) -> None:
            keep = self.selected_id()
            scroll = self.table.verticalScrollBar().value()
            self.model.show_rows(query, archived, *found)
            self.select_patient(keep, scroll=False)
            self.table.verticalScrollBar().setValue(scroll)

        self._background.run(
            self, lambda: self.model.read(query, archived, wanted), show, self._read_failed
        )

    def _read_failed(self, exc: Exception) -> None:
        if not isinstance(exc, FrontdeskError):
            raise exc
        self.status_message.emit(f"The patient list could not be read: {exc}")

    @Slot()
    def _on_searched(self) -> None:
        query = self.search_box.text().strip()
        if self.model.rowCount() == 0:
            self.empty_label.setText(
                f"No patients match “{query}”.\nCheck the spelling, or search by phone, "
                "date of birth (yyyy-mm-dd) or health number."
                if query
                else "No patients yet.\nRegister the first one with “New patient”."
            )
            self.results.setCurrentWidget(self.empty_label)
        else:
            self.results.setCurrentWidget(self.table)
        self._update_result_label()
        self.details.show_patient(None, self._today)
        self._show_hub(None)

    @Slot()
    def _update_result_label(self) -> None:
        count = self.model.rowCount()
        noun = "patient" if count == 1 else "patients"
        archived = " (including archived)" if self.model.include_archived else ""
        if not self.model.complete:
            text = f"First {count} {noun}{archived} shown; more load as you scroll."
        elif self.model.query.strip():
            text = f"{count} {noun} found{archived}."
        else:
            text = f"{count} {noun}{archived}."
        self.result_label.setText(text)

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        patient_id = self.selected_id()
        record = None
        if patient_id is not None:
            try:
                record = service.get_patient(self.ctx.db, patient_id)
            except NotFound:
                record = None
        self.details.show_patient(record, self._today)
        self._show_hub(record)

    def _show_hub(self, record: PatientRecord | None) -> None:
        """Fill the hub for ``record`` and enable its actions (not for an archived patient)."""
        overview = None
        if record is not None:
            try:
                overview = patient_overview(self.ctx.db, record.id, now=self.ctx.clock())
            except FrontdeskError as exc:
                self.status_message.emit(str(exc))
        self.hub.show_overview(overview)
        self.account.show_patient(
            record.id if record is not None else None,
            display_name(record.given_name, record.family_name) if record is not None else "",
        )
        for action in self.hub_actions:
            action.setEnabled(record is not None and not record.archived)
        # An archived patient may still need last year's receipts for a claim.
        self.papers_action.setEnabled(record is not None)

    # -- the patient hub's actions ---------------------------------------------------------------
    def _hub_patient(self) -> int | None:
        record = self.details.record
        return record.id if record is not None and not record.archived else None

    def _after_booking(self, appt: AppointmentView | None) -> None:
        if appt is None:
            return
        self.status_message.emit(f"Booked {appt.patient_name}: {appt.type_name}.")
        self.appointment_booked.emit(appt)

    @Slot()
    def book(self) -> None:
        """The booking dialog with this patient filled in."""
        from frontdesk.ui.booking.booking_dialog import BookingDialog

        pid = self._hub_patient()
        if pid is not None:
            self._after_booking(
                BookingDialog.ask(self, self.ctx, practitioner_id=None, start=None, patient_id=pid)
            )

    @Slot()
    def book_first_available(self) -> None:
        """The booking dialog at the first free initial consultation from now; Enter books."""
        from frontdesk.scheduling import first_available  # loaded on first use, not at start
        from frontdesk.ui.booking.booking_dialog import BookingDialog

        pid = self._hub_patient()
        if pid is None:
            return
        types = list_appointment_types(self.ctx.db)
        kind = next((t for t in types if t.name == FIRST_VISIT_TYPE), types[0] if types else None)
        if kind is None:
            self.navigate.emit("settings/types")  # the tab that fixes it, then why
            self.status_message.emit("There is no appointment type to book yet; add one here.")
            return
        try:
            slots = first_available(
                self.ctx.db, kind.id, start_from=self.ctx.clock(), count=1, patient_id=pid
            )
        except FrontdeskError as exc:
            self.status_message.emit(str(exc))
            return
        if not slots and not list_practitioners(self.ctx.db):
            self.navigate.emit("settings/practitioners")
            self.status_message.emit(
                "No active practitioners yet: add one, with their hours, and they can be booked."
            )
            return
        if not slots:
            self.status_message.emit(f"No free time for {kind.name.lower()} in the coming months.")
            return
        slot = slots[0]
        self._after_booking(
            BookingDialog.ask(
                self,
                self.ctx,
                practitioner_id=slot.practitioner_id,
                start=slot.start,
                patient_id=pid,
                type_id=kind.id,
                room_id=slot.room_id,
            )
        )

    @Slot()
    def new_course(self) -> None:
        """The course wizard with this patient filled in; the calendar then shows the first session."""
        from frontdesk.ui.booking.course_wizard import CourseWizard

        pid = self._hub_patient()
        if pid is None:
            return
        course = CourseWizard.ask(self, self.ctx, patient_id=pid)
        if course is None:
            return
        self._show_hub(self.details.record)
        sessions = sorted(course.appointments, key=lambda a: a.start)
        self.status_message.emit(f"Booked a course of {course.planned} sessions.")
        if sessions:
            self.appointment_booked.emit(sessions[0])

    @Slot()
    def show_papers(self) -> QWidget | None:
        """The patient's receipts and yearly statement, printed for their insurer."""
        from frontdesk.ui.billing.papers_dialog import PatientPapersDialog

        record = self.details.record
        if record is None:
            return None
        name = display_name(record.given_name, record.family_name)
        dialog = PatientPapersDialog(self.ctx, record.id, name, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.papers_dialog = dialog
        dialog.open()
        return dialog

    @Slot()
    def print_card(self) -> QWidget | None:
        from frontdesk.reports import appointment_card_pdf  # ReportLab loads on demand
        from frontdesk.ui.printing import show_pdf_preview

        record = self.details.record
        if record is None:
            return None
        try:
            pdf = appointment_card_pdf(self.ctx.db, record.id, now=self.ctx.clock())
        except (FrontdeskError, ValueError) as exc:
            self.status_message.emit(f"The appointment card could not be made: {exc}")
            return None
        name = display_name(record.given_name, record.family_name)
        return show_pdf_preview(
            self,
            f"Appointment card: {name}",
            pdf,
            suggested_name=f"appointment-card-{name}".replace(" ", "-"),
        )

    @Slot()
    def print_handout(self) -> QWidget | None:
        from frontdesk.plans import current_plan_for_patient
        from frontdesk.ui.practice.handout import preview_handout

        pid = self._hub_patient()
        if pid is None:
            return None
        plan = current_plan_for_patient(self.ctx.db, pid)
        if plan is None:
            self.status_message.emit(
                "This patient has no treatment plan yet; start one from the chart."
            )
            return None
        return preview_handout(self, self.ctx, plan.plan_id, plan.number, on_printed=lambda: None)

    @Slot()
    def open_chart(self) -> QWidget | None:
        from frontdesk.ui.practice.chart import open_chart  # the chart's modules load on demand

        pid = self._hub_patient()
        return open_chart(self, self.ctx, pid) if pid is not None else None

    @Slot()
    def open_intake(self) -> QWidget | None:
        """The intake form for reception to hand over; it saves, and the desk never reads it."""
        from frontdesk.ui.intake.open import open_intake_form

        record = self.details.record
        if record is None or record.archived:
            return None
        name = display_name(record.given_name, record.family_name)
        return open_intake_form(self, self.ctx, record.id, name)

    @Slot()
    def open_consent(self) -> QWidget | None:
        from frontdesk.ui.intake.open import open_consent

        record = self.details.record
        if record is None or record.archived:
            return None
        name = display_name(record.given_name, record.family_name)
        return open_consent(self, self.ctx, record.id, name, self._tz)

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        patient = self.model.patient_at(index.row())
        if patient is not None:
            self.edit_patient(patient.id)

    @Slot()
    def _archive_selected(self) -> None:
        patient_id = self.selected_id()
        if patient_id is not None:
            self.archive_patient(patient_id)

    @Slot()
    def _focus_results(self) -> None:
        self._run_search()
        if self.model.rowCount():
            self.table.setFocus()
            self.select_patient(self.model.patient_at(0).id)  # type: ignore[union-attr]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down arrow in the search box moves into the list; Escape clears the search."""
        if watched is self.search_box and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key == Qt.Key.Key_Down and self.model.rowCount():
                self._focus_results()
                return True
            if key == Qt.Key.Key_Escape and self.search_box.text():
                self.search_box.clear()
                return True
        return super().eventFilter(watched, event)
