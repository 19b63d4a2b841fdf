"""The operation in progress (a context variable), shared by ``operation`` and ``audit``."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from frontdesk.domain import Actor

PatientOf = Callable[[Session, dict[str, Any]], int | None]


@dataclass(frozen=True)
class Call:
    """One operation in progress: what the audit listener attributes changes to."""

    name: str
    actor: Actor | None
    record_changes: bool = True
    # The caller's clock (the ``now`` keyword services take), for what a change writes beside
    # itself, such as the patient emails a booking queues; None when the operation takes none.
    now: datetime | None = None


@dataclass(frozen=True)
class Spec:
    """How an operation was registered (see ``operation.operation``)."""

    name: str
    func: Callable[..., Any]
    patient: PatientOf | None
    access: str | None  # "open", "print", "export": an access row after success
    entity: str
    record: str | None
    record_changes: bool


CURRENT: ContextVar[Call | None] = ContextVar("frontdesk_operation", default=None)


def current_call() -> Call | None:
    return CURRENT.get()
