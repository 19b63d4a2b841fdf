"""The server as judge: PostgreSQL refuses overlapping active appointments by itself.

The booking services check for a clash and lock the practitioner, room and patient rows before
they insert, so two desks cannot both take one time. These exclusion constraints make the
server refuse an overlap even when a check is missed (a script, a bug, a service that forgot
to lock): two active appointments of one practitioner, one room or one patient may not share
a moment. Cancelled and no-show appointments free their time, as in the services.

SQLite has no exclusion constraints; there every write transaction is serialised by
``BEGIN IMMEDIATE``, so this migration changes nothing on SQLite.

A database that already holds overlapping active appointments is not changed: the upgrade
stops with a message saying how many and which, so they can be sorted out first.

Revision ID: 0004
Revises: 0003
Create Date: 2027-02-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Frozen copies of the rules as they are at this revision.
_ACTIVE = "status NOT IN ('cancelled', 'no_show')"
_PARTIES = ("practitioner_id", "room_id", "patient_id")


def _name(column: str) -> str:
    return f"ex_appointments_{column.removesuffix('_id')}_overlap"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    _refuse_existing_overlaps(bind)
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for column in _PARTIES:
        op.execute(
            f"ALTER TABLE appointments ADD CONSTRAINT {_name(column)} EXCLUDE USING gist "
            f"({column} WITH =, tstzrange(start_at, end_at, '[)') WITH &&) WHERE ({_ACTIVE})"
        )


def _refuse_existing_overlaps(bind: sa.Connection) -> None:
    for column in _PARTIES:
        pairs = bind.execute(sa.text(
            f"SELECT a.id, b.id FROM appointments a JOIN appointments b "
            f"ON a.{column} = b.{column} AND a.id < b.id "
            f"AND a.start_at < b.end_at AND b.start_at < a.end_at "
            f"WHERE a.{_ACTIVE} AND b.{_ACTIVE} ORDER BY a.id, b.id"
        )).all()
        if pairs:
            shown = ", ".join(f"{a} and {b}" for a, b in pairs[:5])
            party = column.removesuffix("_id")
            raise RuntimeError(
                f"This database holds {len(pairs)} pair(s) of active appointments that overlap "
                f"for the same {party} (appointment ids {shown}); the upgrade was stopped and "
                "nothing was changed. Cancel or move one of each pair with the previous "
                "Frontdesk, then open the database again."
            )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in _PARTIES:
        op.execute(f"ALTER TABLE appointments DROP CONSTRAINT IF EXISTS {_name(column)}")
