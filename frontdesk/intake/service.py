"""Storing intakes and consents, and the cautions the chart and the note editor show.

Reception hands the intake form to the patient and saves it, but may not read the answers
afterwards: ``save_intake`` answers with an ``IntakeSaved`` that carries none of them, and the
reading operations are the clinical roles' (see ``frontdesk.accounts.permissions``). Nothing is
ever overwritten: each intake and each consent is a new row, the latest is the current one, and
each keeps the wording it was answered or signed with. Saving writes audit rows (the change
itself); reading an intake or printing a consent writes an access row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.accounts.operation import arg, by_patient, field_of, operation
from frontdesk.db.engine import Database
from frontdesk.db.models import ConsentRecord, IntakeResponse, Patient
from frontdesk.domain import NotFound, ValidationError
from frontdesk.intake.forms import ConsentForm, Forms, IntakeForm, load_forms
from frontdesk.intake.types import (
    MAX_ANSWER,
    MAX_SIGNATURE_BYTES,
    AnsweredQuestion,
    Caution,
    ConsentInput,
    ConsentView,
    IntakeInput,
    IntakeRecord,
    IntakeSaved,
    IntakeView,
)
from frontdesk.names import display_name
from frontdesk.text import unstorable_errors

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _who(db: Database) -> tuple[int | None, str]:
    actor = db.actor
    if actor is None:
        return None, "unknown"
    return (actor.account_id if actor.account_id > 0 else None), actor.display_name


def _patient(s: Session, patient_id: int) -> Patient:
    patient = s.get(Patient, patient_id)
    if patient is None:
        raise ValidationError.single("patient_id", "This patient does not exist.")
    return patient


# ----- intake ---------------------------------------------------------------------------------


def check_answers(form: IntakeForm, data: IntakeInput) -> list[dict[str, Any]]:
    """The answers as stored (in the form's order, with its wording and the cautions raised);
    ``ValidationError`` keyed by question id for a required question left blank, an answer the
    question does not offer, or text too long to keep."""
    given = {a.question_id: a for a in data.answers}
    errors: dict[str, str] = {}
    unknown = sorted(set(given) - {q.id for q in form.questions})
    if unknown:
        errors[""] = f"The form “{form.title}” has no question “{unknown[0]}”."
    rows: list[dict[str, Any]] = []
    for q in form.questions:
        found = given.get(q.id)
        answer = found.answer.strip() if found else ""
        detail = found.detail.strip() if found else ""
        if q.required and not answer:
            errors[q.id] = "Please answer this question."
        elif answer and q.choices and answer not in q.choices:
            errors[q.id] = f"Choose one of: {', '.join(q.choices)}."
        elif len(answer) > MAX_ANSWER or len(detail) > MAX_ANSWER:
            errors[q.id] = f"Please keep this answer under {MAX_ANSWER:,} characters."
        errors.update(unstorable_errors([(q.id, (answer, detail), "This answer")]))
        rows.append(
            {
                "id": q.id,
                "label": q.label,
                "answer": answer,
                "detail": detail,
                "caution": q.caution if q.raises_caution(answer) else "",
            }
        )
    if errors:
        raise ValidationError(errors)
    return rows


@operation("save_intake", patient=field_of("data"))
def save_intake(
    db: Database, data: IntakeInput, *, now: datetime, forms: Forms | None = None
) -> IntakeSaved:
    """Store a filled-in intake as a new record (an earlier one stays as it was).

    ``ValidationError`` (nothing stored) for an unknown form or patient, a required answer
    missing, or an answer the question does not offer."""
    form = (forms or load_forms()).intake(data.form_code)
    if form is None:
        raise ValidationError.single("form_code", f"There is no intake form “{data.form_code}”.")
    rows = check_answers(form, data)
    account_id, name = _who(db)
    with db.write() as s:
        _patient(s, data.patient_id)
        row = IntakeResponse(
            patient_id=data.patient_id,
            form_code=form.code,
            form_title=form.title,
            form_version=form.version,
            answers=rows,
            completed_at=now,
            recorded_by_account_id=account_id,
            recorded_by_name=name,
        )
        s.add(row)
        s.flush()
        return IntakeSaved(row.id, row.patient_id, row.completed_at)


def _intake_view(row: IntakeResponse) -> IntakeView:
    return IntakeView(
        id=row.id,
        patient_id=row.patient_id,
        form_code=row.form_code,
        form_title=row.form_title,
        form_version=row.form_version,
        answers=tuple(
            AnsweredQuestion(
                str(a.get("id", "")),
                str(a.get("label", "")),
                str(a.get("answer", "")),
                str(a.get("detail", "")),
                str(a.get("caution", "")),
            )
            for a in row.answers
        ),
        completed_at=row.completed_at,
        recorded_by=row.recorded_by_name,
    )


def _intakes(s: Session, patient_id: int) -> list[IntakeResponse]:
    return list(
        s.scalars(
            select(IntakeResponse)
            .where(IntakeResponse.patient_id == patient_id)
            .order_by(IntakeResponse.completed_at.desc(), IntakeResponse.id.desc())
        )
    )


@operation(
    "read_intakes", patient=by_patient, access="open", entity="patients", record="patient_id"
)
def read_intakes(db: Database, patient_id: int) -> list[IntakeView]:
    """Every intake of the patient with its answers, the latest first."""
    with db.read() as s:
        return [_intake_view(r) for r in _intakes(s, patient_id)]


def cautions_of(intakes: list[IntakeView] | tuple[IntakeView, ...]) -> list[Caution]:
    """The cautions of the latest intake per form, given intakes the latest first (an older
    intake's caution the patient has since answered "no" to is not shown)."""
    latest: dict[str, IntakeView] = {}
    for view in intakes:
        latest.setdefault(view.form_code, view)
    return [
        Caution(a.question_id, a.caution, a.detail, view.id, view.completed_at)
        for view in latest.values()
        for a in view.cautions
    ]


@operation(
    "intake_cautions", patient=by_patient, access="open", entity="patients", record="patient_id"
)
def intake_cautions(db: Database, patient_id: int) -> list[Caution]:
    """The cautions the patient's latest intake raises, in the form's order (``cautions_of``)."""
    with db.read() as s:
        return cautions_of([_intake_view(r) for r in _intakes(s, patient_id)])


@operation(
    "intake_record", patient=by_patient, access="open", entity="patients", record="patient_id"
)
def intake_record(db: Database, patient_id: int) -> IntakeRecord:
    """The patient's intakes and signed consents in one read (the chart's, one access row)."""
    with db.read() as s:
        patient = _patient(s, patient_id)
        consents = s.scalars(
            select(ConsentRecord)
            .where(ConsentRecord.patient_id == patient_id)
            .order_by(ConsentRecord.signed_at.desc(), ConsentRecord.id.desc())
        )
        return IntakeRecord(
            tuple(_intake_view(r) for r in _intakes(s, patient_id)),
            tuple(_consent_view(r, patient) for r in consents),
        )


# ----- consent --------------------------------------------------------------------------------


def check_consent(form: ConsentForm | None, data: ConsentInput) -> dict[str, str]:
    """Per-field problems with a consent before it is stored (empty when there are none)."""
    errors: dict[str, str] = {}
    if form is None:
        errors["form_code"] = f"There is no consent form “{data.form_code}”."
    if not data.signer_name.strip():
        errors["signer_name"] = "Enter the name of the person signing."
    elif len(data.signer_name.strip()) > 200:
        errors["signer_name"] = "Please keep the name under 200 characters."
    else:
        errors.update(unstorable_errors([("signer_name", data.signer_name, "The name")]))
    if not data.signature_png:
        errors["signature"] = "Ask the patient to sign in the box first."
    elif not data.signature_png.startswith(PNG_MAGIC) or len(data.signature_png) > (
        MAX_SIGNATURE_BYTES
    ):
        errors["signature"] = "The signature could not be kept; ask the patient to sign again."
    return errors


@operation("record_consent", patient=field_of("data"))
def record_consent(
    db: Database, data: ConsentInput, *, now: datetime, forms: Forms | None = None
) -> ConsentView:
    """Store a signed consent, witnessed by whoever is signed in, at ``now``."""
    form = (forms or load_forms()).consent(data.form_code)
    errors = check_consent(form, data)
    if errors or form is None:
        raise ValidationError(errors)
    account_id, name = _who(db)
    with db.write() as s:
        patient = _patient(s, data.patient_id)
        row = ConsentRecord(
            patient_id=data.patient_id,
            form_code=form.code,
            title=form.title,
            form_version=form.version,
            text=form.text,
            signer_name=data.signer_name.strip(),
            signature_png=data.signature_png,
            signed_at=now,
            witness_account_id=account_id,
            witness_name=name,
        )
        s.add(row)
        s.flush()
        return _consent_view(row, patient)


def _consent_view(row: ConsentRecord, patient: Patient) -> ConsentView:
    return ConsentView(
        id=row.id,
        patient_id=row.patient_id,
        patient_name=display_name(patient.given_name, patient.family_name),
        form_code=row.form_code,
        title=row.title,
        form_version=row.form_version,
        text=row.text,
        signer_name=row.signer_name,
        signature_png=row.signature_png,
        signed_at=row.signed_at,
        witness_name=row.witness_name,
    )


@operation(
    "list_consents", patient=by_patient, access="open", entity="patients", record="patient_id"
)
def list_consents(db: Database, patient_id: int) -> list[ConsentView]:
    """The patient's signed consents, the latest first."""
    with db.read() as s:
        patient = _patient(s, patient_id)
        rows = s.scalars(
            select(ConsentRecord)
            .where(ConsentRecord.patient_id == patient_id)
            .order_by(ConsentRecord.signed_at.desc(), ConsentRecord.id.desc())
        )
        return [_consent_view(r, patient) for r in rows]


@operation("load_consent", patient=arg("patient_id"))
def load_consent(db: Database, patient_id: int, consent_id: int | None = None) -> ConsentView:
    """One consent of the patient (the latest when ``consent_id`` is None); ``NotFound`` when
    the patient has signed none, or ``consent_id`` is not theirs."""
    with db.read() as s:
        patient = _patient(s, patient_id)
        query = select(ConsentRecord).where(ConsentRecord.patient_id == patient_id)
        if consent_id is not None:
            query = query.where(ConsentRecord.id == consent_id)
        row = s.scalars(
            query.order_by(ConsentRecord.signed_at.desc(), ConsentRecord.id.desc()).limit(1)
        ).first()
        if row is None:
            raise NotFound("This patient has no signed consent on file.")
        return _consent_view(row, patient)
