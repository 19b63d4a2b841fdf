"""Day-end (issue 17): the clinic days whose money was closed.

One row per closed day, with who closed it, when, and the day sheet's count and net total at
that moment. Payments, refunds and voids dated on a closed day are refused by the billing
services; the table only records the close.

Revision ID: 0013
Revises: 0012
Create Date: 2027-04-15
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from frontdesk.db.base import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "money_day_closes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=False),
        sa.Column("closed_by", sa.String(120), nullable=False),
        sa.Column("payment_count", sa.Integer(), nullable=False),
        sa.Column("net_cents", sa.Integer(), nullable=False),
        sa.CheckConstraint("length(closed_by) > 0", name="ck_money_day_closes_closed_by_not_empty"),
        sa.PrimaryKeyConstraint("id", name="pk_money_day_closes"),
        sa.UniqueConstraint("day", name="uq_money_day_closes_day"),
    )


def downgrade() -> None:
    op.drop_table("money_day_closes")
