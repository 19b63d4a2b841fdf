"""Acupuncture points and needles in session notes, point prescriptions, adverse events
(issue 18).

Three new tables, nothing else changed: ``note_needling`` (one row per session note: points
with their side, needle counts in and out, retention, electro-stimulation, moxibustion,
cupping), ``point_prescriptions`` (saved point sets per condition) and ``adverse_events``.

Revision ID: 0012
Revises: 0011
Create Date: 2027-05-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from frontdesk.db.base import UTCDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_KINDS = (
    "kind IN ('bruising', 'fainting', 'pain', 'stuck_needle', 'pneumothorax', "
    "'needle_unaccounted', 'other')"
)


def _fk(table: str, column: str, target: str, ref: str = "id") -> sa.ForeignKey:
    return sa.ForeignKey(f"{target}.{ref}", name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    op.create_table(
        "note_needling",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), _fk("note_needling", "note_id", "session_notes"),
                  nullable=False),
        sa.Column("points", sa.JSON(), nullable=False),
        sa.Column("needles_in", sa.Integer(), nullable=True),
        sa.Column("needles_out", sa.Integer(), nullable=True),
        sa.Column("retention_minutes", sa.Integer(), nullable=True),
        sa.Column("electro_hz", sa.Integer(), nullable=True),
        sa.Column("moxibustion", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("cupping", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.CheckConstraint("needles_in IS NULL OR needles_in BETWEEN 0 AND 200",
                           name="ck_note_needling_needles_in"),
        sa.CheckConstraint("needles_out IS NULL OR needles_out BETWEEN 0 AND 200",
                           name="ck_note_needling_needles_out"),
        sa.CheckConstraint("retention_minutes IS NULL OR retention_minutes BETWEEN 0 AND 240",
                           name="ck_note_needling_retention_minutes"),
        sa.CheckConstraint("electro_hz IS NULL OR (electro_hz > 0 AND electro_hz <= 200)",
                           name="ck_note_needling_electro_hz"),
        sa.PrimaryKeyConstraint("id", name="pk_note_needling"),
        sa.UniqueConstraint("note_id", name="uq_note_needling_note_id"),
    )
    op.create_table(
        "point_prescriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("condition", sa.String(200), nullable=False),
        sa.Column("points", sa.JSON(), nullable=False),
        sa.Column("retention_minutes", sa.Integer(), nullable=True),
        sa.Column("electro_hz", sa.Integer(), nullable=True),
        sa.Column("moxibustion", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("cupping", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("length(name) > 0", name="ck_point_prescriptions_name_not_empty"),
        sa.PrimaryKeyConstraint("id", name="pk_point_prescriptions"),
        sa.UniqueConstraint("name", name="uq_point_prescriptions_name"),
    )
    op.create_table(
        "adverse_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), _fk("adverse_events", "patient_id", "patients"),
                  nullable=False),
        sa.Column("practitioner_id", sa.Integer(),
                  _fk("adverse_events", "practitioner_id", "practitioners"), nullable=False),
        sa.Column("note_id", sa.Integer(), _fk("adverse_events", "note_id", "session_notes"),
                  nullable=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("action_taken", sa.Text(), nullable=False),
        sa.Column("recorded_by_account_id", sa.Integer(),
                  _fk("adverse_events", "recorded_by_account_id", "staff_accounts"),
                  nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(_KINDS, name="ck_adverse_events_kind"),
        sa.CheckConstraint("length(action_taken) > 0",
                           name="ck_adverse_events_action_taken_not_empty"),
        sa.PrimaryKeyConstraint("id", name="pk_adverse_events"),
    )
    op.create_index("ix_adverse_events_patient", "adverse_events", ["patient_id", "occurred_at"])
    op.create_index("ix_adverse_events_note", "adverse_events", ["note_id"])


def downgrade() -> None:
    op.drop_index("ix_adverse_events_note", table_name="adverse_events")
    op.drop_index("ix_adverse_events_patient", table_name="adverse_events")
    for table in ("adverse_events", "point_prescriptions", "note_needling"):
        op.drop_table(table)
