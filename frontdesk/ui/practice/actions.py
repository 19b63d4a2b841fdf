"""Opening the practitioner's windows, the same way from My day, the chart and the Plans page.

Every window is registered on the application's root window (see ``WindowRegistry``), so asking
twice for the same note, plan or chart brings the open one to the front, and closing a chart
does not take a half-written note editor down with it. Notes are keyed by note id (or, before
their first save, by appointment or patient) and plans by plan id, however they were reached,
so one workstation never has two editable editors of the same note or plan.

A note is read on a worker before its editor opens (``open_note_editor``, ``open_existing_note``):
the editor comes up when the answer does, and asking again while that read is under way opens
nothing more.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from functools import lru_cache
from typing import Any
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
Shown = Callable[[QWidget], None] | None


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
    shown: Shown = None,
) -> QWidget | None:
    """The editor for the appointment's note (continuing it if one exists), or a new loose one.

    The appointment's note is read on a worker and the editor opens when it answers (then
    ``shown`` gets it); the editor itself is returned only when it opened at once (a loose
    note: nothing to read)."""
    root = root_window(parent)

    def open_with(note: SessionNoteView | None) -> QWidget:
        key = _note_key(note.id if note else None, base.appointment_id, base.patient_id)

        def build() -> QWidget:
            return _note_window(ctx, base, note, heading, tz, root, on_saved, cautions)

        return WindowRegistry.of(root).show(key, build)

    appointment_id = base.appointment_id
    if appointment_id is None:
        window = open_with(None)
        if shown is not None:
            shown(window)
        return window
    db = ctx.db
    _read_then_open(
        parent,
        _note_key(None, appointment_id, base.patient_id),
        lambda: note_for_appointment(db, appointment_id),
        open_with,
        shown,
    )
    return None


def _read_then_open(
    parent: QWidget,
    asked: Hashable,
    read: Callable[[], Any],
    open_with: Callable[[Any], QWidget],
    shown: Shown,
) -> None:
    """Run ``read`` on a worker, then ``open_with`` its answer; a refusal in a message.

    Asked again for ``asked`` while its read is under way (a double click, Ctrl+N twice), it
    opens nothing more: the first answer opens the one editor."""
    registry = WindowRegistry.of(root_window(parent))
    if registry.reading(asked):
        return

    def opened(found: Any) -> None:
        window = open_with(found)
        if shown is not None:
            shown(window)

    def failed(exc: Exception) -> None:
        if not isinstance(exc, FrontdeskError):
            raise exc
        QMessageBox.warning(parent, "Session note", str(exc))

    # The answer is dropped if the window that asked (and is told of saves) closed meanwhile.
    registry.read_for(asked, run_query(parent, read, opened, failed))


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
    shown: Shown = None,
) -> QWidget | None:
    """The editor for a note picked from a list: the open one brought to the front (and
    returned), else the note is read on a worker and its editor opens when it answers."""
    root = root_window(parent)
    registry = WindowRegistry.of(root)
    found = registry.get(("note", note_id))
    if found is not None:  # open already: brought to the front, nothing to read
        window = registry.show(("note", note_id), lambda: found)
        if shown is not None:
            shown(window)
        return window

    def open_with(note: SessionNoteView) -> QWidget:
        day = f"{note.session_date.day} {note.session_date:%b %Y}"

        def build() -> QWidget:
            return _note_window(
                ctx, note.as_input(), note, f"{heading}, {day}", tz, root, on_saved, cautions
            )

        return WindowRegistry.of(root).show(("note", note.id), build)

    db = ctx.db
    _read_then_open(parent, ("note", note_id), lambda: get_note(db, note_id), open_with, shown)
    return None


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
