"""A plan's handout as the patient takes it home: its file name and the print preview.

Used by the chart, the Plans page, the plan editor and the course wizard alike, so it sits below
all of them and imports none.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError
from frontdesk.plans import get_plan, handout_data, mark_printed
from frontdesk.reports.plan_handout import render_plan_handout
from frontdesk.ui.printing import PdfPreviewDialog, show_pdf_preview

Callback = Callable[[], None] | None


def handout_file_name(patient_name: str, revision: int) -> str:
    return f"Treatment plan - {patient_name} - revision {revision}.pdf"


def preview_handout(
    parent: QWidget | None,
    ctx: AppContext,
    plan_id: int,
    revision: int | None,
    *,
    on_printed: Callback,
) -> PdfPreviewDialog | None:
    """Preview a saved revision's handout; printing or saving it freezes that revision.

    The revision is frozen only if it still holds what was rendered: if it was saved at another
    workstation while the preview was open, the user is told the paper is out of date.
    """
    try:
        view = get_plan(ctx.db, plan_id, revision)
        data = handout_data(ctx.db, view.revision_id, now=ctx.clock())
        pdf = render_plan_handout(data)
    except (FrontdeskError, ValueError) as exc:
        QMessageBox.warning(parent, "Print handout", f"The handout could not be made: {exc}")
        return None
    rendered = data.plan  # the content on the paper, with its version
    version = [rendered.version]  # moves on when the first copy freezes the revision

    def issued(_kind: str) -> None:
        try:
            version[0] = mark_printed(
                ctx.db, rendered.revision_id, now=ctx.clock(), expected_version=version[0]
            )
        except FrontdeskError as exc:
            QMessageBox.warning(parent, "Print handout", f"The plan could not be updated: {exc}")
            return
        if on_printed is not None:
            on_printed()

    return show_pdf_preview(
        parent,
        f"Treatment plan \u2013 {data.patient_name} (revision {rendered.number})",
        pdf,
        suggested_name=handout_file_name(data.patient_name, rendered.number),
        on_issued=issued,
    )
