"""The Plans page: find a patient, see their treatment plans and revisions, open or print one.

The way in for anyone printing a handout (reception included) without opening the full chart.
Plans are read through the plans service; editing happens in the plan editor window.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError
from frontdesk.patients import search_patients
from frontdesk.ui import qtbits
from frontdesk.ui.booking.patient_picker import PatientPicker
from frontdesk.ui.practice import actions
from frontdesk.ui.practice.handout import preview_handout
from frontdesk.ui.practice.plans_tree import PlanRows, PlansTree, read_plans
from frontdesk.ui.practice.timefmt import LocalTime
from frontdesk.ui.widgets.page import Page
from frontdesk.ui.worker import Latest, run_query

SCREENSHOT_CANDIDATES = 200


class PlansPage(Page):
    """Patient search above the chosen patient's plans (see the module docstring)."""

    def __init__(self, ctx: AppContext, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(ctx, undo_stack, parent)
        self.last_preview: QWidget | None = None  # the handout preview opened last
        self._reading = Latest()  # the chosen patient's plans, read on a worker
        self.time = LocalTime(ctx)
        self.picker = PatientPicker(ctx, rows=4)
        self.tree = PlansTree(self.time)
        self.empty = qtbits.label(
            "Find a patient to see their treatment plans.",
            name="emptyState",
            align=Qt.AlignmentFlag.AlignCenter,
        )
        self.body = QStackedWidget()
        self.body.addWidget(self.empty)
        self.body.addWidget(self.tree)
        self.new_button = QPushButton("New plan")
        self.open_button = QPushButton("Open")
        self.print_button = QPushButton("Print handout\u2026")
        self.chart_button = QPushButton("Open chart")
        buttons = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.print_button, self.chart_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 16)
        layout.addWidget(qtbits.label("Treatment plans", name="pageTitle"))
        layout.addWidget(
            qtbits.label(
                "Plans keep every printed revision; open one to edit or print it.",
                name="pageSubtitle",
            )
        )
        layout.addWidget(self.picker)
        layout.addLayout(buttons)
        layout.addWidget(self.body, 1)
        self._connect_signals()
        self._sync_buttons()

    def _connect_signals(self) -> None:
        self.picker.patientChanged.connect(self.refresh)
        self.tree.itemActivated.connect(self._on_activated)
        self.new_button.clicked.connect(self.new_plan)
        self.open_button.clicked.connect(self.open_selected)
        self.print_button.clicked.connect(self.print_selected)
        self.chart_button.clicked.connect(self.open_chart)

    # -- page protocol ------------------------------------------------------------------------
    def activated(self) -> None:
        self.refresh()

    def focus_primary(self) -> None:
        self.picker.setFocus()

    def shortcuts(self) -> list[tuple[str, str]]:
        return [("Enter", "Open the selected plan or revision")]

    def prepare_screenshot(self) -> None:
        """Show the first listed patient who has a plan with more than one revision (or any
        plan), so the picture shows what the page is for; looked for on a worker (the
        screenshot run settles before it takes the picture)."""
        db = self.ctx.db

        def find() -> int | None:
            fallback = None
            for patient in search_patients(db, "", limit=SCREENSHOT_CANDIDATES):
                plans = read_plans(db, patient.id)
                if any(len(revisions) > 1 for _plan, revisions in plans):
                    return patient.id
                if plans and fallback is None:
                    fallback = patient.id
            return fallback

        def show(patient_id: int | None) -> None:
            if patient_id is not None:
                self.show_patient(patient_id)

        run_query(self, find, show)

    # -- state --------------------------------------------------------------------------------
    def show_patient(self, patient_id: int) -> None:
        self.picker.set_patient_id(patient_id)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Read the chosen patient's plans on a worker; an answer for a patient no longer
        chosen (the user picked another meanwhile) is dropped."""
        pid = self.picker.patient_id()
        if pid is None:
            self._reading.cancel()
            self.tree.clear()
            self.empty.setText("Find a patient to see their treatment plans.")
            self.body.setCurrentWidget(self.empty)
            self._sync_buttons()
            return
        db, name = self.ctx.db, self.picker.patient_name()

        def show(plans: PlanRows) -> None:
            if self.picker.patient_id() != pid:
                return
            self.tree.set_plans(plans)
            self.empty.setText(f"{name} has no treatment plan yet. Start one with New plan.")
            self.body.setCurrentWidget(self.tree if plans else self.empty)
            self._sync_buttons()

        def failed(exc: Exception) -> None:
            if not isinstance(exc, FrontdeskError):
                raise exc
            self.status_message.emit(str(exc))
            show([])

        self._reading.run(self, lambda: read_plans(db, pid), show, failed)

    def _sync_buttons(self) -> None:
        has_patient = self.picker.patient_id() is not None
        has_plan = self.tree.topLevelItemCount() > 0
        self.new_button.setEnabled(has_patient)
        self.chart_button.setEnabled(has_patient)
        self.open_button.setEnabled(has_plan)
        self.print_button.setEnabled(has_plan)

    # -- actions ------------------------------------------------------------------------------
    @Slot(QTreeWidgetItem, int)
    def _on_activated(self, _item: QTreeWidgetItem, _column: int) -> None:
        self.open_selected()

    @Slot()
    def new_plan(self) -> QWidget | None:
        pid = self.picker.patient_id()
        if pid is None:
            return None
        return actions.open_plan_editor(self, self.ctx, pid, plan_id=None, on_saved=self.refresh)

    @Slot()
    def open_selected(self) -> QWidget | None:
        pid, chosen = self.picker.patient_id(), self.tree.selected_plan()
        if pid is None or chosen is None:
            return None
        return actions.open_plan_editor(
            self, self.ctx, pid, plan_id=chosen[0], revision=chosen[1], on_saved=self.refresh
        )

    @Slot()
    def print_selected(self) -> None:
        """Preview the selected plan's handout (made on a worker; ``last_preview`` once open)."""
        chosen = self.tree.selected_plan()
        if chosen is None:
            return

        def shown(preview: QWidget | None) -> None:
            self.last_preview = preview

        preview_handout(self, self.ctx, chosen[0], chosen[1], on_printed=self.refresh, shown=shown)

    @Slot()
    def open_chart(self) -> QWidget | None:
        from frontdesk.ui.practice.chart import open_chart  # the chart's modules load on demand

        pid = self.picker.patient_id()
        return open_chart(self, self.ctx, pid) if pid is not None else None
