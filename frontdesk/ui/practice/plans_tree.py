"""A patient's plans with their revisions, newest revision on top, as the chart and the Plans
page both list them. Items carry ``(plan_id, revision number or None for the latest)``."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from frontdesk.db.engine import Database
from frontdesk.plans import PlanSummary, RevisionSummary, list_plans, list_revisions
from frontdesk.ui.practice.timefmt import LocalTime
from frontdesk.ui.widgets.tables import fit_columns

ID_ROLE = Qt.ItemDataRole.UserRole
PlanRows = list[tuple[PlanSummary, list[RevisionSummary]]]


def read_plans(db: Database, patient_id: int) -> PlanRows:
    """The patient's plans, each with its revisions (oldest first), through the plans service."""
    return [(p, list_revisions(db, p.plan_id)) for p in list_plans(db, patient_id)]


class PlansTree(QTreeWidget):
    """Plan rows with one child row per revision; draft or "printed 3 Mar 2026" beside each."""

    def __init__(self, time: LocalTime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.time = time
        self.setHeaderLabels(["Plan", "Practitioner", "Revision", "Changed"])
        self.setAlternatingRowColors(True)
        fit_columns(self, elide=0)  # a long condition title gives way, never a date

    def set_plans(self, plans: Sequence[tuple[PlanSummary, Sequence[RevisionSummary]]]) -> None:
        self.clear()
        for summary, revisions in plans:
            item = QTreeWidgetItem(
                [
                    summary.condition_title,
                    summary.practitioner_name,
                    f"Revision {summary.latest_number}",
                    self.time.day(summary.updated_at),
                ]
            )
            item.setData(0, ID_ROLE, (summary.plan_id, None))
            item.setToolTip(0, summary.condition_title)
            for rev in reversed(revisions):
                state = f"printed {self.time.day(rev.printed_at)}" if rev.printed_at else "draft"
                child = QTreeWidgetItem(
                    [f"Revision {rev.number}", "", state, self.time.day(rev.updated_at)]
                )
                child.setData(0, ID_ROLE, (summary.plan_id, rev.number))
                item.addChild(child)
            self.addTopLevelItem(item)
        self.expandAll()
        first = self.topLevelItem(0)
        if first is not None:
            self.setCurrentItem(first)

    def selected_plan(self) -> tuple[int, int | None] | None:
        """(plan id, revision number or None for the latest) of the selected row."""
        item = self.currentItem()
        if item is None and self.topLevelItemCount():
            item = self.topLevelItem(0)
        return item.data(0, ID_ROLE) if item is not None else None
