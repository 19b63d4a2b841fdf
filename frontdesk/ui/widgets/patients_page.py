"""The patients screen: find a patient as you type, see their details, add, edit, archive.

Search runs 150 ms after the last keystroke against the patients service, on a worker thread
so typing never waits for the database (an answer overtaken by more typing is dropped); the
table pages in more rows only as it is scrolled, so the screen is as quick with 100,000
patients as with 300. Another desk's change reloads the list in the background, keeping the
selected patient and the scroll position. Every other service call (the selected patient's
details and hub, archiving, restoring, first available, printouts) runs on a worker too, its
answer applied when it comes; the hub's actions wait, disabled, for the patient they act on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

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
from frontdesk.clinic import ClinicInfo, clinic_today, get_clinic
from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.domain import Actor, FrontdeskError, NotFound
from frontdesk.names import display_name
from frontdesk.patients import PatientRecord, PatientStillBooked, PatientSummary, SortKey
from frontdesk.scheduling import (
    AppointmentTypeView,
    AppointmentView,
    list_appointment_types,
    list_practitioners,
    patient_overview,
)
from frontdesk.scheduling import Slot as FreeSlot
from frontdesk.ui import qtbits, theme
from frontdesk.ui.billing.account_panel import AccountPanel
from frontdesk.ui.dialogs.patient_dialog import PatientDialog
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
from frontdesk.ui.worker import Latest, run_query

if TYPE_CHECKING:
    from frontdesk.plans import PlanRevisionView

    # Not imported at run time: asking the package for it first would bind the name
    # ``patient_overview`` below to its module rather than the function.
    from frontdesk.scheduling import PatientOverview

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


@dataclass(frozen=True)
class _Found:
    """A page of the list read on a worker, with the clinic when it was asked for."""

    rows: list[PatientSummary]
    complete: bool
    clinic: ClinicInfo | None = None


@dataclass(frozen=True)
class _Selected:
    """The selected patient's record and hub, read on a worker."""

    record: PatientRecord | None
    overview: PatientOverview | None
    problem: str = ""  # why the hub could not be read


NAME_ROOM = (
    170  # pixels (about 22 letters) the name column keeps before less needed columns step aside
)
_STEP_ASIDE = (CHART, AGE, HEALTH)  # in the order they give way


