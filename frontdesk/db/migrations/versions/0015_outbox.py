"""Email reminders (issue 19): the outbox, the clinic's mail server, templates, consent.

Patients gain their contact preference (email yes/no) and their consent to be emailed, both
off for everyone already registered: nobody is emailed until the clinic has asked them.
``outbox_messages`` holds every message, keyed by (appointment, its version, kind) so the same
message can never be written twice; ``email_settings`` is the mail server (one row) and
``message_templates`` the clinic's own wording.

Revision ID: 0015
Revises: 0014
Create Date: 2027-05-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from frontdesk.db.base import UTCDateTime

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_KINDS = "kind IN ('confirmation', 'course_confirmation', 'reminder', 'move', 'cancellation')"


def upgrade() -> None:
    with op.batch_alter_table("patients") as batch:
        batch.add_column(sa.Column("contact_by_email", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("email_consent", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    op.create_table(
        "email_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(200), nullable=False),
        sa.Column("port", sa.Integer(), nullable=False),
        sa.Column("security", sa.String(10), nullable=False),
        sa.Column("username", sa.String(200), nullable=False),
        sa.Column("sender", sa.String(200), nullable=False),
        sa.Column("password_in_keyring", sa.Boolean(), nullable=False),
        sa.Column("password_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("reminder_hours", sa.Integer(), nullable=False),
        sa.Column("give_up_hours", sa.Integer(), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_email_settings_single_row"),
        sa.CheckConstraint("security IN ('starttls', 'tls', 'none')",
                           name="ck_email_settings_security"),
        sa.CheckConstraint("port BETWEEN 1 AND 65535", name="ck_email_settings_port"),
        sa.CheckConstraint("reminder_hours BETWEEN 1 AND 336",
                           name="ck_email_settings_reminder_hours"),
        sa.CheckConstraint("give_up_hours BETWEEN 1 AND 168",
                           name="ck_email_settings_give_up_hours"),
        sa.PrimaryKeyConstraint("id", name="pk_email_settings"),
    )
    op.create_table(
        "message_templates",
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.CheckConstraint(_KINDS, name="ck_message_templates_kind"),
        sa.PrimaryKeyConstraint("kind", name="pk_message_templates"),
    )
    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(),
                  sa.ForeignKey("appointments.id",
                                name="fk_outbox_messages_appointment_id_appointments"),
                  nullable=False),
        sa.Column("appointment_version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("patient_id", sa.Integer(),
                  sa.ForeignKey("patients.id", name="fk_outbox_messages_patient_id_patients"),
                  nullable=False),
        sa.Column("visit_start", UTCDateTime(), nullable=False),
        sa.Column("to_address", sa.String(200), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("ics", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.String(80), nullable=False),
        sa.Column("claimed_at", UTCDateTime(), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(_KINDS, name="ck_outbox_messages_kind"),
        sa.CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'failed', 'not_sent', 'skipped')",
            name="ck_outbox_messages_status",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_messages"),
        sa.UniqueConstraint("appointment_id", "appointment_version", "kind",
                            name="uq_outbox_messages_appointment_id"),
    )
    op.create_index("ix_outbox_messages_status_next", "outbox_messages",
                    ["status", "next_attempt_at"])
    op.create_index("ix_outbox_messages_patient", "outbox_messages", ["patient_id", "created_at"])
    op.create_index("ix_outbox_messages_appointment", "outbox_messages", ["appointment_id"])


def downgrade() -> None:
    op.drop_table("outbox_messages")
    op.drop_table("message_templates")
    op.drop_table("email_settings")
    with op.batch_alter_table("patients") as batch:
        batch.drop_column("email_consent")
        batch.drop_column("contact_by_email")
