"""The Audit trail page (administrators): who did what, when, to which patient's record.

Filters by user, action, patient and days (the clinic's days); the rows come newest first, a
page at a time as the list scrolls. From here an administrator exports the filtered rows as
CSV, checks that no row was changed or removed since it was written (the hash chain), and
prints the "who accessed this record" report a patient may ask for. Every call runs on a
worker (``ui/worker.py``); nothing here decides what a filter means, the trail service does.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QPoint, Qt, Slot
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.accounts.trail import (
    action_words,
    audit_choices,
    list_audit,
)
from frontdesk.accounts.types import AuditFilter, AuditRow
from frontdesk.clinic import get_clinic
from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError, ValidationError
from frontdesk.patients import AmbiguousPatient, PatientSummary, chart_number
from frontdesk.patients import find_patient as find_one_patient
from frontdesk.ui import qtbits
from frontdesk.ui.admin.audit_model import (
    PATIENT,
    RECORD,
    WHAT,
    WHEN,
    WHO,
    AuditTableModel,
    changes_text,
)
from frontdesk.ui.admin.audit_tools import AuditTools, spoken_name
from frontdesk.ui.formatting import DATE_FORMAT_HINT, TypedDateError, parse_typed_date
from frontdesk.ui.settings.fields import FieldErrors
from frontdesk.ui.widgets.page import Page
from frontdesk.ui.widgets.tables import list_table
from frontdesk.ui.worker import Latest

PAGE_SIZE = 200
ANYONE, ANY_ACTION = "Anyone", "Any action"


class AuditPage(Page):
    """Filters, the paged table, the selected row's fields, and the trail's tools.

    ``patient`` is the patient the list is limited to (None: every patient).
    """

    def __init__(self, ctx: AppContext, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(ctx, undo_stack, parent)
        self.model = AuditTableModel(self._read_more, self)
        self.filter = AuditFilter(limit=PAGE_SIZE)
        self.patient: PatientSummary | None = None
        self.loaded = False  # the first page of the current filter arrived (tests wait for it)
        self._rows = Latest()  # the first page of a filter, or the next page of it
        self._choices = Latest()
        self._patient_search = Latest()
        self._build()
        self._connect_signals()

    # -- building ------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 22, 28, 16)
        outer.setSpacing(10)
        outer.addWidget(qtbits.label("Audit trail", name="pageTitle"))
        outer.addWidget(
            qtbits.label(
                "Every change, cancellation, print and export, and every opening of a chart, "
                "plan or note: who, when, from which workstation. Nobody can change a row; "
                "Verify trail proves it.",
                name="pageSubtitle",
                wrap=True,
            )
        )
        self.errors = FieldErrors()
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        self.user = QComboBox()
        self.user.addItem(ANYONE, None)
        self.user.setMinimumContentsLength(12)
        self.action = QComboBox()
        self.action.addItem(ANY_ACTION, None)
        self.action.setMinimumContentsLength(18)
        self.first_day = QLineEdit(placeholderText=DATE_FORMAT_HINT)
        self.last_day = QLineEdit(placeholderText=DATE_FORMAT_HINT)
        for day in (self.first_day, self.last_day):
            day.setClearButtonEnabled(True)
            day.setMaximumWidth(150)
        self.patient_box = QLineEdit(placeholderText="Name or chart number, then Enter")
        self.patient_box.setClearButtonEnabled(True)
        self.patient_label = qtbits.label(name="muted")
        labels = (
            ("&Who", self.user, "user"),
            ("Acti&on", self.action, "action"),
            ("Fro&m", self.first_day, "first_day"),
            ("&To", self.last_day, "last_day"),
            ("&Patient", self.patient_box, "patient"),
        )
        for column, (text, widget, key) in enumerate(labels):
            caption = QLabel(text)
            caption.setBuddy(widget)
            grid.addWidget(caption, 0, column)
            grid.addWidget(self.errors.field(key, widget), 1, column, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.patient_label, 2, 4)
        self.patient_label.hide()
        grid.setColumnStretch(4, 1)
        outer.addLayout(grid)

        self.table = list_table(self.model, row_height=28)
        self.table.setAccessibleName("Audit trail rows")
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        metrics = self.table.fontMetrics()
        for column, sample in (
            (WHEN, "Wed 30 Dec 2026, 23:59"),
            (WHO, "practitioner"),
            (WHAT, "Printed: appointment card"),
            (PATIENT, "Alexander Fleming (000000)"),
            (RECORD, "appointments 00000"),
        ):
            head.resizeSection(column, metrics.horizontalAdvance(sample) + 24)
        head.setStretchLastSection(True)
        outer.addWidget(self.table, 1)
        self.count_label = qtbits.label(name="muted")
        outer.addWidget(self.count_label)
        self.details = QPlainTextEdit(readOnly=True)
        self.details.setAccessibleName("Fields of the selected row")
        self.details.setPlaceholderText("Select a row to see the fields it changed.")
        self.details.setMaximumHeight(88)
        self.details.setTabChangesFocus(True)
        outer.addWidget(self.details)

        self.tools = AuditTools(self.ctx, self.read_filters, self)
        outer.addWidget(self.tools)

    def _connect_signals(self) -> None:
        self.user.activated.connect(self.apply_filters)
        self.action.activated.connect(self.apply_filters)
        self.first_day.editingFinished.connect(self._on_days_edited)
        self.last_day.editingFinished.connect(self._on_days_edited)
        self.patient_box.returnPressed.connect(self.look_up_patient)
        self.patient_box.textChanged.connect(self._on_patient_text)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.table.activated.connect(self._limit_to_row_patient)
        self.tools.accessed.connect(self.reload)  # the report's own print row

    # -- Page ----------------------------------------------------------------------------------
    def activated(self) -> None:
        self.load_choices()
        self.reload()

    def database_changed(self) -> None:
        """Another desk wrote rows: show them while the page is on screen, unless the reader
        has scrolled past the first page (a reload would pull the rows from under them)."""
        if (
            self.isVisible()
            and not self.model.fetching
            and self.model.rowCount() <= self.filter.limit
        ):
            self.reload()

    def focus_primary(self) -> None:
        self.table.setFocus()

    def shortcuts(self) -> list[tuple[str, str]]:
        return [
            (
                "Alt+W / Alt+O / Alt+M / Alt+T / Alt+P",
                "Go to a filter: who, action, from, to, patient",
            ),
            ("Enter (in Patient)", "Show only that patient's rows"),
            ("Enter or double-click on a row", "Show only the rows of that row's patient"),
            ("Alt+X", "Export the filtered rows as CSV"),
            ("Alt+R", "Verify that no row was changed or removed"),
            ("Alt+A", "Who accessed the chosen patient's record, as a PDF"),
        ]

    def prepare_screenshot(self) -> None:
        """The newest rows, the newest selected, and the trail just checked."""
        self.wait_loaded()
        if self.model.rowCount():
            self.table.selectRow(0)
        self.tools.verify()
        self.tools.wait()

    def wait_loaded(self) -> None:
        """Take the answers under way now (screenshots, and closing before they came)."""
        for latest in (self._choices, self._rows):
            if latest.job is not None:
                latest.job.wait()
        self.tools.wait()

    # -- reading -------------------------------------------------------------------------------
    def load_choices(self) -> None:
        """Fill the user and action lists with what occurs in the trail, and the clinic's zone."""
        db = self.ctx.db

        def read() -> tuple[list[str], list[str], ZoneInfo]:
            users, actions = audit_choices(db)
            return users, actions, get_clinic(db).tz

        self._choices.run(self, read, self._show_choices, self._show_failure, busy=False)

    def _show_choices(self, found: tuple[list[str], list[str], ZoneInfo]) -> None:
        users, actions, tz = found
        if tz != self.model.tz:
            self.model.tz = tz
            self.model.layoutChanged.emit()
        for combo, values, words in (
            (self.user, users, str),
            (self.action, actions, action_words),
        ):
            chosen = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value in values:
                combo.addItem(words(value), value)
            combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen else 0)
            combo.blockSignals(False)

    def reload(self) -> None:
        """Read the first page of the current filter (on a worker)."""
        db, flt = self.ctx.db, replace(self.filter, before_seq=None)
        self.loaded = False
        self._rows.run(
            self, lambda: list_audit(db, flt), self._show_first, self._show_failure, busy=False
        )

    def _show_first(self, rows: list[AuditRow]) -> None:
        keep = self.current_row()
        self.model.reset(rows, len(rows) < self.filter.limit)
        self.errors.clear()
        self.loaded = True
        if keep is not None and (row := self.model.row_of_seq(keep.seq)) is not None:
            self.table.setCurrentIndex(self.model.index(row, WHEN))
        self._on_current(self.table.currentIndex())
        self._update_count()

    def _read_more(self, after_seq: int) -> None:
        db, flt = self.ctx.db, replace(self.filter, before_seq=after_seq)
        self._rows.run(
            self,
            lambda: list_audit(db, flt),
            lambda rows: self._show_more(rows, flt.limit),
            self._show_failure,
            busy=False,
        )

    def _show_more(self, rows: list[AuditRow], limit: int) -> None:
        self.model.append(rows, len(rows) < limit)
        self._update_count()

    def _update_count(self) -> None:
        count = self.model.rowCount()
        if count == 0:
            text = "No audit rows match these filters."
        elif self.model.exhausted:
            text = f"{count:,} row{'s' if count != 1 else ''}, newest first."
        else:
            text = f"The newest {count:,} rows; scroll down for older ones."
        self.count_label.setText(text)

    def _show_failure(self, exc: Exception) -> None:
        self.model.fetching = False
        if isinstance(exc, ValidationError):
            unplaced = self.errors.show(exc.errors)
            if unplaced:
                self.status_message.emit(" ".join(unplaced))
        elif isinstance(exc, FrontdeskError):
            self.status_message.emit(str(exc))
        else:
            raise exc

    # -- filters -------------------------------------------------------------------------------
    def read_filters(self) -> AuditFilter | None:
        """The filters as typed, or None (and the message at the field) for a wrong date."""
        problems: dict[str, str] = {}
        days: dict[str, date | None] = {}
        for key, box in (("first_day", self.first_day), ("last_day", self.last_day)):
            try:
                days[key] = parse_typed_date(box.text())
            except TypedDateError as exc:
                problems[key] = str(exc)
        if problems:
            self.errors.show(problems)
            return None
        return AuditFilter(
            username=self.user.currentData(),
            patient_id=self.patient.id if self.patient else None,
            action=self.action.currentData(),
            first_day=days["first_day"],
            last_day=days["last_day"],
            limit=PAGE_SIZE,
        )

    @Slot()
    def apply_filters(self) -> None:
        """List the rows the filters select now (a wrong date: the message, nothing else)."""
        found = self.read_filters()
        if found is None:
            return
        self.errors.clear()
        if found != self.filter or not self.loaded:
            self.filter = found
            self.reload()

    @Slot()
    def _on_days_edited(self) -> None:
        self.apply_filters()

    @Slot()
    def look_up_patient(self) -> None:
        """Limit the list to the patient typed (a name or a chart number); blank: everyone."""
        text = self.patient_box.text().strip()
        if not text:
            self.set_patient(None)
            return
        db = self.ctx.db
        self._patient_search.run(
            self, lambda: find_one_patient(db, text), self.set_patient, self._on_patient_not_found
        )

    def _on_patient_not_found(self, exc: Exception) -> None:
        if isinstance(exc, AmbiguousPatient):
            chosen = self.choose_patient(exc.matches)
            if chosen is not None:
                self.set_patient(chosen)
                return
        if not isinstance(exc, FrontdeskError | ValueError):
            raise exc
        self.errors.show({"patient": str(exc)})

    def choose_patient(self, matches: list[PatientSummary]) -> PatientSummary | None:
        """Several patients fit the name: a menu under the box to pick one (tests replace it)."""
        menu = QMenu(self)
        for m in matches:
            menu.addAction(
                f"{m.display_name}, born {m.date_of_birth.isoformat()} ({chart_number(m.id)})"
            ).setData(m.id)
        picked = menu.exec(self.patient_box.mapToGlobal(QPoint(0, self.patient_box.height())))
        return next((m for m in matches if picked and m.id == picked.data()), None)

    def set_patient(self, patient: PatientSummary | None) -> None:
        """Show only this patient's rows (None: every patient's)."""
        self.patient = patient
        self.patient_box.blockSignals(True)
        self.patient_box.setText(spoken_name(patient) if patient else "")
        self.patient_box.blockSignals(False)
        self.patient_label.setText(
            f"Only {spoken_name(patient)}, chart {chart_number(patient.id)}, "
            f"born {patient.date_of_birth.isoformat()}"
            if patient
            else ""
        )
        self.patient_label.setVisible(patient is not None)
        self.tools.set_patient(patient)
        self.apply_filters()

    @Slot(str)
    def _on_patient_text(self, text: str) -> None:
        if not text.strip() and self.patient is not None:
            self.set_patient(None)  # the clear button: every patient again

    @Slot(QModelIndex)
    def _limit_to_row_patient(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None and row.patient_id is not None:
            self.patient_box.setText(chart_number(row.patient_id))
            self.look_up_patient()

    def current_row(self) -> AuditRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    @Slot(QModelIndex)
    def _on_current(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row()) if index.isValid() else None
        self.details.setPlainText(changes_text(row) if row else "")
