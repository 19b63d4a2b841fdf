"""Writing and reading session notes, and the pain trend the chart draws from them.

There is at most one note per appointment (a constraint in the schema). ``save_note`` is an
upsert so an editor that autosaves every few seconds needs no "create first, then update" dance
and two editors opened on the same appointment end up writing the same note.

Every note carries a ``version``. An editor hands back the version it loaded as
``expected_version`` (``NO_NOTE_YET`` when it saw no note), so a save made at another
workstation in between is refused with ``StaleRecord`` instead of being overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from frontdesk.clinic import load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, Patient, Practitioner, SessionNote
from frontdesk.domain import NotFound, StaleRecord, ValidationError
from frontdesk.notes.types import (
    MAX_TECHNIQUES,
    MAX_TEXT,
    NO_NOTE_YET,
    PAIN_MAX,
    PAIN_MIN,
    PainPoint,
    SessionNoteInput,
    SessionNoteView,
)
from frontdesk.text import unstorable_errors


def save_note(
    db: Database,
    note_id: int | None,
    data: SessionNoteInput,
    *,
    now: datetime,
    expected_version: int | None = None,
) -> SessionNoteView:
    """Store the note: update ``note_id``, or the appointment's existing note, or add one.

    ``expected_version`` is the ``version`` of the note as the caller loaded it, or
    ``NO_NOTE_YET`` when it saw none; ``StaleRecord`` (nothing stored) when the note was saved
    or started elsewhere since. ``None`` skips the check (scripts, imports).
    ``ValidationError`` (nothing stored) for a pain score outside 0 to 10, an appointment of
    another patient, or a patient/practitioner that does not exist; ``NotFound`` when
    ``note_id`` names a note that was deleted.
    """
    data = _normalise(data)
    try:
        try:
            return _save(db, note_id, data, now=now, expected_version=expected_version)
        except IntegrityError as exc:
            if not _lost_first_note_race(exc, note_id, data):
                raise
            # Another desk added this appointment's first note after our look for one (on
            # PostgreSQL there was no row yet to lock): nothing of ours was stored.
            if expected_version is None:  # no check asked for: save over it, as for an update
                return _save(db, note_id, data, now=now, expected_version=None)
            with db.read() as s:
                raise _started_elsewhere(s, _note_to_update(s, None, data)) from exc
    except StaleDataError as exc:  # the row changed under us despite the lock
        raise StaleRecord(_STALE) from exc


def _lost_first_note_race(exc: IntegrityError, note_id: int | None, data: SessionNoteInput) -> bool:
    """The unique appointment of session notes refused our new note."""
    return (note_id is None and data.appointment_id is not None
            and "appointment_id" in str(exc.orig))  # fmt: skip


_STALE = (
    "This session note was changed at another workstation after you opened it. "
    "Your text is still on screen; reload the note to see the other changes."
)


def _save(
    db: Database,
    note_id: int | None,
    data: SessionNoteInput,
    *,
    now: datetime,
    expected_version: int | None,
) -> SessionNoteView:
    with db.write() as s:
        note = _note_to_update(s, note_id, data)
        if expected_version is not None:
            _check_version(s, note, expected_version)
        _validate(s, data, note)
        if note is None:
            note = SessionNote(created_at=now)
            s.add(note)
        note.patient_id = data.patient_id
        note.practitioner_id = data.practitioner_id
        note.appointment_id = data.appointment_id
        note.techniques = list(data.techniques)
        note.points = data.points
        note.response = data.response
        note.pain_before = data.pain_before
        note.pain_after = data.pain_after
        note.body = data.body
        note.updated_at = now
        s.flush()
        return _view(s, note, load_clinic(s).tz)


def get_note(db: Database, note_id: int) -> SessionNoteView:
    """One note; ``NotFound`` if it does not exist."""
    with db.read() as s:
        note = s.get(SessionNote, note_id)
        if note is None:
            raise NotFound("This session note no longer exists.")
        return _view(s, note, load_clinic(s).tz)


def note_for_appointment(db: Database, appointment_id: int) -> SessionNoteView | None:
    """The note written for this appointment, if any."""
    with db.read() as s:
        note = s.scalar(select(SessionNote).where(SessionNote.appointment_id == appointment_id))
        return None if note is None else _view(s, note, load_clinic(s).tz)


def noted_appointments(db: Database, appointment_ids: Iterable[int]) -> set[int]:
    """Which of these appointments already have a note (one query for a whole day list)."""
    ids = list(set(appointment_ids))
    if not ids:
        return set()
    with db.read() as s:
        found = s.scalars(
            select(SessionNote.appointment_id).where(SessionNote.appointment_id.in_(ids))
        )
        return {i for i in found if i is not None}


def list_notes(db: Database, patient_id: int) -> list[SessionNoteView]:
    """A patient's notes, most recent session first."""
    with db.read() as s:
        tz = load_clinic(s).tz
        notes = s.scalars(_ordered(patient_id, newest_first=True))
        return [_view(s, n, tz) for n in notes]


def pain_trend(db: Database, patient_id: int, *, course_id: int | None = None) -> list[PainPoint]:
    """Pain before/after per session, oldest first, for notes that recorded at least one score.

    With ``course_id`` only the sessions of that treatment course count.
    """
    query = _ordered(patient_id).where(
        (SessionNote.pain_before.is_not(None)) | (SessionNote.pain_after.is_not(None))
    )
    if course_id is not None:
        query = query.where(Appointment.course_id == course_id)
    with db.read() as s:
        tz = load_clinic(s).tz
        return [
            PainPoint(_view(s, n, tz).session_date, n.pain_before, n.pain_after)
            for n in s.scalars(query)
        ]


