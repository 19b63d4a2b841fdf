"""Point prescriptions and adverse events: the services behind the point picker and the chart.

Point prescriptions are the clinic's saved point sets per condition ("Neck, pinched nerve");
applying one fills the session's points, which the practitioner then adjusts in the note.
Adverse events are recorded with what was done, never edited or deleted, listed on the chart
and counted in ``adverse_event_report``.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.accounts.operation import by_patient, field_of, operation
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    AdverseEvent,
    Patient,
    PointPrescription,
    Practitioner,
    SessionNote,
    StaffAccount,
)
from frontdesk.domain import NotFound, ValidationError
from frontdesk.needling.catalogue import find_point
from frontdesk.needling.types import (
    MAX_ELECTRO_HZ,
    MAX_RETENTION_MINUTES,
    AdverseEventInput,
    AdverseEventView,
    AdverseKind,
    ChosenPoint,
    Needling,
    PrescriptionInput,
    PrescriptionView,
    Side,
)
from frontdesk.text import unstorable_errors

MAX_ACTION = 4000


def checked_points(
    points: tuple[ChosenPoint, ...], errors: dict[str, str], key: str = "points"
) -> tuple[ChosenPoint, ...]:
    """The points with catalogue codes ("sj5" -> TE5), midline points without a side, each
    point once; an unknown code is an error under ``"points"``."""
    out: dict[str, ChosenPoint] = {}
    unknown = []
    for chosen in points:
        point = find_point(chosen.code)
        if point is None:
            unknown.append(chosen.code.strip() or "(blank)")
            continue
        side = Side.MIDLINE if point.midline else chosen.side
        if side is Side.MIDLINE and not point.midline:
            side = Side.BOTH
        previous = out.get(point.code)
        if previous is not None and previous.side is not side and not point.midline:
            side = Side.BOTH  # left and right chosen separately: both sides
        out[point.code] = ChosenPoint(point.code, side)
    if unknown:
        errors[key] = f"Not in the point catalogue: {', '.join(unknown)}."
    return tuple(out.values())


def checked_settings(retention: int | None, electro_hz: int | None, errors: dict[str, str]) -> None:
    if retention is not None and not 0 <= retention <= MAX_RETENTION_MINUTES:
        errors["retention_minutes"] = (
            f"Retention is in minutes, from 0 to {MAX_RETENTION_MINUTES}, or left empty."
        )
    if electro_hz is not None and not 0 < electro_hz <= MAX_ELECTRO_HZ:
        errors["electro_hz"] = (
            f"The electro-stimulation frequency is from 1 to {MAX_ELECTRO_HZ} Hz, or left "
            "empty when none was given."
        )


def _prescription_view(row: PointPrescription) -> PrescriptionView:
    return PrescriptionView(
        id=row.id,
        name=row.name,
        condition=row.condition,
        points=tuple(ChosenPoint.from_dict(p) for p in row.points or ()),
        retention_minutes=row.retention_minutes,
        electro_hz=row.electro_hz,
        moxibustion=row.moxibustion,
        cupping=row.cupping,
        notes=row.notes,
    )


@operation("list_point_prescriptions")
def list_point_prescriptions(db: Database) -> list[PrescriptionView]:
    """The clinic's point prescriptions in use, by name."""
    with db.read() as s:
        rows = s.scalars(
            select(PointPrescription)
            .where(PointPrescription.active.is_(True))
            .order_by(PointPrescription.name)
        )
        return [_prescription_view(r) for r in rows]


@operation("save_point_prescription")
def save_point_prescription(
    db: Database, prescription_id: int | None, data: PrescriptionInput, *, now: datetime
) -> PrescriptionView:
    """Add a prescription (``prescription_id`` None) or change one; ``ValidationError`` for a
    blank or taken name, an unknown point or a setting out of range, nothing stored."""
    errors: dict[str, str] = {}
    name = " ".join(data.name.split())
    if not name:
        errors["name"] = "Give the prescription a name, e.g. the condition it treats."
    points = checked_points(data.points, errors)
    if not points and "points" not in errors:
        errors["points"] = "Choose at least one point."
    checked_settings(data.retention_minutes, data.electro_hz, errors)
    errors.update(
        unstorable_errors(
            (
                ("name", name, "name"),
                ("condition", data.condition, "condition"),
                ("notes", data.notes, "notes"),
            )
        )
    )
    with db.write() as s:
        taken = s.scalar(select(PointPrescription.id).where(PointPrescription.name == name))
        if taken is not None and taken != prescription_id:
            errors["name"] = f"There is already a prescription named {name}."
        if errors:
            raise ValidationError(errors)
        if prescription_id is None:
            row = PointPrescription(created_at=now)
            s.add(row)
        else:
            found = s.get(PointPrescription, prescription_id)
            if found is None:
                raise NotFound("This point prescription no longer exists.")
            row = found
        row.name = name
        row.condition = " ".join(data.condition.split())
        row.points = [p.as_dict() for p in points]
        row.retention_minutes = data.retention_minutes
        row.electro_hz = data.electro_hz
        row.moxibustion = data.moxibustion
        row.cupping = data.cupping
        row.notes = data.notes.strip()
        row.active = True
        s.flush()
        return _prescription_view(row)


