"""The append-only, hash-chained audit trail.

Changes are collected from the write session itself: after each flush, every inserted,
changed or deleted row (its columns before and after) is noted, and just before the commit the
notes become audit rows in the same transaction. Nothing is recorded for a transaction that
rolls back, and no change committed inside an operation escapes the trail. Operations that
open, print or export write an access row (``record_access``).

Each row's ``hash`` is SHA-256 over its canonical content and the previous row's hash, so
``verify_chain`` finds a row altered or removed by someone holding the database file. Rows are
appended under the database's write lock (SQLite's ``BEGIN IMMEDIATE``; a transaction-level
advisory lock on PostgreSQL), so two workstations never chain onto the same row.
"""

from __future__ import annotations

import hashlib
import json
import socket
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, event, insert, inspect, select, text
from sqlalchemy.orm import Session

from frontdesk.accounts.scope import Call, Spec, current_call
from frontdesk.db.models import AuditEvent, PlanRevision, SessionNoteVersion, TreatmentPlan

if TYPE_CHECKING:
    from frontdesk.db.engine import Database

GENESIS = "0" * 64
_PENDING = "frontdesk_audit_pending"
_PG_LOCK_KEY = 0x4644_4155  # "FDAU"
# Rows derived from others (search tokens; the emails a booking writes, which follow from the
# audited booking and are kept whole in the outbox) or the trail itself are not audited on
# their own.
NOT_AUDITED = frozenset({"audit_events", "patient_search_tokens", "outbox_messages"})
HIDDEN = frozenset({"password_hash"})
NOISE = frozenset({"version", "updated_at"})
AUDIT = cast(Table, AuditEvent.__table__)
# Built once: every audited change runs both (a booking's audit row costs a tenth of a
# millisecond less than building them each time and inserting through the many-rows path).
_LAST_ROW = select(AUDIT.c.seq, AUDIT.c.hash).order_by(AUDIT.c.seq.desc()).limit(1)
_INSERT = insert(AUDIT)


@cache
def workstation() -> str:
    try:
        return socket.gethostname() or "unknown"
    except OSError:
        return "unknown"


@dataclass(frozen=True)
class Entry:
    """One audit row before it is chained."""

    action: str
    kind: str
    entity: str = ""
    record_id: int | None = None
    patient_id: int | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


# ----- values as JSON -------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return f"({len(value):,} bytes)"
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def _dump(values: dict[str, Any] | None) -> str:
    if values is None:
        return ""
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _shown(key: str, value: Any) -> Any:
    return "(hidden)" if key in HIDDEN else _plain(value)


# ----- collecting the changes of a write session ----------------------------------------------


def _columns(obj: Any) -> dict[str, Any]:
    state = inspect(obj)
    return {a.key: _shown(a.key, getattr(obj, a.key)) for a in state.mapper.column_attrs}


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if not history.has_changes() or attr.key in NOISE:
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        before[attr.key] = _shown(attr.key, old)
        after[attr.key] = _shown(attr.key, new)
    return before, after


def _patient_of(obj: Any) -> int | None:
    if obj.__tablename__ == "patients":
        return int(obj.id)
    return getattr(obj, "patient_id", None)


@dataclass
class _Noted:
    call: Call
    kind: str
    obj: Any
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _after_flush(session: Session, _context: Any) -> None:
    call = current_call()
    if call is None or not call.record_changes:
        return
    pending: list[_Noted] = session.info.setdefault(_PENDING, [])
    for obj in session.new:
        if getattr(obj, "__tablename__", "") not in NOT_AUDITED:
            pending.append(_Noted(call, "create", obj, None, _columns(obj)))
    for obj in session.dirty:
        if getattr(obj, "__tablename__", "") in NOT_AUDITED or not session.is_modified(obj):
            continue
        before, after = _changes(obj)
        if after:
            pending.append(_Noted(call, "update", obj, before, after))
    for obj in session.deleted:
        if getattr(obj, "__tablename__", "") not in NOT_AUDITED:
            pending.append(_Noted(call, "delete", obj, _columns(obj), None))


def _before_commit(session: Session) -> None:
    if current_call() is None and not session.info.get(_PENDING):
        return
    session.flush()
    pending: list[_Noted] = session.info.pop(_PENDING, [])
    if not pending:
        return
    entries = []
    for noted in pending:
        obj = noted.obj
        entries.append(
            Entry(
                action=noted.call.name,
                kind=noted.kind,
                entity=obj.__tablename__,
                record_id=getattr(obj, "id", None),
                patient_id=_resolve_patient(session, obj),
                before=noted.before,
                after=noted.after,
            )
        )
    append(session, pending[0].call, entries)


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _resolve_patient(session: Session, obj: Any) -> int | None:
    found = _patient_of(obj)
    if found is not None:
        return found
    if isinstance(obj, PlanRevision):
        return session.scalar(
            select(TreatmentPlan.patient_id).where(TreatmentPlan.id == obj.plan_id)
        )
    if isinstance(obj, SessionNoteVersion):
        from frontdesk.db.models import SessionNote

        return session.scalar(select(SessionNote.patient_id).where(SessionNote.id == obj.note_id))
    return None


