"""The README's picture of a receipt: page 1 of a demo visit's receipt, as a PNG.

Run by ``scripts/update-screenshots`` on the demo database it built: signs in as the demo's
administrator, picks a paid visit with a taxable product beside the exempt treatment and a
payment split over two methods (else any paid visit), renders its receipt through the same
service the desk uses, and converts page 1 with ``pdftoppm`` (poppler-utils).

    python scripts/receipt-screenshot.py DEMO.sqlite3 OUT.png
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from frontdesk.accounts.service import authenticate
from frontdesk.db.models import Invoice, InvoiceLine, Payment, PaymentAllocation
from frontdesk.db.open import open_database
from frontdesk.demo.staff import DEMO_PASSWORD
from frontdesk.reports import receipt_pdf


def pick_invoice(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        lines = (
            select(InvoiceLine.invoice_id, func.count().label("n"))
            .group_by(InvoiceLine.invoice_id)
            .subquery()
        )
        parts = (  # how many different methods paid it
            select(PaymentAllocation.invoice_id, func.count(Payment.method.distinct()).label("n"))
            .join(Payment, Payment.id == PaymentAllocation.payment_id)
            .where(PaymentAllocation.amount_cents > 0)
            .group_by(PaymentAllocation.invoice_id)
            .subquery()
        )
        base = (
            select(Invoice.id)
            .join(parts, parts.c.invoice_id == Invoice.id)
            .join(lines, lines.c.invoice_id == Invoice.id)
            .where(Invoice.kind == "visit", Invoice.status == "issued")
            .order_by(Invoice.number.desc())
            .limit(1)
        )
        for query in (
            base.where(lines.c.n > 1, parts.c.n > 1),
            base.where(lines.c.n > 1),
            base,
        ):
            found = s.scalar(query)
            if found is not None:
                return int(found)
    raise SystemExit("The demo database has no paid visit to print a receipt for.")


def main(database: Path, out: Path) -> None:
    db = open_database(f"sqlite:///{database}")
    try:
        now = datetime.now(UTC)
        db = db.as_actor(authenticate(db, "admin", DEMO_PASSWORD, now=now))
        pdf = receipt_pdf(db, pick_invoice(db), now=now)
    finally:
        db.dispose()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "receipt.pdf"
        path.write_bytes(pdf)
        stem = out.with_suffix("")
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", path, stem],
            check=True,
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
