"""Course packages (issue 17, item 4): a course sold as N sessions at a package price.

``package_policy`` (one row) holds the clinic's rule: the discount a package gets off the
regular fees when its type has no price of its own, how unused sessions are credited when a
course is cancelled, and the fee kept out of that credit. ``package_prices`` lists package
prices per type and number of sessions with effective dates; ``course_packages`` links a course
to its sale invoice; ``package_draws`` records which attended visit used which session.

Only new tables: nothing of an existing table changes.

Revision ID: 0010
Revises: 0009
Create Date: 2027-04-15
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from frontdesk.db.base import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{target}.id", name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    op.create_table(
        "package_policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("discount_basis_points", sa.Integer(), nullable=False),
        sa.Column("cancel_fee_cents", sa.Integer(), nullable=False),
        sa.Column("refund_rule", sa.String(20), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_package_policy_single_row"),
        sa.CheckConstraint("discount_basis_points BETWEEN 0 AND 10000",
                           name="ck_package_policy_discount"),
        sa.CheckConstraint("cancel_fee_cents >= 0", name="ck_package_policy_cancel_fee"),
        sa.CheckConstraint("refund_rule IN ('package_rate', 'regular_fee')",
                           name="ck_package_policy_refund_rule"),
        sa.PrimaryKeyConstraint("id", name="pk_package_policy"),
    )
    policy = sa.table(
        "package_policy",
        sa.column("id", sa.Integer()),
        sa.column("discount_basis_points", sa.Integer()),
        sa.column("cancel_fee_cents", sa.Integer()),
        sa.column("refund_rule", sa.String()),
    )
    # 10% off the regular fees; unused sessions credited at the package's rate, no fee kept.
    op.bulk_insert(
        policy,
        [{"id": 1, "discount_basis_points": 1000, "cancel_fee_cents": 0,
          "refund_rule": "package_rate"}],
    )
    op.create_table(
        "package_prices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appointment_type_id", sa.Integer(),
                  _fk("package_prices", "appointment_type_id", "appointment_types"),
                  nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.CheckConstraint("sessions BETWEEN 1 AND 60", name="ck_package_prices_sessions"),
        sa.CheckConstraint("price_cents >= 0", name="ck_package_prices_price"),
        sa.PrimaryKeyConstraint("id", name="pk_package_prices"),
        sa.UniqueConstraint("appointment_type_id", "sessions", "effective_from",
                            name="uq_package_prices_appointment_type_id"),
    )
    op.create_table(
        "course_packages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(),
                  _fk("course_packages", "course_id", "treatment_courses"), nullable=False),
        sa.Column("patient_id", sa.Integer(), _fk("course_packages", "patient_id", "patients"),
                  nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), _fk("course_packages", "invoice_id", "invoices"),
                  nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("cancelled_at", UTCDateTime(), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("credit_cents", sa.Integer(), nullable=True),
        sa.CheckConstraint("sessions BETWEEN 1 AND 60", name="ck_course_packages_sessions"),
        sa.CheckConstraint("price_cents >= 0", name="ck_course_packages_price"),
        sa.CheckConstraint("status IN ('active', 'cancelled')", name="ck_course_packages_status"),
        sa.CheckConstraint(
            "status <> 'cancelled' OR (cancel_reason IS NOT NULL AND length(cancel_reason) > 0)",
            name="ck_course_packages_cancel_has_reason",
        ),
        sa.CheckConstraint("credit_cents IS NULL OR credit_cents >= 0",
                           name="ck_course_packages_credit"),
        sa.PrimaryKeyConstraint("id", name="pk_course_packages"),
        sa.UniqueConstraint("course_id", name="uq_course_packages_course_id"),
    )
    op.create_index("ix_course_packages_patient", "course_packages", ["patient_id"])
    op.create_table(
        "package_draws",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.Integer(),
                  _fk("package_draws", "package_id", "course_packages"), nullable=False),
        sa.Column("appointment_id", sa.Integer(),
                  _fk("package_draws", "appointment_id", "appointments"), nullable=False),
        sa.Column("invoice_id", sa.Integer(), _fk("package_draws", "invoice_id", "invoices"),
                  nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_package_draws"),
        sa.UniqueConstraint("appointment_id", name="uq_package_draws_appointment_id"),
    )
    op.create_index("ix_package_draws_package", "package_draws", ["package_id"])


def downgrade() -> None:
    for table in ("package_draws", "course_packages", "package_prices", "package_policy"):
        op.drop_table(table)