event.listen(Session, "after_flush", _after_flush)
event.listen(Session, "before_commit", _before_commit)
event.listen(Session, "after_soft_rollback", lambda s, _t: _after_rollback(s))


# ----- appending to the chain -----------------------------------------------------------------


def row_hash(
    seq: int,
    at: datetime,
    account_id: int | None,
    username: str,
    workstation: str,
    action: str,
    kind: str,
    entity: str,
    record_id: int | None,
    patient_id: int | None,
    before: str,
    after: str,
    prev_hash: str,
) -> str:
    """SHA-256 of the row's canonical content, chained to ``prev_hash``."""
    canonical = json.dumps(
        [
            seq,
            at.astimezone(UTC).isoformat(),
            account_id,
            username,
            workstation,
            action,
            kind,
            entity,
            record_id,
            patient_id,
            before,
            after,
            prev_hash,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def append(
    session: Session,
    call: Call | None,
    entries: Iterable[Entry],
    *,
    username: str | None = None,
    account_id: int | None = None,
) -> None:
    """Chain ``entries`` onto the trail inside ``session``'s transaction."""
    entries = list(entries)
    if not entries:
        return
    actor = call.actor if call is not None else None
    if actor is not None:
        username, account_id = actor.username, actor.account_id
    username = username or "(nobody signed in)"
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    last = session.execute(_LAST_ROW).first()
    seq, prev = (last[0], last[1]) if last is not None else (0, GENESIS)
    # Microseconds survive both databases, so the hash recomputes from what was stored.
    at = datetime.now(UTC)
    host = workstation()
    rows = []
    for e in entries:
        seq += 1
        before, after = _dump(e.before), _dump(e.after)
        digest = row_hash(
            seq,
            at,
            account_id,
            username,
            host,
            e.action,
            e.kind,
            e.entity,
            e.record_id,
            e.patient_id,
            before,
            after,
            prev,
        )
        rows.append(
            dict(
                seq=seq,
                at=at,
                account_id=account_id,
                username=username,
                workstation=host,
                action=e.action,
                kind=e.kind,
                entity=e.entity,
                record_id=e.record_id,
                patient_id=e.patient_id,
                before=before,
                after=after,
                prev_hash=prev,
                hash=digest,
            )
        )
        prev = digest
    session.execute(_INSERT, rows[0] if len(rows) == 1 else rows)


def record_access(db: Database, spec: Spec, args: dict[str, Any], patient_id: int | None) -> None:
    """The access row of an operation that opened, printed or exported something."""
    call = Call(spec.name, db.actor, record_changes=False)
    record = args.get(spec.record) if spec.record else None
    with db.write() as s:
        if patient_id is None and spec.patient is not None:
            patient_id = spec.patient(s, args)
        append(
            s,
            call,
            [
                Entry(
                    spec.name,
                    spec.access or "open",
                    spec.entity,
                    record if isinstance(record, int) else None,
                    patient_id,
                )
            ],
        )


# ----- checking the chain ---------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    """What ``verify_chain`` found: ``ok``, rows read, and the first problem in words."""

    ok: bool
    rows: int
    problem: str = ""
    seq: int | None = None


def iter_rows(session: Session, batch: int = 2000) -> Iterator[Any]:
    table = AUDIT
    after = 0
    while True:
        chunk = session.execute(
            select(table).where(table.c.seq > after).order_by(table.c.seq).limit(batch)
        ).all()
        if not chunk:
            return
        yield from chunk
        after = chunk[-1].seq


def verify_chain(session: Session) -> ChainReport:
    """Recompute every row's hash and its link to the row before; report the first break."""
    prev, expected, count = GENESIS, 1, 0
    for row in iter_rows(session):
        count += 1
        if row.seq != expected:
            return ChainReport(
                False,
                count,
                f"Audit row {expected} is missing: the rows jump from {expected - 1} to {row.seq}.",
                expected,
            )
        if row.prev_hash != prev:
            return ChainReport(
                False,
                count,
                f"Audit row {row.seq} does not follow row "
                f"{row.seq - 1}: a row before it was changed or removed.",
                row.seq,
            )
        digest = row_hash(
            row.seq,
            row.at,
            row.account_id,
            row.username,
            row.workstation,
            row.action,
            row.kind,
            row.entity,
            row.record_id,
            row.patient_id,
            row.before,
            row.after,
            row.prev_hash,
        )
        if digest != row.hash:
            return ChainReport(
                False,
                count,
                f"Audit row {row.seq} was changed after it was "
                "written (its content no longer matches its hash).",
                row.seq,
            )
        prev, expected = row.hash, expected + 1
    return ChainReport(True, count)
