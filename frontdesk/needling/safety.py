"""The needle count: every needle inserted is accounted for before the note is signed.

The one home of the rule. ``sign_note`` and ``amend_note`` refuse with these words and
``sign_due_notes`` leaves such a note unsigned; the note editor asks for the count removed
when it signs. A count that differs from the count inserted is resolved either by finding the
needle (the count corrected) or by recording it as an incident, an adverse event of kind
``needle_unaccounted`` tied to the note.
"""

from __future__ import annotations

from frontdesk.needling.types import Needling


def needles_to_count(needling: Needling) -> bool:
    """Needles were inserted, so the count removed must be asked for."""
    return bool(needling.needles_in)


def needle_count_refusal(needling: Needling, *, incident_recorded: bool) -> str | None:
    """Why a note with this needling may not be signed yet, or ``None`` when it may."""
    inserted, removed = needling.needles_in, needling.needles_out
    if not inserted:
        return None
    if removed is None:
        return f"{inserted} needles were inserted: enter how many were removed before signing."
    if removed == inserted or incident_recorded:
        return None
    if removed < inserted:
        missing = inserted - removed
        which = "needle is" if missing == 1 else "needles are"
        return (
            f"{inserted} needles were inserted but {removed} removed: {missing} {which} not "
            "accounted for. Check the patient, the couch and the sharps container; correct "
            "the count once found, or record it as an incident, then sign."
        )
    return (
        f"{removed} needles were counted out but only {inserted} inserted: correct the "
        "counts, or record it as an incident, then sign."
    )
