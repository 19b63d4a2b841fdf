"""Staff accounts, signed session notes and the append-only audit trail.

The audit table refuses UPDATE and DELETE through triggers on SQLite and PostgreSQL (and
TRUNCATE on PostgreSQL), so the application, a script or an SQL console cannot rewrite it;
someone with the raw file can, which the hash chain then reveals (``frontdesk audit verify``).

Revision ID: 0005
Revises: 0003
Create Date: 2027-02-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from frontdesk.db.base import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_REFUSAL = "The audit trail is append-only: its rows cannot be changed or deleted."


def upgrade() -> None:
    op.create_table(
        "staff_accounts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(60), nullable=False),
        sa.Column("display_name", sa.String(120), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("practitioner_id", sa.Integer(),
                  sa.ForeignKey("practitioners.id",
                                name="fk_staff_accounts_practitioner_id_practitioners"),
                  nullable=True),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.CheckConstraint("role IN ('administrator', 'reception', 'practitioner')",
                           name="ck_staff_accounts_role"),
        sa.CheckConstraint("length(username) > 0", name="ck_staff_accounts_username_not_empty"),
        sa.PrimaryKeyConstraint("id", name="pk_staff_accounts"),
        sa.UniqueConstraint("username", name="uq_staff_accounts_username"),
    )
    op.create_table(
        "session_note_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("note_id", sa.Integer(),
                  sa.ForeignKey("session_notes.id",
                                name="fk_session_note_versions_note_id_session_notes"),
                  nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("author_account_id", sa.Integer(),
                  sa.ForeignKey("staff_accounts.id",
                                name="fk_session_note_versions_author_account_id_staff_accounts"),
                  nullable=False),
        sa.Column("author_name", sa.String(120), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_session_note_versions"),
        sa.UniqueConstraint("note_id", "number", name="uq_session_note_versions_note_id"),
    )
    op.create_index("ix_session_note_versions_note_id", "session_note_versions", ["note_id"])
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(60), nullable=False),
        sa.Column("workstation", sa.String(200), nullable=False),
        sa.Column("action", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("entity", sa.String(60), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_events"),
        sa.UniqueConstraint("seq", name="uq_audit_events_seq"),
    )
    op.create_index("ix_audit_events_patient", "audit_events", ["patient_id"])
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    with op.batch_alter_table("session_notes") as batch:
        batch.add_column(sa.Column("signed_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("signed_by_account_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_session_notes_signed_by_account_id_staff_accounts",
                                 "staff_accounts", ["signed_by_account_id"], ["id"])
    with op.batch_alter_table("clinic_settings") as batch:
        batch.add_column(sa.Column("lock_after_minutes", sa.Integer(), nullable=False,
                                   server_default="5"))
        batch.create_check_constraint("ck_clinic_settings_lock_after_minutes",
                                      "lock_after_minutes BETWEEN 1 AND 240")
    _create_triggers()


def _create_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{event.lower()} BEFORE {event} ON audit_events "
                f"BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION audit_events_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{_REFUSAL}'; END $$"
    )
    op.execute("CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE "
               "ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_refuse()")
    op.execute("CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE "
               "ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
    else:
        op.execute("DROP TABLE audit_events CASCADE")
        op.execute("DROP FUNCTION IF EXISTS audit_events_refuse()")
    with op.batch_alter_table("clinic_settings") as batch:
        batch.drop_constraint("ck_clinic_settings_lock_after_minutes", type_="check")
        batch.drop_column("lock_after_minutes")
    with op.batch_alter_table("session_notes") as batch:
        batch.drop_constraint("fk_session_notes_signed_by_account_id_staff_accounts",
                              type_="foreignkey")
        batch.drop_column("signed_by_account_id")
        batch.drop_column("signed_at")
    if op.get_bind().dialect.name == "sqlite":
        op.drop_table("audit_events")
    op.drop_table("session_note_versions")
    op.drop_table("staff_accounts")
