"""The Closures & holidays tab: the clinic's own closed days, the province's holidays for the
coming year, and which optional holidays the clinic closes for."""

from __future__ import annotations

from datetime import date, timedelta

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

from frontdesk.clinic import get_clinic
from frontdesk.context import AppContext
from frontdesk.domain import ValidationError
from frontdesk.scheduling.dto import AppointmentView, ClosureView
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
from frontdesk.ui.dialogs.base import FormDialog
from frontdesk.ui.dialogs.stranded import confirm_stranded, count_phrase
from frontdesk.ui.formatting import clinic_today
from frontdesk.ui.settings.list_section import ListSection, fill_table, record_table


def _day(d: date) -> str:
    return f"{d:%a %-d %b %Y}"


def _clinic_state(holiday: HolidayDay) -> str:
    if holiday.observed:
        return "Closed (chosen)" if holiday.closes_clinic else "Open (observed day)"
    if holiday.statutory:
        return "Closed"
    return "Closed (chosen)" if holiday.closes_clinic else "Open (optional)"


class ClosureDialog(FormDialog):
    """First day, last day and the reason shown on the calendar."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Close the clinic", parent)
        self.ctx = ctx
        self.saved: ClosureView | None = None
        today = clinic_today(ctx)
        body = QWidget()
        form = QFormLayout(body)
        form.setContentsMargins(0, 0, 0, 0)
        self.starts_on = qtbits.date_edit(qtbits.qdate(today), display_format="ddd d MMM yyyy")
        self.ends_on = qtbits.date_edit(qtbits.qdate(today), display_format="ddd d MMM yyyy")
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

    @Slot(QDate)
    def _keep_order(self, first: QDate) -> None:
        """Moving the first day past the last moves the last along (a one-day closure)."""
        if self.ends_on.date() < first:
            self.ends_on.setDate(first)

    def save(self) -> bool:
        first, last = qtbits.py_date(self.starts_on.date()), qtbits.py_date(self.ends_on.date())
        stranded = closure_strands(self.ctx.db, first, last, now=self.ctx.clock())
        if stranded and not self.confirm_stranded(stranded):
            return False
        try:
            self.saved = add_closure(self.ctx.db, first, last, self.reason.text())
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return False
        return True

    def confirm_stranded(self, stranded: list[AppointmentView]) -> bool:
        """Visits are booked on these days: True to close the clinic anyway."""
        verb = "falls" if len(stranded) == 1 else "fall"
        return confirm_stranded(
            self,
            "Appointments on these days",
            f"{count_phrase(len(stranded))} {verb} on these days.",
            stranded,
            get_clinic(self.ctx.db).tz,
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

    def today(self) -> date:
        return clinic_today(self.ctx)

    def reload(self, select_id: int | None = None) -> None:
        today = self.today()
        closures = list_closures(self.ctx.db, today - timedelta(days=30), date(9999, 12, 31))
        self.set_rows(
            [
                (c.id, (_day(c.starts_on), _day(c.ends_on), c.reason), c.ends_on < today)
                for c in closures
            ],
            select_id,
        )
        clinic = get_clinic(self.ctx.db)
        self.holidays_title.setText(
            f"Holidays in {PROVINCES.get(clinic.province, '')}, the coming year"
        )
        found = coming_holidays(self.ctx.db, today)
        fill_table(
            self.holidays,
            [
                (i, (_day(h.day), h.name, _clinic_state(h)), not h.closes_clinic)
                for i, h in enumerate(found)
            ],
        )
        self.optional.blockSignals(True)
        self.optional.clear()
        for holiday in optional_holidays(clinic.province, today.year):
            item = QListWidgetItem(holiday.name)
            item.setData(Qt.ItemDataRole.UserRole, holiday.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            chosen = holiday.key in clinic.closed_optional_holidays
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
            self.optional.addItem(item)
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
        set_closed_optional_holidays(self.ctx.db, self.chosen_optional())
        closed = item.checkState() == Qt.CheckState.Checked
        name, row = item.text(), self.optional.row(item)
        self.reload()
        self.optional.setCurrentRow(row)
        self.status_message.emit(f"The clinic {'closes' if closed else 'stays open'} on {name}.")

    @Slot(bool)
    def _observed_changed(self, close: bool) -> None:
        set_close_on_observed_days(self.ctx.db, close)
        self.reload()
        self.status_message.emit(
            "The clinic closes on observed days too."
            if close
            else "The clinic opens on observed days; holidays close it on the day itself."
        )

    def open_dialog(self, row_id: int | None) -> ClosureDialog:
        """Closures are added, never edited: remove one and add it again instead."""
        return ClosureDialog(self.ctx, self)

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
