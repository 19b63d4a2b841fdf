"""Money at the desk (issue 17): tax codes and rates, fees, products, invoices, payments.

Amounts are integer cents. Tax rates are data with effective dates (GST 5% since 2008-01-01,
seeded here with the "exempt" code at 0), so a rate change is a row, not a release. Invoice
numbers come from the single ``invoice_counter`` row, locked by the transaction that issues an
invoice, so they run without gaps. Existing appointment types become GST-exempt (the seeded
ones are acupuncture, physiotherapy and consultations by registered practitioners).

Revision ID: 0007
Revises: 0006
Create Date: 2027-04-01
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op

from frontdesk.db.base import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_METHODS = ("cash", "debit", "credit_card", "e_transfer", "cheque", "gift_card")


def _fk(table: str, column: str, target: str, ref: str = "id") -> sa.ForeignKey:
    return sa.ForeignKey(f"{target}.{ref}", name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    op.create_table(
        "tax_codes",
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.CheckConstraint("length(code) > 0", name="ck_tax_codes_code_not_empty"),
        sa.PrimaryKeyConstraint("code", name="pk_tax_codes"),
    )
    op.create_table(
        "tax_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tax_code", sa.String(20), _fk("tax_rates", "tax_code", "tax_codes", "code"),
                  nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("basis_points", sa.Integer(), nullable=False),
        sa.CheckConstraint("basis_points BETWEEN 0 AND 10000", name="ck_tax_rates_basis_points"),
        sa.PrimaryKeyConstraint("id", name="pk_tax_rates"),
        sa.UniqueConstraint("tax_code", "effective_from", name="uq_tax_rates_tax_code"),
    )
    codes = sa.table("tax_codes", sa.column("code", sa.String()), sa.column("name", sa.String()))
    rates = sa.table(
        "tax_rates",
        sa.column("tax_code", sa.String()),
        sa.column("effective_from", sa.Date()),
        sa.column("basis_points", sa.Integer()),
    )
    op.bulk_insert(codes, [{"code": "gst", "name": "GST"}, {"code": "exempt", "name": "Exempt"}])
    op.bulk_insert(
        rates,
        [
            {"tax_code": "gst", "effective_from": date(2008, 1, 1), "basis_points": 500},
            {"tax_code": "exempt", "effective_from": date(2008, 1, 1), "basis_points": 0},
        ],
    )

    with op.batch_alter_table("clinic_settings") as batch:
        batch.add_column(sa.Column("gst_number", sa.String(20), nullable=False, server_default=""))
        batch.add_column(sa.Column("late_cancel_fee_on", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("late_cancel_fee_cents", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("no_show_fee_on", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("no_show_fee_cents", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.create_check_constraint(
            "missed_visit_fees", "late_cancel_fee_cents >= 0 AND no_show_fee_cents >= 0"
        )
    with op.batch_alter_table("practitioners") as batch:
        batch.add_column(sa.Column("profession", sa.String(80), nullable=False, server_default=""))
        batch.add_column(sa.Column("registration_number", sa.String(40), nullable=False,
                                   server_default=""))
    with op.batch_alter_table("appointment_types") as batch:
        batch.add_column(sa.Column("tax_code", sa.String(20), nullable=False,
                                   server_default="exempt"))
        batch.create_foreign_key("fk_appointment_types_tax_code_tax_codes", "tax_codes",
                                 ["tax_code"], ["code"])

    op.create_table(
        "fees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appointment_type_id", sa.Integer(),
                  _fk("fees", "appointment_type_id", "appointment_types"), nullable=False),
        sa.Column("practitioner_id", sa.Integer(),
                  _fk("fees", "practitioner_id", "practitioners"), nullable=True),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.CheckConstraint("amount_cents >= 0", name="ck_fees_amount"),
        sa.PrimaryKeyConstraint("id", name="pk_fees"),
        sa.UniqueConstraint("appointment_type_id", "practitioner_id", "effective_from",
                            name="uq_fees_appointment_type_id"),
    )
    op.create_index("ix_fees_type_from", "fees", ["appointment_type_id", "effective_from"])
    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column("tax_code", sa.String(20), _fk("products", "tax_code", "tax_codes", "code"),
                  nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("length(name) > 0", name="ck_products_name_not_empty"),
        sa.CheckConstraint("price_cents >= 0", name="ck_products_price"),
        sa.PrimaryKeyConstraint("id", name="pk_products"),
        sa.UniqueConstraint("name", name="uq_products_name"),
    )
    op.create_table(
        "invoice_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("next_number", sa.Integer(), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_invoice_counter_single_row"),
        sa.CheckConstraint("next_number >= 1", name="ck_invoice_counter_next_number"),
        sa.PrimaryKeyConstraint("id", name="pk_invoice_counter"),
    )
    counter = sa.table(
        "invoice_counter", sa.column("id", sa.Integer()), sa.column("next_number", sa.Integer())
    )
    op.bulk_insert(counter, [{"id": 1, "next_number": 1}])
    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issued_at", UTCDateTime(), nullable=False),
        sa.Column("patient_id", sa.Integer(), _fk("invoices", "patient_id", "patients"),
                  nullable=False),
        sa.Column("appointment_id", sa.Integer(),
                  _fk("invoices", "appointment_id", "appointments"), nullable=True),
        sa.Column("practitioner_id", sa.Integer(),
                  _fk("invoices", "practitioner_id", "practitioners"), nullable=True),
        sa.Column("service_date", sa.Date(), nullable=True),
        sa.Column("subtotal_cents", sa.Integer(), nullable=False),
        sa.Column("tax_cents", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.Column("voided_at", UTCDateTime(), nullable=True),
        sa.Column("reissue_of_id", sa.Integer(), _fk("invoices", "reissue_of_id", "invoices"),
                  nullable=True),
        sa.CheckConstraint("status IN ('issued', 'void')", name="ck_invoices_status"),
        sa.CheckConstraint("kind IN ('visit', 'late_cancellation', 'no_show', 'sale')",
                           name="ck_invoices_kind"),
        sa.CheckConstraint(
            "status <> 'void' OR (void_reason IS NOT NULL AND length(void_reason) > 0)",
            name="ck_invoices_void_has_reason",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_invoices"),
        sa.UniqueConstraint("number", name="uq_invoices_number"),
    )
    op.create_index("ix_invoices_patient", "invoices", ["patient_id", "issued_on"])
    op.create_index("ix_invoices_appointment", "invoices", ["appointment_id"])
    op.create_index("ix_invoices_issued_on", "invoices", ["issued_on"])
    op.create_table(
        "invoice_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), _fk("invoice_lines", "invoice_id", "invoices"),
                  nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(200), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_cents", sa.Integer(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("tax_code", sa.String(20),
                  _fk("invoice_lines", "tax_code", "tax_codes", "code"), nullable=False),
        sa.Column("tax_basis_points", sa.Integer(), nullable=False),
        sa.Column("tax_cents", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name="ck_invoice_lines_quantity"),
        sa.CheckConstraint("length(description) > 0",
                           name="ck_invoice_lines_description_not_empty"),
        sa.CheckConstraint("amount_cents = quantity * unit_price_cents",
                           name="ck_invoice_lines_amount"),
        sa.PrimaryKeyConstraint("id", name="pk_invoice_lines"),
        sa.UniqueConstraint("invoice_id", "position", name="uq_invoice_lines_invoice_id"),
    )
    methods = ", ".join(f"'{m}'" for m in _METHODS)
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), _fk("payments", "patient_id", "patients"),
                  nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("refund_of_id", sa.Integer(), _fk("payments", "refund_of_id", "payments"),
                  nullable=True),
        sa.CheckConstraint(f"method IN ({methods})", name="ck_payments_method"),
        sa.CheckConstraint("amount_cents <> 0", name="ck_payments_amount_not_zero"),
        sa.CheckConstraint("amount_cents > 0 OR length(reason) > 0",
                           name="ck_payments_refund_has_reason"),
        sa.PrimaryKeyConstraint("id", name="pk_payments"),
    )
    op.create_index("ix_payments_patient", "payments", ["patient_id", "received_on"])
    op.create_index("ix_payments_received_on", "payments", ["received_on"])
    op.create_table(
        "payment_allocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(),
                  _fk("payment_allocations", "payment_id", "payments"), nullable=False),
        sa.Column("invoice_id", sa.Integer(),
                  _fk("payment_allocations", "invoice_id", "invoices"), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("amount_cents <> 0", name="ck_payment_allocations_amount_not_zero"),
        sa.PrimaryKeyConstraint("id", name="pk_payment_allocations"),
    )
    op.create_index("ix_payment_allocations_invoice", "payment_allocations", ["invoice_id"])
    op.create_index("ix_payment_allocations_payment", "payment_allocations", ["payment_id"])


def downgrade() -> None:
    for table in ("payment_allocations", "payments", "invoice_lines", "invoices",
                  "invoice_counter", "products", "fees"):
        op.drop_table(table)
    with op.batch_alter_table("appointment_types") as batch:
        batch.drop_constraint("fk_appointment_types_tax_code_tax_codes", type_="foreignkey")
        batch.drop_column("tax_code")
    with op.batch_alter_table("practitioners") as batch:
        batch.drop_column("registration_number")
        batch.drop_column("profession")
    with op.batch_alter_table("clinic_settings") as batch:
        batch.drop_constraint("missed_visit_fees", type_="check")
        for column in ("no_show_fee_cents", "no_show_fee_on", "late_cancel_fee_cents",
                       "late_cancel_fee_on", "gst_number"):
            batch.drop_column(column)
    op.drop_table("tax_rates")
    op.drop_table("tax_codes")
