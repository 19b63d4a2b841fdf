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
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Row, Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from frontdesk.accounts.operation import by_appointment, by_note, by_patient, field_of, operation
from frontdesk.accounts.permissions import is_allowed, refusal
from frontdesk.clinic import clinic_today, load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    AdverseEvent,
    Appointment,
    NoteNeedling,
    Patient,
    Practitioner,
    SessionNote,
    SessionNoteVersion,
    StaffAccount,
)
from frontdesk.domain import Actor, NotFound, PermissionDenied, Role, StaleRecord, ValidationError
from frontdesk.needling.safety import needle_count_refusal
from frontdesk.needling.service import checked_points, checked_settings
from frontdesk.needling.types import MAX_NEEDLES, AdverseKind, Needling
from frontdesk.notes.types import (
    MAX_TECHNIQUES,
    MAX_TEXT,
    NO_NOTE_YET,
    PAIN_MAX,
    PAIN_MIN,
    NoteVersionView,
    PainPoint,
    SessionNoteInput,
    SessionNoteView,
)
from frontdesk.text import unstorable_errors


@operation("save_note", patient=field_of("data"))
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
    return note_id is None and data.appointment_id is not None and "appointment_id" in str(exc.orig)


_SIGNED = (
    "This session note is signed, so it can no longer be edited; amend it instead "
    "(the signed text stays readable in its history)."
)


_NOT_YOURS = "You can write notes only for treatments you gave."


def _own_note(db: Database, practitioner_id: int) -> None:
    """A practitioner writes, signs and amends the notes of their own treatments only."""
    actor = db.actor
    if (
        actor is not None
        and actor.role is Role.PRACTITIONER
        and actor.practitioner_id != practitioner_id
    ):
        raise PermissionDenied(_NOT_YOURS)


def signing_refusal(actor: Actor | None, practitioner_id: int | None) -> str | None:
    """Why ``actor`` may not sign a note of ``practitioner_id``'s treatment (``None``: a note
    not stored yet), or ``None`` when they may.

    The one home of the rule: ``sign_note`` refuses with these words, and the note editor
    offers its Sign button by them. The signer is whoever is signed in: a practitioner's
    account signs the notes of that practitioner's treatments; an administrator's account
    linked to a practitioner signs any note; an account without a practitioner signs none.
    """
    if actor is None or actor.account_id <= 0:
        return "Sign in to sign or amend a session note."
    if not is_allowed("sign_note", actor.role):
        return refusal("sign_note", actor.role)
    if (
        actor.role is Role.PRACTITIONER
        and practitioner_id is not None
        and actor.practitioner_id != practitioner_id
    ):
        return _NOT_YOURS
    if actor.practitioner_id is None:
        return "Only a practitioner's account can sign a session note."
    return None


def _treating_practitioner(
    s: Session, actor: Actor | None, data: SessionNoteInput, note: SessionNote | None
) -> int | None:
    """Who the note is by when the caller names nobody: the note's own practitioner once it
    exists, else the appointment's, else the practitioner signed in (a note outside an
    appointment). ``None`` when none of these is known."""
    if note is not None:
        return note.practitioner_id
    if data.appointment_id is not None:
        found = s.scalar(
            select(Appointment.practitioner_id).where(Appointment.id == data.appointment_id)
        )
        if found is not None:
            return found
    return actor.practitioner_id if actor is not None else None


_NO_PRACTITIONER = (
    "A note outside an appointment is written by the practitioner who gave the treatment: "
    "sign in with that practitioner's account to write it."
)


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
        if note is not None and note.signed_at is not None:
            raise ValidationError.single("", _SIGNED)
        practitioner_id = data.practitioner_id
        if practitioner_id is None:
            practitioner_id = _treating_practitioner(s, db.actor, data, note)
            if practitioner_id is None:
                raise ValidationError.single("practitioner_id", _NO_PRACTITIONER)
            data = replace(data, practitioner_id=practitioner_id)
        _own_note(db, practitioner_id)
        needling = _validate(s, data, note)
        if note is None:
            note = SessionNote(created_at=now)
            s.add(note)
        note.patient_id = data.patient_id
        note.practitioner_id = practitioner_id
        note.appointment_id = data.appointment_id
        note.techniques = list(data.techniques)
        note.points = data.points
        note.response = data.response
        note.pain_before = data.pain_before
        note.pain_after = data.pain_after
        note.body = data.body
        note.updated_at = now
        s.flush()
        _store_needling(s, note, needling)
        return _view(s, note, load_clinic(s).tz)


