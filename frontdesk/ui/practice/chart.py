"""The patient chart: who the patient is, their visits, plans, session notes, pain trend and
account (balance, invoices and payments).

Opened from My day (or the Plans page) between sessions. Everything is read through the
services on a worker (``read_chart``): the window opens at once saying it is reading the chart,
and fills in when the answer comes; it reads again after a note or plan is saved (F5, or
another desk's change). The widgets hold only the DTOs they were given. Old plan revisions open read-only, so what was printed stays readable.
Each session note shows whether it is signed and how often it was amended since. A user whose
role may not read charts gets the service's refusal in a message, and the window closes: never a
half-filled chart.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.domain import FrontdeskError, NotFound, PermissionDenied
from frontdesk.intake import Caution, IntakeRecord, cautions_of, intake_record
from frontdesk.messaging.outbox import OutboxEntry, patient_messages
from frontdesk.names import display_name
from frontdesk.needling.service import list_adverse_events
from frontdesk.needling.types import AdverseEventView
from frontdesk.notes import (
    SessionNoteInput,
    SessionNoteView,
    list_notes,
    noted_appointments,
    pain_trend,
)
from frontdesk.patients import PatientRecord, get_patient
from frontdesk.reports.patient_record import patient_record_pdf
from frontdesk.reports.printing import consent_pdf
from frontdesk.scheduling import AppointmentView, patient_appointments
from frontdesk.timefmt import fmt_date, fmt_day
from frontdesk.ui import qtbits
from frontdesk.ui.billing.account_panel import AccountPanel
from frontdesk.ui.billing.papers_dialog import papers_action
from frontdesk.ui.formatting import age_on, format_health_number
from frontdesk.ui.intake.open import open_consent, open_intake_form
from frontdesk.ui.practice import actions
from frontdesk.ui.practice.caution_banner import CautionBanner
from frontdesk.ui.practice.day_model import course_progress
from frontdesk.ui.practice.handout import preview_handout
from frontdesk.ui.practice.note_history import signed_state, state_column
from frontdesk.ui.practice.outcome_form import OutcomeDialog
from frontdesk.ui.practice.outcomes import read_outcomes
from frontdesk.ui.practice.pain_chart import PainTrendChart
from frontdesk.ui.practice.plans_tree import PlansTree, read_plans
from frontdesk.ui.practice.timefmt import LocalTime, spoken_name
from frontdesk.ui.practice.windows import WindowRegistry
from frontdesk.ui.printing import print_pdf, save_pdf_as
from frontdesk.ui.widgets.tables import fit_columns
from frontdesk.ui.worker import Latest, run_query

ID_ROLE = Qt.ItemDataRole.UserRole
TICK = "\u2713"
NOTE_STATE = 2  # the notes list's "Signed" column


class PatientChartWindow(QMainWindow):
    """One patient's chart in its own window (see the module docstring)."""

    def __init__(
        self,
        ctx: AppContext,
        patient_id: int,
        *,
        practitioner_id: int | None = None,
        appointment_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.patient_id = patient_id
        self.practitioner_id = practitioner_id
        self.last_preview: QWidget | None = None  # the handout preview opened last
        self._wanted_appointment = appointment_id
        self._background = Latest()
        self.time = LocalTime(ctx)
        self.patient: PatientRecord | None = None  # None until the first read has answered
        self.loaded = False
        self.appointments: list[AppointmentView] = []
        self._build()
        qtbits.fit_to_screen(self, 1180, 780)
        self._connect_signals()
        self._show_reading()
        self._read_again(self._read_failed)  # a refusal closes the window (``_read_failed``)

    # -- building -----------------------------------------------------------------------------
    def _build(self) -> None:
        bar = QToolBar("Chart", self)
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.note_action = QAction("Session note", self, shortcut=QKeySequence("Ctrl+N"))
        self.note_action.setToolTip("Write or continue the note for the selected appointment")
        self.new_plan_action = QAction("New plan", self)
        self.edit_plan_action = QAction("Edit plan", self, shortcut=QKeySequence("Ctrl+E"))
        self.print_action = QAction("Print handout\u2026", self)
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.outcome_action = QAction("Questionnaire\u2026", self)
        self.outcome_action.setToolTip(
            "Fill in a pain or function questionnaire with the patient (F11 in it: full screen)"
        )
        self.refresh_action = QAction("Refresh", self)
        self.refresh_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.export_action = QAction("Export record as PDF\u2026", self)
        self.export_action.setToolTip(
            "The patient's details, appointments, plans and notes in "
            "one PDF, e.g. when the patient asks for their record"
        )
        self.intake_action = QAction("Intake form\u2026", self)
        self.intake_action.setToolTip(
            "Fill in the first-visit intake with the patient, or hand it to them full screen"
        )
        self.consent_action = QAction("Consent\u2026", self)
        self.consent_action.setToolTip("The patient reads the consent and signs on screen")
        self.print_consent_action = QAction("Print consent\u2026", self)
        self.print_consent_action.setToolTip("Print the patient's latest signed consent")
        # What works on the patient read: offered once the chart has been read.
        self._patient_actions = [
            self.note_action,
            self.new_plan_action,
            self.edit_plan_action,
            self.print_action,
            self.outcome_action,
            self.intake_action,
            self.consent_action,
            self.print_consent_action,
            self.export_action,
        ]
        for action in (*self._patient_actions, self.refresh_action):
            bar.addAction(action)
        self.papers_action = papers_action(self, self.ctx, self.patient_id, self._spoken_name)
        if self.papers_action is not None:  # not for a practitioner: no invoices for them
            bar.insertAction(self.export_action, self.papers_action)
            self._patient_actions.append(self.papers_action)
        self.addToolBar(bar)

        self.name_label = qtbits.label(name="pageTitle")
        self.summary_label = qtbits.label(name="pageSubtitle")
        self.details = QFormLayout()
        self.details_card = details_card = qtbits.named(QFrame(), "card")
        card_layout = QVBoxLayout(details_card)
        card_layout.addWidget(qtbits.label("Details", name="sectionTitle"))
        card_layout.addLayout(self.details)

        self.appointment_tree = QTreeWidget()
        self.appointment_tree.setHeaderLabels(["When", "Type", "Status", "Course", "Note"])
        self.appointment_tree.setRootIsDecorated(False)
        self.appointment_tree.setAlternatingRowColors(True)
        fit_columns(self.appointment_tree, elide=1)  # the type gives way, not dates or "3 of 6"
        self.upcoming = QTreeWidgetItem(["Upcoming"])
        self.past = QTreeWidgetItem(["Past"])
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(details_card)
        left_layout.addWidget(qtbits.label("Appointments", name="sectionTitle"))
        left_layout.addWidget(self.appointment_tree, 1)

        self.pain_chart = PainTrendChart()
        self.due_label = qtbits.label("", name="noteState", wrap=True)
        self.due_label.hide()
        self.notes_tree = QTreeWidget()
        self.notes_tree.setHeaderLabels(
            ["Session", "Practitioner", "Signed", "Pain", "Techniques", "Note"]
        )
        self.notes_tree.setRootIsDecorated(False)
        self.notes_tree.setAlternatingRowColors(True)
        self.plans_tree = PlansTree(self.time)
        self.intake_tree = QTreeWidget()
        self.intake_tree.setHeaderLabels(["Question", "Answer"])
        self.intake_tree.setRootIsDecorated(False)
        self.intake_tree.setWordWrap(True)
        self.intake_summary = qtbits.label(name="muted", wrap=True)
        intake_tab = QWidget()
        intake_layout = QVBoxLayout(intake_tab)
        intake_layout.setContentsMargins(6, 6, 6, 6)
        intake_layout.addWidget(self.intake_summary)
        intake_layout.addWidget(self.intake_tree, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.notes_tree, "Notes")
        self.tabs.addTab(self.plans_tree, "Plans")
        self.tabs.addTab(intake_tab, "Intake")
        self.events_tree = QTreeWidget()
        self.events_tree.setHeaderLabels(["When", "By", "What happened", "What was done"])
        self.events_tree.setRootIsDecorated(False)
        self.events_tree.setAlternatingRowColors(True)
        self.events_tree.setWordWrap(True)
        self.tabs.addTab(self.events_tree, "Adverse events")
        self.account = AccountPanel(self.ctx)
        self.account.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.tabs.addTab(self.account, "Account")
        # What was emailed to the patient about their visits (issue 19): sent, failed, or why not.
        self.emails_tree = QTreeWidget()
        self.emails_tree.setHeaderLabels(["Due", "Message", "Visit", "Status"])
        self.emails_tree.setRootIsDecorated(False)
        self.emails_tree.setAlternatingRowColors(True)
        self.tabs.addTab(self.emails_tree, "Emails")
        for index, tip in enumerate(
            (
                "Session notes, the latest first",
                "Treatment plans and their revisions",
                "The latest intake's answers and the signed consent",
                "Adverse events recorded in session notes",
                "Balance, invoices and payments",
                "Emails about the patient's visits",
            )
        ):
            self.tabs.setTabToolTip(index, tip)
        right = QSplitter(Qt.Orientation.Vertical)
        chart_card = qtbits.named(QFrame(), "card")
        chart_layout = QVBoxLayout(chart_card)
        chart_layout.setContentsMargins(4, 4, 4, 4)
        chart_layout.addWidget(self.due_label)
        chart_layout.addWidget(self.pain_chart)
        right.addWidget(chart_card)
        right.addWidget(self.tabs)
        right.setSizes([330, 370])

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([560, 620])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(16, 10, 16, 12)
        layout.addWidget(self.name_label)
        layout.addWidget(self.summary_label)
        self.caution_banner = CautionBanner()
        layout.addWidget(self.caution_banner)
        layout.addWidget(split, 1)
        self.setCentralWidget(central)

    def _spoken_name(self) -> str:
        return spoken_name(self.patient) if self.patient is not None else ""

    def _connect_signals(self) -> None:
        self.note_action.triggered.connect(self.open_note_for_selection)
        self.new_plan_action.triggered.connect(self.new_plan)
        self.edit_plan_action.triggered.connect(self.edit_plan)
        self.print_action.triggered.connect(self.print_handout)
        self.export_action.triggered.connect(self.export_record)
        self.outcome_action.triggered.connect(self.record_outcome)
        self.intake_action.triggered.connect(self.open_intake)
        self.consent_action.triggered.connect(self.open_consent)
        self.print_consent_action.triggered.connect(self.print_consent)
        self.refresh_action.triggered.connect(self.refresh)
        self.appointment_tree.itemActivated.connect(self._on_appointment_activated)
        self.notes_tree.itemActivated.connect(self._on_note_activated)
        self.plans_tree.itemActivated.connect(self._on_plan_activated)

    # -- reading ------------------------------------------------------------------------------
    def _show_reading(self) -> None:
        """Until the first read answers: the window says so, and offers nothing to do yet."""
        self.setWindowTitle("Chart \u2013 reading\u2026")
        self.name_label.setText("Reading the chart\u2026")
        self.summary_label.setText("")
        self.details_card.hide()
        for action in self._patient_actions:
            action.setEnabled(False)

    def _read_again(self, failed: Callable[[Exception], None]) -> None:
        """Read everything on a worker and show it, the selected appointment kept."""
        db, pid, now = self.ctx.db, self.patient_id, self.ctx.clock()

        def show(found: tuple[Any, ...]) -> None:
            selected = self.selected_appointment()
            if selected is not None:
                self._wanted_appointment = selected.id
            self._show(found)

        self._background.run(self, lambda: read_chart(db, pid, now), show, failed)

    def _read_failed(self, exc: Exception, *, quiet: bool = False) -> None:
        """Why the chart could not be read. Before its first answer a refusal (a role that may
        not read charts, a patient of someone else) closes the window, and a busy database is
        said in it with Refresh to try again; later the chart keeps what it shows."""
        if not isinstance(exc, FrontdeskError):
            raise exc
        if not self.loaded:
            if isinstance(exc, (PermissionDenied, NotFound)):
                parent = self.parentWidget()
                self.close()
                QMessageBox.warning(parent, "Chart", str(exc))
                return
            self.name_label.setText("The chart could not be read")
            self.summary_label.setText(f"{exc} Refresh (F5) tries again.")
        elif not quiet:
            QMessageBox.warning(self, "Chart", str(exc))

    @Slot()
    def refresh(self) -> None:
        """Read everything again on a worker (after a save here, or F5), the selected
        appointment kept: a note's autosave never waits for the chart's reading."""
        self._read_again(self._read_failed)

    def database_changed(self) -> None:
        """Another desk changed something: read the chart again on a worker, selection kept."""
        if not self.isVisible() or (self._background.running and not self.loaded):
            return  # the first read is still under way: it answers with the change
        # A failure is shown at the next refresh: no box every second.
        self._read_again(lambda exc: self._read_failed(exc, quiet=True))

    def _show(self, found: tuple[Any, ...]) -> None:
        (
            self.patient,
            self.appointments,
            noted,
            notes,
            trend,
            plans,
            outcomes,
            intake,
            events,
            emails,
        ) = found
        self.loaded = True
        for action in self._patient_actions:
            action.setEnabled(True)  # Print consent: as the intake says, below
        cautions = cautions_of(intake.intakes)
        self.caution_banner.set_cautions(cautions, self.time.tz)
        self._pass_cautions_on(cautions)
        self._show_intake(intake)
        self._show_patient()
        self._show_appointments(noted)
        self._show_notes(notes)
        self.pain_chart.set_points(trend)
        self.outcomes = outcomes
        self.pain_chart.set_outcomes(outcomes.lines)
        self.due_label.setText(outcomes.due_text)
        self.due_label.setVisible(bool(outcomes.due_text))
        self.plans_tree.set_plans(plans)
        self._show_events(events)
        self.account.show_patient(self.patient_id, self._spoken_name())  # on a worker
        self._show_emails(emails)

    def _show_emails(self, emails: list[OutboxEntry]) -> None:
        tree = self.emails_tree
        tree.clear()
        for entry in emails:
            item = QTreeWidgetItem(
                [
                    self.time.short(entry.due_at),
                    entry.kind_label,
                    self.time.short(entry.visit_start),
                    entry.status_text,
                ]
            )
            item.setToolTip(3, entry.status_text)
            item.setToolTip(1, entry.subject)
            if entry.status == "failed":
                item.setForeground(3, Qt.GlobalColor.darkRed)
            tree.addTopLevelItem(item)
        for col in range(3):
            tree.resizeColumnToContents(col)
        self.tabs.setTabText(self.tabs.indexOf(tree), f"Emails ({len(emails)})")

    def _show_patient(self) -> None:
        p = self.patient
        if p is None:
            return
        today = self.time.today()
        self.setWindowTitle(f"{spoken_name(p)} \u2013 chart")
        self.name_label.setText(spoken_name(p))
        self.summary_label.setText(
            f"{age_on(p.date_of_birth, today)} years \u00b7 born {fmt_date(p.date_of_birth)}"
            + (f" \u00b7 {p.phone_display}" if p.phone_display else "")
        )
        while self.details.rowCount():
            self.details.removeRow(0)
        for label, value in (
            ("Phone", " / ".join(x for x in (p.phone_display, p.phone_alt_display) if x)),
            ("Email", _email_line(p.email, p.contact_by_email, p.email_consent)),
            ("Health number", format_health_number(p.health_number)),
            ("Address", p.address),
            ("Emergency contact", p.emergency_contact_display),
            ("Notes", p.notes),
        ):
            if value:
                text = QLabel(value, wordWrap=True)
                text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.details.addRow(label, text)
        self.details_card.setVisible(self.details.rowCount() > 0)

    def _show_appointments(self, noted: set[int]) -> None:
        tree = self.appointment_tree
        tree.clear()
        now = self.ctx.clock()
        self.upcoming = QTreeWidgetItem(["Upcoming"])
        self.past = QTreeWidgetItem(["Past"])
        for group in (self.upcoming, self.past):
            group.setFirstColumnSpanned(False)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
        tree.addTopLevelItems([self.upcoming, self.past])
        select: QTreeWidgetItem | None = None
        for appt in sorted(self.appointments, key=lambda a: a.start):
            upcoming = appt.end > now
            item = QTreeWidgetItem(
                [
                    self.time.short(appt.start),
                    appt.type_name,
                    appt.status.label,
                    course_progress(appt),
                    TICK if appt.id in noted else "",
                ]
            )
            item.setData(0, ID_ROLE, appt.id)
            item.setToolTip(0, f"with {appt.practitioner_name}")
            if not appt.is_active:
                for col in range(5):
                    item.setForeground(col, Qt.GlobalColor.gray)
            (self.upcoming if upcoming else self.past).addChild(item)
            if appt.id == self._wanted_appointment:
                select = item
        # Past visits newest first, upcoming soonest first: the rows a practitioner wants on top.
        past = self.past.takeChildren()
        self.past.addChildren(list(reversed(past)))
        self.upcoming.setText(0, f"Upcoming ({self.upcoming.childCount()})")
        self.past.setText(0, f"Past ({self.past.childCount()})")
        tree.expandAll()
        if select is not None:
            tree.setCurrentItem(select)
        for col in range(5):
            tree.resizeColumnToContents(col)

    def _show_notes(self, notes: list[SessionNoteView]) -> None:
        self.notes_tree.clear()
        library_labels = actions.technique_labels()
        tz = self.time.tz
        for note in notes:
            pain = f"{_score(note.pain_before)} \u2192 {_score(note.pain_after)}"
            first_line = (
                (note.body or note.response or note.points or note.needling.summary())
                .strip()
                .split("\n")[0]
            )
            item = QTreeWidgetItem(
                [
                    fmt_day(note.session_date),
                    note.practitioner_name,
                    state_column(note),
                    pain,
                    ", ".join(library_labels.get(t, t) for t in note.techniques),
                    first_line,
                ]
            )
            item.setData(0, ID_ROLE, note.id)
            item.setToolTip(NOTE_STATE, signed_state(note, tz))
            if not note.needling.is_blank:
                item.setToolTip(5, note.needling.summary())
            if not note.is_signed:
                item.setForeground(NOTE_STATE, Qt.GlobalColor.darkYellow)
            self.notes_tree.addTopLevelItem(item)
        for col in range(5):
            self.notes_tree.resizeColumnToContents(col)
        # Long technique lists are elided so the note's first line stays in view.
        self.notes_tree.setColumnWidth(4, min(self.notes_tree.columnWidth(4), 190))

    def _pass_cautions_on(self, cautions: list[Caution]) -> None:
        """Open note editors of this patient show the cautions as the chart last read them."""
        from frontdesk.ui.practice.note_editor import SessionNoteEditor

        for window in WindowRegistry.of(actions.root_window(self)).windows():
            if isinstance(window, SessionNoteEditor) and window.patient_id == self.patient_id:
                window.set_cautions(cautions)

    def _show_intake(self, record: IntakeRecord) -> None:
        """The latest intake's answers, and whether a consent is signed."""
        tz, intakes, consents = self.time.tz, record.intakes, record.consents
        lines = []
        if intakes:
            latest = intakes[0]
            older = f" ({len(intakes) - 1} earlier kept)" if len(intakes) > 1 else ""
            lines.append(
                f"{latest.form_title}: {fmt_date(latest.completed_at, tz)}, taken by "
                f"{latest.recorded_by}{older}."
            )
        else:
            lines.append("No intake yet: Intake form\u2026 fills one in with the patient.")
        if consents:
            c = consents[0]
            lines.append(
                f"{c.title}: signed by {c.signer_name} on {fmt_date(c.signed_at, tz)}, "
                f"witnessed by {c.witness_name}."
            )
        else:
            lines.append("No signed consent yet.")
        self.intake_summary.setText("\n".join(lines))
        self.print_consent_action.setEnabled(bool(consents))
        self.intake_tree.clear()
        for answer in intakes[0].answers if intakes else ():
            shown = {"yes": "Yes", "no": "No"}.get(answer.answer, answer.answer) or "\u2013"
            if answer.detail:
                shown += f" ({answer.detail})"
            item = QTreeWidgetItem([answer.label, shown])
            item.setToolTip(0, answer.label)
            item.setToolTip(1, shown)
            if answer.caution:
                item.setForeground(1, Qt.GlobalColor.darkRed)
                item.setToolTip(1, answer.caution)
            self.intake_tree.addTopLevelItem(item)
        self.intake_tree.setColumnWidth(0, 360)

    def _show_events(self, events: list[AdverseEventView]) -> None:
        """Adverse events, the latest first; a red flag in red. The tab says how many."""
        self.events_tree.clear()
        for event in events:
            what = event.kind.label + (f": {event.description}" if event.description else "")
            item = QTreeWidgetItem(
                [
                    self.time.short(event.occurred_at),
                    event.practitioner_name,
                    what,
                    event.action_taken,
                ]
            )
            item.setData(0, ID_ROLE, event.note_id)
            item.setToolTip(2, what)
            item.setToolTip(3, event.action_taken)
            if event.red_flag:
                for col in range(4):
                    item.setForeground(col, Qt.GlobalColor.red)
            self.events_tree.addTopLevelItem(item)
        index = self.tabs.indexOf(self.events_tree)
        self.tabs.setTabText(
            index, f"Adverse events ({len(events)})" if events else "Adverse events"
        )
        for col in (0, 1):
            self.events_tree.resizeColumnToContents(col)
        self.events_tree.setColumnWidth(2, 300)  # what was done takes the rest

    def adverse_event_rows(self) -> list[list[str]]:
        """The adverse events as listed (what tests read)."""
        tree = self.events_tree
        return [
            [qtbits.must(tree.topLevelItem(i)).text(c) for c in range(4)]
            for i in range(tree.topLevelItemCount())
        ]

    # -- selection ----------------------------------------------------------------------------
    def selected_appointment(self) -> AppointmentView | None:
        item = self.appointment_tree.currentItem()
        appt_id = item.data(0, ID_ROLE) if item is not None else None
        return next((a for a in self.appointments if a.id == appt_id), None)

    def select_appointment(self, appointment_id: int) -> None:
        self._wanted_appointment = appointment_id  # also once a chart still reading answers
        for group in (self.upcoming, self.past):
            for i in range(group.childCount()):
                child = group.child(i)
                if child is not None and child.data(0, ID_ROLE) == appointment_id:
                    self.appointment_tree.setCurrentItem(child)

    def selected_plan(self) -> tuple[int, int | None] | None:
        return self.plans_tree.selected_plan()

    def _practitioner_for_new_work(self, appt: AppointmentView | None) -> int | None:
        """The appointment's practitioner, else the My-day one; None means the editor asks."""
        if appt is not None:
            return appt.practitioner_id
        return self.practitioner_id

    # -- actions ------------------------------------------------------------------------------
    @Slot()
    def open_note_for_selection(self) -> QWidget | None:
        """The note of the selected appointment (continued if it exists), else a loose note."""
        appt = self.selected_appointment()
        # Nobody named: the appointment's practitioner, or the one signed in (save_note).
        base = SessionNoteInput(self.patient_id, None, appt.id if appt else None)
        heading = self._spoken_name()
        if appt is not None:
            progress = course_progress(appt)
            heading += f", {self.time.when(appt.start)}" + (f" ({progress})" if progress else "")
        return actions.open_note_editor(
            self,
            self.ctx,
            base,
            heading=heading,
            tz=self.time.tz,
            on_saved=self.refresh,
            cautions=self.caution_banner.cautions,
        )

    @Slot(QTreeWidgetItem, int)
    def _on_appointment_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.data(0, ID_ROLE) is not None:
            self.open_note_for_selection()

    @Slot(QTreeWidgetItem, int)
    def _on_note_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        actions.open_existing_note(
            self,
            self.ctx,
            item.data(0, ID_ROLE),
            heading=self._spoken_name(),
            tz=self.time.tz,
            on_saved=self.refresh,
            cautions=self.caution_banner.cautions,
        )

    @Slot(QTreeWidgetItem, int)
    def _on_plan_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        plan_id, number = item.data(0, ID_ROLE)
        actions.open_plan_editor(
            self, self.ctx, self.patient_id, plan_id=plan_id, revision=number, on_saved=self.refresh
        )

    @Slot()
    def new_plan(self) -> QWidget | None:
        practitioner = self._practitioner_for_new_work(self.selected_appointment())
        return actions.open_plan_editor(
            self,
            self.ctx,
            self.patient_id,
            plan_id=None,
            practitioner_id=practitioner,
            on_saved=self.refresh,
        )

    @Slot()
    def edit_plan(self) -> QWidget | None:
        chosen = self.selected_plan()
        if chosen is None:
            return self.new_plan()
        return actions.open_plan_editor(
            self,
            self.ctx,
            self.patient_id,
            plan_id=chosen[0],
            revision=chosen[1],
            on_saved=self.refresh,
        )

    @Slot()
    def export_record(self) -> None:
        """Make the patient's full record as a PDF on a worker, then save it where the user
        chooses; the status bar says where it went."""
        p = self.patient
        if p is None:
            return
        db, pid, now = self.ctx.db, self.patient_id, self.ctx.clock()
        name = f"Record {display_name(p.given_name, p.family_name)}"

        def save(pdf: bytes) -> None:
            self.export_action.setEnabled(True)
            path = save_pdf_as(self, pdf, suggested_name=name)
            if path is not None:
                self.statusBar().showMessage(f"The record was saved to {path}.", 8000)

        def failed(exc: Exception) -> None:
            self.export_action.setEnabled(True)
            if not isinstance(exc, FrontdeskError):
                raise exc
            QMessageBox.warning(self, "Export record", str(exc))

        self.export_action.setEnabled(False)  # one export at a time
        run_query(self, lambda: patient_record_pdf(db, pid, now=now), save, failed)

    @Slot()
    def record_outcome(self) -> OutcomeDialog | None:
        """Open the questionnaire form, the due one chosen; the chart reads again after."""
        outcomes = getattr(self, "outcomes", None)
        if outcomes is None or not outcomes.questionnaires:
            return None
        appt = self.selected_appointment()
        dialog = OutcomeDialog(
            self.ctx,
            self.patient_id,
            self._spoken_name(),
            outcomes.questionnaires,
            self,
            due=outcomes.due,
            appointment_id=appt.id if appt is not None else None,
        )
        dialog.accepted.connect(self.database_changed)
        dialog.open()
        return dialog

    @Slot()
    def open_intake(self) -> QWidget | None:
        window = open_intake_form(self, self.ctx, self.patient_id, self._spoken_name())
        if window is not None:
            window.saved.connect(self.refresh)
        return window

    @Slot()
    def open_consent(self) -> QWidget | None:
        window = open_consent(self, self.ctx, self.patient_id, self._spoken_name(), self.time.tz)
        if window is not None:
            window.signed.connect(self.refresh)
        return window

    @Slot()
    def print_consent(self) -> None:
        """The latest signed consent, rendered on a worker, then the print dialog."""
        db, pid, title = self.ctx.db, self.patient_id, f"Consent {self._spoken_name()}"

        def failed(exc: Exception) -> None:
            if not isinstance(exc, FrontdeskError):
                raise exc
            QMessageBox.warning(self, "Print consent", str(exc))

        run_query(
            self,
            lambda: consent_pdf(db, pid),
            lambda pdf: _print(self, pdf, title=title),
            failed,
        )

    @Slot()
    def print_handout(self) -> None:
        """Preview the selected plan's handout (made on a worker; ``last_preview`` once open)."""
        chosen = self.selected_plan()
        if chosen is None:
            QMessageBox.information(
                self,
                "Print handout",
                "This patient has no treatment plan yet; start one with New plan.",
            )
            return

        def shown(preview: QWidget | None) -> None:
            self.last_preview = preview

        preview_handout(self, self.ctx, chosen[0], chosen[1], on_printed=self.refresh, shown=shown)


def read_chart(db: Database, patient_id: int, now: datetime) -> tuple[Any, ...]:
    """Everything the chart shows (``PatientChartWindow._show`` unpacks it); only service
    calls, run on a worker."""
    appointments = patient_appointments(db, patient_id)
    return (
        get_patient(db, patient_id),
        appointments,
        noted_appointments(db, (a.id for a in appointments)),
        list_notes(db, patient_id),
        pain_trend(db, patient_id),
        read_plans(db, patient_id),
        read_outcomes(db, patient_id, now),
        intake_record(db, patient_id),
        list_adverse_events(db, patient_id),
        patient_messages(db, patient_id),
    )


def _email_line(address: str, wanted: bool, consented: bool) -> str:
    """The address and whether visit emails go to it, as the details card says it."""
    if not address:
        return ""
    if wanted and consented:
        return f"{address} (visit emails: yes)"
    why = "no consent" if not consented else "the patient does not want them"
    return f"{address} (visit emails: no, {why})"


def _score(value: int | None) -> str:
    return "\u2013" if value is None else str(value)


def open_chart(
    parent: QWidget,
    ctx: AppContext,
    patient_id: int,
    *,
    practitioner_id: int | None = None,
    appointment_id: int | None = None,
) -> PatientChartWindow | None:
    """Show the patient's chart (the open one if there is one), with the appointment selected.

    The window opens at once and reads the chart on a worker. When the service refuses (a role
    that may not read charts, a practitioner's patient of someone else) the refusal is shown in
    a message and the window closes again; ``None`` if even opening it failed."""
    root = actions.root_window(parent)
    try:
        window = WindowRegistry.of(root).show(
            ("chart", patient_id),
            lambda: PatientChartWindow(
                ctx,
                patient_id,
                practitioner_id=practitioner_id,
                appointment_id=appointment_id,
                parent=root,
            ),
        )
    except FrontdeskError as exc:
        QMessageBox.warning(parent, "Chart", str(exc))
        return None
    if appointment_id is not None:
        window.select_appointment(appointment_id)
    return window


def _print(parent: QWidget, pdf: bytes, *, title: str) -> None:
    print_pdf(parent, pdf, title=title)
