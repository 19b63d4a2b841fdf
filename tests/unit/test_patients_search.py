"""Finding patients the way reception types: without accents, by phone, birth date, number."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontdesk.db.engine import Database
from frontdesk.folding import name_sort_key
from frontdesk.patients import (
    PatientInput,
    archive_patient,
    create_patient,
    search_patients,
)
from frontdesk.patients.search import NARROW_LIMIT
from frontdesk.patients.tokens import fold, query_words

TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)

PEOPLE = [
    ("Zoë", "Tremblay", date(1980, 1, 2), "780-555-0101", "123456789"),
    ("Ánh", "Nguyễn Thị", date(1975, 6, 30), "587-555-0102", ""),
    ("Łukasz", "Kowalski", date(1991, 11, 5), "", "987654321"),
    ("Siobhan", "O'Brien-Smith", date(1966, 2, 14), "825-555-0103", ""),
    ("秀英", "王", date(1958, 9, 9), "", ""),
    ("Zoe", "Abbott", date(2001, 4, 4), "780-555-0199", ""),
    ("Björn", "Øvergård", date(1988, 8, 8), "", ""),
]


@pytest.fixture
def people(db: Database) -> dict[str, int]:
    ids = {}
    for given_name, family, born, phone, health in PEOPLE:
        rec = create_patient(
            db,
            PatientInput(given_name, family, born, phone=phone, health_number=health),
            today=TODAY,
        )
        ids[given_name] = rec.id
    return ids


def _found(db: Database, query: str, **kw: object) -> list[str]:
    return [p.given_name for p in search_patients(db, query, **kw)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zoe", ["Zoe", "Zoë"]),  # sorted by family name: Abbott, Tremblay
        ("Zoë", ["Zoe", "Zoë"]),
        ("zoe trem", ["Zoë"]),
        ("Tremblay, Zoe", ["Zoë"]),
        ("nguyen", ["Ánh"]),
        ("anh", ["Ánh"]),
        ("nguyen thi anh", ["Ánh"]),
        ("lukasz", ["Łukasz"]),
        ("overgard", ["Björn"]),
        ("bjorn", ["Björn"]),
        ("obrien", ["Siobhan"]),
        ("o'brien", ["Siobhan"]),
        ("O’Brien", ["Siobhan"]),
        ("o'brien-smith", ["Siobhan"]),
        ("obrien-smith", ["Siobhan"]),
        ("smith", ["Siobhan"]),
        ("brien", ["Siobhan"]),
        ("王", ["秀英"]),
        ("王秀英", ["秀英"]),
        ("780-555-01", ["Zoe", "Zoë"]),
        ("(780) 555-0101", ["Zoë"]),
        ("1 780 555 0101", ["Zoë"]),
        ("5550102", ["Ánh"]),
        ("1980-01-02", ["Zoë"]),
        ("1980/1/2", ["Zoë"]),
        ("1980-0", ["Zoë"]),  # while typing 1980-01-02
        ("1980-01-0", ["Zoë"]),
        ("1980-", ["Zoë"]),
        ("1975-06", ["Ánh"]),
        ("123456789", ["Zoë"]),
        ("12345-6789", ["Zoë"]),
        ("98765", ["Łukasz"]),
        ("kowalski 1991", ["Łukasz"]),
        ("nobody", []),
    ],
)
def test_search_finds_what_reception_types(
    db: Database, people: dict[str, int], query: str, expected: list[str]
) -> None:
    assert _found(db, query) == expected


def test_empty_query_lists_everyone_in_family_name_order(
    db: Database, people: dict[str, int]
) -> None:
    names = [p.family_name for p in search_patients(db, "  ")]
    assert names == sorted(names, key=fold) and len(names) == len(PEOPLE)


def test_archived_patients_are_left_out_unless_asked(db: Database, people: dict[str, int]) -> None:
    archive_patient(db, people["Zoë"], now=NOW)
    assert _found(db, "zoe") == ["Zoe"]
    found = search_patients(db, "zoe", include_archived=True)
    assert [(p.given_name, p.archived) for p in found] == [("Zoe", False), ("Zoë", True)]


def test_summary_carries_what_the_list_shows(db: Database, people: dict[str, int]) -> None:
    [zoe] = search_patients(db, "tremblay")
    assert zoe.display_name == "Tremblay, Zoë"
    assert zoe.phone_display == "(780) 555-0101"
    assert zoe.health_number == "123456789"
    assert zoe.sort_key == (name_sort_key("Tremblay", "Zoë"), people["Zoë"])


def test_query_words_fold_and_recognise_numbers_and_dates() -> None:
    assert fold("Nguyễn Łukasz Øvergård Đặng") == "nguyen lukasz overgard dang"
    assert query_words("780.555.0123") == ["7805550123"]
    assert query_words("2001.4.4") == ["2001-04-04"]
    assert query_words("Smith,  John") == ["smith", "john"]


def _register_many(db: Database, count: int, archived_every: int = 0) -> list[int]:
    """Patients whose names repeat (same family and given name), as real lists do."""
    families = ["Lee", "Li", "Nguyen", "Zoë", "O'Neil", "Lee"]
    ids = []
    for i in range(count):
        rec = create_patient(
            db,
            PatientInput(
                f"Ann{chr(97 + i % 4)}", families[i % len(families)], date(1970, 1, 1 + i % 28)
            ),
            today=TODAY,
        )
        if archived_every and i % archived_every == 0:
            archive_patient(db, rec.id, now=NOW)
        ids.append(rec.id)
    return ids


def _all_pages(db: Database, query: str, page: int, include_archived: bool) -> list[int]:
    seen: list[int] = []
    after = None
    while True:
        rows = search_patients(
            db, query, limit=page, after=after, include_archived=include_archived
        )
        seen.extend(r.id for r in rows)
        if len(rows) < page:
            return seen
        after = rows[-1].sort_key


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    page=st.integers(min_value=1, max_value=12),
    query=st.sampled_from(["", "lee", "ann", "1970"]),
    include_archived=st.booleans(),
)
def test_keyset_paging_returns_every_match_exactly_once(
    db: Database, page: int, query: str, include_archived: bool
) -> None:
    if not getattr(db, "_paging_fixture", False):
        _register_many(db, 40, archived_every=7)
        db._paging_fixture = True  # type: ignore[attr-defined]
    everyone = search_patients(db, query, limit=500, include_archived=include_archived)
    paged = _all_pages(db, query, page, include_archived)
    assert paged == [p.id for p in everyone]
    assert len(set(paged)) == len(paged)
    if query in ("", "ann", "1970"):
        assert len(everyone) == (40 if include_archived else 40 - 6)


@pytest.mark.parametrize(("narrow_limit", "set_limit"), [(0, 10_000), (0, 0)])
def test_all_three_plans_agree(
    db: Database, monkeypatch: pytest.MonkeyPatch, narrow_limit: int, set_limit: int
) -> None:
    _register_many(db, 30, archived_every=4)
    narrow = _all_pages(db, "lee ann", 4, False)
    assert NARROW_LIMIT > 0 and len(narrow) == 7
    monkeypatch.setattr("frontdesk.patients.search.NARROW_LIMIT", narrow_limit)
    monkeypatch.setattr("frontdesk.patients.search.SET_LIMIT", set_limit)
    assert _all_pages(db, "lee ann", 4, False) == narrow
    assert _all_pages(db, "lee ann", 3, True) == _all_pages(db, "lee ann", 500, True)
