"""The plan editor: the form on the left, the patient's handout as it will print on the right.

The preview is re-rendered a moment after each edit (debounced), from the form as it stands,
saved or not, so the practitioner sees exactly what the patient will take home. Print and Save
as PDF store the plan first and then freeze the printed revision: the next change starts a new
revision, and the paper in the patient's hands stays reproducible. Old revisions open read-only.

Everything the window asks of the database (the plan as it opens, the preview, saving,
printing) runs on a worker (``ui/worker.py``) and its answer is shown when it comes: the window
opens at once with "Reading the plan…", and a preview overtaken by more typing is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.domain import FrontdeskError, StaleRecord, ValidationError
from frontdesk.patients import PatientRecord, get_patient
from frontdesk.plans import (
    ConditionChoice,
    PlanInput,
    PlanRevisionView,
    create_plan,
    draft_handout_data,
    get_plan,
    handout_data,
    list_revisions,
    load_library,
    mark_printed,
    save_plan,
)
from frontdesk.plans.library import EMPTY_LIBRARY, LibraryError
from frontdesk.reports.plan_handout import render_plan_handout
from frontdesk.scheduling import (
    CourseView,
    PractitionerView,
    get_course,
    list_practitioners,
    patient_appointments,
)
from frontdesk.ui import printing, qtbits
from frontdesk.ui.practice.handout import handout_file_name
from frontdesk.ui.practice.plan_form import PlanForm
from frontdesk.ui.practice.timefmt import LocalTime, acupuncturists_first, spoken_name
from frontdesk.ui.worker import Job, Latest, run_query

PREVIEW_DELAY_MS = 400
READING = "Reading the plan\u2026"
PREPARING = "Preparing preview\u2026"


def patient_courses(db: Database, patient_id: int) -> list[CourseView]:
    """The patient's courses, newest first (the ones a plan may be linked to)."""
    ids = sorted(
        {a.course_id for a in patient_appointments(db, patient_id) if a.course_id is not None},
        reverse=True,
    )
    return [get_course(db, i) for i in ids]


@dataclass(frozen=True)
class OpenedPlan:
    """What the editor shows as it opens, read in one go on a worker."""

    patient: PatientRecord
    revision: PlanRevisionView | None
    read_only: bool  # an old revision: a later one replaced it
    practitioners: list[PractitionerView]
    courses: list[CourseView]


def read_plan(
    db: Database, patient_id: int, plan_id: int | None, revision: int | None
) -> OpenedPlan:
    """The patient, the plan's revision (the latest if ``revision`` is None) and the lists the
    form offers; only service calls, so a worker may run it."""
    view, read_only = None, False
    if plan_id is not None:
        view = get_plan(db, plan_id, revision)
        read_only = view.number != list_revisions(db, plan_id)[-1].number
    return OpenedPlan(
        get_patient(db, patient_id),
        view,
        read_only,
        list_practitioners(db, active_only=False),
        patient_courses(db, patient_id),
    )


