"""Area in units of 500 cm²: Act Schedule (7)(a), tax-law §6.3."""

from __future__ import annotations

from ._validate import require_int

UNIT_CM2 = 500
HALF_UNIT_CM2 = 250
# 10^9 cm² is 100,000 m², a 316 m square: larger than any sign, so a bigger figure is a
# measurement or unit error (e.g. mm² passed as cm²), not a sign.
MAX_AREA_CM2 = 1_000_000_000


def units_500(area_cm2: int) -> int:
    """Taxable units for a bounding-rectangle area in integer cm².

    ``floor(A/500) + (1 if A % 500 > 250 else 0)``: a remainder over half a unit counts as a
    whole unit; exactly 250 cm² or less is dropped. Exact integer arithmetic, no floats.
    """
    area_cm2 = require_int("area_cm2", area_cm2, min_value=0, max_value=MAX_AREA_CM2)
    whole, remainder = divmod(area_cm2, UNIT_CM2)
    return whole + (1 if remainder > HALF_UNIT_CM2 else 0)
