"""Intake forms and signed consents (issue 18, item 1).

Two new tables only. ``intake_responses`` holds one row per filled-in intake (never updated;
the latest is current) with the answers and the wording they were given to; ``consents`` holds
each signed consent with its text as signed, the signature as PNG, and the witness.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from frontdesk.db.base import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{target}.id", name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    op.create_table(
        "intake_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), _fk("intake_responses", "patient_id", "patients"),
                  nullable=False),
        sa.Column("form_code", sa.String(80), nullable=False),
        sa.Column("form_title", sa.String(200), nullable=False),
        sa.Column("form_version", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("completed_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_account_id", sa.Integer(),
                  _fk("intake_responses", "recorded_by_account_id", "staff_accounts"),
                  nullable=True),
        sa.Column("recorded_by_name", sa.String(120), nullable=False),
        sa.CheckConstraint("length(form_code) > 0",
                           name="ck_intake_responses_form_code_not_empty"),
        sa.PrimaryKeyConstraint("id", name="pk_intake_responses"),
    )
    op.create_index("ix_intake_responses_patient", "intake_responses",
                    ["patient_id", "completed_at"])
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), _fk("consents", "patient_id", "patients"),
                  nullable=False),
        sa.Column("form_code", sa.String(80), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("form_version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("signer_name", sa.String(200), nullable=False),
        sa.Column("signature_png", sa.LargeBinary(), nullable=False),
        sa.Column("signed_at", UTCDateTime(), nullable=False),
        sa.Column("witness_account_id", sa.Integer(),
                  _fk("consents", "witness_account_id", "staff_accounts"), nullable=True),
        sa.Column("witness_name", sa.String(120), nullable=False),
        sa.CheckConstraint("length(signer_name) > 0", name="ck_consents_signer_name_not_empty"),
        sa.PrimaryKeyConstraint("id", name="pk_consents"),
    )
    op.create_index("ix_consents_patient", "consents", ["patient_id", "signed_at"])


def downgrade() -> None:
    op.drop_index("ix_consents_patient", table_name="consents")
    op.drop_table("consents")
    op.drop_index("ix_intake_responses_patient", table_name="intake_responses")
    op.drop_table("intake_responses")
