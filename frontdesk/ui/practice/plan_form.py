"""The treatment-plan form: everything a practitioner decides, as a ``PlanInput``.

Only widgets and the conversion to and from ``PlanInput``; which values are acceptable is the
plans service's business (its ``ValidationError`` comes back to ``show_errors``). The course
list is handed in by the editor, which reads it through the scheduling service.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from frontdesk.names import practitioner_label
from frontdesk.plans import SESSIONS_MAX, ConditionChoice, HomecareLibrary, PlanInput
from frontdesk.plans.library import Choice
from frontdesk.scheduling import CourseView, PractitionerView
from frontdesk.timefmt import fmt_date
from frontdesk.ui import qtbits
from frontdesk.ui.practice.condition_row import ConditionRow
from frontdesk.ui.practice.fields import FieldErrors
from frontdesk.ui.practice.homecare_list import HomecareChecklist
from frontdesk.ui.practice.note_editor import PainSpinBox


def course_label(course: CourseView) -> str:
    first = min((a.start for a in course.appointments), default=None)
    when = f", from {fmt_date(first)}" if first else ""
    return f"Course of {course.planned} sessions{when} ({course.attended} attended)"


class PlanForm(QWidget):
    """The plan's fields (see the module docstring).

    Signals:
        changed(): the practitioner changed anything (the editor re-renders the preview).
        plan_course_requested(): "Plan a course…" was pressed.
    """

    changed = Signal()
    plan_course_requested = Signal()

    def __init__(self, library: HomecareLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self._patient_id = 0
        self._filling = False
        self.courses: list[CourseView] = []
        self.errors = FieldErrors()
        self.practitioner = QComboBox()
        self.condition_rows: list[ConditionRow] = []
        self._conditions_box = QVBoxLayout()
        self._conditions_box.setContentsMargins(0, 0, 0, 0)
        self.add_condition_button = QPushButton("Add another condition")
        conditions = QWidget()
        self._conditions_widget = conditions
        cond_layout = QVBoxLayout(conditions)
        cond_layout.setContentsMargins(0, 0, 0, 0)
        cond_layout.addLayout(self._conditions_box)
        cond_layout.addWidget(self.add_condition_button, 0)
        self.condition_notes = QLineEdit(placeholderText="e.g. after a fall in January")
        self.symptom_boxes, symptoms = self._checkboxes(library.symptoms)
        self.other_symptoms = QLineEdit(placeholderText="Other symptoms, separated by commas")
        self.pain_score = PainSpinBox()
        self.pain_score.setMaximumWidth(180)
        self.worse_with = QLineEdit(placeholderText="e.g. sitting, bending forward")
        self.better_with = QLineEdit(placeholderText="e.g. walking, heat")
        self.goals = QPlainTextEdit(
            placeholderText="One goal per line, e.g. Sleep through the night"
        )
        self.goals.setFixedHeight(84)
        self.technique_boxes, techniques = self._checkboxes(library.techniques)
        self.sessions = QSpinBox()
        self.sessions.setRange(0, SESSIONS_MAX)
        self.sessions.setSpecialValueText("not set")
        self.frequency = QLineEdit(placeholderText="e.g. twice a week for 4 weeks")
        self.course = QComboBox()
        self.plan_course_button = QPushButton("Plan a course\u2026")
        # With a course linked, the course says how often and how many: its rhythm stands in
        # for the two fields ("weekly, 8 sessions"), so the plan cannot contradict it.
        self.course_rhythm = QLabel()
        self._rhythm_hint = qtbits.label("as the course below is booked", name="muted")
        for label in (self.course_rhythm, self._rhythm_hint):
            label.setToolTip("Set by the linked course; choose another course to change it.")
        self._own_rhythm = QWidget()
        own = QHBoxLayout(self._own_rhythm)
        own.setContentsMargins(0, 0, 0, 0)
        own.addWidget(self.sessions)
        own.addWidget(QLabel("sessions,"))
        own.addWidget(self.frequency, 1)
        sessions = QWidget()
        srow = QHBoxLayout(sessions)
        srow.setContentsMargins(0, 0, 0, 0)
        srow.addWidget(self._own_rhythm, 1)
        srow.addWidget(self.course_rhythm)
        srow.addWidget(self._rhythm_hint, 1)
        self.course_rhythm.hide()
        self._rhythm_hint.hide()
        course = QWidget()  # the course's name on a line of its own: it is long and whole
        crow = QVBoxLayout(course)
        crow.setContentsMargins(0, 0, 0, 0)
        crow.addWidget(self.course)
        crow.addWidget(self.plan_course_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.homecare = HomecareChecklist(library)
        self.patient_notes = QPlainTextEdit(placeholderText="A personal word for the patient")
        self.patient_notes.setFixedHeight(70)

        form = QFormLayout(self)
        self._form = form
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        wrap = self.errors.wrap
        form.addRow("Practitioner", wrap("practitioner_id", self.practitioner))
        form.addRow("Condition", wrap("conditions", conditions))
        form.addRow("Details", wrap("condition_notes", self.condition_notes))
        form.addRow("Symptoms", wrap("symptoms", self._stack(symptoms, self.other_symptoms)))
        form.addRow("Pain score", wrap("pain_score", self.pain_score))
        form.addRow("Worse with", wrap("worse_with", self.worse_with))
        form.addRow("Better with", wrap("better_with", self.better_with))
        form.addRow("Goals", wrap("goals", self.goals))
        form.addRow("Techniques", wrap("techniques", techniques))
        form.addRow("Sessions", wrap("planned_sessions", sessions, "frequency_text"))
        form.addRow("Course", wrap("course_id", course))
        form.addRow("Home care", wrap("homecare", self.homecare))
        form.addRow("For the patient", wrap("patient_notes", self.patient_notes))
        self.add_condition()
        self._connect_signals()

    @staticmethod
    def _checkboxes(choices: tuple[Choice, ...]) -> tuple[dict[str, QCheckBox], QWidget]:
        boxes: dict[str, QCheckBox] = {}
        holder = QWidget()
        grid = QGridLayout(holder)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, choice in enumerate(choices):
            box = QCheckBox(choice.label)
            box.setToolTip(choice.description)
            boxes[choice.code] = box
            grid.addWidget(box, i // 2, i % 2)
        return boxes, holder

    @staticmethod
    def _stack(*widgets: QWidget) -> QWidget:
        holder = QWidget()
        lay = QVBoxLayout(holder)
        lay.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            lay.addWidget(widget)
        return holder

    def _connect_signals(self) -> None:
        self.add_condition_button.clicked.connect(self.add_condition)
        for box in (*self.symptom_boxes.values(), *self.technique_boxes.values()):
            box.toggled.connect(self._emit_changed)
        for line in (
            self.condition_notes,
            self.other_symptoms,
            self.worse_with,
            self.better_with,
            self.frequency,
        ):
            line.textChanged.connect(self._emit_changed)
        for text in (self.goals, self.patient_notes):
            text.textChanged.connect(self._emit_changed)
        self.pain_score.valueChanged.connect(self._emit_changed)
        self.sessions.valueChanged.connect(self._emit_changed)
        self.course.currentIndexChanged.connect(self._on_course_changed)
        self.plan_course_button.clicked.connect(self.plan_course_requested)
        self.practitioner.currentIndexChanged.connect(self._emit_changed)
        self.homecare.changed.connect(self._emit_changed)

    def disable_library_picker(self, reason: str) -> None:
        """The home-care library file is broken: say why at the top and turn off only what
        needs it (conditions and the home-care checklist); the rest of the plan stays."""
        self.library_message = qtbits.label(reason, name="formError", wrap=True)
        self._form.insertRow(0, self.library_message)
        self._conditions_widget.setEnabled(False)
        self.homecare.setEnabled(False)

    # -- conditions ---------------------------------------------------------------------------
    @Slot()
    def add_condition(self) -> ConditionRow:
        row = ConditionRow(self.library)
        row.changed.connect(self._on_conditions_changed)
        row.remove_requested.connect(lambda: self._remove_condition(row))
        self.condition_rows.append(row)
        self._conditions_box.addWidget(row)
        self._sync_remove_buttons()
        if not self._filling:
            self._on_conditions_changed()
        return row

    def _remove_condition(self, row: ConditionRow) -> None:
        if len(self.condition_rows) <= 1:
            return
        self.condition_rows.remove(row)
        row.deleteLater()
        self._sync_remove_buttons()
        self._on_conditions_changed()

    def _sync_remove_buttons(self) -> None:
        for row in self.condition_rows:
            row.remove.setVisible(len(self.condition_rows) > 1)

    @Slot()
    def _on_conditions_changed(self) -> None:
        if self._filling:
            return
        self.homecare.set_conditions(self.conditions())
        self.changed.emit()

    def conditions(self) -> tuple[ConditionChoice, ...]:
        # A row with nothing chosen (an empty library offers nothing) is no condition.
        return tuple(c for c in (row.value() for row in self.condition_rows) if c.code)

    # -- courses ------------------------------------------------------------------------------
    def set_courses(self, courses: list[CourseView], selected: int | None) -> None:
        """The patient's courses to link to; ``selected`` is the linked course id."""
        self.courses = courses
        self.course.blockSignals(True)
        self.course.clear()
        self.course.addItem("Not linked to a course", None)
        for course in courses:
            self.course.addItem(course_label(course), course.id)
        self.course.setCurrentIndex(max(self.course.findData(selected), 0))
        self.course.blockSignals(False)
        self._show_rhythm()

    def linked_course(self) -> CourseView | None:
        """The course chosen in the Course field, when the plan is linked to one."""
        return next((c for c in self.courses if c.id == self.course.currentData()), None)

    def _show_rhythm(self) -> None:
        """The linked course's frequency in place of the plan's own fields, or those fields."""
        course = self.linked_course()
        rhythm = course.rhythm if course is not None else ""
        self.course_rhythm.setText(rhythm)
        self.course_rhythm.setVisible(bool(rhythm))
        self._rhythm_hint.setVisible(bool(rhythm))
        self._own_rhythm.setVisible(not rhythm)

    @Slot()
    def _on_course_changed(self) -> None:
        course = self.linked_course()
        if course is not None and not self._filling:
            self.sessions.setValue(course.planned)  # kept should the course be unlinked again
        self._show_rhythm()
        self._emit_changed()

    # -- value --------------------------------------------------------------------------------
    @Slot()
    def _emit_changed(self) -> None:
        if not self._filling:
            self.changed.emit()

    def value(self) -> PlanInput:
        other = [s.strip() for s in self.other_symptoms.text().split(",") if s.strip()]
        course = self.linked_course()
        linked = course if course is not None and course.rhythm else None
        return PlanInput(
            patient_id=self._patient_id,
            practitioner_id=self.practitioner.currentData() or 0,
            course_id=self.course.currentData(),
            conditions=self.conditions(),
            condition_notes=self.condition_notes.text(),
            symptoms=(*(c for c, b in self.symptom_boxes.items() if b.isChecked()), *other),
            pain_score=self.pain_score.score(),
            worse_with=self.worse_with.text(),
            better_with=self.better_with.text(),
            goals=tuple(line for line in self.goals.toPlainText().splitlines() if line.strip()),
            techniques=tuple(c for c, b in self.technique_boxes.items() if b.isChecked()),
            planned_sessions=linked.planned if linked else self.sessions.value() or None,
            frequency_text=linked.rhythm if linked else self.frequency.text(),
            homecare=self.homecare.value(),
            patient_notes=self.patient_notes.toPlainText(),
        )

    def set_value(self, data: PlanInput, *, fresh: bool = False) -> None:
        """Fill the form; ``fresh`` (a new plan) ticks the library defaults for its condition."""
        self._filling = True
        try:
            self._patient_id = data.patient_id
            signer = self.practitioner.findData(data.practitioner_id)
            self.practitioner.setCurrentIndex(max(signer, 0))
            for row in self.condition_rows:
                row.hide()
                row.deleteLater()
            self.condition_rows.clear()
            for choice in data.conditions or (None,):
                row = self.add_condition()
                if choice is not None:
                    row.set_value(choice)
            self.condition_notes.setText(data.condition_notes)
            known = [s for s in data.symptoms if s in self.symptom_boxes]
            for code, box in self.symptom_boxes.items():
                box.setChecked(code in known)
            self.other_symptoms.setText(", ".join(s for s in data.symptoms if s not in known))
            self.pain_score.set_score(data.pain_score)
            self.worse_with.setText(data.worse_with)
            self.better_with.setText(data.better_with)
            self.goals.setPlainText("\n".join(data.goals))
            for code, box in self.technique_boxes.items():
                box.setChecked(code in data.techniques)
            self.sessions.setValue(data.planned_sessions or 0)
            self.frequency.setText(data.frequency_text)
            self.course.setCurrentIndex(max(self.course.findData(data.course_id), 0))
            self._show_rhythm()
            self.patient_notes.setPlainText(data.patient_notes)
            for line in (self.condition_notes, self.worse_with, self.better_with, self.frequency):
                line.setCursorPosition(0)  # show the start of a long sentence, not its end
        finally:
            self._filling = False
        if fresh:
            self.homecare.set_value((), ())
            self.homecare.set_conditions(self.conditions())
        else:
            self.homecare.set_value(self.conditions(), data.homecare)

    def set_practitioners(self, people: list[PractitionerView]) -> None:
        """Who may sign the plan (active practitioners, plus the plan's own if inactive)."""
        self.practitioner.blockSignals(True)
        self.practitioner.clear()
        for person in people:
            self.practitioner.addItem(practitioner_label(person), person.id)
        self.practitioner.blockSignals(False)

    def show_errors(self, errors: dict[str, str]) -> list[str]:
        return self.errors.show(errors)
