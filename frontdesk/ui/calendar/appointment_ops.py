"""What the front desk does to appointments from the calendar, each through the service.

Kept apart from the page so the page stays about showing dates, and each operation reads as
one short story: ask (if needed), call the service on a worker (``ui/worker.py``), then on the
GUI thread push an undo step, reload, say what happened. Until the service answered, the grid
takes no clicks. Refusals are ``FrontdeskError``s whose message is shown as is. Every change
sends the version of the appointment the calendar shows; if another workstation changed it
since, the service refuses (``StaleRecord``), the page says so and reloads to show the other
desk's change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, QPoint, Slot
from PySide6.QtWidgets import QMenu, QWidget

from frontdesk.accounts.permissions import is_allowed
from frontdesk.billing import fmt_money
from frontdesk.billing.invoices import charge_missed_visit
from frontdesk.billing.types import InvoiceView
from frontdesk.domain import AppointmentStatus, BookingError, FrontdeskError, StaleRecord
from frontdesk.reports import appointment_card_pdf, day_sheet_pdf, receipt_pdf
from frontdesk.scheduling import (
    AppointmentView,
    PractitionerView,
    cancel,
    check_reschedule,
    reschedule,
)
from frontdesk.timefmt import fmt_short_when
from frontdesk.ui.billing.checkout_dialog import CheckOutDialog
from frontdesk.ui.calendar.actions import CalendarActions
from frontdesk.ui.calendar.commands import (
    STALE,
    STATUS_SERVICES,
    CancelAppointmentCommand,
    KnownVersions,
    MoveAppointmentCommand,
    Placement,
    StatusChangeCommand,
)
from frontdesk.ui.calendar.dialogs import CancelDialog, RescheduleDialog
from frontdesk.ui.calendar.layout import CalendarColumn
from frontdesk.ui.calendar.toolbar import DAY
from frontdesk.ui.calendar.view import CalendarView
from frontdesk.ui.calendar.waitlist_offer import (
    FREEING,
    may_fill,
    offer_after_freeing,
    open_fill_dialog,
    slot_start,
)
from frontdesk.ui.printing import show_pdf_preview
from frontdesk.ui.widgets.page import Page
from frontdesk.ui.worker import run_query

# status → (what the banner says was done, how Edit ▸ Undo names the step)
_STATUS_WORDS: dict[AppointmentStatus, tuple[str, str]] = {
    AppointmentStatus.CHECKED_IN: ("Checked in", "check-in of {name} on {when}"),
    AppointmentStatus.COMPLETED: ("Completed", "completion of {name}'s visit on {when}"),
    AppointmentStatus.NO_SHOW: ("Marked as no-show", "no-show for {name} on {when}"),
}
NO_SELECTION = (
    "Select an appointment first: click it, or move the cursor onto it with the arrow keys."
)


class CalendarHost(Protocol):
    """What the operations read and refresh on the calendar page that owns them.

    The page passes itself in (``AppointmentOps(self, self)``), so this module never imports
    the page.
    """

    tz: ZoneInfo
    mode: str
    day: date
    practitioner_id: int | None
    practitioners: list[PractitionerView]
    last_preview: QWidget | None
    view: CalendarView
    calendar_actions: CalendarActions

    @property
    def columns(self) -> list[CalendarColumn]: ...

    @property
    def loading(self) -> bool: ...

    def appointment(self, appointment_id: int) -> AppointmentView | None: ...

    def selected_appointment(self) -> AppointmentView | None: ...

    def reload(self, select: int | None = None) -> None: ...

    def show_info(self, text: str) -> None: ...

    def show_error(self, text: str) -> None: ...


class AppointmentOps(QObject):
    """Slots for every front-desk action; the page connects its signals and actions here.

    ``page`` is the widget dialogs open over (with the context, undo stack and ``open_patient``
    signal every page has); ``calendar`` is the same page seen as a ``CalendarHost``.
    """

    def __init__(self, page: Page, calendar: CalendarHost) -> None:
        super().__init__(page)
        self.page = page
        self.calendar = calendar
        self.ctx = page.ctx
        self.versions = KnownVersions()  # shared with the undo commands
        # (appointment, version, practitioner, start) -> why a drop there is refused; the
        # page forgets them whenever it reads the calendar again.
        self.move_checks: dict[tuple[int, int, int, datetime], str | None] = {}
        self._checking: set[tuple[int, int, int, datetime]] = set()
        self._checks_read = 0  # how many times the calendar was read: older answers are void

    def forget_move_checks(self) -> None:
        """What was free or busy may have changed: ask the service again."""
        self.move_checks.clear()
        self._checking.clear()
        self._checks_read += 1

    def _change(
        self,
        call: Callable[[], AppointmentView],
        done: Callable[[AppointmentView], None],
        refused: Callable[[FrontdeskError], None],
    ) -> None:
        """Run a service change on a worker; the grid takes no clicks until it answered."""
        view = self.calendar.view
        view.setInteractive(False)

        def answered() -> None:
            view.setInteractive(not self.calendar.loading)

        def ok(result: AppointmentView) -> None:
            answered()
            done(result)

        def failed(exc: Exception) -> None:
            answered()
            if not isinstance(exc, FrontdeskError):
                raise exc
            refused(exc)

        run_query(self, call, ok, failed)

    def _when(self, instant: datetime) -> str:
        return fmt_short_when(instant, self.calendar.tz)

    def _callbacks(self) -> dict[str, Any]:
        return {
            "versions": self.versions,
            "report": self._report,
            "on_changed": lambda appt_id: self.calendar.reload(select=appt_id),
        }

    def _report(self, text: str, is_error: bool) -> None:
        """What an undo or redo step says: in the banner and the status bar, like any change."""
        (self.calendar.show_error if is_error else self.calendar.show_info)(text)

    def _stale(self, appt: AppointmentView, what: str) -> None:
        """Another desk changed ``appt`` since it was shown: say so and show their change."""
        self.calendar.reload(select=appt.id)
        self.calendar.show_error(f"{appt.patient_name} was not {what}: {STALE}")

    def _selected(self) -> AppointmentView | None:
        appt = self.calendar.selected_appointment()
        if appt is None:
            self.calendar.show_error(NO_SELECTION)
        return appt

    # ----- booking --------------------------------------------------------------------------

    @Slot(int, int, int)
    def book_slot(self, column: int, start_minute: int, end_minute: int) -> None:
        """Open the booking dialog for an empty slot (a click, a drag or Enter)."""
        from frontdesk.ui.booking.booking_dialog import BookingDialog

        target = self.calendar.columns[column]
        booked = BookingDialog.ask(
            self.page,
            self.ctx,
            practitioner_id=target.practitioner_id,
            start=target.instant_at(start_minute),
        )
        if booked is not None:
            self.calendar.reload(select=booked.id)
            self.calendar.show_info(
                f"Booked {booked.patient_name}: {booked.type_name} on {self._when(booked.start)}."
            )
        self.calendar.view.setFocus()

    @Slot()
    def new_course(self) -> None:
        from frontdesk.ui.booking.course_wizard import CourseWizard

        page, calendar = self.page, self.calendar
        column = (
            calendar.columns[calendar.view.calendar_scene.cursor_column]
            if calendar.columns
            else None
        )
        course = CourseWizard.ask(
            page,
            self.ctx,
            practitioner_id=column.practitioner_id if column else calendar.practitioner_id,
            start_date=column.day if column else calendar.day,
        )
        if course is not None:
            calendar.reload()
            calendar.show_info(f"Booked a course of {course.planned} sessions.")

    # ----- moving ---------------------------------------------------------------------------

    @Slot(int, int, int)
    def move_dropped(self, appointment_id: int, column: int, start_minute: int) -> None:
        """A block was dropped: ask the service to move it there; refused → it snaps back."""
        target = self.calendar.columns[column]
        appt = self.calendar.appointment(appointment_id)
        if appt is None:
            return
        practitioner = (
            target.practitioner_id if target.practitioner_id != appt.practitioner_id else None
        )
        scene = self.calendar.view.calendar_scene
        self.move(
            appt,
            target.instant_at(start_minute),
            practitioner,
            refused=lambda: scene.snap_back(appointment_id),
        )

    def move_problem(self, appointment_id: int, column: int, start_minute: int) -> str | None:
        """Why dropping the visit at this slot would be refused (a short reason), or None.

        The scheduling service's own check, asked on a worker once per slot and remembered until
        the calendar is read again, so dragging across the grid never queries per mouse move.
        None until it answered; then the scene is told to ask again (``recheck_drag``).
        """
        target = self.calendar.columns[column]
        appt = self.calendar.appointment(appointment_id)
        if appt is None or target.practitioner_id is None:
            return None
        start = target.instant_at(start_minute)
        key = (appt.id, appt.version, target.practitioner_id, start)
        if key in self.move_checks:
            return self.move_checks[key]
        if key not in self._checking:
            self._checking.add(key)
            practitioner = (
                target.practitioner_id if target.practitioner_id != appt.practitioner_id else None
            )
            db, clock, read = self.ctx.db, self.ctx.clock, self._checks_read

            def check() -> str | None:
                try:
                    check_reschedule(db, appt.id, start, now=clock(), practitioner_id=practitioner)
                except BookingError as exc:
                    return exc.short or str(exc)
                except FrontdeskError:
                    return None  # the drop itself will say what is wrong
                return None

            def known(problem: str | None) -> None:
                if read != self._checks_read:
                    return  # asked about a calendar read before the one shown now
                self._checking.discard(key)
                self.move_checks[key] = problem
                self.calendar.view.calendar_scene.recheck_drag()

            run_query(self, check, known, busy=False)
        return None

    def move(
        self,
        appt: AppointmentView,
        new_start: datetime,
        practitioner_id: int | None,
        *,
        refused: Callable[[], None] | None = None,
    ) -> None:
        """Move through the service (on a worker) and push the undo step; if refused, say why
        and call ``refused`` (the dragged block snaps back)."""
        db, clock = self.ctx.db, self.ctx.clock

        def call() -> AppointmentView:
            return reschedule(
                db,
                appt.id,
                new_start,
                now=clock(),
                practitioner_id=practitioner_id,
                expected_version=appt.version,
            )

        def done(moved: AppointmentView) -> None:
            self._moved(appt, moved)
            self.calendar.show_info(f"Moved {appt.patient_name} to {self._when(moved.start)}.")

        def failed(exc: FrontdeskError) -> None:
            if refused is not None:
                refused()
            if isinstance(exc, StaleRecord):
                self._stale(appt, "moved")
            else:
                self.calendar.show_error(f"{appt.patient_name} was not moved: {exc}")

        self._change(call, done, failed)

    def _moved(self, appt: AppointmentView, moved: AppointmentView) -> None:
        """The undo step and the reload after a move, shared by drag and the Reschedule dialog."""
        self.versions.record(moved)
        before = Placement(appt.start, appt.practitioner_id, appt.room_id)
        after = Placement(moved.start, moved.practitioner_id, moved.room_id)
        text = f"move {appt.patient_name} to {self._when(moved.start)}"
        self.page.undo_stack.push(
            MoveAppointmentCommand(self.ctx, appt.id, before, after, text, **self._callbacks())
        )
        self.calendar.reload(select=appt.id)

    @Slot()
    def reschedule_selected(self) -> None:
        appt = self._selected()
        if appt is None:
            return
        page, calendar = self.page, self.calendar
        db, clock = self.ctx.db, self.ctx.clock

        def apply(start: datetime, practitioner_id: int) -> AppointmentView | StaleRecord:
            try:  # on a worker
                return reschedule(
                    db,
                    appt.id,
                    start,
                    now=clock(),
                    practitioner_id=(
                        practitioner_id if practitioner_id != appt.practitioner_id else None
                    ),
                    expected_version=appt.version,
                )
            except StaleRecord as exc:
                return exc  # closes the dialog: the appointment it shows is out of date

        first, last = calendar.view.time_range
        answer = RescheduleDialog.ask(
            page,
            appt,
            calendar.tz,
            calendar.practitioners,
            apply,
            first_minute=first,
            last_minute=last,
        )
        if answer is None:
            return
        (moved,) = answer
        if not isinstance(moved, AppointmentView):
            self._stale(appt, "moved")
            return
        self._moved(appt, moved)
        calendar.show_info(f"Moved {appt.patient_name} to {self._when(moved.start)}.")

    # ----- status ---------------------------------------------------------------------------

    def change_status(self, status: AppointmentStatus) -> None:
        """Check in, complete or no-show the selected appointment, as one undoable step."""
        appt = self._selected()
        if appt is None:
            return
        done, step = _STATUS_WORDS[status]
        db, clock, service = self.ctx.db, self.ctx.clock, STATUS_SERVICES[status]

        def changed(result: AppointmentView) -> None:
            self.versions.record(result)
            when = self._when(appt.start)
            text = step.format(name=appt.patient_name, when=when)
            self.page.undo_stack.push(
                StatusChangeCommand(self.ctx, appt.id, status, text, **self._callbacks())
            )
            self.calendar.reload(select=appt.id)
            said = f"{done}: {appt.patient_name}, {when}. Ctrl+Z undoes it."
            self.calendar.show_info(said)
            if status is AppointmentStatus.NO_SHOW:
                self._offer_wait_list(result, said)

        def refused(exc: FrontdeskError) -> None:
            if isinstance(exc, StaleRecord):
                self._stale(appt, done.lower())
            else:
                self.calendar.show_error(f"{appt.patient_name}: {exc}")

        self._change(
            lambda: service(db, appt.id, now=clock(), expected_version=appt.version),
            changed,
            refused,
        )

    @Slot()
    def cancel_selected(self) -> None:
        appt = self._selected()
        if appt is None:
            return
        db, clock = self.ctx.db, self.ctx.clock

        def apply(reason: str) -> AppointmentView | StaleRecord:
            try:  # on a worker
                return cancel(db, appt.id, reason, now=clock(), expected_version=appt.version)
            except StaleRecord as exc:
                return exc  # closes the dialog: the appointment it shows is out of date

        answer = CancelDialog.ask(self.page, appt, self.calendar.tz, apply)
        if answer is None:
            return
        reason, cancelled = answer
        if not isinstance(cancelled, AppointmentView):
            self._stale(appt, "cancelled")
            return
        self.versions.record(cancelled)
        text = f"cancel {appt.patient_name}'s appointment of {self._when(appt.start)}"
        self.page.undo_stack.push(
            CancelAppointmentCommand(self.ctx, appt.id, reason, text, **self._callbacks())
        )
        self.calendar.reload(select=appt.id)
        said = f"Cancelled {appt.patient_name}'s appointment ({reason}). Ctrl+Z undoes it."
        self.calendar.show_info(said)
        self._offer_wait_list(cancelled, said)

    @Slot()
    def check_out_selected(self) -> None:
        """Invoice the visit, take the payment and (if asked) open the receipt to print."""
        appt = self._selected()
        if appt is None:
            return
        done = CheckOutDialog.ask(self.page, self.ctx, appt, self.calendar.tz)
        if done is None:
            return
        self.calendar.reload(select=appt.id)
        invoice = done.invoice
        paid = f"{fmt_money(done.paid_cents)} paid by {' and '.join(done.methods)}"
        owing = invoice.total_cents - done.paid_cents
        self.calendar.show_info(
            f"Checked out {appt.patient_name}: invoice {invoice.number}, "
            f"{fmt_money(invoice.total_cents)}, {paid}"
            + (f"; {fmt_money(owing)} still owing." if owing > 0 else ".")
        )
        if done.print_receipt:
            self.print_pdf(
                lambda: receipt_pdf(self.ctx.db, invoice.id, now=self.ctx.clock()),
                f"Receipt: {appt.patient_name}, invoice {invoice.number}",
                f"receipt-{invoice.number}-{appt.patient_name}".replace(" ", "-"),
            )

    def _may_cancel_courses(self) -> bool:
        actor = self.ctx.db.actor
        return actor is None or is_allowed("preview_course_cancellation", actor.role)

    def cancel_course_of(self, appt: AppointmentView) -> None:
        """Cancel the rest of ``appt``'s course, with its package refund when it has one."""
        from frontdesk.ui.billing.course_cancel_dialog import CourseCancelDialog

        if appt.course_id is None:
            return
        dialog = CourseCancelDialog(self.page, self.ctx, appt.course_id, appt.patient_name)
        try:
            if dialog.exec():
                self.calendar.reload(select=appt.id)
                self.calendar.show_info(f"{appt.patient_name}: {dialog.outcome_text()}")
        finally:
            dialog.deleteLater()

    # ----- missed visits ----------------------------------------------------------------------

    def _missed_fee_applies(self, appt: AppointmentView) -> bool:
        """A no-show or a late cancellation, for a role that may invoice it."""
        actor = self.ctx.db.actor
        allowed = actor is None or is_allowed("charge_missed_visit", actor.role)
        missed = appt.status is AppointmentStatus.NO_SHOW or (
            appt.status is AppointmentStatus.CANCELLED and appt.late_cancellation
        )
        return allowed and missed

    def charge_missed_fee(self, appt: AppointmentView) -> None:
        """Invoice the clinic's no-show or late-cancellation fee, as its policy in Settings ▸
        Fees says; the service refuses (and says why) when the policy charges none."""
        db, now = self.ctx.db, self.ctx.clock()

        def charged(invoice: InvoiceView) -> None:
            self.calendar.reload(select=appt.id)
            self.calendar.show_info(
                f"Invoice {invoice.number} for {appt.patient_name}: "
                f"{fmt_money(invoice.total_cents)} ({invoice.lines[0].description})."
            )

        def refused(exc: Exception) -> None:
            if not isinstance(exc, FrontdeskError):
                raise exc
            self.calendar.show_error(f"{appt.patient_name}: {exc}")

        run_query(self.page, lambda: charge_missed_visit(db, appt.id, now=now), charged, refused)

    # ----- the wait list ----------------------------------------------------------------------

    def _offer_wait_list(self, freed: AppointmentView, said: str) -> None:
        """After a visit freed its time: say in the message line if the wait list has takers."""
        offer_after_freeing(
            self.page, self.ctx, freed, self.calendar.columns, self.calendar.show_info, said
        )

    def fill_gap_at(self, column: int, minute: int) -> QWidget | None:
        """Who on the wait list could take ``column``'s practitioner's time from ``minute``."""
        columns = self.calendar.columns
        if not 0 <= column < len(columns):
            return None
        col = columns[column]
        return open_fill_dialog(self.page, self.ctx, col, slot_start(col, minute), self._filled)

    @Slot()
    def fill_gap_here(self) -> QWidget | None:
        """Ctrl+Shift+W: the selected cancelled or missed visit's time, else the cursor's."""
        if not may_fill(self.ctx):
            return None
        appt = self._selected()
        columns = self.calendar.columns
        if appt is not None and appt.status in FREEING:
            col = next(
                (
                    c
                    for c in columns
                    if c.practitioner_id == appt.practitioner_id
                    and c.day == appt.start.astimezone(c.tz).date()
                ),
                None,
            )
            if col is not None:
                return open_fill_dialog(
                    self.page, self.ctx, col, appt.start, self._filled, ignore=appt.id
                )
        scene = self.calendar.view.calendar_scene
        grid = self.calendar.view.grid
        return self.fill_gap_at(scene.cursor_column, grid.slot_minute(scene.cursor_slot))

    def _filled(self, appt: AppointmentView) -> None:
        self.calendar.reload(select=appt.id)
        self.calendar.show_info(
            f"Booked {appt.patient_name} from the wait list at {self._when(appt.start)}."
        )

    # ----- elsewhere ------------------------------------------------------------------------

    @Slot()
    def open_patient_of_selected(self) -> None:
        appt = self._selected()
        if appt is not None:
            self.page.open_patient.emit(appt.patient_id)

    @Slot()
    def print_card(self) -> None:
        appt = self._selected()
        if appt is not None:
            name = f"appointment-card-{appt.patient_name}".replace(" ", "-")
            self.print_pdf(
                lambda: appointment_card_pdf(self.ctx.db, appt.patient_id, now=self.ctx.clock()),
                f"Appointment card: {appt.patient_name}",
                name,
            )

    # ----- menus and printouts ---------------------------------------------------------------

    @Slot(int)
    def open_appointment(self, appointment_id: int) -> None:
        """Enter or a double-click on a block: its actions, as a menu at the block."""
        view = self.calendar.view
        block = view.calendar_scene.blocks.get(appointment_id)
        if block is None:
            return
        point = view.viewport().mapToGlobal(view.mapFromScene(block.rect().topLeft()))
        self.show_menu(appointment_id, block.column_index, 0, point)

    @Slot(int, int, int, QPoint)
    def show_menu(self, appointment_id: int, column: int, minute: int, screen_pos: QPoint) -> None:
        menu = QMenu(self.page)
        if appointment_id >= 0:
            for action in self.calendar.calendar_actions.appointment_actions:
                menu.addAction(action)
                if (
                    action is self.calendar.calendar_actions.check_out
                    or action is self.calendar.calendar_actions.reschedule
                ):
                    menu.addSeparator()
            appt = self.calendar.appointment(appointment_id)
            if appt is not None and appt.status in FREEING and may_fill(self.ctx):
                menu.addAction(self.calendar.calendar_actions.fill_gap)
            if appt is not None and self._missed_fee_applies(appt):
                fee = menu.addAction("Charge the &missed-visit fee…")
                fee.triggered.connect(lambda: self.charge_missed_fee(appt))
            if appt is not None and appt.course_id is not None and self._may_cancel_courses():
                cancel_course = menu.addAction("Cancel the rest of the c&ourse…")
                cancel_course.triggered.connect(lambda: self.cancel_course_of(appt))
        else:
            book = menu.addAction(f"Book at {minute // 60:02d}:{minute % 60:02d}…")
            book.triggered.connect(lambda: self.book_slot(column, minute, minute + 15))
            menu.addAction(self.calendar.calendar_actions.new_course)
            if may_fill(self.ctx):
                fill = menu.addAction("&Who could fill this time?…")
                fill.triggered.connect(lambda: self.fill_gap_at(column, minute))
            if self.calendar.mode == DAY:
                menu.addAction(self.calendar.calendar_actions.print_day_sheet)
        menu.exec(screen_pos)
        menu.deleteLater()

    @Slot()
    def print_day_sheet(self) -> None:
        day = self.calendar.day
        self.print_pdf(
            lambda: day_sheet_pdf(self.ctx.db, day, now=self.ctx.clock()),
            f"Day sheet {day.isoformat()}",
            f"day-sheet-{day.isoformat()}",
        )

    def print_pdf(self, render: Callable[[], bytes], title: str, name: str) -> None:
        """Render a printout on a worker and open the shared preview (Print… / Save as PDF…)."""

        def rendered(pdf: bytes) -> None:
            self.calendar.last_preview = show_pdf_preview(
                self.page, title, pdf, suggested_name=name
            )

        def failed(exc: Exception) -> None:
            if not isinstance(exc, (FrontdeskError, ValueError)):  # ValueError: nothing that day
                raise exc
            self.calendar.show_error(f"Nothing was printed: {exc}")

        run_query(self, render, rendered, failed)
