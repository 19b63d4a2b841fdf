"""A sale without a visit: a patient buys a wrist brace or heat packs at the desk.

The same invoice as a check-out (kind "sale", the next number, tax per line at today's rate,
never edited) and the money received for it, in one transaction, so a failure leaves neither.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from frontdesk.accounts.operation import arg, operation
from frontdesk.billing.invoices import (
    Quote,
    _issue,
    _Line,
    _line_view,
    _priced,
    check_tenders,
    invoice_view,
    record_tenders,
)
from frontdesk.billing.types import InvoiceView, ProductLine, Tender
from frontdesk.clinic import load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import Patient, Product
from frontdesk.domain import NotFound, ValidationError
from frontdesk.scheduling.localtime import to_local


def _sale_lines(s: Session, products: Sequence[ProductLine]) -> list[_Line]:
    if not products:
        raise ValidationError.single("products", "Add at least one product to sell.")
    lines = []
    for item in products:
        if not isinstance(item.quantity, int) or item.quantity < 1:
            raise ValidationError.single("quantity", "A quantity is 1 or more.")
        product = s.get(Product, item.product_id)
        if product is None or not product.active:
            raise NotFound("That product is no longer sold.")
        lines.append(_Line(product.name, item.quantity, product.price_cents, product.tax_code))
    return lines


@operation("quote_invoice_sale")
def quote_invoice_sale(db: Database, products: Sequence[ProductLine], *, now: datetime) -> Quote:
    """What selling these products today comes to, priced and taxed, before anything is issued."""
    with db.read() as s:
        today = to_local(now, load_clinic(s).tz).date()
        priced = _priced(s, _sale_lines(s, products), today)
        subtotal = sum(r.amount_cents for r in priced)
        tax = sum(r.tax_cents for r in priced)
        return Quote(tuple(_line_view(r) for r in priced), subtotal, tax, subtotal + tax, 0)


@operation("invoice_sale", patient=arg("patient_id"))
def invoice_sale(
    db: Database,
    patient_id: int,
    products: Sequence[ProductLine],
    *,
    now: datetime,
    tenders: Sequence[Tender] = (),
) -> InvoiceView:
    """Invoice products sold to a patient without a visit, with the money received for them."""
    if tenders:
        check_tenders(tenders)
    with db.write() as s:
        if s.get(Patient, patient_id) is None:
            raise NotFound("This patient no longer exists.")
        today = to_local(now, load_clinic(s).tz).date()
        invoice = _issue(
            s,
            kind="sale",
            patient_id=patient_id,
            lines=_sale_lines(s, products),
            service_date=today,
            now=now,
        )
        if tenders:
            record_tenders(s, patient_id, tenders, now=now, invoice=invoice)
        return invoice_view(s, invoice)
