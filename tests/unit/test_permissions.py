"""The permission table, walked whole: every service operation × every role, called directly.

No UI: each operation is called as each role with arguments about a patient the practitioner
sees and about one they do not. A refusal by the table is ``PermissionDenied`` with the
table's own message; anything else (a result, ``NotFound``, a ``TypeError`` from the dummy
arguments) means the door let the call through.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import frontdesk
from frontdesk.accounts import permissions
from frontdesk.accounts.operation import REGISTRY
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Appointment,
    PlanRevision,
    SessionNote,
    TreatmentCourse,
    TreatmentPlan,
)
from frontdesk.domain import PermissionDenied, Role
from tests.accounts_support import as_role
from tests.unit.test_scheduling_support import Clinic

PACKAGE = Path(frontdesk.__file__).resolve().parent
NOT_SERVICES = {"ui", "demo", "db", "commands"}
NOT_OPERATIONS = {  # helpers of the door itself and of other services
    "frontdesk.scheduling.rules.checked_write",
    "frontdesk.accounts.audit.record_access",
}


def _service_functions() -> list[tuple[str, Any]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] in NOT_SERVICES or rel.name in {"app.py", "cli.py", "__main__.py"}:
            continue
        module_name = ".".join(("frontdesk", *rel.with_suffix("").parts))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [
            n.name
            for n in tree.body
            if isinstance(n, ast.FunctionDef)
            and not n.name.startswith("_")
            and n.args.args
            and n.args.args[0].arg == "db"
        ]
        if names:
            module = importlib.import_module(module_name)
            found.extend((f"{module_name}.{n}", getattr(module, n)) for n in names)
    return found


def test_every_public_service_function_goes_through_the_operation_door() -> None:
    functions = _service_functions()
    assert len(functions) > 90
    missing = [
        name
        for name, func in functions
        if name not in NOT_OPERATIONS and not hasattr(func, "__frontdesk_operation__")
    ]
    assert missing == []
    # ...and every row of the table belongs to a real operation, and the other way round.
    assert set(REGISTRY) == set(permissions.PERMISSIONS)


@dataclass
class Scope:
    mine: dict[str, int]
    theirs: dict[str, int]


def _rows_for(
    db: Database, c: Clinic, patient: int, practitioner: int, hour: int
) -> dict[str, int]:
    start = datetime.combine(date(2030, 3, 4), time(hour), UTC)
    with db.write() as s:
        appointment = Appointment(
            patient_id=patient,
            practitioner_id=practitioner,
            appointment_type_id=c.consult,
            room_id=c.room1,
            start_at=start,
            end_at=start + timedelta(hours=1),
        )
        course = TreatmentCourse(
            patient_id=patient,
            practitioner_id=practitioner,
            appointment_type_id=c.acupuncture,
            planned_sessions=6,
            frequency="weekly",
            preferred_time=time(10),
            start_date=date(2030, 3, 4),
        )
        plan = TreatmentPlan(patient_id=patient, practitioner_id=practitioner)
        s.add_all([appointment, course, plan])
        s.flush()
        revision = PlanRevision(plan_id=plan.id, number=1)
        note = SessionNote(
            patient_id=patient, practitioner_id=practitioner, appointment_id=appointment.id
        )
        s.add_all([revision, note])
        s.flush()
        return {
            "patient_id": patient,
            "practitioner_id": practitioner,
            "appointment_id": appointment.id,
            "course_id": course.id,
            "plan_id": plan.id,
            "revision_id": revision.id,
            "note_id": note.id,
        }


@pytest.fixture
def scope(db: Database, clinic: Clinic) -> Scope:
    return Scope(
        mine=_rows_for(db, clinic, clinic.ann, clinic.acu, 15),
        theirs=_rows_for(db, clinic, clinic.bob, clinic.physio, 17),
    )


def _arguments(func: Any, ids: dict[str, int]) -> tuple[list[Any], dict[str, Any]]:
    """Arguments by parameter name: the scope's ids, a DTO-like stand-in for ``data`` and
    ``req``, and 1 for anything else that has no default."""
    params = list(inspect.signature(inspect.unwrap(func)).parameters.values())[1:]
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for p in params:
        if p.name in ids:
            value: Any = ids[p.name]
        elif p.name in ("data", "req"):
            value = SimpleNamespace(**ids)
        elif p.default is not inspect.Parameter.empty:
            continue
        else:
            value = 1
        if p.kind is inspect.Parameter.KEYWORD_ONLY:
            kwargs[p.name] = value
        else:
            args.append(value)
    return args, kwargs


def _refused_by_table(db: Database, name: str, ids: dict[str, int]) -> str | None:
    """The table's refusal message, or None when the call got through the door."""
    func = REGISTRY[name].func
    wrapped = getattr(importlib.import_module(func.__module__), func.__name__)
    args, kwargs = _arguments(wrapped, ids)
    try:
        wrapped(db, *args, **kwargs)
    except PermissionDenied as exc:
        return str(exc)
    except Exception:  # the dummy arguments: the permission check had already passed
        return None
    return None


