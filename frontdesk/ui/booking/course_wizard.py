"""Book a whole treatment course (say eight weekly acupuncture sessions) in one sitting.

One dialog rather than a page-by-page wizard: the plan's fields sit above a live preview of
every session, so each change shows at once which dates are free and which clash (with the
service's reason and its suggested alternative). Reception accepts suggestions (one or all),
or edits a date or time in the table, and books the course in one all-or-nothing step.

When the patient already has an active course, a warning names it before anything is booked.
A course booked for a patient with a treatment plan becomes the course that plan covers (in the
booking's transaction), so the handout offered afterwards lists exactly the sessions just
booked. Without a plan, the dialog offers the appointment card, which lists them too.

Every service call runs on a worker (``ui/worker.py``) and its answer is shown when it comes:
the lists the form offers (the wizard says "Loading…" until then), the practitioners of a type
and their next start, the preview, each re-check, the booking and the printouts. Book waits,
disabled, for the preview or re-check under way, so only sessions just judged are booked.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import shiboken6
from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.billing import book_packaged_course
from frontdesk.clinic import get_clinic
from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.domain import DatabaseUnavailable, Frequency, FrontdeskError
from frontdesk.plans import PlanRevisionView, current_plan_for_patient
from frontdesk.scheduling import (
    AppointmentTypeView,
    CourseRequest,
    CourseView,
    PractitionerView,
    RoomView,
    SessionPreview,
    SteadySlot,
    active_courses,
    book_course,
    check_course_sessions,
    list_appointment_types,
    list_rooms,
    next_start,
    practitioners_for_type,
    preview_course,
    steady_slots,
)
from frontdesk.timefmt import fmt_day
from frontdesk.ui import qtbits
from frontdesk.ui.booking.common import (
    FieldError,
    error_messages,
    local,
)
from frontdesk.ui.booking.course_done import CourseDonePage
from frontdesk.ui.booking.course_form import CourseForm
from frontdesk.ui.booking.course_model import CoursePreviewModel, PlannedSession, SessionTable
from frontdesk.ui.booking.course_package import PackageChoice
from frontdesk.ui.booking.course_warning import ExistingCourseWarning
from frontdesk.ui.booking.steady_strip import SteadySlotStrip
from frontdesk.ui.printing import PdfPreviewDialog, show_pdf_preview
from frontdesk.ui.worker import Latest, run_query

DEFAULT_TYPE = "Acupuncture treatment"
DEFAULT_SESSIONS = 8
DEFAULT_TIME = time(10, 0)  # for a course opened on a day rather than a time slot


@dataclass(frozen=True)
class _Lists:
    """What the form offers, read on a worker when the wizard opens."""

    tz: ZoneInfo
    types: list[AppointmentTypeView]
    rooms: list[RoomView]
    default_type: int | None
    practitioners: list[PractitionerView]  # those who give the default type


def _read_lists(db: Database) -> _Lists:
    types = list_appointment_types(db)
    default_type = next((t.id for t in types if t.name == DEFAULT_TYPE), None)
    if default_type is None and types:
        default_type = types[0].id
    return _Lists(
        get_clinic(db).tz,
        types,
        list_rooms(db),
        default_type,
        practitioners_for_type(db, default_type),
    )


@dataclass(frozen=True)
class _Context:
    """The chosen patient's current plan and open courses (read once per patient)."""

    patient_id: int | None
    plan: PlanRevisionView | None = None
    existing: tuple[CourseView, ...] = ()
    problem: str = ""


@dataclass(frozen=True)
class _Preview:
    """One answer to the preview: the sessions, the steady slots offered, or why not."""

    previews: list[SessionPreview] | None
    slots: list[SteadySlot]
    error: FrontdeskError | None
    context: _Context | None  # None: the patient is the one read before


