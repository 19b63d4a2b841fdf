"""The patient list reads the way people read names, on SQLite and PostgreSQL alike.

Côté sorts with Cote and before Cyr, Łukasz among the L's, Zoë with Zoe: accents and case
only break ties between names that are otherwise the same, and patients with the very same
name stay in the order they were registered. A database from before the sort column gets it
filled when it is upgraded, and paging never loses or repeats a patient at a page boundary.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import text

from frontdesk.db.engine import Database
from frontdesk.db.schema import current_revision, ensure_schema, head_revision, upgrade
from frontdesk.folding import name_sort_key
from frontdesk.patients import PatientInput, create_patient, get_patient, search_patients
from frontdesk.patients import update_patient as update
from tests.accounts_support import as_admin

TODAY = date(2026, 3, 2)

# Registered in this (jumbled) order; ids follow it.
REGISTERED = [
    ("Paul", "Cyr"),
    ("Marc", "Côté"),
    ("Jean", "Dubois"),
    ("Marc", "Cote"),
    ("Ana", "de Souza"),
    ("Anne", "Côté"),
    ("Lyle", "Lewandowski"),
    ("Łukasz", "Lewandowski"),
    ("Zoë", "Zimmer"),
    ("Zoey", "Zimmer"),
    ("Zoe", "Zimmer"),
    ("Luis", "Lewandowski"),
    ("Marc", "COTE"),
    ("Ana", "De Souza"),
]

# As a reader expects them: letters first, then accents (Cote before Côté), then capitals.
EXPECTED = [
    "Côté, Anne",  # "anne" comes before "marc" whatever the accents on the family name
    "COTE, Marc",
    "Cote, Marc",
    "Côté, Marc",
    "Cyr, Paul",
    "De Souza, Ana",
    "de Souza, Ana",
    "Dubois, Jean",
    "Lewandowski, Luis",
    "Lewandowski, Łukasz",
    "Lewandowski, Lyle",
    "Zimmer, Zoe",
    "Zimmer, Zoë",
    "Zimmer, Zoey",
]


def _register(db: Database, names: list[tuple[str, str]]) -> list[int]:
    return [
        create_patient(db, PatientInput(given, family, date(1980, 1, 2)), today=TODAY).id
        for given, family in names
    ]


def _listed(db: Database, query: str = "", page: int = 500) -> list[str]:
    names: list[str] = []
    after = None
    while True:
        rows = search_patients(db, query, limit=page, after=after)
        names += [r.display_name for r in rows]
        if len(rows) < page:
            return names
        after = rows[-1].sort_key


def test_names_sort_as_people_read_them(db: Database) -> None:
    _register(db, REGISTERED)
    assert _listed(db) == EXPECTED
    assert _listed(db, page=3) == EXPECTED  # page after page, the same order
    assert _listed(db, "cote") == ["Côté, Anne", "COTE, Marc", "Cote, Marc", "Côté, Marc"]


def test_an_edited_name_moves_to_its_new_place(db: Database) -> None:
    _, dubois = _register(db, [("Paul", "Cyr"), ("Jean", "Dubois")])
    record = get_patient(db, dubois)
    edited = PatientInput("Jean", "Ćorić", record.date_of_birth)
    update(db, dubois, edited, expected_version=record.version, today=TODAY)
    assert _listed(db) == ["Ćorić, Jean", "Cyr, Paul"]


def test_patients_with_the_same_name_stay_in_registration_order_across_pages(
    db: Database,
) -> None:
    """Equal sort keys on both sides of a page boundary: each patient once, oldest first."""
    ids = _register(db, [("Marc", "Cote")] * 5 + [("Marc", "Côté")] * 3 + [("Paul", "Cyr")])
    for page in (1, 2, 3, 4):
        seen: list[int] = []
        after = None
        while rows := search_patients(db, "", limit=page, after=after):
            seen += [r.id for r in rows]
            after = rows[-1].sort_key
        assert seen == ids, f"page of {page}"
    # The third page of two starts between two patients with the very same key.
    first_two_pages = search_patients(db, "", limit=4)
    assert first_two_pages[2].sort_key[0] == first_two_pages[3].sort_key[0]


# ----- upgrading a database from before the sort column -----------------------------------

OLD_ROWS = [("Paul", "Cyr"), ("Marc", "Côté"), ("Łukasz", "Lis"), ("Zoë", "Cote")]


def _insert_old_patients(db: Database) -> None:
    with db.write() as s:
        for given, family in OLD_ROWS:
            s.execute(
                text(
                    "INSERT INTO patients (given_name, family_name, preferred_name,"
                    " date_of_birth, phone, phone_alt, email, address, emergency_contact,"
                    " referral_source, notes, archived, created_at, updated_at, version)"
                    " VALUES (:given, :family, '', '1980-01-02', '', '', '', '', '', '',"
                    " '', FALSE, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1)"
                ),
                {"given": given, "family": family},
            )


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database with no tables at all, to be brought to an old revision by the test."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
        yield database
        database.dispose()
        return
    server = request.getfixturevalue("pg_server")
    name = f"old_{os.getpid()}_{tmp_path.name}".lower().replace("-", "_")[:60]
    admin = sa.create_engine(server.url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    database = Database(server.url(name))
    yield database
    database.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrading_from_0005_fills_every_sort_name(
    empty_database: Database, tmp_path: Path
) -> None:
    upgrade(empty_database, "0005")
    _insert_old_patients(empty_database)

    ensure_schema(empty_database, backup_dir=tmp_path / "backups", confirm_server_backup=True)
    assert current_revision(empty_database) == head_revision()
    with empty_database.read() as s:
        stored = s.execute(text("SELECT given_name, family_name, sort_name FROM patients")).all()
    assert sorted(stored) == sorted((g, f, name_sort_key(f, g)) for g, f in OLD_ROWS)
    db = as_admin(empty_database)
    assert _listed(db) == ["Côté, Marc", "Cote, Zoë", "Cyr, Paul", "Lis, Łukasz"]
    # New patients land among the upgraded ones, and the column refuses to be left empty.
    _register(db, [("Anne", "Côté")])
    assert _listed(db)[:3] == ["Côté, Anne", "Côté, Marc", "Cote, Zoë"]
    with pytest.raises(sa.exc.IntegrityError), empty_database.write() as s:
        s.execute(text("UPDATE patients SET sort_name = NULL"))