ROLES = [Role.ADMINISTRATOR, Role.RECEPTION, Role.PRACTITIONER]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_every_operation_is_allowed_or_refused_as_the_table_says(
    db: Database, clinic: Clinic, scope: Scope, role: Role
) -> None:
    signed_in = as_role(db, role, practitioner_id=clinic.acu if role is Role.PRACTITIONER else None)
    wrong = []
    for name in sorted(REGISTRY):
        refused = _refused_by_table(signed_in, name, scope.mine)
        expected = permissions.is_allowed(name, role)
        if expected and refused in (
            permissions.refusal(name, role),
            permissions.not_their_patient(name),
        ):
            wrong.append(f"{name}: refused for {role.value} ({refused})")
        if not expected and refused != permissions.refusal(name, role):
            wrong.append(f"{name}: allowed for {role.value}")
    assert wrong == []


def test_a_practitioner_is_refused_the_patients_they_do_not_see(
    db: Database, clinic: Clinic, scope: Scope
) -> None:
    practitioner = as_role(db, Role.PRACTITIONER, practitioner_id=clinic.acu)
    wrong = []
    for name in sorted(permissions.OWN_PATIENTS_ONLY):
        refused = _refused_by_table(practitioner, name, scope.theirs)
        if refused != permissions.not_their_patient(name):
            wrong.append(f"{name}: {refused}")
    assert wrong == []


def test_signed_out_only_the_sign_in_operations_run(db: Database, scope: Scope) -> None:
    nobody = db.as_actor(None)
    for name in sorted(REGISTRY):
        refused = _refused_by_table(nobody, name, scope.mine)
        if name in permissions.SIGNED_OUT:
            assert refused is None or "Sign in first" not in refused, name
        else:
            assert refused is not None and refused.startswith("Sign in first"), name


def test_reception_reads_a_handout_but_never_a_session_note(
    db: Database, clinic: Clinic, scope: Scope
) -> None:
    from frontdesk.notes import get_note, list_notes

    reception = as_role(db, Role.RECEPTION)
    with pytest.raises(
        PermissionDenied, match="Reception accounts may not read or write session notes"
    ):
        get_note(reception, scope.mine["note_id"])
    with pytest.raises(PermissionDenied):
        list_notes(reception, clinic.ann)
    assert _refused_by_table(reception, "handout_data", scope.mine) is None


def test_every_refusal_reads_as_plain_words() -> None:
    # "Reception accounts may not noted appointments" came from the code's names.
    for operation, allowed in permissions.PERMISSIONS.items():
        for role in set(Role) - set(allowed):
            message = permissions.refusal(operation, role)
            assert "_" not in message, message
            assert f" may not {permissions.doing(operation)}; ask " in message, message
