"""A wait list (issue 19): patients waiting for an opening, and what suits them.

One new table; nothing existing changes. Entries are closed (booked or removed), never
deleted, so the list can show who was offered what.

Revision ID: 0008
Revises: 0007
Create Date: 2027-05-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from frontdesk.db.base import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_T = "waitlist_entries"


def _fk(column: str, target: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{target}.id", name=f"fk_{_T}_{column}_{target}")


def upgrade() -> None:
    op.create_table(
        _T,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), _fk("patient_id", "patients"), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), _fk("practitioner_id", "practitioners"),
                  nullable=True),
        sa.Column("appointment_type_id", sa.Integer(),
                  _fk("appointment_type_id", "appointment_types"), nullable=False),
        sa.Column("weekdays", sa.Integer(), nullable=False),
        sa.Column("earliest_minute", sa.Integer(), nullable=False),
        sa.Column("latest_minute", sa.Integer(), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("close_reason", sa.Text(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), _fk("appointment_id", "appointments"),
                  nullable=True),
        sa.CheckConstraint("weekdays BETWEEN 1 AND 127", name=f"ck_{_T}_some_weekday"),
        sa.CheckConstraint(
            "earliest_minute >= 0 AND latest_minute <= 1440 AND earliest_minute < latest_minute",
            name=f"ck_{_T}_time_window",
        ),
        sa.CheckConstraint("status IN ('waiting', 'booked', 'removed')", name=f"ck_{_T}_status"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{_T}"),
    )
    op.create_index("ix_waitlist_entries_status_until", _T, ["status", "until"])
    op.create_index("ix_waitlist_entries_patient", _T, ["patient_id"])


def downgrade() -> None:
    op.drop_table(_T)
