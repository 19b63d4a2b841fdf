"""The handout preview's ticks: add the progress so far, and the intake's precautions for home.

Offered to the roles that read the clinical record (``handout_extras`` in the permission
table), in the preview of a plan's handout. Each tick reads what it adds on a worker and
redraws the preview; what is printed or saved is what the preview shows.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QWidget

from frontdesk.accounts.permissions import is_allowed
from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError
from frontdesk.plans import HandoutData
from frontdesk.plans.extras import HandoutExtras, handout_extras, with_extras
from frontdesk.reports.plan_handout import render_plan_handout
from frontdesk.ui import qtbits
from frontdesk.ui.printing import PdfPreviewDialog
from frontdesk.ui.worker import Latest


def may_add_extras(ctx: AppContext) -> bool:
    actor = ctx.db.actor
    return actor is not None and is_allowed("handout_extras", actor.role)


class HandoutOptions(QWidget):
    """Two ticks under the preview; ``redrawn`` fires once the preview shows the new PDF."""

    redrawn = Signal()

    def __init__(
        self, ctx: AppContext, data: HandoutData, preview: PdfPreviewDialog, patient_id: int
    ) -> None:
        super().__init__(preview)
        self.ctx, self.data, self.preview, self.patient_id = ctx, data, preview, patient_id
        self.progress = QCheckBox("Progress so far (pain and questionnaire scores)")
        self.precautions = QCheckBox("Precautions from the intake")
        self.progress.setToolTip("A small chart of the scores recorded at the patient's visits")
        self.precautions.setToolTip(
            "For each caution the patient's latest intake raised, the advice for home"
        )
        self.note = qtbits.label("", name="muted")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(qtbits.label("Add:"))
        row.addWidget(self.progress)
        row.addWidget(self.precautions)
        row.addWidget(self.note, 1)
        self._job = Latest()
        self.progress.toggled.connect(lambda _on: self.redraw())
        self.precautions.toggled.connect(lambda _on: self.redraw())

    def redraw(self) -> None:
        db, pid, data = self.ctx.db, self.patient_id, self.data
        progress, precautions = self.progress.isChecked(), self.precautions.isChecked()

        def make() -> tuple[bytes, HandoutExtras]:
            extras = handout_extras(db, pid, progress=progress, precautions=precautions)
            return render_plan_handout(with_extras(data, extras)), extras

        self.note.setText("Redrawing…")
        self._job.run(self, make, self._show, self._failed)

    def _show(self, answer: tuple[bytes, HandoutExtras]) -> None:
        pdf, extras = answer
        self.preview.preview.set_pdf(pdf)
        missing = []
        if self.progress.isChecked() and not extras.progress:
            missing.append("no scores recorded yet")
        if self.precautions.isChecked() and not extras.precautions:
            missing.append("no precautions from the intake")
        self.note.setText("; ".join(missing).capitalize())
        self.redrawn.emit()

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, FrontdeskError):
            raise exc
        self.note.setText(str(exc))
