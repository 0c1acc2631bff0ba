"""First-year proration by quarters: Act §7 para 1 (quarters), factors per tax-law §7.

The tax runs from the quarter of installation to the year end: Jan-Mar 100%, Apr-Jun 75%,
Jul-Sep 50%, Oct-Dec 25% (municipal guidance S10, S19).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

FULL_YEAR = Decimal("1.00")
QUARTER_FACTORS: dict[int, Decimal] = {
    1: Decimal("1.00"),
    2: Decimal("0.75"),
    3: Decimal("0.50"),
    4: Decimal("0.25"),
}


def quarter_of(day: date) -> int:
    """Calendar quarter 1-4 of ``day``."""
    return (day.month - 1) // 3 + 1


def proration_factor(day: date) -> Decimal:
    """Share of the year's tax due for a sign installed (or fully changed) on ``day``."""
    return QUARTER_FACTORS[quarter_of(day)]
