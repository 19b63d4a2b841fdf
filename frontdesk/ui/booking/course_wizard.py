"""Book a whole treatment course (say eight weekly acupuncture sessions) in one sitting.

One dialog rather than a page-by-page wizard: the plan's fields sit above a live preview of
every session, so each change shows at once which dates are free and which clash (with the
service's reason and its suggested alternative). Reception accepts suggestions (one or all),
or edits a date or time in the table, and books the course in one all-or-nothing step.

When the patient already has an active course, a warning names it before anything is booked.
A course booked for a patient with a treatment plan becomes the course that plan covers (in the
booking's transaction), so the handout offered afterwards lists exactly the sessions just
booked. Without a plan, the dialog offers the appointment card, which lists them too.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

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
from frontdesk.domain import Frequency, FrontdeskError
from frontdesk.plans import PlanRevisionView, current_plan_for_patient
from frontdesk.scheduling import (
    CourseRequest,
    CourseView,
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

DEFAULT_TYPE = "Acupuncture treatment"
DEFAULT_SESSIONS = 8
DEFAULT_TIME = time(10, 0)  # for a course opened on a day rather than a time slot


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
        self._tz = get_clinic(ctx.db).tz
        self.course: CourseView | None = None
        self.follow_up: str | None = None  # "print" or "card" once chosen
        self.last_preview: PdfPreviewDialog | None = None  # the handout or card just opened
        self._plan: PlanRevisionView | None = None
        # The patient the plan and the open courses below were read for.
        self._context_patient: int | None = None
        self._existing: list[CourseView] = []
        types = list_appointment_types(ctx.db)
        rooms = list_rooms(ctx.db)
        self._durations = {t.id: timedelta(minutes=t.duration_minutes) for t in types}

        default_type = next((t.id for t in types if t.name == DEFAULT_TYPE), None)
        if default_type is None and types:
            default_type = types[0].id
        self.form = CourseForm(ctx, practitioners_for_type(ctx.db, default_type), types, rooms)
        self.steady = SteadySlotStrip(self._tz)
        self.model = CoursePreviewModel(self._tz, self)
        self.table = SessionTable(self.model)
        self.preview_note = QLabel()
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

        self._wanted = self._initial_start(start_date)
        self.form.set_values(
            practitioner_id=practitioner_id,
            start=local(self._ctx.clock(), self._tz),
            sessions=DEFAULT_SESSIONS,
            type_id=default_type,
        )
        self.form.set_start(self._start_for(self.form.practitioner.currentData()))
        if patient_id is not None:
            self.form.picker.set_patient_id(patient_id)
        self._connect_signals()
        self.refresh_preview()
        self.form.setFocus()

    def _initial_start(self, start_date: date | datetime | None) -> datetime | None:
        """A datetime is wanted as given, a bare date at the usual mid-morning time; with
        neither, the next time the practitioner can start (see ``_start_for``)."""
        if isinstance(start_date, datetime):
            return start_date if start_date.tzinfo else start_date.replace(tzinfo=self._tz)
        if start_date is None:
            return None
        return datetime.combine(start_date, DEFAULT_TIME, tzinfo=self._tz)

    def _start_for(self, practitioner_id: int | None) -> datetime:
        """The wanted start moved, by the service's rule, to the next time inside the
        practitioner's hours that is not in the past (local time)."""
        now = self._ctx.clock()
        if practitioner_id is None:
            return local(max(self._wanted or now, now), self._tz)
        return local(
            next_start(self._ctx.db, practitioner_id, wanted=self._wanted, now=now), self._tz
        )

    @Slot()
    def _on_type_changed(self) -> None:
        """Offer only the practitioners who give the chosen treatment."""
        if self.form.set_practitioners(
            practitioners_for_type(self._ctx.db, self.form.type.currentData())
        ):
            self._on_practitioner_changed()
        else:
            self.refresh_preview()

    @Slot()
    def _on_practitioner_changed(self) -> None:
        """Until the date or time is changed by hand, start at this practitioner's next time."""
        if not self.form.start_touched:
            self.form.set_start(self._start_for(self.form.practitioner.currentData()))
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
        """Ask the service to lay out the course as it stands and show every session."""
        self.form_error.show_message(None)
        self._load_patient_context(self.form.picker.patient_id())
        req = self.form.request()
        self._offer_package(req)
        if req is None:
            self.form.show_errors({})
            self.model.set_sessions([])
            self.steady.show_slots([])
            self.preview_note.setText("Choose a patient to see the sessions.")
            self._update_buttons()
            return
        try:
            previews = preview_course(self._ctx.db, req, now=self._ctx.clock())
        except FrontdeskError as exc:
            rest = self.form.show_errors(error_messages(exc))
            self.form_error.show_message(" ".join(rest.values()) or None)
            self.model.set_sessions([])
            self.preview_note.setText("")
            self._update_buttons()
            return
        self.form.show_errors({})
        self.model.set_sessions([PlannedSession.from_preview(p) for p in previews])
        self._offer_steady_slots(req, all(p.free for p in previews))
        self._update_buttons()

    def _offer_package(self, req: CourseRequest | None) -> None:
        """Price the course as a package (on a worker) for the check box under the sessions."""
        today = local(self._ctx.clock(), self._tz).date()
        if req is None:
            self.package.update_for(None, None, 0, today)
        else:
            self.package.update_for(req.type_id, req.practitioner_id, req.sessions, today)

    def _offer_steady_slots(self, req: CourseRequest, all_free: bool) -> None:
        """When a weekly course clashes as planned, offer the best steady slots instead."""
        if all_free or req.frequency is not Frequency.WEEKLY:
            self.steady.show_slots([])
            return
        try:
            slots = steady_slots(self._ctx.db, req, now=self._ctx.clock())
        except FrontdeskError:
            slots = []
        self.steady.show_slots(slots)

    def _load_patient_context(self, patient_id: int | None) -> None:
        """Read the chosen patient's plan and open courses once, and warn about the courses."""
        if patient_id == self._context_patient:
            return
        self._context_patient = patient_id
        self._plan, self._existing = None, []
        if patient_id is not None:
            try:
                self._plan = current_plan_for_patient(self._ctx.db, patient_id)
                self._existing = active_courses(self._ctx.db, patient_id)
            except FrontdeskError as exc:  # e.g. the patient was removed meanwhile
                self.form_error.show_message(" ".join(error_messages(exc).values()))
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
        self.book_button.setEnabled(bool(sessions) and clashes == 0)
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
    @Slot()
    def book(self) -> None:
        """Book every session in one transaction; on refusal nothing is stored."""
        req = self.form.request()
        sessions = self.model.sessions()
        if req is None or not sessions or not self.book_button.isEnabled():
            return
        plan_id = self._plan.plan_id if self._plan is not None else None
        offer = self.package.chosen()
        sold = ""
        if offer is not None and offer.sessions != len(sessions):
            self.form_error.show_message("The package price is being updated; book again.")
            return
        try:
            if offer is not None:
                # The course and its package invoice in one step, at the price shown.
                packaged = book_packaged_course(
                    self._ctx.db,
                    req,
                    [s.start for s in sessions],
                    now=self._ctx.clock(),
                    plan_id=plan_id,
                    expected_price_cents=offer.price_cents,
                )
                self.course = packaged.course
                sold = f"Sold as a package: {offer.text()}, invoice {packaged.invoice.number}."
            else:
                self.course = book_course(
                    self._ctx.db,
                    req,
                    [s.start for s in sessions],
                    now=self._ctx.clock(),
                    plan_id=plan_id,
                )
        except FrontdeskError as exc:
            messages = error_messages(exc)
            self.form_error.show_message("Nothing was booked. " + " ".join(messages.values()))
            self._recheck_sessions()
            return
        self.courseBooked.emit(self.course)
        try:  # the plan as it stands now, covering this course
            self._plan = current_plan_for_patient(self._ctx.db, req.patient_id)
        except FrontdeskError:
            self._plan = None
        name = self.form.picker.patient_name() or "The patient"
        self.done_page.show_course(
            self.course, name, self._plan, self._tz, earlier=len(self._existing)
        )
        if sold:
            self.done_page.dates.setText(f"{sold}\n{self.done_page.dates.text()}")
        self.pages.setCurrentWidget(self.done_page)
        self.done_page.focus_default()

    def _recheck_sessions(self) -> None:
        """Judge every session as it now stands, as ``book_course`` would: against the database
        and against the course's other sessions, so an edit onto another session shows as a clash.
        """
        req = self.form.request()
        sessions = self.model.sessions()
        if req is not None and sessions:
            try:
                problems = check_course_sessions(
                    self._ctx.db, req, [s.start for s in sessions], now=self._ctx.clock()
                )
            except FrontdeskError as exc:
                self.form_error.show_message(" ".join(error_messages(exc).values()))
                problems = []
            for row, (s, problem) in enumerate(zip(sessions, problems, strict=False)):
                judged = s.judged(problem)
                if judged != s:
                    self.model.set_row(row, judged)
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

        # Parented to the wizard's parent (or none): the preview outlives the wizard.
        preview = preview_handout(
            self.parentWidget(),
            self._ctx,
            self._plan.plan_id,
            self._plan.number,
            on_printed=printed,
        )
        if preview is None:  # the reason was shown; the course stays booked
            self.done_page.plan_note.setText("The handout could not be made.")
            return
        self.last_preview = preview
        self.follow_up = "print"
        self.accept()

    @Slot()
    def print_card(self) -> None:
        """Preview the patient's appointment card (it lists the sessions just booked)."""
        if self.course is None:
            return
        from frontdesk.reports import appointment_card_pdf  # ReportLab loads on demand
        from frontdesk.reports.loaders import CARD_LIMIT

        course = self.course
        name = self.form.picker.patient_name() or "patient"
        try:
            # Room for every session of the course after the patient's other next visits.
            pdf = appointment_card_pdf(
                self._ctx.db,
                course.patient_id,
                now=self._ctx.clock(),
                limit=CARD_LIMIT + len(course.appointments),
            )
        except (FrontdeskError, ValueError) as exc:
            self.done_page.plan_note.setText(f"The appointment card could not be made: {exc}")
            return
        # Parented to the wizard's parent (or none): the preview outlives the wizard.
        self.last_preview = show_pdf_preview(
            self.parentWidget(),
            f"Appointment card: {name}",
            pdf,
            suggested_name=f"appointment-card-{name}".replace(" ", "-"),
        )
        self.follow_up = "card"
        self.accept()

    def reject(self) -> None:
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
