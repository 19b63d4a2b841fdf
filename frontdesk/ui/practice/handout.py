"""A plan's handout as the patient takes it home: its file name and the print preview.

Used by the chart, the Plans page, the plan editor and the course wizard alike, so it sits below
all of them and imports none.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError
from frontdesk.plans import HandoutData, get_plan, handout_data, mark_printed
from frontdesk.reports.plan_handout import render_plan_handout
from frontdesk.ui.practice.handout_options import HandoutOptions, may_add_extras
from frontdesk.ui.printing import PdfPreviewDialog, show_pdf_preview
from frontdesk.ui.worker import run_query

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
    shown: Callable[[PdfPreviewDialog | None], None] | None = None,
) -> None:
    """Preview a saved revision's handout; printing or saving it freezes that revision.

    The handout is made on a worker (``ui/worker.py``) and the preview opens when it is ready;
    ``shown`` then gets it, or None when it could not be made (the reason was shown). The
    revision is frozen, on a worker too, only if it still holds what was rendered: if it was
    saved at another workstation while the preview was open, the user is told the paper is out
    of date.
    """
    db, clock = ctx.db, ctx.clock

    def render() -> tuple[HandoutData, bytes]:
        view = get_plan(db, plan_id, revision)
        data = handout_data(db, view.revision_id, now=clock())
        return data, render_plan_handout(data)

    def ready(answer: tuple[HandoutData, bytes]) -> None:
        data, pdf = answer
        preview = show_pdf_preview(
            parent,
            f"Treatment plan \u2013 {data.patient_name} (revision {data.plan.number})",
            pdf,
            suggested_name=handout_file_name(data.patient_name, data.plan.number),
            on_issued=_freezer(parent, ctx, data, on_printed),
        )
        if may_add_extras(ctx):  # the progress so far, the intake's precautions: ticked
            preview.add_options(HandoutOptions(ctx, data, preview, data.plan.patient_id))
        if shown is not None:
            shown(preview)

    def failed(exc: Exception) -> None:
        if not isinstance(exc, (FrontdeskError, ValueError)):
            raise exc
        QMessageBox.warning(parent, "Print handout", f"The handout could not be made: {exc}")
        if shown is not None:
            shown(None)

    run_query(parent, render, ready, failed)


def _freezer(
    parent: QWidget | None, ctx: AppContext, data: HandoutData, on_printed: Callback
) -> Callable[[str], None]:
    """What each printed or saved copy does: freeze the revision shown, one copy at a time
    (each sends the version the copy before it left)."""
    db, clock, rendered = ctx.db, ctx.clock, data.plan
    version = [rendered.version]  # moves on when the first copy freezes the revision
    waiting = [0]  # copies issued and not yet recorded
    busy = [False]

    def next_copy() -> None:
        if busy[0] or not waiting[0]:
            return
        waiting[0] -= 1
        busy[0] = True
        expected = version[0]
        run_query(
            parent,
            lambda: mark_printed(db, rendered.revision_id, now=clock(), expected_version=expected),
            marked,
            failed,
        )

    def marked(new_version: int) -> None:
        busy[0] = False
        version[0] = new_version
        if on_printed is not None:
            on_printed()
        next_copy()

    def failed(exc: Exception) -> None:
        busy[0] = False
        waiting[0] = 0
        if not isinstance(exc, FrontdeskError):
            raise exc
        QMessageBox.warning(parent, "Print handout", f"The plan could not be updated: {exc}")

    def issued(_kind: str) -> None:
        waiting[0] += 1
        next_copy()

    return issued