def _needling_row(s: Session, note_id: int) -> NoteNeedling | None:
    return s.scalar(select(NoteNeedling).where(NoteNeedling.note_id == note_id))


def _needling_of(s: Session, note_id: int) -> Needling:
    row = _needling_row(s, note_id)
    if row is None:
        return Needling()
    return Needling.from_dict(
        {
            "points": row.points,
            "needles_in": row.needles_in,
            "needles_out": row.needles_out,
            "retention_minutes": row.retention_minutes,
            "electro_hz": row.electro_hz,
            "moxibustion": row.moxibustion,
            "cupping": row.cupping,
        }
    )


def _store_needling(s: Session, note: SessionNote, needling: Needling) -> None:
    """The note's points and needles, in their own row (none while there are none)."""
    row = _needling_row(s, note.id)
    if row is None:
        if needling.is_blank:
            return
        row = NoteNeedling(note_id=note.id)
        s.add(row)
    if _needling_of(s, note.id) == needling and row.id is not None:
        return
    row.points = [p.as_dict() for p in needling.points]
    row.needles_in = needling.needles_in
    row.needles_out = needling.needles_out
    row.retention_minutes = needling.retention_minutes
    row.electro_hz = needling.electro_hz
    row.moxibustion = needling.moxibustion
    row.cupping = needling.cupping
    s.flush()


def _needle_refusal(s: Session, note_id: int, needling: Needling) -> str | None:
    """``needle_count_refusal`` for this note, with the incidents recorded against it."""
    incident = s.scalar(
        select(AdverseEvent.id).where(
            AdverseEvent.note_id == note_id,
            AdverseEvent.kind == AdverseKind.NEEDLE_UNACCOUNTED.value,
        )
    )
    return needle_count_refusal(needling, incident_recorded=incident is not None)


@operation("get_note", patient=by_note, access="open", entity="session_notes", record="note_id")
def get_note(db: Database, note_id: int) -> SessionNoteView:
    """One note; ``NotFound`` if it does not exist."""
    with db.read() as s:
        note = s.get(SessionNote, note_id)
        if note is None:
            raise NotFound("This session note no longer exists.")
        return _view(s, note, load_clinic(s).tz)


@operation(
    "note_for_appointment",
    patient=by_appointment,
    access="open",
    entity="appointments",
    record="appointment_id",
)
def note_for_appointment(db: Database, appointment_id: int) -> SessionNoteView | None:
    """The note written for this appointment, if any."""
    with db.read() as s:
        note = s.scalar(select(SessionNote).where(SessionNote.appointment_id == appointment_id))
        return None if note is None else _view(s, note, load_clinic(s).tz)


@operation("noted_appointments")
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


@operation("list_notes", patient=by_patient, access="open", entity="patients", record="patient_id")
def list_notes(db: Database, patient_id: int) -> list[SessionNoteView]:
    """A patient's notes, most recent session first."""
    with db.read() as s:
        tz = load_clinic(s).tz
        notes = s.scalars(_ordered(patient_id, newest_first=True))
        return [_view(s, n, tz) for n in notes]


@operation("pain_trend", patient=by_patient)
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
        needling=data.needling,
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


def _validate(s: Session, data: SessionNoteInput, note: SessionNote | None) -> Needling:
    """Refuse with every field's problem at once; the needling as it is to be stored."""
    errors: dict[str, str] = {}
    if s.get(Patient, data.patient_id) is None:
        errors["patient_id"] = "Choose the patient this note is about."
    elif note is not None and note.patient_id != data.patient_id:
        errors["patient_id"] = "A note cannot be moved to another patient."
    if data.practitioner_id is None or s.get(Practitioner, data.practitioner_id) is None:
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
    errors.update(
        unstorable_errors(
            (name, getattr(data, name), label)
            for name, label in (
                ("techniques", "list of techniques"),
                ("points", "list of points"),
                ("response", "response"),
                ("body", "note"),
            )
        )
    )
    needling = _checked_needling(data.needling, errors)
    if errors:
        raise ValidationError(errors)
    return needling


