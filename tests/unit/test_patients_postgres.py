"""Patients and the demo clinic on PostgreSQL, where clinics with several workstations go.

Token prefix ranges must hold under PostgreSQL's collation, and rows the demo writes with
explicit ids must leave the id sequences ready for the next patient typed in at the desk.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from frontdesk.db.engine import Database
from frontdesk.demo import build_demo
from frontdesk.patients import (
    PatientInput,
    archive_patient,
    create_patient,
    find_duplicates,
    search_patients,
)

TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)


@pytest.mark.postgres
def test_search_and_paging_on_postgresql(pg_db: Database) -> None:
    names = [
        ("Siobhan", "O'Brien-Smith"),
        ("Zoë", "Tremblay"),
        ("Łukasz", "Kowalski"),
        ("Ánh", "Nguyễn"),
        ("Ann", "Obst"),
        ("Ann", "Lee"),
        ("Ann", "Lee"),
    ]
    ids = [
        create_patient(
            pg_db, PatientInput(g, f, date(1980, 1, 2), phone="780-555-0123"), today=TODAY
        ).id
        for g, f in names
    ]
    assert [p.family_name for p in search_patients(pg_db, "o'brien")] == ["O'Brien-Smith"]
    found = search_patients(pg_db, "obrien siob")
    assert [(p.given_name, p.family_name) for p in found] == [("Siobhan", "O'Brien-Smith")]
    assert [p.family_name for p in search_patients(pg_db, "ob")] == ["O'Brien-Smith", "Obst"]
    assert [p.given_name for p in search_patients(pg_db, "zoe")] == ["Zoë"]
    assert [p.given_name for p in search_patients(pg_db, "lukasz 1980-01")] == ["Łukasz"]
    assert len(search_patients(pg_db, "5550123")) == len(names)
    archive_patient(pg_db, ids[-1], now=NOW)
    paged, after = [], None
    while rows := search_patients(pg_db, "", limit=2, after=after):
        paged += [r.id for r in rows]
        after = rows[-1].sort_key
    assert sorted(paged) == sorted(ids[:-1])
    assert {d.reason for d in find_duplicates(pg_db, PatientInput("Ann", "Lee", date(1980, 1, 2)))}


@pytest.mark.postgres
@pytest.mark.slow
def test_demo_on_postgresql_leaves_sequences_ready(pg_db: Database) -> None:
    summary = build_demo(pg_db, patients=60, today=TODAY)
    assert summary.patients == 60 and summary.appointments == 360
    new = create_patient(pg_db, PatientInput("Nouveau", "Patient", date(1990, 5, 5)), today=TODAY)
    assert new.id == 61
    found = search_patients(pg_db, "obrien siob")
    assert [(p.given_name, p.family_name) for p in found] == [("Siobhan", "O'Brien-Smith")]
