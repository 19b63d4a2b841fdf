"""Search-as-you-type over patients, quick at 100,000 of them.

Every typed word must be the prefix of one of the patient's search tokens (see ``tokens``);
results come in list order (family name, given name, id) a page at a time, the next page
starting after the last row's ``sort_key`` (keyset paging: no OFFSET, so page 200 costs what
page 1 costs).

Two plans, chosen per query from how many patients the rarest word matches:

* a **narrow** word (at most ``NARROW_LIMIT`` token rows): read its patient ids by an index
  range scan on the token key, then fetch and sort only those patients, checking the other
  words with indexed EXISTS probes;
* only **broad** words ("s", "m"): walk the patients in list order on ``ix_patients_sort`` and
  keep those for which every word has a token, stopping at the page size; a broad word matches
  so many patients that a page fills after a few hundred probes.

The choice is made here rather than left to the database's planner so that the speed does not
depend on statistics being present, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, and_, exists, or_, select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import Patient, PatientSearchToken
from frontdesk.patients.rows import SUMMARY_COLUMNS, summary_from_row
from frontdesk.patients.tokens import prefix_upper_bound, query_words
from frontdesk.patients.types import PatientSummary, SortKey

NARROW_LIMIT = 2000
MAX_LIMIT = 500


def _token_range(word: str) -> Any:
    token = PatientSearchToken.token
    return and_(token >= word, token < prefix_upper_bound(word))


def _word_exists(word: str) -> Any:
    return exists().where(
        PatientSearchToken.patient_id == Patient.id, _token_range(word)
    )


def _after(after: SortKey | None) -> Any:
    if after is None:
        return None
    family, given, pid = after
    return or_(
        Patient.family_name > family,
        and_(Patient.family_name == family, Patient.given_name > given),
        and_(Patient.family_name == family, Patient.given_name == given, Patient.id > pid),
    )


def _ids_for(session: Session, word: str) -> set[int] | None:
    """Patient ids with a token starting with ``word``, or None if there are too many."""
    rows = session.scalars(
        select(PatientSearchToken.patient_id).where(_token_range(word)).limit(NARROW_LIMIT + 1)
    ).all()
    if len(rows) > NARROW_LIMIT:
        return None
    return set(rows)


def _narrowest(session: Session, words: Sequence[str]) -> tuple[str, set[int]] | None:
    """The word matching the fewest patients (if any is narrow), with its patient ids.

    Longer words are usually rarer, so they are tried first; the first word with no match at
    all settles the query.
    """
    best: tuple[str, set[int]] | None = None
    for word in sorted(words, key=len, reverse=True):
        ids = _ids_for(session, word)
        if ids is not None and (best is None or len(ids) < len(best[1])):
            best = (word, ids)
            if not ids:
                break
    return best


def _base(include_archived: bool, after: SortKey | None, limit: int) -> Select[Any]:
    query = select(*SUMMARY_COLUMNS)
    if not include_archived:
        query = query.where(Patient.archived.is_(False))
    keyset = _after(after)
    if keyset is not None:
        query = query.where(keyset)
    return query.order_by(Patient.family_name, Patient.given_name, Patient.id).limit(limit)


def search_patients(
    db: Database,
    query: str,
    *,
    include_archived: bool = False,
    limit: int = 50,
    after: SortKey | None = None,
) -> list[PatientSummary]:
    """Up to ``limit`` patients matching every word of ``query``, after ``after`` in list order.

    An empty query lists everyone. Names match without accents or case ("zoe" finds "Zoë",
    "obrien" finds "O'Brien"); digits match phone numbers (with or without area code) and
    health numbers; yyyy-mm-dd (or a prefix like 1980-04) matches the date of birth.
    """
    limit = max(1, min(limit, MAX_LIMIT))
    words = query_words(query)
    stmt = _base(include_archived, after, limit)
    with db.read() as session:
        narrow = _narrowest(session, words) if words else None
        if narrow is not None:
            word, ids = narrow
            if not ids:
                return []
            stmt = stmt.where(Patient.id.in_(sorted(ids)))
            words = [w for w in words if w != word]
        for word in words:
            stmt = stmt.where(_word_exists(word))
        return [summary_from_row(row) for row in session.execute(stmt)]


def search_statement(query: str, *, limit: int = 50) -> Select[Any]:
    """The broad-plan statement for ``query``, for EXPLAIN and the benchmark's baseline."""
    stmt = _base(False, None, limit)
    for word in query_words(query):
        stmt = stmt.where(_word_exists(word))
    return stmt
