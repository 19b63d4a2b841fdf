"""The plan editor: the form on the left, the patient's handout as it will print on the right.

The preview is re-rendered a moment after each edit (debounced), from the form as it stands,
saved or not, so the practitioner sees exactly what the patient will take home. Print and Save
as PDF store the plan first and then freeze the printed revision: the next change starts a new
revision, and the paper in the patient's hands stays reproducible. Old revisions open read-only.
"""

from __future__ import annotations

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
from frontdesk.domain import FrontdeskError, StaleRecord, ValidationError
from frontdesk.patients import get_patient
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
from frontdesk.scheduling import CourseView, get_course, list_practitioners, patient_appointments
from frontdesk.ui import printing, qtbits
from frontdesk.ui.practice.handout import handout_file_name
from frontdesk.ui.practice.plan_form import PlanForm
from frontdesk.ui.practice.timefmt import LocalTime, acupuncturists_first, spoken_name

PREVIEW_DELAY_MS = 400


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
        self.patient = get_patient(ctx.db, patient_id)
        self.revision: PlanRevisionView | None = None
        self.read_only = False
        if plan_id is not None:
            self.revision = get_plan(ctx.db, plan_id, revision)
            latest = list_revisions(ctx.db, plan_id)[-1].number
            self.read_only = self.revision.number != latest
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._build()
        signer = self.revision.practitioner_id if self.revision else None
        people = acupuncturists_first(
            [p for p in list_practitioners(ctx.db, active_only=False) if p.active or p.id == signer]
        )
        self.form.set_practitioners(people)
        linked = self.revision.course_id if self.revision else None
        self.form.set_courses(self._patient_courses(), linked)
        if self.revision is not None:
            self.form.set_value(self.revision.as_input())
        else:
            chosen = practitioner_id or next((p.id for p in people), 0)
            first = tuple(ConditionChoice(c.code) for c in self.library.conditions[:1])
            self.form.set_value(PlanInput(patient_id, chosen, None, first), fresh=True)
        self._stored = self.form.value() if self.revision is not None else None
        self._rendered_version: int | None = None  # of the last handout made for paper
        self.form.setEnabled(not self.read_only)
        if self.library_problem:
            self.form.disable_library_picker(
                f"The condition and home-care picker is off until the library file is "
                f"fixed. {self.library_problem}"
            )
        self._connect_signals()
        self._update_state()
        self.render_preview()

    # -- building -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.setWindowTitle(f"Treatment plan \u2013 {spoken_name(self.patient)}")
        self.form = PlanForm(self.library)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        scroll.setMinimumWidth(520)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.preview = printing.PdfPreview()
        self.preview_status = qtbits.label(name="muted")
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
        self.title = qtbits.label(
            f"Treatment plan for {spoken_name(self.patient)}", name="pageTitle"
        )
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

    def _patient_courses(self) -> list[CourseView]:
        ids = sorted(
            {
                a.course_id
                for a in patient_appointments(self.ctx.db, self.patient.id)
                if a.course_id is not None
            },
            reverse=True,
        )
        return [get_course(self.ctx.db, i) for i in ids]

    # -- state --------------------------------------------------------------------------------
    def is_dirty(self) -> bool:
        return not self.read_only and (self._stored is None or self.form.value() != self._stored)

    def _update_state(self) -> None:
        rev = self.revision
        dirty = self.is_dirty()
        if rev is None:
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
        self.revision_label.setText(text)
        self.save_button.setEnabled(dirty)
        self.save_button.setDefault(dirty)  # the stylesheet paints the default button teal
        title = f"Treatment plan \u2013 {spoken_name(self.patient)}"
        self.setWindowTitle(f"{title} (revision {rev.number})" if rev else title)

    @Slot()
    def _on_form_changed(self) -> None:
        self._update_state()
        self._preview_timer.start()

    # -- preview ------------------------------------------------------------------------------
    @Slot()
    def render_preview(self) -> bool:
        """Draw the handout for the form as it is now (nothing is saved)."""
        self._preview_timer.stop()
        try:
            if self.revision is not None and not self.is_dirty():  # exactly what is stored
                data = handout_data(
                    self.ctx.db,
                    self.revision.revision_id,
                    now=self.ctx.clock(),
                    library=self.library,
                )
            else:
                data = draft_handout_data(
                    self.ctx.db,
                    self.form.value(),
                    now=self.ctx.clock(),
                    library=self.library,
                    base=self.revision,
                )
            pdf = render_plan_handout(data)
        except (FrontdeskError, ValueError) as exc:
            self.preview.show_message(f"The preview cannot be drawn yet: {exc}")
            return False
        shown = self.preview.set_pdf(pdf)
        pages = self.preview.page_count()
        self.preview_status.setText(
            f"{pages} page{'s' if pages != 1 else ''} \u00b7 revision {data.plan.number}"
            + (" \u00b7 as it will print once saved" if self.is_dirty() else "")
        )
        self.preview_updated.emit()
        return shown

    # -- saving and printing ------------------------------------------------------------------
    @Slot()
    def save(self) -> bool:
        """Store the form; a printed revision is kept and the change becomes the next one."""
        if self.read_only:
            return False
        if not self.is_dirty():
            return True
        data = self.form.value()
        try:
            if self.revision is None:
                view = create_plan(self.ctx.db, data, now=self.ctx.clock(), library=self.library)
            else:
                view = save_plan(
                    self.ctx.db,
                    self.revision.plan_id,
                    data,
                    now=self.ctx.clock(),
                    expected_revision=self.revision.number,
                    expected_version=self.revision.version,
                    library=self.library,
                )
        except StaleRecord as exc:  # keep the practitioner's changes on screen
            self._show_message(str(exc))
            self.reload_button.show()
            return False
        except ValidationError as exc:
            unplaced = self.form.show_errors(exc.errors)
            self._show_message(" ".join(unplaced) or "Please correct the highlighted fields.")
            return False
        except FrontdeskError as exc:
            self._show_message(str(exc))
            return False
        self.form.show_errors({})
        self.message.hide()
        self.reload_button.hide()
        self.revision = view
        self._stored = self.form.value()
        self._update_state()
        self.saved.emit(view)
        return True

    @Slot()
    def reload(self) -> bool:
        """Show the plan's latest revision as stored now, dropping the changes on screen."""
        if self.revision is None:
            return False
        try:
            view = get_plan(self.ctx.db, self.revision.plan_id)
        except FrontdeskError as exc:
            self._show_message(str(exc))
            return False
        self.revision = view
        self.read_only = False
        self.form.set_value(view.as_input())
        self._stored = self.form.value()
        self.form.show_errors({})
        self.message.hide()
        self.reload_button.hide()
        self._update_state()
        self.render_preview()
        return True

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _saved_pdf(self) -> bytes | None:
        """Save if needed, then the handout of the stored revision (what will leave the room)."""
        if not self.save() or self.revision is None:
            return None
        try:
            data = handout_data(
                self.ctx.db, self.revision.revision_id, now=self.ctx.clock(), library=self.library
            )
            pdf = render_plan_handout(data)
            self._rendered_version = data.plan.version  # what _issued may freeze
            return pdf
        except (FrontdeskError, ValueError) as exc:
            self._show_message(f"The handout could not be made: {exc}")
            return None

    def _issued(self) -> None:
        """A copy left the app: freeze this revision so later edits make a new one."""
        assert self.revision is not None
        try:
            mark_printed(
                self.ctx.db,
                self.revision.revision_id,
                now=self.ctx.clock(),
                expected_version=self._rendered_version,
            )
            self.revision = get_plan(self.ctx.db, self.revision.plan_id, self.revision.number)
        except FrontdeskError as exc:
            self._show_message(str(exc))
            return
        self._update_state()
        self.saved.emit(self.revision)

    @Slot()
    def print_handout(self) -> bool:
        pdf = self._saved_pdf()
        if pdf is None:
            return False
        if not printing.print_pdf(self, pdf, title=self.windowTitle()):
            return False
        self._issued()
        return True

    @Slot()
    def save_as_pdf(self) -> bool:
        pdf = self._saved_pdf()
        if pdf is None or self.revision is None:
            return False
        name = handout_file_name(spoken_name(self.patient), self.revision.number)
        if printing.save_pdf_as(self, pdf, suggested_name=name) is None:
            return False
        self._issued()
        return True

    @Slot()
    def plan_course(self) -> None:
        """Open the course wizard for this patient and link the course it books."""
        from frontdesk.ui.booking.course_wizard import CourseWizard

        value = self.form.value()
        course = CourseWizard.ask(
            self,
            self.ctx,
            practitioner_id=value.practitioner_id or None,
            patient_id=self.patient.id,
            start_date=self.time.today(),
        )
        if course is None:
            return
        self.form.set_courses(self._patient_courses(), value.course_id)
        index = self.form.course.findData(course.id)
        self.form.course.setCurrentIndex(index)

    def closeEvent(self, event: QCloseEvent) -> None:
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
            answer == QMessageBox.StandardButton.Save and self.save()
        ) or answer == QMessageBox.StandardButton.Discard:
            event.accept()
        else:
            event.ignore()
