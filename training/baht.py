"""How evaluations price a sign without importing the tax engine (``training`` may not import
``api``): the CLI injects ``api.pricing.full_year_baht`` with the tax year bound."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

# (area in cm², tax type 1-3, moving) -> a whole year's tax of one standing sign, baht.
FullYearBaht = Callable[[float, int, bool], Decimal]
ZERO_BAHT = Decimal("0.00")


def share(part: Decimal, whole: Decimal) -> float | None:
    """``part / whole`` as a float; None when ``whole`` is zero."""
    return None if not whole else float(part / whole)
