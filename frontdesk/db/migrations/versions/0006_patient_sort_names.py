"""Patients listed the way people read names: Côté with Cote, before Cyr.

The list used to sort on the family and given names as stored, code point by code point on
SQLite (so "Côté" came after "Cyr", and "de Souza" after every capital) and by the server's
collation on PostgreSQL (so two desks could disagree). A new ``sort_name`` column holds
``frontdesk.folding.name_sort_key`` of the names, compared byte by byte on both databases, and
the list's index moves to it, so paging stays an index range at 100,000 patients.

Existing rows are filled here in Python with the very function the patient service uses (the
key is accent folding, which SQL cannot do the same way on both databases). Should that
function ever change, a later migration must fill the column again.

Revision ID: 0006
Revises: 0005
Create Date: 2027-03-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from frontdesk.folding import SORT_KEY_MAX, name_sort_key

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_CHUNK = 2000
_patients = sa.table(
    "patients",
    sa.column("id", sa.Integer()),
    sa.column("family_name", sa.String()),
    sa.column("given_name", sa.String()),
    sa.column("sort_name", sa.String()),
)


def _sort_type() -> sa.types.TypeEngine[str]:
    return sa.String(SORT_KEY_MAX).with_variant(
        sa.String(SORT_KEY_MAX, collation="C"), "postgresql"
    )


def _fill_sort_names() -> None:
    """Every patient's key, a chunk of ids at a time (a large clinic has 100,000 rows)."""
    conn = op.get_bind()
    last_id = 0
    while True:
        rows = conn.execute(
            sa.select(_patients.c.id, _patients.c.family_name, _patients.c.given_name)
            .where(_patients.c.id > last_id)
            .order_by(_patients.c.id)
            .limit(_CHUNK)
        ).all()
        if not rows:
            return
        conn.execute(
            sa.update(_patients)
            .where(_patients.c.id == sa.bindparam("row_id"))
            .values(sort_name=sa.bindparam("key")),
            [{"row_id": r.id, "key": name_sort_key(r.family_name, r.given_name)} for r in rows],
        )
        last_id = rows[-1].id


def upgrade() -> None:
    with op.batch_alter_table("patients") as batch:
        batch.add_column(sa.Column("sort_name", _sort_type(), nullable=True))
    _fill_sort_names()
    with op.batch_alter_table("patients") as batch:
        batch.alter_column("sort_name", existing_type=_sort_type(), nullable=False)
        batch.drop_index("ix_patients_sort")
        batch.create_index("ix_patients_sort", ["sort_name", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("patients") as batch:
        batch.drop_index("ix_patients_sort")
        batch.create_index("ix_patients_sort", ["family_name", "given_name", "id"], unique=False)
        batch.drop_column("sort_name")
