"""Money as integer cents: tax per line rounded half-up, amounts printed as $1,234.50.

One home for both rules, so the invoice, the receipt and the screen never disagree by a cent.
"""

from __future__ import annotations

import re

from frontdesk.domain import ValidationError

_AMOUNT = re.compile(r"^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$")


def line_tax(amount_cents: int, basis_points: int) -> int:
    """Tax on one line: ``amount × rate``, rounded half-up to the cent (exact integers)."""
    if amount_cents < 0:
        return -line_tax(-amount_cents, basis_points)
    return (amount_cents * basis_points * 2 + 10_000) // 20_000


def fmt_money(cents: int) -> str:
    """``$1,234.50``; a negative amount reads ``-$20.00``."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}${whole:,}.{part:02d}"


def amount_text(cents: int) -> str:
    """An amount as a person would type it in a field ("85.00"), read back by ``parse_money``."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def parse_money(text: str, field: str = "amount") -> int:
    """Cents from what a person types ("85", "85.5", "$1,085.50"); a specific message if not."""
    match = _AMOUNT.match(text.strip())
    if match is None:
        raise ValidationError.single(
            field, f"Enter an amount in dollars, such as 85.00 (not {text!r})."
        )
    whole = int(match.group(1).replace(",", ""))
    part = (match.group(2) or "0").ljust(2, "0")
    return whole * 100 + int(part)
