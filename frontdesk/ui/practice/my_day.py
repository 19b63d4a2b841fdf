"""My day: the chosen practitioner's patients for a day, in order, one keystroke from the chart.

What an acupuncturist looks at between sessions: who is next, whether they are checked in, which
session of their course this is, and whether today's note is written. The practitioner is
chosen from a list (remembered for next time; later it will be the logged-in user) and the day
defaults to today in the clinic's time zone.

Notes are signed "at the end of the day": the first time a practitioner's account shows this
page on a clinic day, their notes of earlier days still unsigned are signed in their name
(``frontdesk.notes.sign_due_notes``) and the status bar says how many.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QModelIndex, QSettings, Qt, Slot
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.domain import FrontdeskError
from frontdesk.names import practitioner_label
from frontdesk.notes import noted_appointments, sign_due_notes
from frontdesk.scheduling import (
    AppointmentView,
    PractitionerView,
    day_schedule,
    list_practitioners,
)
from frontdesk.timefmt import fmt_long_date
from frontdesk.ui import qtbits
from frontdesk.ui.practice.day_model import COURSE, PATIENT, TIME, DayListModel
from frontdesk.ui.practice.note_editor import SIGN_KEYS_TEXT
from frontdesk.ui.practice.timefmt import LocalTime, acupuncturists_first
from frontdesk.ui.widgets.page import Page
from frontdesk.ui.worker import Latest, run_query, settle

PRACTITIONER_KEY = "my_day/practitioner_id"
DayRows = tuple[list[AppointmentView], set[int], str | None]


class MyDayPage(Page):
    """The practitioner's day list (see the module docstring)."""

    def __init__(self, ctx: AppContext, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(ctx, undo_stack, parent)
        self.time = LocalTime(ctx)
        # The main window's settings (a scratch file when taking screenshots), else the app's.
        found = getattr(parent.window() if parent is not None else None, "settings", None)
        self.settings = found if isinstance(found, QSettings) else QSettings()
        self.model = DayListModel(self.time.tz, self)
        self._background = Latest()  # a reload on a worker (page shown, another desk's change)
        self._due_signed_on: date | None = None  # the clinic day earlier notes were signed
        self._practitioners_read = False  # the list of practitioners came from a worker
        self._wanted: int | None = None  # a practitioner chosen before that list came
        self._build()
        self.date_edit.setDate(qtbits.qdate(self.time.today()))
        self._connect_signals()
        self._read_practitioners()

    def _build(self) -> None:
        self.title = qtbits.label("My day", name="pageTitle")
        self.subtitle = qtbits.label(name="pageSubtitle")
        self.practitioner = QComboBox()
        self.practitioner.setMinimumContentsLength(18)
        # The names come from a worker after the page is first shown: fit them when they do.
        self.practitioner.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.date_edit = qtbits.date_edit()
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.previous_button = qtbits.button("\u25c0", tip="Previous day (Alt+Left)")
        self.today_button = QPushButton("Today")
        self.next_button = qtbits.button("\u25b6", tip="Next day (Alt+Right)")
        self.refresh_button = QPushButton("Refresh")
        for button in (self.previous_button, self.next_button):
            button.setFixedWidth(32)
            button.setStyleSheet("padding: 6px 4px;")  # the arrow whole in a narrow button
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Practitioner"))
        controls.addWidget(self.practitioner)
        controls.addSpacing(8)
        for widget in (self.previous_button, self.date_edit, self.next_button, self.today_button):
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(self.refresh_button)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(34)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PATIENT, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(90)
        self.empty = qtbits.label(name="emptyState", align=Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.linkActivated.connect(self.navigate)
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty)
        self.hint = qtbits.label("Enter or double-click opens the patient's chart.", name="muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 16)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addLayout(controls)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.hint)

    def _read_practitioners(self) -> None:
        """Read who can be chosen on a worker; the day is read once they are listed."""
        db = self.ctx.db

        def failed(exc: Exception) -> None:
            if not isinstance(exc, FrontdeskError):
                raise exc
            self.status_message.emit(str(exc))

        run_query(
            self,
            lambda: acupuncturists_first(list_practitioners(db)),
            self._fill_practitioners,
            failed,
        )

    def _fill_practitioners(self, people: list[PractitionerView]) -> None:
        self.practitioner.blockSignals(True)
        for person in people:
            self.practitioner.addItem(practitioner_label(person), person.id)
        remembered = (
            self._wanted if self._wanted is not None else self.settings.value(PRACTITIONER_KEY)
        )
        index = self.practitioner.findData(int(remembered)) if remembered is not None else -1
        self.practitioner.setCurrentIndex(max(index, 0))
        self.practitioner.blockSignals(False)
        self._practitioners_read = True
        if self._wanted is not None:
            self._on_practitioner_changed()  # remembered, and the day read
        else:
            self.refresh()

    def _connect_signals(self) -> None:
        self.practitioner.currentIndexChanged.connect(self._on_practitioner_changed)
        self.date_edit.dateChanged.connect(self.refresh)
        self.previous_button.clicked.connect(lambda: self.shift_day(-1))
        self.next_button.clicked.connect(lambda: self.shift_day(1))
        self.today_button.clicked.connect(self.go_today)
        self.refresh_button.clicked.connect(self.refresh)
        self.table.activated.connect(self._on_activated)
        qtbits.shortcut(QKeySequence("Alt+Left"), self, lambda: self.shift_day(-1))
        qtbits.shortcut(QKeySequence("Alt+Right"), self, lambda: self.shift_day(1))

    # -- page protocol ------------------------------------------------------------------------
    def activated(self) -> None:
        self.refresh_in_background()
        self.sign_earlier_notes()

    def sign_earlier_notes(self) -> None:
        """Once per clinic day, for a practitioner's account: sign their notes of earlier days
        left unsigned (on a worker); the status bar says how many were signed."""
        actor, today = self.ctx.db.actor, self.time.today()
        if actor is None or actor.practitioner_id is None or self._due_signed_on == today:
            return
        self._due_signed_on = today
        db, now = self.ctx.db, self.ctx.clock()

        def done(count: int) -> None:
            if count:
                notes = "note" if count == 1 else "notes"
                self.status_message.emit(
                    f"{count} session {notes} of earlier days signed in your name; from now on "
                    "they change only by amendment."
                )

        def failed(exc: Exception) -> None:
            if not isinstance(exc, FrontdeskError):
                raise exc
            self._due_signed_on = None  # try again the next time the page is shown
            self.status_message.emit(f"Earlier notes were not signed: {exc}")

        run_query(self, lambda: sign_due_notes(db, now=now), done, failed, busy=False)

    def database_changed(self) -> None:
        """Another desk booked, checked in or wrote a note: read the day again if shown."""
        if self.isVisible():
            self.refresh_in_background()

    def shortcuts(self) -> list[tuple[str, str]]:
        return [
            ("Enter", "Open the selected patient's chart"),
            ("Alt+Left / Alt+Right", "Previous / next day"),
            (f"{SIGN_KEYS_TEXT} (in a session note)", "Sign the note, or save the amendment"),
        ]

    def focus_primary(self) -> None:
        self.table.setFocus()

    def prepare_screenshot(self) -> None:
        """Show a day worth looking at: the practitioner and day around today with the most
        course sessions (past days show attended sessions and written notes)."""
        today = self.time.today()
        best: tuple[int, int, date] = (-1, 0, today)
        settle()  # unattended: the practitioners are listed
        for offset in (*range(0, -7, -1), *range(1, 8)):
            day = today + timedelta(days=offset)
            for index in range(self.practitioner.count()):
                self.practitioner.setCurrentIndex(index)
                self.set_day(day)
                settle()  # and the day is read
                rows = [self.model.appointment_at(r) for r in range(self.model.rowCount())]
                score = sum(1 for a in rows if a is not None and a.course_index is not None)
                if score > best[0]:
                    best = (score, index, day)
        self.practitioner.setCurrentIndex(best[1])
        self.set_day(best[2])
        settle()

    # -- state --------------------------------------------------------------------------------
    def practitioner_id(self) -> int | None:
        return self.practitioner.currentData()

    def day(self) -> date:
        return qtbits.py_date(self.date_edit.date())

    def set_day(self, day: date) -> None:
        self.date_edit.setDate(qtbits.qdate(day))

    def set_practitioner(self, practitioner_id: int) -> None:
        if not self._practitioners_read:  # chosen once the list came
            self._wanted = practitioner_id
            return
        self.practitioner.setCurrentIndex(max(self.practitioner.findData(practitioner_id), 0))

    @property
    def loading(self) -> bool:
        """The practitioners or the day are being read on a worker."""
        return not self._practitioners_read or self._background.running

    @Slot()
    def go_today(self) -> None:
        self.set_day(self.time.today())

    def shift_day(self, days: int) -> None:
        self.set_day(self.day() + timedelta(days=days))

    @Slot()
    def _on_practitioner_changed(self) -> None:
        if self.practitioner_id() is not None:
            self.settings.setValue(PRACTITIONER_KEY, self.practitioner_id())
        self.refresh()

    @staticmethod
    def _read(db: Database, pid: int | None, day: date) -> DayRows:
        """The day's appointments, those with a note, and why the clinic is closed (if it is).

        Only service calls: a worker runs it.
        """
        if pid is None:
            return [], set(), None
        schedule = day_schedule(db, day, practitioner_ids=[pid])
        rows = [a for a in schedule.appointments if a.practitioner_id == pid]
        return rows, noted_appointments(db, (a.id for a in rows)), schedule.closed_reason

    @Slot()
    def refresh(self) -> None:
        """Read the day again on a worker, keeping the selected appointment selected."""
        self.refresh_in_background()

    def refresh_in_background(self) -> None:
        """Read the shown day on a worker; an answer for a day or person no longer shown
        (the user moved on meanwhile) is dropped."""
        if not self._practitioners_read:  # the day is read once the practitioners are listed
            return
        db, pid, day = self.ctx.db, self.practitioner_id(), self.day()

        def show(found: DayRows) -> None:
            if (pid, day) == (self.practitioner_id(), self.day()):
                self._show(found)

        def failed(exc: Exception) -> None:
            if not isinstance(exc, FrontdeskError):
                raise exc
            self.status_message.emit(str(exc))

        self._background.run(self, lambda: self._read(db, pid, day), show, failed)

    def _show(self, found: DayRows) -> None:
        rows, noted, closed = found
        selected = self.selected_appointment()
        pid, day = self.practitioner_id(), self.day()
        scroll = self.table.verticalScrollBar().value()
        self.model.set_rows(rows, noted)
        active = sum(1 for a in rows if a.is_active)
        when = f"Today, {fmt_long_date(day)}" if day == self.time.today() else fmt_long_date(day)
        self.subtitle.setText(
            f"{when} \u00b7 {active} patient{'s' if active != 1 else ''}"
            + (f" \u00b7 clinic closed: {closed}" if closed else "")
        )
        if not rows:
            who = self.practitioner.currentText().split(" (")[0] or "this practitioner"
            self.empty.setText(
                f"No appointments for {who} on {fmt_long_date(day)}."
                if pid is not None
                else "No active practitioners yet. "
                '<a href="settings/practitioners">Add one in Settings</a>.'
            )
            self.body.setCurrentWidget(self.empty)
        else:
            self.body.setCurrentWidget(self.table)
            row = self.model.row_of(selected.id) if selected else -1
            self.table.selectRow(row if row >= 0 else self._next_row())
            self.table.verticalScrollBar().setValue(scroll)
        self.table.resizeColumnToContents(TIME)
        self.table.resizeColumnToContents(COURSE)

    def _next_row(self) -> int:
        """The first appointment still to come (or under way) today, else the first row."""
        now = self.ctx.clock()
        for row in range(self.model.rowCount()):
            appt = self.model.appointment_at(row)
            if appt is not None and appt.end > now and appt.is_active:
                return row
        return 0

    def selected_appointment(self) -> AppointmentView | None:
        index = self.table.currentIndex()
        return self.model.appointment_at(index.row()) if index.isValid() else None

    # -- opening the chart --------------------------------------------------------------------
    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        self.open_chart(index.row())

    def open_chart(self, row: int | None = None) -> QWidget | None:
        """The chart of the patient on ``row`` (default: the selected row)."""
        from frontdesk.ui.practice.chart import open_chart  # the chart's modules load on demand

        appt = self.model.appointment_at(self.table.currentIndex().row() if row is None else row)
        if appt is None:
            return None
        try:
            return open_chart(
                self,
                self.ctx,
                appt.patient_id,
                practitioner_id=appt.practitioner_id,
                appointment_id=appt.id,
            )
        except FrontdeskError as exc:
            self.status_message.emit(str(exc))
            return None
