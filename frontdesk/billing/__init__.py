"""Money at the desk (issue 17): fees, invoices, payments, balances, receipts.

No Qt here: the check-out dialog, scripts and tests all call these functions, each one a
permission-checked, audited ``@operation``. Amounts are integer cents throughout.
"""

from frontdesk.billing.fees import (
    FeeView,
    MissedVisitPolicy,
    ProductView,
    add_product,
    fee_for_visit,
    get_missed_visit_fees,
    list_fees,
    list_products,
    set_appointment_type_tax_code,
    set_fee,
    set_gst_number,
    set_missed_visit_fees,
    set_practitioner_registration,
)
from frontdesk.billing.invoices import (
    Quote,
    charge_missed_visit,
    check_out,
    get_invoice,
    quote_check_out,
    reissue_invoice,
    void_invoice,
)
from frontdesk.billing.money import amount_text, fmt_money, line_tax, parse_money
from frontdesk.billing.payments import (
    apply_credit,
    patient_balance,
    patient_billing_history,
    refund_payment,
    take_payment,
)
from frontdesk.billing.types import (
    Balance,
    HistoryEntry,
    InvoiceView,
    LineInput,
    PaymentMethod,
    PaymentResult,
    PaymentView,
    ProductLine,
    Tender,
)

__all__ = [
    "Balance",
    "FeeView",
    "HistoryEntry",
    "InvoiceView",
    "LineInput",
    "MissedVisitPolicy",
    "PaymentMethod",
    "PaymentResult",
    "PaymentView",
    "ProductLine",
    "ProductView",
    "Quote",
    "Tender",
    "add_product",
    "amount_text",
    "apply_credit",
    "charge_missed_visit",
    "check_out",
    "fee_for_visit",
    "fmt_money",
    "get_invoice",
    "get_missed_visit_fees",
    "line_tax",
    "list_fees",
    "list_products",
    "parse_money",
    "patient_balance",
    "patient_billing_history",
    "quote_check_out",
    "refund_payment",
    "reissue_invoice",
    "set_appointment_type_tax_code",
    "set_fee",
    "set_gst_number",
    "set_missed_visit_fees",
    "set_practitioner_registration",
    "take_payment",
    "void_invoice",
]