def _checked_needling(needling: Needling, errors: dict[str, str]) -> Needling:
    points = checked_points(needling.points, errors, "needling_points")
    for name, label in (("needles_in", "inserted"), ("needles_out", "removed")):
        value = getattr(needling, name)
        if value is not None and not (
            isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_NEEDLES
        ):
            errors[name] = f"Needles {label} is a count from 0 to {MAX_NEEDLES}, or left empty."
    checked_settings(needling.retention_minutes, needling.electro_hz, errors)
    return replace(needling, points=points)


def _view(s: Session, note: SessionNote, tz: ZoneInfo) -> SessionNoteView:
    appointment = s.get(Appointment, note.appointment_id) if note.appointment_id else None
    practitioner = s.get(Practitioner, note.practitioner_id)
    start = appointment.start_at if appointment is not None else None
    amended = _amendments(s, note)
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
        signed_at=note.signed_at,
        signed_by=_account_name(s, note.signed_by_account_id),
        amendments=len(amended),
        amended_at=amended[0].at if amended else None,
        amended_by=amended[0].author_name if amended else "",
        needling=_needling_of(s, note.id),
    )


def _amendments(s: Session, note: SessionNote) -> list[Row[datetime, str]]:
    """A signed note's amendments (time, author), the latest first; none for a draft."""
    if note.signed_at is None:
        return []
    return list(
        s.execute(
            select(SessionNoteVersion.at, SessionNoteVersion.author_name)
            .where(SessionNoteVersion.note_id == note.id, SessionNoteVersion.kind == "amendment")
            .order_by(SessionNoteVersion.number.desc())
        ).all()
    )


def _account_name(s: Session, account_id: int | None) -> str:
    if account_id is None:
        return ""
    account = s.get(StaffAccount, account_id)
    return account.display_name if account is not None else ""


_CONTENT = ("techniques", "points", "response", "pain_before", "pain_after", "body")


def _content(s: Session, note: SessionNote) -> dict[str, object]:
    content = {
        name: (list(getattr(note, name) or ()) if name == "techniques" else getattr(note, name))
        for name in _CONTENT
    }
    needling = _needling_of(s, note.id)
    if not needling.is_blank:
        content["needling"] = needling.as_dict()
    return content


def _add_version(
    s: Session, note: SessionNote, kind: str, actor: Actor, now: datetime, reason: str = ""
) -> None:
    number = (
        s.scalar(
            select(func.max(SessionNoteVersion.number)).where(SessionNoteVersion.note_id == note.id)
        )
        or 0
    ) + 1
    s.add(
        SessionNoteVersion(
            note_id=note.id,
            number=number,
            kind=kind,
            author_account_id=actor.account_id,
            author_name=actor.display_name,
            at=now,
            reason=reason,
            content=_content(s, note),
        )
    )


def _signer(db: Database) -> Actor:
    actor = db.actor
    if actor is None or actor.account_id <= 0:
        raise PermissionDenied("Sign in to sign or amend a session note.")
    return actor


def _locked_note(s: Session, note_id: int) -> SessionNote:
    note = s.scalar(select(SessionNote).where(SessionNote.id == note_id).with_for_update())
    if note is None:
        raise NotFound("This session note no longer exists.")
    return note


