"""Money at the desk (issue 17): fees, invoices, payments, balances, receipts.

No Qt here: the check-out dialog, scripts and tests all call these functions, each one a
permission-checked, audited ``@operation``. Amounts are integer cents throughout.
"""

from typing import TYPE_CHECKING

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

if TYPE_CHECKING:  # the names below, for the type checker; loaded on first use (below)
    from frontdesk.billing.packages import (
        CourseCancellationPreview,
        PackageCancellation,
        PackagedCourse,
        PackageOffer,
        PackagePriceView,
        PackageRules,
        PackageView,
        book_packaged_course,
        cancel_packaged_course,
        get_package_policy,
        list_package_prices,
        package_offer,
        patient_packages,
        preview_course_cancellation,
        sell_package,
        set_package_policy,
        set_package_price,
    )

# Course packages reach into the scheduling of courses (and through it plans): loaded on first
# use, so importing the billing services for a balance does not load them at start-up.
_PACKAGES = frozenset(
    {
        "CourseCancellationPreview",
        "PackageCancellation",
        "PackagedCourse",
        "PackageOffer",
        "PackagePriceView",
        "PackageRules",
        "PackageView",
        "book_packaged_course",
        "cancel_packaged_course",
        "get_package_policy",
        "list_package_prices",
        "package_offer",
        "patient_packages",
        "preview_course_cancellation",
        "sell_package",
        "set_package_policy",
        "set_package_price",
    }
)


def __getattr__(name: str) -> object:
    if name in _PACKAGES:
        from frontdesk.billing import packages

        value = getattr(packages, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Balance",
    "CourseCancellationPreview",
    "FeeView",
    "HistoryEntry",
    "InvoiceView",
    "LineInput",
    "MissedVisitPolicy",
    "PackageCancellation",
    "PackageOffer",
    "PackagePriceView",
    "PackageRules",
    "PackageView",
    "PackagedCourse",
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
    "book_packaged_course",
    "cancel_packaged_course",
    "charge_missed_visit",
    "check_out",
    "fee_for_visit",
    "fmt_money",
    "get_invoice",
    "get_missed_visit_fees",
    "get_package_policy",
    "line_tax",
    "list_fees",
    "list_package_prices",
    "list_products",
    "package_offer",
    "parse_money",
    "patient_balance",
    "patient_billing_history",
    "patient_packages",
    "preview_course_cancellation",
    "quote_check_out",
    "refund_payment",
    "reissue_invoice",
    "sell_package",
    "set_appointment_type_tax_code",
    "set_fee",
    "set_gst_number",
    "set_missed_visit_fees",
    "set_package_policy",
    "set_package_price",
    "set_practitioner_registration",
    "take_payment",
    "void_invoice",
]