class PlanEditorWindow(QMainWindow):
    """Edit one plan (or start one) beside its live handout preview.

    Signals:
        saved(object): the ``PlanRevisionView`` just stored or printed.
        preview_updated(): the preview shows the form's current content.
    """

    saved = Signal(object)
    preview_updated = Signal()

    def __init__(
        self,
        ctx: AppContext,
        patient_id: int,
        *,
        plan_id: int | None = None,
        revision: int | None = None,
        practitioner_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.time = LocalTime(ctx)
        try:
            self.library = load_library()
            self.library_problem: str | None = None
        except LibraryError as exc:  # only the home-care picker needs the file; say why it is off
            self.library, self.library_problem = EMPTY_LIBRARY, str(exc)
        self.patient_id = patient_id
        self.patient: PatientRecord | None = None  # once read
        self.revision: PlanRevisionView | None = None
        self.read_only = False
        self.is_loaded = False
        self._practitioner_id = practitioner_id
        self._stored: PlanInput | None = None
        self._reading = Latest()  # the plan as stored: on opening, and "Load the saved plan"
        self._previewing = Latest()  # the preview of the form as it is now; older ones dropped
        self._saving: Job[PlanRevisionView] | None = None
        self._issuing = False  # a handout being made, printed or recorded as printed
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._build()
        self.form.setEnabled(False)  # until the plan is read
        self.preview.show_message(READING)
        if self.library_problem:
            self.form.disable_library_picker(
                f"The condition and home-care picker is off until the library file is "
                f"fixed. {self.library_problem}"
            )
        self._connect_signals()
        self._update_state()
        db = ctx.db
        self._reading.run(
            self,
            lambda: read_plan(db, patient_id, plan_id, revision),
            self._show_opened,
            self._open_failed,
        )

    # -- building -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.form = PlanForm(self.library)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        scroll.setMinimumWidth(520)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.preview = printing.PdfPreview()
        self.preview_status = qtbits.label(name="muted")
        self._preview_summary: str | None = None  # pages and revision of the shown preview
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(qtbits.label("Handout preview", name="sectionTitle"))
        right_layout.addWidget(self.preview, 1)
        right_layout.addWidget(self.preview_status)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(scroll)
        split.addWidget(right)
        split.setSizes([680, 600])
        self.title = qtbits.label("Treatment plan", name="pageTitle")
        self.revision_label = qtbits.label(name="pageSubtitle")
        self.message = qtbits.label(name="formError", wrap=True)
        self.message.hide()
        self.reload_button = QPushButton("Load the saved plan")
        self.reload_button.setToolTip("Replace the form with the plan as stored now")
        self.reload_button.hide()
        self.save_button = QPushButton("Save")
        self.print_button = QPushButton("Print\u2026")
        self.pdf_button = QPushButton("Save as PDF\u2026")
        self.close_button = QPushButton("Close")
        buttons = QHBoxLayout()
        buttons.addWidget(self.revision_label, 1)
        for button in (self.save_button, self.print_button, self.pdf_button, self.close_button):
            buttons.addWidget(button)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(16, 10, 16, 12)
        layout.addWidget(self.title)
        layout.addLayout(buttons)
        problem = QHBoxLayout()
        problem.addWidget(self.message, 1)
        problem.addWidget(self.reload_button)
        layout.addLayout(problem)
        layout.addWidget(split, 1)
        self.setCentralWidget(central)
        qtbits.fit_to_screen(self, 1320, 860)
        qtbits.shortcut(QKeySequence.StandardKey.Save, self, self.save)
        qtbits.shortcut(QKeySequence.StandardKey.Print, self, self.print_handout)

    def _connect_signals(self) -> None:
        self.form.changed.connect(self._on_form_changed)
        self.form.plan_course_requested.connect(self.plan_course)
        self._preview_timer.timeout.connect(self.render_preview)
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_handout)
        self.pdf_button.clicked.connect(self.save_as_pdf)
        self.close_button.clicked.connect(self.close)
        self.reload_button.clicked.connect(self.reload)

    # -- opening ------------------------------------------------------------------------------
    def _show_opened(self, found: OpenedPlan) -> None:
        """Fill the form with the plan read (or a fresh plan's defaults) and draw its handout."""
        self.patient, self.revision, self.read_only = found.patient, found.revision, found.read_only
        self.title.setText(f"Treatment plan for {spoken_name(found.patient)}")
        signer = self.revision.practitioner_id if self.revision else None
        people = acupuncturists_first(
            [p for p in found.practitioners if p.active or p.id == signer]
        )
        self.form.set_practitioners(people)
        self.form.set_courses(found.courses, self.revision.course_id if self.revision else None)
        if self.revision is not None:
            self.form.set_value(self.revision.as_input())
        else:
            chosen = self._practitioner_id or next((p.id for p in people), 0)
            first = tuple(ConditionChoice(c.code) for c in self.library.conditions[:1])
            self.form.set_value(PlanInput(self.patient_id, chosen, None, first), fresh=True)
        self._stored = self.form.value() if self.revision is not None else None
        self.is_loaded = True
        self.form.setEnabled(not self.read_only)
        self._update_state()
        self.render_preview()

    def _open_failed(self, exc: Exception) -> None:
        if not isinstance(exc, FrontdeskError):
            raise exc
        self.revision_label.setText("")  # no longer reading; the message says why
        self._show_message(f"The plan could not be opened: {exc}")
        self.preview.show_message("Nothing to preview: the plan could not be read.")

    # -- state --------------------------------------------------------------------------------
    def is_dirty(self) -> bool:
        if not self.is_loaded or self.read_only:
            return False
        return self._stored is None or self.form.value() != self._stored

    def is_saving(self) -> bool:
        """A save is under way (its answer is not in yet)."""
        return self._saving is not None and not self._saving.done

    def _update_state(self) -> None:
        rev = self.revision
        dirty = self.is_dirty()
        if not self.is_loaded:
            text = READING
        elif rev is None:
            text = "New plan \u00b7 not saved yet"
        elif self.read_only:
            text = (
                f"Revision {rev.number} \u00b7 printed {self.time.day(rev.printed_at)} "
                "\u00b7 read-only: a later revision replaced it"
            )
        elif rev.is_printed:
            text = f"Revision {rev.number} \u00b7 printed {self.time.day(rev.printed_at)}"
            if dirty:
                text += f" \u00b7 your changes will be saved as revision {rev.number + 1}"
        else:
            text = f"Revision {rev.number} \u00b7 draft, saved {self.time.clock(rev.updated_at)}"
            if dirty:
                text += " \u00b7 unsaved changes"
        saving = self.is_saving()
        if saving:
            text += " \u00b7 saving\u2026"
        self.revision_label.setText(text)
        self.save_button.setEnabled(dirty and not saving)
        self.save_button.setDefault(dirty)  # the stylesheet paints the default button teal
        for button in (self.print_button, self.pdf_button):
            button.setEnabled(self.is_loaded and not saving and not self._issuing)
        self._show_preview_status()
        title = "Treatment plan"
        if self.patient is not None:
            title += f" \u2013 {spoken_name(self.patient)}"
        self.setWindowTitle(f"{title} (revision {rev.number})" if rev else title)

    def _show_preview_status(self) -> None:
        """Pages and revision of the preview; "as it will print once saved" until it is (a
        save of the form previewed drops it without drawing the handout again)."""
        if self._preview_summary is not None and not self._previewing.running:
            self.preview_status.setText(
                self._preview_summary
                + (" \u00b7 as it will print once saved" if self.is_dirty() else "")
            )

    @Slot()
    def _on_form_changed(self) -> None:
        self._update_state()
        self._preview_timer.start()

    # -- preview ------------------------------------------------------------------------------
    @Slot()
    def render_preview(self) -> None:
        """Draw the handout for the form as it is now (nothing is saved), on a worker; a
        preview still being made for an older form is dropped. ``preview_updated`` follows."""
        self._preview_timer.stop()
        if not self.is_loaded:
            return
        db, now, library, base = self.ctx.db, self.ctx.clock(), self.library, self.revision
        dirty, value = self.is_dirty(), self.form.value()
        stored = base if base is not None and not dirty else None  # exactly what is stored

        def make() -> tuple[int, bytes]:
            if stored is not None:
                data = handout_data(db, stored.revision_id, now=now, library=library)
            else:
                data = draft_handout_data(db, value, now=now, library=library, base=base)
            return data.plan.number, render_plan_handout(data)

        def show(answer: tuple[int, bytes]) -> None:
            number, pdf = answer
            self.preview.set_pdf(pdf)
            pages = self.preview.page_count()
            self._preview_summary = (
                f"{pages} page{'s' if pages != 1 else ''} \u00b7 revision {number}"
            )
            self._show_preview_status()
            self.preview_updated.emit()

        def failed(exc: Exception) -> None:
            if not isinstance(exc, (FrontdeskError, ValueError)):
                raise exc
            self.preview_status.setText("")
            self.preview.show_message(f"The preview cannot be drawn yet: {exc}")

        self.preview_status.setText(PREPARING)
        self._previewing.run(self, make, show, failed, busy=False)

    # -- saving and printing ------------------------------------------------------------------
    @Slot()
    def save(self) -> Job[PlanRevisionView] | None:
        """Store the form on a worker; a printed revision is kept and the change becomes the
        next one. The window shows the stored revision when the answer comes (``saved``);
        None when there was nothing to store (or a save is already under way)."""
        return self._store()

    def save_and_wait(self) -> bool:
        """Store the form and wait for the answer (the window is closing, or the desk is handed
        over to another user); True when nothing is left unsaved."""
        self._finish_saving()
        job = self._store()
        if job is not None:
            job.wait()
        return not self.is_dirty()

    def _finish_saving(self) -> None:
        """Take the answer of a save under way now (closing must know what is stored)."""
        if self._saving is not None and not self._saving.done:
            self._saving.wait()

    def _store(self, then: Callable[[], None] | None = None) -> Job[PlanRevisionView] | None:
        """Save the form if it changed, then ``then()`` (on the GUI thread, once stored)."""
        if self.read_only or not self.is_loaded or self.is_saving():
            return None
        if not self.is_dirty():
            if then is not None:
                then()
            return None
        data, base = self.form.value(), self.revision
        db, now, library = self.ctx.db, self.ctx.clock(), self.library

        def store() -> PlanRevisionView:
            if base is None:
                return create_plan(db, data, now=now, library=library)
            return save_plan(
                db,
                base.plan_id,
                data,
                now=now,
                expected_revision=base.number,
                expected_version=base.version,
                library=library,
            )

        def stored(view: PlanRevisionView) -> None:
            self._saving = None
            self._take(view, data)
            if then is not None:
                then()

        def failed(exc: Exception) -> None:
            self._saving = None
            self._update_state()
            self._save_failed(exc)

        job = run_query(self, store, stored, failed)
        self._saving = job
        self._update_state()
        return job

    def _take(self, view: PlanRevisionView, data: PlanInput) -> None:
        """``view`` is now what is stored, holding ``data``."""
        self.form.show_errors({})
        self.message.hide()
        self.reload_button.hide()
        self.revision = view
        self._stored = data
        self._update_state()
        self.saved.emit(view)

    def _save_failed(self, exc: Exception) -> None:
        if isinstance(exc, StaleRecord):  # keep the practitioner's changes on screen
            self._show_message(str(exc))
            self.reload_button.show()
        elif isinstance(exc, ValidationError):
            unplaced = self.form.show_errors(exc.errors)
            self._show_message(" ".join(unplaced) or "Please correct the highlighted fields.")
        elif isinstance(exc, FrontdeskError):
            self._show_message(str(exc))
        else:
            raise exc

    @Slot()
    def reload(self) -> None:
        """Show the plan's latest revision as stored now, dropping the changes on screen; read
        on a worker, the form is replaced when it comes."""
        if self.revision is None:
            return
        db, plan_id = self.ctx.db, self.revision.plan_id

        def show(view: PlanRevisionView) -> None:
            self.revision = view
            self.read_only = False
            self.form.setEnabled(True)
            self.form.set_value(view.as_input())
            self._stored = self.form.value()
            self.form.show_errors({})
            self.message.hide()
            self.reload_button.hide()
            self._update_state()
            self.render_preview()

        def failed(exc: Exception) -> None:
            if not isinstance(exc, FrontdeskError):
                raise exc
            self._show_message(str(exc))

        self._reading.run(self, lambda: get_plan(db, plan_id), show, failed)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    @Slot()
    def print_handout(self) -> None:
        """Save if needed, then print the stored revision's handout; a printed copy freezes it."""
        self._issue(lambda pdf, _view: printing.print_pdf(self, pdf, title=self.windowTitle()))

    @Slot()
    def save_as_pdf(self) -> None:
        """Save if needed, then write the stored revision's handout where the user chooses."""

        def to_file(pdf: bytes, view: PlanRevisionView) -> bool:
            name = handout_file_name(self.patient_name(), view.number)
            return printing.save_pdf_as(self, pdf, suggested_name=name) is not None

        self._issue(to_file)

    def patient_name(self) -> str:
        return spoken_name(self.patient) if self.patient is not None else ""

    def _issue(self, send: Callable[[bytes, PlanRevisionView], bool]) -> None:
        """Store the form, make the stored revision's handout (what will leave the room), both
        on a worker, and hand it to ``send`` (the print or file dialog); a copy that left
        freezes the revision so later edits make a new one."""
        if self.read_only or not self.is_loaded or self.is_saving() or self._issuing:
            return
        self._store(then=lambda: self._make_handout(send))

    def _make_handout(self, send: Callable[[bytes, PlanRevisionView], bool]) -> None:
        view = self.revision
        if view is None:
            return
        db, now, library = self.ctx.db, self.ctx.clock(), self.library

        def make() -> tuple[int, bytes]:
            data = handout_data(db, view.revision_id, now=now, library=library)
            return data.plan.version, render_plan_handout(data)

        def ready(answer: tuple[int, bytes]) -> None:
            version, pdf = answer  # the version rendered is the one the freeze expects
            if send(pdf, view):
                self._issued(view, version)
            else:
                self._issuing_over()

        def failed(exc: Exception) -> None:
            self._issuing_over()
            if not isinstance(exc, (FrontdeskError, ValueError)):
                raise exc
            self._show_message(f"The handout could not be made: {exc}")

        self._issuing = True
        self._update_state()
        run_query(self, make, ready, failed)

    def _issued(self, view: PlanRevisionView, version: int) -> None:
        """A copy left the app: freeze this revision (on a worker)."""
        db, now = self.ctx.db, self.ctx.clock()

        def freeze() -> PlanRevisionView:
            mark_printed(db, view.revision_id, now=now, expected_version=version)
            return get_plan(db, view.plan_id, view.number)

        def frozen(printed: PlanRevisionView) -> None:
            self._issuing_over()
            if self.revision is not None and self.revision.revision_id == printed.revision_id:
                self.revision = printed  # (unless a change saved meanwhile made a new one)
                self._update_state()
            self.saved.emit(printed)

        def failed(exc: Exception) -> None:
            self._issuing_over()
            if not isinstance(exc, FrontdeskError):
                raise exc
            self._show_message(str(exc))

        run_query(self, freeze, frozen, failed)

    def _issuing_over(self) -> None:
        self._issuing = False
        self._update_state()

    @Slot()
    def plan_course(self) -> None:
        """Open the course wizard for this patient and link the course it books (the
        patient's courses are read again on a worker)."""
        from frontdesk.ui.booking.course_wizard import CourseWizard

        value = self.form.value()
        course = CourseWizard.ask(
            self,
            self.ctx,
            practitioner_id=value.practitioner_id or None,
            patient_id=self.patient_id,
            start_date=self.time.today(),
        )
        if course is None:
            return
        db, patient_id = self.ctx.db, self.patient_id

        def show(courses: list[CourseView]) -> None:
            self.form.set_courses(courses, value.course_id)
            self.form.course.setCurrentIndex(self.form.course.findData(course.id))

        def failed(exc: Exception) -> None:
            if not isinstance(exc, FrontdeskError):
                raise exc
            self._show_message(str(exc))

        run_query(self, lambda: patient_courses(db, patient_id), show, failed)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._finish_saving()
        if not self.is_dirty():
            event.accept()
            return
        answer = QMessageBox.question(
            self,
            "Save the plan?",
            "This plan has changes that are not saved. Save them before closing?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if (
            answer == QMessageBox.StandardButton.Save and self.save_and_wait()
        ) or answer == QMessageBox.StandardButton.Discard:
            event.accept()
        else:
            event.ignore()