@operation("sign_note", patient=by_note)
def sign_note(
    db: Database, note_id: int, *, now: datetime, expected_version: int | None = None
) -> SessionNoteView:
    """Sign the note as the signed-in practitioner: from now on it changes only by amendment.

    The signer is whoever is signed in, never chosen from a list; a practitioner signs only
    notes of their own treatments.
    """
    actor = _signer(db)
    with db.write() as s:
        note = _locked_note(s, note_id)
        refused = signing_refusal(actor, note.practitioner_id)
        if refused is not None:
            raise PermissionDenied(refused)
        if expected_version is not None and note.version != expected_version:
            raise StaleRecord(_STALE)
        if note.signed_at is not None:
            raise ValidationError.single("", "This note is already signed.")
        needles = _needle_refusal(s, note.id, _needling_of(s, note.id))
        if needles is not None:
            raise ValidationError.single("needles_out", needles)
        note.signed_at = now
        note.signed_by_account_id = actor.account_id
        s.flush()
        _add_version(s, note, "signed", actor, now)
        s.flush()
        return _view(s, note, load_clinic(s).tz)


@operation("amend_note", patient=by_note)
def amend_note(
    db: Database,
    note_id: int,
    data: SessionNoteInput,
    reason: str,
    *,
    now: datetime,
    expected_version: int | None = None,
) -> SessionNoteView:
    """Change a signed note: a new version with its author, time and reason; the signed
    text and every earlier amendment stay readable (``note_history``)."""
    actor = _signer(db)
    data = _normalise(data)
    reason = " ".join(reason.split())
    with db.write() as s:
        note = _locked_note(s, note_id)
        _own_note(db, note.practitioner_id)
        if note.signed_at is None:
            raise ValidationError.single("", "This note is not signed yet; edit it directly.")
        if expected_version is not None and note.version != expected_version:
            raise StaleRecord(_STALE)
        if not reason:
            raise ValidationError.single("reason", "Say why the signed note is amended.")
        data = SessionNoteInput(
            **{
                **data.__dict__,
                "patient_id": note.patient_id,
                "practitioner_id": note.practitioner_id,
                "appointment_id": note.appointment_id,
            }
        )
        needling = _validate(s, data, note)
        needles = _needle_refusal(s, note.id, needling)
        if needles is not None:
            raise ValidationError.single("needles_out", needles)
        for name in _CONTENT:
            value = getattr(data, name)
            setattr(note, name, list(value) if name == "techniques" else value)
        note.updated_at = now
        s.flush()
        _store_needling(s, note, needling)
        _add_version(s, note, "amendment", actor, now, reason)
        s.flush()
        return _view(s, note, load_clinic(s).tz)


@operation("note_history", patient=by_note, access="open", entity="session_notes", record="note_id")
def note_history(db: Database, note_id: int) -> list[NoteVersionView]:
    """The signed text and each amendment, oldest first."""
    with db.read() as s:
        rows = s.scalars(
            select(SessionNoteVersion)
            .where(SessionNoteVersion.note_id == note_id)
            .order_by(SessionNoteVersion.number)
        )
        return [
            NoteVersionView(
                number=v.number,
                kind=v.kind,
                author=v.author_name,
                at=v.at,
                reason=v.reason,
                techniques=tuple(v.content.get("techniques") or ()),
                points=v.content.get("points", ""),
                response=v.content.get("response", ""),
                pain_before=v.content.get("pain_before"),
                pain_after=v.content.get("pain_after"),
                body=v.content.get("body", ""),
                needling=Needling.from_dict(v.content.get("needling")),
            )
            for v in rows
        ]


@operation("sign_due_notes")
def sign_due_notes(db: Database, *, now: datetime) -> int:
    """At the end of the day: sign the signed-in practitioner's unsigned notes of sessions
    before today (the clinic's today). The number signed."""
    actor = _signer(db)
    if actor.practitioner_id is None:
        return 0
    with db.write() as s:
        tz = load_clinic(s).tz
        today = clinic_today(now, tz)
        notes = s.scalars(
            select(SessionNote)
            .where(
                SessionNote.practitioner_id == actor.practitioner_id,
                SessionNote.signed_at.is_(None),
            )
            .with_for_update()
        )
        signed = 0
        for note in notes:
            if _view(s, note, tz).session_date >= today:
                continue
            if _needle_refusal(s, note.id, _needling_of(s, note.id)) is not None:
                continue  # the needle count must be settled by the practitioner first
            note.signed_at = now
            note.signed_by_account_id = actor.account_id
            s.flush()
            _add_version(s, note, "signed", actor, now)
            signed += 1
        return signed
