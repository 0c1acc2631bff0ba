"""Money: baht as ``Decimal`` quantised to 0.01 (satang). Never float.

Rounding is ROUND_HALF_UP, the rule taught for satang in Thai public finance; the law itself is
silent (tax-law §15.10). Rates and unit counts are integers and the quarter factors are
multiples of 0.25, so the tax itself is always exact to the satang; rounding only matters for
percentage surcharges.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ._validate import SATANG

ZERO = Decimal("0.00")
WHOLE_BAHT = Decimal("1")


def to_money(amount: Decimal | int) -> Decimal:
    """``amount`` in baht, rounded half-up to satang (2 decimal places)."""
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise TypeError(f"amount must be Decimal or int baht, got {type(amount).__name__}")
    return Decimal(amount).quantize(SATANG, rounding=ROUND_HALF_UP)


def to_whole_baht(amount: Decimal) -> Decimal:
    """``amount`` rounded half-up to whole baht, still written with 2 places ("937.00")."""
    return amount.quantize(WHOLE_BAHT, rounding=ROUND_HALF_UP).quantize(SATANG)


def percent_of(amount: Decimal, percent: int | Decimal) -> Decimal:
    """``percent`` % of ``amount`` baht, rounded to satang."""
    return to_money(amount * Decimal(percent) / Decimal(100))
