"""Find a patient by typing, the way reception does on the phone: a few letters, Enter.

The picker is a line edit over a short result list. The first match is highlighted as soon as
results arrive, so "type part of the name, Enter" picks a known patient; Down/Up move the
highlight; once a patient is chosen, Enter is left to the dialog (which books). "New patient…"
opens the patient dialog and chooses whoever it creates. Searching goes through
``frontdesk.patients.search_patients``, on a worker (``ui/worker.py``): an answer overtaken by
more typing is dropped, and Enter or an arrow pressed before the answer came acts on it when it
comes. The picker itself holds no rules.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.context import AppContext
from frontdesk.domain import DatabaseUnavailable, FrontdeskError
from frontdesk.folding import name_sort_key
from frontdesk.names import display_name
from frontdesk.patients import PatientSummary, get_patient, search_patients
from frontdesk.timefmt import fmt_date
from frontdesk.ui.worker import Latest

SEARCH_LIMIT = 20

ModelIndex = QModelIndex | QPersistentModelIndex


def describe(p: PatientSummary) -> str:
    """The second line that tells two Jane Smiths apart: birth date and phone."""
    parts = [f"born {fmt_date(p.date_of_birth)}"]
    if p.phone_display:
        parts.append(p.phone_display)
    return " · ".join(parts)


class PatientResultsModel(QAbstractListModel):
    """Rows of one search result; nothing here touches the database."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PatientSummary] = []

    def set_rows(self, rows: list[PatientSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> PatientSummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, patient: PatientSummary) -> int:
        return self._rows.index(patient) if patient in self._rows else -1

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        p = self.row_at(index.row()) if index.isValid() else None
        if p is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{p.display_name}    {describe(p)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return describe(p)
        if role == Qt.ItemDataRole.UserRole:
            return p.id
        return None


class PatientPicker(QWidget):
    """Search-as-you-type patient chooser with an inline "New patient…".

    Signals:
        patientChanged(object): the chosen ``PatientSummary``, or None when the text no longer
            names a chosen patient.
    """

    patientChanged = Signal(object)

    SEARCH_DELAY_MS = 120

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, rows: int = 5) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._patient: PatientSummary | None = None
        self._search = Latest()  # the search for what is typed, on a worker
        self._preselect = Latest()  # the patient asked for by id, on a worker
        self._after_search: int | None = None  # 0: Enter, ±1: an arrow, pressed before the answer
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.SEARCH_DELAY_MS)

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Type a name, phone number or birth date…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Patient search")
        self.new_button = QPushButton("New patient…")
        self.new_button.setAutoDefault(False)
        self.model = PatientResultsModel(self)
        self.results = QListView()
        self.results.setModel(self.model)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay in the search field
        self.results.setUniformItemSizes(True)
        self.hint = QLabel("Start typing to find a patient.")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setStyleSheet("color: palette(mid);")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.hint)
        self.stack.addWidget(self.results)
        row_height = self.results.fontMetrics().height() + 6
        self.stack.setFixedHeight(row_height * rows + 6)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.stack)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusProxy(self.search_edit)
        self.search_edit.installEventFilter(self)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.search_edit.textEdited.connect(self._on_text_edited)
        self._timer.timeout.connect(self._run_search)
        self.results.clicked.connect(self._on_result_clicked)
        self.new_button.clicked.connect(self._on_new_patient)

    # -- public API -----------------------------------------------------------------------

    def patient(self) -> PatientSummary | None:
        return self._patient

    def patient_name(self) -> str:
        """The chosen patient as a sentence names them ("Ann Smith"), or "" if none."""
        p = self._patient
        return display_name(p.given_name, p.family_name, p.preferred_name) if p else ""

    def patient_id(self) -> int | None:
        return self._patient.id if self._patient else None

    @property
    def loading(self) -> bool:
        """A search or a preselected patient is being read."""
        return self._search.running or self._preselect.running

    def set_patient_id(self, patient_id: int) -> None:
        """Preselect a patient (opened from a chart), read on a worker; unknown ids leave the
        picker empty."""
        db = self._ctx.db

        def fetch() -> PatientSummary | None:
            try:
                record = get_patient(db, patient_id)
            except DatabaseUnavailable:
                raise  # said in the hint below
            except FrontdeskError:
                return None
            return PatientSummary(
                id=record.id,
                given_name=record.given_name,
                family_name=record.family_name,
                preferred_name=record.preferred_name,
                display_name=record.display_name,
                date_of_birth=record.date_of_birth,
                phone_display=record.phone_display,
                health_number=record.health_number,
                archived=record.archived,
                sort_key=(name_sort_key(record.family_name, record.given_name), record.id),
            )

        def chosen(patient: PatientSummary | None) -> None:
            if patient is not None:
                self._search.cancel()
                self.model.set_rows([patient])
                self._choose(patient)

        def failed(exc: Exception) -> None:
            if not isinstance(exc, FrontdeskError):
                raise exc
            self.hint.setText(f"The patient could not be read: {exc}")
            self.stack.setCurrentWidget(self.hint)

        self._preselect.run(self, fetch, chosen, failed)

    def search_now(self) -> None:
        """Start the pending search at once (the Enter key does not wait for the timer)."""
        if self._timer.isActive():
            self._timer.stop()
            self._run_search()

    # -- behaviour ------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self._handle_key(event)
        return super().eventFilter(watched, event)

    def _handle_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.search_now()
            step = 1 if key == Qt.Key.Key_Down else -1
            if self._search.running:
                self._after_search = step  # moves over the answer once it comes
            else:
                self._move_highlight(step)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._patient is None:
            self.search_now()
            if self._search.running:
                self._after_search = 0  # chooses the first match once the answer comes
            else:
                self._choose_current()
            return True  # never let Enter book while no patient is chosen
        return False

    def _choose_current(self) -> None:
        current = self.model.row_at(self.results.currentIndex().row())
        if current is not None:
            self._choose(current)

    def _move_highlight(self, step: int) -> None:
        count = self.model.rowCount()
        if count == 0:
            return
        row = self.results.currentIndex().row()
        row = 0 if row < 0 else max(0, min(count - 1, row + step))
        self.results.setCurrentIndex(self.model.index(row, 0))
        if self._patient is not None and self.model.row_at(row) != self._patient:
            self._set_patient(None)  # moving the highlight reopens the choice

    @Slot(str)
    def _on_text_edited(self, _text: str) -> None:
        if self._patient is not None:
            self._set_patient(None)
        self._after_search = None  # a key pressed for the old text is not for the new one
        self._preselect.cancel()
        self._timer.start()

    @Slot()
    def _run_search(self) -> None:
        """Search for what is typed on a worker; the answer replaces the list when it comes."""
        text = self.search_edit.text().strip()
        if not text:
            self._search.cancel()
            self._show_rows(text, [])
            return
        db = self._ctx.db

        def failed(exc: Exception) -> None:
            if not isinstance(exc, FrontdeskError):
                raise exc
            self._after_search = None
            self.hint.setText(f"The patients could not be searched: {exc}")
            self.stack.setCurrentWidget(self.hint)

        self._search.run(
            self,
            lambda: search_patients(db, text, limit=SEARCH_LIMIT),
            lambda rows: self._show_rows(text, rows),
            failed,
        )

    def _show_rows(self, text: str, rows: list[PatientSummary]) -> None:
        self.model.set_rows(rows)
        if rows:
            self.results.setCurrentIndex(self.model.index(0, 0))
            self.stack.setCurrentWidget(self.results)
        else:
            self.hint.setText(
                f"No patient matches “{text}”. Use New patient… to add one."
                if text
                else "Start typing to find a patient."
            )
            self.stack.setCurrentWidget(self.hint)
        pressed, self._after_search = self._after_search, None
        if pressed == 0:
            self._choose_current()
        elif pressed is not None:
            self._move_highlight(pressed)

    @Slot(QModelIndex)
    def _on_result_clicked(self, index: QModelIndex) -> None:
        p = self.model.row_at(index.row())
        if p is not None:
            self._choose(p)
        self.search_edit.setFocus()

    @Slot()
    def _on_new_patient(self) -> None:
        from frontdesk.ui.dialogs.patient_dialog import PatientDialog

        record = PatientDialog.ask(self.window(), self._ctx)
        if record is not None:
            self.set_patient_id(record.id)
        self.search_edit.setFocus()

    def _choose(self, p: PatientSummary) -> None:
        self.search_edit.setText(p.display_name)
        self.results.setCurrentIndex(self.model.index(self.model.row_of(p), 0))
        self.stack.setCurrentWidget(self.results)
        self._set_patient(p)

    def _set_patient(self, p: PatientSummary | None) -> None:
        if p == self._patient:
            return
        self._patient = p
        self.patientChanged.emit(p)
