"""Creating, editing and reading treatment plans.

A plan's content lives in numbered revisions. Saving edits the latest revision in place until
that revision has been printed; after that a save makes revision n+1, so the paper the patient
holds always matches a revision that still exists unchanged.

Each revision carries a ``version``. An editor saves with the revision number and version it
loaded, and a print is recorded with the version that was rendered: when the plan changed at
another workstation in between, ``StaleRecord`` refuses instead of overwriting or freezing
content that is not on the paper.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from frontdesk.accounts.operation import by_patient, by_plan, by_revision, field_of, operation
from frontdesk.db.engine import Database
from frontdesk.db.models import PlanRevision, Practitioner, TreatmentCourse, TreatmentPlan
from frontdesk.domain import NotFound, StaleRecord, ValidationError
from frontdesk.plans.homecare import entries_from_json, entries_to_json
from frontdesk.plans.library import HomecareLibrary, load_library_or_empty
from frontdesk.plans.types import (
    ConditionChoice,
    PlanInput,
    PlanRevisionView,
    PlanSummary,
    RevisionSummary,
)
from frontdesk.plans.validation import normalise, validate

_CONTENT_FIELDS = (
    "condition_notes",
    "symptoms",
    "pain_score",
    "worse_with",
    "better_with",
    "goals",
    "techniques",
    "planned_sessions",
    "frequency_text",
    "patient_notes",
)


@operation("create_plan", patient=field_of("data"))
def create_plan(
    db: Database, data: PlanInput, *, now: datetime, library: HomecareLibrary | None = None
) -> PlanRevisionView:
    """Start a plan with revision 1; ``ValidationError`` per bad field, nothing stored."""
    data = normalise(data)
    library = library or load_library_or_empty()[0]
    with db.write() as s:
        validate(s, data, library)
        plan = TreatmentPlan(
            patient_id=data.patient_id,
            practitioner_id=data.practitioner_id,
            course_id=data.course_id,
            created_at=now,
        )
        revision = PlanRevision(number=1, created_at=now, updated_at=now, **_content(data))
        plan.revisions.append(revision)
        s.add(plan)
        s.flush()
        return revision_view(plan, revision, library)


@operation("save_plan", patient=by_plan)
def save_plan(
    db: Database,
    plan_id: int,
    data: PlanInput,
    *,
    now: datetime,
    expected_revision: int | None = None,
    expected_version: int | None = None,
    library: HomecareLibrary | None = None,
) -> PlanRevisionView:
    """Save new content: edits the latest revision unless it was printed, then adds one.

    ``expected_revision`` and ``expected_version`` are the ``number`` and ``version`` of the
    revision the editor loaded: if the plan has another latest revision or that revision was
    saved or printed since, ``StaleRecord`` and nothing changes (``None`` skips the check).
    Saving content identical to the latest revision changes nothing (no empty revisions).
    """
    data = normalise(data)
    library = library or load_library_or_empty()[0]
    try:
        return _save_plan(
            db,
            plan_id,
            data,
            now=now,
            library=library,
            expected=(expected_revision, expected_version),
        )
    except StaleDataError as exc:  # the row changed under us despite the lock
        raise StaleRecord(_STALE_PLAN) from exc


_STALE_PLAN = (
    "This treatment plan was changed at another workstation after you opened it. "
    "Your changes are still on screen; reload the plan to see the other changes."
)


def _save_plan(
    db: Database,
    plan_id: int,
    data: PlanInput,
    *,
    now: datetime,
    library: HomecareLibrary,
    expected: tuple[int | None, int | None],
) -> PlanRevisionView:
    with db.write() as s:
        plan = s.scalar(select(TreatmentPlan).where(TreatmentPlan.id == plan_id).with_for_update())
        if plan is None:
            raise NotFound("This treatment plan no longer exists.")
        if data.patient_id != plan.patient_id:
            raise ValidationError.single(
                "patient_id", "A plan cannot be moved to another patient; start a new plan."
            )
        validate(s, data, library)
        # Locked too: a print marked at another workstation must not be edited in place.
        latest = _latest(s, plan.id, lock=True)
        _check_latest(latest, *expected)
        content = _content(data)
        unchanged = _stored_content(latest, library) == content and (
            plan.practitioner_id,
            plan.course_id,
        ) == (data.practitioner_id, data.course_id)
        if unchanged:
            return revision_view(plan, latest, library)
        plan.practitioner_id = data.practitioner_id
        plan.course_id = data.course_id
        if latest.printed_at is None:
            for key, value in content.items():
                setattr(latest, key, value)
            latest.updated_at = now
            revision = latest
        else:
            revision = PlanRevision(
                plan_id=plan.id,
                number=latest.number + 1,
                created_at=now,
                updated_at=now,
                **content,
            )
            s.add(revision)
        s.flush()
        return revision_view(plan, revision, library)


def _check_latest(
    latest: PlanRevision, expected_revision: int | None, expected_version: int | None
) -> None:
    """``StaleRecord`` unless the latest revision is still the one the editor loaded."""
    if expected_revision is not None and latest.number != expected_revision:
        raise StaleRecord(
            f"Revision {latest.number} of this plan was saved at another workstation after "
            f"you opened revision {expected_revision}. Your changes are still on screen; "
            "reload the plan to see the other changes."
        )
    if expected_version is not None and latest.version != expected_version:
        raise StaleRecord(_STALE_PLAN)


@operation("mark_printed", patient=by_revision)
def mark_printed(
    db: Database, revision_id: int, *, now: datetime, expected_version: int | None = None
) -> int:
    """Freeze a revision because a copy of it left the building (first print time is kept).

    ``expected_version`` is the ``version`` of the revision that was rendered onto the paper:
    if the revision was saved since, ``StaleRecord`` and nothing is frozen, because the stored
    content is no longer what the patient holds. Returns the revision's version afterwards,
    to pass with the next copy printed from the same rendering.
    """
    with db.write() as s:
        revision = s.scalar(
            select(PlanRevision).where(PlanRevision.id == revision_id).with_for_update()
        )
        if revision is None:
            raise NotFound("This plan revision no longer exists.")
        if expected_version is not None and revision.version != expected_version:
            raise StaleRecord(
                f"Revision {revision.number} of this plan was changed at another workstation "
                "while it was being printed, so the paper no longer matches the stored plan. "
                "Nothing was recorded; open the plan again and print the current version."
            )
        if revision.printed_at is None:
            revision.printed_at = now
            # Printing is not an edit: keep updated_at instead of letting onupdate stamp it.
            flag_modified(revision, "updated_at")
            s.flush()
        return revision.version


def link_course(s: Session, plan_id: int, course_id: int) -> None:
    """Make a plan cover this course, inside the caller's transaction (the course's booking).

    A plan's handout lists the sessions of the course it covers, so booking a new course for
    the plan must move the link in the same transaction: otherwise the handout handed over
    right after booking lists an older course. Content revisions are left as they are (which
    course a plan covers is the plan's, not a revision's, as in ``save_plan``).
    """
    plan = s.scalar(select(TreatmentPlan).where(TreatmentPlan.id == plan_id).with_for_update())
    course = s.get(TreatmentCourse, course_id)
    if course is None:
        raise NotFound("This treatment course no longer exists.")
    if plan is None:
        raise ValidationError.single(
            "plan_id", "The treatment plan for this course no longer exists; nothing was booked."
        )
    if plan.patient_id != course.patient_id:
        raise ValidationError.single("plan_id", "That treatment plan belongs to another patient.")
    if plan.archived:
        raise ValidationError.single(
            "plan_id",
            "The patient's treatment plan was archived meanwhile; nothing was booked. "
            "Book the course again to book it without a plan.",
        )
    plan.course_id = course_id
    s.flush()


@operation("archive_plan", patient=by_plan)
def archive_plan(db: Database, plan_id: int, *, archived: bool = True) -> None:
    """Retire a plan (or bring it back): it stays readable but is no longer the current one."""
    with db.write() as s:
        plan = s.scalar(select(TreatmentPlan).where(TreatmentPlan.id == plan_id).with_for_update())
        if plan is None:
            raise NotFound("This treatment plan no longer exists.")
        plan.archived = archived


@operation("get_plan", patient=by_plan, access="open", entity="treatment_plans", record="plan_id")
def get_plan(db: Database, plan_id: int, revision: int | None = None) -> PlanRevisionView:
    """A plan's latest revision, or the numbered one; ``NotFound`` if either is missing."""
    with db.read() as s:
        plan = s.get(TreatmentPlan, plan_id)
        if plan is None:
            raise NotFound("This treatment plan no longer exists.")
        row: PlanRevision | None
        if revision is None:
            row = _latest(s, plan_id)
        else:
            row = s.scalar(
                select(PlanRevision).where(
                    PlanRevision.plan_id == plan_id, PlanRevision.number == revision
                )
            )
            if row is None:
                raise NotFound(f"This plan has no revision {revision}.")
        return revision_view(plan, row)


