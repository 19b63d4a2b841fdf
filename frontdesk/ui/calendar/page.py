"""Reception's calendar page: the day and week views and every front-desk action on them.

Data is read once per date change (``day_schedule`` or ``week_schedule``), on a worker, and
turned into columns when it comes; painting, scrolling, hiding cancelled appointments and resizing
reuse what was read. The toolbar shows the new date at once; until its appointments come, the
grid ignores the mouse, so no click lands on the day that was shown before.
Every change (book, move, cancel, status) goes through the scheduling service; the page shows
the service's answer, and a refusal is explained in the message bar while the block snaps back.

Signals:
    status_message(str): inherited from ``Page``; a one-line summary for the status bar.
    open_patient(int patient_id): inherited from ``Page``; "Open patient" on an appointment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QVBoxLayout, QWidget

from frontdesk.billing.setup import unpaid_visit_balances
from frontdesk.clinic import ClinicInfo, clinic_today, get_clinic
from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.domain import AppointmentStatus, FrontdeskError, PermissionDenied
from frontdesk.scheduling import (
    AppointmentView,
    DaySchedule,
    PractitionerView,
    day_schedule,
    list_practitioners,
    week_schedule,
)
from frontdesk.timefmt import fmt_span
from frontdesk.ui import qtbits
from frontdesk.ui.calendar import style
from frontdesk.ui.calendar.actions import SHORTCUTS, create_actions
from frontdesk.ui.calendar.appointment_ops import AppointmentOps
from frontdesk.ui.calendar.layout import (
    CalendarColumn,
    day_columns,
    time_range,
    week_columns,
    week_start,
)
from frontdesk.ui.calendar.message_bar import MessageBar
from frontdesk.ui.calendar.toolbar import DAY, WEEK, CalendarToolbar
from frontdesk.ui.calendar.view import CalendarView
from frontdesk.ui.widgets.page import Page
from frontdesk.ui.worker import Latest

NOW_REFRESH_MS = 60_000
INFO_SHOWN_MS = 12_000
BUSY_RETRY_MS = 500  # a change from another desk waits while a block is being dragged


@dataclass(frozen=True)
class _Read:
    """One answer of the worker: the shown dates' schedules, and the clinic when asked."""

    day: date
    practitioner_id: int | None
    schedules: list[DaySchedule]
    clinic: ClinicInfo | None = None
    practitioners: list[PractitionerView] | None = None
    unpaid: dict[int, int] | None = None  # appointment id → what the completed visit owes


def read_schedules(
    db: Database, mode: str, day: date, practitioner_id: int | None, shown: list[int] | None
) -> list[DaySchedule]:
    """The schedules of one day (``shown`` practitioners, None: all) or one practitioner's week."""
    if mode == DAY:
        return [day_schedule(db, day, practitioner_ids=shown)]
    return week_schedule(db, week_start(day), practitioner_id) if practitioner_id else []


def read_unpaid(db: Database, schedules: list[DaySchedule]) -> dict[int, int]:
    """What each completed visit among the schedules still owes: one query for all the days
    shown, never one per block. A role that may not see money gets no marks."""
    completed = [
        a.id for s in schedules for a in s.appointments if a.status is AppointmentStatus.COMPLETED
    ]
    try:
        return unpaid_visit_balances(db, completed) if completed else {}
    except PermissionDenied:
        return {}


SETUP_LINK = (
    "No active practitioners yet. "
    '<a href="settings/practitioners">Add one, with their hours, in Settings</a>.'
)


