"""Session notes: what was done in a treatment, how the patient responded, pain before/after.

Import from here. Plain functions over a ``Database`` returning frozen DTOs; the note editor
autosaves through ``save_note`` and the patient chart draws ``pain_trend``.
"""

from frontdesk.notes.service import (
    amend_note,
    get_note,
    list_notes,
    note_for_appointment,
    note_history,
    noted_appointments,
    pain_trend,
    save_note,
    sign_due_notes,
    sign_note,
    signing_refusal,
)
from frontdesk.notes.types import (
    NO_NOTE_YET,
    PAIN_MAX,
    PAIN_MIN,
    NoteVersionView,
    PainPoint,
    SessionNoteInput,
    SessionNoteView,
)

__all__ = [
    "NO_NOTE_YET",
    "PAIN_MAX",
    "PAIN_MIN",
    "NoteVersionView",
    "PainPoint",
    "SessionNoteInput",
    "SessionNoteView",
    "amend_note",
    "get_note",
    "list_notes",
    "note_for_appointment",
    "note_history",
    "noted_appointments",
    "pain_trend",
    "save_note",
    "sign_due_notes",
    "sign_note",
    "signing_refusal",
]