@operation(
    "get_revision",
    patient=by_revision,
    access="open",
    entity="plan_revisions",
    record="revision_id",
)
def get_revision(db: Database, revision_id: int) -> PlanRevisionView:
    """One revision by its id (what a print job or handout refers to)."""
    with db.read() as s:
        row = s.get(PlanRevision, revision_id)
        if row is None:
            raise NotFound("This plan revision no longer exists.")
        return revision_view(row.plan, row)


@operation("list_plans", patient=by_patient)
def list_plans(
    db: Database, patient_id: int, *, library: HomecareLibrary | None = None
) -> list[PlanSummary]:
    """A patient's plans with their latest revision, most recently changed first."""
    library = library or load_library_or_empty()[0]
    latest_numbers = (
        select(PlanRevision.plan_id, func.max(PlanRevision.number).label("number"))
        .group_by(PlanRevision.plan_id)
        .subquery()
    )
    stmt = (
        select(TreatmentPlan, PlanRevision, Practitioner.display_name)
        .join(latest_numbers, latest_numbers.c.plan_id == TreatmentPlan.id)
        .join(
            PlanRevision,
            (PlanRevision.plan_id == TreatmentPlan.id)
            & (PlanRevision.number == latest_numbers.c.number),
        )
        .join(Practitioner, Practitioner.id == TreatmentPlan.practitioner_id)
        .where(TreatmentPlan.patient_id == patient_id)
        .order_by(PlanRevision.updated_at.desc(), TreatmentPlan.id.desc())
    )
    with db.read() as s:
        return [
            PlanSummary(
                plan_id=plan.id,
                patient_id=plan.patient_id,
                practitioner_id=plan.practitioner_id,
                practitioner_name=name,
                condition_title="; ".join(
                    library.condition_line(c) for c in _conditions(rev.conditions)
                ),
                latest_number=rev.number,
                updated_at=rev.updated_at,
                archived=plan.archived,
            )
            for plan, rev, name in s.execute(stmt)
        ]


