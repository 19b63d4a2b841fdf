"""Search-as-you-type over patients, quick at 100,000 of them.

Every typed word must be the prefix of one of the patient's search tokens (see ``tokens``);
results come in list order (the stored ``sort_name``, then id: names as people read them,
Côté with Cote before Cyr, see ``frontdesk.folding.name_sort_key``) a page at a time, the next
page starting after the last row's ``sort_key`` (keyset paging: no OFFSET, so page 200 costs
what page 1 costs).

Three plans, chosen per query from how many tokens start with each word (a capped count on
the token index, under a millisecond). The rarest word drives; other words are checked with
EXISTS probes on the patient's tokens (``ix_patient_search_tokens_patient_id``).

* **narrow** (rarest word has at most ``NARROW_LIMIT`` tokens): its patients come from an
  index range scan on the token key, are fetched by id and sorted. Cost grows with the matches
  (a random row read each), so it is kept for rare words.
* **walk with a set** (up to ``SET_LIMIT``): patients are walked in list order on
  ``ix_patients_sort`` and kept when their id is in the word's set of ids, which the database
  builds once from the token range ("id + 0 IN (subquery)": the "+ 0" keeps SQLite from
  turning the IN into id lookups, which would need a sort of every match). Cheap per walked
  row, so it stays quick even when the matches sit late in the alphabet ("le" finds Leblanc).
* **walk with probes** (every word very common: "1", "780"): the same walk with an EXISTS
  probe per patient; matches are so dense that a page fills after a few hundred rows, sooner
  than building a set of most patients.

The choice is made here rather than left to the database's planner so that the speed does not
depend on statistics being present, on SQLite and PostgreSQL alike. The benchmark prints
EXPLAIN QUERY PLAN of each (``benchmarks/bench_patients.py --explain``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, exists, func, select, tuple_
from sqlalchemy.orm import Session

from frontdesk.accounts.operation import operation
from frontdesk.db.engine import Database
from frontdesk.db.models import Patient, PatientSearchToken
from frontdesk.patients.rows import SUMMARY_COLUMNS, summary_from_row
from frontdesk.patients.tokens import prefix_upper_bound, query_words
from frontdesk.patients.types import PatientSummary, SortKey

NARROW_LIMIT = 1500
SET_LIMIT = 25_000
MAX_LIMIT = 500


def _token_range(word: str) -> Any:
    token = PatientSearchToken.token
    return and_(token >= word, token < prefix_upper_bound(word))


def _word_exists(word: str) -> Any:
    return exists().where(PatientSearchToken.patient_id == Patient.id, _token_range(word))


def _after(after: SortKey | None) -> Any:
    """Rows after ``after`` in list order, as a row-value comparison: both SQLite and
    PostgreSQL turn it into an index range on ``ix_patients_sort``, so a deep page starts
    where the last one ended instead of walking from "A"."""
    if after is None:
        return None
    return tuple_(Patient.sort_name, Patient.id) > tuple_(*after)


def _match_count(session: Session, word: str) -> int:
    """How many tokens start with ``word``, counting no further than ``SET_LIMIT + 1``."""
    capped = _matching_ids(word).limit(SET_LIMIT + 1).subquery()
    return session.scalar(select(func.count()).select_from(capped)) or 0


def _matching_ids(word: str) -> Select:
    return select(PatientSearchToken.patient_id).where(_token_range(word))


def _base(
    include_archived: bool,
    after: SortKey | None,
    limit: int,
    driver: str | None = None,
    plan: str = "probe",
) -> Select:
    """The page query; ``driver`` is the word the ``narrow`` or ``set`` plan starts from."""
    query = select(*SUMMARY_COLUMNS)
    if driver is not None and plan == "narrow":
        matches = _matching_ids(driver).distinct().subquery()
        query = query.select_from(matches).join(Patient, Patient.id == matches.c.patient_id)
    elif driver is not None:
        query = query.where((Patient.id + 0).in_(_matching_ids(driver)))
    if not include_archived:
        query = query.where(Patient.archived.is_(False))
    keyset = _after(after)
    if keyset is not None:
        query = query.where(keyset)
    return query.order_by(Patient.sort_name, Patient.id).limit(limit)


@operation("search_patients")
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
    with db.read() as session:
        driver, plan = None, "probe"
        if words:
            counts = {word: _match_count(session, word) for word in words}
            rarest = min(words, key=lambda w: counts[w])
            if counts[rarest] == 0:
                return []
            if counts[rarest] <= SET_LIMIT:
                driver = rarest
                plan = "narrow" if counts[rarest] <= NARROW_LIMIT else "set"
        stmt = _base(include_archived, after, limit, driver, plan)
        for word in words:
            if word != driver:
                stmt = stmt.where(_word_exists(word))
        return [summary_from_row(row) for row in session.execute(stmt)]


def search_statement(query: str, *, plan: str, limit: int = 50) -> Select:
    """The statement ``plan`` ("narrow", "set", "probe") runs for ``query``, for EXPLAIN."""
    words = query_words(query)
    driver = words[0] if plan != "probe" and words else None
    stmt = _base(False, None, limit, driver, plan)
    for word in words:
        if word != driver:
            stmt = stmt.where(_word_exists(word))
    return stmt