def _ordered(patient_id: int, *, newest_first: bool = False) -> Select[SessionNote]:
    """A patient's notes in session order: by the appointment's start, else by writing time."""
    when = func.coalesce(Appointment.start_at, SessionNote.created_at)
    order = (when.desc(), SessionNote.id.desc()) if newest_first else (when, SessionNote.id)
    return (
        select(SessionNote)
        .outerjoin(Appointment, Appointment.id == SessionNote.appointment_id)
        .where(SessionNote.patient_id == patient_id)
        .order_by(*order)
    )


def _normalise(data: SessionNoteInput) -> SessionNoteInput:
    techniques: list[str] = []
    for value in data.techniques:
        text = " ".join(str(value).split())
        if text and text not in techniques:
            techniques.append(text)
    return SessionNoteInput(
        patient_id=data.patient_id,
        practitioner_id=data.practitioner_id,
        appointment_id=data.appointment_id,
        techniques=tuple(techniques),
        points=data.points.strip(),
        response=data.response.strip(),
        pain_before=data.pain_before,
        pain_after=data.pain_after,
        body=data.body.rstrip(),
    )


def _note_to_update(s: Session, note_id: int | None, data: SessionNoteInput) -> SessionNote | None:
    if note_id is not None:
        note = s.scalar(select(SessionNote).where(SessionNote.id == note_id).with_for_update())
        if note is None:
            raise NotFound("This session note no longer exists; it may have been deleted.")
        return note
    if data.appointment_id is None:
        return None
    # No note row to lock yet: lock the appointment instead, so two desks starting its first
    # note take turns (PostgreSQL; SQLite's write transactions already do) and the second
    # one sees the first one's note below.
    s.execute(
        select(Appointment.id)
        .where(Appointment.id == data.appointment_id)
        .with_for_update(key_share=True)
    )
    return s.scalar(
        select(SessionNote)
        .where(SessionNote.appointment_id == data.appointment_id)
        .with_for_update()
    )


def _check_version(s: Session, note: SessionNote | None, expected: int) -> None:
    if note is None:
        if expected != NO_NOTE_YET:
            raise NotFound("This session note no longer exists; it may have been deleted.")
        return
    if expected == NO_NOTE_YET:
        raise _started_elsewhere(s, note)
    if note.version != expected:
        raise StaleRecord(_STALE)


def _started_elsewhere(s: Session, note: SessionNote | None) -> StaleRecord:
    who = s.get(Practitioner, note.practitioner_id) if note is not None else None
    name = who.display_name if who is not None else "Someone"
    return StaleRecord(
        f"{name} already started the note for this appointment at another workstation. "
        "Your text is still on screen; reload the note to see theirs."
    )


def _validate(s: Session, data: SessionNoteInput, note: SessionNote | None) -> None:
    errors: dict[str, str] = {}
    if s.get(Patient, data.patient_id) is None:
        errors["patient_id"] = "Choose the patient this note is about."
    elif note is not None and note.patient_id != data.patient_id:
        errors["patient_id"] = "A note cannot be moved to another patient."
    if s.get(Practitioner, data.practitioner_id) is None:
        errors["practitioner_id"] = "Choose the practitioner who gave the treatment."
    if data.appointment_id is not None:
        appointment = s.get(Appointment, data.appointment_id)
        if appointment is None:
            errors["appointment_id"] = "That appointment no longer exists."
        elif appointment.patient_id != data.patient_id:
            errors["appointment_id"] = "That appointment belongs to another patient."
        else:
            other = s.scalar(
                select(SessionNote.id).where(SessionNote.appointment_id == data.appointment_id)
            )
            if other is not None and (note is None or other != note.id):
                errors["appointment_id"] = "That appointment already has a session note."
    for name, label in (("pain_before", "before"), ("pain_after", "after")):
        value = getattr(data, name)
        if value is not None and not (
            isinstance(value, int) and not isinstance(value, bool) and PAIN_MIN <= value <= PAIN_MAX
        ):
            errors[name] = (
                f"Pain {label} treatment must be a whole number from {PAIN_MIN} to {PAIN_MAX}, "
                "or left as not recorded."
            )
    if len(data.techniques) > MAX_TECHNIQUES:
        errors["techniques"] = f"At most {MAX_TECHNIQUES} techniques per session."
    for name in ("points", "response", "body"):
        if len(getattr(data, name)) > MAX_TEXT:
            errors[name] = f"Keep this under {MAX_TEXT:,} characters."
    errors.update(unstorable_errors((name, getattr(data, name), label) for name, label in (
        ("techniques", "list of techniques"), ("points", "list of points"),
        ("response", "response"), ("body", "note"))))
    if errors:
        raise ValidationError(errors)


def _view(s: Session, note: SessionNote, tz: ZoneInfo) -> SessionNoteView:
    appointment = s.get(Appointment, note.appointment_id) if note.appointment_id else None
    practitioner = s.get(Practitioner, note.practitioner_id)
    start = appointment.start_at if appointment is not None else None
    return SessionNoteView(
        id=note.id,
        patient_id=note.patient_id,
        practitioner_id=note.practitioner_id,
        practitioner_name=practitioner.display_name if practitioner else "",
        appointment_id=note.appointment_id,
        appointment_start=start,
        session_date=(start or note.created_at).astimezone(tz).date(),
        techniques=tuple(note.techniques or ()),
        points=note.points,
        response=note.response,
        pain_before=note.pain_before,
        pain_after=note.pain_after,
        body=note.body,
        created_at=note.created_at,
        updated_at=note.updated_at,
        version=note.version,
    )
