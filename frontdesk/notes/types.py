"""The session-notes vocabulary: what a practitioner writes after a treatment, as frozen values.

Kept apart from the service so the note editor, the chart and tests can hold notes (and the pain
trend drawn from them) without a database session behind them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from frontdesk.needling.types import Needling

PAIN_MIN, PAIN_MAX = 0, 10
MAX_TEXT = 20_000  # characters per free-text field: pages of notes, never a pasted file
MAX_TECHNIQUES = 20
NO_NOTE_YET = 0  # expected_version for "I saw no note": stored notes start at version 1


@dataclass(frozen=True)
class SessionNoteInput:
    """The note form's content. ``techniques`` are home-care library technique codes
    (``"acupuncture"``) or free text; a pain score of ``None`` means "not recorded".

    ``practitioner_id`` is who gave the treatment. ``None`` leaves it to ``save_note``: the
    appointment's practitioner, or for a note outside an appointment the practitioner signed
    in; the note editor never picks one from a list."""

    patient_id: int
    practitioner_id: int | None
    appointment_id: int | None
    techniques: tuple[str, ...] = ()
    points: str = ""
    response: str = ""
    pain_before: int | None = None
    pain_after: int | None = None
    body: str = ""
    needling: Needling = field(
        default_factory=Needling
    )  # points, needles and stimulation (issue 18)

    @property
    def is_blank(self) -> bool:
        """Nothing written yet: an editor need not store a note for it."""
        return (
            self.needling.is_blank
            and not self.techniques
            and not (self.points.strip() or self.response.strip() or self.body.strip())
            and self.pain_before is None
            and self.pain_after is None
        )


@dataclass(frozen=True)
class SessionNoteView:
    """A stored note; ``session_date`` is the local day of its appointment (or of writing).

    ``version`` goes back to ``save_note`` as ``expected_version`` with the next edit.
    """

    id: int
    patient_id: int
    practitioner_id: int
    practitioner_name: str
    appointment_id: int | None
    appointment_start: datetime | None
    session_date: date
    techniques: tuple[str, ...]
    points: str
    response: str
    pain_before: int | None
    pain_after: int | None
    body: str
    created_at: datetime
    updated_at: datetime
    version: int = 1
    signed_at: datetime | None = None
    signed_by: str = ""  # the signing account's display name
    amendments: int = 0  # amendments since signing (``note_history`` holds each version)
    amended_at: datetime | None = None  # the latest amendment's time
    amended_by: str = ""  # the latest amendment's author
    needling: Needling = field(default_factory=Needling)

    @property
    def is_signed(self) -> bool:
        """Signed notes change only by amendment (``amend_note``)."""
        return self.signed_at is not None

    def as_input(self) -> SessionNoteInput:
        """The content as editable input, to pre-fill the editor."""
        return SessionNoteInput(
            patient_id=self.patient_id,
            practitioner_id=self.practitioner_id,
            appointment_id=self.appointment_id,
            techniques=self.techniques,
            points=self.points,
            response=self.response,
            pain_before=self.pain_before,
            pain_after=self.pain_after,
            body=self.body,
            needling=self.needling,
        )


class PainPoint(NamedTuple):
    """One session on the pain chart: its local day and the scores recorded (or None)."""

    day: date
    pain_before: int | None
    pain_after: int | None


@dataclass(frozen=True)
class NoteVersionView:
    """One signed state of a note: the signature (number 1), then each amendment."""

    number: int
    kind: str  # "signed" or "amendment"
    author: str
    at: datetime
    reason: str
    techniques: tuple[str, ...]
    points: str
    response: str
    pain_before: int | None
    pain_after: int | None
    body: str
    needling: Needling = field(default_factory=Needling)