class PatientsPage(Page):
    """Search box, archived toggle, lazily filled table and a details panel."""

    def __init__(self, ctx: AppContext, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(ctx, undo_stack, parent)
        # Ages count to the clinic's today and the hub shows the clinic's times: both come with
        # the first read of the list (and again each time the page is shown).
        self._tz = ZoneInfo("UTC")
        self._today = ctx.clock().astimezone(UTC).date()
        self.model = PatientTableModel(self._fetch, self._today, self)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._background = Latest()  # the search or reload running on a worker
        self._selection = Latest()  # the selected patient's details and hub, on a worker
        self._requested: tuple[str, bool] = ("", False)  # the newest search asked for
        self._keeping = False  # a reload is putting back the same selection
        self.last_preview: QWidget | None = None  # the printout opened last
        self._build()
        self._connect_signals()
        self._read_list("", False, with_clinic=True)

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
        self._list_viewport: QWidget | None = None  # the list's, once made (see eventFilter)
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
        self._list_viewport = self.table.viewport()
        self._list_viewport.installEventFilter(self)  # resized: columns make room for names
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
        self.show_archived.toggled.connect(self._on_archived_toggled)
        self.new_button.clicked.connect(self.new_patient)
        self.table.activated.connect(self._on_activated)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.model.searched.connect(self._on_searched)
        self.model.fetch_failed.connect(self.status_message)
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
        self._reload_in_background(with_clinic=True)  # today may have turned into tomorrow

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

    def _failed(self, what: str) -> Callable[[Exception], None]:
        """A worker's failure as a status message ("The patient could not be archived: …")."""

        def failed(exc: Exception) -> None:
            if not isinstance(exc, FrontdeskError):
                raise exc
            self.status_message.emit(f"{what}: {exc}")

        return failed

    @Slot(int)
    def archive_patient(self, patient_id: int) -> None:
        """Confirm, then archive on a worker (offering to cancel visits still booked ahead)."""
        db = self.ctx.db

        def confirm(record: PatientRecord) -> None:
            if record.archived or not self.confirm_archive(record):
                return
            self._archive(
                record,
                lambda archived: self._archived(record, archived),
                lambda: self._reload(patient_id),
            )

        run_query(
            self,
            lambda: service.get_patient(db, patient_id),
            confirm,
            self._failed("The patient was not archived"),
        )

    def _archived(self, record: PatientRecord, archived: patient_archive.Archived) -> None:
        """Push the step, show the list without the patient and say what was done."""
        self._push_toggle(
            record, archived=True, cancelled=archived.cancelled, reason=archived.reason
        )
        row = self.model.row_of(record.id)
        after = self.model.patient_at(row + 1) if row is not None else None
        keep = record.id if self.show_archived.isChecked() else (after.id if after else None)
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
        db = self.ctx.db

        def restored(record: PatientRecord) -> None:
            self._push_toggle(record, archived=False)
            self._reload(patient_id)
            self.status_message.emit(f"Restored {record.display_name}.")

        run_query(
            self,
            lambda: service.restore_patient(db, patient_id),
            restored,
            self._failed("The patient was not restored"),
        )

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

    def _archive(
        self,
        record: PatientRecord,
        done: Callable[[patient_archive.Archived], None],
        not_done: Callable[[], None],
    ) -> None:
        """Archive on a worker, first offering to cancel visits still booked; then ``done``,
        or ``not_done`` when it was not archived."""
        db, clock = self.ctx.db, self.ctx.clock

        def refused(exc: Exception) -> None:
            if isinstance(exc, PatientStillBooked):
                patient_archive.cancel_then_archive(
                    self,
                    self.ctx,
                    record,
                    exc,
                    choose=self.ask_cancel_and_archive,
                    reason_for=self.ask_cancel_reason,
                    warn=self.warn_not_archived,
                    done=done,
                    not_done=not_done,
                )
            elif isinstance(exc, FrontdeskError):
                self.warn_not_archived(str(exc))
                not_done()
            else:
                raise exc

        run_query(
            self,
            lambda: service.archive_patient(db, record.id, now=clock()),
            lambda archived: done(patient_archive.Archived(archived)),
            refused,
        )

    def ask_cancel_and_archive(self, record: PatientRecord, refusal: PatientStillBooked) -> bool:
        """Visits are booked ahead: True to cancel them and archive, False to go back."""
        return patient_archive.ask_cancel_and_archive(self, record, refusal, self._tz)

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
            self._show_selected(None)
            return False
        index = self.model.index(row, NAME)
        self.table.setCurrentIndex(index)
        if scroll:
            self.table.scrollTo(index)
        return True

    def _reload(self, keep_id: int | None = None) -> None:
        """Read the list again on a worker, then select ``keep_id`` (None: nobody)."""
        query, archived = self._requested
        self._read_list(
            query,
            archived,
            wanted=self.model.wanted_rows(),
            then=lambda: self.select_patient(keep_id),
        )

    def show_patient(self, patient_id: int) -> None:
        """Select a patient asked for from elsewhere (e.g. the calendar), searching if needed."""
        db = self.ctx.db

        def found(record: PatientRecord) -> None:
            if record.archived and not self.show_archived.isChecked():
                self.show_archived.blockSignals(True)
                self.show_archived.setChecked(True)  # searched below, archived included
                self.show_archived.blockSignals(False)
                self._requested = (self._requested[0], True)
            self._show_saved(record)

        def failed(exc: Exception) -> None:
            if not isinstance(exc, FrontdeskError):
                raise exc
            self.status_message.emit(str(exc))

        run_query(self, lambda: service.get_patient(db, patient_id), found, failed)

    def _show_saved(self, record: PatientRecord) -> None:
        """After a save, show the patient, searching for them if the list did not hold them."""
        self._search_timer.stop()

        def show_or_search() -> None:
            if not self.select_patient(record.id):
                self.search_box.blockSignals(True)
                self.search_box.setText(f"{record.given_name} {record.family_name}")
                self.search_box.blockSignals(False)
                self._run_search(then=lambda: self.select_patient(record.id))
            self.table.setFocus()

        query, archived = self._requested
        self._read_list(query, archived, wanted=self.model.wanted_rows(), then=show_or_search)

    @Slot(bool)
    def _on_archived_toggled(self, _shown: bool) -> None:
        self._run_search()

    def _run_search(self, then: Callable[[], object] | None = None) -> None:
        """Search now for what is typed (Enter, the archived box, after a save); ``then`` runs
        once the answer is shown."""
        self._search_timer.stop()
        self._requested = (self.search_box.text(), self.show_archived.isChecked())
        self._read_list(*self._requested, then=then)

    @Slot()
    def _search_in_background(self) -> None:
        """The search for what is typed, on a worker; a newer one drops this one's answer."""
        self._search_timer.stop()
        self._requested = (self.search_box.text(), self.show_archived.isChecked())
        self._read_list(*self._requested)

    def _reload_in_background(self, *, with_clinic: bool = False) -> None:
        """Read the newest search again on a worker, then keep the selection and scroll."""
        query, archived = self._requested
        self._read_list(
            query, archived, wanted=self.model.wanted_rows(), keep=True, with_clinic=with_clinic
        )

    def _read_list(
        self,
        query: str,
        archived: bool,
        *,
        wanted: int | None = None,
        keep: bool = False,
        with_clinic: bool = False,
        then: Callable[[], object] | None = None,
    ) -> None:
        """The one way the list is read: on a worker, shown when it comes if still wanted.

        ``keep``: the same patient stays selected (and shown) and the list where it was
        scrolled; else the list starts unselected and ``then`` may select someone.
        """
        count = wanted if wanted is not None else self.model.PAGE_SIZE
        db, clock, read = self.ctx.db, self.ctx.clock, self.model.read

        def fetch() -> _Found:
            clinic = get_clinic(db) if with_clinic else None
            return _Found(*read(query, archived, count), clinic)

        def show(found: _Found) -> None:
            if found.clinic is not None:
                self._tz = found.clinic.tz
                self.hub.set_zone(self._tz)
                self._today = clinic_today(clock(), self._tz)
                self.model.set_today(self._today)
            if not keep:
                self.model.show_rows(query, archived, found.rows, found.complete)
            else:
                selected = self.selected_id()
                scroll = self.table.verticalScrollBar().value()
                self._keeping = True  # the same patient: no new read of their details
                try:
                    self.model.show_rows(query, archived, found.rows, found.complete)
                    self.select_patient(selected, scroll=False)
                finally:
                    self._keeping = False
                self.table.verticalScrollBar().setValue(scroll)
                if selected is not None:
                    self._show_selected(selected)  # read again: it may have changed too
            if then is not None:
                then()

        self._background.run(self, fetch, show, self._read_failed)

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
        if not self._keeping:
            self._show_selected(None)

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
        if not self._keeping:
            self._show_selected(self.selected_id())

    def _show_selected(self, patient_id: int | None) -> None:
        """Show a patient's details and hub, read on a worker; the hub's actions wait for them.

        Until the answer comes the panel still shows who was selected before, with every
        action disabled, so nothing can be booked or printed for the wrong patient.
        """
        for action in self.hub_actions:
            action.setEnabled(False)
        if patient_id is None:
            self._selection.cancel()
            self.details.show_patient(None, self._today)
            self.hub.show_overview(None)
            self.account.show_patient(None, "")
            return
        db, clock = self.ctx.db, self.ctx.clock

        def fetch() -> _Selected:
            try:
                record = service.get_patient(db, patient_id)
            except NotFound:
                return _Selected(None, None)
            try:
                return _Selected(record, patient_overview(db, record.id, now=clock()))
            except FrontdeskError as exc:
                return _Selected(record, None, str(exc))

        def show(selected: _Selected) -> None:
            if self.selected_id() != patient_id:
                return  # another patient was selected meanwhile
            record = selected.record
            self.details.show_patient(record, self._today)
            self.hub.show_overview(selected.overview)
            self.account.show_patient(
                record.id if record is not None else None,
                display_name(record.given_name, record.family_name) if record is not None else "",
            )
            for action in self.hub_actions:
                action.setEnabled(record is not None and not record.archived)
            # An archived patient may still need last year's receipts for a claim.
            self.papers_action.setEnabled(record is not None)
            if selected.problem:
                self.status_message.emit(selected.problem)

        self._selection.run(self, fetch, show, self._failed("The patient could not be shown"))

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
        """The booking dialog at the first free initial consultation from now; Enter books.

        The search for the slot runs on a worker; the dialog opens when it answered.
        """
        from frontdesk.ui.booking.booking_dialog import BookingDialog

        pid = self._hub_patient()
        if pid is None:
            return
        db, clock = self.ctx.db, self.ctx.clock

        def offer(found: _FirstFree) -> None:
            if found.kind is None:
                self.navigate.emit("settings/types")  # the tab that fixes it, then why
                self.status_message.emit("There is no appointment type to book yet; add one here.")
            elif found.slot is None and not found.anyone:
                self.navigate.emit("settings/practitioners")
                self.status_message.emit(
                    "No active practitioners yet: add one, with their hours, and they can be "
                    "booked."
                )
            elif found.slot is None:
                self.status_message.emit(
                    f"No free time for {found.kind.name.lower()} in the coming months."
                )
            else:
                slot = found.slot
                self._after_booking(
                    BookingDialog.ask(
                        self,
                        self.ctx,
                        practitioner_id=slot.practitioner_id,
                        start=slot.start,
                        patient_id=pid,
                        type_id=found.kind.id,
                        room_id=slot.room_id,
                    )
                )

        def failed(exc: Exception) -> None:
            if not isinstance(exc, FrontdeskError):
                raise exc
            self.status_message.emit(str(exc))

        run_query(self, lambda: _first_free(db, pid, clock), offer, failed)

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
        self._show_selected(self.selected_id())
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
    def print_card(self) -> None:
        """Make the appointment card on a worker and open the preview when it is ready."""
        from frontdesk.reports import appointment_card_pdf  # ReportLab loads on demand
        from frontdesk.ui.printing import show_pdf_preview

        record = self.details.record
        if record is None:
            return
        db, clock = self.ctx.db, self.ctx.clock
        name = display_name(record.given_name, record.family_name)

        def show(pdf: bytes) -> None:
            self.last_preview = show_pdf_preview(
                self,
                f"Appointment card: {name}",
                pdf,
                suggested_name=f"appointment-card-{name}".replace(" ", "-"),
            )

        def failed(exc: Exception) -> None:
            if not isinstance(exc, (FrontdeskError, ValueError)):
                raise exc
            self.status_message.emit(f"The appointment card could not be made: {exc}")

        run_query(self, lambda: appointment_card_pdf(db, record.id, now=clock()), show, failed)

    @Slot()
    def print_handout(self) -> None:
        """Find the patient's current plan on a worker, then preview its handout."""
        from frontdesk.plans import current_plan_for_patient
        from frontdesk.ui.practice.handout import preview_handout

        pid = self._hub_patient()
        if pid is None:
            return
        db = self.ctx.db

        def show(plan: PlanRevisionView | None) -> None:
            if plan is None:
                self.status_message.emit(
                    "This patient has no treatment plan yet; start one from the chart."
                )
                return
            preview_handout(
                self,
                self.ctx,
                plan.plan_id,
                plan.number,
                on_printed=lambda: None,
                shown=lambda preview: setattr(self, "last_preview", preview),
            )

        run_query(
            self,
            lambda: current_plan_for_patient(db, pid),
            show,
            self._failed("The handout could not be made"),
        )

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
        """Enter (or Down) in the search box: the first patient found, selected in the list."""

        def first() -> None:
            if self.model.rowCount():
                self.table.setFocus()
                self.select_patient(self.model.patient_at(0).id)  # type: ignore[union-attr]

        if (self.search_box.text(), self.show_archived.isChecked()) == (
            self.model.query,
            self.model.include_archived,
        ) and not self._background.running:
            first()  # what is typed is what is shown
        else:
            self._run_search(then=first)

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
        if watched is self._list_viewport and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _fit_columns(self) -> None:
        """On a narrow list the name keeps room to be read: the chart number, the age (the
        date of birth beside it says as much), then the health number (still searched by)
        step aside, and come back when the list widens."""
        header = self.table.horizontalHeader()
        room = self.table.viewport().width()
        for column in _STEP_ASIDE:
            header.setSectionHidden(column, False)
        for column in _STEP_ASIDE:
            others = sum(
                header.sectionSize(c)
                for c in range(1, self.model.columnCount())
                if not header.isSectionHidden(c)
            )
            if room - others >= NAME_ROOM:
                break
            header.setSectionHidden(column, True)


@dataclass(frozen=True)
class _FirstFree:
    """What "First available" found: the type it books, the slot, whether anyone works."""

    kind: AppointmentTypeView | None
    slot: FreeSlot | None = None
    anyone: bool = True


def _first_free(db: Database, patient_id: int, clock: Callable[[], datetime]) -> _FirstFree:
    """The first free initial consultation for the patient (on a worker)."""
    from frontdesk.scheduling import first_available  # loaded on first use, not at start

    types = list_appointment_types(db)
    kind = next((t for t in types if t.name == FIRST_VISIT_TYPE), types[0] if types else None)
    if kind is None:
        return _FirstFree(None)
    slots = first_available(db, kind.id, start_from=clock(), count=1, patient_id=patient_id)
    if slots:
        return _FirstFree(kind, slots[0])
    return _FirstFree(kind, None, anyone=bool(list_practitioners(db)))
