"""The Closures & holidays tab: the clinic's own closed days, the province's holidays for the
coming year, and which optional holidays the clinic closes for.

Everything is read and saved on a worker; the clinic's day ("today", where the clinic is)
comes with each read, so the tab never asks the database on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, Qt, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from frontdesk.clinic import ClinicInfo, clinic_today, get_clinic
from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.domain import FrontdeskError
from frontdesk.scheduling.dto import AppointmentView, ClosureView
from frontdesk.scheduling.holiday_calendar import OptionalHoliday
from frontdesk.setup import (
    PROVINCES,
    HolidayDay,
    add_closure,
    closure_strands,
    coming_holidays,
    list_closures,
    optional_holidays,
    remove_closure,
    set_close_on_observed_days,
    set_closed_optional_holidays,
)
from frontdesk.ui import qtbits
from frontdesk.ui.dialogs.base import FORM_KEY
from frontdesk.ui.dialogs.stranded import confirm_stranded, count_phrase
from frontdesk.ui.settings.list_section import ListSection, RecordDialog, fill_table, record_table
from frontdesk.ui.worker import Latest


def _day(d: date) -> str:
    return f"{d:%a %-d %b %Y}"


def _clinic_state(holiday: HolidayDay) -> str:
    if holiday.observed:
        return "Closed (chosen)" if holiday.closes_clinic else "Open (observed day)"
    if holiday.statutory:
        return "Closed"
    return "Closed (chosen)" if holiday.closes_clinic else "Open (optional)"


@dataclass(frozen=True)
class ClosuresRead:
    """What the tab shows, read at once on a worker."""

    today: date  # where the clinic is
    clinic: ClinicInfo
    closures: list[ClosureView]
    holidays: list[HolidayDay]
    optional: tuple[OptionalHoliday, ...]


def read_closures(db: Database, now: datetime) -> ClosuresRead:
    clinic = get_clinic(db)
    today = clinic_today(now, clinic.tz)
    return ClosuresRead(
        today,
        clinic,
        list_closures(db, today - timedelta(days=30), date(9999, 12, 31)),
        coming_holidays(db, today),
        optional_holidays(clinic.province, today.year),
    )


def clinic_day(db: Database, now: datetime) -> date:
    return clinic_today(now, get_clinic(db).tz)


class ClosureDialog(RecordDialog):
    """First day, last day and the reason shown on the calendar.

    Opens on ``today`` (the clinic's), or on the day read on a worker when not given.
    """

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, today: date | None = None
    ) -> None:
        super().__init__("Close the clinic", parent)
        self.ctx = ctx
        self.saved: ClosureView | None = None
        self._day = Latest()
        body = QWidget()
        form = QFormLayout(body)
        form.setContentsMargins(0, 0, 0, 0)
        first = qtbits.qdate(today or ctx.clock().date())
        self.starts_on = qtbits.date_edit(first, display_format="ddd d MMM yyyy")
        self.ends_on = qtbits.date_edit(first, display_format="ddd d MMM yyyy")
        self.reason = QLineEdit(maxLength=200, placeholderText="Staff training day")
        self.reason.setMinimumWidth(280)
        self.add_row(form, "&First day", "starts_on", self.starts_on)
        self.add_row(form, "&Last day", "ends_on", self.ends_on)
        self.add_row(form, "&Reason", "reason", self.reason)
        form.addRow(
            "",
            qtbits.label(
                "Appointments already booked on these days stay; move them on the Calendar.",
                name="muted",
                wrap=True,
            ),
        )
        self.set_body(body)
        self.starts_on.dateChanged.connect(self._mark_dirty)
        self.starts_on.dateChanged.connect(self._keep_order)
        self.ends_on.dateChanged.connect(self._mark_dirty)
        if today is None:
            db, now = ctx.db, ctx.clock()
            self._day.run(self, lambda: clinic_day(db, now), self._show_today, self._no_day)

    def _show_today(self, today: date) -> None:
        if not self.dirty:  # a day the user chose meanwhile stays
            self.starts_on.setDate(qtbits.qdate(today))
            self.ends_on.setDate(qtbits.qdate(today))
            self.mark_clean()

    def _no_day(self, exc: Exception) -> None:
        if not isinstance(exc, FrontdeskError):
            raise exc
        # The computer's date stays; the form says why the clinic's could not be read.
        self.show_errors({FORM_KEY: f"The clinic's date could not be read: {exc}"})

    @Slot(QDate)
    def _keep_order(self, first: QDate) -> None:
        """Moving the first day past the last moves the last along (a one-day closure)."""
        if self.ends_on.date() < first:
            self.ends_on.setDate(first)

    def save(self) -> bool:
        """Check on a worker which visits the days hold, ask about those, then save."""
        first, last = qtbits.py_date(self.starts_on.date()), qtbits.py_date(self.ends_on.date())
        db, now, reason = self.ctx.db, self.ctx.clock(), self.reason.text()
        self.check_then_save(
            lambda: (closure_strands(db, first, last, now=now), get_clinic(db).tz),
            lambda: add_closure(db, first, last, reason),
        )
        return False

    def confirm_stranded(self, stranded: list[AppointmentView]) -> bool:
        """Visits are booked on these days: True to close the clinic anyway."""
        verb = "falls" if len(stranded) == 1 else "fall"
        return confirm_stranded(
            self,
            "Appointments on these days",
            f"{count_phrase(len(stranded))} {verb} on these days.",
            stranded,
            self.tz,
            go_text="Close anyway",
        )


SIDE_BY_SIDE_FROM = 900  # the tab's width (pixels) from which its two columns stand side by side


class ClosuresTab(ListSection):
    """Closures on the left with Add/Remove; holidays and optional closures on the right."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            "Days the clinic is closed. Nothing can be booked on a closed "
            "day or a statutory holiday; tick the optional holidays the clinic "
            "also closes for.",
            ("From", "To", "Reason"),
            "No closures planned.\nAdd one for a renovation or a training day.",
            parent,
        )
        self.add_button = self.button("&Add closure…", needs_row=False, primary=True)
        self.remove_button = self.button("Re&move")
        self.finish_buttons()
        # The table and its buttons move into a left column; holidays go on the right.
        left = QVBoxLayout()
        self.body.removeWidget(self.table_area)
        self.body.removeItem(self.buttons)
        left.addWidget(qtbits.label("Closures", name="sectionTitle"))
        left.addWidget(self.table_area, 1)
        left.addLayout(self.buttons)
        right = QVBoxLayout()
        self.holidays_title = qtbits.label(name="sectionTitle")
        right.addWidget(self.holidays_title)
        self.holidays = record_table(("Date", "Holiday", "Clinic"))
        self.holidays.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.holidays.horizontalHeader().setStretchLastSection(False)
        right.addWidget(self.holidays, 3)
        self.optional = QListWidget()
        caption = qtbits.label("Optional holidays the clinic closes &for", name="sectionTitle")
        caption.setBuddy(self.optional)
        right.addWidget(caption)
        self.optional.setMaximumHeight(150)
        right.addWidget(self.optional, 1)
        self.observed = QCheckBox("Also close on &observed days")
        self.observed.setToolTip(
            "Alberta's holidays fall on the day itself; tick this only "
            "if the clinic gives the following weekday off too."
        )
        observed = QVBoxLayout()  # the box and its explanation stay together
        observed.setSpacing(2)
        observed.addWidget(self.observed)
        # The explanation wraps under the box (a check box's words cannot, and at 1024 pixels
        # they pushed the whole tab sideways).
        observed_note = qtbits.label(
            "The Monday or Tuesday a holiday on a weekend is moved to.", name="muted", wrap=True
        )
        box_style = self.observed.style()
        observed_note.setIndent(  # lined up with the box's words
            box_style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth)
            + box_style.pixelMetric(QStyle.PixelMetric.PM_CheckBoxLabelSpacing)
        )
        observed.addWidget(observed_note)
        right.addLayout(observed)
        self._today: date | None = None  # the clinic's, as of the last read
        self._setting = Latest()  # a holiday choice being saved
        self.columns = columns = QHBoxLayout()
        columns.setSpacing(20)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        self.body.addLayout(columns, 1)
        self._connect_signals()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Side by side when there is room; else the holidays under the closures (at 1024
        pixels, side by side, both tables cut their names to "…")."""
        super().resizeEvent(event)
        direction = (
            QBoxLayout.Direction.LeftToRight
            if self.width() >= SIDE_BY_SIDE_FROM
            else QBoxLayout.Direction.TopToBottom
        )
        if self.columns.direction() != direction:
            self.columns.setDirection(direction)

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.optional.itemChanged.connect(self._optional_changed)
        self.observed.toggled.connect(self._observed_changed)

    def reload(self, select_id: int | None = None) -> None:
        db, now = self.ctx.db, self.ctx.clock()
        self.read(
            lambda: read_closures(db, now),
            lambda found: self._show(found, select_id),
            "The closures and holidays",
        )

    def _show(self, found: ClosuresRead, select_id: int | None) -> None:
        today, clinic, closures = found.today, found.clinic, found.closures
        self._today = today
        self.set_rows(
            [
                (c.id, (_day(c.starts_on), _day(c.ends_on), c.reason), c.ends_on < today)
                for c in closures
            ],
            select_id,
        )
        self.holidays_title.setText(
            f"Holidays in {PROVINCES.get(clinic.province, '')}, the coming year"
        )
        fill_table(
            self.holidays,
            [
                (i, (_day(h.day), h.name, _clinic_state(h)), not h.closes_clinic)
                for i, h in enumerate(found.holidays)
            ],
        )
        row = self.optional.currentRow()  # the holiday just ticked stays current
        self.optional.blockSignals(True)
        self.optional.clear()
        for holiday in found.optional:
            item = QListWidgetItem(holiday.name)
            item.setData(Qt.ItemDataRole.UserRole, holiday.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            chosen = holiday.key in clinic.closed_optional_holidays
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
            self.optional.addItem(item)
        self.optional.setCurrentRow(row)
        self.optional.blockSignals(False)
        self.observed.blockSignals(True)
        self.observed.setChecked(clinic.close_on_observed_days)
        self.observed.blockSignals(False)

    def chosen_optional(self) -> tuple[str, ...]:
        """The keys of the ticked optional holidays."""
        items = (self.optional.item(i) for i in range(self.optional.count()))
        return tuple(
            str(i.data(Qt.ItemDataRole.UserRole))
            for i in items
            if i.checkState() == Qt.CheckState.Checked
        )

    @Slot(QListWidgetItem)
    def _optional_changed(self, item: QListWidgetItem) -> None:
        db, chosen = self.ctx.db, self.chosen_optional()
        closed = item.checkState() == Qt.CheckState.Checked
        name = item.text()
        self.optional.setCurrentItem(item)
        said = f"The clinic {'closes' if closed else 'stays open'} on {name}."
        self._set_holidays(lambda: set_closed_optional_holidays(db, chosen), said)

    @Slot(bool)
    def _observed_changed(self, close: bool) -> None:
        db = self.ctx.db
        self._set_holidays(
            lambda: set_close_on_observed_days(db, close),
            "The clinic closes on observed days too."
            if close
            else "The clinic opens on observed days; holidays close it on the day itself.",
        )

    def _set_holidays(self, call: Callable[[], object], said: str) -> None:
        """Save a holiday choice on a worker, the choices held still until it answered (a
        second tick must not overtake the first), then show the holidays as they now are."""
        for widget in (self.optional, self.observed):
            widget.setEnabled(False)

        def answered() -> None:
            for widget in (self.optional, self.observed):
                widget.setEnabled(True)
            self.reload()

        def done(_result: object) -> None:
            answered()
            self.status_message.emit(said)

        def failed(exc: Exception) -> None:
            answered()
            self.refused(exc)

        self._setting.run(self, call, done, failed)

    def open_dialog(self, row_id: int | None) -> ClosureDialog:
        """Closures are added, never edited: remove one and add it again instead."""
        return ClosureDialog(self.ctx, self, self._today)

    @Slot()
    def activate(self) -> None:
        """A closure has nothing to edit; Enter on one does nothing."""

    def saved_message(self, saved: ClosureView) -> str:
        return f"Closed: {saved.reason}."

    @Slot()
    def remove(self) -> None:
        db = self.ctx.db

        def removed(_nothing: None) -> None:
            self.reload()
            self.status_message.emit("Closure removed; those days can be booked again.")

        self.change_selected(lambda closure_id: remove_closure(db, closure_id), removed)