def _read_preview(
    db: Database,
    req: CourseRequest | None,
    now: datetime,
    patient_id: int | None,
    read_context: bool,
) -> _Preview:
    """On a worker: the patient's context if it is new, the sessions and, for a weekly course
    that clashes, the steady slots."""
    context = None
    if read_context:
        context = _Context(patient_id)
        if patient_id is not None:
            try:
                context = _Context(
                    patient_id,
                    current_plan_for_patient(db, patient_id),
                    tuple(active_courses(db, patient_id)),
                )
            except FrontdeskError as exc:  # e.g. the patient was removed meanwhile
                context = _Context(patient_id, problem=" ".join(error_messages(exc).values()))
    if req is None:
        return _Preview(None, [], None, context)
    try:
        previews = preview_course(db, req, now=now)
    except FrontdeskError as exc:
        return _Preview(None, [], exc, context)
    slots: list[SteadySlot] = []
    if req.frequency is Frequency.WEEKLY and not all(p.free for p in previews):
        try:
            slots = steady_slots(db, req, now=now)
        except FrontdeskError:
            slots = []
    return _Preview(previews, slots, None, context)


class CourseWizard(QDialog):
    """Plan, preview, adjust and book a course of sessions.

    Signals:
        courseBooked(object): the ``CourseView`` just stored.
        handoutPrinted(int): revision id of the plan whose handout was printed or saved.
    """

    courseBooked = Signal(object)
    handoutPrinted = Signal(int)

    def __init__(
        self,
        parent: QWidget | None,
        ctx: AppContext,
        *,
        practitioner_id: int | None = None,
        patient_id: int | None = None,
        start_date: date | datetime | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Book a treatment course")
        self._ctx = ctx
        self._tz = ZoneInfo("UTC")  # the clinic's, once the lists are read
        self._ready = False  # the lists have come and the form is filled
        self._setup = Latest()  # the lists, then the practitioners of a type
        self._starting = Latest()  # a practitioner's next start
        self._preview = Latest()  # the preview of the course as it stands
        self._recheck = Latest()  # the judgement of sessions moved by hand
        self._booking = Latest()
        self.course: CourseView | None = None
        self.follow_up: str | None = None  # "print" or "card" once chosen
        self.last_preview: PdfPreviewDialog | None = None  # the handout or card just opened
        self._plan: PlanRevisionView | None = None
        # The patient the plan and the open courses below were read for.
        self._context_patient: int | None = None
        self._existing: list[CourseView] = []
        self._durations: dict[int, timedelta] = {}
        self.form = CourseForm(ctx, [], [], [])
        self.steady = SteadySlotStrip(self._tz)
        self.model = CoursePreviewModel(self._tz, self)
        self.table = SessionTable(self.model)
        self.preview_note = QLabel("Loading…")
        self.preview_note.setObjectName("muted")
        self.preview_note.setWordWrap(True)
        self.accept_button = QPushButton("&Accept suggestion")
        self.accept_all_button = QPushButton("Accept a&ll suggestions")
        for b in (self.accept_button, self.accept_all_button):
            b.setAutoDefault(False)
        self.form_error = FieldError()
        self.buttons = QDialogButtonBox(  # a child from the start: sized in the window's style
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.book_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.book_button.setText("Book course")
        self.book_button.setDefault(True)
        self.book_button.setMinimumWidth(self.book_button.sizeHint().width() + 24)
        self.book_button.setEnabled(False)
        self.done_page = CourseDonePage(self)
        self.existing_warning = ExistingCourseWarning()
        self.package = PackageChoice(ctx)  # sell the course as a package (issue 17)

        plan_page = QWidget()
        plan_layout = QVBoxLayout(plan_page)
        plan_layout.setContentsMargins(0, 0, 0, 0)
        plan_layout.addWidget(self.form)
        plan_layout.addWidget(self.existing_warning)
        plan_layout.addWidget(self.steady)
        row = QHBoxLayout()
        title = QLabel("Sessions")
        title.setObjectName("sectionTitle")
        row.addWidget(title)
        row.addWidget(self.preview_note, 1)
        row.addWidget(self.accept_button)
        row.addWidget(self.accept_all_button)
        plan_layout.addLayout(row)
        plan_layout.addWidget(self.table, 1)
        plan_layout.addWidget(self.package)
        plan_layout.addWidget(self.form_error)
        plan_layout.addWidget(self.buttons)
        self.pages = QStackedWidget()
        self.pages.addWidget(plan_page)
        self.pages.addWidget(self.done_page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        qtbits.fit_to_screen(self, 980, 720)

        self._wanted: datetime | None = None
        if patient_id is not None:
            self.form.picker.set_patient_id(patient_id)
        self._connect_signals()
        self.form.setFocus()

        def fill(lists: _Lists) -> None:
            self._fill(lists, practitioner_id, start_date)

        db = ctx.db
        self._setup.run(self, lambda: _read_lists(db), fill, self._read_failed)

    @property
    def loading(self) -> bool:
        """A service call of the wizard (or its patient search) has not answered yet."""
        jobs = (self._setup, self._starting, self._preview, self._recheck, self._booking)
        return any(j.running for j in jobs) or self.form.picker.loading

    def _read_failed(self, exc: Exception) -> None:
        if not isinstance(exc, FrontdeskError):
            raise exc
        self.preview_note.setText("")
        self.form_error.show_message(" ".join(error_messages(exc).values()))

    def _fill(
        self, lists: _Lists, practitioner_id: int | None, start_date: date | datetime | None
    ) -> None:
        """The lists have come: fill the form as asked, then find the practitioner's start."""
        self._tz = lists.tz
        self.model.set_zone(lists.tz)
        self.steady.set_zone(lists.tz)
        self._durations = {t.id: timedelta(minutes=t.duration_minutes) for t in lists.types}
        self.form.set_choices(lists.practitioners, lists.types, lists.rooms)
        self._wanted = self._initial_start(start_date)
        self.form.set_values(
            practitioner_id=practitioner_id,
            start=local(self._ctx.clock(), self._tz),
            sessions=DEFAULT_SESSIONS,
            type_id=lists.default_type,
        )
        self._ready = True
        self.preview_note.setText("")
        self._move_to_start()

    def _initial_start(self, start_date: date | datetime | None) -> datetime | None:
        """A datetime is wanted as given, a bare date at the usual mid-morning time; with
        neither, the next time the practitioner can start (see ``_start_for``)."""
        if isinstance(start_date, datetime):
            return start_date if start_date.tzinfo else start_date.replace(tzinfo=self._tz)
        if start_date is None:
            return None
        return datetime.combine(start_date, DEFAULT_TIME, tzinfo=self._tz)

    def _move_to_start(self) -> None:
        """Move the start, on a worker, by the service's rule to the next time inside the
        chosen practitioner's hours that is not in the past; the preview follows."""
        practitioner_id = self.form.practitioner.currentData()
        now, wanted = self._ctx.clock(), self._wanted
        if practitioner_id is None:
            self._starting.cancel()
            self.form.set_start(local(max(wanted or now, now), self._tz))
            return
        db = self._ctx.db
        self._preview.cancel()  # the preview comes once the start moved
        self._starting.run(
            self,
            lambda: next_start(db, practitioner_id, wanted=wanted, now=now),
            lambda start: self.form.set_start(local(start, self._tz)),
            self._read_failed,
        )

    @Slot()
    def _on_type_changed(self) -> None:
        """Offer only the practitioners who give the chosen treatment (read on a worker)."""
        db, type_id = self._ctx.db, self.form.type.currentData()

        def offer(practitioners: list[PractitionerView]) -> None:
            if self.form.set_practitioners(practitioners):
                self._on_practitioner_changed()
            else:
                self.refresh_preview()

        self._update_buttons()
        self._setup.run(self, lambda: practitioners_for_type(db, type_id), offer, self._read_failed)

    @Slot()
    def _on_practitioner_changed(self) -> None:
        """Until the date or time is changed by hand, start at this practitioner's next time."""
        if not self.form.start_touched:
            self._move_to_start()
        else:
            self.refresh_preview()

    @Slot(object)
    def use_steady_slot(self, slot: SteadySlot) -> None:
        """Put every session on the chosen weekday and time (the preview then shows them)."""
        self.form.set_start(local(slot.starts[0], self._tz), weekday_follows=True)
        self.form.start_touched = True

    def _connect_signals(self) -> None:
        self.form.changed.connect(self.refresh_preview)
        self.form.type.currentIndexChanged.disconnect(self.form.changed)
        self.form.type.currentIndexChanged.connect(self._on_type_changed)
        self.form.practitioner.currentIndexChanged.disconnect(self.form.changed)
        self.form.practitioner.currentIndexChanged.connect(self._on_practitioner_changed)
        self.steady.chosen.connect(self.use_steady_slot)
        self.model.editRequested.connect(self._on_edit_requested)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.accept_button.clicked.connect(self.accept_selected_suggestion)
        self.accept_all_button.clicked.connect(self.accept_all_suggestions)
        self.buttons.accepted.connect(self.book)
        self.buttons.rejected.connect(self.reject)
        self.done_page.printRequested.connect(self.print_handout)
        self.done_page.cardRequested.connect(self.print_card)
        self.done_page.closeRequested.connect(self.accept)

    # -- preview ----------------------------------------------------------------------------
    @Slot()
    def refresh_preview(self) -> None:
        """Ask the service, on a worker, to lay out the course as it stands; show every session
        when it answers (a newer change drops the answer of the one before)."""
        if not self._ready:
            return
        self.form_error.show_message(None)
        self._recheck.cancel()
        patient_id = self.form.picker.patient_id()
        read_context = patient_id != self._context_patient
        req = self.form.request()
        self._offer_package(req)
        db, now = self._ctx.db, self._ctx.clock()
        self._preview.run(
            self,
            lambda: _read_preview(db, req, now, patient_id, read_context),
            self._show_preview,
            self._read_failed,
        )
        self._update_buttons()

    def _show_preview(self, answer: _Preview) -> None:
        if answer.context is not None:
            self._show_context(answer.context)
        if answer.error is not None:
            rest = self.form.show_errors(error_messages(answer.error))
            self.form_error.show_message(" ".join(rest.values()) or None)
            self.model.set_sessions([])
            self.preview_note.setText("")
        elif answer.previews is None:
            self.form.show_errors({})
            self.model.set_sessions([])
            self.steady.show_slots([])
            self.preview_note.setText("Choose a patient to see the sessions.")
        else:
            self.form.show_errors({})
            self.model.set_sessions([PlannedSession.from_preview(p) for p in answer.previews])
            self.steady.show_slots(answer.slots)
        self._update_buttons()

    def _offer_package(self, req: CourseRequest | None) -> None:
        """Price the course as a package (on a worker) for the check box under the sessions."""
        today = local(self._ctx.clock(), self._tz).date()
        if req is None:
            self.package.update_for(None, None, 0, today)
        else:
            self.package.update_for(req.type_id, req.practitioner_id, req.sessions, today)

    def _show_context(self, context: _Context) -> None:
        """The chosen patient's plan and open courses, and a warning about the courses."""
        self._context_patient = context.patient_id
        self._plan, self._existing = context.plan, list(context.existing)
        if context.problem:
            self.form_error.show_message(context.problem)
        self.existing_warning.show_courses(
            self.form.picker.patient_name() or "This patient",
            self._existing,
            self._tz,
            now=self._ctx.clock(),
            has_plan=self._plan is not None,
        )

    @Slot()
    def _update_buttons(self) -> None:
        sessions = self.model.sessions()
        clashes = self.model.conflicts()
        current = self.model.session(self.table.currentIndex().row())
        self.accept_button.setEnabled(
            current is not None and current.suggestion is not None and not current.free
        )
        self.accept_all_button.setEnabled(self.model.suggestions() > 0)
        busy = (self._setup, self._starting, self._preview, self._recheck)
        waiting = any(j.running for j in busy)
        self.book_button.setEnabled(
            bool(sessions) and clashes == 0 and not waiting and not self._booking.running
        )
        if not sessions:
            return
        first, last = sessions[0].start, sessions[-1].start
        span = f"{fmt_day(first, self._tz)} to {fmt_day(last, self._tz)}"
        if clashes == 0:
            self.preview_note.setText(f"All {len(sessions)} free, {span}.")
        else:
            self.preview_note.setText(
                f"{clashes} of {len(sessions)} cannot be booked as planned: accept the "
                "suggestion or double-click the date or time to change it."
            )

    @Slot()
    def accept_selected_suggestion(self) -> None:
        row = self.table.currentIndex().row()
        s = self.model.session(row)
        if s is not None and not s.free and s.suggestion is not None:
            self.model.set_row(row, s.with_suggestion())
            self._recheck_sessions()

    @Slot()
    def accept_all_suggestions(self) -> None:
        for row, s in enumerate(self.model.sessions()):
            if not s.free and s.suggestion is not None:
                self.model.set_row(row, s.with_suggestion())
        self._recheck_sessions()

    @Slot(int, object)
    def _on_edit_requested(self, row: int, new_start: datetime) -> None:
        """Move one session to the time typed into the table, then re-check them all."""
        s = self.model.session(row)
        req = self.form.request()
        if s is not None and req is not None:
            end = new_start + self._durations.get(req.type_id, s.end - s.start)
            moved = replace(
                s,
                start=new_start,
                end=end,
                origin="edited",
                free=False,
                problem=None,
                suggestion=None,
            )
            self.model.set_row(row, moved)
            self._recheck_sessions()

    # -- booking ----------------------------------------------------------------------------
    @property
    def booking(self) -> bool:
        """Book was pressed and the database has not answered yet."""
        return self._booking.running

    @Slot()
    def book(self) -> None:
        """Book every session in one transaction, on a worker; on refusal nothing is stored."""
        req = self.form.request()
        sessions = self.model.sessions()
        if req is None or not sessions or not self.book_button.isEnabled():
            return
        plan_id = self._plan.plan_id if self._plan is not None else None
        offer = self.package.chosen()
        if offer is not None and offer.sessions != len(sessions):
            self.form_error.show_message("The package price is being updated; book again.")
            return
        starts = [s.start for s in sessions]
        db, now = self._ctx.db, self._ctx.clock()

        def store() -> tuple[CourseView, PlanRevisionView | None, str]:
            sold = ""
            if offer is not None:
                # The course and its package invoice in one step, at the price shown.
                packaged = book_packaged_course(
                    db,
                    req,
                    starts,
                    now=now,
                    plan_id=plan_id,
                    expected_price_cents=offer.price_cents,
                )
                course = packaged.course
                sold = f"Sold as a package: {offer.text()}, invoice {packaged.invoice.number}."
            else:
                course = book_course(db, req, starts, now=now, plan_id=plan_id)
            try:  # the plan as it stands now, covering this course
                plan = current_plan_for_patient(db, req.patient_id)
            except FrontdeskError:
                plan = None
            return course, plan, sold

        def refused(exc: Exception) -> None:
            if not isinstance(exc, FrontdeskError):
                raise exc
            messages = error_messages(exc)
            self.form_error.show_message("Nothing was booked. " + " ".join(messages.values()))
            if isinstance(exc, DatabaseUnavailable):
                self._update_buttons()  # busy: Book can be pressed again
            else:
                self._recheck_sessions()

        self.form_error.show_message(None)
        self.preview_note.setText("Booking…")
        self._booking.run(self, store, self._booked, refused)
        self._update_buttons()

    def _booked(self, answer: tuple[CourseView, PlanRevisionView | None, str]) -> None:
        self.course, self._plan, sold = answer
        self.courseBooked.emit(self.course)
        name = self.form.picker.patient_name() or "The patient"
        self.done_page.show_course(
            self.course, name, self._plan, self._tz, earlier=len(self._existing)
        )
        if sold:
            self.done_page.dates.setText(f"{sold}\n{self.done_page.dates.text()}")
        self.pages.setCurrentWidget(self.done_page)
        self.done_page.focus_default()

    def _recheck_sessions(self) -> None:
        """Judge every session as it now stands, as ``book_course`` would (on a worker): against
        the database and against the course's other sessions, so an edit onto another session
        shows as a clash.
        """
        req = self.form.request()
        sessions = self.model.sessions()
        if req is None or not sessions:
            self._update_buttons()
            return
        db, now, starts = self._ctx.db, self._ctx.clock(), [s.start for s in sessions]

        def judge(problems: list[str | None]) -> None:
            for row, (s, problem) in enumerate(zip(self.model.sessions(), problems, strict=False)):
                judged = s.judged(problem)
                if judged != s:
                    self.model.set_row(row, judged)
            self._update_buttons()

        def failed(exc: Exception) -> None:
            if not isinstance(exc, FrontdeskError):
                raise exc
            self.form_error.show_message(" ".join(error_messages(exc).values()))
            self._update_buttons()

        self._recheck.run(
            self, lambda: check_course_sessions(db, req, starts, now=now), judge, failed
        )
        self._update_buttons()

    # -- after booking ----------------------------------------------------------------------
    @Slot()
    def print_handout(self) -> None:
        """Preview the plan's handout the same way the chart does, then leave the wizard."""
        if self._plan is None:
            return
        from frontdesk.ui.practice.handout import preview_handout  # ReportLab loads on demand

        revision_id = self._plan.revision_id

        def printed() -> None:
            if shiboken6.isValid(self):  # the wizard is usually gone by the time paper is out
                self.handoutPrinted.emit(revision_id)

        def shown(preview: PdfPreviewDialog | None) -> None:
            if not shiboken6.isValid(self):
                return
            if preview is None:  # the reason was shown; the course stays booked
                self.done_page.plan_note.setText("The handout could not be made.")
                return
            self.last_preview = preview
            self.follow_up = "print"
            self.accept()

        # Parented to the wizard's parent (or none): the preview outlives the wizard. It is
        # made on a worker; the wizard closes once it is open.
        preview_handout(
            self.parentWidget(),
            self._ctx,
            self._plan.plan_id,
            self._plan.number,
            on_printed=printed,
            shown=shown,
        )

    @Slot()
    def print_card(self) -> None:
        """Preview the patient's appointment card (it lists the sessions just booked)."""
        if self.course is None:
            return
        from frontdesk.reports import appointment_card_pdf  # ReportLab loads on demand
        from frontdesk.reports.loaders import CARD_LIMIT

        course = self.course
        name = self.form.picker.patient_name() or "patient"
        db, now = self._ctx.db, self._ctx.clock()

        def show(pdf: bytes) -> None:
            # Parented to the wizard's parent (or none): the preview outlives the wizard.
            self.last_preview = show_pdf_preview(
                self.parentWidget(),
                f"Appointment card: {name}",
                pdf,
                suggested_name=f"appointment-card-{name}".replace(" ", "-"),
            )
            self.follow_up = "card"
            self.accept()

        def failed(exc: Exception) -> None:
            if not isinstance(exc, (FrontdeskError, ValueError)):
                raise exc
            self.done_page.plan_note.setText(f"The appointment card could not be made: {exc}")

        # Room for every session of the course after the patient's other next visits.
        limit = CARD_LIMIT + len(course.appointments)
        run_query(
            self,
            lambda: appointment_card_pdf(db, course.patient_id, now=now, limit=limit),
            show,
            failed,
        )

    def reject(self) -> None:
        if self._booking.running:  # a booking under way ends booked or refused, not dropped
            return
        # Once the course is booked, closing the window is not "cancel": the course stays.
        if self.course is not None:
            self.accept()
        else:
            super().reject()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        ctx: AppContext,
        *,
        practitioner_id: int | None = None,
        patient_id: int | None = None,
        start_date: date | datetime | None = None,
    ) -> CourseView | None:
        """Open the wizard modally; the booked course, or None if nothing was booked."""
        dlg = cls(
            parent,
            ctx,
            practitioner_id=practitioner_id,
            patient_id=patient_id,
            start_date=start_date,
        )
        try:
            dlg.exec()
            return dlg.course
        finally:
            dlg.deleteLater()