@operation("list_revisions", patient=by_plan)
def list_revisions(db: Database, plan_id: int) -> list[RevisionSummary]:
    """A plan's revisions, oldest first."""
    with db.read() as s:
        rows = s.scalars(
            select(PlanRevision)
            .where(PlanRevision.plan_id == plan_id)
            .order_by(PlanRevision.number)
        )
        return [
            RevisionSummary(r.id, r.number, r.created_at, r.updated_at, r.printed_at) for r in rows
        ]


@operation("current_plan_for_patient", patient=by_patient, access="open", entity="treatment_plans")
def current_plan_for_patient(db: Database, patient_id: int) -> PlanRevisionView | None:
    """Latest revision of the patient's most recently changed plan that is not archived."""
    with db.read() as s:
        row = s.execute(
            select(TreatmentPlan, PlanRevision)
            .join(PlanRevision, PlanRevision.plan_id == TreatmentPlan.id)
            .where(TreatmentPlan.patient_id == patient_id, TreatmentPlan.archived.is_(False))
            .order_by(
                PlanRevision.updated_at.desc(),
                PlanRevision.number.desc(),
                TreatmentPlan.id.desc(),
            )
            .limit(1)
        ).first()
        if row is None:
            return None
        return revision_view(row[0], _latest(s, row[0].id))


def _latest(s: Session, plan_id: int, *, lock: bool = False) -> PlanRevision:
    stmt = (
        select(PlanRevision)
        .where(PlanRevision.plan_id == plan_id)
        .order_by(PlanRevision.number.desc())
        .limit(1)
    )
    row = s.scalar(stmt.with_for_update() if lock else stmt)
    if row is None:  # a plan is always created with revision 1
        raise NotFound("This treatment plan has no content.")
    return row


def _content(data: PlanInput) -> dict[str, Any]:
    """Column values of a revision, JSON-ready (lists, dicts) as the model stores them."""
    content: dict[str, Any] = {
        "conditions": [
            {k: v for k, v in asdict(c).items() if v is not None} for c in data.conditions
        ],
        "homecare": entries_to_json(data.homecare),
    }
    for name in _CONTENT_FIELDS:
        value = getattr(data, name)
        content[name] = list(value) if isinstance(value, tuple) else value
    return content


def _stored_content(row: PlanRevision, library: HomecareLibrary) -> dict[str, Any]:
    """A stored revision in ``_content``'s form (old plain-string home care read as entries)."""
    content: dict[str, Any] = {
        "conditions": list(row.conditions or []),
        "homecare": entries_to_json(entries_from_json(row.homecare, library)),
    }
    for name in _CONTENT_FIELDS:
        value = getattr(row, name)
        content[name] = list(value) if isinstance(value, list) else value
    return content


def _conditions(raw: list[dict[str, Any]] | None) -> tuple[ConditionChoice, ...]:
    return tuple(
        ConditionChoice(
            code=str(c.get("code", "")),
            region=c.get("region"),
            level=c.get("level"),
            side=c.get("side"),
        )
        for c in raw or ()
    )


def revision_view(
    plan: TreatmentPlan, row: PlanRevision, library: HomecareLibrary | None = None
) -> PlanRevisionView:
    """A revision row as the DTO every caller gets (needs an open session).

    The library is only needed to read home care saved before its wording was kept; it is
    loaded on demand when not given.
    """
    return PlanRevisionView(
        plan_id=plan.id,
        revision_id=row.id,
        number=row.number,
        created_at=row.created_at,
        updated_at=row.updated_at,
        printed_at=row.printed_at,
        patient_id=plan.patient_id,
        practitioner_id=plan.practitioner_id,
        course_id=plan.course_id,
        conditions=_conditions(row.conditions),
        condition_notes=row.condition_notes or "",
        symptoms=tuple(row.symptoms or ()),
        pain_score=row.pain_score,
        worse_with=row.worse_with or "",
        better_with=row.better_with or "",
        goals=tuple(row.goals or ()),
        techniques=tuple(row.techniques or ()),
        planned_sessions=row.planned_sessions,
        frequency_text=row.frequency_text or "",
        homecare=entries_from_json(row.homecare, library),
        patient_notes=row.patient_notes or "",
        version=row.version,
    )
