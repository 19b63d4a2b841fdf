"""``@operation``: the one door every public service function goes through.

The decorator reads the signed-in ``Actor`` from the ``Database`` the service is called with
(``db.as_actor(actor)``), refuses with ``PermissionDenied`` what ``permissions`` does not
allow (before anything is read or written), and opens an audit scope: while the function runs,
every change it commits is written to the audit trail in the same transaction
(``frontdesk.accounts.audit``), and an operation that opens a chart, plan or note, prints or
exports leaves an access row. A service called by another service runs inside its caller's
scope: the user did one thing, and it is recorded as that one thing.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from datetime import datetime
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from frontdesk.accounts import audit, permissions
from frontdesk.accounts.scope import CURRENT, Call, PatientOf, Spec
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Appointment,
    PlanRevision,
    SessionNote,
    TreatmentCourse,
    TreatmentPlan,
)
from frontdesk.domain import PermissionDenied, Role

P = ParamSpec("P")
T = TypeVar("T")
REGISTRY: dict[str, Spec] = {}


# ----- which patient an operation is about ---------------------------------------------------


def arg(name: str) -> PatientOf:
    """The patient id is the argument ``name``."""
    return lambda _s, args: args.get(name)


def field_of(name: str, attribute: str = "patient_id") -> PatientOf:
    """The patient id is an attribute of the argument ``name`` (an input DTO)."""
    return lambda _s, args: getattr(args.get(name), attribute, None)


def via(model: Any, name: str) -> PatientOf:
    """The patient of the ``model`` row whose id is the argument ``name``."""

    def resolve(s: Session, args: dict[str, Any]) -> int | None:
        row_id = args.get(name)
        if row_id is None:
            return None
        return s.scalar(select(model.patient_id).where(model.id == row_id))

    return resolve


def via_revision(name: str = "revision_id") -> PatientOf:
    def resolve(s: Session, args: dict[str, Any]) -> int | None:
        return s.scalar(
            select(TreatmentPlan.patient_id)
            .join(PlanRevision, PlanRevision.plan_id == TreatmentPlan.id)
            .where(PlanRevision.id == args.get(name))
        )

    return resolve


by_patient = arg("patient_id")
by_note = via(SessionNote, "note_id")
by_appointment = via(Appointment, "appointment_id")
by_plan = via(TreatmentPlan, "plan_id")
by_course = via(TreatmentCourse, "course_id")
by_revision = via_revision()


def sees_patient(s: Session, practitioner_id: int | None, patient_id: int) -> bool:
    """Whether this practitioner sees the patient: booked with them, on a course with them,
    or a plan or note of theirs about the patient."""
    if practitioner_id is None:
        return False
    links = [
        exists().where(model.patient_id == patient_id, model.practitioner_id == practitioner_id)
        for model in (Appointment, TreatmentCourse, TreatmentPlan, SessionNote)
    ]
    return bool(s.scalar(select(or_(*links))))


# ----- the decorator --------------------------------------------------------------------------


def operation(
    name: str,
    *,
    patient: PatientOf | None = None,
    access: str | None = None,
    entity: str = "",
    record: str | None = None,
    record_changes: bool = True,
) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Register a public service function as operation ``name`` (a key of the permission
    table). ``patient`` finds the patient the call is about, for the practitioner rule and the
    audit row; ``access`` names the access row written after success ("open", "print",
    "export"), about ``entity`` row ``record`` (an argument name)."""
    if name not in permissions.PERMISSIONS:
        raise KeyError(f"operation {name!r} is missing from the permission table")
    if name in permissions.OWN_PATIENTS_ONLY and patient is None:
        raise ValueError(f"operation {name!r} is limited to own patients but names no patient")

    def decorate(func: Callable[P, T]) -> Callable[P, T]:
        signature = inspect.signature(func)
        spec = Spec(name, func, patient, access, entity, record, record_changes)
        if name in REGISTRY and REGISTRY[name].func is not func:
            raise KeyError(f"operation {name!r} is registered twice")
        REGISTRY[name] = spec

        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
            db = args[0]
            if not isinstance(db, Database):
                raise TypeError(f"{func.__name__} needs the clinic Database first")
            if CURRENT.get() is not None:  # inside another operation: its check and scope
                return func(*args, **kwargs)
            actor = db.actor
            bound: dict[str, Any] | None = None
            patient_id: int | None = None
            if actor is None:
                if name not in permissions.SIGNED_OUT:
                    raise PermissionDenied(
                        "Sign in first: nothing can be read or changed without a signed-in user."
                    )
            else:
                if not permissions.is_allowed(name, actor.role):
                    raise PermissionDenied(permissions.refusal(name, actor.role))
                if (
                    actor.role is Role.PRACTITIONER
                    and name in permissions.OWN_PATIENTS_ONLY
                    and patient is not None
                ):
                    bound = _arguments(signature, args, kwargs)
                    with db.read() as s:
                        patient_id = patient(s, bound)
                        if patient_id is not None and not sees_patient(
                            s, actor.practitioner_id, patient_id
                        ):
                            raise PermissionDenied(permissions.not_their_patient(name))
            now = kwargs.get("now")
            clock = now if isinstance(now, datetime) else None
            token = CURRENT.set(Call(name, actor, record_changes, clock))
            try:
                result = func(*args, **kwargs)
            finally:
                CURRENT.reset(token)
            if access is not None:
                if bound is None:
                    bound = _arguments(signature, args, kwargs)
                audit.record_access(db, spec, bound, patient_id)
            return result

        wrapper.__frontdesk_operation__ = name  # type: ignore[attr-defined]
        return wrapper

    return decorate


def _arguments(
    signature: inspect.Signature, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> dict[str, Any]:
    try:
        bound = signature.bind_partial(*args, **kwargs)
    except TypeError:
        return {}
    return dict(bound.arguments)