@operation("apply_point_prescription")
def apply_point_prescription(db: Database, prescription_id: int, needling: Needling) -> Needling:
    """The session's needling with the prescription's points added (points already chosen
    keep their side) and its settings where the session has none yet; the needle count
    follows the points. Nothing is stored: the note editor saves the result as the note."""
    with db.read() as s:
        row = s.get(PointPrescription, prescription_id)
        if row is None:
            raise NotFound("This point prescription no longer exists.")
        prescription = _prescription_view(row)
    have = {p.code for p in needling.points}
    points = needling.points + tuple(p for p in prescription.points if p.code not in have)
    applied = Needling(points=points)
    return Needling(
        points=points,
        needles_in=applied.needle_count,
        needles_out=needling.needles_out,
        retention_minutes=(
            needling.retention_minutes
            if needling.retention_minutes is not None
            else prescription.retention_minutes
        ),
        electro_hz=needling.electro_hz
        if needling.electro_hz is not None
        else prescription.electro_hz,
        moxibustion=needling.moxibustion or prescription.moxibustion,
        cupping=needling.cupping or prescription.cupping,
    )


def _account_name(s: Session, account_id: int | None) -> str:
    account = s.get(StaffAccount, account_id) if account_id is not None else None
    return account.display_name if account is not None else ""


def _event_view(s: Session, row: AdverseEvent) -> AdverseEventView:
    practitioner = s.get(Practitioner, row.practitioner_id)
    return AdverseEventView(
        id=row.id,
        patient_id=row.patient_id,
        practitioner_name=practitioner.display_name if practitioner else "",
        note_id=row.note_id,
        kind=AdverseKind(row.kind),
        occurred_at=row.occurred_at,
        description=row.description,
        action_taken=row.action_taken,
        recorded_by=_account_name(s, row.recorded_by_account_id),
    )


@operation("record_adverse_event", patient=field_of("data"))
def record_adverse_event(
    db: Database, data: AdverseEventInput, *, now: datetime
) -> AdverseEventView:
    """Record what went wrong and what was done. Tied to a note it is by that note's
    practitioner; otherwise by the practitioner signed in. ``ValidationError`` when what was
    done is left blank, the note is another patient's, or no practitioner is known."""
    errors: dict[str, str] = {}
    action = data.action_taken.strip()
    if not action:
        errors["action_taken"] = "Say what was done, e.g. pressure applied for two minutes."
    elif len(action) > MAX_ACTION or len(data.description) > MAX_ACTION:
        errors["action_taken"] = f"Keep this under {MAX_ACTION:,} characters."
    try:
        kind = AdverseKind(data.kind)
    except ValueError:
        errors["kind"] = "Choose what happened from the list."
        kind = AdverseKind.OTHER
    errors.update(
        unstorable_errors(
            (
                ("action_taken", action, "action taken"),
                ("description", data.description, "description"),
            )
        )
    )
    actor = db.actor
    with db.write() as s:
        if s.get(Patient, data.patient_id) is None:
            errors["patient_id"] = "Choose the patient this happened to."
        practitioner_id = actor.practitioner_id if actor is not None else None
        if data.note_id is not None:
            note = s.get(SessionNote, data.note_id)
            if note is None or note.patient_id != data.patient_id:
                errors["note_id"] = "That session note is not this patient's."
            else:
                practitioner_id = note.practitioner_id
        if practitioner_id is None:
            errors.setdefault(
                "practitioner_id",
                "Record it from the session note, or signed in as the treating practitioner.",
            )
        if errors:
            raise ValidationError(errors)
        assert practitioner_id is not None
        row = AdverseEvent(
            patient_id=data.patient_id,
            practitioner_id=practitioner_id,
            note_id=data.note_id,
            kind=kind.value,
            occurred_at=data.occurred_at or now,
            description=data.description.strip(),
            action_taken=action,
            recorded_by_account_id=actor.account_id if actor and actor.account_id > 0 else None,
            recorded_at=now,
        )
        s.add(row)
        s.flush()
        return _event_view(s, row)


@operation(
    "list_adverse_events",
    patient=by_patient,
    access="open",
    entity="patients",
    record="patient_id",
)
def list_adverse_events(db: Database, patient_id: int) -> list[AdverseEventView]:
    """A patient's adverse events, the latest first, for the chart."""
    with db.read() as s:
        rows = s.scalars(
            select(AdverseEvent)
            .where(AdverseEvent.patient_id == patient_id)
            .order_by(AdverseEvent.occurred_at.desc(), AdverseEvent.id.desc())
        )
        return [_event_view(s, r) for r in rows]


@operation("adverse_event_report")
def adverse_event_report(db: Database, *, start: datetime, end: datetime) -> dict[AdverseKind, int]:
    """How many adverse events of each kind occurred from ``start`` up to ``end`` (every
    kind listed, zero included), for the clinic's safety review."""
    with db.read() as s:
        kinds = s.scalars(
            select(AdverseEvent.kind).where(
                AdverseEvent.occurred_at >= start, AdverseEvent.occurred_at < end
            )
        )
        counted = Counter(AdverseKind(k) for k in kinds)
    return {kind: counted.get(kind, 0) for kind in AdverseKind}