class CalendarPage(Page):
    """Toolbar, message bar and the calendar view, wired to the scheduling service."""

    def __init__(
        self, ctx: AppContext, undo_stack: QUndoStack, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, undo_stack, parent)
        # Until the first answer comes (the clinic's zone and hours, who works here, today's
        # appointments) the page shows an empty grid and takes no input.
        self.ready = False
        self.tz = ZoneInfo("UTC")
        self._weekly_hours: list[tuple[time, time]] = []
        self.practitioners: list[PractitionerView] = []
        self.mode = DAY
        self.day = ctx.clock().astimezone(UTC).date()
        self.practitioner_id: int | None = None
        self.hide_cancelled = False
        self.day_practitioner_ids: list[int] | None = None  # None: every active practitioner
        self.schedules: list[DaySchedule] = []
        self.last_preview: QWidget | None = None
        self._background = Latest()  # the read on a worker of what the page is to show
        self._navigating = False  # the columns shown are not yet those of the toolbar's date
        self._when_ready: list[Callable[[], None]] = []  # asked before the first read came
        self.toolbar = CalendarToolbar()
        self.toolbar.set_practitioners(self.practitioners, self.practitioner_id)
        self.message_bar = MessageBar()
        self.view = CalendarView()
        self.setup_link = qtbits.label(
            SETUP_LINK, name="emptyState", align=Qt.AlignmentFlag.AlignCenter
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(8)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.setup_link)
        self.setup_link.hide()  # shown once the first read says nobody works here yet
        layout.addWidget(self.view, 1)
        self.message_bar.float_over(self.view, style.HEADER_HEIGHT + 6)  # below the day names
        self.calendar_actions = create_actions(self)
        self.ops = AppointmentOps(self, self)
        self.view.calendar_scene.move_check = self.ops.move_problem
        self._now_timer = QTimer(self)
        self._now_timer.setInterval(NOW_REFRESH_MS)
        self._info_timer = QTimer(self)
        self._info_timer.setSingleShot(True)
        self._info_timer.setInterval(INFO_SHOWN_MS)
        self._connect_signals()
        self.setEnabled(False)
        self._load(then=self._scroll_to_start)
        self._now_timer.start()

    def _connect_signals(self) -> None:
        bar, scene, acts, ops = (
            self.toolbar,
            self.view.calendar_scene,
            self.calendar_actions,
            self.ops,
        )
        bar.todayRequested.connect(self.go_to_today)
        bar.stepRequested.connect(self.step_period)
        bar.dateChosen.connect(self.go_to)
        bar.modeChosen.connect(self.set_mode)
        bar.practitionerChosen.connect(self.set_practitioner)
        bar.showCancelledToggled.connect(self.set_show_cancelled)
        bar.newCourseRequested.connect(ops.new_course)
        bar.daySheetRequested.connect(ops.print_day_sheet)
        scene.slotActivated.connect(ops.book_slot)
        scene.moveRequested.connect(ops.move_dropped)
        scene.appointmentActivated.connect(ops.open_appointment)
        scene.selectionChanged.connect(self._on_selection)
        scene.contextMenuRequested.connect(ops.show_menu)
        self.view.periodStepRequested.connect(self.step_period)
        self.view.dayStepRequested.connect(self.step_day)
        self.view.edgeReached.connect(self._on_edge)
        self.view.headerClicked.connect(self._on_header_clicked)
        acts.check_in.triggered.connect(lambda: ops.change_status(AppointmentStatus.CHECKED_IN))
        acts.complete.triggered.connect(lambda: ops.change_status(AppointmentStatus.COMPLETED))
        acts.no_show.triggered.connect(lambda: ops.change_status(AppointmentStatus.NO_SHOW))
        acts.check_out.triggered.connect(ops.check_out_selected)
        acts.cancel.triggered.connect(ops.cancel_selected)
        acts.reschedule.triggered.connect(ops.reschedule_selected)
        acts.open_patient.triggered.connect(ops.open_patient_of_selected)
        acts.print_card.triggered.connect(ops.print_card)
        acts.print_day_sheet.triggered.connect(ops.print_day_sheet)
        acts.new_course.triggered.connect(ops.new_course)
        acts.fill_gap.triggered.connect(ops.fill_gap_here)
        acts.today.triggered.connect(self.go_to_today)
        acts.day_view.triggered.connect(lambda: self.set_mode(DAY))
        acts.week_view.triggered.connect(lambda: self.set_mode(WEEK))
        acts.menu_key.triggered.connect(self.view._keyboard_menu)
        self._now_timer.timeout.connect(self._refresh_now)
        self._info_timer.timeout.connect(self._fade_info)
        self.setup_link.linkActivated.connect(self.navigate)

    # ----- Page API -------------------------------------------------------------------------

    def activated(self) -> None:
        """Reload: bookings may have changed on another page or workstation."""
        if self.ready:  # else the first read is on its way
            self.reload_in_background(with_practitioners=True)

    def database_changed(self) -> None:
        """Another desk changed something: read the shown dates again, selection and scroll kept."""
        if not self.isVisible() or not self.ready:
            return  # read when next shown
        if not self.view.calendar_scene.idle():  # never pull a block from under the mouse
            QTimer.singleShot(BUSY_RETRY_MS, self, self.database_changed)
            return
        self.reload_in_background()

    def shortcuts(self) -> list[tuple[str, str]]:
        return list(SHORTCUTS)

    def focus_primary(self) -> None:
        self.view.setFocus()

    def prepare_screenshot(self) -> None:
        """Show the day at work: the next booked appointment selected, no stale message."""
        self.message_bar.clear()
        now = self.ctx.clock()
        upcoming = [
            a
            for s in self.schedules
            for a in s.appointments
            if a.start >= now and a.status is AppointmentStatus.BOOKED
        ]
        if upcoming:
            self.view.calendar_scene.select(min(upcoming, key=lambda a: a.start).id)

    def show_week_for_screenshot(self) -> None:
        """Week view of the practitioner under the cursor (``--screenshots`` photographs it)."""
        from frontdesk.ui import worker

        self.set_mode(WEEK)
        worker.settle()  # unattended: the week is read on a worker
        self.prepare_screenshot()

    # ----- state ----------------------------------------------------------------------------

    @property
    def today(self) -> date:
        return clinic_today(self.ctx.clock(), self.tz)

    @property
    def columns(self) -> list[CalendarColumn]:
        return self.view.columns

    def appointment(self, appointment_id: int) -> AppointmentView | None:
        for schedule in self.schedules:
            for appt in schedule.appointments:
                if appt.id == appointment_id:
                    return appt
        return None

    def selected_appointment(self) -> AppointmentView | None:
        selected = self.view.calendar_scene.selected_id
        return self.appointment(selected) if selected is not None else None

    def _start_minute(self) -> int:
        """Scroll target: the current time on today, else the first opening hour."""
        now = self.ctx.clock().astimezone(self.tz)
        first = self.view.grid.first_minute
        if any(c.day == now.date() for c in self.columns):
            return max(first, now.hour * 60 + now.minute - 60)
        return first

    def show_appointment(self, appt: AppointmentView) -> None:
        """Jump to an appointment booked elsewhere (the patient hub), select it and scroll to it."""
        if not self.ready:  # the first read brings the clinic's zone; then jump
            self._when_ready.append(lambda: self.show_appointment(appt))
            return
        day = appt.start.astimezone(self.tz).date()
        if self.mode == WEEK:
            self.practitioner_id = appt.practitioner_id
            self.toolbar.set_practitioners(self.practitioners, self.practitioner_id)
        elif (
            self.day_practitioner_ids is not None
            and appt.practitioner_id not in self.day_practitioner_ids
        ):
            self.day_practitioner_ids = None
        self.day = day
        self.view.calendar_scene.selected_id = appt.id

        def scroll_to_it() -> None:
            self.view.calendar_scene.select(appt.id)
            local_start = appt.start.astimezone(self.tz)
            self.view.scroll_to_minute(
                max(self.view.grid.first_minute, local_start.hour * 60 + local_start.minute - 60)
            )

        self._load(then=scroll_to_it)

    # ----- navigation -----------------------------------------------------------------------

    @Slot(object)
    def go_to(self, day: date, then: Callable[[], None] | None = None) -> None:
        if day == self.day and (self.schedules or self.loading):
            return
        self.day = day
        self._load(then=then)

    @Slot()
    def go_to_today(self) -> None:
        if self.today == self.day and self.schedules and not self.loading:
            self._scroll_to_start()
        else:
            self.day = self.today
            self._load(then=self._scroll_to_start)

    def _scroll_to_start(self) -> None:
        self.view.scroll_to_minute(self._start_minute())

    def _cursor_day(self) -> date:
        """The day under the slot cursor: in week view the arrows move it between days."""
        if self.mode == WEEK and self.columns and not self._navigating:
            return self.columns[self.view.calendar_scene.cursor_column].day
        return self.day

    @Slot(int)
    def step_period(self, steps: int) -> None:
        self.go_to(self._cursor_day() + timedelta(days=steps * (7 if self.mode == WEEK else 1)))

    @Slot(int)
    def step_day(self, days: int) -> None:
        self.go_to(self._cursor_day() + timedelta(days=days))

    @Slot(str)
    def set_mode(self, mode: str) -> None:
        if mode == self.mode:
            return
        if mode == WEEK and self.mode == DAY and self.columns and not self._navigating:
            cursor = self.columns[self.view.calendar_scene.cursor_column]
            self.practitioner_id = cursor.practitioner_id or self.practitioner_id
        self.day = self._cursor_day()
        self.mode = mode
        self._load()

    @Slot(int)
    def set_practitioner(self, practitioner_id: int) -> None:
        self.practitioner_id = practitioner_id
        self._load()

    @Slot(bool)
    def set_show_cancelled(self, show: bool) -> None:
        self.hide_cancelled = not show
        self._build()

    @Slot(int)
    def _on_edge(self, direction: int) -> None:
        if self.mode == WEEK:
            self.step_day(direction)

    @Slot(int)
    def _on_header_clicked(self, column: int) -> None:
        target = self.columns[column]
        if self.mode == WEEK:
            self.day = target.day
            self.set_mode(DAY)
        elif target.practitioner_id is not None:
            self.practitioner_id = target.practitioner_id
            self.set_mode(WEEK)

    # ----- loading --------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        """A read is on its way (what is shown may change when it comes)."""
        return self._background.running

    def reload(self, select: int | None = None) -> None:
        """Read the shown dates again (after a change) and keep the scroll position."""
        if select is not None:
            self.view.calendar_scene.selected_id = select
        self._load()

    def _shown(self) -> tuple[object, ...]:
        """What the page shows: a background read for anything else is dropped."""
        pids = self.day_practitioner_ids
        return (self.mode, self.day, self.practitioner_id, None if pids is None else tuple(pids))

    def _load(self, then: Callable[[], None] | None = None) -> None:
        """Read what the page is to show now (another date, view or practitioner, or after a
        change) on a worker; until it comes the toolbar shows the new state and the grid takes
        no clicks. ``then`` runs once it is shown."""
        if self.ready:
            self._show_state()
            self.view.setInteractive(False)
        self._navigating = True
        self._read_in_background(setup=not self.ready, then=then)

    def reload_in_background(self, *, with_practitioners: bool = False) -> None:
        """Read the shown dates again (page shown, another desk's change): what is shown stays
        usable meanwhile, and a drag under way is never disturbed."""
        self._read_in_background(setup=with_practitioners, quiet=True)

    def _read_in_background(
        self, *, setup: bool, quiet: bool = False, then: Callable[[], None] | None = None
    ) -> None:
        shown, first = self._shown(), not self.ready
        db, clock = self.ctx.db, self.ctx.clock
        mode, day, pid, pids = self.mode, self.day, self.practitioner_id, self.day_practitioner_ids

        def fetch() -> _Read:
            clinic = get_clinic(db) if setup else None
            practitioners = list_practitioners(db) if setup else None
            the_day, the_pid = day, pid
            if first:  # today where the clinic is, and the first practitioner for a week
                assert clinic is not None and practitioners is not None
                the_day = clinic_today(clock(), clinic.tz)
                the_pid = practitioners[0].id if practitioners else None
            schedules = read_schedules(db, mode, the_day, the_pid, pids)
            unpaid = read_unpaid(db, schedules)
            return _Read(the_day, the_pid, schedules, clinic, practitioners, unpaid)

        def show(read: _Read) -> None:
            if not first and shown != self._shown():
                return  # the user moved on: what is shown now was read for it
            if quiet and not self.view.calendar_scene.idle():  # dragging: read once dropped
                QTimer.singleShot(BUSY_RETRY_MS, self, self.database_changed)
                return
            if read.clinic is not None:
                self.tz = read.clinic.tz
                self._weekly_hours = list(read.clinic.opening_hours.values())
            if read.practitioners is not None:
                self.practitioners = read.practitioners
            self.day, self.practitioner_id = read.day, read.practitioner_id
            if read.practitioners is not None:
                self.toolbar.set_practitioners(self.practitioners, self.practitioner_id)
            self.schedules = read.schedules
            self.view.calendar_scene.unpaid = read.unpaid or {}
            self._shown_read()
            if then is not None:
                then()
            waiting, self._when_ready = self._when_ready, []
            for step in waiting:
                step()

        def failed(exc: Exception) -> None:
            if not isinstance(exc, FrontdeskError):
                raise exc
            if not first and shown != self._shown():
                return
            if not quiet:  # never the old dates under the new heading
                self.schedules = []
                self.view.calendar_scene.unpaid = {}
                self._shown_read()
            self.show_error(f"The calendar could not be read: {exc}")

        self._background.run(self, fetch, show, failed)

    def _shown_read(self) -> None:
        """What was read is what the page shows: draw it and take input again."""
        self.ready = True
        self._navigating = False
        self.setEnabled(True)
        self.ops.forget_move_checks()  # what was free or busy may have changed
        self._build()
        self.view.setInteractive(True)

    def _build(self) -> None:
        now = self.ctx.clock()
        if self.mode == DAY:
            columns = [
                c
                for s in self.schedules
                for c in day_columns(s, today=self.today, hide_cancelled=self.hide_cancelled)
            ]
        else:
            who = next((p for p in self.practitioners if p.id == self.practitioner_id), None)
            columns = (
                week_columns(
                    self.schedules, who, today=self.today, hide_cancelled=self.hide_cancelled
                )
                if who
                else []
            )
        scene = self.view.calendar_scene
        if self.mode == WEEK:
            scene.cursor_column = self.day.weekday()
        self.view.set_columns(columns, time_range(columns, self._weekly_hours), now)
        self.setup_link.setVisible(self.ready and not self.practitioners)
        self._show_state()

    def _show_state(self) -> None:
        """The toolbar shows the date, view and practitioner asked for (before they are read)."""
        first = week_start(self.day) if self.mode == WEEK else self.day
        self.toolbar.show_state(
            mode=self.mode,
            day=self.day,
            first=first,
            last=first + timedelta(days=6),
            practitioner_id=self.practitioner_id,
        )

    @Slot()
    def _refresh_now(self) -> None:
        if self.view.calendar_scene.idle():
            self.view.set_columns(self.view.columns, self.view.time_range, self.ctx.clock())

    @Slot(int)
    def _on_selection(self, appointment_id: int) -> None:
        """Say in the status bar what is selected, for whoever works from the keyboard."""
        appt = self.appointment(appointment_id) if appointment_id >= 0 else None
        if appt is not None:
            room = f" · {appt.room_name}" if appt.room_name else ""
            self.status_message.emit(
                f"{appt.patient_name} · {appt.type_name} {fmt_span(appt.start, appt.end, self.tz)}{room} · {appt.status.label}"
            )

    # ----- messages and menus ---------------------------------------------------------------

    def show_info(self, text: str) -> None:
        """Say what just happened; it fades after a while (a refusal stays until dismissed)."""
        self.message_bar.show_message(text, "info")
        self.status_message.emit(text)
        self._info_timer.start()

    def show_error(self, text: str) -> None:
        self._info_timer.stop()
        self.message_bar.show_message(text, "error")
        self.status_message.emit(text)

    @Slot()
    def _fade_info(self) -> None:
        if self.message_bar.kind == "info":
            self.message_bar.clear()
