"""Outcome measures (issue 18): each filled-in questionnaire and its score.

One new table. The questionnaire's title, direction and scale are copied into each row, so a
response reads the same after the clinic edits or removes the questionnaire's file.

Revision ID: 0009
Revises: 0008
Create Date: 2027-05-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from frontdesk.db.base import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_T = "outcome_responses"


def upgrade() -> None:
    op.create_table(
        _T,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(),
                  sa.ForeignKey("patients.id", name=f"fk_{_T}_patient_id_patients"),
                  nullable=False),
        sa.Column("questionnaire", sa.String(40), nullable=False),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("short", sa.String(60), nullable=False),
        sa.Column("direction", sa.String(16), nullable=False),
        sa.Column("scale_min", sa.Integer(), nullable=False),
        sa.Column("scale_max", sa.Integer(), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("appointment_id", sa.Integer(),
                  sa.ForeignKey("appointments.id", name=f"fk_{_T}_appointment_id_appointments"),
                  nullable=True),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("score_hundredths", sa.Integer(), nullable=False),
        sa.CheckConstraint("direction IN ('lower_better', 'higher_better')",
                           name=f"ck_{_T}_direction"),
        sa.CheckConstraint("scale_min < scale_max", name=f"ck_{_T}_scale"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{_T}"),
    )
    op.create_index("ix_outcome_responses_patient", _T, ["patient_id", "questionnaire", "taken_on"])


def downgrade() -> None:
    op.drop_table(_T)
