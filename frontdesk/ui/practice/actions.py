"""Opening the practitioner's windows, the same way from My day, the chart and the Plans page.

Every window is registered on the application's root window (see ``WindowRegistry``), so asking
twice for the same note, plan or chart brings the open one to the front, and closing a chart
does not take a half-written note editor down with it. Notes are keyed by note id (or, before
their first save, by appointment or patient) and plans by plan id, however they were reached,
so one workstation never has two editable editors of the same note or plan.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QMessageBox, QWidget

from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError
from frontdesk.intake import Caution
from frontdesk.notes import SessionNoteInput, SessionNoteView, get_note, note_for_appointment
from frontdesk.plans import list_revisions
from frontdesk.plans.library import load_library_or_empty
from frontdesk.ui.practice.windows import WindowRegistry
from frontdesk.ui.worker import run_query

Callback = Callable[[], None] | None


@lru_cache(maxsize=1)
def technique_labels() -> dict[str, str]:
    """Library technique code -> label, for lists that show stored codes."""
    return {c.code: c.label for c in load_library_or_empty()[0].techniques}


def root_window(widget: QWidget) -> QWidget:
    """The outermost window (the main window in the app, the page itself in a test)."""
    root = widget.window()
    while (parent := root.parentWidget()) is not None:
        root = parent.window()
    return root


def open_note_editor(
    parent: QWidget,
    ctx: AppContext,
    base: SessionNoteInput,
    *,
    heading: str,
    tz: ZoneInfo,
    on_saved: Callback,
    cautions: Sequence[Caution] = (),
) -> QWidget | None:
    """The editor for the appointment's note (continuing it if one exists), or a new loose one."""
    root = root_window(parent)
    try:
        note = note_for_appointment(ctx.db, base.appointment_id) if base.appointment_id else None
    except FrontdeskError as exc:
        QMessageBox.warning(parent, "Session note", str(exc))
        return None
    key = _note_key(note.id if note else None, base.appointment_id, base.patient_id)

    def build() -> QWidget:
        return _note_window(ctx, base, note, heading, tz, root, on_saved, cautions)

    return WindowRegistry.of(root).show(key, build)


def _note_key(note_id: int | None, appointment_id: int | None, patient_id: int) -> tuple:
    """The registry key of a note editor: by note id once stored (``rekey`` on first save)."""
    if note_id is not None:
        return ("note", note_id)
    if appointment_id is not None:
        return ("note-for-appointment", appointment_id)
    return ("note-new", patient_id)


def _note_window(
    ctx: AppContext,
    base: SessionNoteInput,
    note: SessionNoteView | None,
    heading: str,
    tz: ZoneInfo,
    root: QWidget,
    on_saved: Callback,
    cautions: Sequence[Caution] = (),
) -> QWidget:
    from frontdesk.ui.practice.note_editor import SessionNoteEditor

    editor = SessionNoteEditor(
        ctx, base, note=note, heading=heading, tz=tz, cautions=cautions, parent=root
    )
    registry = WindowRegistry.of(root)
    editor.saved.connect(lambda view: registry.rekey(editor, ("note", view.id)))
    if on_saved is not None:
        editor.saved.connect(on_saved)
        editor.incident_recorded.connect(on_saved)  # the chart lists adverse events
    return editor


def open_existing_note(
    parent: QWidget,
    ctx: AppContext,
    note_id: int,
    *,
    heading: str,
    tz: ZoneInfo,
    on_saved: Callback,
    cautions: Sequence[Caution] = (),
) -> QWidget | None:
    """The editor for a note picked from a list."""
    root = root_window(parent)
    try:
        note = get_note(ctx.db, note_id)
    except FrontdeskError as exc:
        QMessageBox.warning(parent, "Session note", str(exc))
        return None
    day = f"{note.session_date.day} {note.session_date:%b %Y}"

    def build() -> QWidget:
        return _note_window(
            ctx, note.as_input(), note, f"{heading}, {day}", tz, root, on_saved, cautions
        )

    return WindowRegistry.of(root).show(("note", note.id), build)


def open_plan_editor(
    parent: QWidget,
    ctx: AppContext,
    patient_id: int,
    *,
    plan_id: int | None,
    revision: int | None = None,
    practitioner_id: int | None = None,
    on_saved: Callback = None,
    shown: Callable[[QWidget], None] | None = None,
) -> QWidget | None:
    """The plan editor: a new plan, a plan's latest revision, or an old revision read-only.

    The window is returned (and given to ``shown``) at once, except for a revision picked by
    number that no open editor shows: whether it is the latest (then it opens as the plan,
    editable) is asked on a worker, None is returned, and the window opens when the answer
    comes, given to ``shown``.
    """
    from frontdesk.ui.practice.plan_editor import PlanEditorWindow

    root = root_window(parent)
    registry = WindowRegistry.of(root)

    def build() -> PlanEditorWindow:
        editor = PlanEditorWindow(
            ctx,
            patient_id,
            plan_id=plan_id,
            revision=revision,
            practitioner_id=practitioner_id,
            parent=root,
        )
        if plan_id is None:  # a new plan is found by its id once it has one
            editor.saved.connect(lambda view: registry.rekey(editor, ("plan", view.plan_id)))
        if on_saved is not None:
            editor.saved.connect(on_saved)
        return editor

    def open_as(key: tuple) -> QWidget:
        window = registry.show(key, build)
        if shown is not None:
            shown(window)
        return window

    if plan_id is None:
        return open_as(("plan-new", patient_id))
    if revision is None:
        return open_as(("plan", plan_id))  # the editable latest revision
    old = ("plan-revision", plan_id, revision)  # read-only history
    if registry.get(old) is not None:
        return open_as(old)
    editing = registry.get(("plan", plan_id))
    shows = editing.revision if isinstance(editing, PlanEditorWindow) else None
    if shows is not None and shows.number == revision:  # the latest, however it was picked
        return open_as(("plan", plan_id))
    db = ctx.db

    def opened(latest: int) -> None:
        open_as(("plan", plan_id) if revision == latest else old)

    def failed(exc: Exception) -> None:
        if not isinstance(exc, FrontdeskError):
            raise exc
        QMessageBox.warning(parent, "Treatment plan", str(exc))

    run_query(parent, lambda: list_revisions(db, plan_id)[-1].number, opened, failed)
    return None
